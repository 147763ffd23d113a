"""golfkit.limits inside an exported train_gpt.py: its own artifact back into a model (no size or table checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from golfkit import artifact
from golfkit.config import DEFAULT_MAX_PARAMS, ModelConfig, RunConfig


def estimate_params(m: ModelConfig) -> int:
    return 0  # no ceiling is checked here, so there is nothing to estimate against


def check_model_size(cfg: RunConfig, max_params: int = DEFAULT_MAX_PARAMS, what: str = "the config") -> int:
    return 0


def load_for_model(path: str | Path, build: Callable[[RunConfig], Any], cfg: RunConfig | None = None,
                   max_params: int = DEFAULT_MAX_PARAMS) -> tuple[artifact.Artifact, RunConfig, Any]:
    art = artifact.load(path, max_params)
    use = cfg or RunConfig.from_dict(art.config)
    return art, use, build(use)
