"""DEQ universal-transformer block: one physical block iterated to a fixed point.

Source: PR #1783 (ismailntl) "wish list", proposed without results: "one block iterated
to a fixed point with Anderson acceleration (window 5), phantom gradients through K=4
unrolled steps". Nothing here is from a measured record.

The map. A pre-norm residual block computes b(z) = z + delta(z); its fixed point
z = b(z) would need delta(z*) = 0, which a residual block has no reason to reach (the
iteration is then gradient-flow-like and drifts). We use the standard DEQ form with input
injection (Bai et al. 2019): f(z) = h + (b(z) - z), i.e. the block's residual writes on z
added to the band's input h. At init the output projections are zero, so f(z) = h and
z* = h: the DEQ model equals the model with that block removed... plus one block pass
of resid_mix (identity at init). `resid_mix` keeps mixing in the embedding x0 as usual.

Solver. Anderson acceleration (Walker & Ni 2011; the DEQ repo's `anderson`) with history m,
regularisation 1e-4, mixing 1; or plain (Picard) iteration for comparison. Eager runs stop
when the relative residual |f(z) - z| / |f(z)| < tol; under torch.compile there is no
data-dependent exit (fullgraph), so exactly `deq_max_iter` iterations run.

Gradient. The solve runs without autograd; then K damped steps z <- (1-l) z + l f(z) from
z* are unrolled *with* autograd: the "unrolled phantom gradient" (Geng et al. 2021,
"On training implicit models"). Memory is K block calls, not max_iter.

`last_stats` (iterations, final residual, residual trace) is kept for tests and notebooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError

Map = Callable[[Tensor], Tensor]


@dataclass
class SolveStats:
    iterations: int = 0
    residual: float = float("nan")
    trace: list[float] = field(default_factory=list)


def rel_residual(fz: Tensor, z: Tensor) -> Tensor:
    return (fz - z).norm() / (fz.norm() + 1e-8)


def picard(f: Map, z0: Tensor, max_iter: int, tol: float, early_exit: bool) -> tuple[Tensor, SolveStats]:
    """Plain fixed-point iteration z <- f(z)."""
    stats, z = SolveStats(), z0
    for k in range(max_iter):
        fz = f(z)
        res = rel_residual(fz, z)
        z = fz
        if early_exit:
            stats.trace.append(float(res))
            stats.iterations, stats.residual = k + 1, float(res)
            if stats.residual < tol:
                break
    return z, stats


def _mixing_weights(G: Tensor, lam: float) -> Tensor:
    """The bordered normal equations of Anderson's least squares, in fp32 with autocast off.

    Under CUDA bf16 autocast the Gram matrix would be bf16 and cuBLAS has no bf16 LU
    ("lu_factor_cublas not implemented for 'BFloat16'", seen on an H100): solve in fp32.
    """
    B, n, dev = G.shape[0], G.shape[1], G.device
    with torch.autocast(device_type=dev.type, enabled=False):
        H = torch.zeros(B, n + 1, n + 1, dtype=torch.float32, device=dev)
        H[:, 0, 1:] = 1.0
        H[:, 1:, 0] = 1.0
        H[:, 1:, 1:] = G @ G.transpose(1, 2) + lam * torch.eye(n, dtype=torch.float32, device=dev)
        rhs = torch.zeros(B, n + 1, 1, dtype=torch.float32, device=dev)
        rhs[:, 0] = 1.0
        return torch.linalg.solve(H, rhs)[:, 1:]


def anderson(f: Map, z0: Tensor, max_iter: int, tol: float, early_exit: bool, m: int = 5,
             lam: float = 1e-4) -> tuple[Tensor, SolveStats]:
    """Anderson acceleration (type II, mixing 1) over flattened per-sample states.

    Keeps the last m iterates X and images F; solves min_a |sum_i a_i (F_i - X_i)|, sum a = 1
    (bordered normal equations, one small system per sample), and sets z = sum_i a_i F_i.
    """
    B = z0.shape[0]
    shape = z0.shape
    flat = lambda t: t.reshape(B, -1)  # noqa: E731
    X = [flat(z0)]
    F = [flat(f(z0))]
    stats = SolveStats()
    z = F[0]
    for k in range(1, max_iter):
        n = min(len(X), m)
        Xs, Fs = torch.stack(X[-n:], 1), torch.stack(F[-n:], 1)  # (B, n, N)
        alpha = _mixing_weights((Fs - Xs).float(), lam).to(Fs.dtype)  # (B, n, 1)
        z = (alpha.transpose(1, 2) @ Fs).squeeze(1)
        fz = flat(f(z.reshape(shape)))
        res = rel_residual(fz, z)
        X.append(z)
        F.append(fz)
        if early_exit:
            stats.trace.append(float(res))
            stats.iterations, stats.residual = k + 1, float(res)
            if stats.residual < tol:
                break
        X, F = X[-m:], F[-m:]
    # the image of the last iterate: one more application of f that was already computed
    return F[-1].reshape(shape), stats


class DEQBlock:
    """Runs one physical block to its fixed point (plain object: the block owns the weights)."""

    def __init__(self, cfg: ModelConfig):
        if not 0 <= cfg.deq_layer < cfg.num_layers:
            raise GolfkitError(f"model.deq_layer={cfg.deq_layer} must be a block index in [0, {cfg.num_layers})")
        if cfg.deq_max_iter < 1 or cfg.deq_history < 1 or cfg.deq_tol <= 0:
            raise GolfkitError("model.deq_max_iter and model.deq_history must be >= 1 and model.deq_tol > 0")
        if not 0.0 < cfg.deq_phantom_damping <= 1.0 or cfg.deq_phantom_steps < 0:
            raise GolfkitError("model.deq_phantom_damping must be in (0, 1] and model.deq_phantom_steps >= 0")
        self.cfg = cfg
        self.last_stats = SolveStats()

    def solve(self, f: Map, h: Tensor, solver: str | None = None, max_iter: int | None = None) -> Tensor:
        """z* of f from z0 = h, without autograd; records `last_stats` (eager only)."""
        c = self.cfg
        early = not torch.compiler.is_compiling()
        n = max_iter or c.deq_max_iter
        with torch.no_grad():
            if (solver or c.deq_solver) == "anderson":
                z, stats = anderson(f, h, n, c.deq_tol, early, m=c.deq_history)
            else:
                z, stats = picard(f, h, n, c.deq_tol, early)
        if early:
            self.last_stats = stats
        return z

    def __call__(self, block: nn.Module, h: Tensor, x0: Tensor) -> Tensor:
        f = self.map(block, h, x0)
        z = self.solve(f, h.detach())
        if torch.is_grad_enabled():
            lam = self.cfg.deq_phantom_damping
            for _ in range(self.cfg.deq_phantom_steps):  # unrolled phantom gradient
                z = (1.0 - lam) * z + lam * f(z)
        return z

    @staticmethod
    def map(block: nn.Module, h: Tensor, x0: Tensor) -> Map:
        """f(z) = h + (block(z) - z): the block's residual writes on z, injected on the input h."""
        return lambda z: h + (block(z, x0) - z)
