"""The model's primitives: optimizer routing, RMSNorm, the casted linear, RoPE, per-forward values.

Every other module of `golfkit.model` builds on these and nothing here imports them back.

Parameter routing is explicit (the baseline routes by name substrings; a misspelt pattern
silently sends a tensor to the wrong optimizer): every module declares which optimizer
group each of its own parameters belongs to with `claim()`, and `GPT.param_groups()`
refuses a parameter that no module claimed.

Extension slots (the contract for weight-level techniques; both None = the baseline):
`CastedLinear.weight_transform` (QAT fake quantization: golfkit/quant/qat.py) and
`CastedLinear.adapter` (per-pass LoRA in golfkit/model/recurrence.py, TTT LoRA in
golfkit/eval/ttt_lora.py), plus `GPT.head_adapter` for the LM head.
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

# Optimizer groups. matrix -> Muon; the rest -> Adam with their own learning rates. "scalar" holds the
# control tensors (the quantizer keeps them as floats); "matrix_adam" = matrices trained by the scalar AdamW
# instead of Muon and quantized as matrices (PR #1290's BigramHash/VE projections); "frozen" = parameters no
# optimizer updates and no gradient reaches (swapp1990#2's SmearGate, PR #2135's softcaps): their modules set
# requires_grad False and read them detached.
GROUPS = ("matrix", "scalar", "embed", "head", "matrix_adam", "frozen")


def claim(module: nn.Module, **groups: str) -> None:
    """Declare the optimizer group of some of `module`'s own parameters."""
    table = module.__dict__.setdefault("optim_groups", {})
    for name, group in groups.items():
        assert group in GROUPS, f"unknown optimizer group {group!r}"
        table[name] = group


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@contextlib.contextmanager
def own_rng(offset: int):
    """Draw a switch's random init from its own stream (the run seed + offset).

    The global stream is restored afterwards, so switching a module on leaves every baseline
    tensor's init unchanged: same seed -> same baseline weights, a cleaner ablation, and
    "identity at init" can be tested at the same seed.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(torch.initial_seed() + offset)
        yield


class ForwardContext:
    """Per-forward values that blocks need but `Block.forward(x, x0)` does not carry.

    GPT.embed() fills it (token ids, the value-embedding output); physical layer 0's
    attention adds its V for value residual. A plain object (not a module): nothing in it
    is a parameter or goes into the state dict.
    """

    def __init__(self) -> None:
        self.input_ids: Tensor | None = None
        self.ve: Tensor | None = None  # (B, T, kv_dim) value embedding, before per-layer scale
        self.v0: Tensor | None = None  # (B, Hkv, T, hd) layer 0's values, for value residual
        # (B, 1, T, T) document mask (model.doc_mask), or a packed row's attention.Segments; None = plain causal
        self.attn_mask: Any = None
        # RoPE (cos, sin) tables computed in this forward, shared by every layer (one dict per GPT forward,
        # None outside one): the reference computes them once and caches them; recomputing them per layer cost
        # 9 table computations per forward where one suffices
        self.rope: dict | None = None


class RMSNorm(nn.Module):
    """RMSNorm with no learned gain (the baseline's choice: fewer control tensors)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.rms_norm(x, (x.size(-1),))


class CastedLinear(nn.Linear):
    """fp32 master weights, cast to the activation dtype at matmul time (bf16 compute).

    Two optional add-ons, both None by default (then this is a plain linear):
    * `weight_transform(w) -> w'`: applied to the weight before the matmul (fake
      quantization for QAT, noise for Noisy QAT);
    * `adapter(x) -> dy`: a parallel path added to the output (LoRA for TTT). Training
      and test-time forwards go through this one module, so no path can miss a feature.
    """

    def __init__(self, in_features: int, out_features: int, group: str = "matrix", zero_init: bool = False):
        super().__init__(in_features, out_features, bias=False)
        self.zero_init = zero_init
        self.weight_transform = None
        self.adapter: nn.Module | None = None
        claim(self, weight=group)

    def forward(self, x: Tensor) -> Tensor:
        w = self.weight if self.weight_transform is None else self.weight_transform(self.weight)
        y = F.linear(x, w.to(x.dtype))
        return y if self.adapter is None else y + self.adapter(x)


class Rotary(nn.Module):
    """RoPE cos/sin tables (half-split layout, as the baseline).

    `dtype` (model.rope_dtype) reproduces a run that cast its model with `.bfloat16()`, which casts this
    buffer: "bf16_freq" rounds the frequencies to bf16 and computes fp32 angles (PR #1787..#2135 upcast the
    buffer); "bf16" also takes the positions and angles in bf16 (the challenge baseline's `arange(T,
    dtype=inv_freq.dtype)`, swapp1990#2, PR #1290): above 256 tokens the positions round to even numbers.
    `train_len` > 0 (model.rope_train_len): longer sequences use the NTK base base*(T/train_len)^(d/(d-2)),
    fresh in fp32, in training and eval alike (PR #1290's Rotary(train_seq_len=1024)).
    """

    def __init__(self, dim: int, base: float, dtype: str = "fp32", train_len: int = 0):
        super().__init__()
        self.dim, self.base, self.rope_dtype, self.train_len = dim, base, dtype, train_len
        self.ntk_scale = 1.0
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def set_ntk_scale(self, scale: float) -> None:
        """NTK-aware RoPE for eval longer than training: base' = base * s^(d/(d-2)); 1.0 = off, exactly.

        From rec 03-19_WarmdownQuantization; golfkit.eval.windows.rope_scaled sets it.
        """
        self.ntk_scale = scale
        base = self.base * scale ** (self.dim / (self.dim - 2)) if scale != 1.0 else self.base
        ar = torch.arange(0, self.dim, 2, dtype=torch.float32, device=self.inv_freq.device)
        self.inv_freq = 1.0 / (base ** (ar / self.dim))

    def forward(self, seq_len: int, device: torch.device, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
        # Recomputed on every call (a (T, d/2) outer product: negligible, and fused under compile).
        # A cached table would leak inference-mode tensors from validation into training and
        # Python-side cache checks break torch.compile's fullgraph capture.
        inv = self.inv_freq.to(device)
        if self.train_len and seq_len > self.train_len:
            base = self.base * (seq_len / self.train_len) ** (self.dim / (self.dim - 2))
            inv = 1.0 / (base ** (torch.arange(0, self.dim, 2, dtype=torch.float32, device=device) / self.dim))
        elif self.rope_dtype == "bf16":
            inv = inv.bfloat16()
        elif self.rope_dtype == "bf16_freq":
            inv = inv.bfloat16().float()
        t = torch.arange(seq_len, device=device, dtype=inv.dtype)
        freqs = torch.outer(t, inv)
        return freqs.cos()[None, None].to(dtype), freqs.sin()[None, None].to(dtype)

    def tables(self, seq_len: int, device: torch.device, dtype: torch.dtype,
               shared: dict | None) -> tuple[Tensor, Tensor]:
        """`forward`'s tables, looked up in `shared` (ForwardContext.rope) when one forward gives one.

        Every layer's Rotary is built from one config and NTK-scaled together (golfkit.eval.windows), so equal
        keys hold equal tables: the first layer computes them, the others reuse them, bit for bit.
        """
        if shared is None:
            return self(seq_len, device, dtype)
        key = (self.dim, self.base, self.rope_dtype, self.train_len, self.ntk_scale, seq_len, str(device), str(dtype))
        if key not in shared:
            shared[key] = self(seq_len, device, dtype)
        return shared[key]


def apply_rotary(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    half = x.size(-1) // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos + x2 * sin, x1 * (-sin) + x2 * cos), dim=-1)


def apply_rope(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    """Rotate the first cos.size(-1)*2 dims of x (all of them = the baseline's apply_rotary).

    Partial RoPE (PR #315 -> rec 03-21: 16 of 64 dims) passes tables over the rotated dims only.
    """
    rd = cos.size(-1) * 2
    if rd == x.size(-1):
        return apply_rotary(x, cos, sin)
    return torch.cat((apply_rotary(x[..., :rd], cos, sin), x[..., rd:]), dim=-1)
