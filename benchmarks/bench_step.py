"""Step time of a preset and of each switch on it: median ms per optimizer step, nothing else timed.

    python benchmarks/bench_step.py --preset baseline --switches all --steps 10 --data data --out step.json
    python benchmarks/bench_step.py --preset record-1290 --switches baseline --set model.num_loops=0 ...

Each arm builds the training session exactly as `golfkit train` does (golfkit.train.build_session:
compile, bf16 autocast and flash SDPA on CUDA, the optimizers, EMA/SWA/LAWA, WD schedule and
recurrence hooks), primes compilation with `schedule.warmup_steps` real steps (undone, as in a run),
then times `--steps` steps, synchronising the device around each, and calls the step hooks with a
late training fraction (0.9) so every switch that acts late (depth recurrence, SWA, WD taper) is
active while timed. No evaluation, no export. Prints a table of median ms/step, overhead vs the
first arm, peak CUDA memory; --out writes the rows as JSON with the machine and the date.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

import torch

from golfkit import dist, reload, techniques, train
from golfkit.config import parse_set_args
from golfkit.data import DistributedTokenLoader
from golfkit.presets import get_preset
from golfkit.runlog import RunLog, env_info


def measure(cfg, steps: int) -> dict:
    """Median ms/step of `steps` timed steps after compile priming, and peak CUDA memory (MiB)."""
    ctx = dist.init(cfg.device)
    sess = train.build_session(cfg, ctx, RunLog(None, False), train.preflight(cfg, ctx))
    train.prime_compile(sess)
    loader = DistributedTokenLoader(sess.ds.train_files, ctx.rank, ctx.world_size, ctx.device)
    if ctx.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for i in range(steps):
        dist.sync(ctx.device)
        t0 = time.perf_counter()
        train.train_step(sess, loader, i, 1.0)
        for hook in sess.step_hooks:
            hook(sess, i + 1, 0.9)
        dist.sync(ctx.device)
        times.append(1000 * (time.perf_counter() - t0))
    peak = torch.cuda.max_memory_allocated() // 2**20 if ctx.device.type == "cuda" else None
    out = {"ms_per_step": statistics.median(times), "ms_min": min(times), "peak_mib": peak,
           "device": str(ctx.device), "compiled": reload.use_compile(cfg, ctx.device)}
    del sess, loader
    gc.collect()
    torch._dynamo.reset()  # a fresh compile per arm; no graph reused across models
    if ctx.device.type == "cuda":
        torch.cuda.empty_cache()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="cpu-small")
    ap.add_argument("--switches", default="baseline", help="'all' or a comma list (baseline = the preset as is)")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--data", default="data")
    ap.add_argument("--label", default="", help="name of the first arm in the table (default: the preset)")
    ap.add_argument("--out", help="write the rows as JSON here")
    args = ap.parse_args(argv)
    names = ["baseline", *techniques.ALL_SWITCHES] if args.switches == "all" else args.switches.split(",")
    base = get_preset(args.preset).override({"data.dir": args.data, **parse_set_args(args.sets)})
    # The first arm of a process measured ~10% slow on CPU (allocator, thread pool and page cache
    # warming up: muon_wd 1,505 ms first vs 1,307-1,431 later; baseline 1,395 first vs 1,342
    # after another arm, LOG.md 2026-11-22 session 3), which skewed every overhead. Warm up once, untimed.
    measure(base, 2)
    rows = []
    for name in names:
        cfg = base if name == "baseline" else techniques.switched(base, name)
        try:
            row = {"switch": name, **measure(cfg, args.steps)}
        except Exception as e:  # one broken arm must not lose the others' numbers
            row = {"switch": name, "error": f"{type(e).__name__}: {e}"[:300]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    ref = rows[0].get("ms_per_step")
    print(f"\n| {args.label or args.preset} arm | ms/step (median of {args.steps}) | overhead | peak MiB |\n|---|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print(f"| {r['switch']} | error: {r['error'][:80]} | | |")
            continue
        over = f"{100 * (r['ms_per_step'] / ref - 1):+.1f}%" if ref else ""
        print(f"| {r['switch']} | {r['ms_per_step']:.1f} | {over} | {r['peak_mib'] or ''} |")
    if args.out:
        meta = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "argv": sys.argv[1:],
                "env": env_info(1, torch.device(rows[0].get("device", "cpu"))), "rows": rows}
        Path(args.out).write_text(json.dumps(meta, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
