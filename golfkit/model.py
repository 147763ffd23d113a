"""The baseline GPT of the challenge, as small modules with explicit parameter routing.

Same architecture and init as openai/parameter-golf `train_gpt.py` (the naive baseline):

* the token embedding is RMS-normed once after lookup; that `x0` is mixed back into
  every block through `resid_mix` (`x = m0*x + m1*x0`);
* pre-norm blocks with RMSNorm *without* a gain; `attn_scale` / `mlp_scale` vectors
  scale the residual writes; output projections are zero-initialised;
* GQA attention: per-head RMS-normed q and k, RoPE, a learnable per-head `q_gain`
  (which sets the temperature, since q and k are unit-RMS), causal SDPA;
* relu^2 MLP (from modded-nanogpt);
* U-Net skips: the first half of the (virtual) layers push their outputs, the second
  half pops them in reverse and adds `skip_weights[i] * skip`;
* tied LM head (init N(0, 0.005)) and a tanh logit softcap.

Parameter routing is explicit (reference/style.md, lesson 5): every module declares
which optimizer group each of its own parameters belongs to in `optim_groups`, and
`GPT.param_groups()` refuses a parameter that no module claimed. No name substrings.
Module names follow the baseline (`tok_emb`, `blocks.i.attn.c_q`, `mlp.fc`, ...), so
record code and GPTQ hooks port over unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig

# Optimizer groups. matrix -> Muon; the rest -> Adam with their own learning rates.
GROUPS = ("matrix", "scalar", "embed", "head")


def claim(module: nn.Module, **groups: str) -> None:
    """Declare the optimizer group of some of `module`'s own parameters."""
    table = module.__dict__.setdefault("optim_groups", {})
    for name, group in groups.items():
        assert group in GROUPS, f"unknown optimizer group {group!r}"
        table[name] = group


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
    """RoPE tables, cached per sequence length and device (half-split layout, as the baseline)."""

    def __init__(self, dim: int, base: float):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self._cache: tuple[int, torch.device, Tensor, Tensor] | None = None

    def forward(self, seq_len: int, device: torch.device, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
        if self._cache is None or self._cache[0] != seq_len or self._cache[1] != device:
            t = torch.arange(seq_len, device=device, dtype=self.inv_freq.dtype)
            freqs = torch.outer(t, self.inv_freq.to(device))
            self._cache = (seq_len, device, freqs.cos()[None, None], freqs.sin()[None, None])
        return self._cache[2].to(dtype), self._cache[3].to(dtype)


def apply_rotary(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    half = x.size(-1) // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos + x2 * sin, x1 * (-sin) + x2 * cos), dim=-1)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig):
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
        self.rotary = Rotary(self.head_dim, cfg.rope_base)

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape  # (batch, time, model_dim)
        q = self.c_q(x).reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.c_k(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.c_v(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        q, k = F.rms_norm(q, (self.head_dim,)), F.rms_norm(k, (self.head_dim,))
        cos, sin = self.rotary(T, x.device, q.dtype)
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        q = q * self.q_gain.to(q.dtype)[None, :, None, None]
        y = F.scaled_dot_product_attention(
            q, k, v, is_causal=True, enable_gqa=self.num_kv_heads != self.num_heads
        )  # (B, H, T, head_dim)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class MLP(nn.Module):
    """relu^2 MLP (modded-nanogpt): proj(relu(fc(x))^2)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        hidden = cfg.mlp_mult * cfg.model_dim
        self.fc = CastedLinear(cfg.model_dim, hidden)
        self.proj = CastedLinear(hidden, cfg.model_dim, zero_init=True)

    def forward(self, x: Tensor) -> Tensor:
        return self.proj(torch.relu(self.fc(x)).square())


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        dim = cfg.model_dim
        self.attn_norm, self.mlp_norm = RMSNorm(), RMSNorm()
        self.attn = CausalSelfAttention(cfg)
        self.mlp = MLP(cfg)
        self.attn_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        self.mlp_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        # resid_mix[0] scales the stream, resid_mix[1] mixes in x0; init = identity.
        self.resid_mix = nn.Parameter(torch.stack((torch.ones(dim), torch.zeros(dim))).float())
        claim(self, attn_scale="scalar", mlp_scale="scalar", resid_mix="scalar")

    def forward(self, x: Tensor, x0: Tensor) -> Tensor:
        mix = self.resid_mix.to(x.dtype)
        x = mix[0] * x + mix[1] * x0
        x = x + self.attn_scale.to(x.dtype) * self.attn(self.attn_norm(x))
        x = x + self.mlp_scale.to(x.dtype) * self.mlp(self.mlp_norm(x))
        return x


class GPT(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        if cfg.logit_softcap <= 0:
            raise ValueError(f"logit_softcap must be positive, got {cfg.logit_softcap}")
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.model_dim)
        claim(self.tok_emb, weight="embed")
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.num_layers)])
        n_virtual = len(self.layer_schedule())
        self.num_encoder = n_virtual // 2
        self.num_decoder = n_virtual - self.num_encoder
        self.skip_weights = nn.Parameter(torch.ones(min(self.num_encoder, self.num_decoder), cfg.model_dim))
        claim(self, skip_weights="scalar")
        self.final_norm = RMSNorm()
        self.lm_head = None if cfg.tie_embeddings else CastedLinear(cfg.model_dim, cfg.vocab_size, "head", zero_init=True)
        self.head_adapter: nn.Module | None = None  # LoRA on the LM head at test time (logits += B A h)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """The baseline's init: tied embedding N(0, std), zero output projections, torch defaults elsewhere."""
        if self.cfg.tie_embeddings:
            nn.init.normal_(self.tok_emb.weight, mean=0.0, std=self.cfg.tied_embed_init_std)
        for m in self.modules():
            if isinstance(m, CastedLinear) and m.zero_init:
                nn.init.zeros_(m.weight)

    # -- structure -------------------------------------------------------------------
    def layer_schedule(self) -> list[int]:
        """Which physical block runs at each virtual position (identity without recurrence)."""
        return list(range(len(self.blocks)))

    def param_groups(self) -> dict[str, list[nn.Parameter]]:
        """Every parameter in exactly one optimizer group, as its module declared it."""
        out: dict[str, list[nn.Parameter]] = {g: [] for g in GROUPS}
        seen: set[int] = set()
        for mname, module in self.named_modules():
            table = module.__dict__.get("optim_groups", {})
            for pname, p in module.named_parameters(recurse=False):
                full = f"{mname}.{pname}" if mname else pname
                if pname not in table:
                    raise AssertionError(f"parameter {full} has no optimizer group (call claim() in its module)")
                if id(p) in seen:
                    raise AssertionError(f"parameter {full} is shared and claimed twice")
                seen.add(id(p))
                out[table[pname]].append(p)
        total = sum(1 for _ in self.parameters())
        assert len(seen) == total, f"{total - len(seen)} parameters not reached by param_groups()"
        return out

    def tensor_names(self, group: str) -> list[str]:
        """State-dict names of the parameters in optimizer group `group` (e.g. "scalar" = control tensors)."""
        ids = {id(p) for p in self.param_groups()[group]}
        return [name for name, p in self.named_parameters() if id(p) in ids]

    # -- forward ---------------------------------------------------------------------
    def hidden(self, input_ids: Tensor) -> Tensor:
        """Final-normed hidden states (B, T, D): the LM head's input."""
        x = F.rms_norm(self.tok_emb(input_ids), (self.cfg.model_dim,))
        x0 = x
        skips: list[Tensor] = []
        for pos, layer in enumerate(self.layer_schedule()):
            if pos >= self.num_encoder and skips:
                # decoder position i pairs with encoder position num_encoder - 1 - i
                x = x + self.skip_weights[pos - self.num_encoder].to(x.dtype) * skips.pop()
            x = self.blocks[layer](x, x0)
            if pos < self.num_encoder:
                skips.append(x)
        return self.final_norm(x)

    def logits(self, h: Tensor) -> Tensor:
        """Softcapped logits from hidden states."""
        z = F.linear(h, self.tok_emb.weight.to(h.dtype)) if self.lm_head is None else self.lm_head(h)
        if self.head_adapter is not None:
            z = z + self.head_adapter(h)
        c = self.cfg.logit_softcap
        return c * torch.tanh(z / c)

    def forward(self, input_ids: Tensor, target_ids: Tensor | None = None) -> Tensor:
        """Logits (B, T, V) without targets; the mean cross-entropy (nats) with them."""
        logits = self.logits(self.hidden(input_ids))
        if target_ids is None:
            return logits
        return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), target_ids.reshape(-1))


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
