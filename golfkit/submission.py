"""The entry point of an exported `train_gpt.py` (built by golfkit/export.py; never imported by a run).

An exported script carries its run config as JSON and calls `main(config_json, script)`. This
is the only golfkit module that reads the challenge's environment variables: the reference
`train_gpt.py` is driven by them (DATA_PATH, SEED, ITERATIONS, ...), so a submission must be too,
e.g. `SEED=42 torchrun --standalone --nproc_per_node=8 train_gpt.py`. Each variable overrides
the field named in `ENV_FIELDS` (golfkit/envvars.py); the values are parsed with the config's own
types and checked against its ranges, so a bad value is a one-line error naming the variable.
Everything else stays as exported.

Outputs follow the reference: the log in `logs/<RUN_ID>.txt` (here `logs/<RUN_ID>/train.log`,
beside config/metrics JSON and the artifact `final_model.int8.golf`). RUN_ID names one folder
under logs/ (letters, digits, `_ - .`; no path), so a run never writes outside logs/.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Mapping

from golfkit.config import RunConfig
from golfkit.envvars import ENV_FIELDS
from golfkit.errors import GolfkitError, one_line

def _checked(cfg: RunConfig, var: str, key: str, raw: str) -> str:
    """`raw` if it parses as `key`'s type (override() parses strings; bools accept the reference's 0/1)."""
    try:
        cfg.override({key: raw})
    except GolfkitError as e:
        raise GolfkitError(f"environment variable {var}: {e}") from None
    return raw


def data_overrides(environ: Mapping[str, str]) -> dict[str, str]:
    """DATA_PATH=<root>/datasets/fineweb10B_<variant> and TOKENIZER_PATH -> data.* fields."""
    out: dict[str, str] = {}
    if environ.get("DATA_PATH"):
        p = Path(environ["DATA_PATH"])
        if p.parent.name != "datasets" or not p.name.startswith("fineweb10B_"):
            raise GolfkitError(f"DATA_PATH={p} is not <data>/datasets/fineweb10B_<variant> (the challenge's layout)")
        out["data.dir"], out["data.variant"] = str(p.parent.parent), p.name[len("fineweb10B_"):]
    if environ.get("TOKENIZER_PATH"):
        out["data.tokenizer"] = environ["TOKENIZER_PATH"]
    return out


def config_from_env(config_json: str, environ: Mapping[str, str]) -> RunConfig:
    """The exported config with the challenge's environment variables applied."""
    cfg = RunConfig.from_json(config_json)
    overrides: dict[str, object] = data_overrides(environ)
    for var, key in ENV_FIELDS.items():
        if environ.get(var, "") != "":
            overrides[key] = _checked(cfg, var, key, environ[var])
    return cfg.override(overrides)


def run_id_from_env(environ: Mapping[str, str]) -> str:
    """RUN_ID, checked to name one folder under logs/ (default: the UTC time)."""
    run_id = environ.get("RUN_ID") or time.strftime("%Y%m%d_%H%M%S", time.gmtime())
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", run_id) or ".." in run_id:
        raise GolfkitError(f"environment variable RUN_ID={run_id!r:.80} must name one folder under logs/ (letters, "
                           f"digits, _ - .; at most 128 characters, no '..')")
    return run_id


def main(config_json: str, environ: Mapping[str, str] | None = None) -> int:
    """Train, export, reload and score as the exported run did; 2 with one line on a user error."""
    env = os.environ if environ is None else environ
    try:
        cfg = config_from_env(config_json, env)
        run_dir = Path("logs") / run_id_from_env(env)
        from golfkit.train import diverged_line, train  # after the environment is checked: no torch for a bad one

        metrics = train(cfg, run_dir)
        if metrics.get("diverged_step") is not None:
            print(f"error: {diverged_line(metrics)}", file=sys.stderr)
            return 1
    except GolfkitError as e:
        print(f"error: {one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:  # the system refused a read or write: one line, like the golfkit command
        print(f"error: {one_line(GolfkitError(f'{e.strerror or e}' + (f' ({e.filename})' if e.filename else '')))}",
              file=sys.stderr)
        return 2
    return 0
