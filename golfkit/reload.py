"""The artifact back into a model, and its score: what `golfkit train` reports and `golfkit eval` reproduces.

    artifact file -> dequantized state dict -> a fresh GPT -> evaluate_flat

One way down (artifact, quant, model, eval): nothing here imports the training loop, so
scoring an artifact loads no optimizer, schedule or hook code. `prepare_model` and
`compile_model` are also how training builds its model, so a reloaded model matches it.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from golfkit import dist, limits
from golfkit.config import DEFAULT_MAX_PARAMS, RunConfig
from golfkit.data import ByteLUTs
from golfkit.errors import GolfkitError
from golfkit.eval.flat import evaluate_flat
from golfkit.eval.score import EvalResult
from golfkit.model import GPT
from golfkit.quant.int8 import dequantize


def use_compile(cfg: RunConfig, device: torch.device) -> bool:
    return cfg.compile == "on" or (cfg.compile == "auto" and device.type == "cuda")


def use_compile_eval(cfg: RunConfig, device: torch.device) -> bool:
    """Evaluation compiles only on CUDA: on a CPU one scoring pass costs less than compiling it (BENCHMARKS.md)."""
    return use_compile(cfg, device) and device.type == "cuda"


def prepare_model(cfg: RunConfig, device: torch.device) -> GPT:
    """Build the model in the baseline's training dtypes.

    On CUDA the baseline casts the whole model to bf16 and then restores the linears and
    the small/control tensors to fp32; the net effect is a bf16 token embedding.
    """
    model = GPT(cfg.model).to(device)
    if device.type == "cuda":
        model.tok_emb.to(torch.bfloat16)
    return model


def compile_model(model: nn.Module, on: bool) -> nn.Module:
    return torch.compile(model, dynamic=False, fullgraph=True) if on else model


def model_from_artifact(path: str | Path, cfg: RunConfig | None = None, device: torch.device | None = None,
                        max_params: int = DEFAULT_MAX_PARAMS) -> tuple[RunConfig, GPT]:
    """A fresh model holding an artifact's (or checkpoint's) dequantized weights, and its config.

    Config, model size and tensor table are checked before the model is built (golfkit/limits.py).
    """
    art, cfg, model = limits.load_for_model(path, lambda c: prepare_model(c, device or torch.device("cpu")), cfg,
                                            max_params)
    try:
        model.load_state_dict(dequantize(art.tensors), strict=True)
    except RuntimeError as e:
        raise GolfkitError(f"artifact {path} does not match its model config: {str(e).splitlines()[0]}") from None
    return cfg, model


def evaluate_artifact(path: Path, cfg: RunConfig, ctx: dist.DistContext, val_tokens, luts: ByteLUTs,
                      max_params: int = DEFAULT_MAX_PARAMS) -> EvalResult:
    """Rebuild a fresh model from the artifact on disk and score it (`golfkit eval` uses this too)."""
    _, model = model_from_artifact(path, cfg, ctx.device, max_params)
    eval_model = compile_model(model, use_compile_eval(cfg, ctx.device))
    return evaluate_flat(eval_model, val_tokens, luts, cfg.schedule.train_seq_len, cfg.eval.batch_tokens, ctx)
