"""A notebook's findings, computed from its own run: its scale, the verdict rule, one labelled test per comparison.

    rows = findings.compare(results, reference="baseline")        # the challenge's bar, per variant
    lines = [findings.scale_sentence(p.scale(results)), findings.rule_sentence(),
             *findings.comparison_sentences(rows), *findings.multiplicity(len(rows))[1]]
    p.record(results, findings=lines, comparisons=rows, verdict_rule=findings.rule())
    findings.show(lines)                                             # the page's last section

Every number a sentence states is a value the run stored in metrics.json (the scale, the rule's
constants, the comparison rows); `unmatched_numbers` checks that (tests/test_notebooks.py), so a
notebook cannot print a number it did not compute. Text inside `backticks` (commands, names) is
not a claim and is not checked.

The verdict rule is the challenge's (openai/parameter-golf README, "Submission Process"): an
improvement counts when val_loss is lower by more than 0.005 nats at p < 0.01, one-sided; the
test is paired over seeds when both arms ran the same seeds (golfkit: same seed = same init and
data order), else Welch's. Everything else is "not established", stated with its mean difference
and the 95% interval of that difference.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from golfkit.lab import stats
from golfkit.lab.runinfo import FLAT_GAIN

CI_LEVEL = 95  # the intervals this module prints


def rule(margin: float = stats.CHALLENGE_MARGIN_NATS, alpha: float = stats.CHALLENGE_ALPHA) -> dict[str, Any]:
    """The verdict rule's constants, as recorded in metrics.json."""
    return {"margin_nats": margin, "alpha": alpha, "ci_level": CI_LEVEL, "sided": "one",
            "pairing": "paired over seeds where both arms ran the same seeds, else Welch"}


def rule_sentence(margin: float = stats.CHALLENGE_MARGIN_NATS, alpha: float = stats.CHALLENGE_ALPHA,
                  worse: bool = False) -> str:
    what = ("costs more than the bar: val_loss higher by more than {m} nats" if worse
            else "clears the challenge's bar: val_loss lower by more than {m} nats").format(m=margin)
    return (f"Verdict rule: a difference counts only if it {what} at p < {alpha}, by a one-sided t-test, paired "
            f"over seeds where both arms ran the same seeds, else Welch's; anything else is not established and is "
            f"stated with its mean difference and the {CI_LEVEL}% interval of that difference.")


def scale_sentence(scale: dict[str, Any]) -> str:
    """How big this run is next to the challenge's, from `Plan.scale()`."""
    seeds = ", ".join(str(s) for s in scale["seeds"])
    head = ("SMOKE run (a tiny model, a few steps: these numbers only show that the path works). "
            if scale["protocol"] == "smoke" else "")
    params = f"{scale['model_params']:,}-parameter " if scale.get("model_params") else ""
    return (f"{head}Scale ({scale['protocol']} protocol): each {params}model trained {scale['steps']:,} steps x "
            f"{scale['tokens_per_step']:,} tokens = {scale['train_tokens']:,} tokens, "
            f"{_g(scale['tokens_pct_of_challenge'])}% of the {scale['challenge_train_tokens']:,} tokens "
            f"({_g(scale['steps_pct_of_challenge'])}% of the {scale['challenge_steps']:,} steps) that the challenge's "
            f"600-second 8xH100 baseline trains on; validation on the first {scale['val_targets']:,} targets "
            f"({_g(scale['val_pct_of_challenge'])}% of the challenge's {scale['challenge_val_tokens']:,}); "
            f"{scale['n_seeds']} seed{'s' if scale['n_seeds'] != 1 else ''} ({seeds}).")


def _g(v: float) -> str:
    """3 significant digits, never in e-notation (a reader's percent)."""
    if v == 0 or not math.isfinite(v):
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(v)))))
    return f"{v:.{digits}f}"


# ----------------------------------------------------------------------------------
# comparisons
# ----------------------------------------------------------------------------------
def compare(results: list[dict[str, Any]], reference: str, key: str = "val_loss", bpb_key: str | None = "val_bpb",
            margin: float = stats.CHALLENGE_MARGIN_NATS, alpha: float = stats.CHALLENGE_ALPHA,
            worse: bool = False, names: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per variant vs `reference`: mean difference, its 95% interval, and one labelled test.

    results: rows with name, seed, `key` (and `bpb_key`). The test is `stats.improvement`: one-sided,
    H1 "better by more than margin" (worse=True: "worse by more than margin"), paired when the two
    arms ran the same seeds.
    """
    by = {}
    for r in results:
        by.setdefault(r["name"], {})[r["seed"]] = r
    if reference not in by:
        raise ValueError(f"reference {reference!r} not among {list(by)}")
    ref = by[reference]
    rows = []
    for name in names or [n for n in by if n != reference]:
        mine = by[name]
        paired = set(mine) == set(ref) and len(mine) >= 2
        seeds = sorted(mine) if paired else None
        a = [mine[s][key] for s in seeds] if paired else [r[key] for r in mine.values()]
        b = [ref[s][key] for s in seeds] if paired else [r[key] for r in ref.values()]
        t = stats.improvement(b, a, margin, alpha, paired) if worse else stats.improvement(a, b, margin, alpha, paired)
        diff = float(sum(a) / len(a) - sum(b) / len(b))
        row = {"variant": name, "reference": reference, "n": len(a), "n_reference": len(b), "key": key,
               "diff": diff, "ci95": stats.diff_ci95(a, b, paired), "test": t.test + (" (worse)" if worse else ""),
               "p": t.pvalue, "verdict": _verdict(t, worse)}
        if bpb_key:
            ab = [mine[s][bpb_key] for s in seeds] if paired else [r[bpb_key] for r in mine.values()]
            bb = [ref[s][bpb_key] for s in seeds] if paired else [r[bpb_key] for r in ref.values()]
            row["diff_bpb"] = float(sum(ab) / len(ab) - sum(bb) / len(bb))
        rows.append(row)
    return rows


def _verdict(t: stats.TestResult, worse: bool) -> str:
    if t.significant:
        return "costs more than the bar" if worse else "clears the bar"
    return "not established"


def comparison_sentences(rows: list[dict[str, Any]], unit: str = "nats") -> list[str]:
    out = []
    for r in rows:
        bpb = f" ({r['diff_bpb']:+.4f} val_bpb)" if "diff_bpb" in r else ""
        ci = f"{CI_LEVEL}% interval ±{r['ci95']:.4f}" if _finite(r["ci95"]) else "no interval (one seed)"
        p = f"p={_p(r['p'])}" if _finite(r["p"]) else "p undefined (fewer than 2 seeds or a constant difference)"
        n = f"{r['n']} seed{'s' if r['n'] != 1 else ''}" if r["n"] == r["n_reference"] else f"{r['n']} vs {r['n_reference']} seeds"
        out.append(f"{r['variant']} vs {r['reference']}: {r['diff']:+.4f} {unit} {r['key']}{bpb}, {ci}, {n}; "
                   f"{r['test']}: {p}: {r['verdict']}.")
    return out


def multiplicity(k: int, alpha: float = stats.CHALLENGE_ALPHA) -> tuple[dict[str, Any], list[str]]:
    """The multiple-comparisons note for k tests at `alpha` each (and its numbers, for metrics.json)."""
    info = {"comparisons": k, "alpha": alpha, "familywise_bound": min(1.0, k * alpha), "bonferroni_alpha": alpha / max(k, 1)}
    if k < 2:
        return info, []
    return info, [f"{k} comparisons were tested at p < {alpha} each: the chance that at least one passes by luck alone "
                  f"is up to {_p(info['familywise_bound'])}; Bonferroni's stricter per-test threshold would be "
                  f"p < {_p(info['bonferroni_alpha'])}."]


def interval_sentence(label: str, values: list[float], unit: str, digits: int = 4) -> str:
    """'label: mean ± 95% interval (n seeds)' for a per-seed quantity that has no reference to test against."""
    s = stats.summarize(values)
    ci = f" ± {s.ci95:.{digits}f} ({CI_LEVEL}% interval)" if _finite(s.ci95) else ""
    return f"{label}: {s.mean:.{digits}f}{ci} {unit}, {s.n} seed{'s' if s.n != 1 else ''}"


def training_evidence(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Over a notebook's trainings: how far validation loss still moved, and the train/val gap (mean, min, max)."""
    out: dict[str, Any] = {"trainings": len(results), "window_pct": 20}
    for k in ("val_last20_pct", "val_plateau_pct", "train_val_gap", "epochs", "train_loss_end", "val_loss_end"):
        vals = [r[k] for r in results if _finite(r.get(k))]
        if vals:
            out[k] = {"mean": sum(vals) / len(vals), "min": min(vals), "max": max(vals)}
    plateau = [r["val_plateau_pct"] for r in results if _finite(r.get("val_plateau_pct"))]
    if plateau:  # the issue's example bar for "trained, not initialised": under 1% over the window
        out["plateau_bar_pct"] = 100 * FLAT_GAIN
        out["plateau_under_bar"] = sum(v < 100 * FLAT_GAIN for v in plateau)
        out["plateau_measured"] = len(plateau)
    return out


def training_sentence(ev: dict[str, Any]) -> str:
    """'Trained, not initialised' in numbers: the flattening and overfitting evidence of `training_evidence`."""
    parts = []
    if "val_plateau_pct" in ev:
        v = ev["val_plateau_pct"]
        parts.append(f"over the last 20% of the constant-learning-rate phase validation loss fell {v['mean']:.2f}% "
                     f"(range {v['min']:.2f} to {v['max']:.2f})")
        if "plateau_under_bar" in ev:
            met, n = ev["plateau_under_bar"], ev["plateau_measured"]
            verdict = "flattened" if met == n else "not all flattened: read the findings as models still improving"
            parts.append(f"{met} of {n} trainings fell under the {ev['plateau_bar_pct']:g}% that counts as a flattened "
                         f"curve ({verdict})")
    if "val_last20_pct" in ev:
        v = ev["val_last20_pct"]
        parts.append(f"over the last 20% of all steps (the warmdown) it fell {v['mean']:.2f}% "
                     f"(range {v['min']:.2f} to {v['max']:.2f})")
    if "train_val_gap" in ev:
        v = ev["train_val_gap"]
        parts.append(f"at the end validation loss exceeds train loss by {v['mean']:.4f} nats "
                     f"(range {v['min']:.4f} to {v['max']:.4f})")
    if "epochs" in ev:
        parts.append(f"after {ev['epochs']['max']:.2f} epochs of the training data")
    return f"Training ({ev['trainings']} trainings): " + "; ".join(parts) + "."


def _p(v: float) -> str:
    return f"{v:.3g}"


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


# ----------------------------------------------------------------------------------
# the page's section, and the check that its numbers are the run's
# ----------------------------------------------------------------------------------
def markdown(lines: list[str], title: str = "Findings (computed from this run's metrics.json)") -> str:
    return f"## {title}\n\n" + "\n".join(f"- {line}" for line in lines)


def show(lines: list[str], title: str | None = None) -> None:
    from golfkit.lab.pages import show_markdown

    show_markdown(markdown(lines, title) if title else markdown(lines))


_CODE = re.compile(r"`[^`]*`")
_NUMBER = re.compile(r"(?<![\w.#])[−+-]?\d[\d,]*(?:\.\d+)?(?:e[−+-]?\d+)?(?![\w])")


def numbers_in(text: str) -> list[str]:
    """The numbers a sentence states (outside `code` spans; not parts of names like int8, s64, 3x3, PR #363)."""
    return _NUMBER.findall(_CODE.sub(" ", text))


def _values(obj: Any, skip: tuple[str, ...]) -> list[float]:
    out: list[float] = []
    if isinstance(obj, bool):
        return out
    if isinstance(obj, (int, float)):
        if math.isfinite(obj):
            out.append(float(obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                out += _values(v, skip)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            out += _values(v, skip)
    return out


def unmatched_numbers(lines: list[str], metrics: dict[str, Any], skip: tuple[str, ...] = ("findings",)) -> list[str]:
    """Numbers stated in `lines` that no value of `metrics` (outside `skip`) rounds to, as written.

    A number written with d decimals matches a value v when |v| rounds to it at d decimals (signs
    are dropped: a sentence may say "fell 1.2%" for a change of -1.2); integers need a value within 0.5.
    """
    values = sorted({abs(v) for v in _values(metrics, skip)})
    missing = []
    for text in (n for line in lines for n in numbers_in(line)):
        raw = text.replace(",", "").replace("−", "-").lstrip("+-")
        try:
            x = Decimal(raw)
        except InvalidOperation:
            missing.append(text)
            continue
        tol = float(Decimal(1).scaleb(x.as_tuple().exponent)) / 2 * (1 + 1e-9)
        xf = float(x)
        if not any(abs(v - xf) <= tol for v in values):
            missing.append(text)
    return missing
