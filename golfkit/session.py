"""The training session: everything the loop needs, built once (golfkit/train.py), and the hook types.

Techniques that act during training extend the loop only through the hook lists; each module
that adds hooks does so in an `install_hooks(sess)` (the list of them: golfkit.train.TRAINING_HOOKS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import torch
from torch import nn

from golfkit import dist
from golfkit.config import RunConfig
from golfkit.data import ByteLUTs, Dataset
from golfkit.runlog import RunLog

if TYPE_CHECKING:
    from golfkit.model import GPT

# step hooks run after every optimizer step as fn(sess, step, frac), frac = training progress in [0, 1];
# final hooks run once after the loop, before export, as fn(sess) (e.g. swap in EMA weights);
# prime hooks run before each compile-priming step i of n, and once more with i = n, as fn(sess, i, n).
StepHook = Callable[["Session", int, float], None]
FinalHook = Callable[["Session"], None]
PrimeHook = Callable[["Session", int, int], None]


@dataclass
class Session:
    """Everything the loop needs, built once."""

    cfg: RunConfig
    ctx: dist.DistContext
    log: RunLog
    ds: Dataset
    luts: ByteLUTs
    val_tokens: torch.Tensor
    base: GPT  # the plain module (weights live here)
    model: nn.Module  # what training calls: compiled and/or DDP-wrapped
    eval_model: nn.Module  # compiled, not DDP-wrapped
    optimizers: list[torch.optim.Optimizer]
    accum: int  # micro-steps per rank per optimizer step
    # Extension points for techniques (EMA, loop activation, late QAT, ...): see the hook types above.
    step_hooks: list[StepHook] = field(default_factory=list)
    final_hooks: list[FinalHook] = field(default_factory=list)
    prime_hooks: list[PrimeHook] = field(default_factory=list)
