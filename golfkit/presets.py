"""Named starting points for a run: `golfkit train --preset NAME`.

* `baseline`: the challenge's naive baseline, exactly (openai/parameter-golf
  `train_gpt.py` defaults; record 2026-03-17_NaiveBaseline: 1.2244 bpb on 8xH100).
* `cpu-small`: a model that learns usefully on 2 CPU cores in about 10 minutes on the
  offline data (measured in BENCHMARKS.md).
* `smoke`: seconds; for tests and CI.

A preset is a function returning a `RunConfig`; techniques add their own presets here.
"""

from __future__ import annotations

from typing import Callable

from golfkit.config import RunConfig
from golfkit.errors import GolfkitError


def baseline() -> RunConfig:
    # Every default of RunConfig *is* the baseline; nothing to change.
    return RunConfig(preset="baseline")


def cpu_small() -> RunConfig:
    """~3.3M parameters, seq 256, 16K tokens/step: ~1.2 s/step on 2 cores."""
    cfg = RunConfig(preset="cpu-small", device="cpu", compile="off")
    m = cfg.model
    m.num_layers, m.model_dim, m.num_heads, m.num_kv_heads = 6, 256, 4, 2
    s = cfg.schedule
    s.train_seq_len, s.train_batch_tokens, s.micro_batches = 256, 16_384, 2
    s.iterations, s.warmup_steps, s.max_wallclock_seconds = 100_000, 0, 600.0
    s.warmdown_iters, s.val_loss_every, s.train_log_every = 150, 100, 25
    cfg.eval.batch_tokens = 65_536
    return cfg


def smoke() -> RunConfig:
    """A 2-layer, 64-wide model and 20 iteration-capped steps: seconds on a laptop."""
    cfg = RunConfig(preset="smoke", device="cpu", compile="off")
    m = cfg.model
    m.num_layers, m.model_dim, m.num_heads, m.num_kv_heads = 2, 64, 2, 1
    s = cfg.schedule
    s.train_seq_len, s.train_batch_tokens, s.micro_batches = 128, 4096, 2
    s.iterations, s.warmup_steps, s.max_wallclock_seconds = 20, 0, 0.0
    s.warmdown_iters, s.val_loss_every, s.train_log_every = 5, 0, 5
    cfg.eval.batch_tokens = 32_768
    return cfg


PRESETS: dict[str, Callable[[], RunConfig]] = {
    "baseline": baseline,
    "cpu-small": cpu_small,
    "smoke": smoke,
}


def get_preset(name: str) -> RunConfig:
    if name not in PRESETS:
        raise GolfkitError(f"unknown preset '{name}' (known: {', '.join(PRESETS)})")
    return PRESETS[name]()
