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


def test_findings_state_numbers_and_noise():
    from golfkit.lab import workbook

    res = [{"name": n, "seed": s, "val_bpb": v, "bytes_total": 1}
           for n, vals in (("base", (2.84, 2.83, 2.85)), ("good", (2.83, 2.821, 2.839)), ("same", (2.85, 2.82, 2.84)))
           for s, v in zip((1, 2, 3), vals)]
    lines = workbook.findings(workbook.summarize_variants(res))
    assert lines[0].startswith("base: val_bpb 2.8400 ± 0.0100")
    assert "good: -0.0100 bpb" in lines[1] and "paired t" in lines[1] and lines[1].endswith("better")
    assert lines[2].endswith("within seed noise")
    rows = workbook.summarize_variants(res, reference="same")  # the reference need not come first
    assert workbook.findings(rows)[0].startswith("same:")
