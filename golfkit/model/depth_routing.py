"""Mixture of Depths: a per-layer router lets only a capacity fraction of tokens through a block.

Sources: Raposo et al. 2024 "Mixture-of-Depths" (arXiv 2404.02258); PR #1783 (wish list, no
results): "top-50% token routing with an STE router and a load-balancing loss".

For a routed block b and router logits r = w . x (w: D -> 1, zero-init):

    x_out = where(hard, b(x, x0), x) + (sigmoid(r) - stopgrad(sigmoid(r))) * (b(x, x0) - x)

`hard` is the 0/1 routing decision; the second term is 0 in value (straight-through
estimator), so a skipped token passes through *bit-unchanged* and a routed token gets
exactly b(x); the router learns as if the gate were sigmoid(r). We compute b on every token and mask
(no gather): simple, compile-friendly, but it saves no compute; a gathered version is
the speed follow-up. Skipped tokens still serve as keys/values inside the routed block.

Routing decisions and causality. Top-k over the whole sequence (Raposo; PR #1783) lets
position t's decision depend on the router scores of later tokens, which see t's target:
a leak into the loss. So:

* "topk" (default, the PR's design): *training* routes the exact top-k = ceil(c*T) tokens
  of each sequence; *evaluation* routes token t iff sigmoid(r_t) > 0.5, a per-position,
  causal decision. The aux loss BCE(sigmoid(r), hard) teaches the router to predict its
  own top-k membership (Raposo's "auxiliary classifier"), which is also what keeps the
  eval-time load near c: it is our load-balancing loss. Train and eval routing differ.
* "causal": in both modes token t is routed iff r_t ranks within the top ceil(c*(t+1))
  of r_0..r_t (prefix rank): causal and identical in training and evaluation; the load is
  c on average, not exactly per sequence.

The aux loss (weight `mod_aux_weight`) is returned to `GPT.forward`, which adds it to the
cross-entropy when targets are given; it never touches the reported val_loss (eval calls
`hidden`/`logits` or forward without the aux term).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model.base import claim


def topk_mask(r: Tensor, capacity: float) -> Tensor:
    """(B, T) bool: the ceil(c*T) highest scores of each row."""
    k = max(1, math.ceil(capacity * r.shape[-1]))
    idx = r.topk(k, dim=-1).indices
    return torch.zeros_like(r, dtype=torch.bool).scatter(-1, idx, True)


def prefix_rank_mask(r: Tensor, capacity: float) -> Tensor:
    """(B, T) bool: r_t within the top ceil(c*(t+1)) of r_0..r_t (causal; O(T^2) compares)."""
    T = r.shape[-1]
    causal = torch.ones(T, T, dtype=torch.bool, device=r.device).tril()  # [t, s]: s <= t
    above = (r[:, None, :] > r[:, :, None]) & causal  # r_s > r_t for s <= t
    rank = above.sum(-1)  # (B, T)
    budget = torch.ceil(capacity * torch.arange(1, T + 1, device=r.device, dtype=torch.float32))
    return rank < budget


class Router(nn.Module):
    """One block's router: a zero-init D -> 1 linear (all scores equal at init)."""

    def __init__(self, dim: int):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(dim))
        claim(self, w="scalar")

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.w.to(x.dtype)  # (B, T) logits


class MoD(nn.Module):
    """Routers for the listed blocks; `route` wraps one block call."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        bad = [i for i in cfg.mod_layers if not 0 <= i < cfg.num_layers]
        if bad:
            raise GolfkitError(f"model.mod_layers has block indices outside [0, {cfg.num_layers}): {bad}")
        if not 0.0 < cfg.mod_capacity <= 1.0:
            raise GolfkitError(f"model.mod_capacity must be in (0, 1], got {cfg.mod_capacity}")
        self.cfg = cfg
        self.routers = nn.ModuleDict({str(i): Router(cfg.model_dim) for i in sorted(set(cfg.mod_layers))})

    def routes(self, layer: int) -> bool:
        return str(layer) in self.routers

    def decide(self, r: Tensor) -> Tensor:
        """The hard 0/1 routing decision (see the module docstring for train vs eval)."""
        c = self.cfg.mod_capacity
        if self.cfg.mod_routing == "causal":
            return prefix_rank_mask(r, c)
        return topk_mask(r, c) if self.training else r > 0.0  # sigmoid(r) > 0.5

    def route(self, layer: int, block: nn.Module, x: Tensor, x0: Tensor) -> tuple[Tensor, Tensor]:
        """(new x, weighted aux loss) for one routed block call."""
        r = self.routers[str(layer)](x).float()  # (B, T) logits
        hard = self.decide(r)
        soft = torch.sigmoid(r)
        ste = (soft - soft.detach()).to(x.dtype)[..., None]  # 0 in value; carries the router's gradient
        y = block(x, x0)
        # value: exactly y on routed tokens, exactly x (bit-unchanged) on skipped ones
        out = torch.where(hard[..., None], y, x) + ste * (y - x)
        aux = F.binary_cross_entropy_with_logits(r, hard.float())
        return out, self.cfg.mod_aux_weight * aux
