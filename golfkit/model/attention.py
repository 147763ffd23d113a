"""The baseline's attention: GQA with per-head RMS-normed q and k, RoPE, a learnable q gain, causal SDPA.

As openai/parameter-golf `train_gpt.py`: q and k are unit-RMS per head, so the per-head
`q_gain` sets the attention temperature; the output projection is zero-initialised.
Partial RoPE (`model.rope_dims`, PR #315) only changes the rotary tables' width.
Document masking (`model.doc_mask`, PR #1787 lineage "VarLen": cu_seqlens from BOS) restricts the
causal attention to the query's own document; every attention call goes through `attend`, the one
place an attention backend is chosen.

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


def document_mask(ids: Tensor, bos: int) -> Tensor:
    """(B, 1, T, T) bool: key k is visible to query q iff k <= q and both lie in one document.

    A document starts at every BOS and at position 0 (the records' `_build_cu_seqlens` adds 0), so
    whether q sees k depends on the tokens k..q only: causal. Used by `attend` on every path.
    """
    doc = torch.cumsum((ids == bos).to(torch.int32), dim=-1)  # document index of each position
    T = ids.size(-1)
    causal = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril()
    return ((doc[:, :, None] == doc[:, None, :]) & causal).unsqueeze(1)


def attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None = None, scale: float | None = None) -> Tensor:
    """Causal GQA attention on (B, heads, T, hd); with `mask` (document_mask), causal within documents.

    SDPA with a boolean mask on CPU (bit-equal to the records' varlen attention there); a faster varlen
    backend (FlashAttention's varlen, flex attention) can replace the masked branch on GPU.
    """
    gqa = k.size(1) != q.size(1)
    if mask is None:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale, enable_gqa=gqa)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale, enable_gqa=gqa)


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
        self.fctx = fctx  # GPT's per-forward values: the document mask when model.doc_mask is on
        if self.head_dim % 2 != 0:
            raise ValueError("head_dim must be even for RoPE")
        kv_dim = nkv * self.head_dim
        self.c_q = CastedLinear(dim, dim)
        self.c_k = CastedLinear(dim, kv_dim)
        self.c_v = CastedLinear(dim, kv_dim)
        self.proj = CastedLinear(dim, dim, zero_init=True)
        self.q_gain = nn.Parameter(torch.full((nh,), cfg.qk_gain_init, dtype=torch.float32))
        claim(self, q_gain="scalar")
        # partial RoPE: the first rope_dims; the runs' RoPE numerics (rope_dtype, rope_train_len)
        self.rotary = Rotary(cfg.rope_dims or self.head_dim, cfg.rope_base, cfg.rope_dtype, cfg.rope_train_len)

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

    def doc_mask(self) -> Tensor | None:
        return None if self.fctx is None else self.fctx.attn_mask

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape  # (batch, time, model_dim)
        q, k, v = self.qkv(x)
        y = attend(q, k, v, self.doc_mask())  # (B, H, T, head_dim)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))
