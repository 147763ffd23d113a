"""Launch `golfkit train` as a child process group from a notebook (or anywhere), with no orphans.

    res = launch.train_subprocess(run_dir / "train" / "s1337", preset="smoke", overrides={...}, data_dir=..., nproc=1)

Why a subprocess and not DDP inside the kernel: spawning ranks in a kernel is fragile
(mp.spawn needs picklable functions; accelerate's notebook_launcher forbids any CUDA call
in the kernel first), and the challenge's own launch is `torchrun ... train_gpt.py`.
So a cell runs

    torchrun --standalone --nproc_per_node=N -m golfkit train ...   (N > 1, or nproc given on CUDA)
    python -m golfkit train ...                                    (N = 1: same code, no rendezvous)

How no process outlives the cell (notebooks.md, "Orphans", verified there):
* the child starts a new session (`start_new_session=True`), so its group is ours to kill
  and a Ctrl-C meant for the kernel does not reach the ranks half-way;
* on Linux the child asks the kernel for PR_SET_PDEATHSIG=SIGTERM (prctl via ctypes): if
  the kernel process dies, even by SIGKILL/OOM where no `finally` runs, the child gets
  SIGTERM, and torchrun in turn terminates its workers;
* `finally` kills the whole group (SIGTERM, then SIGKILL after a grace period) on
  KeyboardInterrupt (nbclient's interrupt_on_timeout, the Lab stop button), on our own
  `timeout`, and on any error; an atexit hook covers a kernel shutdown that unwinds normally;
* while it runs, the group id is written to `<run_dir>/launch.pid`, so the runner
  (`golfkit.lab.notebook_runs`) can kill the group after a kernel it could not interrupt.

Output is read line by line from one pipe (stderr merged), echoed into the notebook and
tee'd to `<run_dir>/console.log` (train.log is the trainer's own, rank-0 log).
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from golfkit.errors import GolfkitError

PID_FILE = "launch.pid"
CONSOLE_LOG = "console.log"
GRACE_SECONDS = 5.0  # SIGTERM -> SIGKILL; torchrun needs a moment to stop its workers
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_LIVE: set[int] = set()  # process groups started by this process and not yet reaped


class TrainingFailed(GolfkitError):
    """The training process exited with an error status."""


class TrainingKilled(GolfkitError):
    """The training process was stopped by a signal, a timeout or an interrupt.

    The runner records runs that end with this error as status "killed", not "failed".
    """


@dataclass
class LaunchResult:
    run_dir: Path
    returncode: int
    seconds: float
    command: list[str]


# ----------------------------------------------------------------------------------
# the command
# ----------------------------------------------------------------------------------
def train_command(run_dir: str | Path, preset: str, overrides: dict[str, Any] | None = None,
                  data_dir: str | Path | None = None, nproc: int = 1, python: str | None = None) -> list[str]:
    """argv of one training run. nproc > 1 always goes through torchrun (DDP needs its env)."""
    if nproc < 1:
        raise GolfkitError(f"nproc must be >= 1, got {nproc}")
    python = python or sys.executable
    if nproc > 1:
        # `python -m torch.distributed.run` is the torchrun console script, without relying on PATH.
        head = [python, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}", "-m", "golfkit"]
    else:
        head = [python, "-m", "golfkit"]
    cmd = head + ["train", "--preset", preset, "--run-dir", str(run_dir)]
    if data_dir is not None:
        cmd += ["--data", str(data_dir)]
    for key, value in (overrides or {}).items():
        cmd += ["--set", f"{key}={_cli_value(value)}"]
    return cmd


def _cli_value(v: Any) -> str:
    """A config value as `--set` parses it (bools lower-case, lists as JSON)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        import json

        return json.dumps(list(v))
    return str(v)


# ----------------------------------------------------------------------------------
# process group handling
# ----------------------------------------------------------------------------------
def _libc():
    """libc, opened in the parent: the child between fork and exec must not import or dlopen (another
    thread of the parent, e.g. a side-by-side training's, may have held their locks when it forked)."""
    global _LIBC
    if _LIBC is None and sys.platform.startswith("linux"):
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


_LIBC = None


def _child_setup() -> None:
    """Runs in the child between fork and exec: die with the parent (Linux only). Only a foreign call."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pgid: int, grace: float = GRACE_SECONDS, proc: subprocess.Popen | None = None) -> None:
    """SIGTERM the group, wait up to `grace` seconds, then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if proc is not None:
                proc.poll()  # reap our direct child, else it lingers as a zombie in the group
            if not group_alive(pgid):
                break
            time.sleep(0.05)
        else:
            continue
        break
    if proc is not None:
        try:
            proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            pass
    _LIVE.discard(pgid)


def kill_recorded(run_dir: str | Path) -> list[int]:
    """Kill every group recorded in a `launch.pid` under `run_dir` (the runner's backstop)."""
    killed = []
    for pid_file in Path(run_dir).rglob(PID_FILE):
        try:
            pgid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if group_alive(pgid):
            kill_group(pgid)
            killed.append(pgid)
        pid_file.unlink(missing_ok=True)
    return killed


@atexit.register
def _kill_live_groups() -> None:
    # A kernel shutdown that unwinds normally runs atexit; a SIGKILL does not (PDEATHSIG covers that).
    for pgid in list(_LIVE):
        kill_group(pgid, grace=2.0)


# ----------------------------------------------------------------------------------
# run one command
# ----------------------------------------------------------------------------------
def run(cmd: list[str], run_dir: str | Path, timeout: float | None = None,
        echo: Callable[[str], None] | None = None, every: int = 1) -> LaunchResult:
    """Run `cmd` in its own process group; stream its output; always leave no process behind.

    `timeout` (seconds) kills the group and raises TrainingKilled; a non-zero exit raises
    TrainingFailed. `echo` gets every `every`-th line (all lines go to console.log):
    floods of tiny prints can overflow the kernel's IOPub buffer (papermill #426).
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    echo = echo or (lambda line: print(line, end="", flush=True))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    t0 = time.monotonic()
    _libc()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                            env=env, start_new_session=True, preexec_fn=_child_setup)
    pgid = proc.pid  # new session: the child leads its own group
    _LIVE.add(pgid)
    pid_file = run_dir / PID_FILE
    pid_file.write_text(f"{pgid}\n")
    timed_out = threading.Event()
    timer = None
    if timeout:
        timer = threading.Timer(timeout, lambda: (timed_out.set(), kill_group(pgid, proc=None)))
        timer.daemon = True
        timer.start()
    try:
        _pump(proc, run_dir / CONSOLE_LOG, echo, every)
        rc = proc.wait()
    finally:
        if timer is not None:
            timer.cancel()
        kill_group(pgid, proc=proc)  # no-op when it already exited; the group may still hold ranks
        pid_file.unlink(missing_ok=True)
    seconds = time.monotonic() - t0
    if timed_out.is_set():
        raise TrainingKilled(f"training killed after the {timeout:.0f} s timeout ({run_dir})")
    if rc < 0:
        raise TrainingKilled(f"training killed by signal {signal.Signals(-rc).name} ({run_dir})")
    if rc != 0:
        raise TrainingFailed(f"training exited with status {rc}; see {run_dir / CONSOLE_LOG}")
    return LaunchResult(run_dir, rc, seconds, cmd)


def _pump(proc: subprocess.Popen, log_path: Path, echo: Callable[[str], None], every: int) -> None:
    """Tee the child's lines to the log and (every `every`-th, plus errors) to `echo`."""
    with open(log_path, "a", encoding="utf-8") as log:
        for i, line in enumerate(proc.stdout):
            log.write(line)
            log.flush()
            if every <= 1 or i % every == 0 or "rror" in line or line.startswith(("final_", "Total", "golfkit:")):
                echo(line)


def train_subprocess(run_dir: str | Path, preset: str, overrides: dict[str, Any] | None = None,
                     data_dir: str | Path | None = None, nproc: int = 1, timeout: float | None = None,
                     echo: Callable[[str], None] | None = None, every: int = 1) -> LaunchResult:
    """Train one config into `run_dir` via `golfkit train` (torchrun when nproc > 1)."""
    cmd = train_command(run_dir, preset, overrides, data_dir, nproc)
    return run(cmd, run_dir, timeout=timeout, echo=echo, every=every)
