"""The baseline's MLP and transformer block, with the block-level switches that only change numbers.

* pre-norm blocks with RMSNorm *without* a gain; `attn_scale` / `mlp_scale` vectors scale the
  residual writes; `resid_mix` mixes the embedding `x0` back in (`x = m0*x + m1*x0`);
* relu^2 MLP (from modded-nanogpt); LeakyReLU(0.5)^2: PR #493 -> rec 03-23; SwiGLU: Shazeer 2020,
  fork PR swapp1990#2; explicit hidden width `model.mlp_hidden`;
* LN scale 1/sqrt(layer+1): PR #315 -> rec 03-21.

The parallel-residual blocks (two lanes, GPT-J) are subclasses of `Block` in
golfkit/model/parallel_blocks.py; the builder picks the class per layer (golfkit/model/gpt.py).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.attention import CausalSelfAttention
from golfkit.model.base import CastedLinear, ForwardContext, RMSNorm, claim, own_rng


def mlp_hidden(cfg: ModelConfig) -> int:
    """Hidden width: explicit `mlp_hidden`, else mlp_mult * model_dim (the baseline)."""
    return cfg.mlp_hidden or cfg.mlp_mult * cfg.model_dim


def activate(kind: str, h: Tensor, gate: Tensor | None) -> Tensor:
    """The MLP nonlinearity. relu2 = baseline; leaky_relu2 = PR #493; swiglu = silu(gate) * h."""
    if kind == "relu2":
        return torch.relu(h).square()
    if kind == "leaky_relu2":
        return F.leaky_relu(h, negative_slope=0.5).square()
    return F.silu(gate) * h  # swiglu: W2(silu(W1 x) * W3 x), fc = W3, gate = W1


def ln_scale(cfg: ModelConfig, layer_idx: int) -> float:
    """LN scale (PR #315): norm outputs feeding attn/MLP times 1/sqrt(physical layer + 1)."""
    return 1.0 / math.sqrt(layer_idx + 1) if cfg.ln_scale else 1.0


class MLP(nn.Module):
    """relu^2 MLP (modded-nanogpt): proj(relu(fc(x))^2)."""

    def __init__(self, cfg: ModelConfig, layer_idx: int = 0):
        super().__init__()
        hidden, self.act = mlp_hidden(cfg), cfg.mlp_act  # width / activation switches
        self.fc = CastedLinear(cfg.model_dim, hidden)
        self.proj = CastedLinear(hidden, cfg.model_dim, zero_init=True)
        self.gate = None
        if self.act == "swiglu":  # SwiGLU's W1 (Muon), from its own random stream
            with own_rng(4200 + layer_idx):
                self.gate = CastedLinear(cfg.model_dim, hidden)

    def forward(self, x: Tensor) -> Tensor:
        if self.act == "relu2":
            return self.proj(torch.relu(self.fc(x)).square())
        return self.proj(activate(self.act, self.fc(x), None if self.gate is None else self.gate(x)))


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: ForwardContext | None = None,
                 attention: type[CausalSelfAttention] = CausalSelfAttention):
        super().__init__()
        dim = cfg.model_dim
        self.attn_norm, self.mlp_norm = RMSNorm(), RMSNorm()
        self.attn = attention(cfg, layer_idx, fctx)
        self.mlp = MLP(cfg, layer_idx)
        self.attn_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        self.mlp_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        # resid_mix[0] scales the stream, resid_mix[1] mixes in x0; init = identity.
        self.resid_mix = nn.Parameter(torch.stack((torch.ones(dim), torch.zeros(dim))).float())
        claim(self, attn_scale="scalar", mlp_scale="scalar", resid_mix="scalar")
        self.ln_scale = ln_scale(cfg, layer_idx)  # 1.0 = off

    def forward(self, x: Tensor, x0: Tensor) -> Tensor:
        mix = self.resid_mix.to(x.dtype)
        x = mix[0] * x + mix[1] * x0
        s = self.ln_scale
        x = x + self.attn_scale.to(x.dtype) * self.attn(self.attn_norm(x) if s == 1.0 else self.attn_norm(x) * s)
        x = x + self.mlp_scale.to(x.dtype) * self.mlp(self.mlp_norm(x) if s == 1.0 else self.mlp_norm(x) * s)
        return x
