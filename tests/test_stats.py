"""golfkit.lab.stats: seed summaries and the challenge's one-sided tests agree with scipy.stats."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st

from golfkit.lab import stats


def test_summarize_matches_t_interval():
    vals = [1.20, 1.21, 1.19, 1.22]
    s = stats.summarize(vals)
    lo, hi = st.t.interval(0.95, len(vals) - 1, loc=np.mean(vals), scale=st.sem(vals))
    assert s.n == 4 and s.mean == pytest.approx(np.mean(vals))
    assert s.std == pytest.approx(np.std(vals, ddof=1))
    assert s.ci95 == pytest.approx((hi - lo) / 2)
    one = stats.summarize([1.5])
    assert one.n == 1 and math.isnan(one.std) and "n=1" in str(one)


def test_vs_target_one_sided_with_margin():
    target = 2.0
    better = [1.980, 1.981, 1.979, 1.980, 1.982]  # 0.02 nats below: clears 0.005 easily
    r = stats.vs_target(better, target)
    expect = st.ttest_1samp(better, target - 0.005, alternative="less")
    assert r.pvalue == pytest.approx(expect.pvalue) and r.significant
    assert r.diff == pytest.approx(np.mean(better) - target)
    # 0.003 below the target is an improvement, but not by the 0.005-nat bar
    assert not stats.vs_target([1.997, 1.9971, 1.9969], target).significant
    assert not stats.vs_target([1.9], target).significant  # one seed: no test


def test_welch_is_scipy_welch_shifted_by_margin():
    a, b = [1.10, 1.11, 1.09], [1.13, 1.14, 1.125, 1.135]
    r = stats.welch(a, b, margin=0.005)
    expect = st.ttest_ind(np.add(a, 0.005), b, equal_var=False, alternative="less")
    assert r.pvalue == pytest.approx(expect.pvalue) and r.statistic == pytest.approx(expect.statistic)
    assert r.df > 0 and r.diff < 0
    assert stats.welch(b, a).pvalue > 0.5  # worse, not better
    two = stats.two_sided_welch(a, b)
    assert two.pvalue == pytest.approx(st.ttest_ind(a, b, equal_var=False).pvalue)
    assert "Welch" in r.line() and r.to_dict()["significant"] == r.significant


def test_units_and_planning():
    assert stats.nats_to_bpb(0.005, 2.436) == pytest.approx(0.005 / (math.log(2) * 2.436))
    n_small_noise = stats.seeds_needed(std=0.002, improvement=0.01)
    n_big_noise = stats.seeds_needed(std=0.006, improvement=0.01)
    assert n_small_noise is not None and n_big_noise is not None and n_small_noise < n_big_noise
    assert stats.seeds_needed(std=0.002, improvement=0.004) is None  # below the margin: never


def test_paired_matches_scipy_and_sees_through_seed_spread():
    base = [2.840, 2.833, 2.851]  # seed spread 0.009
    arm = [b - 0.004 + e for b, e in zip(base, (0.0003, -0.0002, 0.0001))]
    r = stats.paired(arm, base)
    ref = st.ttest_rel(arm, base)
    assert r.pvalue == pytest.approx(ref.pvalue) and r.diff == pytest.approx(-0.004, abs=1e-4)
    assert r.pvalue < 0.01 < stats.two_sided_welch(arm, base).pvalue  # the pairing is what finds it
    assert math.isnan(stats.paired([1.0, 2.0], [0.5, 1.5]).pvalue)  # a constant shift: t undefined, not 0
    with pytest.raises(ValueError):
        stats.paired([1.0, 2.0], [1.0])


def test_improvement_is_the_challenge_bar_paired_or_welch():
    base = [2.000, 2.010, 1.990]
    arm = [1.990, 2.0005, 1.979]  # ~0.0102 better on every seed: clears 0.005 only with the pairing
    r = stats.improvement(arm, base)
    ref = st.ttest_1samp(np.subtract(arm, base) + 0.005, 0.0, alternative="less")
    assert r.test == "one-sided paired t" and r.pvalue == pytest.approx(ref.pvalue) and r.significant
    w = stats.improvement(arm, base, paired=False)
    assert w.test == "one-sided Welch t" and not w.significant  # the seed spread hides it without the pairing
    assert not stats.improvement([1.998, 2.008, 1.988], base).significant  # 0.002 better: under the bar
    assert math.isnan(stats.improvement([1.9, 1.8], [2.0, 1.9]).pvalue)  # a constant shift: t undefined
    ci = stats.diff_ci95(arm, base)
    assert ci == pytest.approx(stats.summarize(np.subtract(arm, base)).ci95)


def test_findings_state_numbers_the_metrics_hold():
    from golfkit.lab import findings

    res = [{"name": n, "seed": s, "val_loss": v, "val_bpb": v / 1.7}
           for n, vals in (("base", (2.000, 2.010, 1.990)), ("good", (1.990, 2.0005, 1.979)),
                           ("same", (2.001, 2.009, 1.992))) for s, v in zip((1, 2, 3), vals)]
    rows = findings.compare(res, "base")
    assert [r["verdict"] for r in rows] == ["clears the bar", "not established"]
    lines = findings.comparison_sentences(rows)
    assert lines[0].startswith("good vs base: -0.0102 nats val_loss") and "one-sided paired t" in lines[0]
    assert lines[1].endswith("not established.")
    assert findings.unmatched_numbers(lines, {"comparisons": rows, "rule": findings.rule()}) == []
    assert findings.unmatched_numbers(["gain 0.0123 at 3 seeds"], {"x": 0.01234, "n": 3}) == []
    assert findings.unmatched_numbers(["gain 0.0124"], {"x": 0.01234}) == ["0.0124"]  # not what was computed
    # names with digits and code spans are not claims
    assert findings.numbers_in("int8 vs 3x3 at s64 `-p nproc 8` p=4.1e-05, −1,048,576 tokens") == ["4.1e-05", "−1,048,576"]
    worse = findings.compare(res, "good", worse=True, names=["base"])
    assert worse[0]["verdict"] == "costs more than the bar" and worse[0]["diff"] > 0
    info, note = findings.multiplicity(4)
    assert info["bonferroni_alpha"] == pytest.approx(0.0025) and "4 comparisons" in note[0]
    assert findings.multiplicity(1)[1] == []
