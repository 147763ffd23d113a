"""Is a training's validation curve still falling, or flat? Two trainings of one config at two horizons, side by side.

    python benchmarks/horizon_check.py SHORT_TRAIN_DIR LONG_TRAIN_DIR [--md OUT.md] [--png OUT.png]

Both folders are `golfkit train` outputs (config.json, metrics.json, metrics.jsonl) of the same config and seed,
the long one with more `schedule.iterations`. With an iteration-capped fraction warmdown both keep the learning
rate constant until their own warmdown starts, so their curves are the same up to the short run's warmdown
start (checked here, step by step) and the long run shows what the short one would have done with more steps.

Printed, for each training: the workbook's flattening measure (golfkit.lab.pages.curve_summary: validation loss
at the last eval <= 80% of the warmdown start against the last eval <= the warmdown start, in percent), the same
over windows (the mean of every eval in the last 20% of the constant-LR phase against the mean over the 20%
before it: one eval is a single point of a curve that moves with the data order), the least-squares trend over
the last 40% of the constant-LR phase (scaled to 20% of it), the best validation and its step, and the end:
float validation loss, roundtrip val_bpb and the train/val gap. For the long run it also gives the mean and sd
of validation loss over consecutive windows of its constant-LR phase after the short run's warmdown start.

Used for issue #12's question whether a looped model's over-bar reading at 1,200 steps is a curve still falling
(runs/horizon_*_20261130: four of notebook 02's five readings over the 1% bar, one of each looped variant). This script is a benchmark, not part of
golfkit: golfkit never imports it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's golfkit, before an installed one

from golfkit.lab import pages  # noqa: E402


def _read(train_dir: Path) -> tuple[dict, dict]:
    for name in ("config.json", "metrics.json", "metrics.jsonl"):
        if not (train_dir / name).is_file():
            raise SystemExit(f"horizon_check: {train_dir} has no {name}: not a finished golfkit training folder")
    try:
        return (json.loads((train_dir / "config.json").read_text(encoding="utf-8")),
                json.loads((train_dir / "metrics.json").read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SystemExit(f"horizon_check: {train_dir}: unreadable record ({type(e).__name__})") from None


def window_measures(steps: list[int], vals: list[float], ws: int, tail: float = 0.2) -> dict:
    """Window-mean fall and least-squares trend over the end of the constant-LR phase [0, ws], in percent."""
    a = [v for s, v in zip(steps, vals) if (1 - 2 * tail) * ws < s <= (1 - tail) * ws]
    b = [v for s, v in zip(steps, vals) if (1 - tail) * ws < s <= ws]
    out = {"window_evals": (len(a), len(b)), "window_fall_pct": None, "trend_fall_pct": None}
    if a and b:
        out["window_fall_pct"] = 100.0 * (statistics.fmean(a) - statistics.fmean(b)) / statistics.fmean(a)
    pts = [(s, v) for s, v in zip(steps, vals) if (1 - 2 * tail) * ws < s <= ws]
    if len(pts) >= 3:
        slope = statistics.linear_regression([s for s, _ in pts], [v for _, v in pts]).slope
        out["trend_fall_pct"] = -100.0 * slope * tail * ws / statistics.fmean(v for _, v in pts)
    return out


def describe(train_dir: Path) -> dict:
    cfg, metrics = _read(train_dir)
    cs = pages.curve_summary(train_dir, metrics)
    steps, vals = pages.load_curve(train_dir, "val", "val_loss")
    ws = cs["warmdown_start"]
    row = {"name": train_dir.name, "config": cfg, "steps": metrics.get("steps"), "seed": metrics.get("seed"),
           "iterations": cfg["schedule"]["iterations"], "warmdown_start": ws,
           "plateau_pct": cs["val_plateau_pct"], "val_best": cs["val_best"], "val_best_step": cs["val_best_step"],
           "val_loss_end": cs["val_loss_end"], "train_loss_end": cs["train_loss_end"],
           "train_val_gap": cs["train_val_gap"], "val_bpb": metrics.get("val_bpb"), "epochs": metrics.get("epochs"),
           "curve": list(zip(steps, vals))}
    if ws:
        row.update(window_measures(steps, vals, ws))
    return row


def same_config(a: dict, b: dict) -> list[str]:
    """Config keys where the two trainings differ (only schedule.iterations may)."""
    diff = []
    for key in sorted(set(a) | set(b)):
        if isinstance(a.get(key), dict) and isinstance(b.get(key), dict):
            diff += [f"{key}.{k}" for k in same_config(a[key], b[key])]
        elif a.get(key) != b.get(key):
            diff.append(key)
    return diff


def report(short: dict, long: dict, diff: list[str]) -> str:
    def f(v, spec=".4f"):
        return "n/a" if v is None else format(v, spec)

    ws = short["warmdown_start"]
    common = [(s, v, w) for (s, v), (t, w) in zip(short["curve"], long["curve"]) if s == t and s <= (ws or 0)]
    identical = all(v == w for _, v, w in common)
    lines = [f"# Horizon check, {short['name']}: {short['iterations']:,} against {long['iterations']:,} steps "
             f"(seed {short['seed']})", "",
             f"Configs differ only in: {', '.join(diff) or 'nothing'}."
             + (" (A data.dir elsewhere holds the same data only if the curves compared next are identical.)"
                if "data.dir" in diff else "")
             + f" Validation curves up to the short run's warmdown start (step {ws}): "
             f"{'identical' if identical else 'NOT identical'} at {len(common)} evals.", "",
             "| measure | " + " | ".join(f"{r['iterations']:,} steps" for r in (short, long)) + " |",
             "|---|---|---|"]
    rows = [("warmdown starts at step", "warmdown_start", "d"),
            ("fall over the last 20% of the constant-LR phase, two evals (%)", "plateau_pct", ".2f"),
            ("the same, window means (%)", "window_fall_pct", ".2f"),
            ("the same, least-squares trend over the last 40% (%)", "trend_fall_pct", ".2f"),
            ("best validation loss (nats)", "val_best", ".4f"), ("at step", "val_best_step", "d"),
            ("float validation loss at the end (nats)", "val_loss_end", ".4f"),
            ("train loss, last 10% of steps (nats)", "train_loss_end", ".4f"),
            ("train/val gap (nats)", "train_val_gap", ".4f"),
            ("roundtrip val_bpb (int8+zlib)", "val_bpb", ".4f"), ("epochs of the training data", "epochs", ".2f")]
    for label, key, spec in rows:
        lines.append(f"| {label} | {f(short.get(key), spec)} | {f(long.get(key), spec)} |")
    lws = long["warmdown_start"]
    after = [(s, v) for s, v in long["curve"] if ws and lws and ws <= s <= lws]
    if len(after) >= 4:
        half = len(after) // 2
        lines += ["", f"The long run's constant-LR phase after step {ws} (where the short run's warmdown starts):", "",
                  "| steps | evals | mean val loss (nats) | sd |", "|---|---|---|---|"]
        for part in (after[:half], after[half:]):
            vs = [v for _, v in part]
            lines.append(f"| {part[0][0]}-{part[-1][0]} | {len(vs)} | {statistics.fmean(vs):.4f} | "
                         f"{statistics.stdev(vs):.4f} |")
    lines += ["", "CPU-scale, mini data.", ""]
    return "\n".join(lines)


def plot(short: dict, long: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    for r, style in ((long, "-"), (short, "--")):
        s, v = zip(*[(s, v) for s, v in r["curve"] if s > 0])
        ax.plot(s, v, style, label=f"{r['iterations']:,} steps (warmdown from {r['warmdown_start']})")
        ax.axvline(r["warmdown_start"], color="0.6", lw=0.8, ls=style)
    ax.set_xlabel("step")
    ax.set_ylabel("validation loss (nats)")
    ax.set_ylim(top=min(4.6, ax.get_ylim()[1]))
    ax.set_title(f"{short['name']}: validation loss at two horizons (CPU-scale, mini data)")
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("short", type=Path)
    ap.add_argument("long", type=Path)
    ap.add_argument("--md", type=Path)
    ap.add_argument("--png", type=Path)
    args = ap.parse_args(argv)
    short, long = describe(args.short), describe(args.long)
    if short["iterations"] >= long["iterations"]:
        raise SystemExit("horizon_check: the second training must have more schedule.iterations than the first")
    diff = same_config(short["config"], long["config"])
    text = report(short, long, diff)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    if args.png:
        plot(short, long, args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
