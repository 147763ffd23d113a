"""Comparing recorded runs: `golfkit runs compare A B ...` and the notebooks' cross-run tests.

A run set is a run id or a glob over run ids (`sweep1_0_*`); its samples are the per-seed
values every matched run recorded in metrics.json (`seed_values`), pooled. Tests are scipy's
(`golfkit.lab.stats`); the loss curves come from each run's train/*/metrics.jsonl, one line per
sub-run (a training folder `<variant>_s<seed>`), labelled `set: variant`.

Runs are comparable only at the same protocol (smoke / reduced / trained / full) and the same
number of validation targets: a smoke number against a full one, or a score over 16k targets
against one over the whole split, says nothing. Such a comparison is refused unless
allow_mismatch, which turns the refusal into a warning; different step counts within one
protocol are a warning.
"""

from __future__ import annotations

import fnmatch
import io
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.lab import runinfo
from golfkit.lab.notebook_runs import INDEX, read_index
from golfkit.lab.runinfo import read_json


def select(rows: list[dict[str, Any]], pattern: str) -> list[dict[str, Any]]:
    """Index records whose run id equals `pattern` or matches it as a glob (latest record per id)."""
    latest = {r["run_id"]: r for r in rows}
    return [r for rid, r in latest.items() if rid == pattern or fnmatch.fnmatchcase(rid, pattern)]


def seed_values(run_dir: Path, key: str = "val_bpb") -> list[float]:
    """Per-seed values of a run: metrics.json's `seed_values[key]` list, else its headline value."""
    m = read_json(run_dir / "metrics.json")
    m = m if isinstance(m, dict) else {}
    values = (m.get("seed_values") if isinstance(m.get("seed_values"), dict) else {}).get(key)
    if isinstance(values, list) and values:
        return [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return [float(m[key])] if isinstance(m.get(key), (int, float)) and not isinstance(m.get(key), bool) else []


def sub_runs(run_dir: Path, key: str = "val_bpb") -> dict[str, list[float]]:
    """{variant: per-seed values} of every training the run recorded (metrics.json `runs`)."""
    m = read_json(run_dir / "metrics.json")
    runs = m.get("runs") if isinstance(m, dict) else None
    out: dict[str, list[float]] = {}
    for r in runs if isinstance(runs, list) else []:
        if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get(key), (int, float)):
            out.setdefault(r["name"], []).append(float(r[key]))
    return out


def pooled_values(pattern: str, runs_root: str | Path = "runs", key: str = "val_bpb") -> list[float]:
    """Every per-seed `key` value of the runs matching `pattern`."""
    root = Path(runs_root)
    return [v for r in select(read_index(root), pattern) for v in seed_values(root / r["run_id"], key)]


def scale(root: Path, record: dict[str, Any]) -> dict[str, Any]:
    """What decides whether two runs' numbers can be compared: protocol, validation targets, steps."""
    s = runinfo.summary(root, record, with_title=False)
    return {"protocol": s["protocol"], "val_targets": s["val_targets"], "steps": s["steps"]}


def comparability(groups: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(reasons to refuse, warnings) over every run of every set."""
    runs = [(pat, rid, sc) for pat, g in groups.items() for rid, sc in zip(g["runs"], g["scales"])]
    refuse, warn = [], []
    for field, label in (("protocol", "protocols"), ("val_targets", "validation sizes")):
        seen: dict[Any, str] = {}
        for _, rid, sc in runs:
            seen.setdefault(sc[field], rid)
        if len(seen) > 1:
            refuse.append(f"different {label}: " + ", ".join(f"{v if v is not None else 'unknown'} ({rid})"
                                                            for v, rid in seen.items()))
    steps = {tuple(sc["steps"]): rid for _, rid, sc in runs}
    if len(steps) > 1:
        warn.append("different step counts: " + ", ".join(f"{'/'.join(map(str, s)) or 'unknown'} ({rid})"
                                                         for s, rid in steps.items()))
    return refuse, warn


def compare(patterns: list[str], runs_root: str | Path = "runs", key: str = "val_bpb",
            plot: str | Path | None = None, allow_mismatch: bool = False) -> dict[str, Any]:
    """Table of run sets (each a run id or glob), Welch tests of each set against the first, loss curves."""
    from golfkit.lab import stats

    root, rows = Path(runs_root), read_index(runs_root)
    groups = {}
    for pat in patterns:
        matched = select(rows, pat)
        if not matched:
            raise GolfkitError(f"no run matches '{pat}' in {root / INDEX}")
        groups[pat] = {"runs": [r["run_id"] for r in matched],
                       "scales": [scale(root, r) for r in matched],
                       "values": [v for r in matched for v in seed_values(root / r["run_id"], key)],
                       "sub_runs": {}}
        for r in matched:
            for variant, vals in sub_runs(root / r["run_id"], key).items():
                groups[pat]["sub_runs"].setdefault(variant, []).extend(vals)
    refuse, warnings = comparability(groups)
    if refuse and not allow_mismatch:
        raise GolfkitError("runs are not comparable (" + "; ".join(refuse) + "); --allow-mismatch compares anyway")
    warnings = [f"not comparable: {r}" for r in refuse] + warnings
    first = groups[patterns[0]]["values"]
    for pat, g in groups.items():
        g["summary"] = stats.summarize(g["values"]).to_dict() if g["values"] else None
        if pat != patterns[0] and g["values"] and first:
            g["vs_first"] = stats.two_sided_welch(g["values"], first).to_dict()
        g["sub_runs"] = {v: stats.summarize(vals).to_dict() for v, vals in g["sub_runs"].items() if vals}
    if plot:
        plot_curves({p: [root / r for r in g["runs"]] for p, g in groups.items()}, Path(plot))
    return {"key": key, "groups": groups, "warnings": warnings}


def format_compare(result: dict[str, Any]) -> str:
    key, lines = result["key"], []
    lines.append(f"{'set':40} {'runs':>4} {'n':>3} {key + ' mean':>13} {'std':>8}  protocol, val targets; "
                 f"vs first (two-sided Welch)")
    for pat, g in result["groups"].items():
        s, w = g["summary"] or {}, g.get("vs_first")
        mean = f"{s['mean']:.4f}" if s else "-"
        std = f"{s['std']:.4f}" if s and s["n"] > 1 else "-"
        vs = f"; diff {w['diff']:+.4f}, p={w['pvalue']:.3g}" if w else ""
        scales = "/".join(sorted({f"{sc['protocol']}, {sc['val_targets'] or '?'}" for sc in g["scales"]}))
        lines.append(f"{pat:40} {len(g['runs']):>4} {s.get('n', 0):>3} {mean:>13} {std:>8}  {scales}{vs}")
    subs = [(pat, v, s) for pat, g in result["groups"].items() for v, s in g.get("sub_runs", {}).items()]
    if subs:
        lines.append("")
        lines.append(f"{'sub-run (set: variant)':54} {'n':>3} {key + ' mean':>13} {'std':>8}")
        for pat, v, s in subs:
            std = f"{s['std']:.4f}" if s["n"] > 1 else "-"
            lines.append(f"{(pat + ': ' + v)[:54]:54} {s['n']:>3} {s['mean']:>13.4f} {std:>8}")
    return "\n".join(lines)


def plot_curves(groups: dict[str, list[Path]], out: Path) -> Path:
    """Train-loss curves of every training folder under each run: one colour per (set, variant) sub-run,
    one line style per set, each sub-run labelled `set: variant` once (its seeds share the label)."""
    import matplotlib

    matplotlib.use("Agg")  # the CLI process only; never the kernel's backend (notebooks.md, section 7)
    import matplotlib.pyplot as plt

    from golfkit.lab.pages import load_curve

    fig, ax = plt.subplots(figsize=(8, 4.5))
    styles, colours = ["-", "--", ":", "-."], {}
    for i, (label, run_dirs) in enumerate(groups.items()):
        files = [f for d in run_dirs for f in sorted(Path(d).glob("train/*/metrics.jsonl"))]
        for f in files:
            sub = f"{label}: {runinfo.variant_of(f.parent)}"
            first = sub not in colours
            colours.setdefault(sub, f"C{len(colours) % 10}")
            try:
                steps, losses = load_curve(f.parent)
            except (OSError, ValueError):
                continue
            ax.plot(steps, losses, color=colours[sub], linestyle=styles[i % len(styles)], alpha=0.8,
                    label=sub if first else None)
    ax.set_xlabel("step")
    ax.set_ylabel("train loss (nats)")
    if colours:
        ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))  # outside: never over the lines
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    atomic_write(out, buf.getvalue())
    return out
