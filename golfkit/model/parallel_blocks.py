"""Block-level architecture switches of issue #4 (techniques.md 1(a)), wired into golfkit.model.

Everything here is off under the default `ModelConfig` (the baseline). Sources, one line each:

* parallel residuals, two lanes: modded-nanogpt PR #230 -> PR #1204 (rec 03-31, P=7; SOTA P=8);
  GPT-J form (attn and MLP from the same input): rec 04-06;
* LN scale 1/sqrt(layer+1): PR #315 -> rec 03-21;
* LeakyReLU(0.5)^2: PR #493 -> rec 03-23; SwiGLU: Shazeer 2020, fork PR swapp1990#2;
* sigmoid-gated U-Net skips: PR #1089 -> rec 04-01;
* multi-token-prediction heads: the records' MTP_NUM_HEADS option (NR 03-21: 4 heads, w=0.3);
* orthogonal init + output-projection scale 1/sqrt(2L): rec 03-19_smeargate, rec 03-20 (muP).

golfkit.model imports this module at its top, so model names (CastedLinear, claim) are
reached through the module object `gm` at call time, never at import time.
"""

from __future__ import annotations

import contextlib
import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

import golfkit.model as gm
from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError


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


# ----------------------------------------------------------------------------------
# MLP activation and width
# ----------------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------------
# parallel residuals
# ----------------------------------------------------------------------------------
def ln_scale(cfg: ModelConfig, layer_idx: int) -> float:
    """LN scale (PR #315): norm outputs feeding attn/MLP times 1/sqrt(physical layer + 1)."""
    return 1.0 / math.sqrt(layer_idx + 1) if cfg.ln_scale else 1.0


def add_lane_params(block: nn.Module, cfg: ModelConfig) -> None:
    """Per-layer 2x2 `lane_post` (init 1) and per-lane `lane_resid` (init parallel_resid_init).

    lane_post[a, j] = how much source j (0 = attn, 1 = MLP) writes into lane a. Both are
    control tensors -> the "scalar" (Adam) group, as the records' CONTROL_TENSOR patterns.
    """
    block.lane_post = nn.Parameter(torch.ones(2, 2, dtype=torch.float32))
    block.lane_resid = nn.Parameter(torch.full((2,), cfg.parallel_resid_init, dtype=torch.float32))
    gm.claim(block, lane_post="scalar", lane_resid="scalar")


def two_lane_forward(block: nn.Module, x: Tensor, x0: Tensor) -> Tensor:
    """One block with two residual lanes; returns the lanes stacked, shape (2, B, T, D).

    Lane 0 feeds attention (after resid_mix with x0), lane 1 feeds the MLP. Each output
    writes into both lanes: lane_a <- r_a*lane_a + post[a,0]*attn; lane_a += post[a,1]*mlp.
    A (B, T, D) input is the split point (physical layer P): both lanes start as x. With
    post = 1 and r = 1 both lanes equal the sequential block exactly (tested).
    Stacking lanes in one tensor lets U-Net skips broadcast over them unchanged.
    """
    l0, l1 = (x, x) if x.dim() == 3 else x.unbind(0)
    mix, post, r = block.resid_mix.to(x.dtype), block.lane_post.to(x.dtype), block.lane_resid.to(x.dtype)
    l0 = mix[0] * l0 + mix[1] * x0
    a = block.attn_scale.to(x.dtype) * block.attn(block.attn_norm(l0) * block.ln_scale)
    l0, l1 = r[0] * l0 + post[0, 0] * a, r[1] * l1 + post[1, 0] * a
    m = block.mlp_scale.to(x.dtype) * block.mlp(block.mlp_norm(l1) * block.ln_scale)
    return torch.stack((l0 + post[0, 1] * m, l1 + post[1, 1] * m))


def gptj_forward(block: nn.Module, x: Tensor, x0: Tensor) -> Tensor:
    """GPT-J form (rec 04-06): attn and MLP read the same normed input; both add to x."""
    mix = block.resid_mix.to(x.dtype)
    x = mix[0] * x + mix[1] * x0
    a = block.attn(block.attn_norm(x) * block.ln_scale)
    m = block.mlp(block.mlp_norm(x) * block.ln_scale)
    return x + block.attn_scale.to(x.dtype) * a + block.mlp_scale.to(x.dtype) * m


def merge_lanes(x: Tensor) -> Tensor:
    """Final hidden of a two-lane model = mean of the lanes (techniques.md 1(a)); no-op otherwise."""
    return x.mean(0) if x.dim() == 4 else x


# ----------------------------------------------------------------------------------
# U-Net skip merge
# ----------------------------------------------------------------------------------
def merge_skip(gpt: nn.Module, x: Tensor, skip: Tensor, i: int) -> Tensor:
    """Decoder position i takes its skip: x + w*skip (baseline), or lerp(w*skip, x, sigmoid(g)) (PR #1089).

    The gate g (init 0) is per skip and per dimension; x <- (1-s)*w*skip + s*x, s = sigmoid(g).
    """
    w = gpt.skip_weights[i].to(x.dtype) * skip
    gates = getattr(gpt, "skip_gates", None)
    if gates is None:
        return x + w
    return torch.lerp(w, x, torch.sigmoid(gates[i]).to(x.dtype))


def add_skip_gates(gpt: nn.Module, cfg: ModelConfig) -> None:
    if cfg.skip_gates and gpt.skip_weights.numel():
        gpt.skip_gates = nn.Parameter(torch.zeros_like(gpt.skip_weights))
        gm.claim(gpt, skip_gates="scalar")  # control vectors -> Adam


# ----------------------------------------------------------------------------------
# multi-token prediction heads: training loss only, never in the artifact
# ----------------------------------------------------------------------------------
class MTPHeads(nn.Module):
    """Auxiliary heads; head k (0-based) predicts the target k+1 steps after the main one.

    loss = mean_k CE(softcap(W_k h[:, :T-k-1]), y[:, k+1:]), added as w * loss in training.
    The weights are zero-init (the records' `_zero_init`) and routed to the "head" group
    (Adam at head_lr, like an untied LM head). `state_dict()` skips them and loading
    ignores them: the export (`quantize(model.state_dict())`) can never include them.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n, self.weight_loss, self.softcap = cfg.mtp_heads, cfg.mtp_loss_weight, cfg.logit_softcap
        for k in range(self.n):
            setattr(self, f"w{k}", nn.Parameter(torch.zeros(cfg.vocab_size, cfg.model_dim)))
            gm.claim(self, **{f"w{k}": "head"})

    # training-only: keep out of every state dict (export, checkpoint) and out of loading
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        return

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        return

    def loss(self, h: Tensor, y: Tensor) -> Tensor:
        total = h.new_zeros((), dtype=torch.float32)
        T, c = h.size(1), self.softcap
        for k in range(self.n):
            if T - k - 1 <= 0:
                break
            z = F.linear(h[:, : T - k - 1], getattr(self, f"w{k}").to(h.dtype))
            z = c * torch.tanh(z / c)
            total = total + F.cross_entropy(z.float().reshape(-1, z.size(-1)), y[:, k + 1:].reshape(-1))
        return self.weight_loss * total / max(self.n, 1)


# ----------------------------------------------------------------------------------
# orthogonal init
# ----------------------------------------------------------------------------------
@torch.no_grad()
def orthogonal_init(gpt: nn.Module, cfg: ModelConfig) -> None:
    """`orthogonal`: orthogonal_() on every non-zero-init block matrix (rec 03-19_smeargate);
    output projections stay zero, as in the records' code (`_zero_init` wins).
    `orthogonal_scaled`: output projections (attn.proj, mlp.proj) become orthogonal * 1/sqrt(2L)
    instead (the muP-style reading of rec 03-20), so every block writes from step 0.
    """
    if cfg.init == "baseline":
        return
    outs = {id(b.attn.proj) for b in gpt.blocks} | {id(b.mlp.proj) for b in gpt.blocks}
    for m in gpt.modules():
        if not isinstance(m, gm.CastedLinear):
            continue
        if not m.zero_init:
            nn.init.orthogonal_(m.weight)
        elif id(m) in outs and cfg.init == "orthogonal_scaled":
            nn.init.orthogonal_(m.weight)
            m.weight.mul_(1.0 / math.sqrt(2 * cfg.num_layers))
