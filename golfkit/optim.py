"""Muon for block matrices, Adam for the rest, and the baseline's schedules.

Muon (Keller Jordan, modded-nanogpt; the challenge baseline's copy): Nesterov momentum
(`buf = mu*buf + g; u = g + mu*buf`), then orthogonalise u with quintic Newton-Schulz
on X = u/||u||_F in bf16 (transposed when rows > cols), coefficients
(a, b, c) = (3.4445, -4.7750, 2.0315), and scale by sqrt(max(1, rows/cols)).

Why not `torch.optim.Muon` (torch >= 2.9)? It computes the same update on one process
(its `buf.lerp_` momentum differs from ours by the constant factor (1 - mu), which the
Frobenius normalisation removes; `tests/test_optim.py` checks the two agree), but it lacks
what the records need: the sharded DDP update (rank i orthogonalises params i mod W,
then one all-reduce of the flat bf16 updates), and the Newton-Schulz variants the
technique library switches on. So we keep this ~100-line version and test it against torch's.

Switches (the records' optimizer techniques; all off / baseline-valued by default, fields in OptimConfig
and ScheduleConfig): MuonEq-R row normalisation, Polar Express coefficients, decoupled
weight decay (Muon + AdamW) with a constant/taper/ramp schedule on Muon's, the
fraction-based warmdown with a MIN_LR floor, and the records' Muon numerics (the Newton-Schulz
evaluation order `muon_ns_order`, the bf16 momentum of Parallel Muon `muon_numerics`).
Weight averaging lives in averaging.py.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

import torch
import torch.distributed as dist
from torch import Tensor

from golfkit.config import OptimConfig, RunConfig, ScheduleConfig
from golfkit.errors import GolfkitError

if TYPE_CHECKING:  # the Session type is for annotations only
    from golfkit.session import Session

# The standard quintic coefficients, maximising the slope at zero (Keller Jordan's Muon post).
NS_COEFFS: tuple[float, float, float] = (3.4445, -4.7750, 2.0315)
# Polar Express (PR #1344 -> PR #1787 / rec 04-23): one minimax (a, b, c) per iteration; the
# early tuples grow small singular values fast, the late ones pull all of them onto ~1.
# Full precision, as PR #1787..#2135 use them (rounding to 4 decimals changes the bf16 update).
POLAR_EXPRESS_COEFFS: tuple[tuple[float, float, float], ...] = (
    (8.156554524902461, -22.48329292557795, 15.878769915207462),
    (4.042929935166739, -2.808917465908714, 0.5000178451051316),
    (3.8916678022926607, -2.772484153217685, 0.5060648178503393),
    (3.285753657755655, -2.3681294933425376, 0.46449024233003106),
    (2.3465413258596377, -1.7097828382687081, 0.42323551169305323),
)
NS_SETS = {"standard": NS_COEFFS, "polar_express": POLAR_EXPRESS_COEFFS}


def newton_schulz(G: Tensor, steps: int = 5, coeffs: Sequence = NS_COEFFS, eps: float = 1e-7,
                  order: str = "baseline", dtype: torch.dtype = torch.bfloat16) -> Tensor:
    """Approximate U V^T of G = U S V^T in bf16; singular values land in roughly [0.7, 1.2].

    `G` is one matrix or a stack of same-shape matrices (..., rows, cols): each is normalised by its
    own Frobenius norm and iterated independently (the records' parameter banks, PR #399 -> PR #1290).

    `coeffs` is one (a, b, c) tuple for every step, or a list of per-step tuples
    (the last one repeats if `steps` is longer).

    `order` is the bf16 evaluation order, which decides the rounding (optim.muon_ns_order):
    "baseline" = the challenge's `b*A + c*A@A`, i.e. (c*A)@A, normalising before the transpose;
    "records" = `b*A + c*(A@A)`, normalising the (transposed) wide matrix, as the records' batched
    Newton-Schulz does (PR #399's Parallel Muon -> PR #1290, PR #1787..#2135).

    `dtype` is the iteration's dtype (optim.muon_ns_dtype): bf16 as every record, or fp32 on a CPU
    without native bf16 matmuls (where bf16 is emulated and several times slower than fp32).
    """
    per_step = [tuple(coeffs)] if isinstance(coeffs[0], (int, float)) else [tuple(c) for c in coeffs]
    X = G.to(dtype)
    transposed = G.size(-2) > G.size(-1)
    if order == "records":
        if transposed:
            X = X.mT
        X = X / (X.norm(dim=(-2, -1), keepdim=True) + eps)
    else:
        X = X / (X.norm(dim=(-2, -1), keepdim=True) + eps)  # = X.norm() for one matrix, bit for bit
        if transposed:
            X = X.mT  # iterate on the wide orientation: A = X X^T is the small Gram matrix
    for i in range(steps):
        a, b, c = per_step[min(i, len(per_step) - 1)]
        A = X @ X.mT
        B = b * A + c * (A @ A) if order == "records" else b * A + c * A @ A
        X = a * X + B @ X
    return X.mT if transposed else X


def native_bf16(device: torch.device) -> bool:
    """Whether bf16 matmuls run natively (fast) here: CUDA, or a CPU with AMX or AVX512-BF16.

    Without them PyTorch emulates bf16 matmuls on the CPU, 3-4x slower than fp32 (measured on
    the 2-core Xeon of 2026-11-22); with AMX they are ~3x faster than fp32 (BENCHMARKS.md).
    """
    if device.type != "cpu":
        return True
    cpu = torch.cpu
    return bool(getattr(cpu, "_is_amx_tile_supported", lambda: False)()
                or getattr(cpu, "_is_avx512_bf16_supported", lambda: False)())


def ns_dtype(choice: str, device: torch.device) -> torch.dtype:
    """optim.muon_ns_dtype -> the Newton-Schulz dtype: auto = bf16 where it is native, else fp32."""
    if choice == "auto":
        return torch.bfloat16 if native_bf16(device) else torch.float32
    return torch.bfloat16 if choice == "bf16" else torch.float32


def row_normalize(u: Tensor, eps: float = 1e-7) -> Tensor:
    """MuonEq-R: u / ||u_row||_2 per row (arXiv 2603.28254, PR #1217/#1260), before Newton-Schulz.

    Equalises the rows' scale so no output unit dominates the Frobenius normalisation.
    """
    norms = u.float().norm(dim=-1, keepdim=True).clamp_min(eps)
    return u / norms.to(u.dtype)


def muon_update(grad: Tensor, buf: Tensor, momentum: float, nesterov: bool = True) -> Tensor:
    """Update the momentum buffer in place and return the (pre-orthogonalisation) direction."""
    buf.mul_(momentum).add_(grad)
    return grad.add(buf, alpha=momentum) if nesterov else buf


class Muon(torch.optim.Optimizer):
    """MomentUm Orthogonalized by Newton-Schulz, with the baseline's sharded DDP update.

    Under torch.distributed every rank holds the full (already all-reduced) gradient;
    rank r orthogonalises parameters i with i % world_size == r, and one all-reduce of
    a flat bf16 buffer hands every rank every update. On one process the updates are
    applied directly (the same bf16 values, without the buffer).

    numerics="parallel" is the records' Parallel Muon (PR #399 -> PR #1290, #1787..#2135):
    the gradient is cast to bf16 and the momentum buffer kept in bf16, and the aspect-ratio
    scale multiplies the step size (fp32) at the update instead of the bf16 update;
    "baseline" keeps the challenge's fp32 momentum and bf16 scaled update.

    batched=True orthogonalises a rank's same-shape matrices as one stack (one batched
    Newton-Schulz per shape, as the records do on their parameter banks, PR #399): the same
    per-matrix result, fewer and larger matmuls.
    ns_dtype is the Newton-Schulz dtype ("bf16" or "fp32", see ns_dtype()).
    """

    def __init__(self, params, lr: float, momentum: float, backend_steps: int = 5,
                 nesterov: bool = True, coeffs: Sequence = NS_COEFFS,
                 row_normalize: bool = False, weight_decay: float = 0.0,
                 ns_order: str = "baseline", numerics: str = "baseline",
                 ns_dtype: str = "bf16", batched: bool = False):
        super().__init__(params, dict(lr=lr, momentum=momentum, backend_steps=backend_steps,
                                      nesterov=nesterov, coeffs=coeffs,
                                      row_normalize=row_normalize, weight_decay=weight_decay,
                                      ns_order=ns_order, numerics=numerics, ns_dtype=ns_dtype,
                                      batched=batched))
        self.ns = newton_schulz  # train.py swaps in a torch.compile'd copy when the model is compiled

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        distributed = dist.is_available() and dist.is_initialized()
        world = dist.get_world_size() if distributed else 1
        rank = dist.get_rank() if distributed else 0
        for group in self.param_groups:
            params = group["params"]
            if not params:
                continue
            parallel = group.get("numerics", "baseline") == "parallel"
            owned = [i for i, p in enumerate(params) if i % world == rank and p.grad is not None]
            updates = self._orthogonalised(group, [params[i] for i in owned], parallel)
            full: list[Tensor | None] = [None] * len(params)
            if distributed and world > 1:
                ends = [0]
                for p in params:
                    ends.append(ends[-1] + p.numel())
                flat = torch.zeros(ends[-1], device=params[0].device, dtype=torch.bfloat16)
                for i, u in zip(owned, updates):
                    flat[ends[i]: ends[i + 1]] = u.reshape(-1)
                dist.all_reduce(flat, op=dist.ReduceOp.SUM)
                full = [flat[ends[i]: ends[i + 1]].view_as(p) for i, p in enumerate(params)]
            else:
                for i, u in zip(owned, updates):
                    full[i] = u
            decay = 1.0 - group["lr"] * group["weight_decay"]  # decoupled WD, applied before the update
            for p, u in zip(params, full):
                if decay != 1.0:
                    p.mul_(decay)
                if u is not None:
                    step = -group["lr"] * aspect_scale(p) if parallel else -group["lr"]
                    p.add_(u.to(p.dtype), alpha=step)
        return loss

    def _orthogonalised(self, group: dict, params: list[Tensor], parallel: bool) -> list[Tensor]:
        """This rank's bf16 updates for `params`: momentum, MuonEq-R, Newton-Schulz, aspect scale."""
        if not params:
            return []
        grads = [p.grad.bfloat16() if parallel else p.grad for p in params]
        bufs = []
        for p, g in zip(params, grads):
            state = self.state[p]
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = torch.zeros_like(g)
            bufs.append(state["momentum_buffer"])
        # per tensor, not torch._foreach_mul_: its bf16 scalar product rounds differently from mul_ (the records')
        us = [muon_update(g, b, group["momentum"], group["nesterov"]) for g, b in zip(grads, bufs)]
        batched = group.get("batched", False)
        dtype = torch.float32 if group.get("ns_dtype", "bf16") == "fp32" else torch.bfloat16
        out: list[Tensor] = [us[0]] * len(params)
        for idx in same_shape_groups(params) if batched else [[i] for i in range(len(params))]:
            # one matrix stays 2-D: torch's CPU bf16 matmul rounds a (1, r, c) batch differently from
            # a 2-D one, while stacks of B >= 2 equal the per-matrix result (tests/test_optim.py)
            U = us[idx[0]] if len(idx) == 1 else torch.stack([us[j] for j in idx])
            if group["row_normalize"]:
                U = row_normalize(U)
            U = self.ns(U, group["backend_steps"], group["coeffs"], order=group.get("ns_order", "baseline"),
                        dtype=dtype)
            if not parallel:
                U = U * aspect_scale(params[idx[0]])
            U = U.bfloat16()
            for k, j in enumerate(idx):
                out[j] = U if len(idx) == 1 else U[k]
        return out


def same_shape_groups(params: Sequence[Tensor]) -> list[list[int]]:
    """Indices of `params` grouped by shape, in first-seen order (the batches of batched Newton-Schulz)."""
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(params):
        groups.setdefault(tuple(p.shape), []).append(i)
    return list(groups.values())


def aspect_scale(p: Tensor) -> float:
    """sqrt(max(1, rows/cols)): Muon's aspect-ratio correction (Keller Jordan's reference)."""
    return max(1.0, p.size(0) / p.size(1)) ** 0.5


def _adamw(params: list, lr: float, wd: float, adam: dict) -> torch.optim.AdamW:
    # AdamW's decay is decoupled (p *= 1 - lr*wd); with wd = 0 it is exactly the baseline's Adam.
    return torch.optim.AdamW([{"params": params, "lr": lr, "base_lr": lr, "weight_decay": wd, "base_wd": wd}], **adam)


def build_optimizers(groups: dict[str, list], cfg: OptimConfig, tied: bool, fused: bool,
                     device: torch.device | None = None) -> list[torch.optim.Optimizer]:
    """The baseline's optimizer split. Each param group carries `base_lr` / `base_wd` for the schedules.

    "matrix_adam" (matrices a record trains with the scalar AdamW, PR #1290) joins the scalar AdamW;
    "frozen" parameters get no optimizer (golfkit/model/base.py GROUPS). `device` resolves
    optim.muon_ns_dtype="auto" (default: where the matrices live).
    """
    device = device or (groups["matrix"][0].device if groups["matrix"] else torch.device("cpu"))
    adam = dict(betas=(cfg.beta1, cfg.beta2), eps=cfg.adam_eps, fused=fused)
    token_lr = cfg.tied_embed_lr if tied else cfg.embed_lr
    opts: list[torch.optim.Optimizer] = [_adamw(groups["embed"], token_lr, cfg.embed_wd, adam)]
    if groups["head"]:
        opts.append(_adamw(groups["head"], cfg.head_lr, cfg.embed_wd, adam))
    muon = Muon(groups["matrix"], lr=cfg.matrix_lr, momentum=cfg.muon_momentum, backend_steps=cfg.muon_backend_steps,
                coeffs=NS_SETS[cfg.muon_ns], row_normalize=cfg.muon_row_normalize, weight_decay=cfg.muon_wd,
                ns_order=cfg.muon_ns_order, numerics=cfg.muon_numerics,
                ns_dtype="bf16" if ns_dtype(cfg.muon_ns_dtype, device) == torch.bfloat16 else "fp32",
                batched=cfg.muon_batched)
    for g in muon.param_groups:
        g["base_lr"], g["base_wd"] = cfg.matrix_lr, cfg.muon_wd
    opts.append(muon)
    opts.append(_adamw(groups["scalar"] + groups.get("matrix_adam", []), cfg.scalar_lr, cfg.scalar_wd, adam))
    return opts


def muon_momentum_at(step: int, cfg: OptimConfig) -> float:
    """Linear warmup of Muon's momentum from `muon_momentum_warmup_start` (0.85 -> 0.95 over 500 steps;
    records: 0.92 -> 0.99 over 1500, rec 03-19_Seq4096; SOTA target 0.97)."""
    if cfg.muon_momentum_warmup_steps <= 0:
        return cfg.muon_momentum
    frac = min(step / cfg.muon_momentum_warmup_steps, 1.0)
    return (1 - frac) * cfg.muon_momentum_warmup_start + frac * cfg.muon_momentum


# ----------------------------------------------------------------------------------
# schedules: training fraction, warmdown, MIN_LR floor, WD multiplier
# ----------------------------------------------------------------------------------
def budget_ms(s: ScheduleConfig) -> float | None:
    """The training time budget: cap minus the reserve kept for post-training work; None = no cap."""
    if s.max_wallclock_seconds <= 0:
        return None
    return 1000.0 * (s.max_wallclock_seconds - s.wallclock_reserve_seconds)


def training_fraction(step: int, elapsed_ms: float, s: ScheduleConfig) -> float:
    """frac = elapsed/(cap - reserve) with a cap (the records' definition), else step/iterations; in [0, 1]."""
    budget = budget_ms(s)
    if budget is not None:
        return min(elapsed_ms / max(budget, 1e-9), 1.0)
    return min(step / max(s.iterations, 1), 1.0)


def warmdown_progress(step: int, elapsed_ms: float, s: ScheduleConfig) -> float:
    """0 before the warmdown, rising linearly to 1 at its end; lr_mul = max(1 - this, min_lr).

    iters (baseline): the last `warmdown_iters` steps, or with a cap warmdown_iters x the
    measured mean step time before the budget's end (a slow machine starts decaying earlier).
    fraction (rec 04-05 onward): the last `warmdown_frac` of the training fraction.
    """
    if s.warmdown_kind == "fraction":
        start = 1.0 - s.warmdown_frac
        return min(max((training_fraction(step, elapsed_ms, s) - start) / s.warmdown_frac, 0.0), 1.0)
    if s.warmdown_iters <= 0:
        return 0.0
    budget = budget_ms(s)
    if budget is None:
        # 1 - (iterations - step)/warmdown_iters: with warmdown_iters > iterations the LR already
        # starts below peak (rec 03-19_WarmdownQuantization's "always-decaying LR").
        return min(max(1.0 - (s.iterations - step) / s.warmdown_iters, 0.0), 1.0)
    warmdown_ms = s.warmdown_iters * elapsed_ms / max(step, 1)
    remaining_ms = max(budget - elapsed_ms, 0.0)
    return 1.0 - remaining_ms / max(warmdown_ms, 1e-9) if remaining_ms <= warmdown_ms else 0.0


def lr_multiplier(step: int, elapsed_ms: float, cfg: ScheduleConfig) -> float:
    """The LR scale: 1.0, then linear decay over the warmdown, floored at `min_lr` (PR #1787: 0.10).

    Fraction kind: lr_mul = max((1 - frac)/WARMDOWN_FRAC, MIN_LR) once frac >= 1 - WARMDOWN_FRAC.
    """
    p = warmdown_progress(step, elapsed_ms, cfg)
    return max(1.0 - p, cfg.min_lr) if p > 0 else 1.0


def wd_multiplier(frac: float, warmdown: float, cfg: OptimConfig) -> float:
    """Muon WD multiplier at training fraction `frac` and warmdown progress `warmdown` (both in [0, 1]).

    taper (PR #1729): 1 until wd_taper_start_frac, then linear to wd_taper_final_mult at frac = 1.
    It is keyed on the (wall-clock) training fraction: a port keyed on `iterations` never
    fired in capped runs (a reproduction's write-up of PR #1729's taper).
    ramp (PR #309/#675): 1 -> wd_ramp_final_mult linearly across the warmdown (0.02 -> 0.08 = x4).
    """
    if cfg.wd_schedule == "taper":
        start = cfg.wd_taper_start_frac
        t = min(max((frac - start) / max(1.0 - start, 1e-9), 0.0), 1.0)
        return 1.0 + t * (cfg.wd_taper_final_mult - 1.0)
    if cfg.wd_schedule == "ramp":
        return 1.0 + warmdown * (cfg.wd_ramp_final_mult - 1.0)
    return 1.0


def install_wd_schedule(sess: "Session") -> None:
    """A step hook that sets Muon's weight decay for the next step (no-op unless WD is scheduled).

    Hooks see (step, frac) after each step, so step k+1 uses the multiplier at the end of step k;
    every schedule is 1 at the start, so the first step is exact.
    """
    o, s = sess.cfg.optim, sess.cfg.schedule
    if o.wd_schedule == "constant" or o.muon_wd == 0:
        return
    budget = budget_ms(s)

    def hook(sess: "Session", step: int, frac: float) -> None:
        elapsed = frac * budget if budget is not None else 0.0
        mult = wd_multiplier(frac, warmdown_progress(step, elapsed, s), o)
        for opt in sess.optimizers:
            if isinstance(opt, Muon):
                for g in opt.param_groups:
                    g["weight_decay"] = g["base_wd"] * mult

    sess.step_hooks.append(hook)


def describe(cfg: RunConfig, device: torch.device | None = None) -> str:
    """One log line with the optimizer/schedule switches (so a log shows what actually ran)."""
    o, s = cfg.optim, cfg.schedule
    return (f"optim: muon_ns:{o.muon_ns} ns_order:{o.muon_ns_order} numerics:{o.muon_numerics} "
            f"ns_dtype:{o.muon_ns_dtype}{'' if device is None else '->' + str(ns_dtype(o.muon_ns_dtype, device))[6:]} "
            f"batched:{o.muon_batched} "
            f"row_normalize:{o.muon_row_normalize} momentum:{o.muon_momentum} "
            f"(from {o.muon_momentum_warmup_start} over {o.muon_momentum_warmup_steps}) "
            f"wd muon:{o.muon_wd} embed:{o.embed_wd} scalar:{o.scalar_wd} wd_schedule:{o.wd_schedule} "
            f"grad_clip:{o.grad_clip_norm} warmdown:{s.warmdown_kind}"
            f"({s.warmdown_frac if s.warmdown_kind == 'fraction' else s.warmdown_iters}) min_lr:{s.min_lr} "
            f"reserve_s:{s.wallclock_reserve_seconds} weight_averaging:{o.weight_averaging}")


def check_config(cfg: RunConfig) -> None:
    """Refuse optimizer/schedule values that would silently do something else."""
    o, s = cfg.optim, cfg.schedule

    def need(ok: bool, msg: str) -> None:
        if not ok:
            raise GolfkitError(msg)

    need(0.0 <= o.muon_momentum < 1.0 and 0.0 <= o.muon_momentum_warmup_start < 1.0,
         "optim.muon_momentum and optim.muon_momentum_warmup_start must be in [0, 1)")
    need(o.muon_backend_steps >= 1, "optim.muon_backend_steps must be >= 1")
    for name in ("muon_wd", "embed_wd", "scalar_wd", "grad_clip_norm"):
        need(getattr(o, name) >= 0, f"optim.{name} must be >= 0")
    need(0.0 <= o.wd_taper_start_frac < 1.0, "optim.wd_taper_start_frac must be in [0, 1)")
    need(0.0 <= o.ema_decay < 1.0, "optim.ema_decay must be in [0, 1)")
    need(o.swa_every >= 1 and o.lawa_every >= 1 and o.lawa_k >= 1,
         "optim.swa_every, optim.lawa_every and optim.lawa_k must be >= 1")
    need(0.0 < s.warmdown_frac <= 1.0, "schedule.warmdown_frac must be in (0, 1]")
    need(0.0 <= s.min_lr <= 1.0, "schedule.min_lr is a fraction of the peak LR: it must be in [0, 1]")
    need(s.wallclock_reserve_seconds >= 0, "schedule.wallclock_reserve_seconds must be >= 0")
    need(s.max_wallclock_seconds <= 0 or s.wallclock_reserve_seconds < s.max_wallclock_seconds,
         f"schedule.wallclock_reserve_seconds={s.wallclock_reserve_seconds} leaves no training time "
         f"under max_wallclock_seconds={s.max_wallclock_seconds}")
    need(all(math.isfinite(x) for x in (o.wd_taper_final_mult, o.wd_ramp_final_mult)) and
         o.wd_taper_final_mult >= 0 and o.wd_ramp_final_mult >= 0, "optim.wd_*_final_mult must be finite and >= 0")
