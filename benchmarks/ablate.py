"""Ablate issue #4's switches against a preset's baseline: same seeds, same steps.

    .venv/bin/python benchmarks/ablate.py --switches xsa_all,smear_gate --seeds 1337,1338 \\
        --iters 40 --data ../shared/data --out runs/ablate
    # every switch (what LOG.md reports; one process: two 1-thread processes in parallel were
    # 30% slower per step on the 2-core box, memory-bound), then the summary again at any time:
    .venv/bin/python benchmarks/ablate.py --switches all --seeds 1337,42 --iters 40 --batch-tokens 6144 \\
        --out runs/ablate_cpu_small_b6k_40it
    .venv/bin/python benchmarks/ablate.py --switches all --seeds 1337,42 --out runs/... --summarize

For every seed it trains the preset (default `cpu-small`) once as is and once per switch
(`golfkit.techniques.SWITCHES` and `RUN_SWITCHES`; `all` = both) through
`golfkit.train.train(cfg, run_dir)`, with an
iteration cap (no wall-clock cap, so every arm runs the same number of steps), then prints
the roundtrip val_bpb, its delta vs the same seed's baseline (mean over seeds) and the
step-time overhead. Runs stay under --out/<switch>_s<seed>/ (an arm whose metrics.json exists
is not run again, so an interrupted ablation resumes); a summary goes to --out/summary.json.
Step-time overheads compare arms run under the same conditions (same --threads, same load). Numbers on a CPU with the mini data are "CPU-scale, mini data".
"""

from __future__ import annotations

import argparse
import json
import math
import time
import statistics
import sys
from pathlib import Path

from golfkit import techniques
from golfkit.presets import get_preset
from golfkit.train import train


def arm_config(preset: str, switch: str, seed: int, args: argparse.Namespace):
    cfg = get_preset(preset).override({
        "data.dir": str(args.data), "seed": seed,
        # eager: each arm's graph differs, and compiling one per arm costs more than 40 short steps (BENCHMARKS.md)
        "compile": "off",
        "schedule.iterations": args.iters, "schedule.max_wallclock_seconds": 0.0,
        "schedule.warmdown_iters": max(args.iters // 3, 1), "schedule.val_loss_every": 0,
        "schedule.warmup_steps": 0, "schedule.train_log_every": 5, "eval.pre_quant": False,
        **({"schedule.train_batch_tokens": args.batch_tokens} if args.batch_tokens else {}),
    })
    return cfg if switch == "baseline" else techniques.switched(cfg, switch)


def run_arm(preset: str, switch: str, seed: int, args: argparse.Namespace) -> dict:
    run_dir = Path(args.out) / f"{switch}_s{seed}"
    done = run_dir / "metrics.json"
    if done.exists():  # resume: the arm finished in an earlier invocation
        m = json.loads(done.read_text())
    elif args.summarize:
        raise SystemExit(f"ablate: {done} missing; run the arm first")
    else:
        m = train(arm_config(preset, switch, seed, args), run_dir, echo=False)
    row = {"switch": switch, "seed": seed, "val_bpb": m["val_bpb"], "pre_quant_val_bpb": m.get("pre_quant_val_bpb"),
           "step_avg_ms": m["step_avg_ms"], "steps": m["steps"], "model_params": m["model_params"],
           "bytes_model": m["bytes_model"], "run_dir": str(run_dir)}
    print(f"  {switch:>20s} seed {seed}: val_bpb {row['val_bpb']:.4f} step {row['step_avg_ms']:.0f} ms", flush=True)
    return row


def summarize(rows: list[dict], step_ms: dict[str, float] | None = None) -> list[dict]:
    """Per switch: mean val_bpb, paired deltas vs baseline per seed, step-time overhead (%).

    step_ms: ms/step per switch from a clean `bench_step.py --out` run (same conditions for
    every arm); without it the overhead comes from the arms' own step_avg_ms, which is only
    meaningful when nothing else ran on the machine during the ablation.
    """
    base = {r["seed"]: r for r in rows if r["switch"] == "baseline"}
    out = []
    for sw in dict.fromkeys(r["switch"] for r in rows):
        mine = [r for r in rows if r["switch"] == sw]
        deltas = [r["val_bpb"] - base[r["seed"]]["val_bpb"] for r in mine]
        if step_ms:
            over = [step_ms[sw] / step_ms["baseline"] - 1] if sw in step_ms else []
        else:
            over = [r["step_avg_ms"] / base[r["seed"]]["step_avg_ms"] - 1 for r in mine]
        out.append({"switch": sw, "seeds": len(mine), "val_bpb": statistics.mean(r["val_bpb"] for r in mine),
                    "per_seed": {r["seed"]: r["val_bpb"] for r in mine},
                    "d_per_seed": {r["seed"]: d for r, d in zip(mine, deltas)},
                    "d_val_bpb": statistics.mean(deltas),
                    "d_sd": statistics.stdev(deltas) if len(deltas) > 1 else 0.0,
                    "step_ms": step_ms.get(sw) if step_ms else None,
                    "step_overhead_pct": 100 * statistics.mean(over) if over else None,
                    "d_bytes_model": statistics.mean(r["bytes_model"] - base[r["seed"]]["bytes_model"] for r in mine)})
    return out


def table(summary: list[dict]) -> str:
    lines = ["| switch | val_bpb per seed | Δ val_bpb (mean) | Δ per seed | step ms | step overhead | Δ model bytes |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in summary:
        vb = " / ".join(f"{v:.4f}" for v in s["per_seed"].values())
        dv = " / ".join(f"{v:+.4f}" for v in s["d_per_seed"].values())
        ms = f"{s['step_ms']:.0f}" if s.get("step_ms") else "—"
        ov = f"{s['step_overhead_pct']:+.0f}%" if s["step_overhead_pct"] is not None else "—"
        lines.append(f"| {s['switch']} | {vb} | **{s['d_val_bpb']:+.4f}** | {dv} | {ms} | {ov} | {s['d_bytes_model']:+,.0f} |")
    return "\n".join(lines)


def load_step_times(paths: str | None) -> dict[str, float] | None:
    """{switch: ms/step} from bench_step.py --out JSONs (comma list): per switch the fastest pass.

    Interference from other work on the machine only ever adds time, so the minimum over
    passes is the cleaner estimate; arms that errored are left out.
    """
    if not paths:
        return None
    best: dict[str, float] = {}
    for path in paths.split(","):
        for r in json.loads(Path(path).read_text())["rows"]:
            if "ms_per_step" in r:
                best[r["switch"]] = min(best.get(r["switch"], math.inf), r["ms_per_step"])
    if "baseline" not in best:  # every overhead is relative to it
        raise SystemExit(f"ablate: no baseline arm in --step-times {paths}")
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switches", required=True,
                    help=f"'all', or a comma list of: {', '.join(techniques.ALL_SWITCHES)}")
    ap.add_argument("--seeds", default="1337,1338")
    ap.add_argument("--iters", type=int, default=40)
    ap.add_argument("--preset", default="cpu-small")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="runs/ablate")
    ap.add_argument("--batch-tokens", type=int, default=0, help="override schedule.train_batch_tokens (0 = preset's)")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0 = torch's default)")
    ap.add_argument("--summarize", action="store_true", help="only summarise finished arms under --out")
    ap.add_argument("--step-times", help="bench_step.py --out JSON(s), comma-separated: step overheads from them (fastest pass per switch)")
    args = ap.parse_args(argv)
    switches = techniques.ALL_SWITCHES if args.switches == "all" else [s for s in args.switches.split(",") if s]
    for s in switches:
        if s not in techniques.ALL_SWITCHES:
            ap.error(f"unknown switch {s!r}")
    if args.threads > 0:
        import torch
        torch.set_num_threads(args.threads)
    rows = []
    for sw in ["baseline", *switches]:  # seeds inner: a stopped ablation has every finished switch paired
        for seed in (int(s) for s in args.seeds.split(",")):
            rows.append(run_arm(args.preset, sw, seed, args))
    summary = summarize(rows, load_step_times(args.step_times))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    # one process per seed writes its own partial summary; --summarize writes the joint one
    name = "summary.json" if args.summarize else f"summary_s{args.seeds.replace(',', '_')}.json"
    meta = {"args": vars(args), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": rows,
            "summary": summary}
    (Path(args.out) / name).write_text(json.dumps(meta, indent=2))
    print(table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
