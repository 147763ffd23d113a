"""golfkit.limits inside an exported train_gpt.py: its own artifact back into a model (no size or table checks).

golfkit/twins.py appends golfkit.limits' `estimate_params` and `check_model_size` as they are: the challenge's
environment variables set the model's size (MODEL_DIM, NUM_LAYERS, MLP_MULT, ...), and a model over the ceiling
is the same one line as in golfkit, not an allocation that fails with a traceback (or never does) mid-run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from golfkit import artifact
from golfkit.config import DEFAULT_MAX_PARAMS, RunConfig


def load_for_model(path: str | Path, build: Callable[[RunConfig], Any], cfg: RunConfig | None = None,
                   max_params: int = DEFAULT_MAX_PARAMS) -> tuple[artifact.Artifact, RunConfig, Any]:
    art = artifact.load(path, max_params)
    use = cfg or RunConfig.from_dict(art.config)
    return art, use, build(use)
