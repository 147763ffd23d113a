"""Allowed values of every config field with a range: the table `config.validate` checks.

Each row is (low, high, low included, high included). Size fields have caps far above any record
so that no single value asks for absurd memory; the model as a whole is checked against
DEFAULT_MAX_PARAMS (or --max-params) before it is built (golfkit/limits.py).

A table of its own so that an exported train_gpt.py can ship only the rows it needs: its config
was checked whole when it was exported, and only the fields its environment variables set
(golfkit/envvars.py ENV_FIELDS) can change after that (golfkit/export.py builds that subset).
"""

from __future__ import annotations

import math

INF = math.inf
U32 = 2**32 - 1
_FRAC_OPEN = (0.0, 1.0, True, False)  # [0, 1): momenta, betas, decays
_FRAC = (0.0, 1.0, True, True)  # [0, 1]
_POS = (0.0, INF, False, False)  # > 0
_NONNEG = (0, INF, True, False)  # >= 0
_ONE_UP = (1, INF, True, False)  # >= 1
F32_MAX = 3.4028234663852886e38  # the largest finite float32
_F32 = (-F32_MAX, F32_MAX, True, True)  # a value a float32 tensor holds
F32_TINY = 1.1754943508222875e-38  # the smallest normal float32: below it a positive setting rounds to 0 in a tensor
_F32_POS = (F32_TINY, F32_MAX, True, True)


def _r(lo: float, hi: float, lo_in: bool = True, hi_in: bool = True) -> tuple:
    return (lo, hi, lo_in, hi_in)


def _policy(prefix: str) -> dict[str, tuple]:
    return {f"{prefix}.bits": _r(2, 8), f"{prefix}.group_size": _r(0, 65_536), f"{prefix}.clip_percentile": _r(0.0, 1.0, False),
            f"{prefix}.clip_sigmas": _POS}


RANGES: dict[str, tuple] = {
    "seed": _r(0, U32),  # numpy's seed range
    "model.vocab_size": _r(2, 1 << 20), "model.num_layers": _r(1, 1024), "model.model_dim": _r(2, 65_536),
    "model.num_heads": _r(1, 4096), "model.num_kv_heads": _r(1, 4096), "model.mlp_mult": _r(1, 64),
    # values that become float32 tensors: 1e-300 rounds to 0 and 1e300 to inf (LOGIT_SOFTCAP, ROPE_BASE, ADAM_EPS
    # at either end trained to val_bpb nan with exit 0); a base below 1 turns RoPE's frequencies into growth
    "model.tied_embed_init_std": _r(0.0, F32_MAX), "model.logit_softcap": _F32_POS, "model.rope_base": _r(1.0, 1e30),
    # initial values of float32 parameters: -1e300 passed and torch.full failed ("cannot be converted to type
    # float without overflow", a traceback after the run folder was written)
    "model.qk_gain_init": _F32, "model.parallel_resid_init": _F32,
    "model.num_loops": _r(0, 64), "model.loop_start": _r(0, 1023), "model.loop_end": _r(0, 1023),
    "model.enable_looping_at": _FRAC, "model.loop_lora_rank": _r(0, 4096),
    "model.deq_layer": _r(-1, 1023), "model.deq_history": _r(1, 64), "model.deq_max_iter": _r(1, 100_000),
    "model.deq_tol": _POS, "model.deq_phantom_steps": _r(0, 1000), "model.deq_phantom_damping": _r(0.0, 1.0, False),
    "model.seed_lora_rank": _r(1, 65_536), "model.seed_lora_seed": _r(0, U32),
    "model.mod_capacity": _r(0.0, 1.0, False), "model.mod_aux_weight": _NONNEG,
    "model.parallel_start": _r(0, 1023), "model.xsa_last_n": _r(-1, 1024), "model.gate_window": _r(1, 65_536),
    "model.bos_id": _r(0, (1 << 20) - 1), "model.bigram_buckets": _r(0, 1 << 24), "model.bigram_dim": _r(1, 65_536),
    "model.ve_dim": _r(0, 65_536), "model.fused_ce_min_vocab": _r(0, 1 << 20), "model.rope_dims": _r(0, 65_536), "model.mlp_hidden": _r(0, 1 << 20),
    "model.dense_gate_init_std": _NONNEG, "model.mtp_heads": _r(0, 64), "model.mtp_loss_weight": _NONNEG,
    "model.rope_train_len": _r(0, 1 << 20), "model.enable_looping_at_step": _r(0, 1 << 40),
    "optim.matrix_lr": _POS, "optim.scalar_lr": _POS, "optim.tied_embed_lr": _POS, "optim.embed_lr": _POS,
    "optim.head_lr": _POS, "optim.muon_momentum": _FRAC_OPEN, "optim.muon_momentum_warmup_start": _FRAC_OPEN,
    "optim.muon_momentum_warmup_steps": _NONNEG, "optim.muon_backend_steps": _r(1, 100),
    "optim.beta1": _FRAC_OPEN, "optim.beta2": _FRAC_OPEN, "optim.adam_eps": _F32_POS, "optim.grad_clip_norm": _NONNEG,
    "optim.muon_wd": _NONNEG, "optim.embed_wd": _NONNEG, "optim.scalar_wd": _NONNEG,
    "optim.wd_taper_start_frac": _FRAC_OPEN, "optim.wd_taper_final_mult": _NONNEG, "optim.wd_ramp_final_mult": _NONNEG,
    "optim.ema_decay": _FRAC_OPEN, "optim.swa_every": _ONE_UP, "optim.swa_lr_scale_below": _FRAC,
    "optim.swa_last_frac": _FRAC, "optim.lawa_k": _ONE_UP, "optim.lawa_every": _ONE_UP,
    "schedule.iterations": _ONE_UP, "schedule.train_batch_tokens": _r(1, 2**31), "schedule.train_seq_len": _r(1, 1 << 20),
    "schedule.micro_batches": _r(1, 1 << 16), "schedule.warmdown_iters": _NONNEG,
    "schedule.warmdown_frac": _r(0.0, 1.0, False), "schedule.min_lr": _FRAC, "schedule.wallclock_reserve_seconds": _NONNEG,
    "schedule.warmup_steps": _NONNEG, "schedule.max_wallclock_seconds": _NONNEG, "schedule.val_loss_every": _NONNEG,
    "schedule.train_log_every": _NONNEG,
    "quant.budget_bytes": _ONE_UP, "quant.passthrough_max_numel": _NONNEG, "quant.calib_batches": _ONE_UP,
    "quant.selfgen_seqs": _ONE_UP, "quant.selfgen_len": _r(0, 1 << 20), "quant.selfgen_temperature": _POS,
    "quant.selfgen_batch": _ONE_UP, "quant.gptq_damp": _NONNEG, "quant.gptq_block": _ONE_UP, "quant.lqer_rank": _r(0, 65_536),
    "quant.lqer_top_k": _NONNEG, "quant.lqer_a_bits": _r(2, 8), "quant.lqer_b_bits": _r(2, 8), "quant.lqer_group": _ONE_UP,
    "quant.prune_target_bytes": _NONNEG, "quant.qat_start_frac": _FRAC, "quant.qat_lr_scale": _FRAC,
    "eval.lora.init_std_a": _NONNEG, "eval.lora.init_std_b": _NONNEG,
    **_policy("quant.embedding"), **_policy("quant.attention"), **_policy("quant.mlp"), **_policy("quant.other"),
    "eval.batch_tokens": _r(1, 2**31), "eval.seq_len": _r(0, 1 << 20), "eval.stride": _ONE_UP, "eval.temperature": _POS,
    "eval.time_budget_seconds": _NONNEG,
    "eval.sgd.chunk_tokens": _ONE_UP, "eval.sgd.lr": _NONNEG, "eval.sgd.momentum": _FRAC_OPEN,
    "eval.sgd.epochs": _r(0, 10_000),  # as lora.steps_per_chunk: 10**12 epochs of one chunk never end under "warn"
    "eval.sgd.seq_len": _NONNEG, "eval.sgd.batch_seqs": _ONE_UP, "eval.sgd.grad_clip_norm": _NONNEG,
    "eval.sgd.freeze_blocks": _NONNEG,
    "eval.lora.rank": _r(1, 65_536), "eval.lora.alpha": _NONNEG, "eval.lora.lr": _NONNEG, "eval.lora.beta1": _FRAC_OPEN,
    "eval.lora.beta2": _FRAC_OPEN, "eval.lora.eps": _POS, "eval.lora.weight_decay": _NONNEG,
    "eval.lora.chunk_tokens": _ONE_UP, "eval.lora.context": _ONE_UP, "eval.lora.batch_docs": _ONE_UP,
    "eval.lora.steps_per_chunk": _r(0, 10_000),  # 10**12 hung eval: the clock is read between chunks only
    # phases: its boundaries are built one per phase; 10**12 phases hung `golfkit eval` building them
    "eval.phased.docs": _NONNEG, "eval.phased.phases": _r(1, 1 << 20), "eval.phased.lr": _NONNEG,
    "eval.phased.momentum": _FRAC_OPEN, "eval.phased.epochs": _r(0, 10_000), "eval.phased.chunk_tokens": _ONE_UP,
    "eval.tilt.order": _r(2, 33), "eval.tilt.threshold": _FRAC, "eval.tilt.boost": _r(0.0, 80.0),  # log-odds: exp(boost) overflows float32 past 88 (1e308 warned of overflow)
    "eval.phased.seq_len": _NONNEG, "eval.phased.batch_seqs": _ONE_UP, "eval.phased.grad_clip_norm": _NONNEG,
}
