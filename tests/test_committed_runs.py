"""The recorded runs committed under runs/: their findings are their own, their pages show them, the site links them.

Issue #12's acceptance: each committed run's HTML shows findings generated from its own metrics. A
finding's every number must be one that run's metrics.json holds (golfkit.lab.findings.unmatched_numbers),
besides the verdict rule's constants that the sentences state in words (0.005 nats, p < 0.01, 95%
intervals); the page must carry every finding and the findings heading; runs/index.html must link every
run page that exists. Reads only committed files: no training, a second or two.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from golfkit.lab import findings
from golfkit.lab.notebook_runs import read_index

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "runs"


def committed_runs() -> list[dict]:
    if not (RUNS / "index.jsonl").is_file():
        return []
    return list({r["run_id"]: r for r in read_index(RUNS)}.values())


def with_findings() -> list[str]:
    out = []
    for r in committed_runs():
        m = RUNS / r["run_id"] / "metrics.json"
        if r["status"] == "ok" and m.is_file() and json.loads(m.read_text()).get("findings"):
            out.append(r["run_id"])
    return out


@pytest.mark.parametrize("run_id", with_findings())
def test_findings_are_the_runs_own_and_on_its_page(run_id):
    d = RUNS / run_id
    metrics = json.loads((d / "metrics.json").read_text())
    lines = metrics["findings"]
    assert findings.unmatched_numbers(lines, {**metrics, "rule": findings.rule()}) == [], \
        "a finding states a number its run did not compute"
    text = html.unescape((d / "executed.html").read_text())
    assert "Findings (computed from this run" in text
    missing = [line[:60] for line in lines if line[:60] not in text]
    assert not missing, f"findings not on the page: {missing}"


def test_the_trained_protocol_runs_have_findings():
    """Every run recorded under the workbook's trained protocol ends with findings (the 40-step runs of
    2026-11-22 predate them and are labelled reduced)."""
    trained = [r["run_id"] for r in committed_runs() if r["status"] == "ok" and "cpu-trained" in r["run_id"]]
    assert trained, "no committed cpu-trained run"
    assert set(trained) <= set(with_findings())


def test_the_site_links_every_run_page():
    page = (RUNS / "index.html").read_text()
    for r in committed_runs():
        if (RUNS / r["run_id"] / "executed.html").is_file():
            assert f'href="{r["run_id"]}/executed.html"' in page, r["run_id"]
