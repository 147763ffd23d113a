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

from golfkit import attention_variants as av
from golfkit import deq, mod, recurrence
from golfkit import embeddings, layers  # issue #4 switches (they reach this module lazily)
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
    """RoPE cos/sin tables (half-split layout, as the baseline)."""

    def __init__(self, dim: int, base: float):
        super().__init__()
        self.dim, self.base = dim, base
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def set_ntk_scale(self, scale: float) -> None:
        """NTK-aware RoPE for eval longer than training: base' = base * s^(d/(d-2)); 1.0 = off, exactly.

        From rec 03-19_WarmdownQuantization (techniques.md 1(d)); golfkit.evalwin.rope_scaled sets it.
        """
        base = self.base * scale ** (self.dim / (self.dim - 2)) if scale != 1.0 else self.base
        ar = torch.arange(0, self.dim, 2, dtype=torch.float32, device=self.inv_freq.device)
        self.inv_freq = 1.0 / (base ** (ar / self.dim))

    def forward(self, seq_len: int, device: torch.device, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
        # Recomputed on every call (a (T, d/2) outer product: negligible, and fused under compile).
        # A cached table would leak inference-mode tensors from validation into training and
        # Python-side cache checks break torch.compile's fullgraph capture.
        t = torch.arange(seq_len, device=device, dtype=self.inv_freq.dtype)
        freqs = torch.outer(t, self.inv_freq.to(device))
        return freqs.cos()[None, None].to(dtype), freqs.sin()[None, None].to(dtype)


def apply_rotary(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    half = x.size(-1) // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos + x2 * sin, x1 * (-sin) + x2 * cos), dim=-1)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: layers.ForwardContext | None = None):
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
        self.rotary = av.make_rotary(cfg, self.head_dim)  # Rotary(head_dim) unless partial RoPE
        # issue #4 switches (XSA, output gate, VE, value residual, diff attention); None = the baseline
        on = av.any_attention_switch(cfg, layer_idx)
        self.switches = av.AttentionSwitches(cfg, layer_idx, nh, fctx) if on else None

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape  # (batch, time, model_dim)
        q = self.c_q(x).reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.c_k(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.c_v(x).reshape(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        if self.switches is not None:
            v = self.switches.values(v)  # value embeddings / value residual
        q, k = F.rms_norm(q, (self.head_dim,)), F.rms_norm(k, (self.head_dim,))
        cos, sin = self.rotary(T, x.device, q.dtype)
        q, k = av.apply_rope(q, cos, sin), av.apply_rope(k, cos, sin)  # = apply_rotary unless partial
        q = q * self.q_gain.to(q.dtype)[None, :, None, None]
        if self.switches is None:
            y = F.scaled_dot_product_attention(
                q, k, v, is_causal=True, enable_gqa=self.num_kv_heads != self.num_heads
            )  # (B, H, T, head_dim)
        else:
            y = self.switches.post(self.switches.attend(q, k, v), v, x)  # diff attn; XSA, output gate
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class MLP(nn.Module):
    """relu^2 MLP (modded-nanogpt): proj(relu(fc(x))^2)."""

    def __init__(self, cfg: ModelConfig, layer_idx: int = 0):
        super().__init__()
        hidden, self.act = layers.mlp_hidden(cfg), cfg.mlp_act  # width / activation switches (issue #4)
        self.fc = CastedLinear(cfg.model_dim, hidden)
        self.proj = CastedLinear(hidden, cfg.model_dim, zero_init=True)
        self.gate = None
        if self.act == "swiglu":  # SwiGLU's W1 (Muon), from its own random stream
            with layers.own_rng(4200 + layer_idx):
                self.gate = CastedLinear(cfg.model_dim, hidden)

    def forward(self, x: Tensor) -> Tensor:
        if self.act == "relu2":
            return self.proj(torch.relu(self.fc(x)).square())
        return self.proj(layers.activate(self.act, self.fc(x), None if self.gate is None else self.gate(x)))


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig, layer_idx: int = 0, fctx: layers.ForwardContext | None = None):
        super().__init__()
        dim = cfg.model_dim
        self.attn_norm, self.mlp_norm = RMSNorm(), RMSNorm()
        self.attn = CausalSelfAttention(cfg, layer_idx, fctx)
        self.mlp = MLP(cfg, layer_idx)
        self.attn_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        self.mlp_scale = nn.Parameter(torch.ones(dim, dtype=torch.float32))
        # resid_mix[0] scales the stream, resid_mix[1] mixes in x0; init = identity.
        self.resid_mix = nn.Parameter(torch.stack((torch.ones(dim), torch.zeros(dim))).float())
        claim(self, attn_scale="scalar", mlp_scale="scalar", resid_mix="scalar")
        # issue #4: LN scale factor (1.0 = off) and parallel residuals (golfkit/layers.py)
        self.ln_scale = layers.ln_scale(cfg, layer_idx)
        lane = cfg.parallel_residual == "two_lane" and layer_idx >= cfg.parallel_start
        self.parallel = "two_lane" if lane else ("gptj" if cfg.parallel_residual == "gptj" else "none")
        if lane:
            layers.add_lane_params(self, cfg)

    def forward(self, x: Tensor, x0: Tensor) -> Tensor:
        if self.parallel != "none":
            return (layers.two_lane_forward if self.parallel == "two_lane" else layers.gptj_forward)(self, x, x0)
        mix = self.resid_mix.to(x.dtype)
        x = mix[0] * x + mix[1] * x0
        s = self.ln_scale
        x = x + self.attn_scale.to(x.dtype) * self.attn(self.attn_norm(x) if s == 1.0 else self.attn_norm(x) * s)
        x = x + self.mlp_scale.to(x.dtype) * self.mlp(self.mlp_norm(x) if s == 1.0 else self.mlp_norm(x) * s)
        return x


class GPT(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        if cfg.logit_softcap <= 0:
            raise ValueError(f"logit_softcap must be positive, got {cfg.logit_softcap}")
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.model_dim)
        claim(self.tok_emb, weight="embed")
        layers.validate_switches(cfg)
        self.fctx = layers.ForwardContext()  # per-forward values for issue #4 switches (no tensors of state)
        self.blocks = nn.ModuleList([Block(cfg, i, self.fctx) for i in range(cfg.num_layers)])
        self.install_depth_systems(cfg)
        n_virtual = len(self.layer_schedule(active=True))  # skips sized for the longest (looped) schedule
        self.num_encoder = n_virtual // 2
        self.num_decoder = n_virtual - self.num_encoder
        self.skip_weights = nn.Parameter(torch.ones(min(self.num_encoder, self.num_decoder), cfg.model_dim))
        claim(self, skip_weights="scalar")
        self.final_norm = RMSNorm()
        self.lm_head = None if cfg.tie_embeddings else CastedLinear(cfg.model_dim, cfg.vocab_size, "head", zero_init=True)
        self.head_adapter: nn.Module | None = None  # LoRA on the LM head at test time (logits += B A h)
        # issue #4 modules; their random init comes from an own stream, so baseline tensors are unchanged
        layers.add_skip_gates(self, cfg)
        with layers.own_rng(4001):
            self.frontend = embeddings.TokenFrontend(cfg, self.fctx) if embeddings.TokenFrontend.wanted(cfg) else None
        self.mtp = layers.MTPHeads(cfg) if cfg.mtp_heads > 0 else None  # training loss only; not in state_dict()
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """The baseline's init: tied embedding N(0, std), zero output projections, torch defaults elsewhere."""
        if self.cfg.tie_embeddings:
            nn.init.normal_(self.tok_emb.weight, mean=0.0, std=self.cfg.tied_embed_init_std)
        for m in self.modules():
            if isinstance(m, CastedLinear) and m.zero_init:
                nn.init.zeros_(m.weight)
        layers.orthogonal_init(self, self.cfg)  # no-op unless model.init != "baseline"

    # -- structure -------------------------------------------------------------------
    def install_depth_systems(self, cfg: ModelConfig) -> None:
        """Loop band, DEQ block, Mixture-of-Depths routers, Seed-LoRA linears: all off by default."""
        # Built looped: a model rebuilt from an artifact runs as trained; train.py switches the
        # loop off until enable_looping_at (golfkit/recurrence.py).
        self.loop = recurrence.LoopBand(cfg, self.blocks) if cfg.num_loops > 0 else None
        self.looping_active = self.loop is not None
        self.deq = deq.DEQBlock(cfg) if cfg.deq_layer >= 0 else None
        self.mod = mod.MoD(cfg) if cfg.mod_layers else None
        if cfg.seed_lora_targets:
            from golfkit import seedlora  # imports this module

            seedlora.install(self.blocks, cfg)

    def layer_schedule(self, active: bool | None = None) -> list[int]:
        """Which physical block runs at each virtual position (identity without recurrence).

        `active` overrides the current loop state (None = `self.looping_active`).
        """
        if self.loop is None:
            return list(range(len(self.blocks)))
        return self.loop.schedule(self.looping_active if active is None else active)

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

    def tensor_family(self, name: str, control: set[str] | None = None) -> str:
        """Quantization family of a state-dict tensor: embedding, attention, mlp, control or other.

        control = optimizer group "scalar"; attention/mlp = owned by a CausalSelfAttention/MLP.
        """
        if name in (control if control is not None else set(self.tensor_names("scalar"))):
            return "control"
        if name in ("tok_emb.weight", "lm_head.weight"):
            return "embedding"
        parts = name.split(".")[:-1]
        for i in range(len(parts), 0, -1):  # innermost owner first
            mod = self.get_submodule(".".join(parts[:i]))
            if isinstance(mod, (CausalSelfAttention, MLP)):
                return "attention" if isinstance(mod, CausalSelfAttention) else "mlp"
        return "other"

    # -- forward ---------------------------------------------------------------------
    def hidden(self, input_ids: Tensor) -> Tensor:
        """Final-normed hidden states (B, T, D): the LM head's input."""
        return self.hidden_aux(input_ids)[0]

    def hidden_aux(self, input_ids: Tensor) -> tuple[Tensor, Tensor | None]:
        """Hidden states and the summed auxiliary training losses (None when no switch makes one)."""
        x = self.embed(input_ids)  # BigramHash / SmearGate / VE when on (issue #4)
        x0 = x
        schedule = self.layer_schedule()
        visits = self.loop.visits(schedule) if self.loop is not None else [(0, -1)] * len(schedule)
        n_enc = len(schedule) // 2  # the U-Net halves of the *virtual* schedule
        skips: list[Tensor] = []
        carry: dict[int, Tensor] = {}
        aux: list[Tensor] = []
        for pos, layer in enumerate(schedule):
            if pos >= n_enc and skips:
                # decoder position i pairs with encoder position n_enc - 1 - i
                x = layers.merge_skip(self, x, skips.pop(), pos - n_enc)  # gated if skip_gates (issue #4)
            x = self.run_block(layer, visits[pos], x, x0, carry, aux)
            if pos < n_enc:
                skips.append(x)
        if self.loop is not None and not self.looping_active:
            x = self.loop.keep_in_graph(x)
        x = layers.merge_lanes(x)  # two-lane parallel residuals: mean of the lanes (issue #4)
        return self.final_norm(x), (sum(aux) if aux else None)

    def embed(self, input_ids: Tensor) -> Tensor:
        """x0: the RMS-normed token embedding, through BigramHash / SmearGate / VE when on."""
        if self.frontend is None:
            return F.rms_norm(self.tok_emb(input_ids), (self.cfg.model_dim,))
        return self.frontend(self.tok_emb(input_ids), input_ids)

    def run_block(self, layer: int, visit: tuple[int, int], x: Tensor, x0: Tensor,
                  carry: dict[int, Tensor], aux: list[Tensor]) -> Tensor:
        """One virtual position: block `layer` on pass visit[0], through MoD / DEQ / loop carry if on."""
        block, (p, local) = self.blocks[layer], visit
        if self.loop is not None:
            self.loop.set_pass(layer, p)  # per-pass LoRA selects its adapter
        if self.mod is not None and self.mod.routes(layer):
            out, a = self.mod.route(layer, block, x, x0)
            aux.append(a)
        elif self.deq is not None and layer == self.cfg.deq_layer:
            out = self.deq(block, x, x0)
        else:
            out = block(x, x0)
        if self.loop is not None and local >= 0:
            self.loop.set_pass(layer, 0)
            out = self.loop.carry(local, p, out, carry)
        return out

    def logits(self, h: Tensor) -> Tensor:
        """Softcapped logits from hidden states."""
        z = F.linear(h, self.tok_emb.weight.to(h.dtype)) if self.lm_head is None else self.lm_head(h)
        if self.head_adapter is not None:
            z = z + self.head_adapter(h)
        c = self.cfg.logit_softcap
        return c * torch.tanh(z / c)

    def forward(self, input_ids: Tensor, target_ids: Tensor | None = None) -> Tensor:
        """Logits (B, T, V) without targets; the mean cross-entropy (nats) with them."""
        h, aux = self.hidden_aux(input_ids)
        logits = self.logits(h)
        if target_ids is None:
            return logits
        loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), target_ids.reshape(-1))
        if self.mtp is not None and self.training:  # multi-token prediction: a training loss only
            loss = loss + self.mtp.loss(h, target_ids)
        # auxiliary losses (Mixture-of-Depths router) train with the CE; eval scores per-token NLL
        return loss if aux is None or not self.training else loss + aux


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
