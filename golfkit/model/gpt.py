"""The baseline GPT of the challenge, and the builder that plugs the technique switches into it.

Same architecture and init as openai/parameter-golf `train_gpt.py` (the naive baseline):

* the token embedding is RMS-normed once after lookup; that `x0` is mixed back into
  every block through `resid_mix` (golfkit/model/blocks.py);
* GQA attention with RoPE and a per-head q gain (golfkit/model/attention.py);
* U-Net skips: the first half of the (virtual) layers push their outputs, the second
  half pops them in reverse and adds `skip_weights[i] * skip`;
* tied LM head (init N(0, 0.005)) and a tanh logit softcap.

Parameter routing is explicit (`claim`, golfkit/model/base.py): `GPT.param_groups()` refuses a
parameter that no module claimed. Module names follow the baseline (`tok_emb`,
`blocks.i.attn.c_q`, `mlp.fc`, ...), so record code and GPTQ hooks port over unchanged.

Technique switches plug in from here, in one direction: `attention_class` and `block_class`
choose a subclass per layer, the depth systems and token-side modules are built when their
switch is on, and each technique module is imported only through `technique()`, which checks
`TECHNIQUES`. `golfkit export` bundles exactly the modules that table selects for a config.
Technique modules import golfkit.model.base / attention / blocks, never this module.
"""

from __future__ import annotations

import importlib
import math
from types import ModuleType, SimpleNamespace
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model.attention import CausalSelfAttention, document_mask, needs_switches, packed_mask
from golfkit.model.base import GROUPS, CastedLinear, ForwardContext, RMSNorm, claim, own_rng
from golfkit.model.blocks import MLP, Block

def uses_fused_ce(cfg: ModelConfig) -> bool:
    """model.fused_ce, for vocabularies where the fused kernel is the faster loss (model.fused_ce_min_vocab)."""
    return cfg.fused_ce and cfg.vocab_size >= cfg.fused_ce_min_vocab


# Technique module -> whether a model config switches it on. The builder imports a technique module
# only through technique(), which checks this table; `golfkit export` bundles what it selects.
TECHNIQUES: dict[str, Callable[[ModelConfig], bool]] = {
    "golfkit.model.attention_variants": lambda m: any(needs_switches(m, i) for i in range(m.num_layers)),
    "golfkit.model.parallel_blocks": lambda m: m.parallel_residual != "none",
    "golfkit.model.embeddings": lambda m: m.bigram_buckets > 0 or m.smear_gate or m.smear_v1 != "off" or m.ve_dim > 0,
    "golfkit.model.mtp": lambda m: m.mtp_heads > 0,
    "golfkit.model.recurrence": lambda m: m.num_loops > 0,
    "golfkit.model.deq": lambda m: m.deq_layer >= 0,
    "golfkit.model.depth_routing": lambda m: bool(m.mod_layers),
    "golfkit.model.seed_lora": lambda m: bool(m.seed_lora_targets),
    "golfkit.model.fused_ce": uses_fused_ce,  # runs on CUDA only; imports no Triton until then
}


def technique(name: str, cfg: ModelConfig) -> ModuleType:
    """Import technique module `name` for a config that switches it on (TECHNIQUES says which).

    A builder path that needs a module its config does not declare fails here, in any test
    that builds that config, rather than as an ImportError inside an exported train_gpt.py.
    """
    if not TECHNIQUES[name](cfg):
        raise AssertionError(f"{name} is not switched on by this config (golfkit.model.gpt.TECHNIQUES)")
    return importlib.import_module(name)


# ----------------------------------------------------------------------------------
# validation of switch combinations (user errors -> GolfkitError)
# ----------------------------------------------------------------------------------
def validate_switches(cfg: ModelConfig) -> None:
    """Reject switch values the model cannot build, naming the config key."""
    L, hd = cfg.num_layers, cfg.model_dim // cfg.num_heads

    def bad(key: str, why: str) -> None:
        raise GolfkitError(f"config key 'model.{key}': {why}")

    if cfg.parallel_residual == "two_lane" and not 0 <= cfg.parallel_start < L:
        bad("parallel_start", f"must be a physical layer in [0, {L}), got {cfg.parallel_start}")
    if cfg.xsa_last_n < -1 or cfg.xsa_last_n > L:
        bad("xsa_last_n", f"must be -1 (all), 0 (off) or <= num_layers={L}, got {cfg.xsa_last_n}")
    if not 1 <= cfg.gate_window <= cfg.model_dim:
        bad("gate_window", f"must be in [1, model_dim={cfg.model_dim}], got {cfg.gate_window}")
    if cfg.bigram_buckets not in (0,) and cfg.bigram_buckets < 2:
        bad("bigram_buckets", f"must be 0 (off) or >= 2, got {cfg.bigram_buckets}")
    if cfg.ve_dim < 0 or (cfg.ve_dim > 0 and not cfg.ve_layers):
        bad("ve_layers", "value embeddings (ve_dim > 0) need at least one layer in ve_layers")
    if any(not 0 <= i < L for i in cfg.ve_layers):
        bad("ve_layers", f"layers must be in [0, {L}), got {cfg.ve_layers}")
    if cfg.rope_dims and (cfg.rope_dims % 2 or not 0 < cfg.rope_dims <= hd):
        bad("rope_dims", f"must be even and in (0, head_dim={hd}], got {cfg.rope_dims}")
    if cfg.diff_attn and hd % 4:
        bad("diff_attn", f"needs head_dim divisible by 4 (two sub-heads of whole RoPE pairs), got {hd}")
    if cfg.parallel_residual == "two_lane":  # lanes are a (2, B, T, D) stream: keep other depth systems below P
        P = cfg.parallel_start
        if (cfg.num_loops > 0 and cfg.loop_end >= P) or cfg.deq_layer >= P or any(i >= P for i in cfg.mod_layers):
            bad("parallel_start", f"the loop band / DEQ / MoD layers must lie below the two-lane layers (P={P})")
    if cfg.mlp_hidden < 0 or cfg.mtp_heads < 0:
        bad("mlp_hidden" if cfg.mlp_hidden < 0 else "mtp_heads", "must be >= 0")
    # the records' forms of a technique need the technique
    if cfg.smear_v1 != "off" and cfg.smear_gate:
        bad("smear_v1", "SmearGate v1 and v2 (model.smear_gate) are alternatives: switch one off")
    if (cfg.smear_before_norm or not cfg.smear_bos_mask) and not cfg.smear_gate:
        bad("smear_before_norm" if cfg.smear_before_norm else "smear_bos_mask", "applies to model.smear_gate (v2)")
    if cfg.two_lane_form != "golfkit" and cfg.parallel_residual != "two_lane":
        bad("two_lane_form", "needs model.parallel_residual=two_lane")
    if cfg.two_lane_form == "pr1787" and cfg.parallel_start < L // 2:  # the records run lanes in the decoder only
        bad("parallel_start", f"must be >= num_layers // 2 = {L // 2} with two_lane_form=pr1787 (decoder layers)")
    if cfg.recur_carry_source != "latest" and not (cfg.recur_carry and cfg.num_loops > 0):
        bad("recur_carry_source", "needs the frozen carry (model.recur_carry with model.num_loops > 0)")
    if cfg.xsa_form != "unit" and cfg.xsa_last_n == 0:
        bad("xsa_form", "needs XSA on (model.xsa_last_n)")
    if cfg.ve_proj_init != "zero" and cfg.ve_dim == 0:
        bad("ve_proj_init", "needs value embeddings (model.ve_dim > 0)")
    if cfg.frontend_proj_optim != "muon" and not (cfg.bigram_buckets or cfg.ve_dim):
        bad("frontend_proj_optim", "needs BigramHash or value embeddings")
    if cfg.doc_mask and cfg.mod_layers:  # a MoD block attends over a gathered subset of positions
        bad("doc_mask", "is not supported with Mixture of Depths (model.mod_layers)")


# ----------------------------------------------------------------------------------
# the per-layer choices: the only places an attention or block kind is chosen
# ----------------------------------------------------------------------------------
def attention_class(cfg: ModelConfig, layer_idx: int) -> type[CausalSelfAttention]:
    if needs_switches(cfg, layer_idx):  # XSA, output gate, VE, value residual, diff attention
        return technique("golfkit.model.attention_variants", cfg).SwitchedAttention
    return CausalSelfAttention


def block_class(cfg: ModelConfig, layer_idx: int) -> type[Block]:
    if cfg.parallel_residual == "gptj":
        return technique("golfkit.model.parallel_blocks", cfg).GPTJBlock
    if cfg.parallel_residual == "two_lane" and layer_idx >= cfg.parallel_start:
        return technique("golfkit.model.parallel_blocks", cfg).TwoLaneBlock
    return Block


class GPT(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        if cfg.logit_softcap <= 0:
            raise ValueError(f"logit_softcap must be positive, got {cfg.logit_softcap}")
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.model_dim)
        claim(self.tok_emb, weight="embed")
        validate_switches(cfg)
        self.fctx = ForwardContext()  # per-forward values for the switches (no tensors of state)
        self.blocks = nn.ModuleList([block_class(cfg, i)(cfg, i, self.fctx, attention_class(cfg, i))
                                     for i in range(cfg.num_layers)])
        self.install_depth_systems(cfg)
        n_virtual = len(self.layer_schedule(active=True))  # skips sized for the longest (looped) schedule
        if cfg.skip_count == "unlooped":  # PR #1290: sized for the physical layers; looped, the last
            n_virtual = cfg.num_layers  # decoder positions go without a skip
        self.num_encoder = n_virtual // 2
        self.num_decoder = n_virtual - self.num_encoder
        self.skip_weights = nn.Parameter(torch.ones(min(self.num_encoder, self.num_decoder), cfg.model_dim))
        claim(self, skip_weights="scalar")
        self.doc_masking = cfg.doc_mask  # runtime flag (as looping_active): the records' plain-causal passes
        self.lane_post = self.lane_resid = None
        if cfg.parallel_residual == "two_lane" and cfg.two_lane_form == "pr1787":
            # PR #1787..#2135: lane parameters for every layer (rows below parallel_start are never read)
            L = cfg.num_layers
            self.lane_post = nn.Parameter(torch.ones(L, 2, 2, dtype=torch.float32))  # [layer, lane, source]
            self.lane_resid = nn.Parameter(torch.full((L, 2), cfg.parallel_resid_init, dtype=torch.float32))
            claim(self, lane_post="scalar", lane_resid="scalar")
        self.softcap_pos = self.softcap_neg = None
        if cfg.asym_softcap != "off":  # PR #1923 -> #2135, init = the symmetric cap: identity at init
            frozen = cfg.asym_softcap == "frozen"
            self.softcap_pos = nn.Parameter(torch.tensor(cfg.logit_softcap), requires_grad=not frozen)
            self.softcap_neg = nn.Parameter(torch.tensor(cfg.logit_softcap), requires_grad=not frozen)
            group = "frozen" if frozen else "scalar"
            claim(self, softcap_pos=group, softcap_neg=group)
        self.final_norm = RMSNorm()
        self.lm_head = None if cfg.tie_embeddings else CastedLinear(cfg.model_dim, cfg.vocab_size, "head", zero_init=True)
        self.head_adapter: nn.Module | None = None  # LoRA on the LM head at test time (logits += B A h)
        # switch modules; their random init comes from an own stream, so baseline tensors are unchanged
        if cfg.skip_gates and self.skip_weights.numel():  # sigmoid-gated U-Net skips (PR #1089), init 0
            self.skip_gates = nn.Parameter(torch.zeros_like(self.skip_weights))
            claim(self, skip_gates="scalar")  # control vectors -> Adam
        with own_rng(4001):
            wanted = TECHNIQUES["golfkit.model.embeddings"](cfg)
            self.frontend = technique("golfkit.model.embeddings", cfg).TokenFrontend(cfg, self.fctx) if wanted else None
        # multi-token prediction: a training loss only; not in state_dict()
        self.mtp = technique("golfkit.model.mtp", cfg).MTPHeads(cfg) if cfg.mtp_heads > 0 else None
        # the loss kernel; its functions, not the module, so that copy.deepcopy(model) works (TTT copies it)
        fce = technique("golfkit.model.fused_ce", cfg) if uses_fused_ce(cfg) else None
        self.fused_ce = SimpleNamespace(available=fce.available, softcapped_cross_entropy=fce.softcapped_cross_entropy) \
            if fce is not None else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """The baseline's init: tied embedding N(0, std), zero output projections, torch defaults elsewhere."""
        if self.cfg.tie_embeddings:
            nn.init.normal_(self.tok_emb.weight, mean=0.0, std=self.cfg.tied_embed_init_std)
        for m in self.modules():
            if isinstance(m, CastedLinear) and m.zero_init:
                nn.init.zeros_(m.weight)
        if self.cfg.init != "baseline":
            self.orthogonal_init()
        if self.cfg.ve_proj_init == "orthogonal":  # PR #1290's init overrides the VE projection's zero
            with own_rng(4002), torch.no_grad():
                nn.init.orthogonal_(self.frontend.ve.proj.weight)

    @torch.no_grad()
    def orthogonal_init(self) -> None:
        """`orthogonal`: orthogonal_() on every non-zero-init block matrix (rec 03-19_smeargate);
        output projections stay zero, as in the records' code (`_zero_init` wins).
        `orthogonal_scaled`: output projections (attn.proj, mlp.proj) become orthogonal * 1/sqrt(2L)
        instead (the muP-style reading of rec 03-20), so every block writes from step 0.
        """
        cfg = self.cfg
        outs = {id(b.attn.proj) for b in self.blocks} | {id(b.mlp.proj) for b in self.blocks}
        for m in self.modules():
            if not isinstance(m, CastedLinear):
                continue
            if not m.zero_init:
                nn.init.orthogonal_(m.weight)
            elif id(m) in outs and cfg.init == "orthogonal_scaled":
                nn.init.orthogonal_(m.weight)
                m.weight.mul_(1.0 / math.sqrt(2 * cfg.num_layers))

    # -- structure -------------------------------------------------------------------
    def install_depth_systems(self, cfg: ModelConfig) -> None:
        """Loop band, DEQ block, Mixture-of-Depths routers, Seed-LoRA linears: all off by default."""
        # Built looped: a model rebuilt from an artifact runs as trained; training switches the
        # loop off until enable_looping_at (golfkit/model/recurrence.py, install_hooks).
        self.loop = technique("golfkit.model.recurrence", cfg).LoopBand(cfg, self.blocks) if cfg.num_loops > 0 else None
        self.looping_active = self.loop is not None
        self.deq = technique("golfkit.model.deq", cfg).DEQBlock(cfg) if cfg.deq_layer >= 0 else None
        self.mod = technique("golfkit.model.depth_routing", cfg).MoD(cfg) if cfg.mod_layers else None
        if cfg.seed_lora_targets:
            technique("golfkit.model.seed_lora", cfg).convert_linears(self.blocks, cfg)

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

    def hidden_aux(self, input_ids: Tensor, piece_len: int = 0) -> tuple[Tensor, Tensor | None]:
        """Hidden states and the summed auxiliary training losses (None when no switch makes one).

        `piece_len` > 0: `input_ids` is a packed training row (data.packing=documents) whose documents attend
        in pieces of at most `piece_len` tokens from their start, as the records' varlen training does.
        """
        self.fctx.rope = {}  # this forward's RoPE tables, computed by the first layer (Rotary.tables)
        try:
            return self._hidden_aux(input_ids, piece_len)
        finally:
            self.fctx.rope = None  # no table outlives its forward (validation's inference tensors stay there)

    def _hidden_aux(self, input_ids: Tensor, piece_len: int) -> tuple[Tensor, Tensor | None]:
        x = self.embed(input_ids)  # BigramHash / SmearGate / VE when on
        x0 = x
        # attention within documents (model.doc_mask); set on every forward, so no stale mask survives
        if not self.doc_masking:
            self.fctx.attn_mask = None
        elif piece_len > 0:
            self.fctx.attn_mask = packed_mask(input_ids, self.cfg.bos_id, piece_len)
        else:
            self.fctx.attn_mask = document_mask(input_ids, self.cfg.bos_id)
        schedule = self.layer_schedule()
        visits = self.loop.visits(schedule) if self.loop is not None else [(0, -1)] * len(schedule)
        n_enc = len(schedule) // 2  # the U-Net halves of the *virtual* schedule
        skips: list[Tensor] = []
        carry: dict[int, Tensor] = {}
        aux: list[Tensor] = []
        n_skip = self.skip_weights.shape[0]
        for pos, layer in enumerate(schedule):
            if pos >= n_enc and skips and pos - n_enc < n_skip:
                # decoder position i pairs with encoder position n_enc - 1 - i
                x = self.merge_skip(x, skips.pop(), pos - n_enc, layer)  # gated if skip_gates
            x = self.run_block(layer, visits[pos], x, x0, carry, aux)
            if pos < n_enc:
                skips.append(x)
        if self.loop is not None and not self.looping_active:
            x = self.loop.keep_in_graph(x)
        x = x.mean(0) if x.dim() == 4 else x  # two-lane parallel residuals: the mean of the lanes
        return self.final_norm(x), (sum(aux) if aux else None)

    def merge_skip(self, x: Tensor, skip: Tensor, i: int, layer: int = -1) -> Tensor:
        """Decoder position i takes its skip: x + w*skip (baseline), or lerp(w*skip, x, sigmoid(g)) (PR #1089).

        The gate g (init 0) is per skip and per dimension; x <- (1-s)*w*skip + s*x, s = sigmoid(g).
        Before a two-lane layer `layer` of the PR #1787 form only lane 0 takes it (lane 1 keeps x).
        """
        if self.lane_post is not None and layer >= self.cfg.parallel_start:
            l0, l1 = (x, x) if x.dim() == 3 else x.unbind(0)
            return torch.stack((self.merge_skip(l0, skip, i), l1))
        w = self.skip_weights[i].to(x.dtype) * skip
        gates = getattr(self, "skip_gates", None)
        if gates is None:
            return x + w
        return torch.lerp(w, x, torch.sigmoid(gates[i]).to(x.dtype))

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
        elif self.lane_post is not None and layer >= self.cfg.parallel_start:  # PR #1787 two lanes: this row
            out = block(x, x0, self.lane_post[layer], self.lane_resid[layer])
        else:
            out = block(x, x0)
        if self.loop is not None and local >= 0:
            self.loop.set_pass(layer, 0)
            out = self.loop.carry(local, p, out, carry)
        return out

    def logits(self, h: Tensor, capped: bool = True) -> Tensor:
        """Softcapped logits from hidden states (`capped=False`: before the softcap)."""
        z = F.linear(h, self.tok_emb.weight.to(h.dtype)) if self.lm_head is None else self.lm_head(h)
        if self.head_adapter is not None:
            z = z + self.head_adapter(h)
        if self.softcap_pos is not None:  # asymmetric softcap (PR #1923 -> #2135); frozen: no gradient
            sp, sn = (self.softcap_pos, self.softcap_neg) if self.cfg.asym_softcap == "learned" else \
                (self.softcap_pos.detach(), self.softcap_neg.detach())
            sp, sn = sp.to(z.dtype), sn.to(z.dtype)
            return torch.where(z >= 0, sp * torch.tanh(z / sp), sn * torch.tanh(z / sn))
        c = self.cfg.logit_softcap
        return c * torch.tanh(z / c) if capped else z

    def forward(self, input_ids: Tensor, target_ids: Tensor | None = None, piece_len: int = 0) -> Tensor:
        """Logits (B, T, V) without targets; the mean cross-entropy (nats) with them. `piece_len`: a packed
        training row's document piece length (`hidden_aux`; 0 = plain rows)."""
        h, aux = self.hidden_aux(input_ids, piece_len)
        if target_ids is not None and self.fused_ce is not None and self.fused_ce.available(h):
            # softcap and cross-entropy in one kernel (model.fused_ce); the same loss to bf16 rounding. The kernel
            # computes logits() cap, c * tanh(z / c): a cap of another form must not take this branch.
            loss = self.fused_ce.softcapped_cross_entropy(self.logits(h, capped=False), target_ids,
                                                          self.cfg.logit_softcap)
        else:
            logits = self.logits(h)
            if target_ids is None:
                return logits
            loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), target_ids.reshape(-1))
        if self.mtp is not None and self.training:  # multi-token prediction: a training loss only
            loss = loss + self.mtp.loss(h, target_ids)
        # auxiliary losses (Mixture-of-Depths router) train with the CE; eval scores per-token NLL
        return loss if aux is None or not self.training else loss + aux

