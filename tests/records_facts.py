"""What each record's run set, setting by setting, and the golfkit config key that expresses it.

`rows(rec)` -> [(setting, value, golfkit key, transform, note)], where value is the record's
(resolved by its run environment), `transform` turns it into golfkit's representation, and key
is "" when golfkit has no counterpart (a MISSING row, unless the note starts with "off": the
record leaves that feature off, so nothing is missing). Settings are the record's own
`Hyperparameters`; facts of its code that are not settings are added per record with the line
of its train_gpt.py they come from.
"""

from __future__ import annotations

# record attribute -> (golfkit key, transform or None)
GENERIC: dict[str, tuple[str, object]] = {
    "vocab_size": ("model.vocab_size", None),
    "num_layers": ("model.num_layers", None),
    "model_dim": ("model.model_dim", None),
    "num_heads": ("model.num_heads", None),
    "num_kv_heads": ("model.num_kv_heads", None),
    "mlp_mult": ("model.mlp_mult", None),
    "tie_embeddings": ("model.tie_embeddings", None),
    "tied_embed_init_std": ("model.tied_embed_init_std", None),
    "logit_softcap": ("model.logit_softcap", None),
    "rope_base": ("model.rope_base", None),
    "qk_gain_init": ("model.qk_gain_init", None),
    "rope_dims": ("model.rope_dims", None),
    "ln_scale": ("model.ln_scale", None),
    "bigram_vocab_size": ("model.bigram_buckets", None),
    "bigram_dim": ("model.bigram_dim", None),
    "num_loops": ("model.num_loops", None),
    "loop_start": ("model.loop_start", None),
    "loop_end": ("model.loop_end", None),
    "enable_looping_at": ("model.enable_looping_at", None),
    "parallel_start_layer": ("model.parallel_start", None),
    "skip_gates_enabled": ("model.skip_gates", None),
    "gate_window": ("model.gate_window", None),
    "sparse_attn_gate_scale": ("model.attn_gate_scale", None),
    "smear_gate_enabled": ("model.smear_gate", None),
    "recur_alpha_enabled": ("model.recur_carry", None),
    "mtp_num_heads": ("model.mtp_heads", None),
    "matrix_lr": ("optim.matrix_lr", None),
    "scalar_lr": ("optim.scalar_lr", None),
    "tied_embed_lr": ("optim.tied_embed_lr", None),
    "embed_lr": ("optim.embed_lr", None),
    "head_lr": ("optim.head_lr", None),
    "muon_momentum": ("optim.muon_momentum", None),
    "muon_momentum_warmup_start": ("optim.muon_momentum_warmup_start", None),
    "muon_momentum_warmup_steps": ("optim.muon_momentum_warmup_steps", None),
    "muon_backend_steps": ("optim.muon_backend_steps", None),
    "muon_row_normalize": ("optim.muon_row_normalize", None),
    "beta1": ("optim.beta1", None),
    "beta2": ("optim.beta2", None),
    "adam_eps": ("optim.adam_eps", None),
    "grad_clip_norm": ("optim.grad_clip_norm", None),
    "muon_wd": ("optim.muon_wd", None),
    "embed_wd": ("optim.embed_wd", None),
    "ema_decay": ("optim.ema_decay", None),
    "iterations": ("schedule.iterations", None),
    "train_batch_tokens": ("schedule.train_batch_tokens", None),
    "train_seq_len": ("schedule.train_seq_len", None),
    "warmup_steps": ("schedule.warmup_steps", None),
    "max_wallclock_seconds": ("schedule.max_wallclock_seconds", None),
    "warmdown_iters": ("schedule.warmdown_iters", None),
    "warmdown_frac": ("schedule.warmdown_frac", None),
    "min_lr": ("schedule.min_lr", None),
    "gptq_reserve_seconds": ("schedule.wallclock_reserve_seconds", None),
    "val_loss_every": ("schedule.val_loss_every", None),
    "train_log_every": ("schedule.train_log_every", None),
    "seed": ("seed", int),
    "val_batch_size": ("eval.batch_tokens", None),
    "val_batch_tokens": ("eval.batch_tokens", None),
    "attn_clip_sigmas": ("quant.attention.clip_sigmas", None),
    "mlp_clip_sigmas": ("quant.mlp.clip_sigmas", None),
    "embed_clip_sigmas": ("quant.embedding.clip_sigmas", None),
    "matrix_clip_sigmas": ("quant.other.clip_sigmas", None),
    "embed_bits": ("quant.embedding.bits", None),
    "gptq_calibration_batches": ("quant.calib_batches", None),
    "gptq_block_size": ("quant.gptq_block", None),
    "lqer_rank": ("quant.lqer_rank", None),
    "lqer_top_k": ("quant.lqer_top_k", None),
    "lqer_factor_bits": ("quant.lqer_b_bits", None),
    "lqer_asym_group": ("quant.lqer_group", None),
    "ttt_lora_rank": ("eval.lora.rank", None),
    "ttt_lora_alpha": ("eval.lora.alpha", float),
    "ttt_lora_lr": ("eval.lora.lr", None),
    "ttt_chunk_size": ("eval.lora.chunk_tokens", None),
    "ttt_eval_seq_len": ("eval.lora.context", None),
    "ttt_batch_size": ("eval.lora.batch_docs", None),
    "ttt_grad_steps": ("eval.lora.steps_per_chunk", None),
    "ttt_weight_decay": ("eval.lora.weight_decay", None),
    "ttt_beta1": ("eval.lora.beta1", None),
    "ttt_beta2": ("eval.lora.beta2", None),
    "phased_ttt_prefix_docs": ("eval.phased.docs", None),
    "phased_ttt_num_phases": ("eval.phased.phases", None),
    "global_ttt_lr": ("eval.phased.lr", None),
    "global_ttt_momentum": ("eval.phased.momentum", None),
    "global_ttt_epochs": ("eval.phased.epochs", None),
    "global_ttt_chunk_tokens": ("eval.phased.chunk_tokens", None),
    "global_ttt_batch_seqs": ("eval.phased.batch_seqs", None),
    "global_ttt_grad_clip": ("eval.phased.grad_clip_norm", None),
}

# settings of a feature golfkit lacks; at this value the record leaves it off (row "n/a")
OFF = {
    "mtp_loss_weight": None, "trigram_enabled": False, "dtg_enabled": False, "gated_attention": False,
    "value_residual": False, "qat_enabled": False, "lawa_enabled": False, "use_ttt": False,
    "attn_out_gate_enabled": False, "gated_attn_enabled": False, "spinquant_enabled": False,
    "recur_diag_p2p_cos": False, "loop_depth_upgrade_at": 0.0, "rope_yarn": False, "muon_huber_wd": False,
    "optrot_enabled": False, "qk_gain_schedule": [], "sparse_attn_gate_init_std": 0.0,
    "global_ttt_warmup_chunks": 0, "val_doc_fraction": 1.0, "ttt_eval_batches": "", "ttt_grad_steps_clean": False,
    "within_boost": 0.0, "word_boost": 0.0, "agree_add_boost": 0.0, "within_tau": 99.0, "word_tau": 99.0,
    "muon_beta2": None, "global_ttt_optimizer": "sgd",
}
# settings that only matter when an off feature is on, or are bookkeeping/paths
IGNORE = {
    "run_id", "artifact_dir", "logfile", "model_path", "quantized_model_path", "distributed", "rank", "world_size",
    "local_rank", "is_main_process", "grad_accum_steps", "train_files", "val_files", "val_bytes_files",
    "datasets_dir", "tokenizer_path", "data_dir", "data_path", "caseops_enabled",
    "gated_attn_init_std", "attn_out_gate_src", "spinquant_seed", "spinquant_sites", "lawa_k", "lawa_freq",
    "muon_huber_delta", "global_ttt_warmup_start_lr", "global_ttt_muon_nesterov", "global_ttt_muon_ns_steps",
    "word_order", "word_normalize", "ngram_hint_precompute_outside", "ttt_lr", "ttt_epochs", "ttt_chunk_tokens",
    "ttt_freeze_blocks", "ttt_momentum", "ttt_batch_seqs", "ttt_grad_clip", "gptq_calib_batches",
    "late_qat_threshold", "swa_every", "swa_enabled", "xsa_last_n", "ve_enabled", "ve_dim", "ve_layers",
    "recur_layers", "recur_start_step", "adam_wd", "fused_ce_enabled", "eval_seq_len", "eval_stride",
    "compressor", "matrix_bits", "ttt_enabled", "ttt_k_lora", "ttt_o_lora", "ttt_mlp_lora", "ttt_optimizer",
    "lqer_enabled", "lqer_asym_enabled", "gated_attn_quant_gate", "sparse_attn_gate_enabled", "parallel_final_lane",
    "global_ttt_respect_doc_boundaries", "asym_logit_rescale", "ngram_tilt_enabled", "token_order",
    "token_threshold", "token_boost", "rope_train_seq_len",
}  # (the ones with meaning are covered by the per-record rows below)


def _settings(rec) -> list[tuple]:
    h = rec.h
    out = []
    for attr in sorted(a for a in dir(h) if not a.startswith("_")):
        v = getattr(h, attr)
        if attr in IGNORE or callable(v):
            continue
        if attr in GENERIC:
            key, tf = GENERIC[attr]
            out.append((attr, v, key, tf, ""))
        elif attr in OFF:
            off = OFF[attr]
            ok = off is None or v == off
            out.append((attr, v, "", None, "off in this run" if ok else "no golfkit counterpart"))
        else:
            out.append((attr, v, "", None, "no golfkit counterpart"))
    return out


def _xsa(h) -> int:
    return -1 if h.xsa_last_n >= h.num_layers else h.xsa_last_n


def _eval_len(h):
    return lambda v: 0 if v == h.train_seq_len else v


def _ttt_targets(h) -> list[str]:
    t = ["q"] + (["k"] if h.ttt_k_lora else []) + ["v"] + (["o"] if h.ttt_o_lora else []) \
        + (["mlp"] if h.ttt_mlp_lora else []) + ["head"]
    return t


def rows(rec) -> list[tuple]:
    h, name = rec.h, rec.name
    out = _settings(rec)
    add = out.append
    if name == "baseline":
        add(("Muon Newton-Schulz order (line 107: c * A @ A)", "baseline", "optim.muon_ns_order", None, ""))
        add(("warmdown kind (lr_mul, lines 762-771: iterations)", "iters", "schedule.warmdown_kind", None, ""))
        add(("RoPE tables from bf16 inv_freq and bf16 positions (.bfloat16() line 838 casts Rotary's buffer; "
             "line 541 arange in its dtype)", "bf16", "model.rope_dtype", None, ""))
        return out
    if name == "pr1290":
        layers = [int(x) for x in h.recur_layers.split(",") if x.strip()]
        add(("xsa_last_n (11 = all layers)", h.xsa_last_n, "model.xsa_last_n", lambda v: _xsa(h), ""))
        add(("ve_dim (VE_ENABLED=1)", h.ve_dim if h.ve_enabled else 0, "model.ve_dim", None, ""))
        add(("ve_layers", h.ve_layers, "model.ve_layers", lambda v: [int(x) for x in v.split(",")], ""))
        add(("recur_layers -> loop_start", h.recur_layers, "model.loop_start", lambda v: layers[0], ""))
        add(("recur_layers -> loop_end", h.recur_layers, "model.loop_end", lambda v: layers[-1], ""))
        add(("recur_layers -> extra passes", h.recur_layers, "model.num_loops", lambda v: 1, ""))
        add(("recur_start_step (a step, line 2040)", h.recur_start_step, "model.enable_looping_at_step", None, ""))
        add(("MLP activation (MLP.forward line 752: leaky_relu 0.5, squared)", "leaky_relu2", "model.mlp_act", None, ""))
        add(("init (_init_weights 901-923: orthogonal q/k/v/up, zero out/down)", "orthogonal", "model.init", None, ""))
        add(("adam_wd -> embedding AdamW (line 1894)", h.adam_wd, "optim.embed_wd", None, ""))
        add(("adam_wd -> scalar AdamW (line 1910)", h.adam_wd, "optim.scalar_wd", None, ""))
        add(("EMA exported (lines 1997, 2126; SWA collected but unused)", "ema", "optim.weight_averaging", None, ""))
        add(("ema_decay (hard-coded, line 1997)", 0.997, "optim.ema_decay", None, ""))
        add(("Muon Newton-Schulz order (line 125: c * (A @ A))", "records", "optim.muon_ns_order", None, ""))
        add(("Muon numerics (lines 240-245: bf16 grad + momentum, lr*scale at update)", "parallel",
             "optim.muon_numerics", None, ""))
        add(("MuonEq-R (always on, lines 251-252)", True, "optim.muon_row_normalize", None, ""))
        add(("warmdown kind (lr_mul 1956-1965: iterations, in time units)", "iters", "schedule.warmdown_kind", None, ""))
        add(("eval: sliding windows (lines 2294-2308)", "sliding", "eval.method", None, ""))
        add(("eval_stride", h.eval_stride, "eval.stride", None, ""))
        add(("eval_seq_len (0 = train_seq_len)", h.eval_seq_len, "eval.seq_len", _eval_len(h), ""))
        add(("TARGET_MB (prune target, MiB incl. code, line 2194)", 15.9, "quant.prune_target_bytes",
             lambda v: int(v * 1024 * 1024), ""))
        add(("GPTQ calibration: AR self-generated (line 2180)", "selfgen", "quant.calib", None, ""))
        add(("compressor: LZMA preset 9 (line 2241)", "lzma", "quant.compressor", None, ""))
        add(("export: mixed int6/int8 (mixed_quantize_int6, line 2190)", "policy", "quant.scheme", None, ""))
        for fam in ("attention", "mlp"):
            add((f"int6 GPTQ for {fam} (int6_cats {{mlp, attn}}, clip_range 31)", 6, f"quant.{fam}.bits", None, ""))
            add(("(same)", "gptq", f"quant.{fam}.method", None, ""))
            add(("(same): 5-percentile clip search (line 1378)", "search", f"quant.{fam}.clip", None, ""))
        for fam in ("embedding", "other"):
            add((f"int8 per-row percentile RTN for {fam} (quantize_float_tensor)", 8, f"quant.{fam}.bits", None, ""))
            add(("(same)", "rtn", f"quant.{fam}.method", None, ""))
            add(("(same): 99.99984th percentile", 0.9999984, f"quant.{fam}.clip_percentile", None, ""))
        add(("AR self-generated sequences (line 2180)", 64, "quant.selfgen_seqs", None, ""))
        add(("(same): temperature", 0.8, "quant.selfgen_temperature", None, ""))
        add(("(same): batch", 8, "quant.selfgen_batch", None, ""))
        add(("(same): length = train_seq_len (0)", h.train_seq_len, "quant.selfgen_len",
             lambda v: 0 if v == h.train_seq_len else v, ""))
        add(("selective +-1 pruning (lines 2192-2239)", True, "quant.prune", None, ""))
        add(("SmearGate v1 (always built, line 837; in the scalar AdamW, line 1874)", "learned", "model.smear_v1",
             None, ""))
        add(("U-Net skips sized unlooped (line 840: 5 of the 6 looped encoder outputs)", "unlooped",
             "model.skip_count", None, ""))
        add(("RoPE NTK rescale above 1,024 tokens in training and eval (lines 638, 873, 590-593)", 1024,
             "model.rope_train_len", None, ""))
        add(("RoPE tables from bf16 inv_freq (+ bf16 positions at <= 1,024 tokens) (.bfloat16(), line 1839)", "bf16",
             "model.rope_dtype", None, ""))
        add(("BigramHash/VE projections -> scalar AdamW (lines 1882, 1886)", "adam", "model.frontend_proj_optim",
             None, ""))
        add(("VE projection init: orthogonal (line 922 overrides its zero init)", "orthogonal", "model.ve_proj_init",
             None, ""))
        add(("late QAT: int6 STE in CastedLinear (line 557)", "ste", "quant.qat", None, ""))
        add(("(same): once the lr scale < LATE_QAT_THRESHOLD (lines 2036-2038)", h.late_qat_threshold,
             "quant.qat_lr_scale", None, ""))
        add(("(same): only CastedLinears have it, and the block matrices are banks: the BigramHash/VE projections",
             "outside_blocks", "quant.qat_scope", None, ""))
        add(("(same): step rowmax/31 floored at 1/31, codes -32..31 (lines 559-562)", "int6_rowmax",
             "quant.qat_grid", None, ""))
        add(("GPTQ Hessians looped (no: a non-looped copy, _HessianGPT, line 2157)", False, "quant.calib_looped",
             None, ""))
        add(("GPTQ damping applied twice (lines 1320, 1367)", True, "quant.gptq_damp_twice", None, ""))
        add(("int6/int8 scale floor 1/qmax (lines 1383, 417)", "inv_qmax", "quant.scale_floor", None, ""))
        add(("int8 tensors: the baseline's rows (quantize_float_tensor, line 405)", "baseline", "quant.int8_rows",
             None, ""))
        add(("clip search: one percentile per matrix (lines 1378-1409)", True, "", None,
             "same: golfkit's GPTQ clip search keeps one percentile per matrix"))
        add(("small tensors (<= 65,536) fp16 incl. control tensors (line 1690)", "fp16", "quant.control_format",
             None, ""))
        return out
    if name == "swapp2":
        add(("XSA layers (line 796: i >= num_layers - 4)", 4, "model.xsa_last_n", None, ""))
        add(("MLP: SwiGLU (MLP, lines 704-717)", "swiglu", "model.mlp_act", None, ""))
        add(("SwiGLU hidden = int(2*mlp_mult*dim/3) rounded up to 64 (line 708)",
             ((int(2 * h.mlp_mult * h.model_dim / 3) + 63) // 64) * 64, "model.mlp_hidden", None, ""))
        add(("init (_init_weights 807-820: orthogonal, zero proj)", "orthogonal", "model.init", None, ""))
        add(("Muon weight decay applied (Muon drops weight_decay, line 116; MUON_WD read by nothing)", 0.0,
             "optim.muon_wd", None, ""))
        add(("Muon Newton-Schulz order (line 107: c * A @ A)", "baseline", "optim.muon_ns_order", None, ""))
        add(("Muon numerics (lines 141-149: fp32 momentum, bf16 scaled update)", "baseline",
             "optim.muon_numerics", None, ""))
        add(("Adam without weight decay (lines 988, 1000)", 0.0, "optim.scalar_wd", None, ""))
        add(("warmdown kind (lr_mul 1047-1056: iterations, in time units)", "iters", "schedule.warmdown_kind", None, ""))
        add(("SWA exported (lines 1228-1234)", "swa", "optim.weight_averaging", None, ""))
        add(("SWA snapshot every (line 1173)", 200, "optim.swa_every", None, ""))
        add(("SWA from the warmdown start (lines 1177-1179: lr scale < 1)", 1.0, "optim.swa_lr_scale_below", None, ""))
        add(("export: mixed int5/int6/int8 (quantize_state_dict_mixed, line 1275)", "policy", "quant.scheme", None, ""))
        add(("int5 for mlp./gate./up. tensors (line 373)", 5, "quant.mlp.bits", None, ""))
        add(("int6 for the other matrices (line 401)", 6, "quant.attention.bits", None, ""))
        add(("int8 for tok_emb (lines 386-393)", 8, "quant.embedding.bits", None, ""))
        add(("scales = row max / qmax (no percentile clip, lines 351, 363, 388)", 1.0,
             "quant.attention.clip_percentile", None, ""))
        add(("(same, MLP)", 1.0, "quant.mlp.clip_percentile", None, ""))
        add(("(same, embedding)", 1.0, "quant.embedding.clip_percentile", None, ""))
        add(("fp16 passthrough for tensors <= 896 elements (line 380)", 896, "quant.passthrough_max_numel", None, ""))
        add(("control (and smear) tensors fp16 at any size (lines 382-384)", "fp16", "quant.control_format", None, ""))
        add(("compressor: zstd 22 (line 1279)", "zstd", "quant.compressor", None, ""))
        add(("score: LoRA TTT (lines 1298-1455)", "ttt-lora", "eval.method", None, ""))
        add(("TTT_RANK (line 1310)", 8, "eval.lora.rank", None, ""))
        add(("TTT_LR (line 1311)", 0.05, "eval.lora.lr", None, ""))
        add(("TTT_CHUNK_SIZE (line 1312)", 256, "eval.lora.chunk_tokens", None, ""))
        add(("TTT context = the chunk itself (lines 1415-1416)", 256, "eval.lora.context", None, ""))
        add(("TTT LoRA on Q and V (lines 1336-1343)", ["q", "v"], "eval.lora.targets", None, ""))
        add(("TTT scale 1/rank (line 1323) = alpha 1", 1.0, "eval.lora.alpha", None, ""))
        add(("TTT Adam defaults (line 1406): beta2", 0.999, "eval.lora.beta2", None, ""))
        add(("TTT Adam defaults (line 1406): eps", 1e-8, "eval.lora.eps", None, ""))
        add(("SmearGate v1, fixed 0.5 blend (line 782; its gate is in no optimizer, lines 971-986)", "frozen",
             "model.smear_v1", None, ""))
        add(("XSA formula y - (y.v / max(v.v, 1e-8)) v on repeat-interleaved V (lines 688-699)", "projection",
             "model.xsa_form", None, ""))
        add(("RoPE tables from bf16 inv_freq and bf16 positions (.bfloat16() line 961; line 633)", "bf16",
             "model.rope_dtype", None, ""))
        add(("quant code range -16..15 / -32..31 / -128..127 (lines 355, 367, 390)", True, "", None,
             "same: its scales are the row max / qmax (no clipping; their fp16 rounding moves |w / scale| by < 0.01), so "
             "|w / scale| <= qmax and the extra negative "
             "code is never used; tests/test_records_quant.py finds every code and scale equal"))
        add(("control tensors and smear.gate stored fp16 (lines 383-385)", "fp16", "quant.control_format", None, ""))
        add(("TTT LoRA init A ~ N(0, 0.01^2), B ~ N(0, 0.001^2), re-drawn per document (lines 1321-1332)", "normal",
             "eval.lora.init", None, ""))
        add(("(same): A's std", 0.01, "eval.lora.init_std_a", None, ""))
        add(("(same): B's std", 0.001, "eval.lora.init_std_b", None, ""))
        add(("TTT: documents < 32 tokens scored without adaptation (lines 1362-1382)", True, "", None,
             "same: such a document is one 256-token chunk, scored before any adaptation in golfkit too"))
        add(("TTT: BOS targets, documents < 5 tokens and 1-token tail chunks not scored (lines 1357-1395)", True,
             "(TTT scored targets)", None, ""))
        return out
    # PR #1787 lineage (#1801, #1855, #2135)
    add(("xsa_last_n (11 = all layers)", h.xsa_last_n, "model.xsa_last_n", lambda v: _xsa(h), ""))
    add(("MLP activation (leaky_relu 0.5, squared)", "leaky_relu2", "model.mlp_act", None, ""))
    add(("parallel residuals (two lanes from parallel_start_layer)", "two_lane", "model.parallel_residual", None, ""))
    add(("sparse_attn_gate_enabled", "sparse" if h.sparse_attn_gate_enabled else "none", "model.attn_gate", None, ""))
    add(("init (_init_weights: orthogonal q/k/v/up, zero out/down)", "orthogonal", "model.init", None, ""))
    add(("adam_wd -> scalar AdamW", h.adam_wd, "optim.scalar_wd", None, ""))
    add(("EMA exported", "ema", "optim.weight_averaging", None, ""))
    add(("Muon Newton-Schulz: Polar Express coefficients", "polar_express", "optim.muon_ns", None, ""))
    add(("Muon Newton-Schulz order (c * (A @ A))", "records", "optim.muon_ns_order", None, ""))
    add(("Muon numerics (bf16 grad + momentum, lr*scale at update)", "parallel", "optim.muon_numerics", None, ""))
    add(("warmdown kind (training fraction)", "fraction", "schedule.warmdown_kind", None, ""))
    add(("score: quantized phased LoRA TTT", "ttt-phased" if h.ttt_enabled else "flat", "eval.method", None, ""))
    add(("eval_seq_len (0 = train_seq_len)", h.eval_seq_len, "eval.seq_len", _eval_len(h), ""))
    add(("TTT LoRA targets (q, v, head always; k/o/mlp switches)", _ttt_targets(h), "eval.lora.targets", None, ""))
    add(("TTT optimizer (AdamW with ttt_weight_decay)", "adamw" if h.ttt_optimizer == "adam" else h.ttt_optimizer,
         "eval.lora.optimizer", None, ""))
    add(("TTT AdamW eps (1e-10)", 1e-10, "eval.lora.eps", None, ""))
    add(("TTT A warm across documents (reset() zeroes B only)", "warm", "eval.lora.a_init", None, ""))
    add(("TTT window of a document's last chunk ends at the document's end (_compute_chunk_window)", "doc_end",
         "eval.lora.last_window", None, ""))
    if not hasattr(h, "ttt_lora_alpha"):
        add(("TTT_LORA_ALPHA (BatchedLinearLoRA._ALPHA, env default 144)", 144.0, "eval.lora.alpha", None, ""))
    add(("quant: GPTQ on attention/MLP/embedding, SDClip (k * std / qmax)", "gptq", "quant.attention.method", None, ""))
    add(("(same)", "sdclip", "quant.attention.clip", None, ""))
    add(("(same)", "gptq", "quant.mlp.method", None, ""))
    add(("(same)", "sdclip", "quant.mlp.clip", None, ""))
    add(("(same)", "gptq", "quant.embedding.method", None, ""))
    add(("(same)", "sdclip", "quant.embedding.clip", None, ""))
    add(("matrix_bits -> attention", h.matrix_bits, "quant.attention.bits", None, ""))
    add(("matrix_bits -> mlp", h.matrix_bits, "quant.mlp.bits", None, ""))
    add(("calibration on training batches", "train", "quant.calib", None, ""))
    add(("LQER rank (0 = off)", h.lqer_rank if getattr(h, "lqer_enabled", False) else 0, "quant.lqer_rank", None, ""))
    if getattr(h, "lqer_enabled", False):
        add(("LQER asymmetric A bits (int2, _lqer_pack_asym)", 2, "quant.lqer_a_bits", None, ""))
    comp = h.compressor
    add(("compressor", comp, "quant.compressor", None, ""))
    if comp != "pergroup":
        add(("byte shuffle before the compressor (_compress)", True, "quant.byte_shuffle", None, ""))
    add(("parallel_final_lane = mean (golfkit merges lanes by their mean)", h.parallel_final_lane, "", None,
         "off: same as golfkit" if h.parallel_final_lane == "mean" else "no golfkit counterpart"))
    add(("two-lane block: resid_mix on attention input only, MLP reads lane 1 before attention writes, "
         "skip into lane 0 only (_parallel_block; _forward_hidden)", "pr1787", "model.two_lane_form", None, ""))
    add(("lane parameters for every layer (parallel_post/resid_lambdas: num_layers rows)", "pr1787",
         "model.two_lane_form", None, ""))
    add(("RoPE inv_freq in bf16 (GPT(h).bfloat16() casts Rotary's buffer; Rotary.forward upcasts it)", "bf16_freq",
         "model.rope_dtype", None, ""))
    add(("attention masked per document in training and eval_val (cu_seqlens from BOS)", True, "model.doc_mask",
         None, ""))
    add(("training rows: one packed 98,304-token row per rank and micro-batch, documents cut into "
         "train_seq_len pieces from their start (DocumentPackingLoader)", "documents", "data.packing", None, ""))
    add(("diagnostic eval_val: one packed row per batch, remainder dropped (its TODO)", True,
         "(diagnostic eval_val rows)", None, ""))
    add(("tok_emb stored bf16 in training (restore_fp32_params skips 2-D embeddings)", True, "", None,
         "same: golfkit keeps tok_emb bf16 on CUDA (train.prepare_model)"))
    if h.recur_alpha_enabled if hasattr(h, "recur_alpha_enabled") else False:
        add(("frozen carry beta (bf16 buffer as the run used it)", [1.5625, 1.8515625, 2.125], "model.recur_beta",
             None, ""))
        add(("frozen carry alpha (bf16)", [[0.23046875, 0.0400390625, 0.030029296875],
                                           [0.1298828125, -0.33984375, 0.010009765625],
                                           [0.06005859375, 0.1904296875, -0.02001953125]], "model.recur_alpha", None, ""))
        add(("frozen carry mixes each band layer's FIRST-pass output (carry[i] set once)", "first_pass",
             "model.recur_carry_source", None, ""))
    if getattr(h, "smear_gate_enabled", False):
        add(("SmearGate on the raw embedding, before the RMSNorm", True, "model.smear_before_norm", None, ""))
        add(("SmearGate BOS mask (SMEAR_GATE_BOS_FIX, read at forward time)", name != "pr2135",
             "model.smear_bos_mask", None, ""))
    if h.gated_attn_quant_gate and name != "pr1801":
        add(("attn_gate_w stored int8 per row (gated_attn_quant_gate)", True, "quant.gate_int8", None, ""))
    elif h.gated_attn_quant_gate:  # PR #1801's int8 gate route needs 1024 <= numel; the sparse gate has 96
        add(("gated_attn_quant_gate (its 1024 <= numel bound skips the 96-element sparse gate: fp16)", True, "",
             None, "off: the gate is stored fp16 in this run"))
    if getattr(h, "asym_logit_rescale", False):
        add(("asymmetric logit softcap: softcap_pos/neg in no optimizer (Optimizers, lines 2117-2145), the training "
             "loss and global TTT use the scalar cap (forward, lines 1579-1598): they stay at their init", "frozen",
             "model.asym_softcap", None, ""))
    if getattr(h, "ngram_tilt_enabled", False):
        add(("token-only causal n-gram tilt at eval (NGRAM_TILT_ENABLED)", True, "eval.tilt.enabled", None, ""))
        add(("tilt: token_order", h.token_order, "eval.tilt.order", None, ""))
        add(("tilt: token_threshold", h.token_threshold, "eval.tilt.threshold", None, ""))
        add(("tilt: token_boost", h.token_boost, "eval.tilt.boost", None, ""))
    add(("CaseOps tokenizer and shards (CASEOPS_ENABLED, DATA_PATH)", "sp8192_lossless_caps_caseops_v1_reserved",
         "data.variant", None, ""))
    add(("val_bpb bytes from the sidecar fineweb_val_bytes_*.bin", "sidecar", "data.byte_source", None, ""))
    add(("GPTQ scales fp16 of k*std(row) with Bessel's correction (W.std(dim=1))", "unbiased", "quant.sdclip_std",
         None, ""))
    add(("small tensors (<= 65,536) fp16 incl. control tensors", "fp16", "quant.control_format", None, ""))
    add(("GPTQ Hessian of tok_emb from the final-norm output (tied head)", True, "", None,
         "same: golfkit hooks the final norm's output for the tied embedding"))
    if getattr(h, "lqer_enabled", False):
        add(("LQER: top-k GPTQ tensors by ||E||, always applied, fp32 SVD (gptq_mixed_quantize)", "records",
             "quant.lqer_select", None, ""))
    return out
