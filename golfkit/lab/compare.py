"""Comparing recorded runs: `golfkit runs compare A B ...` and the notebooks' cross-run tests.

A run set is a run id or a glob over run ids (`sweep1_0_*`); its samples are the per-seed
values every matched run recorded in metrics.json (`seed_values`), pooled. Tests are scipy's
(`golfkit.lab.stats`); the loss curves come from each run's train/*/metrics.jsonl.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from golfkit.errors import GolfkitError
from golfkit.lab.notebook_runs import INDEX, read_index, read_json


def select(rows: list[dict[str, Any]], pattern: str) -> list[dict[str, Any]]:
    """Index records whose run id equals `pattern` or matches it as a glob (latest record per id)."""
    latest = {r["run_id"]: r for r in rows}
    return [r for rid, r in latest.items() if rid == pattern or fnmatch.fnmatchcase(rid, pattern)]


def seed_values(run_dir: Path, key: str = "val_bpb") -> list[float]:
    """Per-seed values of a run: metrics.json's `seed_values[key]` list, else its headline value."""
    m = read_json(run_dir / "metrics.json") or {}
    values = (m.get("seed_values") or {}).get(key)
    if values:
        return [float(v) for v in values if v is not None]
    return [float(m[key])] if isinstance(m.get(key), (int, float)) else []


def pooled_values(pattern: str, runs_root: str | Path = "runs", key: str = "val_bpb") -> list[float]:
    """Every per-seed `key` value of the runs matching `pattern`."""
    root = Path(runs_root)
    return [v for r in select(read_index(root), pattern) for v in seed_values(root / r["run_id"], key)]


def compare(patterns: list[str], runs_root: str | Path = "runs", key: str = "val_bpb",
            plot: str | Path | None = None) -> dict[str, Any]:
    """Table of run sets (each a run id or glob), Welch tests of each set against the first, loss curves."""
    from golfkit.lab import stats

    root, rows = Path(runs_root), read_index(runs_root)
    groups = {}
    for pat in patterns:
        matched = select(rows, pat)
        if not matched:
            raise GolfkitError(f"no run matches '{pat}' in {root / INDEX}")
        groups[pat] = {"runs": [r["run_id"] for r in matched],
                       "values": [v for r in matched for v in seed_values(root / r["run_id"], key)]}
    first = groups[patterns[0]]["values"]
    for pat, g in groups.items():
        g["summary"] = stats.summarize(g["values"]).to_dict() if g["values"] else None
        if pat != patterns[0] and g["values"] and first:
            g["vs_first"] = stats.two_sided_welch(g["values"], first).to_dict()
    if plot:
        plot_curves({p: [root / r for r in g["runs"]] for p, g in groups.items()}, Path(plot))
    return {"key": key, "groups": groups}


def format_compare(result: dict[str, Any]) -> str:
    key, lines = result["key"], []
    lines.append(f"{'set':40} {'runs':>4} {'n':>3} {key + ' mean':>13} {'std':>8}  vs first (two-sided Welch)")
    for pat, g in result["groups"].items():
        s, w = g["summary"] or {}, g.get("vs_first")
        mean = f"{s['mean']:.4f}" if s else "-"
        std = f"{s['std']:.4f}" if s and s["n"] > 1 else "-"
        vs = f"diff {w['diff']:+.4f}, p={w['pvalue']:.3g}" if w else ""
        lines.append(f"{pat:40} {len(g['runs']):>4} {s.get('n', 0):>3} {mean:>13} {std:>8}  {vs}")
    return "\n".join(lines)


def plot_curves(groups: dict[str, list[Path]], out: Path) -> Path:
    """Train-loss curves of every training folder under each run (metrics.jsonl), one colour per set."""
    import matplotlib

    matplotlib.use("Agg")  # the CLI process only; never the kernel's backend (notebooks.md, section 7)
    import matplotlib.pyplot as plt

    from golfkit.lab.workbook import load_curve

    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (label, run_dirs) in enumerate(groups.items()):
        files = [f for d in run_dirs for f in sorted(Path(d).glob("train/*/metrics.jsonl"))]
        for j, f in enumerate(files):
            steps, losses = load_curve(f.parent)
            ax.plot(steps, losses, color=f"C{i}", alpha=0.7, label=label if j == 0 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("train loss (nats)")
    ax.legend()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out
