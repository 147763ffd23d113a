"""One training loop for CPU and CUDA, one process or torchrun DDP, with the challenge's semantics.

    train(cfg, run_dir) -> metrics dict

Order of events (openai/parameter-golf `train_gpt.py`, `main()`):
1. seed, tokenizer + byte tables, validation tokens (eval only), model, optimizers;
2. compile priming: `warmup_steps` real steps, then the initial weights, optimizer
   state and data stream are restored, so compilation is not in the timed run;
3. the loop: validation at step 0, every `val_loss_every` and at the last step (its time
   is excluded from train_time); Muon momentum warmup; the wall-clock-aware warmdown;
   stop at `iterations` or when train_time reaches the cap (agreed across ranks);
4. export: quantize -> compress -> write the artifact -> reload it from disk -> evaluate.
   The reported val_bpb is always the reloaded artifact's.

CUDA runs in bf16 autocast with torch.compile and flash SDPA (config `attention`); CPU runs fp32, its
training step compiled when `compile` is on (cpu-small: BENCHMARKS.md) and its evaluation eager.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import math
import json
import os
import random
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as tdist
from torch.nn.parallel import DistributedDataParallel as DDP

from golfkit import artifact, dist, limits, optim, quant
from golfkit.atomic import write_error
from golfkit.config import DEFAULT_MAX_PARAMS, RunConfig
from golfkit.config import validate as validate_config
from golfkit.data import (ByteLUTs, Dataset, DistributedTokenLoader, PackedDocumentLoader, check_packed_span,
                          check_train_stream, find_dataset, load_tokenizer, load_val_tokens, refuse_non_train,
                          train_loader, val_byte_counts)
from golfkit.errors import GolfkitError, WriteError
from golfkit.eval.flat import evaluate_flat
from golfkit.eval.score import EvalResult, autocast_for
from golfkit.model import GPT, count_params
from golfkit.optim import build_optimizers, lr_multiplier, muon_momentum_at, newton_schulz
from golfkit.reload import compile_model, evaluate_artifact, prepare_model, use_compile, use_compile_eval
from golfkit.runlog import RunLog, code_bytes, env_info, submitted_code_bytes
from golfkit.session import Session

ARTIFACT_NAME = "final_model.int8.golf"
CHECKPOINT_NAME = "checkpoint.golf"  # full-precision weights, only with schedule.save_checkpoint
# Written first and exclusively: the folder belongs to the run whose id is inside. A run folder is written by
# one run, so a folder holding any of RUN_FILES (a finished, failed or killed run) is refused, never mixed into.
RUN_MARKER = ".golfkit-run.json"
REPORT_NAME = "quant_report.json"  # a policy export's per-tensor report (golfkit/quant/report.py)
RUN_FILES = (RUN_MARKER, "config.json", "env.json", "train.log", "metrics.jsonl", "metrics.json", ARTIFACT_NAME,
             CHECKPOINT_NAME, REPORT_NAME)


# The techniques that act during training, in the order their hooks run: (module, installer, wanted(cfg)).
# An installer appends step/final/prime hooks to the session (golfkit/session.py) and adds nothing when
# its switch is off; its module is imported only when wanted, and `golfkit export` bundles the modules
# this table selects.
TRAINING_HOOKS = (
    ("golfkit.optim", "install_wd_schedule", lambda c: True),  # Muon WD taper/ramp (no hook when constant)
    ("golfkit.averaging", "install_hooks", lambda c: c.optim.weight_averaging != "none"),  # EMA/SWA/LAWA
    ("golfkit.quant.qat", "install_hooks", lambda c: c.quant.qat != "off"),  # QAT transforms + late switch
    ("golfkit.model.recurrence", "install_hooks", lambda c: c.model.num_loops > 0),  # unlooped until enable_looping_at
)


def default_run_dir(cfg: RunConfig, root: str | Path = "runs") -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return Path(root) / f"{stamp}_{cfg.preset}_s{cfg.seed}"


def new_run_id() -> str:
    """Names one run: written into the marker, env.json, train.log and metrics.json."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)


def claim_run_dir(run_dir: Path, run_id: str) -> None:
    """Make `run_dir` this run's folder (rank 0), before anything is written into it.

    Refuses a folder that holds any file a run writes (RUN_FILES): a rerun never overwrites or mixes
    with an earlier run, finished or not. Other files (a launcher's console.log) are left alone.
    """
    if os.path.lexists(run_dir) and not run_dir.is_dir():
        raise GolfkitError(f"run folder {run_dir} exists and is not a folder")
    used = [n for n in RUN_FILES if os.path.lexists(run_dir / n)]
    if used:
        state = "a finished run" if "metrics.json" in used else "an unfinished run (failed or killed: no metrics.json)"
        raise GolfkitError(f"run folder {run_dir} already holds {state}: {', '.join(used)}; a run folder is written "
                           f"by one run: choose another --run-dir or remove that folder")
    marker = run_dir / RUN_MARKER
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_error(run_dir, e) from None
    try:
        with open(marker, "x", encoding="utf-8") as f:
            try:
                f.write(json.dumps({"run_id": run_id, "pid": os.getpid()}) + "\n")
                f.flush()
            except OSError:
                marker.unlink(missing_ok=True)
                raise
    except FileExistsError:
        raise GolfkitError(f"run folder {run_dir} was claimed by another run at the same moment") from None
    except OSError as e:
        raise write_error(marker, e) from None


# ----------------------------------------------------------------------------------
# setup
# ----------------------------------------------------------------------------------
def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def check_batch_geometry(cfg: RunConfig, world: int) -> int:
    """Micro-steps per rank; refuses batch shapes that would silently drop tokens."""
    s = cfg.schedule
    if s.micro_batches % world != 0:
        raise GolfkitError(f"schedule.micro_batches={s.micro_batches} must be divisible by the world size {world}")
    per_micro = s.train_batch_tokens // s.micro_batches
    if s.train_batch_tokens % s.micro_batches or per_micro % s.train_seq_len:
        raise GolfkitError(f"schedule.train_batch_tokens={s.train_batch_tokens} must split into {s.micro_batches} "
                           f"micro-batches of whole {s.train_seq_len}-token sequences")
    return s.micro_batches // world


def enable_fast_cuda(attention: str = "auto") -> None:
    """TF32 matmuls and one SDPA kernel (`attention`; auto = flash only, as the baseline and the records).

    One kernel, not PyTorch's priority list: a shape the chosen kernel cannot run fails loudly instead of
    silently falling back to a slower one (the math kernel at seq 2048 is several times slower).
    """
    from torch.backends import cuda as bc

    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    kind = "flash" if attention == "auto" else attention
    bc.enable_cudnn_sdp(kind == "cudnn")
    bc.enable_flash_sdp(kind == "flash")
    bc.enable_mem_efficient_sdp(kind == "efficient")
    bc.enable_math_sdp(kind == "math")


def device_memory_bytes(device: torch.device) -> int:
    """All of the device's memory (not what is free now: a bound that never refuses a batch that would fit)."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_eval_batch(cfg: RunConfig, ctx: dist.DistContext, val_tokens, memory: int) -> None:
    """An evaluation batch's memory, as train and `golfkit eval` check it: a batch holds no more than the rank's
    share of the validation split."""
    per_rank = (val_tokens.numel() - 1) // ctx.world_size
    limits.check_eval_memory(cfg, min(cfg.eval.batch_tokens // ctx.world_size, per_rank), memory)


def preflight(cfg: RunConfig, ctx: dist.DistContext,
              max_params: int = DEFAULT_MAX_PARAMS) -> tuple[int, Dataset, ByteLUTs, torch.Tensor]:
    """Every check a user can fail, before anything is written: values, model size, batch shape, data, vocab."""
    validate_config(cfg)  # ranges (a RunConfig built in Python skipped from_dict)
    limits.check_model_size(cfg, max_params)
    accum = check_batch_geometry(cfg, ctx.world_size)
    memory = device_memory_bytes(ctx.device)
    limits.check_batch_memory(cfg, cfg.schedule.train_batch_tokens // cfg.schedule.micro_batches, memory)
    optim.check_config(cfg)
    quant.check_config(cfg)  # quant policy / calibration mistakes (no-op for the baseline export)
    ds = find_dataset(cfg.data.dir, cfg.data.variant, cfg.data.tokenizer, byte_source=cfg.data.byte_source)
    # training on validation data is against the rules (PR #675 did it); what was checked goes to the log
    ds.guard = refuse_non_train(ds.train_files, ds.val_files, guard=cfg.data)
    sp = load_tokenizer(ds.tokenizer, cfg.model.vocab_size)
    check_train_stream(ds.train_files, cfg.model.vocab_size)  # no empty stream, ids < vocab
    if cfg.data.packing == "documents":  # one packed span per micro-step must fit in a shard
        local_tokens = cfg.schedule.train_batch_tokens // (ctx.world_size * accum)
        check_packed_span(ds.train_files, (local_tokens + 1) * ctx.world_size)
    val_tokens = load_val_tokens(ds, cfg.model.vocab_size)
    check_eval_batch(cfg, ctx, val_tokens, memory)
    return accum, ds, val_byte_counts(ds, sp, cfg.model.vocab_size, val_tokens), val_tokens


def build_session(cfg: RunConfig, ctx: dist.DistContext, log: RunLog, checked: tuple) -> Session:
    accum, ds, luts, val_tokens = checked
    seed_everything(cfg.seed)
    if ctx.device.type == "cuda":
        enable_fast_cuda(cfg.attention)
    base = prepare_model(cfg, ctx.device)
    compiled = use_compile(cfg, ctx.device)
    train_model = compile_model(base, compiled)
    # Validation runs the compiled model only where compiling it pays: on a CPU a validation pass costs less
    # than compiling its no-grad graph (BENCHMARKS.md), so there it runs eagerly.
    eval_model = train_model if use_compile_eval(cfg, ctx.device) else base
    model = DDP(train_model, device_ids=[ctx.local_rank] if ctx.device.type == "cuda" else None,
                broadcast_buffers=False) if ctx.distributed else train_model
    optimizers = build_optimizers(base.param_groups(), cfg.optim, cfg.model.tie_embeddings,
                                  fused=ctx.device.type == "cuda", device=ctx.device)
    if compiled:
        for opt in optimizers:
            if hasattr(opt, "ns"):  # one graph per matrix (or stack) shape, each compiled once in priming
                opt.ns = torch.compile(newton_schulz, dynamic=False)
    log_header(cfg, ctx, log, ds, val_tokens, base, accum)
    spelling = getattr(luts, "spelling", None)  # the CaseOps byte sidecar against the pieces' spelling
    if spelling:
        log.line(f"val_bytes:sidecar charged:{spelling['charged']} spelled:{spelling['spelled']} "
                 f"excess:{100 * spelling['excess']:+.3f}% targets_differ:{spelling['targets_differ']}")
    sess = Session(cfg, ctx, log, ds, luts, val_tokens, base, model, eval_model, optimizers, accum)
    log.line(optim.describe(cfg, ctx.device))
    for module, installer, wanted in TRAINING_HOOKS:
        if wanted(cfg):
            getattr(importlib.import_module(module), installer)(sess)
    return sess


def guard_line(summary: dict) -> str:
    """train.log's `data_guard:` line: what the validation guard checked, against which sources, what it found,
    and whether its index and shard results were computed or read from a cache (golfkit/overlap.py)."""
    if summary.get("guard") != "on":
        return f"data_guard:off {summary.get('reason', '')}".rstrip()
    return importlib.import_module("golfkit.overlap").format_summary(summary)


def log_header(cfg: RunConfig, ctx, log: RunLog, ds: Dataset, val_tokens, base: GPT, accum: int) -> None:
    m, o, s = cfg.model, cfg.optim, cfg.schedule
    log.line(f"val_bpb:enabled tokenizer_kind=sentencepiece tokenizer_path={ds.tokenizer}")
    log.line(f"train_loader:dataset:fineweb10B_{ds.variant} train_shards:{len(ds.train_files)}"
             + (" packing:documents" if cfg.data.packing == "documents" else ""))
    log.line(f"val_loader:shards pattern={ds.val_files[0].parent}/fineweb_val_*.bin tokens:{val_tokens.numel() - 1}")
    if ds.guard is not None:
        log.line(guard_line(ds.guard))
    log.line(f"model_params:{count_params(base)}")
    log.line(f"world_size:{ctx.world_size} grad_accum_steps:{accum}")
    log.line(f"device:{ctx.device} compile:{use_compile(cfg, ctx.device)}")
    log.line(f"attention_mode:gqa num_heads:{m.num_heads} num_kv_heads:{m.num_kv_heads}")
    embed_lr = o.tied_embed_lr if m.tie_embeddings else o.embed_lr
    head_lr = 0.0 if m.tie_embeddings else o.head_lr
    log.line(f"tie_embeddings:{m.tie_embeddings} embed_lr:{embed_lr} head_lr:{head_lr} "
             f"matrix_lr:{o.matrix_lr} scalar_lr:{o.scalar_lr}")
    log.line(f"train_batch_tokens:{s.train_batch_tokens} train_seq_len:{s.train_seq_len} iterations:{s.iterations} "
             f"warmup_steps:{s.warmup_steps} max_wallclock_seconds:{s.max_wallclock_seconds:.3f}")
    log.line(f"seed:{cfg.seed}")


# ----------------------------------------------------------------------------------
# steps
# ----------------------------------------------------------------------------------
def zero_grad(sess: Session) -> None:
    for opt in sess.optimizers:
        opt.zero_grad(set_to_none=True)


def train_step(sess: Session, loader: DistributedTokenLoader | PackedDocumentLoader, step: int,
               lr_scale: float) -> torch.Tensor:
    """One optimizer step over `accum` micro-batches; returns the mean micro-batch loss (this rank)."""
    cfg, ctx = sess.cfg, sess.ctx
    local_tokens = cfg.schedule.train_batch_tokens // (ctx.world_size * sess.accum)
    # data.packing=documents: one packed row whose documents attend in train_seq_len pieces (PR #1787 lineage)
    kw = {"piece_len": cfg.schedule.train_seq_len} if cfg.data.packing == "documents" else {}
    zero_grad(sess)
    total = torch.zeros((), device=ctx.device)
    for micro in range(sess.accum):
        if isinstance(sess.model, DDP):
            # all-reduce gradients once, on the last micro-step (nanoGPT's idiom)
            sess.model.require_backward_grad_sync = micro == sess.accum - 1
        x, y = loader.next_batch(local_tokens, cfg.schedule.train_seq_len)
        with autocast_for(ctx.device):
            loss = sess.model(x, y, **kw)
        total += loss.detach()
        (loss / sess.accum).backward()
    for opt in sess.optimizers:
        if hasattr(opt, "ns"):  # Muon
            for g in opt.param_groups:
                g["momentum"] = muon_momentum_at(step, cfg.optim)
        for g in opt.param_groups:
            g["lr"] = g["base_lr"] * lr_scale
    if cfg.optim.grad_clip_norm > 0:
        torch.nn.utils.clip_grad_norm_(sess.base.parameters(), cfg.optim.grad_clip_norm)
    for opt in sess.optimizers:
        opt.step()
    zero_grad(sess)
    return total / sess.accum


def prime_compile(sess: Session) -> None:
    """Run warmup_steps real steps to trigger compilation, then restore the initial state."""
    n = sess.cfg.schedule.warmup_steps
    if n <= 0:
        return
    init_model = {k: v.detach().clone() for k, v in sess.base.state_dict().items()}
    init_opts = [copy.deepcopy(opt.state_dict()) for opt in sess.optimizers]
    loader = train_loader(sess.cfg.data, sess.ds.train_files, sess.ctx.rank, sess.ctx.world_size, sess.ctx.device,
                          sess.cfg.model.vocab_size)
    for i in range(n):
        for hook in sess.prime_hooks:  # e.g. compile the looped graph too, outside the timed run
            hook(sess, i, n)
        train_step(sess, loader, 0, 1.0)
        if n <= 20 or (i + 1) % 10 == 0 or i + 1 == n:
            sess.log.line(f"warmup_step:{i + 1}/{n}")
    for hook in sess.prime_hooks:
        hook(sess, n, n)
    sess.base.load_state_dict(init_model, strict=True)
    for opt, state in zip(sess.optimizers, init_opts):
        opt.load_state_dict(state)
    zero_grad(sess)


def mean_across_ranks(t: torch.Tensor) -> float:
    if tdist.is_available() and tdist.is_initialized():
        t = t.clone()
        tdist.all_reduce(t, op=tdist.ReduceOp.SUM)
        t /= tdist.get_world_size()
    return float(t.item())


# ----------------------------------------------------------------------------------
# the loop
# ----------------------------------------------------------------------------------
def progress(step: int, elapsed_ms: float, s) -> float:
    """Fraction of training done: of the wall-clock cap when one is set, else of the iterations."""
    return optim.training_fraction(step, elapsed_ms, s)  # of cap - wallclock_reserve_seconds


def validate(sess: Session, step: int, train_ms: float) -> EvalResult:
    s = sess.cfg.schedule
    res = evaluate_flat(sess.eval_model, sess.val_tokens, sess.luts, s.train_seq_len, sess.cfg.eval.batch_tokens, sess.ctx)
    sess.log.line(f"step:{step}/{s.iterations} val_loss:{res.val_loss:.4f} val_bpb:{res.val_bpb:.4f} "
                  f"train_time:{train_ms:.0f}ms step_avg:{train_ms / max(step, 1):.2f}ms")
    sess.log.metric(step=step, kind="val", val_loss=res.val_loss, val_bpb=res.val_bpb, train_time_ms=train_ms)
    return res


def run_loop(sess: Session) -> dict[str, Any]:
    """Train until `iterations` or the wall-clock cap; return the loop's numbers."""
    cfg, ctx, s = sess.cfg, sess.ctx, sess.cfg.schedule
    loader = train_loader(cfg.data, sess.ds.train_files, ctx.rank, ctx.world_size, ctx.device, cfg.model.vocab_size)
    cap_ms = optim.budget_ms(s)  # the cap minus schedule.wallclock_reserve_seconds; None = no cap
    train_ms, stop_after, step, last_val, diverged = 0.0, None, 0, None, None
    sess.base.train()
    dist.sync(ctx.device)
    t0 = time.perf_counter()
    while True:
        last = step == s.iterations or (stop_after is not None and step >= stop_after)
        if last or (s.val_loss_every > 0 and step % s.val_loss_every == 0):
            dist.sync(ctx.device)
            train_ms += 1000.0 * (time.perf_counter() - t0)  # validation time is not training time
            if not last or cfg.eval.pre_quant:
                last_val = validate(sess, step, train_ms)
            dist.sync(ctx.device)
            t0 = time.perf_counter()
        if last:
            if stop_after is not None and step < s.iterations:
                sess.log.line(f"stopping_early: wallclock_cap train_time:{train_ms:.0f}ms step:{step}/{s.iterations}")
            break
        scale = lr_multiplier(step, train_ms + 1000.0 * (time.perf_counter() - t0), s)
        loss = train_step(sess, loader, step, scale)
        step += 1
        now_ms = train_ms + 1000.0 * (time.perf_counter() - t0)
        for hook in sess.step_hooks:
            hook(sess, step, progress(step, now_ms, s))
        if s.train_log_every > 0 and (step <= 10 or step % s.train_log_every == 0 or stop_after is not None):
            train_loss = mean_across_ranks(loss)
            sess.log.line(f"step:{step}/{s.iterations} train_loss:{train_loss:.4f} "
                          f"train_time:{now_ms:.0f}ms step_avg:{now_ms / step:.2f}ms")
            sess.log.metric(step=step, kind="train", train_loss=train_loss, train_time_ms=now_ms, lr_scale=scale)
            if not math.isfinite(train_loss):  # diverged: every later step is spent on NaNs (the ranks agree: a mean)
                sess.log.line(f"stopping_early: diverged train_loss:{train_loss} step:{step}/{s.iterations}")
                diverged, last_val = step, None
                break
        # The ranks agree on the cap (a collective and a host sync each step, as the reference); without a cap
        # there is nothing to agree on, and nothing to wait for.
        if cap_ms is not None and stop_after is None and dist.all_reduce_max_flag(now_ms >= cap_ms, ctx.device):
            stop_after = step
    final_hooks_ms = 0.0  # after the loop, before export: training work (validation excluded)
    if sess.final_hooks and diverged is None:  # averaging NaN weights is still NaN
        hooks_t0 = time.perf_counter()
        for hook in sess.final_hooks:
            hook(sess)
        final_hooks_ms = 1000.0 * (time.perf_counter() - hooks_t0)
        if cfg.eval.pre_quant:
            last_val = validate(sess, step, train_ms)  # the weights changed: re-score before export
    if not cfg.eval.pre_quant:
        last_val = None  # eval.pre_quant=false: only the roundtrip is scored
    if diverged is not None:
        train_ms += 1000.0 * (time.perf_counter() - t0)
    return {"steps": step, "train_time_ms": train_ms, "pre_quant": last_val, "final_hooks_ms": final_hooks_ms,
            "diverged_step": diverged}


# ----------------------------------------------------------------------------------
# export + roundtrip
# ----------------------------------------------------------------------------------
def save_checkpoint(sess: Session, path: Path) -> int:
    """The trained (pre-quantization) weights, losslessly, in the artifact container (no pickle)."""
    qts = [quant.passthrough(name, t, "raw") for name, t in sess.base.state_dict().items()]
    art = artifact.Artifact(qts, sess.cfg.portable().to_dict(), {"kind": "checkpoint"}, "zlib")
    return artifact.save(art, path) if sess.ctx.is_main else 0


def train_budget(loop: dict[str, Any], sizes: dict[str, Any], export_ms: float) -> dict[str, float]:
    """The training time a run is audited against (600 s on 8xH100): the loop's train_time (validation
    excluded, as the reference), the final hooks (EMA/SWA weights), GPTQ calibration (training data read
    after the loop, inside schedule.wallclock_reserve_seconds) and the GPTQ/policy quantization. Writing and
    compressing the artifact (the rest of export_ms) is serialisation, outside the timer as in every record."""
    calib = sizes.get("calib") or {}
    t = {"loop_ms": float(loop["train_time_ms"]), "final_hooks_ms": float(loop.get("final_hooks_ms", 0.0)),
         "calib_ms": 1000.0 * float(calib.get("seconds", 0.0)) if isinstance(calib, dict) else 0.0,
         "quantize_ms": 1000.0 * float(sizes.get("quantize_seconds", 0.0)), "export_ms": export_ms}
    t["train_total_ms"] = t["loop_ms"] + t["final_hooks_ms"] + t["calib_ms"] + t["quantize_ms"]
    return t


def finalize(sess: Session, loop: dict[str, Any], run_dir: Path, started: float) -> dict[str, Any]:
    cfg, ctx, log = sess.cfg, sess.ctx, sess.log
    peak = None
    if ctx.device.type == "cuda":
        peak = torch.cuda.max_memory_allocated() // 2**20
        log.line(f"peak memory allocated: {peak} MiB reserved: {torch.cuda.max_memory_reserved() // 2**20} MiB")
    if cfg.schedule.save_checkpoint:
        save_checkpoint(sess, run_dir / CHECKPOINT_NAME)
    path = run_dir / ARTIFACT_NAME
    export_t0 = time.perf_counter()
    sizes = quant.export_artifact(sess, path)
    timing = train_budget(loop, sizes, 1000.0 * (time.perf_counter() - export_t0))
    log.line(f"train_budget: loop:{timing['loop_ms']:.0f}ms final_hooks:{timing['final_hooks_ms']:.0f}ms "
             f"calibration:{timing['calib_ms']:.0f}ms quantize:{timing['quantize_ms']:.0f}ms "
             f"total:{timing['train_total_ms']:.0f}ms (export:{timing['export_ms']:.0f}ms)")
    code, what = submitted_code_bytes(cfg)  # what a submission counts (the exported train_gpt.py)
    raw, files = code_bytes()  # the modules this process imported, as written (an upper bound)
    total = sizes["bytes_model"] + code
    kind = f"{sizes.get('label', 'int8')}+{sizes.get('compressor', cfg.quant.compressor)}"  # e.g. int6+lzma
    log.line(f"Serialized model {kind}: {sizes['bytes_model']} bytes (payload:{sizes['payload_bytes']})")
    log.line(f"Code size: {code} bytes ({what}; {len(files)} imported golfkit files, {raw} bytes as written)")
    log.line(f"Total submission size {kind}: {total} bytes")
    over = total > cfg.quant.budget_bytes
    if over:
        log.line(f"WARNING over_budget: {total} bytes > {cfg.quant.budget_bytes} (decimal) by {total - cfg.quant.budget_bytes}")
    # the run's own model passed preflight under the caller's ceiling: its artifact may reload at its size
    rt = evaluate_artifact(path, cfg, ctx, sess.val_tokens, sess.luts,
                           max(DEFAULT_MAX_PARAMS, limits.estimate_params(cfg.model)))
    log.line(f"final_int8_zlib_roundtrip val_loss:{rt.val_loss:.4f} val_bpb:{rt.val_bpb:.4f} eval_time:{1000 * rt.eval_seconds:.0f}ms")
    if sizes.get("label", "int8") != "int8":  # the records' own label, beside the canonical line
        log.line(f"final_{sizes['label']}_roundtrip_exact val_loss:{rt.val_loss:.8f} val_bpb:{rt.val_bpb:.8f}")
    log.line(f"final_int8_zlib_roundtrip_exact val_loss:{rt.val_loss:.8f} val_bpb:{rt.val_bpb:.8f}")
    log.line(f"score_book: method:flat scored_targets:{rt.val_tokens} split_targets:{sess.val_tokens.numel() - 1}")
    score = score_by_method(sess, path, rt, sizes.get("label", "int8"))
    if score is not rt:
        log.line(f"score_book: method:{score.method} scored_targets:{score.val_tokens} "
                 f"split_targets:{sess.val_tokens.numel() - 1}")
    pre: EvalResult | None = loop["pre_quant"]  # None when eval.pre_quant is off
    steps, train_ms = loop["steps"], loop["train_time_ms"]
    tokens = steps * cfg.schedule.train_batch_tokens
    return {
        "val_loss": rt.val_loss, "val_bpb": rt.val_bpb,
        "pre_quant_val_loss": pre and pre.val_loss, "pre_quant_val_bpb": pre and pre.val_bpb,
        "quant_gap_bpb": pre and rt.val_bpb - pre.val_bpb,
        "val_tokens": rt.val_tokens, "val_bytes": rt.val_bytes, "eval_seconds": rt.eval_seconds,
        # the score the records report: the preset's eval.method on the reloaded artifact (= the flat one
        # when the method is flat); eval_budget_seconds is the challenge's separate eval limit
        "eval_method": score.method, "method_val_loss": _finite(score.val_loss), "method_val_bpb": _finite(score.val_bpb),
        "method_eval_seconds": score.eval_seconds, "method_over_budget": score.over_budget,
        "eval_budget_seconds": cfg.eval.time_budget_seconds,
        "bytes_model": sizes["bytes_model"], "bytes_code": code, "bytes_total": total,
        "bytes_code_modules": raw,
        "budget_bytes": cfg.quant.budget_bytes, "over_budget": over, "code_files": files,
        "steps": steps, "train_time_ms": train_ms, "step_avg_ms": train_ms / max(steps, 1),
        "train_tokens": tokens, "tokens_per_s": tokens / max(train_ms / 1000.0, 1e-9),
        "epochs": tokens / max(sum(f.stat().st_size - 1024 for f in sess.ds.train_files) / 2, 1),
        "peak_memory_mib": peak, "seed": cfg.seed, "preset": cfg.preset,
        "model_params": count_params(sess.base), "world_size": ctx.world_size,
        "artifact": str(path), "wall_seconds": time.perf_counter() - started,
        # the run's record of its files: readers (`golfkit eval`, `export`, `quant report`) check that what they
        # read is what this run wrote (the container's own checksum detects corruption, not edits)
        "artifact_sha256": artifact.file_sha256(path),
        "checkpoint_sha256": _sha_if_file(run_dir / CHECKPOINT_NAME) if cfg.schedule.save_checkpoint else None,
        "quant_report_sha256": _sha_if_file(run_dir / REPORT_NAME),
        # same seed, data and thread count give the same bytes; another thread count changes float sums
        "torch_threads": torch.get_num_threads(),
        # for `golfkit audit RUN_DIR`: the training budget as the challenge counts it, the score's ledger,
        # and what the validation guard checked
        "timing": timing,
        "score_book": {"method": "flat", "scored_targets": rt.val_tokens, "split_targets": sess.val_tokens.numel() - 1,
                       "legality_note": rt.legality_note},
        # the same ledger for the eval method's score (the one the records report); None when it is the flat one
        "method_score_book": None if score is rt else {
            "method": score.method, "scored_targets": score.val_tokens, "split_targets": sess.val_tokens.numel() - 1,
            "legality_note": score.legality_note, "eval_seconds": score.eval_seconds},
        "data_guard": sess.ds.guard,
        "diverged_step": loop.get("diverged_step"),  # the logged step whose train loss was not finite, else None
    }


def diverged_line(metrics: dict[str, Any]) -> str:
    """What `golfkit train` and an exported script say (non-zero exit) when the loop stopped on a non-finite loss."""
    return (f"training diverged: the train loss was not finite at step {metrics['diverged_step']}, where the run "
            f"stopped; its folder keeps train.log and metrics.json, and its score is not a result")


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None  # no score (the method failed): null in metrics.json


def method_lines(res: EvalResult, cfg: RunConfig, label: str) -> list[str]:
    """The records' own final lines for an eval method's score (their logs' names)."""
    e, ms = cfg.eval, f"{1000 * res.eval_seconds:.0f}ms"
    if res.method == "sliding":  # PR #1290
        return [f"final_{label}_sliding_window val_loss:{res.val_loss:.4f} val_bpb:{res.val_bpb:.4f} "
                f"stride:{e.stride} eval_time:{ms}",
                f"final_{label}_sliding_window_exact val_loss:{res.val_loss:.8f} val_bpb:{res.val_bpb:.8f}"]
    if res.method == "ttt-phased":  # PR #1855 / #2135
        return [f"quantized_ttt_phased val_loss:{res.val_loss:.8f} val_bpb:{res.val_bpb:.8f} eval_time:{ms}"]
    if res.method in ("ttt-sgd", "ttt-lora"):  # PR #1290 (score-first SGD), swapp1990 #2 (LoRA)
        return [f"final_ttt val_loss:{res.val_loss:.4f} val_bpb:{res.val_bpb:.4f} eval_time:{ms}",
                f"final_ttt_exact val_loss:{res.val_loss:.8f} val_bpb:{res.val_bpb:.8f}"]
    name = f"final_{label}_{res.method.replace('-', '_')}"
    return [f"{name} val_loss:{res.val_loss:.4f} val_bpb:{res.val_bpb:.4f} eval_time:{ms}",
            f"{name}_exact val_loss:{res.val_loss:.8f} val_bpb:{res.val_bpb:.8f}"]


def score_by_method(sess: Session, path: Path, flat: EvalResult, label: str) -> EvalResult:
    """The preset's eval method (sliding, TTT, n-gram tilt, ...) on the artifact reloaded from disk, after
    the flat roundtrip: what the records print as their score. Flat configs return the flat result."""
    from golfkit.eval import evaluate, plain_flat
    from golfkit.reload import model_from_artifact

    cfg, ctx, log = sess.cfg, sess.ctx, sess.log
    if plain_flat(cfg):
        return flat
    _, model = model_from_artifact(path, cfg, ctx.device, max(DEFAULT_MAX_PARAMS, limits.estimate_params(cfg.model)))
    try:
        res = evaluate(model, sess.val_tokens, sess.luts, cfg, ctx)
    except GolfkitError as e:  # e.g. over budget with eval.over_budget=stop: the artifact and flat score stand
        log.line(f"WARNING eval_method:{cfg.eval.method} gave no score: {e}")
        return EvalResult(float("nan"), float("nan"), 0, 0, 0.0, cfg.eval.method, True)
    for line in method_lines(res, cfg, label):
        log.line(line)
    budget = cfg.eval.time_budget_seconds
    log.line(f"total_eval_time:{res.eval_seconds:.1f}s budget:{budget:.0f}s over_budget:{res.over_budget}")
    return res
def _sha_if_file(path: Path) -> str | None:
    return artifact.file_sha256(path) if path.is_file() else None


# ----------------------------------------------------------------------------------
# entry point
# ----------------------------------------------------------------------------------
def agree_on_run(run_dir: Path, ctx: dist.DistContext) -> tuple[Path, str]:
    """Rank 0 claims the folder and names the run; every rank gets both, or rank 0's refusal.

    (Every rank must read the artifact rank 0 wrote, so all use rank 0's folder name.)
    """
    box: list = [str(run_dir), new_run_id(), None]
    if ctx.is_main:
        try:
            claim_run_dir(run_dir, box[1])
        except GolfkitError as e:
            box[2] = str(e)
    if tdist.is_available() and tdist.is_initialized():
        tdist.broadcast_object_list(box, src=0)
    if box[2]:
        raise GolfkitError(box[2])
    return Path(box[0]), box[1]


def train(cfg: RunConfig, run_dir: str | Path | None = None, echo: bool = True,
          max_params: int = DEFAULT_MAX_PARAMS) -> dict[str, Any]:
    """Train, export, reload and score; write the run folder; return metrics.json's content."""
    started = time.perf_counter()
    ctx = dist.init(cfg.device)
    try:
        checked = preflight(cfg, ctx, max_params)
        run_dir, run_id = agree_on_run(Path(run_dir) if run_dir else default_run_dir(cfg), ctx)
        log = RunLog(run_dir, ctx.is_main, echo)
        log.line(f"run_dir:{run_dir}")
        log.line(f"run_id:{run_id}")
        config_raw = log.write("config.json", cfg.to_dict())
        log.write("env.json", {"run_id": run_id, **env_info(ctx.world_size, ctx.device)})
        sess = build_session(cfg, ctx, log, checked)
        prime_compile(sess)
        loop = run_loop(sess)
        metrics = finalize(sess, loop, run_dir, started)
        # metrics.json, written last, is the run's record: its id, and the sha256 of each file it vouches for
        metrics.update(run_id=run_id, config_sha256=config_raw and hashlib.sha256(config_raw).hexdigest())
        log.write("metrics.json", metrics)
        return metrics
    except WriteError:  # a write that already says which file, in one line
        raise
    except OSError as e:  # a read or write the system refused
        raise GolfkitError(f"run stopped: {e.strerror or e}{f' ({e.filename})' if e.filename else ''}") from None
    finally:
        dist.shutdown()
