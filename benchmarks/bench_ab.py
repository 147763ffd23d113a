"""Interleaved A/B step times: several configs trained side by side in ONE process, steps taken in turn.

    python benchmarks/bench_ab.py --preset cpu-small --data ../shared/data --threads 1 --steps 8 \
        --arm "before:compile=off,optim.muon_batched=false,optim.muon_ns_dtype=bf16" --arm "after:" --out ab.json

On a shared machine the step time of a run swings with whatever else runs (2-thread timings moved ~5x on the
2-core box, LOG.md 2026-11-22), so runs timed one after the other compare the load, not the code. Here every
arm is built and primed first (its `schedule.warmup_steps` compile-priming steps, undone as in a run, timed
apart as the arm's compile seconds), then the timed steps go round-robin with the arms' order rotated each
round: arm A step 1, arm B step 1, arm B step 2, arm A step 2, ... Load changes hit every arm alike.

Each arm is a session built exactly as `golfkit train` builds it (golfkit.train.build_session), from the same
seed and data stream, so the per-step training losses are comparable too (printed; --out writes them): arms
that change only how a step is computed must follow the same curve. Timed: one optimizer step, synchronised.
Not timed: priming, data-free setup, one untimed step per arm after priming (allocator warm-up).
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

from golfkit import dist, reload, train
from golfkit.config import parse_set_args
from golfkit.data import DistributedTokenLoader
from golfkit.presets import get_preset
from golfkit.runlog import RunLog, env_info


def parse_arm(spec: str) -> tuple[str, dict]:
    """'name:key=value,key=value' -> (name, overrides); 'name:' is the preset as is."""
    name, _, rest = spec.partition(":")
    sets = [kv for kv in rest.split(",") if kv.strip()]
    return name.strip(), parse_set_args(sets)


class Arm:
    def __init__(self, name: str, cfg, ctx):
        self.name, self.cfg = name, cfg
        t0 = time.perf_counter()
        self.sess = train.build_session(cfg, ctx, RunLog(None, False), train.preflight(cfg, ctx))
        train.prime_compile(self.sess)  # compile (if on) happens here, outside the timed steps
        self.compile_s = time.perf_counter() - t0
        self.loader = DistributedTokenLoader(self.sess.ds.train_files, ctx.rank, ctx.world_size, ctx.device)
        self.ctx, self.times, self.losses, self.step = ctx, [], [], 0
        self.run_step(timed=False)

    def run_step(self, timed: bool = True) -> None:
        dist.sync(self.ctx.device)
        t0 = time.perf_counter()
        loss = train.train_step(self.sess, self.loader, self.step, 1.0)
        dist.sync(self.ctx.device)
        dt = 1000 * (time.perf_counter() - t0)
        self.step += 1
        if timed:
            self.times.append(dt)
            self.losses.append(float(loss))

    def row(self, ref_ms: float | None) -> dict:
        med = statistics.median(self.times)
        return {"arm": self.name, "ms_per_step": med, "ms_min": min(self.times), "ms_all": self.times,
                "speedup_vs_first": (ref_ms / med) if ref_ms else 1.0, "prime_s": self.compile_s,
                "compiled": reload.use_compile(self.cfg, self.ctx.device),
                "warmup_steps": self.cfg.schedule.warmup_steps, "losses": self.losses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="cpu-small")
    ap.add_argument("--data", default="data")
    ap.add_argument("--arm", action="append", required=True, help="NAME:key=value,... (repeat; the first is the reference)")
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE", help="applied to every arm")
    ap.add_argument("--steps", type=int, default=8, help="timed steps per arm")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0 = leave as is)")
    ap.add_argument("--out", help="write the rows as JSON here")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    base = get_preset(args.preset).override({"data.dir": args.data, **parse_set_args(args.sets)})
    ctx = dist.init(base.device)
    arms = []
    for spec in args.arm:
        name, over = parse_arm(spec)
        arms.append(Arm(name, base.override(over), ctx))
        print(f"built {name}: prime {arms[-1].compile_s:.1f} s", flush=True)
    for i in range(args.steps):
        k = i % len(arms)
        for arm in arms[k:] + arms[:k]:  # rotate who goes first
            arm.run_step()
        print(f"round {i + 1}: " + " ".join(f"{a.name}={a.times[-1]:.0f}ms" for a in arms), flush=True)
    ref = statistics.median(arms[0].times)
    rows = [a.row(ref) for a in arms]
    print(f"\n| arm | ms/step (median of {args.steps}) | speedup vs {arms[0].name} | prime s | loss at last step |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['arm']} | {r['ms_per_step']:.0f} | {r['speedup_vs_first']:.2f}x | {r['prime_s']:.1f} | "
              f"{r['losses'][-1]:.4f} |")
    if args.out:
        meta = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "argv": sys.argv[1:],
                "threads": torch.get_num_threads(), "env": env_info(1, ctx.device), "rows": rows}
        Path(args.out).write_text(json.dumps(meta, indent=2) + "\n")
    del arms
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
