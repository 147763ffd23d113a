"""What the numbered notebooks call: plan runs, train through the launcher, summarise, plot, record.

Notebooks hold no library code: a cell is a call into here plus a display. The
pattern of every notebook:

    p = workbook.plan(smoke=smoke, preset=preset, seeds=seeds, data_dir=data_dir, run_dir=run_dir, nproc=nproc)
    results = p.train_variants({"baseline": {}, "untied": {"model.tie_embeddings": False}})
    workbook.show_table(workbook.summarize_variants(results))
    fig = workbook.plot_loss_curves(results); p.figure(fig, "loss_curves"); plt.show()
    p.record(results, headline="baseline")          # -> run_dir/metrics.json, read by the runner

Smoke mode (CI, `-p smoke True`) swaps in the `smoke` preset, a few steps, the first
`smoke_seeds` seeds, and a copy of the data whose validation split is cut to
`SMOKE_VAL_TARGETS` targets (scoring the whole mini split twice would dominate a smoke run).
Smoke numbers only show that the path works; they mean nothing.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.lab import launch, stats

SMOKE_VAL_TARGETS = 16_384  # 128 smoke-length sequences
SMOKE_STEPS = 4


@dataclass
class Plan:
    """Resolved settings of one notebook run, and the training runs it launched."""

    smoke: bool
    preset: str
    seeds: list[int]
    data_dir: Path
    run_dir: Path
    nproc: int = 1
    base: dict[str, Any] = field(default_factory=dict)  # overrides applied to every training run
    timeout: float | None = None  # seconds per training run; None = the preset's own cap decides
    val_tokens: int = 0  # >0: only the first val_tokens validation targets are scored (stated in metrics)
    results: list[dict[str, Any]] = field(default_factory=list)
    train_seconds: float = 0.0  # wall time spent inside training subprocesses

    def train(self, name: str, overrides: dict[str, Any] | None = None, seed: int | None = None,
              every: int = 1) -> dict[str, Any]:
        """One training run into run_dir/train/<name>_s<seed>; returns its metrics.json plus labels."""
        seed = self.seeds[0] if seed is None else seed
        sub = self.run_dir / "train" / f"{name}_s{seed}"
        ov = {**self.base, **(overrides or {}), "seed": seed}
        res = launch.train_subprocess(sub, self.preset, ov, self.data_dir, self.nproc, timeout=self.timeout, every=every)
        self.train_seconds += res.seconds
        metrics = json.loads((sub / "metrics.json").read_text(encoding="utf-8"))
        out = {**metrics, "name": name, "seed": seed, "dir": str(sub), "overrides": overrides or {}}
        self.results.append(out)
        return out

    def train_variants(self, variants: dict[str, dict[str, Any]], seeds: list[int] | None = None) -> list[dict]:
        """Every variant x every seed (seed-major, so a cut-short run still has every variant once)."""
        return [self.train(name, ov, seed) for seed in (seeds or self.seeds) for name, ov in variants.items()]

    def pick(self, items: list, smoke_count: int) -> list:
        """`items`, or only the first `smoke_count` of them in smoke mode (CI time)."""
        return list(items)[:smoke_count] if self.smoke else list(items)

    def smoke_or(self, value: Any, smoke_value: Any) -> Any:
        """`value`, or `smoke_value` in smoke mode (e.g. fewer calibration batches)."""
        return smoke_value if self.smoke else value

    def variants(self, ablations: dict[str, dict[str, Any]], baseline: str | None = "baseline",
                 smoke_count: int = 1) -> dict[str, dict]:
        """{baseline: {}, **ablations}; in smoke mode only the first `smoke_count` ablations (CI time)."""
        items = list(ablations.items())[: smoke_count if self.smoke else None]
        return {**({baseline: {}} if baseline else {}), **dict(items)}

    def figure(self, fig, name: str) -> Path:
        """Save a figure as figures/<name>.png (the inline display is the notebook's plt.show())."""
        path = self.run_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        return path

    def record(self, results: list[dict[str, Any]] | None = None, headline: str | None = None,
               **extra: Any) -> dict[str, Any]:
        """Write run_dir/metrics.json: the headline variant's per-seed numbers and their mean."""
        results = self.results if results is None else results
        head = [r for r in results if headline is None or r["name"] == headline] or results
        summary: dict[str, Any] = {"smoke": self.smoke, "preset": self.preset, "nproc": self.nproc,
                                   "train_seconds": round(self.train_seconds, 2), "headline": headline,
                                   "base_overrides": self.base, "val_tokens_cap": self.val_tokens}
        if head:
            bpb, loss = [r["val_bpb"] for r in head], [r["val_loss"] for r in head]
            summary.update(val_bpb=float(sum(bpb) / len(bpb)), val_loss=float(sum(loss) / len(loss)),
                           val_bpb_summary=stats.summarize(bpb).to_dict(),
                           bytes_total=max(r["bytes_total"] for r in head),
                           seeds=[r["seed"] for r in head], seed_values={"val_bpb": bpb, "val_loss": loss})
        summary["runs"] = [{k: r.get(k) for k in ("name", "seed", "dir", "val_bpb", "val_loss", "bytes_total",
                                                   "pre_quant_val_bpb", "steps", "train_time_ms")} for r in results]
        summary.update(extra)
        atomic_write(self.run_dir / "metrics.json", json.dumps(_clean(summary), indent=2) + "\n")
        return summary


def _clean(obj: Any) -> Any:
    """JSON-safe: NaN/inf -> None (strict JSON readers reject NaN)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    return obj


def plan(smoke: bool, preset: str, seeds: list[int], data_dir: str | Path, run_dir: str | Path, nproc: int = 1,
         wallclock_seconds: float = 0.0, smoke_seeds: int = 1, smoke_steps: int = SMOKE_STEPS,
         timeout: float | None = None, save_checkpoint: bool = False, overrides: dict[str, Any] | None = None,
         val_tokens: int = 0) -> Plan:
    """Resolve a notebook's parameters into a Plan (and, in smoke mode, a trimmed data copy).

    save_checkpoint: every training run also writes its float weights (for later analysis).
    overrides: dotted config overrides applied to every training run, after the smoke/wallclock
      settings (a reduced protocol, e.g. {"schedule.iterations": 40}); checked against the preset now,
      so a typo fails before any training starts.
    val_tokens: >0 scores only the first val_tokens targets of the validation split (a data copy like smoke mode's):
      faster analyses, noisier numbers; metrics.json records the cap. Not a challenge score.
    """
    if not seeds:
        raise GolfkitError("seeds is empty: give at least one seed")
    run_dir, data_dir = Path(run_dir), Path(data_dir)
    (run_dir / "figures").mkdir(parents=True, exist_ok=True)
    base: dict[str, Any] = {}
    if smoke:
        preset, seeds = "smoke", list(seeds[:smoke_seeds])
        base = {"schedule.iterations": smoke_steps, "schedule.train_log_every": 1}
        val_tokens = SMOKE_VAL_TARGETS
    elif wallclock_seconds > 0:
        base["schedule.max_wallclock_seconds"] = float(wallclock_seconds)
    if save_checkpoint:
        base["schedule.save_checkpoint"] = True
    base.update(overrides or {})
    _check_overrides(preset, base)
    if val_tokens > 0:
        data_dir = val_head_copy(data_dir, run_dir / ("smoke_data" if smoke else "val_head_data"), val_tokens)
    p = Plan(smoke, preset, list(seeds), data_dir, run_dir, nproc, base, timeout, max(val_tokens, 0))
    mode = "SMOKE (tiny model, a few steps: numbers are meaningless)" if smoke else "full"
    print(f"mode: {mode}\npreset: {preset}  nproc: {nproc}  seeds: {p.seeds}\ndata: {data_dir}\nrun_dir: {run_dir}")
    if overrides:
        print(f"overrides on every run: {overrides}")
    if val_tokens > 0 and not smoke:
        print(f"scoring the first {val_tokens:,} validation targets only (not a challenge score)")
    return p


def _check_overrides(preset: str, base: dict[str, Any]) -> None:
    """Apply `base` to the preset once, so an unknown key or bad value fails before training."""
    from golfkit.presets import get_preset

    get_preset(preset).override({k: v for k, v in base.items() if k != "seed"})


def val_head_copy(data_dir: Path, dest: Path, targets: int) -> Path:
    """A copy of `data_dir` whose validation split keeps its first `targets` targets (train shards linked)."""
    from golfkit.data import read_shard, write_shard

    if not (data_dir / "datasets").is_dir():
        raise GolfkitError(f"no datasets/ under {data_dir} (pass -p data_dir DIR in the challenge layout)")
    if dest.exists():
        shutil.rmtree(dest)
    for src in sorted((data_dir / "datasets").glob("*/*.bin")):
        out = dest / "datasets" / src.parent.name / src.name
        out.parent.mkdir(parents=True, exist_ok=True)
        if "_val_" in src.name:
            if src.name.endswith("000000.bin"):  # the head of the split is enough
                write_shard(out, read_shard(src)[: targets + 1])  # + the first context token
        else:
            out.symlink_to(src.resolve())
    shutil.copytree(data_dir / "tokenizers", dest / "tokenizers", symlinks=True)
    return dest


# ----------------------------------------------------------------------------------
# summaries and plots
# ----------------------------------------------------------------------------------
def summarize_variants(results: list[dict[str, Any]], key: str = "val_bpb",
                       reference: str | None = None) -> list[dict[str, Any]]:
    """One row per variant: n, mean ± std, 95% CI, bytes, and its difference from `reference`.

    Variants trained on the same seeds as the reference also get a paired t-test over those
    seeds (same seed = same init and data order, so it sees through the seed spread); every
    variant gets the two-sided Welch test, which ignores the pairing.
    """
    names = list(dict.fromkeys(r["name"] for r in results))
    reference = reference or names[0]
    ref_by_seed = {r["seed"]: r[key] for r in results if r["name"] == reference}
    rows = []
    for name in names:
        mine = [r for r in results if r["name"] == name]
        vals = [r[key] for r in mine]
        s = stats.summarize(vals)
        row = {"variant": name, "n": s.n, f"{key} mean": s.mean, "std": s.std, "95% CI ±": s.ci95,
               "bytes_total": max(r["bytes_total"] for r in mine), "seeds": [r["seed"] for r in mine]}
        if name != reference:
            t = stats.two_sided_welch(vals, list(ref_by_seed.values()))
            row[f"diff vs {reference}"], row["p (Welch)"] = t.diff, t.pvalue
            both = [r for r in mine if r["seed"] in ref_by_seed]
            if len(both) >= 2:
                pt = stats.paired([r[key] for r in both], [ref_by_seed[r["seed"]] for r in both])
                row["paired diff"], row["p (paired)"] = pt.diff, pt.pvalue
        rows.append(row)
    return rows


def findings(rows: list[dict[str, Any]], key: str = "val_bpb", unit: str = "bpb", alpha: float = 0.05) -> list[str]:
    """Plain sentences stating each variant's result with its numbers (what a notebook prints last).

    Uses the paired test where `summarize_variants` has one, else Welch; "within noise" when
    p >= alpha, so a reader never sees a ranking the seeds do not support.
    """
    ref = next(r for r in rows if not any(k.startswith("diff vs") for k in r))  # the reference has no diff
    lines = [f"{ref['variant']}: {key} {ref[f'{key} mean']:.4f} ± {_num(ref['std'])} (std over n={ref['n']} seeds)"]
    for r in (x for x in rows if x is not ref):
        paired_ = "p (paired)" in r
        diff = r["paired diff"] if paired_ else r[f"diff vs {ref['variant']}"]
        p = r["p (paired)"] if paired_ else r["p (Welch)"]
        test = "paired t" if paired_ else "Welch"
        verdict = ("within seed noise" if not (isinstance(p, float) and p < alpha)
                   else ("better" if diff < 0 else "worse"))
        lines.append(f"{r['variant']}: {diff:+.4f} {unit} vs {ref['variant']} "
                     f"({test} p={_num(p, '.3g')}, n={r['n']}): {verdict}")
    return lines


def _num(v: Any, spec: str = ".4f") -> str:
    """A float formatted with `spec`, or "n/a" when undefined (n < 2, a constant paired shift)."""
    return format(v, spec) if isinstance(v, float) and math.isfinite(v) else "n/a"


def markdown_table(rows: list[dict[str, Any]], digits: int = 4) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return "–" if not math.isfinite(v) else (f"{v:.3g}" if abs(v) < 1e-3 and v != 0 else f"{v:.{digits}f}")
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
            return f"{v:,}"
        return "–" if v is None else str(v)

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def show_table(rows: list[dict[str, Any]], digits: int = 4) -> None:
    """Display rows as a Markdown table in a notebook (plain text elsewhere)."""
    text = markdown_table(rows, digits)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(text))
            return
    except ImportError:
        pass
    print(text)


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


def plot_loss_curves(results: list[dict[str, Any]], title: str = "training loss", ax=None):
    """Train-loss curves, one colour per variant, one line per seed."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    names = list(dict.fromkeys(r["name"] for r in results))
    for r in results:
        i = names.index(r["name"])
        steps, losses = load_curve(r["dir"])
        first = r is next(x for x in results if x["name"] == r["name"])
        ax.plot(steps, losses, color=f"C{i}", alpha=0.8, label=r["name"] if first else None)
    ax.set_xlabel("step")
    ax.set_ylabel("train loss (nats/token)")
    ax.set_title(title)
    ax.legend()
    return fig


def plot_variant_bars(rows: list[dict[str, Any]], key: str = "val_bpb", ax=None):
    """Mean ± 95% CI per variant (error bars only where n >= 2)."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 3.5))
    means = [r[f"{key} mean"] for r in rows]
    errs = [r["95% CI ±"] if math.isfinite(r["95% CI ±"]) else 0.0 for r in rows]
    ax.bar([r["variant"] for r in rows], means, yerr=errs, capsize=4, color=[f"C{i}" for i in range(len(rows))])
    lo = min(m - e for m, e in zip(means, errs))
    hi = max(m + e for m, e in zip(means, errs))
    ax.set_ylim(lo - 0.1 * (hi - lo + 1e-3), hi + 0.1 * (hi - lo + 1e-3))
    ax.set_ylabel(key)
    return fig


def timed(fn, *args, **kwargs) -> tuple[Any, float]:
    """(fn(*args, **kwargs), seconds): for eval-time columns."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def export_submission(results: list[dict[str, Any]], dest: str | Path, name: str, blurb: str = "",
                      author: str = "", github_id: str = "") -> Path:
    """A records/-style folder for the candidate's seeds (golfkit/export.py).

    train_gpt.py (the standalone bundle of the first seed's config; `SEED=...` selects the
    others), its readable twin, README.md, requirements.txt, one train_seed<N>.log per seed, and
    submission.json with the challenge's fields: val_loss/val_bpb are the seed means (the README
    reports the mean of the seeds run), bytes_total the largest model over seeds + the exported
    train_gpt.py. Refused (GolfkitError) when that total is over the budget.
    """
    from datetime import date

    from golfkit.export import export_submission as export_run

    dest = Path(dest)
    info = export_run(dest, run_dir=results[0]["dir"], name=name, github_id=github_id, force=True)
    n, code = len(results), info["bytes_code"]
    sub = {"author": author, "github_id": github_id, "name": name, "blurb": blurb, "date": date.today().isoformat(),
           "val_loss": sum(r["val_loss"] for r in results) / n, "val_bpb": sum(r["val_bpb"] for r in results) / n,
           "bytes_total": max(r["bytes_model"] for r in results) + code, "bytes_code": code,
           "seeds": [r["seed"] for r in results], "seed_val_bpb": [r["val_bpb"] for r in results]}
    atomic_write(dest / "submission.json", json.dumps(sub, indent=2) + "\n")
    for r in results:
        shutil.copyfile(Path(r["dir"]) / "train.log", dest / f"train_seed{r['seed']}.log")
    return dest
