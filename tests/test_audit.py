"""`golfkit audit FOLDER` on the real record folders (fixtures in ../shared/reference/records) and on
deliberately broken copies of them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from golfkit.lab import audit
from conftest import REPO, golfkit_cli


@pytest.fixture(scope="module")
def records() -> Path:
    # as tests/records_harness.py (branch records): ../shared/reference/records or GOLFKIT_TEST_RECORDS
    d = Path(os.environ.get("GOLFKIT_TEST_RECORDS", REPO.parent / "shared" / "reference" / "records")).resolve()
    if not d.is_dir():
        pytest.skip(f"record folders not found at {d}")
    return d


def statuses(folder, **kw) -> dict[str, audit.Check]:
    return {c.name: c for c in audit.audit_folder(folder, **kw)}


BUDGET, SEEDS, SIG = "bytes <= 16,000,000", "seeds >= 3", "beats previous by 0.005 nats, p<0.01"


def test_every_record_folder_is_reported_from_its_own_files(records):
    want = {  # check -> status, per folder: what those logs and files show
        "baseline": {"file README.md": "fail", "file submission.json": "fail", "val_tokens canonical": "fail",
                     "train_shards canonical": "pass", "training <= 600 s": "pass", SEEDS: "fail"},
        "pr1290": {"submission.json scores = logs": "pass", BUDGET: "pass", "val_tokens canonical": "pass",
                   "training <= 600 s": "unknown", SIG: "fail"},
        "pr1787": {"file submission.json": "fail", "train logs": "fail", SEEDS: "fail"},
        "pr1801": {"file README.md": "fail", "submission.json scores = logs": "pass", BUDGET: "pass",
                   "val_tokens canonical": "pass", SIG: "unknown"},
        "pr1855": {"submission.json scores = logs": "pass", BUDGET: "pass", "evaluation <= 600 s": "pass", SIG: "pass"},
        "pr2135": {"submission.json bytes = logs": "pass", "train_shards canonical": "pass",
                   "training <= 600 s": "pass", SIG: "fail"},
        "swapp2": {"submission.json scores = logs": "fail", BUDGET: "fail", "training <= 600 s": "pass", SIG: "pass"},
    }
    assert sorted(want) == sorted(p.name for p in records.iterdir() if p.is_dir())
    for name, expected in want.items():
        got = statuses(records / name)
        assert {k: got[k].status for k in expected} == expected, (name, {k: got[k].evidence for k in expected})
    # the evidence is the logs' own numbers
    ev = statuses(records / "pr2135")[SIG].evidence
    assert "Welch" in ev and "p=0.029" in ev and "PR #1855" in ev
    assert "63,779,840" in statuses(records / "baseline")["val_tokens canonical"].evidence
    assert "logged code 0 bytes" in statuses(records / "pr1801")[BUDGET].evidence


def test_cli_prints_the_table_and_exits_nonzero_on_a_failure(records):
    r = golfkit_cli("audit", str(records / "pr1801"))
    assert r.returncode == 1, r.stderr
    row = next(ln for ln in r.stdout.splitlines() if ln.startswith("file README.md"))
    assert "fail" in row and "missing" in row
    assert golfkit_cli("audit", str(records / "pr1855")).returncode == 0


def broken(records: Path, tmp_path: Path, edit) -> Path:
    dest = tmp_path / "sub"
    shutil.copytree(records / "pr2135", dest)
    for f in dest.rglob("*"):
        f.chmod(0o644 if f.is_file() else 0o755)
    edit(dest)
    return dest


def sub_edit(d: Path, fn):
    s = json.loads((d / "submission.json").read_text())
    fn(s)
    (d / "submission.json").write_text(json.dumps(s))


def log_edit(d: Path, name: str, old: str, new: str):
    f = d / name
    text = f.read_text()
    assert old in text
    f.write_text(text.replace(old, new))


@pytest.mark.parametrize("edit, check, needle", [
    (lambda d: (d / "train_seed0.log").unlink(), SEEDS, "2 scored"),
    (lambda d: (d / "README.md").unlink(), "file README.md", "missing"),
    (lambda d: sub_edit(d, lambda s: s.update(val_bpb=1.04)), "submission.json scores = logs", "1.04 vs mean"),
    (lambda d: sub_edit(d, lambda s: s["seed_results"]["42"].update(val_loss=2.2)), "submission.json scores = logs",
     "seed 42 val_loss 2.2"),
    (lambda d: log_edit(d, "train_seed42.log", "Total submission size quantized+pergroup: 15947490 bytes",
                        "Total submission size quantized+pergroup: 16000001 bytes"), BUDGET, "16,000,001"),
    (lambda d: log_edit(d, "train_seed42.log", "train_shards: 80", "train_shards: 1499"), "train_shards canonical",
     "1499"),
    (lambda d: log_edit(d, "train_seed42.log", "val_tokens: 47851520", "val_tokens: 47000000"),
     "val_tokens canonical", "47,000,000"),
    (lambda d: log_edit(d, "train_seed42.log", "stopping_early: wallclock_cap train_time: 599672ms",
                        "stopping_early: wallclock_cap train_time: 640000ms"), "training <= 600 s", "640.000s"),
    (lambda d: log_edit(d, "train_seed42.log", "total_eval_time:540.1s", "total_eval_time:612.0s"),
     "evaluation <= 600 s", "612.0s"),
])
def test_broken_copies_fail_the_right_check(records, tmp_path, edit, check, needle):
    got = statuses(broken(records, tmp_path, edit))
    assert got[check].status == "fail" and needle in got[check].evidence, got[check]
    failed = {k for k, c in got.items() if c.status == "fail"} - {check, SIG, "submission.json bytes = logs",
                                                                    "submission.json scores = logs",
                                                                    "submission.json seeds = logs"}
    assert not failed, failed  # nothing else breaks


def test_previous_record_by_pr_folder_or_number(records):
    same = statuses(records / "pr2135", previous="2135")[SIG]
    assert same.status == "fail" and "delta +0.00000" in same.evidence
    by_folder = statuses(records / "pr2135", previous=str(records / "pr1855"))[SIG]
    assert by_folder.evidence.split(";")[1] == statuses(records / "pr2135", previous="1855")[SIG].evidence.split(";")[1]
    lenient = statuses(records / "pr2135", previous="2.40")[SIG]
    assert lenient.status == "pass" and "one-sample" in lenient.evidence
    mixed = statuses(records / "pr2135", previous="1290")[SIG]
    assert mixed.status == "unknown" and "not comparable" in mixed.evidence


def test_known_records_table_matches_the_record_folders(records):
    for pr, folder in (("1290", "pr1290"), ("1801", "pr1801"), ("1855", "pr1855"), ("2135", "pr2135")):
        logs = [audit.parse_log(f) for f in sorted((records / folder).glob("*.log"))]
        assert sorted(s.val_loss for s in logs) == sorted(audit.KNOWN_RECORDS[pr]["val_loss"]), pr
        assert {s.variant for s in logs} == {audit.KNOWN_RECORDS[pr]["variant"]}


def _golfkit_imports(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text())
    mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | \
           {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    return {m for m in mods if m.startswith("golfkit")}


def test_audit_imports_no_training_code():
    # the folder audit reads other participants' folders: nothing but the canonical facts
    assert _golfkit_imports(Path(audit.__file__)) <= {"golfkit", "golfkit.canonical", "golfkit.errors", "golfkit.lab"}
    from golfkit.lab import run_audit

    training = {"golfkit.train", "golfkit.session", "golfkit.optim", "golfkit.averaging", "golfkit.submission"}
    assert not _golfkit_imports(Path(run_audit.__file__)) & training


def test_not_a_folder_is_one_line(tmp_path):
    r = golfkit_cli("audit", str(tmp_path / "nope"))
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "not a folder" in r.stderr
