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
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.distributed as dist
from torch import Tensor

from golfkit.config import OptimConfig, ScheduleConfig

# The standard quintic coefficients, maximising the slope at zero (Keller Jordan's Muon post).
NS_COEFFS: tuple[float, float, float] = (3.4445, -4.7750, 2.0315)


def newton_schulz(G: Tensor, steps: int = 5, coeffs: Sequence = NS_COEFFS, eps: float = 1e-7) -> Tensor:
    """Approximate U V^T of G = U S V^T in bf16; singular values land in roughly [0.7, 1.2].

    `coeffs` is one (a, b, c) tuple for every step, or a list of per-step tuples
    (the last one repeats if `steps` is longer).
    """
    per_step = [tuple(coeffs)] if isinstance(coeffs[0], (int, float)) else [tuple(c) for c in coeffs]
    X = G.bfloat16()
    X = X / (X.norm() + eps)
    transposed = G.size(0) > G.size(1)
    if transposed:
        X = X.T  # iterate on the wide orientation: A = X X^T is the small Gram matrix
    for i in range(steps):
        a, b, c = per_step[min(i, len(per_step) - 1)]
        A = X @ X.T
        B = b * A + c * A @ A
        X = a * X + B @ X
    return X.T if transposed else X


def muon_update(grad: Tensor, buf: Tensor, momentum: float, nesterov: bool = True) -> Tensor:
    """Update the momentum buffer in place and return the (pre-orthogonalisation) direction."""
    buf.mul_(momentum).add_(grad)
    return grad.add(buf, alpha=momentum) if nesterov else buf


class Muon(torch.optim.Optimizer):
    """MomentUm Orthogonalized by Newton-Schulz, with the baseline's sharded DDP update.

    Under torch.distributed every rank holds the full (already all-reduced) gradient;
    rank r orthogonalises parameters i with i % world_size == r, and one all-reduce of
    a flat bf16 buffer hands every rank every update.
    """

    def __init__(self, params, lr: float, momentum: float, backend_steps: int = 5,
                 nesterov: bool = True, coeffs: Sequence = NS_COEFFS):
        super().__init__(params, dict(lr=lr, momentum=momentum, backend_steps=backend_steps,
                                      nesterov=nesterov, coeffs=coeffs))
        self.ns = newton_schulz  # train.py swaps in a torch.compile'd copy on CUDA

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
            flat = torch.zeros(sum(p.numel() for p in params), device=params[0].device, dtype=torch.bfloat16)
            offset = 0
            for i, p in enumerate(params):
                if i % world == rank and p.grad is not None:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = torch.zeros_like(p.grad)
                    u = muon_update(p.grad, state["momentum_buffer"], group["momentum"], group["nesterov"])
                    u = self.ns(u, group["backend_steps"], group["coeffs"])
                    u = u * max(1.0, u.size(0) / u.size(1)) ** 0.5  # aspect-ratio scale
                    flat[offset: offset + p.numel()] = u.reshape(-1)
                offset += p.numel()
            if distributed and world > 1:
                dist.all_reduce(flat, op=dist.ReduceOp.SUM)
            offset = 0
            for p in params:
                p.add_(flat[offset: offset + p.numel()].view_as(p).to(p.dtype), alpha=-group["lr"])
                offset += p.numel()
        return loss


def build_optimizers(groups: dict[str, list], cfg: OptimConfig, tied: bool, fused: bool) -> list[torch.optim.Optimizer]:
    """The baseline's optimizer split. Each param group carries `base_lr` for the schedule."""
    adam = dict(betas=(cfg.beta1, cfg.beta2), eps=cfg.adam_eps, fused=fused)
    token_lr = cfg.tied_embed_lr if tied else cfg.embed_lr
    opts: list[torch.optim.Optimizer] = [
        torch.optim.Adam([{"params": groups["embed"], "lr": token_lr, "base_lr": token_lr}], **adam),
    ]
    if groups["head"]:
        opts.append(torch.optim.Adam([{"params": groups["head"], "lr": cfg.head_lr, "base_lr": cfg.head_lr}], **adam))
    muon = Muon(groups["matrix"], lr=cfg.matrix_lr, momentum=cfg.muon_momentum, backend_steps=cfg.muon_backend_steps)
    for g in muon.param_groups:
        g["base_lr"] = cfg.matrix_lr
    opts.append(muon)
    opts.append(torch.optim.Adam([{"params": groups["scalar"], "lr": cfg.scalar_lr, "base_lr": cfg.scalar_lr}], **adam))
    return opts


def muon_momentum_at(step: int, cfg: OptimConfig) -> float:
    """Linear warmup of Muon's momentum from `muon_momentum_warmup_start` (0.85 -> 0.95 over 500 steps)."""
    if cfg.muon_momentum_warmup_steps <= 0:
        return cfg.muon_momentum
    frac = min(step / cfg.muon_momentum_warmup_steps, 1.0)
    return (1 - frac) * cfg.muon_momentum_warmup_start + frac * cfg.muon_momentum


def lr_multiplier(step: int, elapsed_ms: float, cfg: ScheduleConfig) -> float:
    """The baseline's warmdown: linear to 0 over the last `warmdown_iters` steps.

    With a wall-clock cap the warmdown is measured in time: its length is
    warmdown_iters x the measured mean step time, ending at the cap (so a slow machine
    starts decaying earlier instead of never reaching the decay).
    """
    if cfg.warmdown_iters <= 0:
        return 1.0
    if cfg.max_wallclock_seconds <= 0:
        start = max(cfg.iterations - cfg.warmdown_iters, 0)
        return max((cfg.iterations - step) / max(cfg.warmdown_iters, 1), 0.0) if start <= step < cfg.iterations else 1.0
    step_ms = elapsed_ms / max(step, 1)
    warmdown_ms = cfg.warmdown_iters * step_ms
    remaining_ms = max(1000.0 * cfg.max_wallclock_seconds - elapsed_ms, 0.0)
    return remaining_ms / max(warmdown_ms, 1e-9) if remaining_ms <= warmdown_ms else 1.0
