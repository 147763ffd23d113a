"""The baseline's attention: GQA with per-head RMS-normed q and k, RoPE, a learnable q gain, causal SDPA.

As openai/parameter-golf `train_gpt.py`: q and k are unit-RMS per head, so the per-head
`q_gain` sets the attention temperature; the output projection is zero-initialised.
Partial RoPE (`model.rope_dims`, PR #315) only changes the rotary tables' width.
Document masking (`model.doc_mask`, PR #1787 lineage "VarLen": cu_seqlens from BOS) restricts the
causal attention to the query's own document; on a packed training row (data.packing=documents) to the
query's piece of it (`segment_ids`, `packed_mask`). Every attention call goes through `attend`, the one
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


def segment_ids(ids: Tensor, bos: int, max_len: int = 0) -> Tensor:
    """(B, T) int32: the attention segment of each position (equal ids = one segment).

    A document starts at every BOS and at position 0 (the records' `_build_cu_seqlens` adds 0). With
    `max_len` > 0 each document is cut into pieces of at most `max_len` tokens counted from its start (PR
    #1787 lineage: `_build_cu_seqlens(..., max_doc_len=train_seq_len)` on the packed training row): a piece
    starts at p iff p is a BOS, p == 0, or (p - the last document start) % max_len == 0. Every boundary at
    or before q depends on the tokens 0..q only, so masking by segment stays causal.
    """
    pos = torch.arange(ids.size(-1), device=ids.device)
    start = (ids == bos) | (pos == 0)
    if max_len > 0:
        doc_start = torch.cummax(torch.where(start, pos, torch.zeros_like(pos)), dim=-1).values
        start = start | ((pos - doc_start) % max_len == 0)
    return torch.cumsum(start.to(torch.int32), dim=-1, dtype=torch.int32)


def document_mask(ids: Tensor, bos: int, max_len: int = 0) -> Tensor:
    """(B, 1, T, T) bool: key k is visible to query q iff k <= q and both lie in one segment (`segment_ids`:
    documents, cut into pieces of at most `max_len` tokens when `max_len` > 0).

    Whether q sees k depends on the tokens 0..q only: causal. Used by `attend` on every path.
    """
    seg = segment_ids(ids, bos, max_len)
    T = ids.size(-1)
    causal = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril()
    return ((seg[:, :, None] == seg[:, None, :]) & causal).unsqueeze(1)


# Packed rows (data.packing=documents: one 98,304-token row per rank in the records) cannot hold a dense
# (T, T) mask. Up to this length they still use it (bit-equal on CPU to the records' varlen attention as the
# tests run it); longer rows go through `Segments`.
DENSE_MAX_T = 4096


class Segments:
    """The document pieces of a packed row, for attention too long for a dense (T, T) mask.

    backend "flex" (CUDA): torch's FlexAttention with a block-sparse mask (`create_block_mask` over a document
    `mask_mod`; only blocks that hold visible pairs are computed); an eager call goes through one
    `torch.compile(flex_attention)` (eager FlexAttention materializes the scores). backend "blocks" (CPU, where
    FlexAttention has no backward): queries in blocks of QUERY_BLOCK positions, each against the keys from
    `max_len` positions before the block (no piece reaches further back), with that block's dense mask:
    memory O(block x (block + max_len)), and every call's shape is fixed by T alone, so it compiles and a
    changed future leaves the past bit for bit (one SDPA per segment would not: its length depends on where
    the next BOS falls).
    """

    QUERY_BLOCK = 1024

    def __init__(self, seg: Tensor, backend: str, max_len: int = 0):
        if backend not in ("flex", "blocks"):
            raise ValueError(f"unknown segment attention backend {backend!r}")
        self.seg, self.backend, self.max_len, self.block_mask = seg, backend, max_len, None
        if backend == "flex":
            from torch.nn.attention.flex_attention import create_block_mask

            def same_piece(b, h, q_idx, kv_idx):
                return (seg[b, q_idx] == seg[b, kv_idx]) & (kv_idx <= q_idx)

            B, T = seg.shape
            self.block_mask = create_block_mask(same_piece, B, None, T, T, device=seg.device)

    def attend(self, q: Tensor, k: Tensor, v: Tensor, scale: float | None = None) -> Tensor:
        gqa = k.size(1) != q.size(1)
        if self.backend == "flex":
            return _flex_attention()(q, k, v, block_mask=self.block_mask, scale=scale, enable_gqa=gqa)
        T = q.size(2)
        pos = torch.arange(T, device=q.device)
        parts = []
        for a in range(0, T, self.QUERY_BLOCK):
            e = min(a + self.QUERY_BLOCK, T)
            s = max(a - self.max_len, 0) if self.max_len > 0 else 0  # a query's piece starts at most max_len - 1 back
            mask = (self.seg[:, a:e, None] == self.seg[:, None, s:e]) & (pos[s:e][None, :] <= pos[a:e, None])
            parts.append(F.scaled_dot_product_attention(q[:, :, a:e], k[:, :, s:e], v[:, :, s:e],
                                                        attn_mask=mask.unsqueeze(1), scale=scale, enable_gqa=gqa))
        return torch.cat(parts, dim=2)


_FLEX_COMPILED = None


def _flex_attention():
    """flex_attention as it should run here: as is inside a compiled graph (and on CPU, where only the tests
    call its eager reference), else compiled once (eager FlexAttention on CUDA materializes the scores)."""
    global _FLEX_COMPILED
    from torch.nn.attention.flex_attention import flex_attention

    if torch.compiler.is_compiling() or not torch.cuda.is_available():
        return flex_attention
    if _FLEX_COMPILED is None:
        _FLEX_COMPILED = torch.compile(flex_attention, dynamic=False)
    return _FLEX_COMPILED


def packed_mask(ids: Tensor, bos: int, max_len: int) -> Tensor | Segments:
    """The attention mask of a packed training row: documents cut into `max_len` pieces (`segment_ids`).

    Where it runs: CUDA -> FlexAttention (block-sparse, `Segments` "flex"); CPU, T <= DENSE_MAX_T -> the dense
    boolean mask with SDPA; CPU, longer -> query blocks with their own dense masks (`Segments` "blocks"),
    eager or compiled.
    """
    if ids.is_cuda:
        return Segments(segment_ids(ids, bos, max_len), "flex", max_len)
    if ids.size(-1) <= DENSE_MAX_T:
        return document_mask(ids, bos, max_len)
    return Segments(segment_ids(ids, bos, max_len), "blocks", max_len)


def attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | Segments | None = None,
           scale: float | None = None) -> Tensor:
    """Causal GQA attention on (B, heads, T, hd); with `mask` (document_mask / packed_mask), causal within
    documents (or their pieces).

    SDPA with a boolean mask (bit-equal on CPU to the records' varlen attention as the tests run it), or a
    packed row's `Segments` (FlexAttention, or query blocks with their own masks).
    """
    if isinstance(mask, Segments):
        return mask.attend(q, k, v, scale)
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
        cos, sin = self.rotary.tables(T, x.device, q.dtype, None if self.fctx is None else self.fctx.rope)
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
