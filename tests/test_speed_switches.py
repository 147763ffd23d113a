"""The speed switches change how a step is computed, not what it learns: smoke training curves with each one
on and off agree (benchmarks/bench_ab.py's arms: the same seed, data stream and session as `golfkit train`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from golfkit import dist

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_ab import Arm  # noqa: E402


def _curve(cfg, steps: int = 6) -> list[float]:
    torch.manual_seed(0)
    arm = Arm("x", cfg, dist.init(cfg.device))
    for _ in range(steps):
        arm.run_step()
    return arm.losses


@pytest.fixture(scope="module")
def reference(data_dir):
    from conftest import smoke_config

    cfg = smoke_config(data_dir).override({"optim.muon_batched": True})  # cpu-small's choice
    assert cfg.model.fused_ce and cfg.compile == "off"  # the defaults under test
    return cfg, _curve(cfg)


@pytest.mark.parametrize("switch", [{"optim.muon_batched": False}, {"model.fused_ce": False}])
def test_bit_equal_switches_give_the_same_curve(reference, switch):
    cfg, ref = reference
    assert _curve(cfg.override(switch)) == ref  # batched NS = per matrix; fused CE off on CPU = the eager loss


def test_fp32_newton_schulz_curve_agrees(reference):
    cfg, ref = reference
    other = _curve(cfg.override({"optim.muon_ns_dtype": "fp32" if cfg.optim.muon_ns_dtype != "fp32" else "bf16"}))
    assert all(abs(a - b) < 0.02 * b for a, b in zip(other, ref)), (other, ref)


@pytest.mark.slow
def test_compiled_cpu_step_curve_agrees(reference):
    """compile=on (cpu-small's setting) on the smoke model: inductor's fp32 kernels reorder sums, nothing more."""
    cfg, ref = reference
    torch._dynamo.reset()
    other = _curve(cfg.override({"compile": "on", "schedule.warmup_steps": 1}))
    torch._dynamo.reset()
    assert all(abs(a - b) < 2e-3 * b for a, b in zip(other, ref)), (other, ref)


@pytest.mark.parametrize("kind", ["auto", "flash", "cudnn", "efficient", "math"])
def test_attention_choice_enables_exactly_one_sdpa_kernel(kind):
    """config `attention` -> one SDPA kernel on CUDA (auto = flash, the baseline's); the flags are process-wide."""
    from torch.backends import cuda as bc

    from golfkit.train import enable_fast_cuda

    saved = (bc.cudnn_sdp_enabled(), bc.flash_sdp_enabled(), bc.mem_efficient_sdp_enabled(), bc.math_sdp_enabled(),
             torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    try:
        enable_fast_cuda(kind)
        on = {"cudnn": bc.cudnn_sdp_enabled(), "flash": bc.flash_sdp_enabled(),
              "efficient": bc.mem_efficient_sdp_enabled(), "math": bc.math_sdp_enabled()}
        assert [k for k, v in on.items() if v] == ["flash" if kind == "auto" else kind]
        assert torch.backends.cuda.matmul.allow_tf32
    finally:
        bc.enable_cudnn_sdp(saved[0])
        bc.enable_flash_sdp(saved[1])
        bc.enable_mem_efficient_sdp(saved[2])
        bc.enable_math_sdp(saved[3])
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved[4], saved[5]
