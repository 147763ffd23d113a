"""Full-Hessian GPTQ (Frantar et al. 2022, arXiv:2210.17323) as used by the records (PR #1019, rec 03-25).

Hessians: H = X^T X / n of every linear layer's input, collected with forward hooks and
keyed by the weight's state-dict name. A layer that runs several times per forward (a
looped block) accumulates every pass, because its hook fires on each call. The tied
embedding gets the LM head's input, i.e. the final-norm output (`GPT.hidden`).

Quantization of one matrix W (rows x cols) with H (cols x cols), as rec 03-25 / PR #1019:
dead inputs (H_jj = 0) get H_jj = 1 and a zeroed column; damping `damp * mean(diag H)`;
act-order (columns by descending diag H); U = upper Cholesky of H^-1; per block of 128
columns, quantize column by column and push each column's scaled error onto the rest of
the block, then push the block's errors onto all later columns at once (lazy update).
Scales are fixed before error propagation, from the original weights (as the record).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from golfkit.dist import all_reduce_sum
from golfkit.errors import GolfkitError
from golfkit.eval.score import autocast_for
from golfkit.model.base import CastedLinear
from golfkit.quant.formats import expand_scale, qmax_for


class HessianCollector:
    """Forward hooks accumulating X^T X (fp32, on the model's device) per weight name."""

    def __init__(self, model: nn.Module, names: set[str] | None = None):
        self.h: dict[str, Tensor] = {}
        self.n: dict[str, int] = {}
        self.handles = []
        for mname, mod in model.named_modules():
            key = f"{mname}.weight"
            if isinstance(mod, CastedLinear) and (names is None or key in names):
                self.handles.append(mod.register_forward_hook(self._hook(key, output=False)))
        tied = getattr(getattr(model, "cfg", None), "tie_embeddings", False)
        if tied and hasattr(model, "final_norm") and (names is None or "tok_emb.weight" in names):
            # LM-head input = final-norm output (the tied head is F.linear, not a module)
            self.handles.append(model.final_norm.register_forward_hook(self._hook("tok_emb.weight", output=True)))

    def _hook(self, key: str, output: bool):
        def fn(mod, inputs, out):
            x = (out if output else inputs[0]).detach()
            x = x.reshape(-1, x.shape[-1]).float()
            if key not in self.h:
                self.h[key] = torch.zeros(x.shape[1], x.shape[1], device=x.device)
                self.n[key] = 0
            self.h[key].addmm_(x.T, x)
            self.n[key] += x.shape[0]
        return fn

    def remove(self) -> None:
        for h in self.handles:
            h.remove()
        self.handles = []

    def hessians(self) -> dict[str, Tensor]:
        """Mean X^T X per weight name, summed over ranks when distributed, on the model's device."""
        out = {}
        for key in sorted(self.h):
            total = all_reduce_sum(torch.cat([self.h[key].flatten(), torch.tensor([float(self.n[key])],
                                                                                     device=self.h[key].device)]))
            d = self.h[key].shape[0]
            out[key] = total[:-1].reshape(d, d) / total[-1].clamp_min(1.0)
        return out


@torch.no_grad()
def collect_hessians(model: nn.Module, batches: Iterable[Tensor], names: set[str] | None = None) -> dict[str, Tensor]:
    """Run `model.hidden` over input-id batches with hooks on; return {weight name: H}."""
    col = HessianCollector(model, names)
    was = model.training
    model.eval()
    try:
        for x in batches:
            with autocast_for(x.device):
                model.hidden(x)
    finally:
        col.remove()
        model.train(was)
    return col.hessians()


def damp_hessian(h: Tensor, damp: float) -> Tensor:
    """H + damp*mean(diag H)*I with the mean floored at 1e-6: PR #1290's damping at collection time
    (`collect_hessians_from_tokens`), which its GPTQ then damps a second time (quant.gptq_damp_twice)."""
    H = h.detach().float().clone()
    lam = damp * torch.diag(H).mean().clamp_min(1e-6)
    return H + lam * torch.eye(H.shape[0], dtype=H.dtype, device=H.device)


def _inverse_cholesky(h: Tensor, damp: float) -> Tensor:
    """Upper Cholesky factor of H^-1 (H already damped); if H is still not positive definite, retry
    with 10x .. 1e5x more damping."""
    mean_diag = float(torch.diag(h).mean())
    eye = torch.eye(h.shape[0], dtype=h.dtype, device=h.device)
    for attempt in range(6):
        lam = 0.0 if attempt == 0 else damp * (10 ** attempt) * max(mean_diag, 1e-12)
        L, info = torch.linalg.cholesky_ex(h + lam * eye if lam else h)
        if int(info) == 0:
            hinv = torch.cholesky_inverse(L)
            U, info = torch.linalg.cholesky_ex(hinv, upper=True)
            if int(info) == 0:
                return U
    raise GolfkitError("GPTQ: the Hessian is not positive definite even with 1e5x damping (bad calibration data?)")


@torch.no_grad()
def gptq_codes(w: Tensor, h: Tensor, scale: Tensor, bits: int, *, damp: float = 0.01, block: int = 128,
               act_order: bool = True) -> Tensor:
    """Integer codes (rows, cols) of W on the grid `scale` (rows, ngroups), minimising tr(E H E^T).

    Damping and column order as the records compute them (PR #1290 `quantize_int6_gptq`, PR #1855
    `gptq_quantize_weight`): dead inputs get H_jj = 1, then `damp * mean(diag H)` (an fp32 tensor op)
    is added to the diagonal, then the columns are ordered by the *damped* diagonal.
    """
    qmax = qmax_for(bits)
    W = w.detach().float().clone()
    H = h.detach().float().to(W.device).clone()
    S = expand_scale(scale.to(W.device), W.shape[1])
    dead = torch.diag(H) == 0
    H[dead, dead] = 1.0
    W[:, dead] = 0.0
    H.diagonal().add_(damp * H.diag().mean())
    perm = torch.argsort(torch.diag(H), descending=True) if act_order else torch.arange(W.shape[1], device=W.device)
    W, S, H = W[:, perm], S[:, perm], H[perm][:, perm]
    U = _inverse_cholesky(H, damp)
    Q = torch.zeros_like(W)
    cols = W.shape[1]
    for i1 in range(0, cols, block):
        i2 = min(i1 + block, cols)
        W1, U1 = W[:, i1:i2].clone(), U[i1:i2, i1:i2]
        E1 = torch.zeros_like(W1)
        for i in range(i2 - i1):
            s = S[:, i1 + i]
            q = torch.clamp(torch.round(W1[:, i] / s), -qmax, qmax)
            Q[:, i1 + i] = q
            err = (W1[:, i] - q * s) / U1[i, i]
            W1[:, i:] -= err[:, None] * U1[i, i:][None, :]
            E1[:, i] = err
        if i2 < cols:
            W[:, i2:] -= E1 @ U[i1:i2, i2:]  # the lazy batch update of all later columns
    out = torch.empty_like(Q)
    out[:, perm] = Q
    return out.cpu()


def hessian_error(w: Tensor, w_hat: Tensor, h: Tensor) -> float:
    """Relative Hessian-weighted error sqrt(tr(E H E^T) / tr(W H W^T)), E = W - W_hat."""
    w, e = w.float().cpu(), (w.float() - w_hat.float()).cpu()
    h = h.float().cpu()
    num = float(((e @ h) * e).sum())
    den = float(((w @ h) * w).sum())
    return (max(num, 0.0) / den) ** 0.5 if den > 0 else 0.0
