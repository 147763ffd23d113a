"""Weight averaging: EMA, SWA and LAWA, swapped into the model before export.

One switch, `optim.weight_averaging` (none | ema | swa | lawa), so exactly one averaged
state is ever collected and that one is exported. (In the rec 03-22...03-25 lineage SWA
snapshots were collected but only EMA was applied, and the logs did not say so. Here the log
says which state was exported, and how many updates or snapshots it holds.)

* EMA (rec 03-20 XSA4, PR #287): `shadow <- d*shadow + (1-d)*w` after every optimizer
  step, in an fp32 shadow initialised from the initial weights. d = 0.997 (0.9965 from PR #1445).
* SWA (rec 03-20; PR #401): the uniform mean of snapshots taken every `swa_every` steps
  while the LR scale is below `swa_lr_scale_below` (0.5, later 0.2), or during the last
  `swa_last_frac` of training (thwu1: 0.4).
* LAWA (PR #675): the uniform mean of the last `lawa_k` snapshots taken every `lawa_every` steps.

Mechanics: `install_hooks(sess)` adds a step hook (collect) and a final hook (swap in) to the
Session (train.py runs final hooks after the loop, then re-validates, then exports). Only
parameters are averaged (buffers are not trained). Every rank holds the same weights, so
every rank computes the same average: no communication.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

from golfkit.config import OptimConfig

if TYPE_CHECKING:  # the Session type is for annotations only
    from golfkit.session import Session


def _params(model: nn.Module) -> dict[str, Tensor]:
    return dict(model.named_parameters())  # tied weights appear once


def _fp32_copy(model: nn.Module) -> dict[str, Tensor]:
    return {k: p.detach().float().clone() for k, p in _params(model).items()}


def current_lr_scale(sess: "Session") -> float:
    """The LR scale of the step just taken, read back from the optimizers (lr / base_lr)."""
    for opt in sess.optimizers:
        for g in opt.param_groups:
            if g.get("base_lr", 0) > 0:
                return g["lr"] / g["base_lr"]
    return 1.0


class Averager:
    """Collects one averaged state; `averaged()` is None when nothing was collected."""

    def __init__(self, model: nn.Module, cfg: OptimConfig):
        self.kind, self.cfg, self.model = cfg.weight_averaging, cfg, model
        self.count = 0  # EMA updates or snapshots in the average
        self.ema: dict[str, Tensor] | None = _fp32_copy(model) if self.kind == "ema" else None
        self.swa_sum: dict[str, Tensor] | None = None
        self.lawa: deque[dict[str, Tensor]] = deque(maxlen=cfg.lawa_k)

    # -- collection (a step hook) ------------------------------------------------------
    @torch.no_grad()
    def update(self, sess: "Session", step: int, frac: float) -> None:
        c = self.cfg
        if self.kind == "ema":
            assert self.ema is not None
            params = _params(self.model)
            shadow = [self.ema[k] for k in params]
            torch._foreach_lerp_(shadow, [p.detach().float() for p in params.values()], 1.0 - c.ema_decay)
            self.count += 1
        elif self.kind == "swa" and step % c.swa_every == 0:
            late = c.swa_last_frac > 0 and frac >= 1.0 - c.swa_last_frac
            if current_lr_scale(sess) < c.swa_lr_scale_below or late:
                self._swa_add()
        elif self.kind == "lawa" and step % c.lawa_every == 0:
            self.lawa.append(_fp32_copy(self.model))
            self.count = len(self.lawa)

    def _swa_add(self) -> None:
        if self.swa_sum is None:
            self.swa_sum = _fp32_copy(self.model)
        else:
            for k, p in _params(self.model).items():
                self.swa_sum[k].add_(p.detach().float())
        self.count += 1

    def averaged(self) -> dict[str, Tensor] | None:
        if self.kind == "ema":
            return self.ema
        if self.kind == "swa" and self.swa_sum is not None:
            return {k: v / self.count for k, v in self.swa_sum.items()}
        if self.kind == "lawa" and self.lawa:
            return {k: torch.stack([s[k] for s in self.lawa]).mean(0) for k in self.lawa[0]}
        return None

    def describe(self) -> str:
        c = self.cfg
        return {"ema": f"decay={c.ema_decay} updates={self.count}",
                "swa": f"every={c.swa_every} lr_scale_below={c.swa_lr_scale_below} last_frac={c.swa_last_frac} "
                       f"snapshots={self.count}",
                "lawa": f"k={c.lawa_k} every={c.lawa_every} snapshots={self.count}"}.get(self.kind, "")

    # -- export (a final hook) -----------------------------------------------------------
    @torch.no_grad()
    def apply(self, sess: "Session") -> None:
        """Copy the averaged weights into the model, and say so in the log (which state was exported)."""
        avg = self.averaged()
        if avg is None:
            sess.log.line(f"weight_averaging:{self.kind} collected nothing ({self.describe()}); "
                          f"exported:raw final weights")
            sess.log.metric(kind="averaging", weight_averaging=self.kind, exported="raw", count=0)
            return
        for k, p in _params(self.model).items():
            p.copy_(avg[k].to(p.dtype))
        sess.log.line(f"weight_averaging:{self.kind} {self.describe()} exported:{self.kind} weights")
        sess.log.metric(kind="averaging", weight_averaging=self.kind, exported=self.kind, count=self.count)


def install_hooks(sess: "Session") -> Averager | None:
    """Hook the configured averaging into the session; None (and no hooks) when it is off."""
    cfg = sess.cfg.optim
    if cfg.weight_averaging == "none":
        return None
    avg = Averager(sess.base, cfg)
    sess.step_hooks.append(avg.update)
    sess.final_hooks.append(avg.apply)
    sess.log.line(f"weight_averaging:{avg.kind} {avg.describe()}")
    return avg
