"""Reading a run folder: config.json, metrics.json and the files metrics.json vouches for (tooling).

A run folder is written by one run (golfkit/train.py claims it before its first write and refuses a
folder holding another run's files). metrics.json, written last, is the run's record: its run id
and the sha256 of config.json, the artifact, the checkpoint and the quant report. The readers
(`golfkit export`, `golfkit quant report`, `golfkit eval`) take a file only when its bytes are the
ones the record names, so a folder that mixes runs (a stale file beside a newer one, an edited
config) is refused in one line instead of being exported or reported as one run. The run id is
also the `run_id:` line of train.log and a field of env.json; it is not in the artifact, whose
bytes depend only on the seed, data and thread count (its sha256 ties it to the record).
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golfkit import safeio
from golfkit.artifact import file_sha256
from golfkit.config import RunConfig
from golfkit.errors import GolfkitError

RECORD_MAX_BYTES = 16 << 20  # a metrics.json is ~2 KB, a quant report ~50 KB
# metrics.json fields a reader relies on, and their JSON types (float: any finite number)
FIELDS: dict[str, type] = {"run_id": str, "config_sha256": str, "artifact_sha256": str, "artifact": str,
                           "bytes_model": int, "val_bpb": float, "val_loss": float, "steps": int, "seed": int,
                           "world_size": int, "train_time_ms": float}


def read_json(path: Path, what: str, max_bytes: int = RECORD_MAX_BYTES) -> tuple[dict[str, Any], bytes]:
    """A JSON object from a regular file of bounded size and nesting, and its bytes; one line otherwise."""
    raw = safeio.read_bytes(path, what, max_bytes)
    obj = safeio.loads(raw, f"{what} {path}")
    if not isinstance(obj, dict):
        raise GolfkitError(f"{what} {path} must be a JSON object, got {type(obj).__name__}")
    return obj, raw


def _typed(v: Any, typ: type) -> bool:
    if isinstance(v, bool):
        return False
    if typ is float:
        return isinstance(v, (int, float)) and math.isfinite(v)
    return isinstance(v, typ) and (typ is not int or v >= 0)


@dataclass
class RunRecord:
    dir: Path
    config: RunConfig
    metrics: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.metrics["run_id"]

    def file(self, name: str, key: str) -> Path:
        """`name` in the run folder, refused unless its sha256 is the one the record holds under `key`."""
        path = self.dir / name
        want = self.metrics.get(key)
        if not isinstance(want, str):
            raise GolfkitError(f"the run record {self.dir / 'metrics.json'} has no {key} for {name}")
        if not os.path.lexists(path):
            raise GolfkitError(f"{path} is missing: run {self.run_id} wrote it (metrics.json records its sha256)")
        safeio.regular_file(path, name)  # no FIFO, device or folder where the file should be
        if file_sha256(path) != want:
            raise GolfkitError(f"{path} is not the file run {self.run_id} wrote (its sha256 differs from the one in "
                               f"metrics.json): a run folder holds one run, and this one mixes files")
        return path

    def artifact(self) -> Path:
        return self.file(Path(self.metrics["artifact"]).name, "artifact_sha256")

    def check_log(self) -> Path | None:
        """train.log, when there is one, must name this run (its `run_id:` line)."""
        path = self.dir / "train.log"
        if not os.path.lexists(path):
            return None
        head = safeio.read_head(path, "train log", 4096).decode("utf-8", "replace").splitlines()
        ids = [line.partition(":")[2].strip() for line in head if line.startswith("run_id:")]
        if ids[:1] != [self.run_id]:
            got = f"run {ids[0]}" if ids else "no run id"
            raise GolfkitError(f"{path} names {got}, the run record {self.dir / 'metrics.json'} run {self.run_id}: "
                               f"a run folder holds one run, and this one mixes files")
        return path


def load(run_dir: str | Path) -> RunRecord:
    """The finished run in `run_dir`, with config.json checked against metrics.json (see the module docstring)."""
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise GolfkitError(f"run folder {run_dir} not found")
    if not run_dir.is_dir():
        raise GolfkitError(f"run folder {run_dir} is not a folder")
    cpath, mpath = run_dir / "config.json", run_dir / "metrics.json"
    if not os.path.lexists(cpath):
        raise GolfkitError(f"{run_dir} has no config.json (not a golfkit run folder)")
    if not os.path.lexists(mpath):
        raise GolfkitError(f"{run_dir} has no metrics.json (the run did not finish: failed, killed or still running)")
    metrics, _ = read_json(mpath, "run record")
    if "run_id" not in metrics:
        raise GolfkitError(f"run record {mpath} has no run id (written by a golfkit before run ids, or not by "
                           f"golfkit): cannot check that its config.json and artifact belong to it; rerun it")
    for key, typ in FIELDS.items():
        if not _typed(metrics.get(key), typ):
            kind = {str: "a string", int: "an integer >= 0", float: "a finite number"}[typ]
            raise GolfkitError(f"run record {mpath} is malformed: '{key}' must be {kind}, got {metrics.get(key)!r:.60}")
    craw = safeio.read_bytes(cpath, "config", safeio.CONFIG_MAX_BYTES)
    if hashlib.sha256(craw).hexdigest() != metrics["config_sha256"]:
        raise GolfkitError(f"{cpath} is not the config run {metrics['run_id']} recorded (its sha256 differs from "
                           f"the one in metrics.json): a run folder holds one run, and this one mixes files")
    cfg = RunConfig.from_json(craw, f"config {cpath}")
    return RunRecord(run_dir, cfg, metrics)
