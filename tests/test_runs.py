"""The notebook runner and launcher: records, statuses, unknown parameters, and no orphans."""

from __future__ import annotations

import html as html_lib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import make_notebook
from golfkit.errors import GolfkitError
from golfkit.lab import compare, launch, notebook_runs, runinfo

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


# A training cell that runs long enough to be killed mid-training.
LONG_TRAIN = ("from golfkit.lab import launch\n"
              "launch.train_subprocess(run_dir + '/train/long', 'smoke', {'schedule.iterations': 100000, "
              "'schedule.train_log_every': 1}, data_dir)")


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains `text` (zombies have an empty cmdline)."""
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if text.encode() in (d / "cmdline").read_bytes() and int(d.name) != os.getpid():
                found.append(int(d.name))
        except OSError:
            continue
    return found


def test_parse_param():
    assert notebook_runs.parse_param("True") is True and notebook_runs.parse_param("False") is False
    assert notebook_runs.parse_param("None") is None and notebook_runs.parse_param("3") == 3
    assert notebook_runs.parse_param("1e-3") == pytest.approx(1e-3) and notebook_runs.parse_param("0.5") == 0.5
    assert notebook_runs.parse_param("[1337, 42]") == [1337, 42] and notebook_runs.parse_param("{a: 1}") == {"a": 1}
    assert notebook_runs.parse_param("cpu-small") == "cpu-small"


def test_unknown_parameter_is_an_error(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", "x = 1")
    with pytest.raises(GolfkitError, match="unknown parameter 'stpes'"):
        notebook_runs.run_notebook(nb, {"stpes": 5}, runs_root=tmp_path / "runs")
    assert not (tmp_path / "runs").exists()  # refused before anything was written
    bare = tmp_path / "bare.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), bare)
    with pytest.raises(GolfkitError, match="no cell tagged 'parameters'"):
        notebook_runs.run_notebook(bare, {}, runs_root=tmp_path / "runs")


def test_failing_cell_is_recorded_failed(tmp_path):
    nb = make_notebook(tmp_path / "fail.ipynb", "print('before')", "raise ValueError('boom')", "print('never')")
    rec = notebook_runs.run_notebook(nb, {"steps": 5}, run_id="f1", runs_root=tmp_path / "runs")
    assert rec["status"] == "failed" and "ValueError: boom" in rec["error"]
    d = tmp_path / "runs" / "f1"
    for name in ("executed.ipynb", "executed.html", "params.yaml", "env.json"):
        assert (d / name).is_file(), name
    out = nbformat.read(d / "executed.ipynb", as_version=4)
    assert out.metadata["golfkit"]["status"] == "failed"
    assert out.metadata["papermill"]["parameters"]["steps"] == 5
    index = [json.loads(x) for x in (tmp_path / "runs" / "index.jsonl").read_text().splitlines()]
    assert index[-1]["run_id"] == "f1" and index[-1]["status"] == "failed"
    assert index[-1]["parameters"]["steps"] == 5 and "duration_s" in index[-1]
    with pytest.raises(GolfkitError, match="already exists"):
        notebook_runs.run_notebook(nb, {}, run_id="f1", runs_root=tmp_path / "runs")
    assert not (d / "executing.ipynb").exists()  # the staged notebook became executed.ipynb
    assert (d / "kernel.log").is_file()  # the kernel's own stdout/stderr, not the runner's terminal


def test_page_has_title_commit_command_and_reading_mode(tmp_path):
    """executed.html: the notebook's title (not "Notebook"), the commit, the command, a show-code switch."""
    nb = make_notebook(tmp_path / "nb.ipynb", "print('hello page')")
    nbk = nbformat.read(nb, as_version=4)
    nbk.cells.insert(0, nbformat.v4.new_markdown_cell("# 07 · A page title\n\nText."))
    nbformat.write(nbk, nb)
    root = tmp_path / "runs"
    notebook_runs.run_notebook(nb, {"steps": 5, "data_dir": "some dir"}, run_id="p1", runs_root=root)
    html = (root / "p1" / "executed.html").read_text()
    assert "<title>07 · A page title</title>" in html
    commit = json.loads((root / "p1" / "env.json").read_text())["git_commit"]
    assert commit and commit in html
    assert "golfkit run " + str(nb) + " -p steps 5 -p data_dir 'some dir'" in html_lib.unescape(html)
    assert 'id="gk-show-code"' in html and "body:has(#gk-show-code:not(:checked))" in html
    assert "hello page" in html and 'href="../index.html"' in html
    # re-rendering an old page (no header) from its executed.ipynb, without running anything
    (root / "p1" / "executed.html").write_text("<html><title>Notebook</title></html>")
    r = subprocess.run([PY, "-m", "golfkit", "runs", "render", "p*", "--runs-dir", str(root)], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 0 and "1 of 1 runs rendered" in r.stdout, r.stderr
    assert "<title>07 · A page title</title>" in (root / "p1" / "executed.html").read_text()
    assert len(notebook_runs.read_index(root)) == 1  # nothing ran


def test_protocol_from_params_and_metrics(tmp_path):
    from golfkit.lab import runinfo

    d = tmp_path / "r"
    (d / "train" / "a_s1").mkdir(parents=True)
    assert runinfo.protocol(d, {"smoke": True}, {}) == "smoke"
    assert runinfo.protocol(d, {}, {"smoke": False}) == "full"
    assert runinfo.protocol(d, {}, {"protocol": "trained-cpu"}) == "trained-cpu"  # what the notebook recorded wins
    reduced = {"overrides": {"schedule.iterations": 40}}
    assert runinfo.protocol(d, reduced, {}) == "reduced"  # no training folder with a val curve
    rows = [{"step": s, "kind": "val", "val_loss": 5.0 - 2.0 * min(s, 80) / 80} for s in range(10, 101, 10)]
    (d / "train" / "a_s1" / "metrics.json").write_text("{}")
    (d / "train" / "a_s1" / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert runinfo.flattened(*runinfo.val_curve(d / "train" / "a_s1"))
    assert runinfo.protocol(d, reduced, {}) == "trained"  # flat over the last 20% of steps
    rows[-1]["val_loss"] = 2.5  # still falling 17% in the last 20%
    (d / "train" / "a_s1" / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert runinfo.protocol(d, reduced, {}) == "reduced"
    assert runinfo.reproduce_command("nb.ipynb", {"run_dir": "x", "seeds": [1, 2], "tag": "a b", "smoke": True}) \
        == "golfkit run nb.ipynb -p seeds '[1, 2]' -p tag 'a b' -p smoke True"


def test_launch_kills_the_whole_group_on_timeout(tmp_path):
    # The child spawns a grandchild; a timeout must take both down (the group, not just the pid).
    code = ("import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', 'grandchild-marker-x1']); "
            "print('started', flush=True); time.sleep(60)")
    with pytest.raises(launch.TrainingKilled, match="timeout"):
        launch.run([PY, "-c", code, "child-marker-x1"], tmp_path / "t", timeout=2.0, echo=lambda s: None)
    time.sleep(0.3)
    assert processes_mentioning("marker-x1") == []
    assert "started" in (tmp_path / "t" / "console.log").read_text()
    assert not (tmp_path / "t" / launch.PID_FILE).exists()
    with pytest.raises(launch.TrainingFailed, match="status 3"):
        launch.run([PY, "-c", "import sys; sys.exit(3)"], tmp_path / "f", echo=lambda s: None)


def test_train_command_uses_torchrun_for_several_processes(tmp_path):
    one = launch.train_command(tmp_path, "smoke", {"model.tie_embeddings": False, "seed": 7}, "/data", nproc=1)
    assert one[1:4] == ["-m", "golfkit", "train"] and "model.tie_embeddings=false" in one and "seed=7" in one
    many = launch.train_command(tmp_path, "baseline", None, None, nproc=8)
    assert many[1:5] == ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=8"]
    assert many[5:8] == ["-m", "golfkit", "train"]


def test_cell_timeout_kills_training_mid_run(tmp_path, data_dir):
    """nbclient interrupts the kernel at the cell timeout; the cell's finally kills the group."""
    nb = make_notebook(tmp_path / "long.ipynb", LONG_TRAIN)
    rec = notebook_runs.run_notebook(nb, {"data_dir": str(data_dir)}, run_id="k1", runs_root=tmp_path / "runs", timeout=25)
    assert rec["status"] == "killed", rec
    log = (tmp_path / "runs" / "k1" / "train" / "long" / "console.log").read_text()
    assert "run_dir:" in log  # the trainer was up (on a loaded machine it may not have logged a step yet)
    time.sleep(0.5)
    assert processes_mentioning(str(tmp_path / "runs" / "k1")) == []


def test_runner_sigterm_records_killed_and_leaves_no_child(tmp_path, data_dir):
    """`kill <golfkit run>` mid-training: status killed, exit 3, no process of the run survives."""
    nb = make_notebook(tmp_path / "long.ipynb", LONG_TRAIN)
    root = tmp_path / "runs"
    proc = subprocess.Popen([PY, "-m", "golfkit", "run", str(nb), "-p", "data_dir", str(data_dir), "--run-id", "k2",
                             "--runs-dir", str(root), "--quiet"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    log = root / "k2" / "train" / "long" / "console.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (log.is_file() and "step:1/" in log.read_text()):
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.5)
    assert processes_mentioning(str(root / "k2")), "training never started"
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 3, out
    rec = notebook_runs.read_index(root)[-1]
    assert rec["run_id"] == "k2" and rec["status"] == "killed"
    time.sleep(1.0)
    assert processes_mentioning(str(root / "k2")) == []
    assert (root / "k2" / "executed.ipynb").is_file()


def fake_run(root: Path, run_id: str, values: list[float], smoke: bool = False, val_tokens: int = 1000) -> None:
    for variant in ("a", "b"):
        d = root / run_id / "train" / f"{variant}_s1"
        d.mkdir(parents=True)
        (d / "metrics.jsonl").write_text("".join(json.dumps({"step": s, "kind": "train", "train_loss": 5 - s / 10})
                                                 + "\n" for s in range(1, 6)))
        (d / "metrics.json").write_text(json.dumps({"val_tokens": val_tokens, "steps": 5}))
    std = statistics.stdev(values) if len(values) > 1 else None
    (root / run_id / "metrics.json").write_text(json.dumps({
        "val_bpb": sum(values) / len(values), "seed_values": {"val_bpb": values}, "smoke": smoke,
        "val_bpb_summary": {"n": len(values), "mean": sum(values) / len(values), "std": std},
        "seeds": list(range(len(values))),
        "runs": [{"name": v, "seed": 1, "val_bpb": x + (0.5 if v == "b" else 0), "steps": 5}
                 for x in values for v in ("a", "b")]}))
    notebook_runs.append_index(root, {"run_id": run_id, "notebook": "nb.ipynb", "parameters": {"smoke": smoke},
                                      "status": "ok", "val_bpb": sum(values) / len(values), "bytes_total": 123,
                                      "duration_s": 1.0, "started": f"2026-11-29T10:00:0{len(run_id) % 10}Z"})


def test_list_and_compare(tmp_path):
    root = tmp_path / "runs"
    fake_run(root, "sw_0_s1", [1.30])
    fake_run(root, "sw_0_s2", [1.31])
    fake_run(root, "sw_1_s1", [1.20])
    fake_run(root, "sw_1_s2", [1.21])
    fake_run(root, "multi", [1.25, 1.26, 1.24])
    text = notebook_runs.format_list(notebook_runs.read_index(root), root)
    assert "sw_0_s1" in text and "multi" in text
    assert text.splitlines()[0].split()[2:5] == ["protocol", "steps", "plateau"] and "full" in text and "1,000" in text
    res = compare.compare(["sw_0_*", "sw_1_*", "multi"], root, plot=tmp_path / "c.png")
    g = res["groups"]
    assert g["sw_0_*"]["summary"]["n"] == 2 and g["multi"]["summary"]["n"] == 3
    assert g["sw_1_*"]["vs_first"]["diff"] == pytest.approx(-0.10)
    assert (tmp_path / "c.png").stat().st_size > 1000
    assert "sw_1_*" in compare.format_compare(res)
    with pytest.raises(GolfkitError, match="no run matches"):
        compare.compare(["nothing*"], root)
    r = subprocess.run([PY, "-m", "golfkit", "runs", "compare", "sw_0_*", "sw_1_*", "--runs-dir", str(root)],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0 and "sw_1_*" in r.stdout, r.stderr
    assert "sw_0_*: a" in r.stdout and "sw_0_*: b" in r.stdout  # each sub-run labelled


def test_compare_refuses_runs_that_are_not_comparable(tmp_path):
    root = tmp_path / "runs"
    fake_run(root, "full1", [1.30, 1.31])
    fake_run(root, "smoke1", [3.0], smoke=True)
    fake_run(root, "short_val", [1.2], val_tokens=50)
    with pytest.raises(GolfkitError, match=r"not comparable \(different protocols: full \(full1\), smoke \(smoke1\)"):
        compare.compare(["full1", "smoke1"], root)
    with pytest.raises(GolfkitError, match=r"different validation sizes: 1000 \(full1\), 50 \(short_val\)"):
        compare.compare(["full1", "short_val"], root)
    with pytest.raises(GolfkitError, match="different protocols"):
        compare.compare(["*"], root)  # a glob that mixes them
    res = compare.compare(["full1", "smoke1"], root, allow_mismatch=True, plot=tmp_path / "m.png")
    assert res["warnings"] and "different protocols" in res["warnings"][0]
    r = subprocess.run([PY, "-m", "golfkit", "runs", "compare", "full1", "smoke1", "--runs-dir", str(root)],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("golfkit: error: runs are not comparable"), r.stderr
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


def test_site_links_every_run(tmp_path):
    from golfkit.lab import site

    root = tmp_path / "runs"
    fake_run(root, "r_one", [1.30, 1.31])
    fake_run(root, "r_smoke", [3.0], smoke=True)
    (root / "r_one" / "executed.html").write_text("<html></html>")
    (root / "train_only").mkdir()
    (root / "train_only" / "metrics.json").write_text("{}")
    path, n = site.write_site(root)
    page = path.read_text()
    assert n == 2 and path == root / "index.html"
    assert 'href="r_one/executed.html"' in page and "r_smoke" in page and "proto-smoke" in page
    assert "1.3050 ± 0.0071" in page and "1,000" in page  # headline mean ± std over 2 seeds, val targets
    assert 'href="train_only/metrics.json"' in page


def test_list_and_site_show_whether_the_curves_flattened(tmp_path):
    """The plateau evidence a run recorded (training_evidence) is in `runs list` and on the site, with the
    1% bar's count: a run whose curves still fell is marked, not presented as trained."""
    from golfkit.lab import findings, site

    root = tmp_path / "runs"
    fake_run(root, "still_falling", [2.17, 2.16])
    fake_run(root, "flat", [2.14, 2.15])
    results = {"still_falling": [{"val_plateau_pct": 1.37}, {"val_plateau_pct": 1.94}, {"val_plateau_pct": 0.8}],
               "flat": [{"val_plateau_pct": 0.73}, {"val_plateau_pct": 0.80}]}
    for run_id, rs in results.items():
        m = json.loads((root / run_id / "metrics.json").read_text())
        m["training_evidence"] = findings.training_evidence(rs)
        (root / run_id / "metrics.json").write_text(json.dumps(m))
    ev = findings.training_evidence(results["still_falling"])
    assert (ev["plateau_under_bar"], ev["plateau_measured"], ev["plateau_bar_pct"]) == (1, 3, 1.0)
    sentence = findings.training_sentence(ev)
    assert "1 of 3 trainings fell under the 1% that counts as a flattened curve (not all flattened" in sentence
    assert "(flattened)" in findings.training_sentence(findings.training_evidence(results["flat"]))
    text = notebook_runs.format_list(notebook_runs.read_index(root), root)
    row = {line.split()[0]: line.split() for line in text.splitlines()[1:]}
    assert row["still_falling"][3:5] == ["5", "1.94%"] and row["flat"][4] == "0.80%"
    page = site.write_site(root)[0].read_text()
    assert "1/3 under 1%" in page and "2/2 under 1%" in page and "1.94%" in page
    # an older record with only the range: all above the bar reads 0 of n, a mixed range stays unknown
    assert runinfo.plateau({"training_evidence": {"trainings": 3, "val_plateau_pct": {"min": 1.4, "max": 1.9}}}) \
        == {"plateau_max_pct": 1.9, "plateau_met": 0, "plateau_n": 3}
    assert runinfo.plateau({"training_evidence": {"trainings": 3, "val_plateau_pct": {"min": 0.4, "max": 1.9}}}
                           )["plateau_met"] is None
    assert runinfo.plateau({"training_evidence": "junk"}) == {"plateau_max_pct": None, "plateau_met": None,
                                                              "plateau_n": None}


def test_site_names_the_part_a_variant_subset_run_recorded(tmp_path):
    """A notebook recorded in parts (`-p variants` subsets, README) shows on the site which variants each part
    holds, so two runs of one notebook are not read as repeats of each other."""
    from golfkit.lab import site

    root = tmp_path / "runs"
    fake_run(root, "part_a", [2.15])
    fake_run(root, "whole", [2.14])
    (root / "part_a" / "params.yaml").write_text(
        'overrides:\n  jobs: 2\n  variants:\n    flat: {"model.num_layers": 4}\n    looped: {"model.num_loops": 2}\n')
    rows = {r["run_id"]: r for r in site.site_rows(root)}
    assert rows["part_a"]["variants"] == ["flat", "looped"] and rows["whole"]["variants"] == []
    page = site.write_site(root)[0].read_text()
    assert page.count("only (<code>-p variants</code>)") == 1 and "part: flat, looped only" in page
    assert runinfo.subset_variants({"variants": "junk"}) == []


def test_sweep_checks_every_override_set_first(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", "x = 1", params='run_dir = ""\nseeds = [1]\nlr = 0.1')
    with pytest.raises(GolfkitError, match="unknown parameter 'lrr'"):
        notebook_runs.sweep(nb, [{"lr": 0.2}, {"lrr": 0.3}], seeds=[1, 2], runs_root=tmp_path / "runs")
    assert not (tmp_path / "runs").exists()


def test_plan_overrides_and_val_head(tmp_path, data_dir):
    """A notebook's `overrides` reach every run and a typo fails before training; `val_tokens` cuts val only."""
    from golfkit.data import read_shard
    from golfkit.lab import workbook

    with pytest.raises(GolfkitError, match="iteratons"):
        workbook.plan(False, "cpu-small", [1], data_dir, tmp_path / "bad", overrides={"schedule.iteratons": 3})
    p = workbook.plan(False, "cpu-small", [1], data_dir, tmp_path / "ok", overrides={"schedule.iterations": 3},
                      val_tokens=1000, save_checkpoint=False)
    assert p.base == {"schedule.iterations": 3} and p.val_tokens == 1000
    vals = sorted(p.data_dir.glob("datasets/*/*_val_*.bin"))
    trains = sorted(p.data_dir.glob("datasets/*/*_train_*.bin"))
    assert vals and all(len(read_shard(v)) == 1001 for v in vals)  # 1,000 targets + the first context token
    assert trains and all(t.is_symlink() for t in trains)  # training data untouched, not copied
    summary = p.record([])
    assert summary["val_tokens_cap"] == 1000 and summary["base_overrides"] == {"schedule.iterations": 3}
