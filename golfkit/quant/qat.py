"""Quantization-aware training through `CastedLinear.weight_transform`.

* ste: straight-through fake quantization, w + (Q(w) - w).detach() with Q = round-to-nearest
  on the export grid of the layer's family (rec 03-19 MixedQuant / MLP3x_QAT); late QAT
  turns it on at `quant.qat_start_frac` of training (PR #286 -> rec 03-21);
* noisy: w + U(-1/2, 1/2) * step, step = the export format's step size, on the chosen
  blocks only (e.g. the looped ones; NR 03-21, PR #363);
* PR #1290's late QAT: ste on the linears outside the blocks (quant.qat_scope=outside_blocks), on its own
  int6 grid (quant.qat_grid=int6_rowmax), once the LR scale falls below 0.15 (quant.qat_lr_scale).

The switch is a tensor buffer (`gate`, 0 or 1) read inside the transform, not a Python
flag: torch.compile treats a buffer as a graph input, whereas rec 03-21's class flag was
constant-folded and QAT never ran). When the gate
opens, the mean relative fake-quant error ||T(w) - w|| / ||w|| is logged: 0 before the
switch, > 0 after, so the log proves it took effect. Transforms act in training mode
only, so validation during training scores the float weights.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from golfkit import optim
from golfkit.model.base import CastedLinear
from golfkit.quant.formats import families, qmax_for


class FakeQuant(nn.Module):
    """A CastedLinear weight transform; `gate` (a non-persistent buffer) switches it on.

    grid "export": the family's export step (k*std/qmax for SDClip families, else rowmax/qmax), codes
    -qmax..qmax. grid "int6_rowmax": PR #1290's CastedLinear STE, step rowmax/31 floored at 1/31, codes
    -32..31. The record adds (Q(w) - w) in the activation dtype; here it is added in fp32 and the sum cast,
    the same value in fp32 and within one bf16 rounding under autocast.
    """

    def __init__(self, kind: str, bits: int, clip: str, sigmas: float, on: bool, device: torch.device,
                 grid: str = "export"):
        super().__init__()
        self.kind, self.sdclip, self.sigmas, self.grid = kind, clip in ("sdclip", "hsdclip"), sigmas, grid
        self.qmax = 31 if grid == "int6_rowmax" else qmax_for(bits)
        self.qmin = -32 if grid == "int6_rowmax" else -self.qmax
        self.register_buffer("gate", torch.tensor(1.0 if on else 0.0, device=device), persistent=False)

    def step_size(self, w: Tensor) -> Tensor:
        """Per-row step (scale) of the grid, detached."""
        if self.grid == "int6_rowmax":
            return (w.abs().amax(dim=1) / self.qmax).clamp_min(1.0 / self.qmax)[:, None].detach()
        c = self.sigmas * w.std(dim=1, unbiased=False) if self.sdclip else w.abs().amax(dim=1)
        return (c / self.qmax).clamp_min(1e-8)[:, None].detach()

    def forward(self, w: Tensor) -> Tensor:
        if not self.training:
            return w
        w32 = w.float()
        s = self.step_size(w32)
        if self.kind == "ste":
            wq = torch.clamp(torch.round(w32 / s), self.qmin, self.qmax) * s
            return (w32 + self.gate * (wq - w32).detach()).to(w.dtype)
        noise = (torch.rand_like(w32) - 0.5) * s  # differentiable w.r.t. w: noise is an additive constant
        return (w32 + self.gate * noise).to(w.dtype)


def targets(model, q) -> list[tuple[str, nn.Module, object]]:
    """(name, CastedLinear, TensorPolicy or None) of the linears QAT acts on (quant.qat_scope).

    export_int: the int families, in quant.qat_layers; outside_blocks: every linear outside the blocks
    (no policy needed: its grid is int6_rowmax or the family's)."""
    control = set(model.tensor_names("scalar"))
    fams = families(q)
    out = []
    for name, mod in model.named_modules():
        if not isinstance(mod, CastedLinear):
            continue
        parts = name.split(".")
        pol = fams.get(model.tensor_family(f"{name}.weight", control))
        if q.qat_scope == "outside_blocks":
            if parts[0] != "blocks":
                out.append((name, mod, pol))
            continue
        if q.qat_layers and not (parts[0] == "blocks" and int(parts[1]) in q.qat_layers):
            continue
        if pol is not None and (q.scheme == "int8" or pol.format == "int"):
            out.append((name, mod, pol))
    return out


def attach(model, q, on: bool) -> tuple[list[FakeQuant], list[nn.Module]]:
    """Give every target linear its FakeQuant (gate open iff `on`); the transforms and their linears."""
    device = next(model.parameters()).device
    transforms, linears = [], []
    for _, lin, pol in targets(model, q):
        if q.scheme == "int8" or pol is None:
            bits, clip, sigmas = 8, "percentile", 0.0
        else:
            bits, clip, sigmas = pol.bits, pol.clip, pol.clip_sigmas
        lin.weight_transform = FakeQuant(q.qat, bits, clip, sigmas, on, device, q.qat_grid)
        transforms.append(lin.weight_transform)
        linears.append(lin)
    return transforms, linears


@torch.no_grad()
def fake_quant_error(transforms: list[FakeQuant], linears: list[nn.Module]) -> float:
    """Mean relative ||T(w) - w|| / ||w|| over the transformed linears, in training mode."""
    errs = []
    for t, lin in zip(transforms, linears):
        was = t.training
        t.train()
        w = lin.weight.float()
        errs.append(float((t(lin.weight).float() - w).norm() / w.norm().clamp_min(1e-12)))
        t.train(was)
    return sum(errs) / max(len(errs), 1)


def due(q, s, step: int, frac: float) -> bool:
    """Whether QAT is on for the step after `step` completed steps at training fraction `frac`.

    quant.qat_lr_scale > 0 (PR #1290): once the LR scale of that next step is below it, the record's check at
    the top of its loop (`scale < late_qat_threshold` before the step runs); the elapsed time is frac x the
    budget when a wall-clock cap is set (the warmdown then runs on time), else unused."""
    if frac < q.qat_start_frac:
        return False
    if q.qat_lr_scale <= 0:
        return True
    budget = optim.budget_ms(s)
    return optim.lr_multiplier(step, frac * budget if budget else 0.0, s) < q.qat_lr_scale


def install_hooks(sess) -> None:
    """Attach the transforms and a step hook that opens their gates (quant.qat_start_frac / qat_lr_scale)."""
    q, s = sess.cfg.quant, sess.cfg.schedule
    on = due(q, s, 0, 0.0)
    transforms, linears = attach(sess.base, q, on)
    state = {"on": on}
    sess.log.line(f"qat:{q.qat} layers:{len(linears)} start_frac:{q.qat_start_frac} gate:{int(on)} "
                  f"fake_quant_rel_err:{fake_quant_error(transforms, linears):.6f} scope:{q.qat_scope} "
                  f"grid:{q.qat_grid} lr_scale_below:{q.qat_lr_scale}")

    def hook(sess, step: int, frac: float) -> None:
        if state["on"] or not due(q, s, step, frac):
            return
        for t in transforms:
            t.gate.fill_(1.0)  # in place: the compiled graph reads this buffer on its next call
        state["on"] = True
        err = fake_quant_error(transforms, linears)
        sess.log.line(f"qat:on step:{step} frac:{frac:.4f} fake_quant_rel_err:{err:.6f}")
        sess.log.metric(step=step, kind="qat", fake_quant_rel_err=err)

    sess.step_hooks.append(hook)
