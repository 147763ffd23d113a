"""Per-batch-element LoRA adapters for test-time training, attached through the model's own hooks.

Per-document LoRA TTT (rec 03-17_LoRA_TTT by @samacqua; descendants rec 04-10, PR #1767)
gives every document of a batch its own adapter: dy_b = s * B_b A_b x_b,
A_b in R^{r x in} (init U(+-1/sqrt(in))), B_b in R^{out x r} (init 0, so the model starts
unchanged), s = alpha / r (PR #1767) or 1 when alpha = 0 (v1). eval.lora.init=normal draws both
from small normals instead (swapp1990#2), so a document starts near, not at, the unadapted model.

The adapters plug into `CastedLinear.adapter` and `GPT.head_adapter`, the hooks the
training forward already runs through: there is no second forward path that could miss a
feature (a TTT forward that mirrored the block logic but missed a gate cost rec 04-23 1.908 bpb).

Targets: q, k, v = attn.c_q/c_k/c_v; o = attn.proj; mlp = mlp.proj (hidden -> d; the records
feed their MLP adapter from the block's normed input instead); head = the LM head. Adapters
sit on physical blocks (one set per virtual slot under looping is not done here).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from golfkit.errors import GolfkitError

SITES = {
    "q": lambda blk: blk.attn.c_q,
    "k": lambda blk: blk.attn.c_k,
    "v": lambda blk: blk.attn.c_v,
    "o": lambda blk: blk.attn.proj,
    "mlp": lambda blk: blk.mlp.proj,
}


class BatchedLoRA(nn.Module):
    """Low-rank parallel path with one (A, B) pair per batch row; `rows` selects the active rows."""

    def __init__(self, batch: int, in_features: int, out_features: int, rank: int, alpha: float):
        super().__init__()
        self.A = nn.Parameter(torch.empty(batch, rank, in_features))
        self.B = nn.Parameter(torch.zeros(batch, out_features, rank))
        self.scale = alpha / rank if alpha > 0 else 1.0
        self.rows: Tensor | None = None  # indices into the batch dimension; None = all rows
        self.reset(reset_a=True)

    @torch.no_grad()
    def reset(self, reset_a: bool) -> None:
        """B = 0 (the model is unchanged); A re-drawn unless warm-started (PR #1767 keeps A)."""
        if reset_a:
            bound = 1.0 / math.sqrt(self.A.size(-1))
            self.A.uniform_(-bound, bound)
        self.B.zero_()

    def forward(self, x: Tensor) -> Tensor:
        A, B = (self.A, self.B) if self.rows is None else (self.A[self.rows], self.B[self.rows])
        if x.dim() != 3 or x.size(0) != A.size(0):
            raise ValueError(f"BatchedLoRA expects (B={A.size(0)}, T, D) inputs, got {tuple(x.shape)}")
        h = torch.bmm(x, A.transpose(1, 2).to(x.dtype))  # (B, T, r)
        return torch.bmm(h, B.transpose(1, 2).to(x.dtype)) * self.scale  # (B, T, out)


def check_adapter_memory(model: nn.Module, targets: list[str], batch: int, rank: int, dev: torch.device) -> int:
    """Refuse adapters whose fp32 A and B alone exceed the device's memory, before any is allocated; returns bytes.

    eval.lora.rank and eval.lora.batch_docs are in range up to 65,536 and without bound: rank 65,536 or
    batch_docs 10**12 was a MemoryError traceback in torch.empty (a lower bound: gradients and Adam state
    come on top).
    """
    per_row = sum(SITES[t](blk).in_features + SITES[t](blk).out_features for blk in model.blocks for t in targets
                  if t != "head")
    if "head" in targets:
        per_row += model.cfg.model_dim + model.cfg.vocab_size
    need = 4 * batch * rank * per_row
    if dev.type == "cuda":
        memory = torch.cuda.get_device_properties(dev).total_memory
    else:
        import os

        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if need > memory:
        raise GolfkitError(f"eval.lora adapters for {batch:,} documents at rank {rank:,} hold at least "
                           f"{need / 2**30:,.1f} GiB of fp32 weights (eval.lora.batch_docs x rank x the targets' "
                           f"widths), more than this device's {memory / 2**30:,.1f} GiB; lower eval.lora.batch_docs "
                           f"or eval.lora.rank")
    return need


class LoRASet:
    """The adapters of one TTT run: attach to the hooks, select rows, reset, detach.

    `init` (eval.lora.init, init_std_a, init_std_b): "uniform_zero" or ("normal", std_a, std_b)."""

    def __init__(self, model: nn.Module, targets: list[str], batch: int, rank: int, alpha: float,
                 init: tuple = ("uniform_zero", 0.0, 0.0)):
        self.model, self.init = model, init
        self.sites: list[tuple[nn.Module, str, BatchedLoRA]] = []
        dev = next(model.parameters()).device
        check_adapter_memory(model, targets, batch, rank, dev)
        for blk in model.blocks:
            for t in targets:
                if t != "head":
                    lin = SITES[t](blk)
                    self.sites.append((lin, "adapter", BatchedLoRA(batch, lin.in_features, lin.out_features, rank, alpha).to(dev)))
        if "head" in targets:
            D, V = model.cfg.model_dim, model.cfg.vocab_size
            self.sites.append((model, "head_adapter", BatchedLoRA(batch, D, V, rank, alpha).to(dev)))

    def adapters(self) -> list[BatchedLoRA]:
        return [a for _, _, a in self.sites]

    def parameters(self) -> list[nn.Parameter]:
        return [p for a in self.adapters() for p in (a.A, a.B)]

    def attach(self) -> None:
        for owner, attr, ad in self.sites:
            if getattr(owner, attr) is not None:
                # e.g. a looped MLP whose slot holds the per-pass LoRA of golfkit/model/recurrence.py
                raise GolfkitError(f"TTT LoRA cannot attach to {type(owner).__name__}.{attr}: the slot already holds "
                                   f"an adapter (per-pass loop LoRA?); drop that target from eval.lora")
            setattr(owner, attr, ad)

    def detach(self) -> None:
        for owner, attr, _ in self.sites:
            setattr(owner, attr, None)

    def select(self, rows: Tensor | None) -> None:
        for ad in self.adapters():
            ad.rows = rows

    @torch.no_grad()
    def reset(self, docs: list[int], reset_a: bool = True) -> None:
        """Fresh adapters for a new batch, drawn from a seed of (document id, site): uniform_zero gives
        A ~ U(+-1/sqrt(in)) and B = 0; normal gives A ~ N(0, std_a^2) and B ~ N(0, std_b^2) (swapp1990#2).

        Seeding by document, not by batch slot or RNG state, keeps a document's score independent
        of which documents share its batch or come before it in the queue (the causality test).
        """
        kind, std_a, std_b = self.init
        for i, ad in enumerate(self.adapters()):
            ad.B.zero_()
            if not reset_a:
                continue
            bound = 1.0 / math.sqrt(ad.A.size(-1))
            for r, d in enumerate(docs):
                g = torch.Generator().manual_seed(1_000_003 * d + i)
                if kind == "normal":
                    ad.A[r].copy_((torch.randn(ad.A.shape[1:], generator=g) * std_a).to(ad.A.device))
                    ad.B[r].copy_((torch.randn(ad.B.shape[1:], generator=g) * std_b).to(ad.B.device))
                    continue
                a = torch.rand(ad.A.shape[1:], generator=g) * (2 * bound) - bound
                ad.A[r].copy_(a.to(ad.A.device))
