"""The baseline's attention: GQA with per-head RMS-normed q and k, RoPE, a learnable q gain, causal SDPA.

As openai/parameter-golf `train_gpt.py`: q and k are unit-RMS per head, so the per-head
`q_gain` sets the attention temperature; the output projection is zero-initialised.
Partial RoPE (`model.rope_dims`, PR #315) only changes the rotary tables' width.

The attention switches (XSA, output gates, value embeddings, value residual, differential
attention) are a subclass, `golfkit.model.attention_variants.SwitchedAttention`, which the
builder (golfkit/model/gpt.py) picks per layer with `needs_switches`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.base import CastedLinear, ForwardContext, Rotary, apply_rope, claim


def xsa_on(cfg: ModelConfig, layer_idx: int) -> bool:
    """XSA on this layer: the last `xsa_last_n` layers (-1 = all, 0 = none)."""
    n = cfg.num_layers if cfg.xsa_last_n == -1 else cfg.xsa_last_n
    return layer_idx >= cfg.num_layers - n


def needs_switches(cfg: ModelConfig, layer_idx: int) -> bool:
    """Whether layer `layer_idx` runs any attention switch (then it is a SwitchedAttention)."""
    return bool(xsa_on(cfg, layer_idx) or cfg.attn_gate != "none" or cfg.value_residual
                or cfg.diff_attn or (cfg.ve_dim > 0 and layer_idx in cfg.ve_layers))


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: ForwardContext | None = None):
        super().__init__()
        dim, nh, nkv = cfg.model_dim, cfg.num_heads, cfg.num_kv_heads
        if dim % nh != 0:
            raise ValueError("model_dim must be divisible by num_heads")
        if nh % nkv != 0:
            raise ValueError("num_heads must be divisible by num_kv_heads")
        self.num_heads, self.num_kv_heads, self.head_dim = nh, nkv, dim // nh
        if self.head_dim % 2 != 0:
            raise ValueError("head_dim must be even for RoPE")
        kv_dim = nkv * self.head_dim
        self.c_q = CastedLinear(dim, dim)
        self.c_k = CastedLinear(dim, kv_dim)
        self.c_v = CastedLinear(dim, kv_dim)
        self.proj = CastedLinear(dim, dim, zero_init=True)
        self.q_gain = nn.Parameter(torch.full((nh,), cfg.qk_gain_init, dtype=torch.float32))
        claim(self, q_gain="scalar")
        self.rotary = Rotary(cfg.rope_dims or self.head_dim, cfg.rope_base)  # partial RoPE: the first rope_dims

    def qkv(self, x: Tensor, values=None) -> tuple[Tensor, Tensor, Tensor]:
        """q, k, v as (B, heads, T, head_dim): q and k normed and rotated, q times q_gain.

        `values(v)` (the switches' value embeddings / value residual) acts on v before the norms.
        """
        B, T, _ = x.shape
        q = self.c_q(x).reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.c_k(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.c_v(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        if values is not None:
            v = values(v)
        q, k = F.rms_norm(q, (self.head_dim,)), F.rms_norm(k, (self.head_dim,))
        cos, sin = self.rotary(T, x.device, q.dtype)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        q = q * self.q_gain.to(q.dtype)[None, :, None, None]
        return q, k, v

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape  # (batch, time, model_dim)
        q, k, v = self.qkv(x)
        y = F.scaled_dot_product_attention(
            q, k, v, is_causal=True, enable_gqa=self.num_kv_heads != self.num_heads
        )  # (B, H, T, head_dim)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))
