"""Parallel-residual blocks: subclasses of the baseline `Block`, chosen per layer by golfkit/model/gpt.py.

Off under the default `ModelConfig` (the baseline). Sources, one line each:

* two lanes: modded-nanogpt PR #230 -> PR #1204 (rec 03-31, P=7; SOTA P=8): attention reads
  lane 0, the MLP lane 1, a learned 2x2 `lane_post` and per-lane `lane_resid`;
* GPT-J form (attn and MLP from the same input): rec 04-06;
* `two_lane_form="pr1787"`: PR #1787..#2135's `_parallel_block` (attention reads resid_mix(lane 0, x0)
  but lane 0 is carried unmixed, the MLP reads lane 1 before attention writes it, both outputs go to
  both lanes in one sum); the lane parameters live in GPT for every layer (as the records' (L, 2, 2)
  `parallel_post_lambdas` / (L, 2) `parallel_resid_lambdas`) and GPT passes this layer's rows; GPT
  merges the U-Net skip into lane 0 only (GPT.merge_skip).

Both keep every parameter name of `Block` (state dicts and optimizer routing are unchanged)
and read its submodules directly: they are blocks, not functions applied to one.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.attention import CausalSelfAttention
from golfkit.model.base import ForwardContext, claim
from golfkit.model.blocks import Block


class TwoLaneBlock(Block):
    """One block with two residual lanes; returns the lanes stacked, shape (2, B, T, D).

    Lane 0 feeds attention (after resid_mix with x0), lane 1 feeds the MLP. Each output
    writes into both lanes: lane_a <- r_a*lane_a + post[a,0]*attn; lane_a += post[a,1]*mlp.
    A (B, T, D) input is the split point (physical layer P): both lanes start as x. With
    post = 1 and r = 1 both lanes equal the sequential block exactly (tested).
    Stacking lanes in one tensor lets U-Net skips broadcast over them unchanged.
    """

    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: ForwardContext | None = None,
                 attention: type[CausalSelfAttention] = CausalSelfAttention):
        super().__init__(cfg, layer_idx, fctx, attention)
        self.records_form = cfg.two_lane_form == "pr1787"
        if self.records_form:  # GPT holds the lane parameters of every layer and passes this layer's rows
            return
        # lane_post[a, j] = how much source j (0 = attn, 1 = MLP) writes into lane a (init 1); per-lane
        # lane_resid (init parallel_resid_init). Control tensors -> the "scalar" (Adam) group, as the
        # records' CONTROL_TENSOR patterns.
        self.lane_post = nn.Parameter(torch.ones(2, 2, dtype=torch.float32))
        self.lane_resid = nn.Parameter(torch.full((2,), cfg.parallel_resid_init, dtype=torch.float32))
        claim(self, lane_post="scalar", lane_resid="scalar")

    def forward(self, x: Tensor, x0: Tensor, post: Tensor | None = None, resid: Tensor | None = None) -> Tensor:
        l0, l1 = (x, x) if x.dim() == 3 else x.unbind(0)
        if self.records_form:
            return self.records_forward(l0, l1, x0, post, resid)
        mix, post, r = self.resid_mix.to(x.dtype), self.lane_post.to(x.dtype), self.lane_resid.to(x.dtype)
        l0 = mix[0] * l0 + mix[1] * x0
        a = self.attn_scale.to(x.dtype) * self.attn(self.attn_norm(l0) * self.ln_scale)
        l0, l1 = r[0] * l0 + post[0, 0] * a, r[1] * l1 + post[1, 0] * a
        m = self.mlp_scale.to(x.dtype) * self.mlp(self.mlp_norm(l1) * self.ln_scale)
        return torch.stack((l0 + post[0, 1] * m, l1 + post[1, 1] * m))

    def records_forward(self, l0: Tensor, l1: Tensor, x0: Tensor, post: Tensor, resid: Tensor) -> Tensor:
        """PR #1787's `_parallel_block`, term for term; post[a, j] = source j into lane a, resid[a]."""
        mix = self.resid_mix.to(l0.dtype)
        a = self.attn(self.attn_norm(mix[0][None, None, :] * l0 + mix[1][None, None, :] * x0) * self.ln_scale)
        a = self.attn_scale.to(a.dtype)[None, None, :] * a
        m = self.mlp_scale.to(l1.dtype)[None, None, :] * self.mlp(self.mlp_norm(l1) * self.ln_scale)
        post, r = post.to(l0.dtype), resid.to(l0.dtype)
        return torch.stack((r[0] * l0 + post[0, 0] * a + post[0, 1] * m, r[1] * l1 + post[1, 0] * a + post[1, 1] * m))


class GPTJBlock(Block):
    """GPT-J form (rec 04-06): attn and MLP read the same normed input; both add to x."""

    def forward(self, x: Tensor, x0: Tensor) -> Tensor:
        mix = self.resid_mix.to(x.dtype)
        x = mix[0] * x + mix[1] * x0
        a = self.attn(self.attn_norm(x) * self.ln_scale)
        m = self.mlp(self.mlp_norm(x) * self.ln_scale)
        return x + self.attn_scale.to(x.dtype) * a + self.mlp_scale.to(x.dtype) * m

