"""Seed-LoRA: weight matrices regenerated from integer seeds, plus stored low-rank adapters.

Sources: the challenge README's wish list ("adapters on random linear maps"); PR #1113
(orthogonal random maps + rank-32 LoRA, 1.3705, non-record); NR 04-30 (random maps + rank-160
adapters, 12L 3x MLP, 1.1971 sliding); PR #1783 "Seed-LoRA" (FastFood maps, no results).

A targeted linear (e.g. every block's `mlp.fc`) becomes W = W_rand(seed) + B A:

* W_rand is a *non-persistent* buffer, generated in `__init__` on the CPU from a
  `torch.Generator` seeded with the module's own seed, so it is bit-identical on every
  load (same torch version; the orthogonal map also goes through CPU LAPACK QR) and never
  enters the state dict, hence never the artifact;
* the seed itself is a persistent int64 buffer: the artifact stores seeds and adapters.
  Loading a state dict with a different seed regenerates W_rand from it;
* B is zero-init (W = W_rand at init); A ~ N(0, 1/in). Both are trained with Muon.

Structured maps: "gaussian" = N(0, 1/in) (variance preserving); "orthogonal" = QR of a
Gaussian, scaled by sqrt(max(out, in)/in) (PR #1113's orthogonal maps). FastFood (PR #1783)
is left undone: it saves the O(n^2) generation, not artifact bytes.

The module subclasses CastedLinear and exposes `weight` as a read-only property (the
effective matrix), so QAT weight transforms and TTT adapters keep working; code that
*writes* `.weight` (e.g. a GPTQ that stores dequantized weights back) must skip it.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model.base import CastedLinear, claim

# Seeds are derived from (base seed, block, target) so two matrices never share one.
_SEED_STRIDE = 1009


def random_map(out_features: int, in_features: int, seed: int, kind: str) -> Tensor:
    """The regenerated matrix: deterministic CPU fp32 from `seed`."""
    g = torch.Generator(device="cpu").manual_seed(int(seed))
    w = torch.randn(out_features, in_features, generator=g, dtype=torch.float32)
    if kind == "gaussian":
        return w / in_features**0.5
    if kind == "orthogonal":
        tall = w if out_features >= in_features else w.t()
        q, r = torch.linalg.qr(tall)
        q = q * torch.sign(torch.diagonal(r))[None, :]  # unique Q (Mezzadri's sign fix)
        q = q if out_features >= in_features else q.t()
        return q * (max(out_features, in_features) / in_features) ** 0.5
    raise GolfkitError(f"model.seed_lora_init must be 'gaussian' or 'orthogonal', got {kind!r}")


class SeedLoRALinear(CastedLinear):
    """CastedLinear whose weight is W_rand(seed) + B A; only seed, A and B are state."""

    def __init__(self, in_features: int, out_features: int, rank: int, seed: int, kind: str):
        super().__init__(in_features, out_features)
        del self.weight  # the dense parameter is not stored: `weight` is the property below
        self.optim_groups.pop("weight", None)
        self.kind = kind
        self.register_buffer("seed", torch.tensor([seed], dtype=torch.int64))
        self.register_buffer("w_rand", random_map(out_features, in_features, seed, kind), persistent=False)
        self.A = nn.Parameter(torch.randn(rank, in_features) / in_features**0.5)
        self.B = nn.Parameter(torch.zeros(out_features, rank))
        claim(self, A="matrix", B="matrix")

    @property
    def weight(self) -> Tensor:  # type: ignore[override]
        return self.w_rand + self.B @ self.A

    def regenerate(self) -> None:
        """Rebuild W_rand from the seed buffer (on the buffer's device)."""
        w = random_map(self.out_features, self.in_features, int(self.seed.item()), self.kind)
        self.w_rand = w.to(self.seed.device)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        old = int(self.seed.item())
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        if int(self.seed.item()) != old:  # an artifact from another seed: its matrices, not ours
            self.regenerate()

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, rank={self.A.shape[0]}, seed={int(self.seed.item())}, kind={self.kind}"


def convert_linears(blocks: nn.ModuleList, cfg: ModelConfig) -> list[str]:
    """Replace each block's targeted linears (dotted names such as "mlp.fc") by SeedLoRALinear."""
    if cfg.seed_lora_rank < 1:
        raise GolfkitError(f"model.seed_lora_rank must be >= 1 with seed_lora_targets, got {cfg.seed_lora_rank}")
    done = []
    for i, block in enumerate(blocks):
        for t, target in enumerate(cfg.seed_lora_targets):
            parent_name, _, leaf = target.rpartition(".")
            try:
                parent = block.get_submodule(parent_name) if parent_name else block
                old = getattr(parent, leaf)
            except AttributeError:
                raise GolfkitError(f"model.seed_lora_targets: block {i} has no linear {target!r}") from None
            if not isinstance(old, CastedLinear):
                raise GolfkitError(f"model.seed_lora_targets: {target!r} is not a linear layer")
            seed = cfg.seed_lora_seed * _SEED_STRIDE**2 + i * _SEED_STRIDE + t
            setattr(parent, leaf, SeedLoRALinear(old.in_features, old.out_features, cfg.seed_lora_rank,
                                                 seed, cfg.seed_lora_init))
            done.append(f"{i}.{target}")
    return done


def regenerated_numel(model: nn.Module) -> int:
    """Elements of all regenerated matrices (what the artifact does not store)."""
    return sum(m.w_rand.numel() for m in model.modules() if isinstance(m, SeedLoRALinear))
