"""What a notebook's page shows of its trainings: their curves, tables and plots.

One training's curves (`load_curve`, `curve_summary`: has validation loss flattened, how far apart are train and
validation loss), the one-line summary and table row per training, Markdown tables that render as tables
(a `|` in a cell escaped), and the figures the notebooks draw (loss curves per variant with one line per seed,
differences with their intervals against the bar, per-seed points). Used by the workbook's notebooks and by
golfkit.lab.workbook, compare, findings and eval_methods; imports none of them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from golfkit.lab import stats


# ----------------------------------------------------------------------------------
# one training's curves: flattening, train/val gap
# ----------------------------------------------------------------------------------
def load_curve(train_dir: str | Path, kind: str = "train", key: str = "train_loss") -> tuple[list, list]:
    """(steps, values) of one training run's metrics.jsonl rows of `kind`."""
    steps, values = [], []
    path = Path(train_dir) / "metrics.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else []:
        row = json.loads(line)
        if row.get("kind") == kind and row.get(key) is not None:
            steps.append(row["step"])
            values.append(row[key])
    return steps, values


def curve_summary(train_dir: str | Path, metrics: dict[str, Any], tail: float = 0.2) -> dict[str, Any]:
    """How trained one model is, from its own curves.

    train_loss_end: mean logged batch loss over the last 10% of steps (each batch scored before the
    update on it); val_loss_end: the float model's validation loss at the end; train_val_gap: their
    difference (overfitting shows as a growing gap); val_last20_pct: how much validation loss fell
    over the last `tail` of the steps, in percent of its value there (flattened: small);
    val_best / val_best_step: the lowest validation loss logged and where.
    """
    steps = int(metrics.get("steps") or 0)
    ts, tl = load_curve(train_dir)
    vs, vl = load_curve(train_dir, "val", "val_loss")
    out: dict[str, Any] = {"train_loss_end": None, "val_loss_end": metrics.get("pre_quant_val_loss"),
                           "train_val_gap": None, "val_last20_pct": None, "val_plateau_pct": None,
                           "warmdown_start": None, "val_best": None, "val_best_step": None}
    last = [v for s, v in zip(ts, tl) if s > 0.9 * steps]
    if last:
        out["train_loss_end"] = sum(last) / len(last)
    if out["train_loss_end"] is not None and out["val_loss_end"] is not None:
        out["train_val_gap"] = out["val_loss_end"] - out["train_loss_end"]
    if vl:
        i = min(range(len(vl)), key=lambda j: vl[j])
        out["val_best"], out["val_best_step"] = vl[i], vs[i]
        before = [v for s, v in zip(vs, vl) if s <= (1 - tail) * steps]
        if before and steps > 0:
            ref = before[-1]
            out["val_last20_pct"] = 100.0 * (ref - vl[-1]) / ref
        ws = _warmdown_start(train_dir, steps)
        if ws:  # the constant-LR phase: has validation loss stopped falling before the warmdown starts?
            out["warmdown_start"] = ws
            const = [(s, v) for s, v in zip(vs, vl) if s <= ws]
            early = [v for s, v in const if s <= (1 - tail) * ws]
            if early and const and const[-1][0] > (1 - tail) * ws:
                out["val_plateau_pct"] = 100.0 * (early[-1] - const[-1][1]) / early[-1]
    return out


def _warmdown_start(train_dir: str | Path, steps: int) -> int | None:
    """The step where an iteration-capped fraction warmdown starts (config.json), else None."""
    try:
        s = json.loads((Path(train_dir) / "config.json").read_text(encoding="utf-8"))["schedule"]
    except (OSError, json.JSONDecodeError, KeyError):
        return None
    if s.get("warmdown_kind") != "fraction" or s.get("max_wallclock_seconds") or not steps:
        return None
    return int(round((1.0 - float(s["warmdown_frac"])) * steps))


def summary_line(r: dict[str, Any]) -> str:
    """One line per training for the page (its full log is train/<name>_s<seed>/train.log)."""
    def f(v, spec=".4f"):
        return format(v, spec) if isinstance(v, (int, float)) and math.isfinite(v) else "n/a"

    return (f"{r.get('steps')} steps x {(r.get('train_tokens') or 0) // max(r.get('steps') or 1, 1):,} tokens; "
            f"train {f(r.get('train_loss_end'))} / val {f(r.get('val_loss_end'))} nats (gap {f(r.get('train_val_gap'))}); "
            f"val fell {f(r.get('val_last20_pct'), '.2f')}% over the last 20% of steps; "
            f"roundtrip val_bpb {f(r.get('val_bpb'))}; {f(r.get('train_wall_s'), '.0f')} s")


def training_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-training table: flattening and overfitting evidence next to the scores."""
    return [{"variant": r["name"], "seed": r["seed"], "steps": r.get("steps"), "train tokens": r.get("train_tokens"),
             "epochs": r.get("epochs"), "train loss (end)": r.get("train_loss_end"),
             "val loss (end)": r.get("val_loss_end"), "val - train": r.get("train_val_gap"),
             "val drop last 20% (%)": r.get("val_last20_pct"),
             "val drop, last 20% before warmdown (%)": r.get("val_plateau_pct"), "best val (step)": _best(r),
             "val_bpb (roundtrip)": r.get("val_bpb"), "params": r.get("model_params"),
             "trained": "reused" if r.get("reused") else "here"} for r in results]


def _best(r: dict[str, Any]) -> str:
    return f"{r['val_best']:.4f} ({r['val_best_step']})" if r.get("val_best") is not None else "–"


# ----------------------------------------------------------------------------------
# tables and plots
# ----------------------------------------------------------------------------------
def markdown_table(rows: list[dict[str, Any]], digits: int = 4) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return "–" if not math.isfinite(v) else (f"{v:.3g}" if abs(v) < 1e-3 and v != 0 else f"{v:.{digits}f}")
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
            return f"{v:,}"
        if isinstance(v, (list, tuple)):
            return ", ".join(fmt(x) for x in v)
        return "–" if v is None else str(v)

    def cell(v: Any) -> str:  # a `|` inside a cell would end it: escape it (GitHub/Jupyter Markdown)
        return fmt(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def _in_notebook() -> bool:
    """True inside an IPython kernel (a notebook), where IPython.display shows rich output."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def show_markdown(text: str) -> None:
    """Display Markdown in a notebook (plain text elsewhere)."""
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(text))
        return
    print(text)


def show_table(rows: list[dict[str, Any]], digits: int = 4) -> None:
    """Display rows as a Markdown table in a notebook (plain text elsewhere)."""
    show_markdown(markdown_table(rows, digits))


def figure_alt(fig, name: str = "", max_labels: int = 12) -> str:
    """A text description of a matplotlib figure for its page's `<img alt>`: the figure's title, then each panel's
    title, axis labels and legend entries (what is plotted, for a reader who cannot see the image)."""
    def legend_text(legend) -> str:
        labels = [t.get_text() for t in legend.get_texts()] if legend is not None else []
        more = f" and {len(labels) - max_labels} more" if len(labels) > max_labels else ""
        return f"legend: {', '.join(labels[:max_labels])}{more}" if labels else ""

    parts = [f"Figure {name}" if name else "Figure"]
    if fig.get_suptitle():
        parts[0] += f": {fig.get_suptitle()}"
    for i, ax in enumerate(a for a in fig.axes if a.get_visible() and (a.has_data() or a.get_title())):
        desc = ax.get_title() or f"panel {i + 1}"
        axes = ", ".join(f"{k} {v}" for k, v in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if v)
        if axes:
            desc += f" ({axes})"
        if legend := legend_text(ax.get_legend()):
            desc += f"; {legend}"
        parts.append(desc)
    parts += [legend_text(legend) for legend in fig.legends]
    return ". ".join(p.strip() for p in parts if p.strip()) + "."


def show_figure(fig, png: Path, alt: str) -> None:
    """Display a saved figure in a notebook with its alt text (the run page's `<img alt>`) and close it, so the
    inline backend does not show it a second time without one. Elsewhere (a plain script) nothing is shown."""
    if not _in_notebook():
        return
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    display(Image(data=Path(png).read_bytes(), format="png", metadata={"alt": alt}))

    plt.close(fig)


def plot_curves(results: list[dict[str, Any]], title: str = "", axes=None):
    """Train (left) and validation (right) loss of every training: one colour per variant, one line per seed.

    The legend sits outside the axes, so it hides no data.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
    fig = axes[0].figure
    names = list(dict.fromkeys(r["name"] for r in results))
    for r in results:
        i = names.index(r["name"])
        first = r is next(x for x in results if x["name"] == r["name"])
        s, v = load_curve(r["dir"])
        axes[0].plot(s, v, color=f"C{i % 10}", alpha=0.6, lw=0.9, label=r["name"] if first else None)
        s, v = load_curve(r["dir"], "val", "val_loss")
        axes[1].plot(s, v, "o-", color=f"C{i % 10}", alpha=0.8, ms=2.5, lw=1.0)
    axes[0].set_title("train loss (batch, before its update)")
    axes[1].set_title("validation loss (float model)")
    for ax in axes:
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("loss (nats/token)")
    lo = min((min(load_curve(r["dir"], "val", "val_loss")[1] or [9.0]) for r in results), default=0.0)
    axes[0].set_ylim(bottom=max(0.0, lo - 1.0))
    axes[1].legend(*axes[0].get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8,
                   title="variant (lines: seeds)")
    if title:
        fig.suptitle(title)
    return fig


def plot_loss_curves(results: list[dict[str, Any]], title: str = "training loss", ax=None):
    """Train-loss curves only (one axis); `plot_curves` shows train and validation."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    names = list(dict.fromkeys(r["name"] for r in results))
    for r in results:
        i = names.index(r["name"])
        steps, losses = load_curve(r["dir"])
        first = r is next(x for x in results if x["name"] == r["name"])
        ax.plot(steps, losses, color=f"C{i % 10}", alpha=0.8, label=r["name"] if first else None)
    ax.set_xlabel("step")
    ax.set_ylabel("train loss (nats/token)")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    return fig


def plot_differences(rows: list[dict[str, Any]], unit: str = "nats", margin: float | None = None, ax=None):
    """Each comparison's mean difference vs its reference, with the 95% CI of the difference.

    Bars start at zero (no truncated axis); the challenge's bar (-margin) is drawn as a line.
    `rows` come from `golfkit.lab.findings.compare`.
    """
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, max(2.2, 0.6 + 0.45 * len(rows))))
    labels = [r["variant"] for r in rows]
    diffs = [r["diff"] for r in rows]
    errs = [r["ci95"] if isinstance(r["ci95"], float) and math.isfinite(r["ci95"]) else 0.0 for r in rows]
    ax.barh(labels, diffs, xerr=errs, capsize=4, color=[f"C{i % 10}" for i in range(len(rows))], alpha=0.8)
    ax.axvline(0.0, color="k", lw=0.8)
    if margin:
        ax.axvline(-margin, color="C3", ls="--", lw=1.0, label=f"challenge bar (−{margin} {unit})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"difference vs {rows[0]['reference'] if rows else 'reference'} ({unit}), mean ± 95% CI")
    return fig


def plot_points(rows: list[dict[str, Any]], key: str, ax=None):
    """Mean ± 95% CI per variant as points (absolute values: points, not bars, so a zoomed axis is honest)."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 3.5))
    for i, r in enumerate(rows):
        err = r["95% CI ±"] if isinstance(r["95% CI ±"], float) and math.isfinite(r["95% CI ±"]) else 0.0
        ax.errorbar([i], [r[f"{key} mean"]], yerr=[err], fmt="o", color=f"C{i % 10}", capsize=5)
        for v in r.get("values", []):
            ax.plot([i + 0.12], [v], ".", color=f"C{i % 10}", alpha=0.6)
    ax.set_xticks(range(len(rows)), [r["variant"] for r in rows], rotation=20)
    ax.set_ylabel(f"{key} (mean ± 95% CI; dots: seeds)")
    ax.grid(alpha=0.3, axis="y")
    return fig


def summarize_variants(results: list[dict[str, Any]], key: str = "val_bpb") -> list[dict[str, Any]]:
    """One row per variant: n, mean ± std, 95% CI, bytes, per-seed values (descriptive; tests: findings.compare)."""
    rows = []
    for name in dict.fromkeys(r["name"] for r in results):
        mine = [r for r in results if r["name"] == name]
        vals = [r[key] for r in mine]
        s = stats.summarize(vals)
        rows.append({"variant": name, "n": s.n, f"{key} mean": s.mean, "std": s.std, "95% CI ±": s.ci95,
                     "bytes_total": max(r.get("bytes_total") or 0 for r in mine), "seeds": [r["seed"] for r in mine],
                     "values": vals})
    return rows
