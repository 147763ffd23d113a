"""What a recorded notebook run is, read back from its folder: title, protocol, scale, headline, commit, command.

Everything here is derived from the files a run wrote (params.yaml, metrics.json, env.json,
train/*/metrics.json[l], executed.ipynb) so that old runs get the same facts as new ones:

* protocol: "smoke" (CI path check, meaningless numbers), "reduced" (a shortened schedule, a capped
  wall clock or a cut validation split), "trained" (reduced, but every training's validation loss had
  flattened: the last 20% of its steps improved it by under 1%), "full" (the notebook's own defaults).
  A `protocol` the notebook recorded in metrics.json wins over the derivation.
* val targets: the number of validation targets each training scored (its metrics.json `val_tokens`).
* the command that reproduces the run: `golfkit run NOTEBOOK -p NAME VALUE ...` at the recorded commit.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from pathlib import Path
from typing import Any

from golfkit import safeio
from golfkit.errors import GolfkitError

PROTOCOLS = ("smoke", "reduced", "trained", "full")
FLAT_TAIL = 0.2  # the last 20% of steps ...
FLAT_GAIN = 0.01  # ... improve the validation loss by under 1%: "trained" (the workbook's criterion)
RECORD_MAX_BYTES = 16 << 20  # a run's JSON records are a few KB; a bigger one is not ours


def read_json(path: str | Path) -> Any:
    """A run record (metrics.json, env.json ...) or None when missing, oversized, not JSON or too deep."""
    try:
        return safeio.loads(safeio.read_bytes(path, "run record", RECORD_MAX_BYTES), f"run record {path}")
    except GolfkitError:
        return None


YAML_MAX_NODES = 1 << 16  # values, aliases expanded; a params.yaml holds a few dozen


def _plain(x: Any, budget: list[int]) -> bool:
    """Whether `x` is made of what golfkit writes to YAML (None, bool, numbers, strings, lists, string-keyed maps),
    in at most `budget[0]` values counted with every alias expanded."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if x is None or isinstance(x, (bool, int, float, str)):
        return True
    if isinstance(x, list):
        return all(_plain(v, budget) for v in x)
    return isinstance(x, dict) and all(isinstance(k, str) and _plain(v, budget) for k, v in x.items())


def read_yaml(path: str | Path) -> Any:
    """A run's YAML record, or None when missing, oversized, not YAML, or holding anything golfkit does not write
    there: a date or binary breaks the JSON of the reproduce command, and aliases that expand to billions of
    values (a few hundred bytes of `&a [*b, *b, ...]`) cost the reader memory without end."""
    import yaml

    try:
        obj = yaml.safe_load(safeio.read_bytes(path, "run record", RECORD_MAX_BYTES).decode("utf-8"))
        return obj if _plain(obj, [YAML_MAX_NODES]) else None
    except (GolfkitError, yaml.YAMLError, UnicodeDecodeError, RecursionError):  # RecursionError: `&a [*a]` too
        return None


def _dict(x: Any) -> dict:
    return x if isinstance(x, dict) else {}


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    try:
        x = float(x)
    except OverflowError:  # an integer past float's range (json.loads reads any number of digits)
        return None
    return x if math.isfinite(x) else None


def parameters(run_dir: Path, record: dict | None = None) -> dict[str, Any]:
    """Every parameter the run had (params.yaml `parameters`, else the index record's overrides)."""
    p = _dict(read_yaml(run_dir / "params.yaml"))
    return _dict(p.get("parameters")) or _dict((record or {}).get("parameters"))


def overrides(run_dir: Path, record: dict | None = None) -> dict[str, Any]:
    """The parameters given on the command line (params.yaml `overrides`), without the runner's run_dir."""
    p = _dict(read_yaml(run_dir / "params.yaml"))
    ov = _dict(p.get("overrides")) or _dict((record or {}).get("parameters"))
    return {k: v for k, v in ov.items() if k != "run_dir"}


def trainings(run_dir: Path) -> list[Path]:
    """The run's training folders (train/<variant>_s<seed>/) that wrote a metrics.json."""
    return sorted(d for d in (run_dir / "train").glob("*") if (d / "metrics.json").is_file())


def subset_variants(overrides: dict[str, Any]) -> list[str]:
    """The variants a run was limited to with `-p variants` (a notebook recorded in parts), else []."""
    v = overrides.get("variants")
    return [str(k) for k in v] if isinstance(v, dict) else []


def variant_of(train_dir: Path) -> str:
    """`baseline_s1337` -> `baseline` (the workbook names each training <variant>_s<seed>)."""
    return re.sub(r"_s-?\d+$", "", train_dir.name)


def val_targets(run_dir: Path, metrics: dict | None = None) -> int | None:
    """Validation targets scored per training (the trainings' own count), else the recorded cap."""
    for d in trainings(run_dir):
        n = _num(_dict(read_json(d / "metrics.json")).get("val_tokens"))
        if n:
            return int(n)
    cap = _num(_dict(metrics).get("val_tokens_cap"))
    return int(cap) if cap else None


def val_curve(train_dir: Path) -> tuple[list[int], list[float]]:
    """(steps, val_loss) of one training's metrics.jsonl `val` rows (bounded read; bad rows skipped)."""
    steps, losses = [], []
    try:
        raw = safeio.read_bytes(train_dir / "metrics.jsonl", "metrics log", 256 << 20)
    except GolfkitError:
        return steps, losses
    for line in raw.splitlines():
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(row, dict) and row.get("kind") == "val" and _num(row.get("val_loss")) is not None \
                and _num(row.get("step")) is not None:
            steps.append(int(row["step"]))
            losses.append(float(row["val_loss"]))
    return steps, losses


def flattened(steps: list[int], losses: list[float]) -> bool:
    """True when the last FLAT_TAIL of the steps improved the validation loss by under FLAT_GAIN."""
    if len(steps) < 3 or steps[-1] <= 0:
        return False
    cut = steps[-1] * (1 - FLAT_TAIL)
    before = [v for s, v in zip(steps, losses) if s <= cut]
    if not before:
        return False
    return (before[-1] - losses[-1]) / abs(before[-1]) < FLAT_GAIN


def protocol(run_dir: Path, params: dict, metrics: dict) -> str:
    """smoke / reduced / trained / full (see the module docstring)."""
    explicit = metrics.get("protocol", params.get("protocol"))
    if isinstance(explicit, str) and explicit:
        return explicit
    if metrics.get("smoke") is True or params.get("smoke") is True:
        return "smoke"
    reduced = bool(_dict(params.get("overrides")) or _dict(metrics.get("base_overrides"))) \
        or (_num(params.get("val_tokens")) or 0) > 0 or (_num(metrics.get("val_tokens_cap")) or 0) > 0 \
        or (_num(params.get("wallclock_seconds")) or 0) > 0
    if not reduced:
        return "full"
    curves = [val_curve(d) for d in trainings(run_dir)]
    return "trained" if curves and all(flattened(*c) for c in curves) else "reduced"


def notebook_title(cells: list, fallback: str) -> str:
    """The first `# heading` of the notebook's markdown cells (what a reader sees as its title)."""
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else str(source)).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def cli_value(value: Any) -> str:
    """A parameter value as `golfkit run -p NAME VALUE` reads it back (golfkit.lab.notebook_runs.parse_param)."""
    if value is None or isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(", ", ": "))  # JSON is YAML: lists and dicts read back as they were


def reproduce_command(notebook: str, params: dict[str, Any]) -> str:
    """`golfkit run NOTEBOOK -p NAME VALUE ...` (a new run id: the recorded one is taken)."""
    parts = ["golfkit", "run", str(notebook)]
    for name, value in params.items():
        if name != "run_dir":
            parts += ["-p", name, cli_value(value)]
    return shlex.join(parts)


def summary(root: Path, record: dict[str, Any], with_title: bool = True) -> dict[str, Any]:
    """Everything the site, `runs list` and a run's page show about one index record.

    with_title=False skips reading executed.ipynb (megabytes of embedded figures) for `runs list`.
    """
    run_dir = Path(root) / record["run_id"]
    metrics = _dict(read_json(run_dir / "metrics.json"))
    env = _dict(read_json(run_dir / "env.json"))
    params = parameters(run_dir, record)
    title = (with_title and _title_from_file(run_dir / "executed.ipynb")) or Path(str(record.get("notebook", "notebook"))).stem
    bpb = _dict(metrics.get("val_bpb_summary"))
    runs = [r for r in metrics.get("runs", []) if isinstance(r, dict)] if isinstance(metrics.get("runs"), list) else []
    given = overrides(run_dir, record)
    return {
        "run_id": record["run_id"], "notebook": str(record.get("notebook", "")), "title": title,
        "status": record.get("status"), "started": record.get("started"), "duration_s": _num(record.get("duration_s")),
        "error": record.get("error"),
        "commit": env.get("git_commit") if isinstance(env.get("git_commit"), str) else None,
        "dirty": env.get("git_dirty") if isinstance(env.get("git_dirty"), bool) else None,
        "protocol": protocol(run_dir, params, metrics), "val_targets": val_targets(run_dir, metrics),
        "preset": metrics.get("preset", params.get("preset")), "headline": metrics.get("headline"),
        "val_bpb": _num(metrics.get("val_bpb", record.get("val_bpb"))), "val_bpb_std": _num(bpb.get("std")),
        "seeds": len(metrics["seeds"]) if isinstance(metrics.get("seeds"), list) else None,
        "bytes_total": _num(metrics.get("bytes_total", record.get("bytes_total"))),
        "steps": sorted({int(s) for r in runs if (s := _num(r.get("steps"))) is not None}),
        **plateau(metrics),
        "trainings": len(runs),
        "variants": subset_variants(given),
        "command": reproduce_command(str(record.get("notebook", "")), given),
        "html": f"{record['run_id']}/executed.html" if (run_dir / "executed.html").is_file() else None,
    }


def plateau(metrics: dict) -> dict[str, Any]:
    """The run's flattening evidence (metrics.json `training_evidence`, golfkit.lab.findings): the largest fall
    of validation loss over the last 20% of a training's constant-learning-rate phase, in percent, and how
    many of the trainings fell under the 1% bar. None where the run recorded none (older runs, smoke)."""
    ev = _dict(metrics.get("training_evidence"))
    worst = _num(_dict(ev.get("val_plateau_pct")).get("max"))
    met, n = _num(ev.get("plateau_under_bar")), _num(ev.get("plateau_measured"))
    if worst is not None and (met is None or n is None):  # recorded before the count was: derive it from the range
        lo = _num(_dict(ev.get("val_plateau_pct")).get("min"))
        n = _num(ev.get("trainings"))
        met = n if worst < 100 * FLAT_GAIN else (0 if lo is not None and lo >= 100 * FLAT_GAIN else None)
    return {"plateau_max_pct": worst, "plateau_met": None if met is None else int(met),
            "plateau_n": None if n is None else int(n)}


def _title_from_file(path: Path) -> str | None:
    nb = read_json(path) if path.is_file() else None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    return notebook_title(cells, "") or None if isinstance(cells, list) else None
