"""What a run writes: the challenge-dialect log, metrics.jsonl, and the JSON records.

Run folder contents (rank 0 writes, other ranks write nothing):

    train.log       every log line, in the challenge's dialect (`step:S/N train_loss:...`)
    metrics.jsonl   one JSON object per logged step, for code and notebooks
    config.json     the resolved RunConfig
    env.json        git commit + dirty flag, python/torch/CUDA versions, devices, world size
    metrics.json    the final record (val_bpb of the roundtrip, bytes, timings, ...)

JSON files are written to a temp file and renamed, so a reader never sees half a file; a log line
that the disk refuses is rolled back (the file keeps whole lines) and ends the run in one line.
A run folder holds one run: golfkit/train.py claims it before the first write, and the log files
are created, never truncated.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import torch

from golfkit import is_tooling
from golfkit.atomic import atomic_write, write_error


def write_json(path: str | Path, obj: Any) -> bytes:
    """Atomic JSON write (temp file + rename); NaN/inf become null so the file stays valid JSON. Returns the bytes."""
    raw = (json.dumps(_finite(obj), indent=2) + "\n").encode("utf-8")
    atomic_write(path, raw)
    return raw


def append_text(path: Path, text: str, mode: str = "a") -> None:
    """Append whole lines, or nothing: a write the disk refuses is truncated back and raised as one line."""
    raw = memoryview(text.encode("utf-8"))
    try:
        with open(path, mode + "b", buffering=0) as f:
            start = f.seek(0, os.SEEK_END)
            try:
                while raw:
                    raw = raw[f.write(raw):]
            except OSError:
                os.ftruncate(f.fileno(), start)
                raise
    except OSError as e:
        raise write_error(path, e) from None


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


class RunLog:
    """Log lines to stdout + train.log and metric rows to metrics.jsonl (rank 0 only)."""

    def __init__(self, run_dir: Path | None, enabled: bool, echo: bool = True):
        self.run_dir, self.enabled, self.echo = run_dir, enabled, echo
        if enabled and run_dir is not None:
            for name in ("train.log", "metrics.jsonl"):  # created here, never truncated: one run per folder
                append_text(run_dir / name, "", mode="x")

    def line(self, msg: str) -> None:
        if not self.enabled:
            return
        if self.echo:
            print(msg, flush=True)
        if self.run_dir is not None:
            append_text(self.run_dir / "train.log", msg + "\n")

    def metric(self, **row: Any) -> None:
        if self.enabled and self.run_dir is not None:
            append_text(self.run_dir / "metrics.jsonl", json.dumps(_finite(row)) + "\n")

    def write(self, name: str, obj: Any) -> bytes | None:
        if self.enabled and self.run_dir is not None:
            return write_json(self.run_dir / name, obj)
        return None


def git_info(where: Path) -> dict[str, Any]:
    """Commit and dirty flag of the checkout holding `where` (None outside git)."""
    def run(*args: str) -> str | None:
        try:
            r = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return r.stdout.strip() if r.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": commit, "git_dirty": None if status is None else bool(status)}


def env_info(world_size: int, device: torch.device) -> dict[str, Any]:
    info: dict[str, Any] = git_info(Path(__file__).resolve().parent)
    info.update(
        python=sys.version.split()[0],
        platform=platform.platform(),
        torch=torch.__version__,
        cuda=torch.version.cuda,
        cuda_available=torch.cuda.is_available(),
        device=str(device),
        world_size=world_size,
        cpu_count=os.cpu_count(),
        torch_threads=torch.get_num_threads(),
    )
    if device.type == "cuda":
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info


def code_bytes(package: str = "golfkit") -> tuple[int, list[str]]:
    """UTF-8 bytes of the package modules this run imported (what a submission must count).

    In a checkout, every golfkit module loaded in this process minus the tooling above (an
    upper bound on the exported train_gpt.py, which is minified and compressed: golfkit/export.py;
    the tooling is golfkit.TOOLING_MODULES),
    named by path inside the package. Inside an exported train_gpt.py every module's __file__ is
    the script, so this is its size and its name.
    """
    root = Path(__file__).resolve().parent
    files = sorted({Path(m.__file__).resolve() for name, m in list(sys.modules.items())
                    if (name == package or name.startswith(package + ".")) and getattr(m, "__file__", None)
                    and not is_tooling(name)})
    shown = [str(f.relative_to(root)) if f.is_relative_to(root) else f.name for f in files]
    return sum(f.stat().st_size for f in files), shown


def submitted_code_bytes(cfg) -> tuple[int, str]:
    """Bytes of the code a submission of this run counts, and what they are.

    From a checkout or an installed golfkit: the train_gpt.py `golfkit export` writes for this
    config (minified, lzma-wrapped; golfkit/export.py). Inside an exported train_gpt.py (where
    golfkit.__file__ is the script): the script itself.
    """
    import golfkit

    if str(getattr(golfkit, "__file__", "")).endswith("__init__.py"):
        from golfkit.export import bundle, submission_config, wrap

        # the config as export bakes it (no paths of this machine): the count does not depend on where the data is
        return len(wrap(bundle(submission_config(cfg)), "lzma").encode()), "train_gpt.py as golfkit export writes it"
    return code_bytes()[0], "this train_gpt.py"
