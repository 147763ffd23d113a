"""Attention switches (the records' attention variants), as `SwitchedAttention`, a CausalSelfAttention subclass.

Sources, one line each:

* XSA, exclusive self-attention: arXiv 2603.09078; PR #265/#287 -> rec 03-20 (last 3/4), PR #478 (all);
  `xsa_form="projection"`: swapp1990#2's y - (y.v / max(v.v, 1e-8)) v (the same map, other rounding);
* attention output gates: dense = Qwen G1 (arXiv 2505.06708, PR #1736); narrow 2*sigmoid = PR #1667;
  sparse sigmoid(s*W x[:12]) = PR #1787 (SOTA s = 0.5);
* value embeddings (VE128): PR #374 -> rec 03-22 (the shared table lives in golfkit.model.embeddings);
* value residual: ResFormer (arXiv 2410.17897), PRs #486/#490/#569 (a negative result in the records);
* differential attention: arXiv 2410.05258 (Diff Transformer), tried in PR #675 (too slow there).
(Partial RoPE and NTK scaling are the base attention's rotary tables: golfkit/model/base.py.)

`AttentionSwitches` holds the per-layer parameters; the builder makes a layer a
`SwitchedAttention` only when one of these switches is on there (`needs_switches`), so the
baseline's parameter names and count are untouched.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.attention import CausalSelfAttention, attend, xsa_on
from golfkit.model.base import ForwardContext, claim, own_rng


# ----------------------------------------------------------------------------------
# XSA
# ----------------------------------------------------------------------------------
def xsa(y: Tensor, v: Tensor) -> Tensor:
    """y <- y - (y . v_hat) v_hat per head, v_hat = the same position's unit value of its KV head.

    y: (B, H, T, hd) SDPA output; v: (B, Hkv, T, hd). Query head h uses KV head h // group
    (SDPA's enable_gqa grouping), so y is viewed as (B, Hkv, group, T, hd) and v_hat broadcast
    over the group axis: no repeat_interleave (the records' GQA-efficient form, 2 vs 7 ms/step;
    they reshape a (B, T, H, hd) layout to (B, T, Hkv, group, hd), the same grouping).
    """
    B, H, T, hd = y.shape
    hkv = v.size(1)
    yg = y.view(B, hkv, H // hkv, T, hd)
    vn = F.normalize(v, dim=-1).unsqueeze(2)
    return (yg - (yg * vn).sum(-1, keepdim=True) * vn).view(B, H, T, hd)


def xsa_projection(y: Tensor, v: Tensor) -> Tensor:
    """swapp1990#2's XSA: y - (y.v / max(v.v, 1e-8)) v, with v repeated to every query head of its group
    (`repeat_interleave`, SDPA's enable_gqa grouping). Equal to `xsa` up to floating-point rounding."""
    v = v.repeat_interleave(y.size(1) // v.size(1), dim=1)
    dot_yv = (y * v).sum(dim=-1, keepdim=True)
    dot_vv = (v * v).sum(dim=-1, keepdim=True).clamp_min(1e-8)
    return y - (dot_yv / dot_vv) * v


# ----------------------------------------------------------------------------------
# differential attention
# ----------------------------------------------------------------------------------
def _subhead(x: Tensor, j: int) -> Tensor:
    """Sub-head j of a half-split-RoPE head: every other rotation pair, both halves.

    RoPE pairs dim i with dim i + hd/2; taking pairs j, j+2, ... keeps whole pairs, so the
    sub-head dot product stays a function of relative position. Returns (..., hd/2).
    """
    *lead, hd = x.shape
    return x.view(*lead, 2, hd // 2)[..., j::2].reshape(*lead, hd // 2)


def diff_lambda_init(layer_idx: int) -> float:
    """Diff Transformer's depth schedule, 0.8 - 0.6 exp(-0.3 (l-1)) with l = layer_idx + 1."""
    return 0.8 - 0.6 * math.exp(-0.3 * layer_idx)


def diff_attention(q: Tensor, k: Tensor, v: Tensor, lam: Tensor, lam_init: float,
                   mask: Tensor | None = None) -> Tensor:
    """softmax(q1 k1) v - lambda * softmax(q2 k2) v, per-head RMS-normed, times (1 - lambda_init)."""
    hd = q.size(-1)
    # Flash SDPA needs q, k and v of one head size (with only flash enabled on CUDA, hd/2-wide
    # q, k beside hd-wide v raised "Invalid backend" on an H100): zero-pad the sub-heads back to
    # hd, which leaves every dot product unchanged, and keep the sub-head's 1/sqrt(hd/2) scale.
    sub = lambda x, j: F.pad(_subhead(x, j), (0, hd - hd // 2))  # noqa: E731
    scale = (hd // 2) ** -0.5
    a1 = attend(sub(q, 0), sub(k, 0), v, mask, scale=scale)
    a2 = attend(sub(q, 1), sub(k, 1), v, mask, scale=scale)
    y = a1 - lam.to(a1.dtype)[None, :, None, None] * a2
    return F.rms_norm(y, (y.size(-1),)) * (1.0 - lam_init)


# ----------------------------------------------------------------------------------
# per-layer switch parameters
# ----------------------------------------------------------------------------------
class AttentionSwitches(nn.Module):
    """The parameters and hooks of the switches active in one attention layer.

    Optimizer routing: every tensor here is a small control tensor (gate matrices H x 12 or
    H x D, per-layer scalars) -> "scalar" (Adam), as the records route `attn_gate`, `ve_scale`,
    `vr_lambda` through CONTROL_TENSOR_NAME_PATTERNS; they then export as fp32 passthrough.
    """

    def __init__(self, cfg: ModelConfig, layer_idx: int, num_heads: int, fctx):
        super().__init__()
        self.layer_idx, self.fctx = layer_idx, fctx
        self.xsa, self.gate_kind, self.window = xsa_on(cfg, layer_idx), cfg.attn_gate, cfg.gate_window
        self.xsa_fn = xsa_projection if cfg.xsa_form == "projection" else xsa
        self.gate_scale = cfg.attn_gate_scale
        if cfg.attn_gate == "dense":  # W_g in R^{H x d}, init N(0, 0.005) (Qwen G1)
            with own_rng(4100 + layer_idx):
                self.gate_w = nn.Parameter(torch.randn(num_heads, cfg.model_dim) * cfg.dense_gate_init_std)
        elif cfg.attn_gate in ("narrow", "sparse"):  # W: 12 -> H, zero-init
            self.gate_w = nn.Parameter(torch.zeros(num_heads, cfg.gate_window))
        if cfg.attn_gate != "none":
            claim(self, gate_w="scalar")
        self.use_ve = cfg.ve_dim > 0 and layer_idx in cfg.ve_layers
        if self.use_ve:  # per-layer learned scale on the shared value embedding (init 1)
            self.ve_scale = nn.Parameter(torch.ones((), dtype=torch.float32))
            claim(self, ve_scale="scalar")
        self.value_residual = cfg.value_residual and layer_idx > 0
        self.store_v0 = cfg.value_residual and layer_idx == 0
        if self.value_residual:  # v <- v + sigmoid(alpha) v_layer0, alpha init 0
            self.vr_alpha = nn.Parameter(torch.zeros((), dtype=torch.float32))
            claim(self, vr_alpha="scalar")
        self.diff = cfg.diff_attn
        if self.diff:  # per-head lambda, init the depth schedule
            self.lam_init = diff_lambda_init(layer_idx)
            self.diff_lambda = nn.Parameter(torch.full((num_heads,), self.lam_init, dtype=torch.float32))
            claim(self, diff_lambda="scalar")

    def values(self, v: Tensor) -> Tensor:
        """VE add and value residual on v (B, Hkv, T, hd), before attention."""
        if self.use_ve:
            B, hkv, T, hd = v.shape
            ve = self.fctx.ve.view(B, T, hkv, hd).transpose(1, 2)
            v = v + self.ve_scale.to(v.dtype) * ve.to(v.dtype)
        if self.store_v0:
            self.fctx.v0 = v
        elif self.value_residual and self.fctx.v0 is not None:
            v = v + torch.sigmoid(self.vr_alpha).to(v.dtype) * self.fctx.v0
        return v

    def attend(self, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None = None) -> Tensor:
        if self.diff:
            return diff_attention(q, k, v, self.diff_lambda, self.lam_init, mask)
        return attend(q, k, v, mask)

    def post(self, y: Tensor, v: Tensor, x: Tensor) -> Tensor:
        """XSA, then the output gate; y (B, H, T, hd), x = the attention's (normed) input."""
        if self.xsa:
            y = self.xsa_fn(y, v)
        if self.gate_kind == "none":
            return y
        w = self.gate_w.to(x.dtype)
        if self.gate_kind == "dense":
            g = torch.sigmoid(F.linear(x, w))
        elif self.gate_kind == "narrow":
            g = 2.0 * torch.sigmoid(F.linear(x[..., : self.window], w))
        else:
            g = torch.sigmoid(self.gate_scale * F.linear(x[..., : self.window], w))
        return y * g.transpose(1, 2).unsqueeze(-1)  # (B, T, H) -> (B, H, T, 1)


class SwitchedAttention(CausalSelfAttention):
    """The baseline attention plus this layer's switches (`switches`: state-dict names attn.switches.*)."""

    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: ForwardContext | None = None):
        super().__init__(cfg, layer_idx, fctx)
        self.switches = AttentionSwitches(cfg, layer_idx, self.num_heads, fctx)

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape
        q, k, v = self.qkv(x, self.switches.values)  # value embeddings / value residual
        y = self.switches.post(self.switches.attend(q, k, v, self.doc_mask()), v, x)  # diff attn; XSA, output gate
        return self.proj(y.transpose(1, 2).reshape(B, T, D))
