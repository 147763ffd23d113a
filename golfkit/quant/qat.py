"""Quantization-aware training through `CastedLinear.weight_transform`.

* ste: straight-through fake quantization, w + (Q(w) - w).detach() with Q = round-to-nearest
  on the export grid of the layer's family (rec 03-19 MixedQuant / MLP3x_QAT); late QAT
  turns it on at `quant.qat_start_frac` of training (PR #286 -> rec 03-21);
* noisy: w + U(-1/2, 1/2) * step, step = the export format's step size, on the chosen
  blocks only (e.g. the looped ones; NR 03-21, PR #363).

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

from golfkit.model.base import CastedLinear
from golfkit.quant.formats import families, qmax_for


class FakeQuant(nn.Module):
    """A CastedLinear weight transform; `gate` (a non-persistent buffer) switches it on."""

    def __init__(self, kind: str, bits: int, clip: str, sigmas: float, on: bool, device: torch.device):
        super().__init__()
        self.kind, self.qmax, self.sdclip, self.sigmas = kind, qmax_for(bits), clip in ("sdclip", "hsdclip"), sigmas
        self.register_buffer("gate", torch.tensor(1.0 if on else 0.0, device=device), persistent=False)

    def step_size(self, w: Tensor) -> Tensor:
        """Per-row export step (scale): k*std/qmax for SDClip families, else rowmax/qmax."""
        c = self.sigmas * w.std(dim=1, unbiased=False) if self.sdclip else w.abs().amax(dim=1)
        return (c / self.qmax).clamp_min(1e-8)[:, None].detach()

    def forward(self, w: Tensor) -> Tensor:
        if not self.training:
            return w
        w32 = w.float()
        s = self.step_size(w32)
        if self.kind == "ste":
            wq = torch.clamp(torch.round(w32 / s), -self.qmax, self.qmax) * s
            return (w32 + self.gate * (wq - w32).detach()).to(w.dtype)
        noise = (torch.rand_like(w32) - 0.5) * s  # differentiable w.r.t. w: noise is an additive constant
        return (w32 + self.gate * noise).to(w.dtype)


def targets(model, q) -> list[tuple[str, nn.Module, object]]:
    """(name, CastedLinear, TensorPolicy) of the linears QAT acts on: int families, in quant.qat_layers."""
    control = set(model.tensor_names("scalar"))
    fams = families(q)
    out = []
    for name, mod in model.named_modules():
        if not isinstance(mod, CastedLinear):
            continue
        parts = name.split(".")
        if q.qat_layers and not (parts[0] == "blocks" and int(parts[1]) in q.qat_layers):
            continue
        fam = model.tensor_family(f"{name}.weight", control)
        pol = fams.get(fam)
        if pol is not None and (q.scheme == "int8" or pol.format == "int"):
            out.append((name, mod, pol))
    return out


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


def install_hooks(sess) -> None:
    """Attach the transforms and a step hook that opens their gates at quant.qat_start_frac."""
    q = sess.cfg.quant
    found = targets(sess.base, q)
    on = q.qat_start_frac <= 0
    device = next(sess.base.parameters()).device
    transforms, linears = [], []
    for _, lin, pol in found:
        bits, clip = (8, "percentile") if q.scheme == "int8" else (pol.bits, pol.clip)
        lin.weight_transform = FakeQuant(q.qat, bits, clip, pol.clip_sigmas, on, device)
        transforms.append(lin.weight_transform)
        linears.append(lin)
    state = {"on": on}
    sess.log.line(f"qat:{q.qat} layers:{len(found)} start_frac:{q.qat_start_frac} gate:{int(on)} "
                  f"fake_quant_rel_err:{fake_quant_error(transforms, linears):.6f}")

    def hook(sess, step: int, frac: float) -> None:
        if state["on"] or frac < q.qat_start_frac:
            return
        for t in transforms:
            t.gate.fill_(1.0)  # in place: the compiled graph reads this buffer on its next call
        state["on"] = True
        err = fake_quant_error(transforms, linears)
        sess.log.line(f"qat:on step:{step} frac:{frac:.4f} fake_quant_rel_err:{err:.6f}")
        sess.log.metric(step=step, kind="qat", fake_quant_rel_err=err)

    sess.step_hooks.append(hook)
