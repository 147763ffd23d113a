"""benchmarks/horizon_check.py: its window measures on a made-up curve, and each committed horizon check
(runs/horizon_*_20261130) is what the script computes from the committed training records."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import horizon_check as hc  # noqa: E402

RUNS = REPO / "runs"
NB02 = "20261130_02_quantization_error_amplification_in_recurrence_cpu-trained-1200"
# (committed horizon check, the 1,200-step training it extends, its 2,400-step training)
HORIZONS = [
    ("horizon_looped_s42_20261130", RUNS / f"{NB02}_flat-looped" / "train" / "looped_s42", "looped_s42_2400"),
    ("horizon_core3x3_s42_20261130", RUNS / f"{NB02}_3x3-2x5" / "train" / "core3x3_s42", "core3x3_s42_2400"),
    ("horizon_looped_noisyqat_s1337_20261130", RUNS / f"{NB02}_flat-looped" / "train" / "looped_noisyqat_s1337",
     "looped_noisyqat_s1337_2400"),
    ("horizon_core2x5_s1337_20261130", RUNS / f"{NB02}_3x3-2x5" / "train" / "core2x5_s1337", "core2x5_s1337_2400"),
]
RUN, SHORT = RUNS / HORIZONS[0][0], HORIZONS[0][1]


def test_window_measures_on_a_line_and_a_flat_curve():
    steps = list(range(0, 1001, 50))
    falling = [4.0 - 0.001 * s for s in steps]  # 0.1 nats per 100 steps
    m = hc.window_measures(steps, falling, ws=1000)
    # windows (600, 800] and (800, 1000]: means at 725 and 925, 0.2 nats apart
    assert m["window_evals"] == (4, 4)
    assert m["window_fall_pct"] == pytest.approx(100 * 0.2 / (4.0 - 0.725))
    assert m["trend_fall_pct"] == pytest.approx(100 * 0.2 / (4.0 - 0.825))  # over the mean of (600, 1000]
    flat = hc.window_measures(steps, [3.0 + (0.01 if i % 2 else -0.01) for i in range(len(steps))], ws=1000)
    assert abs(flat["window_fall_pct"]) < 0.5 and abs(flat["trend_fall_pct"]) < 0.5


@pytest.mark.parametrize("run, short, long", HORIZONS, ids=[h[0] for h in HORIZONS])
def test_the_committed_horizon_check_is_what_the_script_computes(run, short, long, tmp_path, capsys):
    assert hc.main([str(short), str(RUNS / run / long), "--md", str(tmp_path / "c.md")]) == 0
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == (RUNS / run / "comparison.md").read_text(encoding="utf-8")
    text = capsys.readouterr().out
    assert "schedule.iterations." in text and "identical at 17 evals" in text


def test_the_second_training_must_be_the_longer_one():
    with pytest.raises(SystemExit, match="more schedule.iterations"):
        hc.main([str(RUN / "looped_s42_2400"), str(SHORT)])


def test_a_folder_that_is_not_a_training_is_one_line(tmp_path):
    with pytest.raises(SystemExit, match="no config.json"):
        hc.main([str(tmp_path), str(SHORT)])
