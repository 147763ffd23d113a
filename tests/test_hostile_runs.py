"""Hostile input, part 2: export never loses data, a run folder holds one run, disk errors, the exported script.

Each case runs the real CLI (or an exported train_gpt.py) in a subprocess through
tests/hostile_helpers.py: exit 2 with one error line, no traceback, bounded memory, and for a
refusal not one byte changed under the scratch folder (and the run and data folders it names).
The data-loss cases run in a scratch folder holding the user's files and check each of them, byte
for byte, afterwards. A full disk is RLIMIT_FSIZE on the child (EFBIG instead of ENOSPC: the same
failed write) or an OSError(ENOSPC) raised at a fault point in-process; each test says which.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from golfkit import artifact, atomic, dataprep
from golfkit.errors import GolfkitError
from hostile_helpers import (REPO, fs_diff, one_line_error, refused, run_golfkit, snapshot, succeeded, tiny_data,
                             user_folder)


@pytest.fixture(scope="module")
def tiny(data_dir, tmp_path_factory) -> Path:
    return tiny_data(data_dir, tmp_path_factory.mktemp("tiny_data"))


@pytest.fixture(scope="module")
def finished(tiny, tmp_path_factory) -> Path:
    """One finished smoke run on the tiny data (20 steps, 4,096 validation targets)."""
    run = tmp_path_factory.mktemp("finished") / "run"
    succeeded(["train", "--preset", "smoke", "--data", tiny, "--run-dir", run], run.parent, timeout=300)
    return run


@pytest.fixture()
def scratch(tmp_path) -> Path:
    return user_folder(tmp_path, project=True)


def _copy_run(finished: Path, dest: Path) -> Path:
    shutil.copytree(finished, dest)
    return dest


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rewrite(run: Path, config=None, **metrics) -> None:
    """Edit a run folder and keep its record consistent (what a careful forger does)."""
    m = json.loads((run / "metrics.json").read_text())
    if config is not None:
        (run / "config.json").write_text(config if isinstance(config, str) else json.dumps(config, indent=2))
        m["config_sha256"] = _sha(run / "config.json")
    m.update(metrics)
    (run / "metrics.json").write_text(json.dumps(m, indent=2))


# ----------------------------------------------------------------------------------
# export: data loss is impossible by construction
# ----------------------------------------------------------------------------------
def test_export_to_the_current_folder_is_refused(scratch, finished):
    # it deleted everything in the current folder, then failed with a traceback
    refused(["export", finished, "--out", ".", "--force"], scratch, r"--out \. is the current folder or one above it",
            watch=(finished,))


def test_export_to_a_folder_above_the_current_one_is_refused(scratch, finished):
    refused(["export", finished, "--out", "..", "--force"], scratch / "project",
            r"--out \.\. is the current folder or one above it", watch=(scratch, finished))


def test_export_into_the_run_folder_is_refused(scratch, finished):
    # it replaced the run folder: the artifact and metrics.json were gone, exit 0
    run = _copy_run(finished, scratch / "run")
    refused(["export", run, "--out", run, "--force"], scratch, r"is the run folder .*run, inside it or above it")
    refused(["export", run, "--out", run / "sub", "--force"], scratch, r"is the run folder .*run, inside it or above it")


def test_export_to_a_folder_above_the_run_is_refused(scratch, finished):
    runs = scratch / "runs"
    run = _copy_run(finished, runs / "r1")
    refused(["export", run, "--out", runs, "--force"], scratch / "project", r"is the run folder .*r1, inside it or above")


def test_export_to_a_folder_it_did_not_write_is_refused(scratch, finished):
    refused(["export", finished, "--out", "project", "--force"], scratch,
            r"--out project is a non-empty folder that golfkit export did not write", watch=(finished,))


def test_export_force_replaces_only_its_own_unchanged_output(scratch, finished):
    succeeded(["export", finished, "--out", "sub"], scratch)
    assert (scratch / "sub" / ".golfkit-export.json").is_file()
    refused(["export", finished, "--out", "sub"], scratch, r"holds an earlier export \(pass --force", watch=(finished,))
    succeeded(["export", finished, "--out", "sub", "--force"], scratch)  # its own, unchanged: replaced
    assert sorted(p.name for p in scratch.iterdir()) == ["notes.txt", "project", "sub"]  # no temp folder left
    (scratch / "sub" / "README.md").write_text("my own notes about this submission\n")
    refused(["export", finished, "--out", "sub", "--force"], scratch, r"sub: README.md is not a file this export "
                                                                      r"wrote, or changed since", watch=(finished,))
    (scratch / "sub" / "logs").mkdir()  # e.g. the exported script was run inside it
    refused(["export", finished, "--out", "sub", "--force"], scratch, r"is not a file this export wrote")


@pytest.mark.parametrize("out,pattern", [
    ("notes.txt", r"--out notes.txt exists and is not a folder"),
    ("notes.txt/sub", r"--out notes.txt/sub: notes.txt exists and is not a folder"),
    ("link", r"--out link is a symbolic link"),
])
def test_bad_out_is_one_line(scratch, finished, out, pattern):
    (scratch / "link").symlink_to("project")
    refused(["export", finished, "--out", out, "--force"], scratch, pattern, watch=(finished,))


def test_unwritable_out_is_one_line(scratch, finished):
    # /proc accepts no new folder, even from root (a read-only folder would not stop root, which runs CI here)
    refused(["export", finished, "--out", "/proc/golfkit-export-test"], scratch,
            r"cannot write the submission folder /proc/golfkit-export-test: .*nothing was exported", watch=(finished,))


def test_full_disk_in_export_writes_nothing(scratch, finished):
    """RLIMIT_FSIZE 60 KB: train_gpt_readable.py (~125 KB) cannot be written (EFBIG, as ENOSPC on a full disk)."""
    refused(["export", finished, "--out", "sub"], scratch, r"cannot write the submission folder sub: File too large.* "
                                                           r"nothing was exported", watch=(finished,), fsize=60_000)


# ----------------------------------------------------------------------------------
# export: the run folder is read through its record
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("content,pattern", [
    (b"{not json", r"run record .*metrics.json is not valid JSON"),
    (b"[1, 2]", r"run record .*metrics.json must be a JSON object, got list"),
])
def test_malformed_metrics_is_one_line(scratch, finished, content, pattern):
    run = _copy_run(finished, scratch / "run")
    (run / "metrics.json").write_bytes(content)
    refused(["export", run, "--out", "sub"], scratch, pattern)


def test_metrics_with_a_wrong_field_type_is_one_line(scratch, finished):
    run = _copy_run(finished, scratch / "run")
    _rewrite(run, bytes_model="231667")
    refused(["export", run, "--out", "sub"], scratch, r"malformed: 'bytes_model' must be an integer >= 0, got '231667'")


def test_malformed_config_is_one_line(scratch, finished):
    run = _copy_run(finished, scratch / "run")
    _rewrite(run, config='{"model": {"num_layers": ')  # its sha256 recorded: the record vouches for it
    refused(["export", run, "--out", "sub"], scratch, r"config .*config.json is not valid JSON")
    _rewrite(run, config={"model": {"num_layers": "nine"}})
    refused(["export", run, "--out", "sub"], scratch, r"config key 'model.num_layers' must be int")


def test_over_budget_is_the_challenges_not_the_runs(scratch, finished):
    """`--set quant.budget_bytes=100000000`, then a 15,990,000-byte model: export shipped 16.03 MB before."""
    run = _copy_run(finished, scratch / "run")
    cfg = json.loads((run / "config.json").read_text())
    cfg["quant"]["budget_bytes"] = 100_000_000
    (run / "final_model.int8.golf").write_bytes(np.random.default_rng(0).bytes(15_990_000))
    _rewrite(run, config=cfg, bytes_model=15_990_000, artifact_sha256=_sha(run / "final_model.int8.golf"))
    refused(["export", run, "--out", "sub"], scratch, r"over budget: model 15,990,000 \+ code [\d,]+ = [\d,]+ bytes "
                                                      r"> 16,000,000 by [\d,]+; nothing exported")


# ----------------------------------------------------------------------------------
# a run folder holds one run; every reader checks the record
# ----------------------------------------------------------------------------------
def test_rerun_into_a_finished_run_folder_is_refused(scratch, finished, tiny):
    # a rerun overwrote config.json at once; a failed or killed one left it beside the old metrics and artifact
    run = _copy_run(finished, scratch / "run")
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", run, "--set", "seed=7"], scratch,
            r"run folder .*run already holds a finished run: .*config.json.*choose another --run-dir", watch=(tiny,))


def test_rerun_into_an_unfinished_run_folder_is_refused(scratch, finished, tiny):
    run = _copy_run(finished, scratch / "run")
    (run / "metrics.json").unlink()
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", run], scratch,
            r"already holds an unfinished run \(failed or killed: no metrics.json\)", watch=(tiny,))


def test_mixed_run_folder_is_refused_by_every_reader(scratch, finished, tiny):
    """A config from another run beside the record, a stale artifact, a log of another run."""
    run = _copy_run(finished, scratch / "run")
    cfg = json.loads((run / "config.json").read_text())
    cfg["seed"] = 7
    (run / "config.json").write_text(json.dumps(cfg, indent=2))
    refused(["export", run, "--out", "sub"], scratch, r"config.json is not the config run \S+ recorded")
    refused(["quant", "report", run], scratch, r"config.json is not the config run \S+ recorded")
    o = succeeded(["eval", "--artifact", run / "final_model.int8.golf", "--data", tiny], scratch)
    assert "WARNING: " in o.stdout and "config.json is not the config the run recorded" in o.stdout, o.describe()

    shutil.rmtree(run)
    run = _copy_run(finished, scratch / "run")
    art = artifact.load(run / "final_model.int8.golf")
    art.extra["note"] = "another run"  # a valid artifact, not this run's
    (run / "final_model.int8.golf").write_bytes(artifact.pack(art))
    refused(["export", run, "--out", "sub"], scratch, r"final_model.int8.golf is not the file run \S+ wrote")
    refused(["quant", "report", run], scratch, r"final_model.int8.golf is not the file run \S+ wrote")

    shutil.rmtree(run)
    run = _copy_run(finished, scratch / "run")
    log = (run / "train.log").read_text().splitlines()
    log[1] = "run_id:20261129T000000Z-00000000"
    (run / "train.log").write_text("\n".join(log) + "\n")
    refused(["export", run, "--out", "sub"], scratch, r"train.log names run 20261129T000000Z-00000000, the run record")


def test_record_without_a_run_id_is_refused(scratch, finished):
    run = _copy_run(finished, scratch / "run")
    m = json.loads((run / "metrics.json").read_text())
    del m["run_id"]
    (run / "metrics.json").write_text(json.dumps(m))
    refused(["export", run, "--out", "sub"], scratch, r"has no run id .*cannot check that its config.json and artifact")


def test_quant_report_json_is_checked(scratch, finished):
    run = _copy_run(finished, scratch / "run")
    (run / "quant_report.json").write_text(json.dumps({"compressor": "zlib"}))
    refused(["quant", "report", run], scratch, r"quant_report.json is not in the run record: run \S+ wrote no quant")
    _rewrite(run, quant_report_sha256=_sha(run / "quant_report.json"))  # a forged record that names it
    refused(["quant", "report", run], scratch, r"quant report .*quant_report.json is malformed: 'bytes_model' must")
    for bad, pattern in (("[[[", r"is not valid JSON"),
                         (json.dumps({"compressor": "zlib", "bytes_model": 1, "bytes_raw": 1, "tensors": [{"name": 3}]}),
                          r"tensor row #0: 'name' must be a str, got 3")):
        (run / "quant_report.json").write_text(bad)
        _rewrite(run, quant_report_sha256=_sha(run / "quant_report.json"))
        refused(["quant", "report", run], scratch, pattern)
    (run / "quant_report.json").write_text("{}")
    refused(["quant", "report", run], scratch, r"quant_report.json is not the file run \S+ wrote")


def _train_killed_in_checkpoint_write(run: Path, tiny: Path) -> None:
    """A real smoke training, SIGKILLed while its checkpoint's temp file is being written.

    The fault point: this process's os.fsync sleeps when it syncs the checkpoint's temp file (a
    slow disk), which holds the write open long enough to kill the process there, every time.
    """
    code = ("import os, sys, time\n"
            "real = os.fsync\n"
            "def slow(fd):\n"
            "    if 'checkpoint.golf' in os.readlink(f'/proc/self/fd/{fd}'):\n"
            "        print('IN_CHECKPOINT_WRITE', flush=True); time.sleep(120)\n"
            "    real(fd)\n"
            "os.fsync = slow\n"
            "from golfkit.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.environ.get("GOLFKIT_HOSTILE_PYTHONPATH", str(REPO))}
    p = subprocess.Popen([sys.executable, "-c", code, "train", "--preset", "smoke", "--data", str(tiny),
                          "--run-dir", str(run), "--set", "schedule.save_checkpoint=true", "--set",
                          "schedule.iterations=2"], cwd=run.parent,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        for line in p.stdout:
            if b"IN_CHECKPOINT_WRITE" in line:
                break
        else:
            raise AssertionError("the run ended before its checkpoint write")
        os.killpg(p.pid, signal.SIGKILL)
    finally:
        p.kill()
        p.wait()


def test_run_killed_in_a_checkpoint_write_leaves_nothing_a_later_run_trips_on(scratch, tiny):
    run = scratch / "run"
    _train_killed_in_checkpoint_write(run, tiny)
    names = sorted(p.name for p in run.iterdir())
    temps = [n for n in names if n.endswith(atomic.TEMP_SUFFIX)]
    # the killed write's temp file is hidden, named by its writer, and no file of the run is half-written
    assert len(temps) == 1 and temps[0].startswith(".checkpoint.golf.") and "checkpoint.golf" not in names, names
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", run], scratch,
            r"already holds an unfinished run \(failed or killed", watch=(tiny,))
    refused(["export", run, "--out", "sub"], scratch, r"has no metrics.json \(the run did not finish")
    refused(["quant", "report", run], scratch, r"has no metrics.json \(the run did not finish")
    succeeded(["train", "--preset", "smoke", "--data", tiny, "--run-dir", scratch / "run2",
               "--set", "schedule.iterations=2", "--set", "schedule.save_checkpoint=true"], scratch, timeout=300)
    assert not [p for p in (scratch / "run2").iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]


def test_run_folder_the_system_refuses_is_one_line(scratch, tiny):
    # /proc accepts no new folder, even from root (a read-only folder would not stop root, which runs CI here)
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", "/proc/golfkit-run-test"], scratch,
            r"cannot write /proc/golfkit-run-test: No such file or directory", watch=(tiny,))


def test_full_disk_in_train_is_one_line_and_nothing_is_half_written(scratch, tiny):
    """RLIMIT_FSIZE 100 KB: the logs and JSON fit, the 231 KB artifact does not (EFBIG where a disk gives ENOSPC)."""
    run = scratch / "run"
    o = run_golfkit(["train", "--preset", "smoke", "--data", tiny, "--run-dir", run, "--set", "schedule.iterations=2"],
                    scratch, 300, fsize=100_000)
    one_line_error(o, r"cannot write .*run/final_model.int8.golf: File too large", timeout=300)
    names = sorted(p.name for p in run.iterdir())
    assert names == [".golfkit-run.json", "config.json", "env.json", "metrics.jsonl", "train.log"], names
    for name in (".golfkit-run.json", "config.json", "env.json"):
        json.loads((run / name).read_text())
    assert (run / "train.log").read_text().endswith("\n")


class _FillsUp:
    """A file whose disk fills after `room` more bytes: a short write, then OSError(ENOSPC)."""

    def __init__(self, f, room: int):
        self.f, self.room = f, room

    def write(self, b) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = self.f.write(bytes(b)[: self.room])
        self.room -= n
        return n

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


def test_a_refused_log_line_is_rolled_back(tmp_path, monkeypatch):
    """A fault point in-process: the disk takes 7 bytes of a log line, then reports ENOSPC."""
    import builtins

    from golfkit import runlog

    log = runlog.RunLog(tmp_path, True, echo=False)
    log.line("step:1/2 train_loss:5.0")
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: _FillsUp(real_open(*a, **k), 7))
    with pytest.raises(GolfkitError, match=r"cannot write .*train.log: No space left on device"):
        log.line("step:2/2 train_loss:4.0")
    monkeypatch.undo()
    assert (tmp_path / "train.log").read_text() == "step:1/2 train_loss:5.0\n"  # whole lines only


def test_atomic_write_on_a_full_disk_leaves_no_temp_file(tmp_path, monkeypatch):
    """A fault point in-process: fsync reports ENOSPC; the target keeps its old bytes, no temp file stays."""
    (tmp_path / "metrics.json").write_text("old\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(GolfkitError, match=r"cannot write .*metrics.json: No space left on device"):
        atomic.atomic_write(tmp_path / "metrics.json", "new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]
    assert (tmp_path / "metrics.json").read_text() == "old\n"


def test_atomic_write_never_touches_a_users_tmp_file(tmp_path):
    (tmp_path / "metrics.json.tmp").write_text("the user's\n")
    atomic.atomic_write(tmp_path / "metrics.json", "{}\n")
    assert (tmp_path / "metrics.json.tmp").read_text() == "the user's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json", "metrics.json.tmp"]


# ----------------------------------------------------------------------------------
# data build into a used folder
# ----------------------------------------------------------------------------------
def _docs(path: Path, n: int) -> Path:
    path.write_text("".join(json.dumps({"text": f"document number {i}: " + "words " * (20 + i)}) + "\n"
                            for i in range(n)))
    return path


def test_data_build_into_a_dataset_folder_it_did_not_write_is_refused(scratch, tiny):
    data = scratch / "data"
    shutil.copytree(tiny, data)
    refused(["data", "build", "--text", _docs(scratch / "docs.jsonl", 6), "--tokenizer",
             tiny / "tokenizers" / "fineweb_1024_bpe.model", "--out", data, "--val-docs", "1"], scratch,
            r"the dataset folder .*fineweb10B_sp1024 exists and was not written by golfkit data build", watch=(tiny,))


def test_data_build_replaces_its_own_output_whole(scratch, tiny):
    """A rebuild with fewer shards leaves none of the old ones to mix in; an edited build is refused."""
    tok = tiny / "tokenizers" / "fineweb_1024_bpe.model"
    out = scratch / "built"
    dataprep.build(_docs(scratch / "many.jsonl", 40), tok, out, val_docs=2, shard_tokens=200)
    ds = out / "datasets" / "fineweb10B_sp1024"
    assert len(list(ds.glob("fineweb_train_*.bin"))) > 3
    succeeded(["data", "build", "--text", _docs(scratch / "few.jsonl", 4), "--tokenizer", tok, "--out", out,
               "--val-docs", "1"], scratch)
    assert sorted(p.name for p in ds.iterdir()) == [".golfkit-build.json", "fineweb_train_000000.bin",
                                                    "fineweb_val_000000.bin"]
    assert not [p for p in (out / "datasets").iterdir() if p.name != ds.name]  # no temp folder left
    (ds / "fineweb_train_000001.bin").write_bytes((ds / "fineweb_train_000000.bin").read_bytes())
    refused(["data", "build", "--text", scratch / "few.jsonl", "--tokenizer", tok, "--out", out, "--val-docs", "1"],
            scratch, r"fineweb_train_000001.bin is not a file data build wrote, or changed since", watch=(tiny,))


# ----------------------------------------------------------------------------------
# the exported script
# ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exported") / "sub"
    succeeded(["export", "--preset", "smoke", "--out", out], out.parent)
    return out / "train_gpt.py"


@pytest.mark.parametrize("env,pattern", [
    ({"RUN_ID": "../../x"}, r"environment variable RUN_ID='\.\./\.\./x' must name one folder under logs/"),
    ({"RUN_ID": "/tmp/x"}, r"RUN_ID='/tmp/x' must name one folder under logs/"),
    ({"SEED": "-1"}, r"environment variable SEED: config key 'seed' must be in \[0, 4_294_967_295\], got -1"),
    ({"ITERATIONS": "0"}, r"environment variable ITERATIONS: config key 'schedule.iterations' must be >= 1, got 0"),
    ({"MATRIX_LR": "nan"}, r"environment variable MATRIX_LR: config key 'optim.matrix_lr' must be a finite number"),
    ({"TIE_EMBEDDINGS": "maybe"}, r"environment variable TIE_EMBEDDINGS: config key 'model.tie_embeddings' must be"),
    ({"NUM_HEADS": "3"}, r"config key 'model.num_heads' must divide model.model_dim=64"),
    ({"DATA_PATH": "/somewhere"}, r"DATA_PATH=/somewhere is not <data>/datasets/fineweb10B_<variant>"),
])
def test_exported_script_refuses_bad_environment_in_one_line(exported, scratch, env, pattern):
    refused([], scratch, pattern, env=env, argv=[sys.executable, str(exported)], prefix="error: ")


# ----------------------------------------------------------------------------------
# determinism: the artifact and the code bytes do not depend on where the data is
# ----------------------------------------------------------------------------------
def test_same_seed_and_threads_with_data_elsewhere_gives_identical_bytes(finished, tiny, tmp_path):
    elsewhere = tmp_path / "a" / "much" / "longer" / "path" / "to" / "the" / "data"
    shutil.copytree(tiny, elsewhere)
    run = tmp_path / "run"
    succeeded(["train", "--preset", "smoke", "--data", elsewhere, "--run-dir", run], tmp_path, timeout=300)
    assert (run / "final_model.int8.golf").read_bytes() == (finished / "final_model.int8.golf").read_bytes()
    a, b = (json.loads((r / "metrics.json").read_text()) for r in (finished, run))
    assert a["bytes_code"] == b["bytes_code"] and a["torch_threads"] == b["torch_threads"] == 1
    assert json.loads((run / "config.json").read_text())["data"]["dir"] == str(elsewhere)  # the record keeps it


# ----------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------
def test_print_config_into_a_closed_pipe_ends_quietly(scratch):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.environ.get("GOLFKIT_HOSTILE_PYTHONPATH", str(REPO))}
    p = subprocess.Popen([sys.executable, "-m", "golfkit", "train", "--preset", "smoke", "--print-config"],
                         cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p.stdout.close()  # `| head -1` that has already left: every write hits a closed pipe
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 141 and err == "", err


def test_unquoted_list_in_set_is_parsed_or_refused_in_one_line(scratch):
    o = succeeded(["train", "--preset", "smoke", "--set", "model.seed_lora_targets=[mlp.fc,mlp.proj]",
                   "--print-config"], scratch)
    assert json.loads(o.stdout)["model"]["seed_lora_targets"] == ["mlp.fc", "mlp.proj"]
    refused(["train", "--preset", "smoke", "--set", "model.seed_lora_targets=[mlp.fc", "--print-config"], scratch,
            r"config key 'model.seed_lora_targets' must be a list \(JSON, or a,b,c\), got '\[mlp.fc'")


def test_negative_loop_count_is_refused_before_the_run_folder(scratch, tiny):
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", scratch / "run", "--set", "model.num_loops=-1"],
            scratch, r"config key 'model.num_loops' must be in \[0, 64\], got -1", watch=(tiny,))


def test_snapshot_sees_hidden_files(tmp_path):
    """The checks above rely on it: a hidden temp file or manifest counts as a change."""
    before = snapshot(tmp_path)
    (tmp_path / ".x.golfkit-tmp").write_text("")
    assert fs_diff(before, snapshot(tmp_path)) == [f"created {tmp_path / '.x.golfkit-tmp'}"]
