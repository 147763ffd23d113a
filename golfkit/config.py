"""The typed run configuration: one `RunConfig` made of sub-configs.

Every knob of a run lives here, with its unit in the name or the comment, so that a
run is fully described by `config.json` (the resolved config, written next to every
log). Three ways in, one validator:

* `RunConfig.from_dict(d)`: nested dicts, e.g. a `config.json` (JSON round trip);
* `cfg.override({"model.num_layers": 11})`: dotted keys, values typed or strings
  (strings are parsed against the field's type, as from `--set key=value`);
* presets (`golfkit.presets`), which are plain functions returning a `RunConfig`.

Unknown keys and values of the wrong type raise `GolfkitError` naming the key
(nanoGPT's configurator catches unknown keys but fails type checks with a bare
assert; the records' env vars catch neither: a misspelt variable is silently ignored).
Out-of-range values too, in one place: `validate` (every float finite, the ranges in `RANGES`,
and the few rules that tie fields together), run by `from_dict` and so by every override,
config.json, `--config` file and artifact, before anything is allocated or written. The ranges
themselves are a table in golfkit/ranges.py (an exported train_gpt.py ships only the rows of the
fields its environment variables set: golfkit/export.py).

Baseline values are the challenge's `train_gpt.py` defaults (openai/parameter-golf).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from golfkit import config_rules
from golfkit.config_parse import build as _build
from golfkit.config_parse import locate as _locate
from golfkit.config_parse import parse_set_args, parse_value  # noqa: F401  (re-exported: the CLI's --set)
from golfkit.ranges import RANGES

# The ceiling on a model's parameters (`--max-params` raises it): about 7x the largest record preset
# here (swapp-1xh100, 35.2M) and far above what 16,000,000 bytes can hold; a config or an artifact
# that declares more is refused before its model is built (golfkit/limits.py, golfkit/artifact.py).
DEFAULT_MAX_PARAMS = 250_000_000
# The challenge's cap on code + compressed model, decimal bytes. `golfkit export` checks a submission against
# this, never against a run's own quant.budget_bytes (a run may aim lower, or be told otherwise by mistake).
CHALLENGE_BUDGET_BYTES = 16_000_000
# The data fields that name this machine's paths: `RunConfig.portable` resets them to their defaults (and so does
# the config an exported script ships, golfkit/twins.py).
MACHINE_PATHS = ("dir", "tokenizer", "guard_extra", "guard_cache")


@dataclass
class DataConfig:
    """Where the shards and the tokenizer are (the challenge's `data/` layout)."""

    dir: str = "data"  # root holding datasets/ and tokenizers/ (the challenge's data/ folder)
    variant: str = "sp1024"  # dataset folder datasets/fineweb10B_<variant>
    tokenizer: str = ""  # SentencePiece .model path; "" = tokenizers/fineweb_<vocab>_bpe<suffix>.model under dir
    # (variant sp<vocab><suffix>; the CaseOps records' is sp8192_lossless_caps_caseops_v1_reserved, PR #1855/#2135)
    # Where val_bpb's byte counts come from: "pieces" = the tokenizer's piece tables (the challenge's
    # build_sentencepiece_luts); "sidecar" = fineweb_val_bytes_*.bin beside the val shards, the bytes of the
    # text before a transform such as CaseOps (PR #1855/#2135 CASEOPS_ENABLED=1); "auto" = the sidecar when
    # the dataset folder has one. A CaseOps tokenizer is refused with "pieces" (its pieces are not the bytes).
    byte_source: Literal["auto", "pieces", "sidecar"] = "auto"
    # The validation guard (golfkit/overlap.py): training and calibration shards are checked by content
    # against the validation split beside them, the data root's holdout/ and these extra sources
    # (shard files, dataset folders or data roots, e.g. another export whose val shard may be linked here).
    # off: names and symlink targets only; `golfkit export` writes off into a submission (the graders'
    # data is the canonical export) and `golfkit audit` reports a run trained with it off.
    guard: Literal["on", "off"] = "on"
    guard_extra: list[str] = field(default_factory=list)
    guard_cache: str = "~/.cache/golfkit/valguard"  # index + per-shard results; "" = memory only
    guard_max_overlap: float = 0.01  # refuse a shard when more than this share of it is validation content
    guard_max_val_docs: float = 0.01  # refuse when the shards together contain more of a source's documents
    guard_workers: int = 0  # threads for the one-time scan; 0 = torch.get_num_threads()
    # Training rows. "rows": each micro-batch is (B, schedule.train_seq_len) rows cut from one stream (the
    # challenge's baseline). "documents": one packed (1, local_tokens) row per rank and micro-batch, from a
    # cursor that starts at each shard's first BOS; a span that does not fit the rest of a shard moves to the
    # next shard (the tail is dropped); attention within documents cut into pieces of at most train_seq_len
    # tokens from each document's start (PR #1787 -> #1801/#1855/#2135 DocumentPackingLoader + varlen
    # attention). Needs model.doc_mask.
    packing: Literal["rows", "documents"] = "rows"


@dataclass
class ModelConfig:
    """The GPT shape. Defaults are the challenge's naive baseline (17,059,912 params)."""

    vocab_size: int = 1024
    num_layers: int = 9
    model_dim: int = 512
    num_heads: int = 8
    num_kv_heads: int = 4  # GQA: query heads share KV heads in groups
    mlp_mult: int = 2  # hidden = mlp_mult * model_dim, relu^2
    tie_embeddings: bool = True  # the LM head reuses tok_emb.weight
    tied_embed_init_std: float = 0.005
    logit_softcap: float = 30.0  # logits = c * tanh(z / c)
    rope_base: float = 10000.0
    qk_gain_init: float = 1.5  # per-head q gain; sets the attention temperature
    # -- depth systems (golfkit/model/recurrence.py, deq.py, seed_lora.py, depth_routing.py) --
    # Depth recurrence "mini" (PR #1204 -> rec 03-31/04-09, PR #1290, PR #1801): physical blocks
    # loop_start..loop_end run num_loops more times once training reaches enable_looping_at (fraction;
    # 0 = looped from step 0, which with a wide band is the "middle-cycle" stem + core x R + tail).
    num_loops: int = 0  # 0 = off; records: 1 (PR #1290, layers 4,5) or 2 (rec 04-09, layers 3-5)
    loop_start: int = 3
    loop_end: int = 5
    enable_looping_at: float = 0.35  # rec 04-09 ENABLE_LOOPING_AT=0.35; PR #1290 started at step 3000
    loop_lora_rank: int = 0  # per-pass LoRA on the looped MLPs' fc/proj (B zero-init); 0 = off
    # Frozen recurrent carry (PR #1779 -> PR #1801): on repeat passes band layer k writes
    # beta_k*f(x) + sum_j alpha_kj*stopgrad(latest output of band layer j). PR #1801's constants.
    recur_carry: bool = False
    recur_beta: list[float] = field(default_factory=lambda: [1.56, 1.85, 2.13])
    recur_alpha: list[list[float]] = field(default_factory=lambda: [[0.23, 0.04, 0.03], [0.13, -0.34, 0.01],
                                                                    [0.06, 0.19, -0.02]])
    # DEQ universal-transformer block (PR #1783 wish list): block deq_layer iterated to a fixed point.
    deq_layer: int = -1  # physical block index; -1 = off
    deq_solver: Literal["anderson", "picard"] = "anderson"  # PR #1783: Anderson, history 5
    deq_history: int = 5
    deq_max_iter: int = 24
    deq_tol: float = 1e-3  # relative residual |f(z)-z|/|f(z)|
    deq_phantom_steps: int = 4  # phantom gradient: K unrolled damped steps from z* (PR #1783: K=4)
    deq_phantom_damping: float = 0.5  # lambda of z <- (1-lambda) z + lambda f(z) (Geng et al. 2021)
    # Seed-LoRA (README wish list; PR #1113, NR 04-30, PR #1783): the targeted block linears become
    # W_rand(seed) + B A; the artifact stores seeds and adapters, the matrices are regenerated at load.
    seed_lora_targets: list[str] = field(default_factory=list)  # e.g. ["mlp.fc", "mlp.proj"]; [] = off
    seed_lora_rank: int = 32  # PR #1113: 32; NR 04-30: 160
    seed_lora_init: Literal["gaussian", "orthogonal"] = "gaussian"
    seed_lora_seed: int = 0  # base seed; each matrix gets its own seed derived from it
    # Mixture of Depths (Raposo et al. 2024; PR #1783): listed blocks only update a capacity fraction of tokens.
    mod_layers: list[int] = field(default_factory=list)  # physical block indices; [] = off
    mod_capacity: float = 0.5  # PR #1783: top-50%
    mod_aux_weight: float = 0.01  # load-balancing / router-predictor BCE, added to the training loss
    mod_routing: Literal["topk", "causal"] = "topk"  # see golfkit/model/depth_routing.py for causality
    # -- per-layer architecture switches (golfkit/model/: blocks.py, parallel_blocks.py, attention_variants.py,
    #    embeddings.py, mtp.py). Every default is off = the baseline; sources in those modules. --
    # two_lane: modded-nanogpt PR #230 -> PR #1204 / rec 03-31 (attn reads lane 0, MLP lane 1, learned
    # 2x2 post + per-lane resid); gptj: attn and MLP in parallel from one input (rec 04-06).
    parallel_residual: Literal["none", "two_lane", "gptj"] = "none"
    parallel_start: int = 7  # two_lane: first physical layer P with two lanes (rec 03-31: 7, SOTA: 8)
    parallel_resid_init: float = 1.1  # two_lane: per-lane residual scale init (1.0 = identity at init)
    xsa_last_n: int = 0  # XSA (arXiv 2603.09078, PR #265/#287) on the last n layers; -1 = all (PR #478)
    smear_gate: bool = False  # SmearGate v2 (PR #1667) with the BOS mask (PR #1851)
    gate_window: int = 12  # leading residual dims read by the smear / narrow / sparse gates
    bos_id: int = 1  # the token that starts every document (sp1024: 1, golfkit.data.BOS_ID)
    bigram_buckets: int = 0  # BigramHash embedding (PR #162); 0 = off; records 2048..10240
    bigram_dim: int = 128
    ve_dim: int = 0  # value embeddings (PR #374; records 128); 0 = off
    ve_layers: list[int] = field(default_factory=list)  # physical layers whose V gets the VE (rec 03-22: 9,10)
    rope_dims: int = 0  # partial RoPE (PR #315): rotate the first n head dims (records 16); 0 = all
    # (NTK scaling for longer eval: Rotary.set_ntk_scale, applied to the rope_dims tables; golfkit.eval.windows)
    ln_scale: bool = False  # norm outputs into attn/MLP x 1/sqrt(layer+1) (PR #315)
    mlp_act: Literal["relu2", "leaky_relu2", "swiglu"] = "relu2"  # leaky_relu2: PR #493; swiglu: swapp1990#2
    mlp_hidden: int = 0  # explicit MLP hidden width (any int); 0 = mlp_mult * model_dim
    skip_gates: bool = False  # sigmoid-gated U-Net skips (PR #1089)
    # dense: Qwen G1 per-head sigmoid(W_g x), N(0, 0.005) (arXiv 2505.06708, PR #1736);
    # narrow: 2*sigmoid(W x[:12]) zero-init (PR #1667); sparse: sigmoid(s*W x[:12]) zero-init (PR #1787)
    attn_gate: Literal["none", "dense", "narrow", "sparse"] = "none"
    attn_gate_scale: float = 0.5  # sparse gate's s (SOTA 0.5)
    dense_gate_init_std: float = 0.005
    value_residual: bool = False  # ResFormer v += sigmoid(a)*v_layer0 (PRs #486/#490/#569)
    diff_attn: bool = False  # differential attention (arXiv 2410.05258; PR #675)
    mtp_heads: int = 0  # multi-token-prediction heads; training loss only, never exported
    mtp_loss_weight: float = 0.3  # NR 03-21: 4 heads, w = 0.3
    # orthogonal: rec 03-19_smeargate OrthoInit; orthogonal_scaled: + output projections orthogonal/sqrt(2L)
    init: Literal["baseline", "orthogonal", "orthogonal_scaled"] = "baseline"
    # -- the records' own forms of these techniques, each off by default (tests/test_records.py compares
    #    them with the records' train_gpt.py; sources in the model modules) --
    # RoPE numerics of a run that cast its model with .bfloat16() (the Rotary buffer inv_freq goes bf16):
    # fp32 = golfkit's fp32 tables; bf16_freq = bf16-rounded frequencies, fp32 positions and angles (PR #1787
    # lineage: #1801, #1855, #2135); bf16 = bf16 frequencies, positions and angles (the challenge baseline as
    # it ran on CUDA, swapp1990#2, PR #1290 up to rope_train_len).
    rope_dtype: Literal["fp32", "bf16_freq", "bf16"] = "fp32"
    rope_train_len: int = 0  # NTK-rescale the RoPE base above this many tokens, training included (PR #1290: 1024); 0 = off
    # two_lane form: golfkit = resid_mix on lane 0 in place, the MLP reads lane 1 after attention writes it;
    # pr1787 = PR #1787..#2135's `_parallel_block`: resid_mix on attention's input only, the MLP reads lane 1
    # before attention writes it, the U-Net skip goes into lane 0 only, lane parameters for every layer
    two_lane_form: Literal["golfkit", "pr1787"] = "golfkit"
    recur_carry_source: Literal["latest", "first_pass"] = "latest"  # first_pass: PR #1801 (carry set on pass 0 only)
    enable_looping_at_step: int = 0  # > 0: the loop turns on after this many steps (PR #1290 RECUR_START_STEP=3000)
    skip_count: Literal["looped", "unlooped"] = "looped"  # unlooped: U-Net skips sized for the physical layers (PR #1290)
    # SmearGate v1 (PR #65 lineage): x <- (1 - s) x + s x_prev after the norm, s = sigmoid(gate) per dim, gate 0
    # (s = 0.5 at init); learned = trained by the scalar AdamW (PR #1290); frozen = in no optimizer (swapp1990#2)
    smear_v1: Literal["off", "learned", "frozen"] = "off"
    smear_before_norm: bool = False  # SmearGate v2 on the raw embedding, before the RMSNorm (PR #1855, #2135)
    smear_bos_mask: bool = True  # SmearGate v2's BOS mask (PR #1851); PR #2135 ran with SMEAR_GATE_BOS_FIX=0
    # asymmetric logit softcap (PR #1923 -> #2135): where(z >= 0, c+ tanh(z/c+), c- tanh(z/c-)), c+- init
    # logit_softcap; learned = scalar AdamW; frozen = in no optimizer and no gradient, as PR #2135's code runs it
    asym_softcap: Literal["off", "learned", "frozen"] = "off"
    doc_mask: bool = False  # attention within documents only (BOS starts one), PR #1787 lineage "VarLen"
    ve_proj_init: Literal["zero", "orthogonal"] = "zero"  # orthogonal: PR #1290 (its _init_weights overrides the zero)
    frontend_proj_optim: Literal["muon", "adam"] = "muon"  # adam: BigramHash/VE projections -> scalar AdamW (PR #1290)
    xsa_form: Literal["unit", "projection"] = "unit"  # projection: y - (y.v / max(v.v, 1e-8)) v (swapp1990#2)
    # -- speed: how the loss is computed, not what (golfkit/model/fused_ce.py) --
    # The training loss as one fused softcapped cross-entropy kernel (Triton) where it can run (CUDA),
    # as the records do (PR #1787 "FusedCE" -> PR #2135); eager softcap + F.cross_entropy elsewhere or off.
    fused_ce: bool = True
    # ... for vocabularies of at least this many tokens. Measured on one H200 (BENCHMARKS.md, 2026-11-29,
    # 16,384 bf16 rows, forward + backward): fused 0.70 ms vs eager 0.40 at vocab 1,024, 0.82 vs 2.59 at
    # 8,192; at 1,024 the compiled eager loss is what the reference script runs. 0 = wherever it can run.
    fused_ce_min_vocab: int = 4096


@dataclass
class OptimConfig:
    """Muon for block matrices, AdamW (= the baseline's Adam while its wd is 0) for the embedding,
    head and control tensors; the optimizer and averaging switches (golfkit/optim.py, averaging.py)."""

    matrix_lr: float = 0.04  # Muon
    scalar_lr: float = 0.04  # Adam on vectors/scalars and control matrices
    tied_embed_lr: float = 0.05  # Adam on tok_emb when tied
    embed_lr: float = 0.6  # Adam on tok_emb when untied
    head_lr: float = 0.008  # Adam on lm_head when untied
    muon_momentum: float = 0.95
    muon_momentum_warmup_start: float = 0.85
    muon_momentum_warmup_steps: int = 500
    muon_backend_steps: int = 5  # Newton-Schulz iterations
    beta1: float = 0.9
    beta2: float = 0.95
    adam_eps: float = 1e-8
    grad_clip_norm: float = 0.0  # global-norm clip before the step; 0 = none (records: 0.3 from rec 03-19_Seq2048)
    # -- Muon variants --
    # MuonEq-R: divide each row of the momentum update by its L2 norm before Newton-Schulz
    # (arXiv 2603.28254; PR #1217/#1260 -> rec 04-03, records' MUON_ROW_NORMALIZE=1).
    muon_row_normalize: bool = False
    # Newton-Schulz coefficients: "standard" = (3.4445, -4.7750, 2.0315) every step (Keller Jordan);
    # "polar_express" = the 5 per-iteration minimax tuples of PR #1344 (-> PR #1787), the last repeating.
    muon_ns: Literal["standard", "polar_express"] = "standard"
    # -- decoupled weight decay: p *= 1 - lr*wd before the update (rec 03-19 smeargate onward) --
    muon_wd: float = 0.0  # Muon matrices (records: 0.04 rec 03-20, 0.085-0.095 SP4096/8192 era)
    embed_wd: float = 0.0  # AdamW on tok_emb (and lm_head when untied); records' EMBED_WD 0.085
    scalar_wd: float = 0.0  # AdamW on vectors/scalars/control tensors; records' ADAM_WD 0.02
    # Multiplier on muon_wd over training (Muon only, as the records' taper/ramp). constant = 1;
    # taper = 1 until wd_taper_start_frac of training, then linear to wd_taper_final_mult at the end
    # (PR #1729: 0.70 / 0.50; keyed on the wall-clock fraction, not on `iterations`);
    # ramp = 1 -> wd_ramp_final_mult linearly across the warmdown (PR #309/#675: 0.02 -> 0.08 = x4).
    wd_schedule: Literal["constant", "taper", "ramp"] = "constant"
    wd_taper_start_frac: float = 0.70
    wd_taper_final_mult: float = 0.50
    wd_ramp_final_mult: float = 4.0
    # -- weight averaging, swapped in before export (golfkit/averaging.py) --
    # ema: shadow <- d*shadow + (1-d)*w every step, fp32 (rec 03-20 XSA4 / PR #287; 0.997, later 0.9965);
    # swa: uniform mean of snapshots every swa_every steps once lr scale < swa_lr_scale_below or in the
    #      last swa_last_frac of training (rec 03-20; PR #401); lawa: uniform mean of the last lawa_k
    #      snapshots taken every lawa_every steps (PR #675).
    weight_averaging: Literal["none", "ema", "swa", "lawa"] = "none"
    ema_decay: float = 0.997
    swa_every: int = 50
    swa_lr_scale_below: float = 0.2  # snapshot while lr scale < this (rec 03-20 used 0.5, later 0.2)
    swa_last_frac: float = 0.0  # ... or during the last fraction of training (0 = unused; thwu1: 0.4)
    lawa_k: int = 10
    lawa_every: int = 100
    # -- the records' Muon numerics (golfkit/optim.py; needed to reproduce a record's trajectory) --
    # Newton-Schulz bf16 evaluation order: baseline = b*A + c*A@A = (c*A)@A (the challenge's train_gpt.py);
    # records = b*A + c*(A@A) on the normalised transposed matrix (PR #399's Parallel Muon -> PR #1290,
    # PR #1787..#2135). In bf16 the two differ by ~1e-2 after 5 steps.
    muon_ns_order: Literal["baseline", "records"] = "baseline"
    # parallel = PR #399's Parallel Muon as in PR #1290..#2135: gradient cast to bf16 and momentum kept in
    # bf16; the aspect-ratio scale multiplies the fp32 step size instead of the bf16 update.
    muon_numerics: Literal["baseline", "parallel"] = "baseline"
    # -- speed: how Muon computes, not what (golfkit/optim.py) --
    # Newton-Schulz dtype. bf16 is every record's; a CPU without native bf16 matmuls emulates them 3-4x
    # slower than fp32, so there fp32 is faster and the same map within bf16 rounding. auto = bf16 on CUDA
    # and on CPUs with AMX or AVX512-BF16, fp32 elsewhere (the log's optim line names the dtype that ran).
    muon_ns_dtype: Literal["auto", "bf16", "fp32"] = "auto"
    # One batched Newton-Schulz per shape over a rank's same-shape matrices (the records' parameter banks,
    # PR #399) instead of one per matrix: the same math, fewer launches. Bit-equal to per-matrix on one CPU
    # thread (tests/test_optim.py); with more threads a batched matmul may split and round differently, so
    # presets pick the form of the run they reproduce (baseline, swapp1990#2: per matrix; PR #1290 on: banks).
    muon_batched: bool = False


@dataclass
class ScheduleConfig:
    """Batch, length and the wall-clock-aware schedule of the baseline."""

    iterations: int = 20000
    train_batch_tokens: int = 524_288  # global tokens per optimizer step
    train_seq_len: int = 1024
    micro_batches: int = 8  # global micro-batches per step; each rank runs micro_batches / world_size
    warmdown_iters: int = 1200  # linear decay to 0; in time units when a wall-clock cap is set
    # iters = the baseline's warmdown_iters; fraction = the later records' schedule (rec 04-05 onward):
    # frac = elapsed/(cap - reserve) (step/iterations without a cap), and once frac >= 1 - warmdown_frac,
    # lr_mul = max((1 - frac)/warmdown_frac, min_lr). Use fraction for 1-GPU proxies (at slow step rates
    # the iteration warmdown can start at step 0, NR 03-19).
    warmdown_kind: Literal["iters", "fraction"] = "iters"
    warmdown_frac: float = 0.72  # records: 0.667 (rec 04-05), 0.72, 0.75, 0.85 (SOTA)
    min_lr: float = 0.0  # warmdown floor as a fraction of peak, both kinds (PR #1787 -> rec 04-23: 0.10)
    # seconds of the cap kept for post-training work that still counts (e.g. GPTQ calibration on
    # training data, rec 04-23: 0.5 s); training stops and the schedule ends at cap - reserve.
    wallclock_reserve_seconds: float = 0.0
    warmup_steps: int = 20  # compile-priming steps, undone before the timed run starts
    max_wallclock_seconds: float = 600.0  # 0 = no cap (iteration-based warmdown)
    val_loss_every: int = 1000  # 0 = only at the end
    train_log_every: int = 200
    save_checkpoint: bool = False  # also write the full-precision weights (checkpoint.golf) for later analysis


@dataclass
class TensorPolicy:
    """How one tensor family is stored under quant.scheme="policy" (golfkit/quant/policy.py).

    Every family defaults to int8 per-row percentile RTN, so a partial override changes
    only what it names.
    """

    format: Literal["int", "fp16", "fp32"] = "int"  # fp16/fp32 = kept as floats (e.g. rec 03-18's fp16 embedding)
    bits: int = 8  # 2..8, symmetric [-(2^(b-1)-1), 2^(b-1)-1] in int8 containers
    group_size: int = 0  # columns per scale; 0 = one scale per row
    method: Literal["rtn", "gptq"] = "rtn"  # gptq: full-Hessian GPTQ (PR #1019), needs quant.calib
    clip: Literal["percentile", "search", "sdclip", "hsdclip"] = "percentile"  # see golfkit/quant/formats.py
    clip_percentile: float = 0.9999984  # "percentile": the baseline's 99.99984th of |w|
    clip_sigmas: float = 12.85  # "sdclip"/"hsdclip": k in scale = k*std(row)/qmax (PR #1394)
    hsd_lambda: float = 0.175  # "hsdclip": row-importance strength (PR #1412)


@dataclass
class QuantConfig:
    """How the trained weights become the artifact. Defaults = the baseline's int8 + zlib export."""

    scheme: Literal["int8", "policy"] = "int8"  # int8: the baseline's export; policy: per-family TensorPolicy
    # levels 9/9/22/11; auto = the smallest of those; pergroup = PR #2135's serializer: int8 codes row-sorted
    # and transposed through lrzip's ZPAQ (the lrzip program), the rest brotli (golfkit/compress.py)
    compressor: Literal["zlib", "lzma", "zstd", "brotli", "auto", "pergroup"] = "zlib"
    byte_shuffle: bool = False  # stride-2 byte de-interleave before compressing (PR #1089); auto tries both
    budget_bytes: int = CHALLENGE_BUDGET_BYTES  # this run's target for model + code (pruning, the over-budget line)
    # -- policy per tensor family (GPT.tensor_family); control tensors are always fp32 --
    embedding: TensorPolicy = field(default_factory=TensorPolicy)
    attention: TensorPolicy = field(default_factory=TensorPolicy)
    mlp: TensorPolicy = field(default_factory=TensorPolicy)
    other: TensorPolicy = field(default_factory=TensorPolicy)
    passthrough_max_numel: int = 65_536  # float tensors this small stay fp16 (the baseline's rule)
    # -- calibration for gptq / hsdclip; never validation data (golfkit/quant/calib.py) --
    calib: Literal["none", "train", "selfgen"] = "none"  # train: inside schedule.wallclock_reserve_seconds
    calib_batches: int = 16  # "train": micro-batches of the training stream (rec 04-14: 16)
    selfgen_seqs: int = 64  # "selfgen": sampled sequences (PR #1019: 64 x 2048 at T=0.8)
    selfgen_len: int = 0  # tokens per sequence; 0 = schedule.train_seq_len
    selfgen_temperature: float = 0.8
    selfgen_batch: int = 8
    gptq_damp: float = 0.01  # fraction of mean(diag H) added to the diagonal
    gptq_block: int = 128  # columns per lazy error-propagation block
    gptq_act_order: bool = True  # quantize columns by descending diag(H)
    # -- the records' export rules, each off by default (tests/test_records_quant.py checks them
    #    against the records' own functions) --
    # inv_qmax: scales never below 1/qmax (PR #1290: (clip/31).clamp_min(1/31)); fp16_min: only a zero row is floored
    scale_floor: Literal["fp16_min", "inv_qmax"] = "fp16_min"
    # PR #1290 damps H by 0.01*mean(diag H) (clamp 1e-6) when collecting it, and GPTQ damps it again
    gptq_damp_twice: bool = False
    # PR #1290 collects its Hessians with a non-looped copy of the model (_HessianGPT); False = as trained
    calib_looped: bool = True
    # fp16: control tensors (scales, gates, mixes) stored fp16 like every small tensor (all records do)
    control_format: Literal["fp32", "fp16"] = "fp32"
    # unbiased: SDClip's std with Bessel's correction, as W.std(dim=1) in the PR #1787 lineage (#1801..#2135)
    sdclip_std: Literal["population", "unbiased"] = "population"
    # PR #1855 (GATED_ATTN_QUANT_GATE): the attention-output gate (32..8192 elements) as int8 per row,
    # scale row max/127 in fp16, instead of a small float tensor
    gate_int8: bool = False
    # baseline: int8 percentile-RTN tensors use the challenge baseline's row format (clip, round with the
    # fp32 scale, floor 1/127), as PR #1290's quantize_float_tensor; policy: golfkit's int_row format
    int8_rows: Literal["policy", "baseline"] = "policy"
    # -- LQER low-rank error correction of the top-k error tensors (PR #1797); 0 = off --
    lqer_rank: int = 0
    lqer_top_k: int = 3
    lqer_a_bits: int = 2
    lqer_b_bits: int = 4
    lqer_group: int = 64
    # improving: the top-k int tensors by ||W - Q s||_F, each kept only if it lowers the error (fp64 SVD);
    # records: the top-k GPTQ tensors, always applied, fp32 SVD (PR #1855 / #2135 gptq_mixed_quantize)
    lqer_select: Literal["improving", "records"] = "improving"
    # -- selective +-1 pruning down to the budget (PR #609); target in decimal bytes --
    prune: bool = False
    prune_target_bytes: int = 0  # model bytes to reach; 0 = budget_bytes - code bytes
    prune_families: list[str] = field(default_factory=lambda: ["attention", "mlp"])
    # -- QAT (golfkit/quant/qat.py): ste = straight-through fake quant (rec 03-19), noisy = U(-1/2,1/2)*step (PR #363) --
    qat: Literal["off", "ste", "noisy"] = "off"
    qat_start_frac: float = 0.0  # training fraction at which it turns on; 0 = whole run (late QAT: 0.85)
    qat_layers: list[int] = field(default_factory=list)  # physical block indices; empty = every block
    # > 0: it turns on once the LR scale falls below this (PR #1290 LATE_QAT_THRESHOLD=0.15), and not before
    # qat_start_frac; 0 = by qat_start_frac alone
    qat_lr_scale: float = 0.0
    # which linears: export_int = those the export stores as int codes (in qat_layers); outside_blocks = the
    # linears outside the blocks, e.g. the BigramHash/VE projections (PR #1290: its STE lives in CastedLinear
    # and its block matrices are banks, so only those projections get it)
    qat_scope: Literal["export_int", "outside_blocks"] = "export_int"
    # the fake-quant grid: export = the family's export format; int6_rowmax = PR #1290's CastedLinear STE
    # (row max / 31 floored at 1/31, codes -32..31), whatever the export stores
    qat_grid: Literal["export", "int6_rowmax"] = "export"


@dataclass
class SGDTTTConfig:
    """Score-first full-weight chunked SGD TTT (PR #461 -> rec 03-23, PR #549)."""

    chunk_tokens: int = 32_768  # targets per chunk: scored, then trained on
    lr: float = 0.002  # SP1024 records; SP8192 records use 0.005
    momentum: float = 0.9
    epochs: int = 3  # passes over each scored chunk; 0 = no adaptation (equals sliding)
    seq_len: int = 0  # training sequence length inside a chunk; 0 = the eval window
    batch_seqs: int = 32  # sequences per SGD step (global)
    grad_clip_norm: float = 1.0  # 0 = none
    freeze_blocks: int = 0  # the first N blocks stay fixed (record: 0; 2 was 0.0004 worse)
    lr_schedule: Literal["cosine", "constant"] = "cosine"  # across chunks, not within one


@dataclass
class LoRATTTConfig:
    """Per-document batched LoRA TTT (rec 03-17_LoRA_TTT v1 defaults; rec 04-10/PR #1767 knobs)."""

    targets: list[Literal["q", "k", "v", "o", "mlp", "head"]] = field(default_factory=lambda: ["q", "v", "head"])
    rank: int = 8  # v2: 96, SOTA: 80
    alpha: float = 0.0  # output scale alpha/rank (PR #1767: 144); 0 = unscaled (v1)
    optimizer: Literal["adam", "adamw"] = "adam"  # v2: adamw, beta1 0, wd 0.5
    lr: float = 0.01  # v2: 1e-4
    beta1: float = 0.9
    beta2: float = 0.95
    eps: float = 1e-10
    weight_decay: float = 0.0
    chunk_tokens: int = 256  # v2: 32, SOTA: 48
    context: int = 1024  # window length (tokens of doc prefix) per chunk; v2: 2048
    batch_docs: int = 64
    steps_per_chunk: int = 1  # optimizer steps after each scored chunk; 0 = no adaptation
    a_init: Literal["reset", "warm"] = "reset"  # warm: only B is zeroed per batch, A persists (PR #1767)
    # stream: documents in validation order (causal with any carried state). longest_first: the records'
    # queue (similar lengths per batch), built from every document's length; with a_init=warm or
    # ttt-phased it makes earlier scores depend on later documents, and such a score is labelled not
    # C1-legal (golfkit/eval/ttt.py stream_causal).
    doc_order: Literal["stream", "longest_first"] = "stream"
    # the window of a document's last, shorter chunk. chunk: it starts at the chunk's nominal end minus
    # `context`, as every other chunk's window does. doc_end: it ends at the document's end with `context`
    # tokens (the records' _compute_chunk_window, PR #1787 -> #1801/#1855/#2135), so the last chunk's
    # context depends on where the next BOS falls, a later token; such a score is labelled not C1-legal
    # (golfkit/eval/ttt.py stream_causal).
    last_window: Literal["chunk", "doc_end"] = "chunk"
    # the adapters' fresh values per document. uniform_zero: A ~ U(+-1/sqrt(in)), B = 0, so a document starts on
    # the unadapted model (rec 03-17). normal: A ~ N(0, init_std_a^2), B ~ N(0, init_std_b^2) (swapp1990#2).
    # Both are drawn from a seed of (document, site), not from the global RNG, so a score does not depend on
    # which documents came before it.
    init: Literal["uniform_zero", "normal"] = "uniform_zero"
    init_std_a: float = 0.01
    init_std_b: float = 0.001


@dataclass
class PhasedTTTConfig:
    """Phased global SGD on already-scored documents (PR #1610 -> rec 04-13; PR #1626 -> rec 04-14)."""

    docs: int = 2000  # N: the phases end after this many documents of the queue (SOTA 2500)
    phases: int = 1  # P: SGD after N*p/P documents, p = 1..P (rec 04-14: 3)
    lr: float = 0.001  # rec 04-13: 0.005 x 3 epochs
    momentum: float = 0.9
    epochs: int = 1  # 0 = no global SGD
    chunk_tokens: int = 32_768  # tokens per SGD step group; lr is cosine across these chunks
    seq_len: int = 0  # 0 = the eval window; sequences never cross a document boundary
    batch_seqs: int = 32
    grad_clip_norm: float = 1.0


@dataclass
class NgramTiltConfig:
    """Token-only causal n-gram tilt of the scored distribution (PR #2135; golfkit/eval/tilt.py)."""

    enabled: bool = False
    order: int = 16  # context of order - 1 previous tokens (PR #2135: 16)
    threshold: float = 0.8  # tilt where the expert's top follower has at least this frequency
    boost: float = 2.625  # beta: log-odds added to the hinted token, renormalised in closed form


@dataclass
class EvalConfig:
    """Validation: the whole split, every target scored once, by one method (golfkit/eval/)."""

    batch_tokens: int = 524_288  # global validation tokens per forward batch
    # also score the trained weights before export (the last-step val line, metrics' pre_quant_* and
    # quant_gap_bpb); False skips that one evaluation (sweeps, ablations): the roundtrip score remains
    pre_quant: bool = True
    # flat: the baseline's non-overlapping sequences; sliding: windows of seq_len every stride tokens
    # (rec 03-19_SlidingWindowEval); doc: sliding windows inside each document (rec 03-17 ablation);
    # ttt-*: score-first test-time training (golfkit/eval/ttt.py).
    method: Literal["flat", "sliding", "doc", "ttt-sgd", "ttt-lora", "ttt-phased"] = "flat"
    seq_len: int = 0  # window length L; 0 = schedule.train_seq_len
    stride: int = 64  # scored tokens per later window (records: 64; doc eval in rec 03-17: 256)
    rope_scaling: Literal["none", "ntk"] = "none"  # ntk: base*s^(d/(d-2)), s = window/train_seq_len when > 1
    temperature: float = 1.0  # logits / T before the softmax (ternary rec 03-24: T=0.90 for relu^2)
    time_budget_seconds: float = 600.0  # the challenge's eval cap; 0 = unchecked
    over_budget: Literal["warn", "stop"] = "warn"  # stop: abort with an error (a partial score is no score)
    sgd: SGDTTTConfig = field(default_factory=SGDTTTConfig)
    lora: LoRATTTConfig = field(default_factory=LoRATTTConfig)
    phased: PhasedTTTConfig = field(default_factory=PhasedTTTConfig)
    tilt: NgramTiltConfig = field(default_factory=NgramTiltConfig)


@dataclass
class RunConfig:
    """Everything a run needs. `preset` records where the defaults came from."""

    preset: str = "baseline"
    seed: int = 1337
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compile: Literal["auto", "on", "off"] = "auto"  # auto = torch.compile on CUDA only; on CPU it compiles training only
    # CUDA attention kernel of torch's SDPA (golfkit/train.py enable_fast_cuda): flash = FlashAttention-2, the
    # baseline's choice and auto's until a GPU measurement says otherwise (benchmarks/gpu_suite.py times each);
    # cudnn = cuDNN's fused attention (Hopper); efficient = memory-efficient; math = the unfused reference.
    attention: Literal["auto", "flash", "cudnn", "efficient", "math"] = "auto"
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    quant: QuantConfig = field(default_factory=QuantConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunConfig:
        cfg = _build(cls, d, prefix="")
        validate(cfg)
        return cfg

    @classmethod
    def from_json(cls, text: str | bytes, what: str = "config") -> RunConfig:
        from golfkit import safeio  # bounded nesting: a deeply nested file is refused, not a RecursionError

        return cls.from_dict(safeio.loads(text, what))

    def portable(self) -> RunConfig:
        """This config without the paths of this machine (data folder, tokenizer, guard sources and cache).

        What an artifact and an exported train_gpt.py store: identical data at another path gives
        identical bytes. The run's config.json keeps the real paths.
        """
        d = DataConfig()
        return dataclasses.replace(self, data=dataclasses.replace(self.data, **{k: getattr(d, k) for k in MACHINE_PATHS}))

    # -- overrides -------------------------------------------------------------------
    def override(self, overrides: dict[str, Any]) -> RunConfig:
        """A copy with dotted-key overrides applied (`{"model.num_layers": 11}`).

        String values are parsed against the field's type (as from the command line);
        other values must already have the right type.
        """
        d = self.to_dict()
        for key, value in overrides.items():
            parent, leaf, ftype = _locate(type(self), d, key)
            parent[leaf] = parse_value(ftype, value, key) if isinstance(value, str) else value
        return RunConfig.from_dict(d)


# ----------------------------------------------------------------------------------
# validation: ranges, finite numbers, and the rules that tie fields together (golfkit/config_rules.py)
# ----------------------------------------------------------------------------------
def _flat(obj: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        key = prefix + f.name
        out.extend(_flat(v, key + ".") if dataclasses.is_dataclass(v) else [(key, v)])
    return out


def validate(cfg: RunConfig) -> None:
    """Refuse values no run can use, naming the key and the allowed range (one line)."""
    config_rules.check(cfg, dict(_flat(cfg)), RANGES)


def _check_ranges_table() -> None:
    fields = {k for k, _ in _flat(RunConfig())}
    unknown = sorted(set(RANGES) - fields)
    if unknown:  # a renamed field must not silently lose its range
        raise AssertionError(f"RANGES names unknown config keys {unknown}")


_check_ranges_table()
