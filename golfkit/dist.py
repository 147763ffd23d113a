"""torch.distributed setup from torchrun's environment, and small collective helpers.

This is the only module that reads environment variables, and it reads only
torchrun's (RANK, WORLD_SIZE, LOCAL_RANK). A plain `python -m golfkit train` is a
world of one; `torchrun --nproc_per_node=N -m golfkit train ...` is N ranks, NCCL on
CUDA and gloo on CPU.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist

from golfkit.errors import GolfkitError


@dataclass
class DistContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def distributed(self) -> bool:
        return self.world_size > 1 or dist.is_initialized()

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def resolve_device(kind: str, local_rank: int = 0) -> torch.device:
    if kind == "cuda" or (kind == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise GolfkitError("device=cuda requested but CUDA is not available (set device=cpu or auto)")
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def _env_int(var: str, default: str) -> int:
    """torchrun's variable `var` as a non-negative int (ASCII digits; a hand-set RANK=abc is one line, not a traceback)."""
    raw = os.environ.get(var, default)
    if not (raw.isascii() and raw.strip().isdigit()) or len(raw) > 9:
        raise GolfkitError(f"environment variable {var}={raw!r:.40} is not a non-negative integer (torchrun sets it)")
    return int(raw)


def init(device_kind: str = "auto") -> DistContext:
    """Read torchrun's env; initialise the process group when launched by torchrun."""
    launched = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    rank, world, local = (_env_int(v, d) for v, d in (("RANK", "0"), ("WORLD_SIZE", "1"), ("LOCAL_RANK", "0")))
    if world < 1 or not rank < world:
        raise GolfkitError(f"torchrun's environment: RANK={rank} and WORLD_SIZE={world} need 0 <= RANK < WORLD_SIZE")
    device = resolve_device(device_kind, local)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if launched and not dist.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        kwargs = {"device_id": device} if device.type == "cuda" else {}
        dist.init_process_group(backend=backend, **kwargs)
    return DistContext(rank, world, local, device)


def shutdown() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def all_reduce_sum(t: torch.Tensor) -> torch.Tensor:
    """In-place sum across ranks (no-op in a world of one)."""
    if dist.is_available() and dist.is_initialized():
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return t


def all_reduce_max_flag(flag: bool, device: torch.device) -> bool:
    """True on every rank if it is true on any rank (the wall-clock stop must agree)."""
    if not (dist.is_available() and dist.is_initialized()):
        return flag
    t = torch.tensor(int(flag), device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def sync(device: torch.device) -> None:
    """Wait for queued CUDA work, so wall-clock timings measure the work itself (no-op on CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize()


def barrier() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
