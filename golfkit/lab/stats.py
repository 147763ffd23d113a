"""Seed statistics and the challenge's significance tests (scipy.stats, nothing hand-rolled).

The challenge's rule for a new record (openai/parameter-golf README, "Submission Process"):
the improvement must be at least 0.005 nats of val_loss over the current record, shown
with enough seeds for p < 0.01. Two tests express it:

* `vs_target`: one-sided one-sample t-test of H0 "mean >= target - margin" against
  H1 "mean < target - margin" (`scipy.stats.ttest_1samp(..., alternative="less")`),
  for a record whose per-seed numbers you do not have (only its published mean);
* `welch`: one-sided Welch t-test of H0 "mean(a) >= mean(b) - margin" (unequal
  variances, `scipy.stats.ttest_ind(equal_var=False, alternative="less")`), for two
  run sets you trained yourself.

Lower is better everywhere (val_loss, val_bpb). The margin is in the unit of the values:
0.005 for val_loss in nats; for val_bpb pass `nats_to_bpb(0.005, bytes_per_token)`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np

CHALLENGE_MARGIN_NATS = 0.005
CHALLENGE_ALPHA = 0.01


@dataclass
class Summary:
    n: int
    mean: float
    std: float  # sample std (ddof=1); nan for n < 2
    sem: float  # standard error of the mean
    ci95: float  # half-width of the two-sided 95% t interval; nan for n < 2

    def __str__(self) -> str:
        if self.n < 2:
            return f"{self.mean:.4f} (n=1)"
        return f"{self.mean:.4f} ± {self.std:.4f} (n={self.n}, 95% CI ±{self.ci95:.4f})"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TestResult:
    test: str
    statistic: float
    pvalue: float
    df: float
    diff: float  # mean(a) - reference (target or mean(b)): negative = better
    margin: float
    alpha: float

    @property
    def significant(self) -> bool:
        return bool(np.isfinite(self.pvalue) and self.pvalue < self.alpha)

    def line(self) -> str:
        verdict = "significant" if self.significant else "not significant"
        return (f"{self.test}: diff {self.diff:+.5f} (need < {-self.margin:+.5f}), t={self.statistic:.3f}, "
                f"df={self.df:.1f}, p={self.pvalue:.3g} -> {verdict} at p < {self.alpha}")

    def to_dict(self) -> dict:
        return {**asdict(self), "significant": self.significant}


def _arr(values: Sequence[float], what: str) -> np.ndarray:
    a = np.asarray([float(v) for v in values if v is not None], dtype=np.float64)
    if a.size == 0:
        raise ValueError(f"{what}: no values")
    return a


def summarize(values: Sequence[float]) -> Summary:
    """Mean, sample std, standard error and the 95% t interval of per-seed values."""
    from scipy import stats

    a = _arr(values, "summarize")
    n = a.size
    if n < 2:
        return Summary(1, float(a[0]), math.nan, math.nan, math.nan)
    std = float(a.std(ddof=1))
    sem = std / math.sqrt(n)
    return Summary(n, float(a.mean()), std, sem, float(stats.t.ppf(0.975, n - 1) * sem))


def vs_target(values: Sequence[float], target: float, margin: float = CHALLENGE_MARGIN_NATS,
              alpha: float = CHALLENGE_ALPHA) -> TestResult:
    """Is the mean below `target - margin`? One-sided one-sample t-test (needs n >= 2)."""
    from scipy import stats

    a = _arr(values, "vs_target")
    if a.size < 2:
        return TestResult("one-sample t vs target", math.nan, math.nan, 0.0, float(a.mean() - target), margin, alpha)
    r = stats.ttest_1samp(a, target - margin, alternative="less")
    return TestResult("one-sample t vs target", float(r.statistic), float(r.pvalue), float(a.size - 1),
                      float(a.mean() - target), margin, alpha)


def welch(a_values: Sequence[float], b_values: Sequence[float], margin: float = CHALLENGE_MARGIN_NATS,
          alpha: float = CHALLENGE_ALPHA) -> TestResult:
    """Is mean(a) below mean(b) - margin? One-sided Welch t-test (needs n >= 2 on both sides)."""
    from scipy import stats

    a, b = _arr(a_values, "welch a"), _arr(b_values, "welch b")
    diff = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return TestResult("Welch t", math.nan, math.nan, 0.0, diff, margin, alpha)
    # Shifting a by +margin turns H0 "mean(a) - mean(b) >= -margin" into a plain one-sided test.
    r = stats.ttest_ind(a + margin, b, equal_var=False, alternative="less")
    return TestResult("Welch t", float(r.statistic), float(r.pvalue), float(getattr(r, "df", math.nan)), diff,
                      margin, alpha)


def two_sided_welch(a_values: Sequence[float], b_values: Sequence[float], alpha: float = 0.05) -> TestResult:
    """Do two run sets differ at all (either direction)? For ablations, not for records."""
    from scipy import stats

    a, b = _arr(a_values, "welch a"), _arr(b_values, "welch b")
    diff = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return TestResult("two-sided Welch t", math.nan, math.nan, 0.0, diff, 0.0, alpha)
    r = stats.ttest_ind(a, b, equal_var=False)
    return TestResult("two-sided Welch t", float(r.statistic), float(r.pvalue), float(getattr(r, "df", math.nan)),
                      diff, 0.0, alpha)


def paired(a_values: Sequence[float], b_values: Sequence[float], alpha: float = 0.05) -> TestResult:
    """Do two run sets trained on the same seeds differ (two-sided paired t, `scipy.stats.ttest_rel`)?

    Same seed = same init and data order in golfkit, so the per-seed differences carry far less
    noise than the seed spread: the right test for ablations run seed by seed. a[i] pairs with b[i].
    """
    from scipy import stats

    a, b = _arr(a_values, "paired a"), _arr(b_values, "paired b")
    if a.size != b.size:
        raise ValueError(f"paired test needs equal lengths, got {a.size} and {b.size}")
    diff = float((a - b).mean())
    if a.size < 2 or np.allclose(a - b, (a - b)[0]):  # n=1, or a constant shift (t undefined)
        return TestResult("paired t", math.nan, math.nan, float(a.size - 1), diff, 0.0, alpha)
    r = stats.ttest_rel(a, b)
    return TestResult("paired t", float(r.statistic), float(r.pvalue), float(a.size - 1), diff, 0.0, alpha)


def improvement(a_values: Sequence[float], b_values: Sequence[float], margin: float = CHALLENGE_MARGIN_NATS,
                alpha: float = CHALLENGE_ALPHA, paired: bool = True) -> TestResult:
    """The challenge's bar between two run sets: is mean(a) below mean(b) by more than `margin`?

    One-sided. `paired` (a[i] and b[i] share a seed: same init and data order in golfkit): a one-sample
    t-test of the per-seed differences, H0 "mean(a - b) >= -margin" against H1 "mean(a - b) < -margin"
    (`scipy.stats.ttest_1samp(d + margin, 0, alternative="less")`); otherwise the one-sided Welch test
    (`welch`). The label says which, so a table never mixes tests silently.
    """
    from scipy import stats

    if not paired:
        r = welch(a_values, b_values, margin, alpha)
        r.test = "one-sided Welch t"
        return r
    a, b = _arr(a_values, "paired a"), _arr(b_values, "paired b")
    if a.size != b.size:
        raise ValueError(f"paired test needs equal lengths, got {a.size} and {b.size}")
    d = a - b
    diff = float(d.mean())
    if a.size < 2 or np.allclose(d, d[0], rtol=0.0, atol=1e-12):  # n=1, or a constant shift: t undefined
        return TestResult("one-sided paired t", math.nan, math.nan, float(a.size - 1), diff, margin, alpha)
    r = stats.ttest_1samp(d + margin, 0.0, alternative="less")
    return TestResult("one-sided paired t", float(r.statistic), float(r.pvalue), float(a.size - 1), diff,
                      margin, alpha)


def diff_ci95(a_values: Sequence[float], b_values: Sequence[float], paired: bool = True) -> float:
    """Half-width of the 95% t interval of mean(a) - mean(b) (paired differences, or Welch's); nan for n < 2.

    A description of the spread, not a second test: verdicts come from `improvement` alone.
    """
    from scipy import stats

    a, b = _arr(a_values, "ci a"), _arr(b_values, "ci b")
    if paired:
        return summarize(a - b).ci95 if a.size == b.size else math.nan
    if a.size < 2 or b.size < 2:
        return math.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return 0.0
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))  # Welch-Satterthwaite
    return float(stats.t.ppf(0.975, df) * se)


def nats_to_bpb(nats_per_token: float, bytes_per_token: float) -> float:
    """A per-token loss difference in nats as bits per byte (the challenge's 0.005 nats ~ 0.003 bpb)."""
    return nats_per_token / (math.log(2.0) * bytes_per_token)


def seeds_needed(std: float, improvement: float, margin: float = CHALLENGE_MARGIN_NATS,
                 alpha: float = CHALLENGE_ALPHA, max_n: int = 64) -> int | None:
    """Smallest n at which an expected one-sample t statistic reaches the one-sided critical value.

    A planning aid (expected t, not power): with per-seed `std` and a true `improvement`
    over the target, how many seeds make "improvement beyond margin" significant.
    """
    from scipy import stats

    excess = improvement - margin
    if excess <= 0 or std <= 0:
        return None
    for n in range(2, max_n + 1):
        if excess / (std / math.sqrt(n)) > stats.t.ppf(1 - alpha, n - 1):
            return n
    return None
