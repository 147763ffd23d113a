"""Shared fixtures: where the real challenge data is, and a trained smoke run.

Tests that need real data read its folder from the GOLFKIT_TEST_DATA environment
variable (set by .ci/run), falling back to ../shared/data beside the checkout.
golfkit itself never looks there: it takes the folder as an option.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _data_dir() -> Path:
    return Path(os.environ.get("GOLFKIT_TEST_DATA", REPO.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = _data_dir()
    if not (d / "datasets" / "fineweb10B_sp1024").is_dir():
        pytest.skip(f"challenge data not found at {d} (set GOLFKIT_TEST_DATA)")
    return d


@pytest.fixture(scope="session")
def tokenizer_path(data_dir) -> Path:
    return data_dir / "tokenizers" / "fineweb_1024_bpe.model"


def smoke_config(data_dir, **overrides):
    """The smoke preset pointed at the test data, with optional dotted-key overrides."""
    from golfkit.presets import get_preset

    return get_preset("smoke").override({"data.dir": str(data_dir), **overrides})


@pytest.fixture(scope="session")
def smoke_run(data_dir, tmp_path_factory):
    """One trained smoke run (artifact + checkpoint + metrics), shared by every test that needs a model."""
    from golfkit.train import train

    run_dir = tmp_path_factory.mktemp("smoke_run")
    cfg = smoke_config(data_dir, **{"schedule.save_checkpoint": True})
    metrics = train(cfg, run_dir, echo=False)
    return run_dir, metrics
