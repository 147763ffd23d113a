"""Hostile input to the notebook runner (`golfkit run`, `golfkit runs ...`): typed parameters, signals,
bad index lines, a runs folder that is a file, a full disk and permissions changed during a run.

Refusals go through tests/hostile_helpers.py (exit 2, one `golfkit: error:` line, no traceback,
bounded memory, an unchanged file system). The disk-full cases run the CLI inside a user and mount
namespace (`unshare -Urm`) on a 2 MiB tmpfs: a real ENOSPC from the kernel, no mocking. The
permission cases make the run folder (mid-run, from inside the notebook) or the runs folder (before
the run) read-only with a bind mount in such a namespace: a real EROFS. (EACCES proper needs a
non-root user who can still run this interpreter; root ignores mode bits.)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from hostile_helpers import ERROR_PREFIX, fs_diff, refused, run_golfkit, snapshot

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
PARAMS = 'run_dir = ""\nsmoke = False  # type: bool  tiny\nx = 1  # type: int  a count\nrate = 0.5  # type: float\n' \
         'tag = "a"  # type: str\nseeds = [1]  # type: list[int]\ndata_dir = ""  # type: str'


def notebook(path: Path, *cells: str, params: str = PARAMS) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    pc = nbformat.v4.new_code_cell(params)
    pc.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A hostile test")] + [pc] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def last_record(root: Path) -> dict:
    return json.loads((root / "index.jsonl").read_text().splitlines()[-1])


# ----------------------------------------------------------------------------------
# parameters: names and declared types, refused before anything is written
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name,value,pattern", [
    ("smoke", "maybe", r"parameter 'smoke' of nb\.ipynb is declared bool \(True or False\); got 'maybe'"),
    ("x", "notanint", r"parameter 'x' of nb\.ipynb is declared int \(an integer\); got 'notanint'"),
    ("x", "1.5", r"parameter 'x' .* declared int"),
    ("smoke", "1", r"parameter 'smoke' .* declared bool"),
    ("rate", "nan", r"parameter 'rate' .* declared float \(a number\); got 'nan'"),
    ("rate", ".inf", r"parameter 'rate' .* declared float"),
    ("seeds", "[1, two]", r"parameter 'seeds' .* declared list\[int\]"),
    ("seeds", "7", r"parameter 'seeds' .* declared list"),
    ("smkoe", "True", r"unknown parameter 'smkoe' for nb\.ipynb"),
])
def test_bad_parameter_is_refused_before_anything_is_written(tmp_path, name, value, pattern):
    notebook(tmp_path / "nb.ipynb", "print('ran')")
    refused(["run", "nb.ipynb", "-p", name, value, "--runs-dir", "runs"], tmp_path, pattern)


def test_parameters_take_their_declared_types(tmp_path):
    """The control: a string parameter takes a number-looking text as written, an int feeds a float."""
    from golfkit.lab import notebook_runs

    nb = notebook_runs.load_notebook(notebook(tmp_path / "nb.ipynb", "x = 1"))
    raw = {"tag": "2025", "rate": "1", "smoke": "True", "seeds": "[1, 2]"}
    _, got = notebook_runs.validate_parameters(nb, {k: notebook_runs.parse_param(v) for k, v in raw.items()}, "nb",
                                               raw)
    assert got == {"tag": "2025", "rate": 1.0, "smoke": True, "seeds": [1, 2]}
    assert isinstance(got["rate"], float)


# ----------------------------------------------------------------------------------
# the runs folder and its index
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["run", "nb.ipynb", "--runs-dir", "afile"],
    ["runs", "list", "--runs-dir", "afile"],
    ["runs", "compare", "a", "b", "--runs-dir", "afile"],
    ["runs", "site", "--runs-dir", "afile"],
    ["runs", "render", "--runs-dir", "afile"],
    ["run", "nb.ipynb", "--runs-dir", "afile/sub"],
])
def test_runs_dir_at_a_file_is_one_line(tmp_path, args):
    notebook(tmp_path / "nb.ipynb", "print('ran')")
    (tmp_path / "afile").write_text("not a folder\n")
    refused(args, tmp_path, r"afile.* is not a folder \(--runs-dir\)")


def test_index_that_is_a_folder_is_one_line(tmp_path):
    (tmp_path / "runs" / "index.jsonl").mkdir(parents=True)
    refused(["runs", "list"], tmp_path, r"the run index runs/index\.jsonl is not a regular file")


GOOD = {"run_id": "good1", "notebook": "nb.ipynb", "parameters": {}, "status": "ok", "val_bpb": 1.5,
        "bytes_total": 100, "duration_s": 3.0}
BAD_LINES = [
    b"this is not json",
    b"[1, 2, 3]",
    b'"a string"',
    b"null",
    b'{"status": "ok"}',  # no run_id
    b'{"run_id": "../../etc", "status": "ok"}',  # a run id that leaves runs/
    b'{"run_id": "x1", "status": "finished"}',
    b'{"run_id": "x2", "status": "ok", "duration_s": "slow"}',
    b'{"run_id": "x3", "status": "ok", "notebook": 7}',
    b'\xff\xfe\x00 not utf-8',
    b"[" * 200_000,  # the C scanner would recurse once per level
    b'{"run_id": "x4", "status": "ok", "pad": "' + b"a" * (3 << 20) + b'"}',  # over the line limit
    b'{"run_id": "cut", "status": "o',  # a line cut by a crash
]


@pytest.mark.parametrize("cmd", [["runs", "list"], ["runs", "compare", "good*"], ["runs", "site"]])
def test_bad_index_lines_are_skipped_with_one_warning(tmp_path, cmd):
    root = tmp_path / "runs"
    (root / "good1").mkdir(parents=True)
    (root / "good1" / "metrics.json").write_text(json.dumps({"val_bpb": 1.5, "seed_values": {"val_bpb": [1.5]}}))
    lines = [json.dumps(GOOD).encode()] + BAD_LINES + [json.dumps({**GOOD, "run_id": "good2"}).encode()]
    (root / "index.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    before = snapshot(tmp_path)
    o = run_golfkit(cmd, tmp_path)
    assert o.rc == 0 and "Traceback" not in o.stderr + o.stdout, o.describe()
    err = [x for x in o.stderr.splitlines() if x.strip()]
    assert len(err) == 1 and err[0].startswith("golfkit: warning: runs/index.jsonl: skipped line 2 (not JSON) and "
                                               f"{len(BAD_LINES) - 1} more"), o.describe()
    assert o.peak_rss < 800 << 20
    diff = fs_diff(before, snapshot(tmp_path))
    if cmd[1] == "site":
        assert diff == [f"created {root / 'index.html'}"], diff
        page = (root / "index.html").read_text()
        assert "good1" in page and "good2" in page and "etc" not in page
    else:
        assert not diff, diff
    if cmd[1] == "list":
        assert "good1" in o.stdout and "good2" in o.stdout
    if cmd[1] == "compare":
        assert o.stdout.splitlines()[1].split()[:2] == ["good*", "2"], o.stdout  # both good runs, nothing else


# ----------------------------------------------------------------------------------
# signals: SIGINT/SIGTERM to `golfkit run` kill the run (kernel and training) and record it killed
# ----------------------------------------------------------------------------------
LONG_TRAIN = ("from golfkit.lab import launch\n"
              "launch.train_subprocess(run_dir + '/train/long', 'smoke', {'schedule.iterations': 100000, "
              "'schedule.train_log_every': 1}, data_dir)")


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if text.encode() in (d / "cmdline").read_bytes() and int(d.name) != os.getpid():
                found.append(int(d.name))
        except OSError:
            continue
    return found


def _ignore_sigint() -> None:  # what a shell does to a job started with `&` in a script
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_to_a_background_run_kills_it(tmp_path, data_dir, sig):
    """`golfkit run ... &` then `kill -INT/-TERM <pid>`: killed, exit 3, no process of the run left, no traceback.

    Started the way a script's `&` starts it (SIGINT ignored): Python then leaves SIGINT ignored,
    which is why `kill -INT` used to do nothing and the run went on to finish "ok".
    """
    nb = notebook(tmp_path / "long.ipynb", LONG_TRAIN, "print('after training')")
    root = tmp_path / "runs"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([PY, "-m", "golfkit", "run", str(nb), "-p", "data_dir", str(data_dir), "--run-id", "sg",
                             "--runs-dir", str(root), "--quiet"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_ignore_sigint)
    log = root / "sg" / "train" / "long" / "console.log"
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and not (log.is_file() and "step:1/" in log.read_text()):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.5)
    assert _processes_mentioning(str(root / "sg")), "training never started"
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 3, (out, err)
    assert "Traceback" not in out + err, err
    rec = last_record(root)
    assert rec["run_id"] == "sg" and rec["status"] == "killed", rec
    assert signal.Signals(sig).name in rec["error"]
    time.sleep(1.0)
    assert _processes_mentioning(str(root / "sg")) == []
    executed = nbformat.read(root / "sg" / "executed.ipynb", as_version=4)
    assert executed.metadata["golfkit"]["status"] == "killed"
    assert not any("after training" in str(o) for c in executed.cells for o in c.get("outputs", []))
    assert not (root / "sg" / "executing.ipynb").exists()


# ----------------------------------------------------------------------------------
# a full disk and permissions taken away during a run
# ----------------------------------------------------------------------------------
def _namespace_tmpfs_works() -> bool:
    if not shutil.which("unshare"):
        return False
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(["unshare", "-Urm", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {d}"],
                           capture_output=True, timeout=30)
        return r.returncode == 0


needs_tmpfs = pytest.mark.skipif(not _namespace_tmpfs_works(),
                                 reason="needs unshare -Urm and a tmpfs mount in a user namespace")

FILL_DISK = "open(run_dir + '/filler.bin', 'wb').write(b'x' * (4 << 20))"  # the notebook fills the disk


@needs_tmpfs
@pytest.mark.slow
@pytest.mark.parametrize("cell", [FILL_DISK], ids=["notebook-fills-disk"])
def test_disk_full_during_a_run(tmp_path, cell):
    """One error line, a `failed` index line, no half-written file, no traceback (a 2 MiB tmpfs, real ENOSPC)."""
    notebook(tmp_path / "nb.ipynb", "print('start')", cell, "print('never')")
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    script = (f"mount -t tmpfs -o size=2m tmpfs {mnt} && cd {tmp_path} && "
              f"{PY} -m golfkit run nb.ipynb --runs-dir {mnt}/runs --run-id full1 --quiet >{out}/stdout 2>{out}/stderr; "
              f"echo $? >{out}/rc; cp -a {mnt}/runs {out}/runs")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    subprocess.run(["unshare", "-Urm", "sh", "-c", script], env=env, timeout=240, check=True)
    rc, stdout, stderr = int((out / "rc").read_text()), (out / "stdout").read_text(), (out / "stderr").read_text()
    desc = f"rc={rc}\n--- stdout\n{stdout[-2000:]}\n--- stderr\n{stderr[-3000:]}"
    assert "Traceback" not in stdout + stderr, desc
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert rc == 2 and len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), desc
    assert "No space left on device" in lines[0] and "recorded failed" in lines[0], desc
    root = out / "runs"
    rec = last_record(root)
    assert rec["run_id"] == "full1" and rec["status"] == "failed" and "No space left" in rec["error"], rec
    run = root / "full1"
    assert not list(run.rglob("*.tmp")) and not (run / "executing.ipynb").exists(), sorted(run.rglob("*"))
    for f in [*run.rglob("*.json"), *run.rglob("*.ipynb")]:
        json.loads(f.read_text())  # every record there is whole
    for f in run.rglob("*.yaml"):
        import yaml

        assert yaml.safe_load(f.read_text())


RO_MOUNT = ("import subprocess\n"
            "subprocess.run(['mount', '--bind', run_dir, run_dir], check=True)\n"
            "subprocess.run(['mount', '-o', 'remount,bind,ro', run_dir], check=True)")


@needs_tmpfs
@pytest.mark.slow
def test_run_folder_made_read_only_during_a_run(tmp_path):
    """The run folder turns read-only mid-run (a bind mount remounted ro from inside the notebook, in a user
    and mount namespace): one line, a `failed` index line, nothing half-written, no traceback."""
    notebook(tmp_path / "nb.ipynb", "print('start')", RO_MOUNT, "print('after')")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    r = subprocess.run(["unshare", "-Urm", PY, "-m", "golfkit", "run", "nb.ipynb", "--run-id", "ro1", "--quiet"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    desc = f"rc={r.returncode}\n--- stdout\n{r.stdout[-2000:]}\n--- stderr\n{r.stderr[-3000:]}"
    assert "Traceback" not in r.stdout + r.stderr, desc
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), desc
    assert "Read-only file system" in lines[0] and "recorded failed" in lines[0], desc
    rec = last_record(tmp_path / "runs")
    assert rec["run_id"] == "ro1" and rec["status"] == "failed" and "Read-only" in rec["error"], rec
    run = tmp_path / "runs" / "ro1"
    assert not list(run.rglob("*.tmp")), sorted(run.rglob("*"))
    for f in [*run.rglob("*.json"), *run.rglob("*.ipynb")]:
        json.loads(f.read_text())  # the staged notebook, if left, is a whole one


@needs_tmpfs
def test_read_only_runs_folder_is_refused_before_anything(tmp_path):
    """A runs folder that cannot be written (read-only here): one line before any file is written."""
    notebook(tmp_path / "nb.ipynb", "print('ran')")
    (tmp_path / "runs").mkdir()
    before = snapshot(tmp_path)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    script = (f"mount --bind runs runs && mount -o remount,bind,ro runs && "
              f"exec {PY} -m golfkit run nb.ipynb --run-id ro2 --quiet")
    r = subprocess.run(["unshare", "-Urm", "sh", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=120)
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1 and "cannot write to the runs folder runs" in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not fs_diff(before, snapshot(tmp_path))
