"""Depth recurrence: a band of physical blocks re-run `num_loops` more times.

Sources:

* "mini" recurrence, PR #1204 (@msisovic) -> rec 03-31 / 04-05 / 04-09, PR #1290: blocks
  loop_start..loop_end are visited 1 + num_loops times; the *virtual* layer list drives the
  U-Net skip pairing (`GPT.hidden` splits it in half). Looping is switched on at a fraction
  of training (`enable_looping_at`): cheaper steps early, and the loss spike is smaller.
* full / "middle-cycle" recurrence (PR #325, NR 03-21 = PR #363): stem + core x R + tail is
  the same schedule with a wide band and `enable_looping_at=0` (`middle_cycle_overrides`).
* per-pass LoRA on the looped MLPs (rec 03-31 untied the repeat's MLPs; LoRA is the cheap
  version, as in NR 03-21): each repeat pass p >= 1 gets its own rank-r adapter on mlp.fc and
  mlp.proj, B zero-init so the model at activation equals the plain loop.
* frozen recurrent carry, PR #1779 -> PR #1801: on repeat visits band layer k writes
  `beta_k * f(x) + sum_j alpha_kj * stopgrad(c_j)`, c_j = the latest output of band layer j
  (the previous pass for j >= k, this pass for j < k: the records' `loop_cache`). The PR's
  exact definition of f is not public in our notes; we take f = the whole block output, so
  beta = 1, alpha = 0 is the plain loop (tested). The constants are Python floats, so
  torch.compile folds them, as PR #1801 intended. `recur_carry_source="first_pass"` is PR #1801's own
  code: c_j is band layer j's output on the *first* pass (`carry[i] = x_new.detach()` only then), every
  alpha term is added, in its order beta*f + alpha_k0 c_0 + alpha_k1 c_1 + ... .
* step-based loop start (`enable_looping_at_step`): PR #1290 turns the loop on once `step >=
  RECUR_START_STEP` (3000), before that step runs; golfkit's fraction switch is the wall-clock form.

torch.compile: the schedule is read from `GPT.looping_active`, a plain bool attribute that
Dynamo guards on, so flipping it makes the compiled model retrace once (two cached
variants). tests/test_recurrence.py checks this with a fullgraph eager-backend compile;
`prime_phase` (a prime hook) compiles the looped variant during the compile warm-up so the
retrace is not paid inside the timed run.

GPTQ: a looped linear is *called* once per pass, so forward hooks (golfkit/quant/gptq.py) see
every pass and the Hessian includes them (rec 04-06: "Hessians collected through the loop").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model.base import claim

if TYPE_CHECKING:
    from golfkit.session import Session


# ----------------------------------------------------------------------------------
# schedules
# ----------------------------------------------------------------------------------
def loop_schedule(num_layers: int, loop_start: int, loop_end: int, num_loops: int, active: bool) -> list[int]:
    """Physical block run at each virtual position: [0..s-1] + band x (1+num_loops) + [e+1..L-1]."""
    if not active or num_loops <= 0:
        return list(range(num_layers))
    band = list(range(loop_start, loop_end + 1))
    return list(range(loop_start)) + band * (1 + num_loops) + list(range(loop_end + 1, num_layers))


def visits(schedule: list[int], loop_start: int, loop_end: int) -> list[tuple[int, int]]:
    """(pass index, band-local index) per virtual position; (0, -1) outside the band."""
    seen: dict[int, int] = {}
    out = []
    for layer in schedule:
        p = seen.get(layer, 0)
        seen[layer] = p + 1
        out.append((p, layer - loop_start) if loop_start <= layer <= loop_end else (0, -1))
    return out


def middle_cycle_overrides(stem: int, core: int, tail: int, repeats: int) -> dict[str, Any]:
    """Config overrides for full recurrence stem + core x repeats + tail (NR 03-21: 3x3 beat 2x5)."""
    if min(core, repeats) < 1 or min(stem, tail) < 0:
        raise GolfkitError(f"middle-cycle needs core >= 1, repeats >= 1, stem/tail >= 0; got {stem}/{core}x{repeats}/{tail}")
    return {"model.num_layers": stem + core + tail, "model.loop_start": stem, "model.loop_end": stem + core - 1,
            "model.num_loops": repeats - 1, "model.enable_looping_at": 0.0}


def check_config(cfg: ModelConfig) -> None:
    """User errors of the loop fields, named by key."""
    if cfg.num_loops < 0:
        raise GolfkitError(f"model.num_loops must be >= 0, got {cfg.num_loops}")
    if cfg.num_loops == 0:
        return
    if not 0 <= cfg.loop_start <= cfg.loop_end < cfg.num_layers:
        raise GolfkitError(f"model.loop_start/loop_end={cfg.loop_start}/{cfg.loop_end} must satisfy "
                           f"0 <= start <= end < num_layers={cfg.num_layers}")
    if not 0.0 <= cfg.enable_looping_at <= 1.0:
        raise GolfkitError(f"model.enable_looping_at must be in [0, 1], got {cfg.enable_looping_at}")
    n = cfg.loop_end - cfg.loop_start + 1
    if cfg.recur_carry and (len(cfg.recur_beta) != n or any(len(r) != n for r in cfg.recur_alpha) or len(cfg.recur_alpha) != n):
        raise GolfkitError(f"model.recur_beta must have {n} values and model.recur_alpha be {n}x{n} "
                           f"(one per band layer {cfg.loop_start}..{cfg.loop_end})")


# ----------------------------------------------------------------------------------
# per-pass LoRA
# ----------------------------------------------------------------------------------
class PassLoRA(nn.Module):
    """Per-pass low-rank adapters for one looped linear: dy = B_p A_p x on repeat pass p >= 1.

    Sits in the linear's `adapter` slot (CastedLinear adds its output). `GPT.hidden` sets
    `pass_idx` before each visit; pass 0 (the first visit) adds nothing.
    """

    def __init__(self, in_features: int, out_features: int, rank: int, passes: int):
        super().__init__()
        # A ~ N(0, 1/in) as LoRA; B = 0 so the loop is unchanged at activation.
        self.A = nn.Parameter(torch.randn(passes, rank, in_features) / in_features**0.5)
        self.B = nn.Parameter(torch.zeros(passes, out_features, rank))
        # Adam, not Muon: small factors with a zero-init side (as TTT LoRA); kept fp32 at export.
        claim(self, A="scalar", B="scalar")
        self.pass_idx = 0

    def forward(self, x: Tensor) -> Tensor:
        p = self.pass_idx
        if p == 0:
            return torch.zeros((), dtype=x.dtype, device=x.device)
        a, b = self.A[p - 1].to(x.dtype), self.B[p - 1].to(x.dtype)
        return (x @ a.t()) @ b.t()


def install_pass_lora(blocks: nn.ModuleList, cfg: ModelConfig) -> list[PassLoRA]:
    """Put a PassLoRA in the adapter slot of mlp.fc and mlp.proj of every band block."""
    out = []
    for layer in range(cfg.loop_start, cfg.loop_end + 1):
        mlp = blocks[layer].mlp
        for lin in (mlp.fc, mlp.proj):
            ad = PassLoRA(lin.in_features, lin.out_features, cfg.loop_lora_rank, cfg.num_loops)
            lin.adapter = ad
            out.append(ad)
    return out


# ----------------------------------------------------------------------------------
# the band at run time
# ----------------------------------------------------------------------------------
class LoopBand:
    """Schedule, per-pass adapters and frozen carry of one loop band (plain object: no params of its own)."""

    def __init__(self, cfg: ModelConfig, blocks: nn.ModuleList):
        check_config(cfg)
        self.cfg = cfg
        self.adapters = install_pass_lora(blocks, cfg) if cfg.loop_lora_rank > 0 else []
        # Python floats: compile-time constants (PR #1801 froze them for exactly this reason)
        self.beta = [float(b) for b in cfg.recur_beta] if cfg.recur_carry else None
        self.alpha = [[float(a) for a in row] for row in cfg.recur_alpha] if cfg.recur_carry else None
        self.first_pass = cfg.recur_carry_source == "first_pass"

    def schedule(self, active: bool) -> list[int]:
        c = self.cfg
        return loop_schedule(c.num_layers, c.loop_start, c.loop_end, c.num_loops, active)

    def visits(self, schedule: list[int]) -> list[tuple[int, int]]:
        return visits(schedule, self.cfg.loop_start, self.cfg.loop_end)

    def set_pass(self, layer: int, p: int) -> None:
        """Select pass p's adapters on this layer's MLP (a no-op without per-pass LoRA)."""
        if not self.adapters or not self.cfg.loop_start <= layer <= self.cfg.loop_end:
            return
        k = 2 * (layer - self.cfg.loop_start)
        self.adapters[k].pass_idx = p
        self.adapters[k + 1].pass_idx = p

    def carry(self, local: int, p: int, out: Tensor, cache: dict[int, Tensor]) -> Tensor:
        """Apply the frozen carry on a repeat visit, then record this layer's latest output
        (first_pass: record it on pass 0 only, and mix every band layer's first-pass output)."""
        if self.beta is not None and self.first_pass:
            if p == 0:
                cache[local] = out.detach()
                return out
            mixed = self.beta[local] * out
            for j, a in enumerate(self.alpha[local]):
                mixed = mixed + a * cache[j]
            return mixed
        if self.beta is not None and p > 0:
            mixed = self.beta[local] * out
            for j, a in enumerate(self.alpha[local]):
                if a != 0.0:
                    mixed = mixed + a * cache[j].detach()
            out = mixed
        if self.beta is not None:
            cache[local] = out
        return out

    def keep_in_graph(self, x: Tensor) -> Tensor:
        """x + 0 * sum(adapter params): before activation DDP must still see a grad for every param."""
        if not self.adapters:
            return x
        z = sum(ad.A.sum() + ad.B.sum() for ad in self.adapters)
        return x + 0.0 * z.to(x.dtype)


# ----------------------------------------------------------------------------------
# training-loop integration
# ----------------------------------------------------------------------------------
def needs_activation(cfg: ModelConfig) -> bool:
    return cfg.num_loops > 0 and (cfg.enable_looping_at > 0.0 or cfg.enable_looping_at_step > 0)


def install_hooks(sess: "Session") -> None:
    """Start training unlooped and switch the loop on at `enable_looping_at` (a step hook), or after
    `enable_looping_at_step` steps when that is set.

    A freshly built GPT (e.g. reloaded from the artifact) is looped, as the trained model is;
    the final hook makes sure a run that stopped before the switch is scored the same way, and
    the prime hook compiles both graphs during the compile warm-up.
    """
    cfg = sess.cfg.model
    if not needs_activation(cfg):
        return
    sess.base.looping_active = False

    def activate(s: "Session", why: str) -> None:
        s.base.looping_active = True
        s.log.line(f"looping:enabled {why} schedule:{s.base.layer_schedule()}")

    at_step = cfg.enable_looping_at_step

    def step_hook(s: "Session", step: int, frac: float) -> None:
        # `step` steps are done; the next one runs looped (PR #1290: `step >= RECUR_START_STEP` before the step)
        if not s.base.looping_active and (step >= at_step if at_step > 0 else frac >= cfg.enable_looping_at):
            activate(s, f"step:{step} frac:{frac:.3f}")

    def final_hook(s: "Session") -> None:
        if not s.base.looping_active:
            activate(s, "at_end (the run ended before enable_looping_at; the artifact is scored looped)")

    sess.prime_hooks.append(prime_phase)
    sess.step_hooks.append(step_hook)
    sess.final_hooks.append(final_hook)


def prime_phase(sess: "Session", i: int, n: int) -> None:
    """During compile warm-up step i of n: run the second half looped so both graphs get compiled."""
    if needs_activation(sess.cfg.model):
        sess.base.looping_active = n // 2 <= i < n
