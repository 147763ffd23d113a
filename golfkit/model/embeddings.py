"""Token-side switches: BigramHash, SmearGate (v1 and v2), value embeddings.

Sources, one line each:

* BigramHash embedding: PR #162 (@raahilshah) -> rec 03-19_smeargate (4096x128), later 2048..10240 buckets;
  hash of later code: (36313*cur XOR 27191*prev) mod (B-1), position 0 -> bucket B-1;
* SmearGate v1: PR #65 lineage -> rec 03-19_smeargate, PR #1290, swapp1990#2: a per-dimension sigmoid blend
  with the previous position after the norm (s = 0.5 at init, not identity); swapp1990#2 never trains it;
* SmearGate v2: PR #1667 -> rec 04-16 (modded-nanogpt style); BOS mask: PR #1851 (without it the
  last token of one document leaks into the next document's first position); on the raw embedding
  before the norm: PR #1797 -> PR #1855, #2135 (which ran without the BOS mask);
* value embeddings (VE128): PR #374 -> rec 03-22 (`VE_DIM=128 VE_LAYERS=9,10`).
* `model.frontend_proj_optim="adam"`: PR #1290 trains the BigramHash and VE projections with the scalar
  AdamW; `model.ve_proj_init="orthogonal"`: its init re-initialises the VE projection orthogonally.

`TokenFrontend` owns the ones that are on and is called by GPT.embed(); with every switch
off GPT has no frontend (golfkit.model.gpt.TECHNIQUES) and the embedding path is exactly the baseline's.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.base import CastedLinear, claim


def bigram_hash(ids: Tensor, buckets: int) -> Tensor:
    """Bucket of each (prev, cur) pair; position 0 (no previous token) -> buckets - 1."""
    cur, prev = ids[..., 1:].long(), ids[..., :-1].long()
    h = torch.bitwise_xor(36313 * cur, 27191 * prev) % (buckets - 1)
    return torch.cat((torch.full_like(ids[..., :1], buckets - 1, dtype=torch.long), h), dim=-1)


class BigramHash(nn.Module):
    """x += scale * proj(table[hash(prev, cur)]); identity at init because the table is zero.

    Deviation from the table's "zero-init table *and* projection": with both zero neither
    gets a gradient (d table = proj^T g = 0, d proj = g table^T = 0), so they stay zero forever
    (tests/test_switches.py shows it). In the records' code the projection is re-initialized
    orthogonally by the model's init (it carries no `_zero_init` flag), so only the table is
    effectively zero; we keep the projection at its default init for the same reason.
    Routing as the records: table -> "embed" (tok_emb's Adam), proj -> "matrix" (Muon; "matrix_adam"
    under frontend_proj_optim="adam"), scale -> "scalar".
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.buckets = cfg.bigram_buckets
        self.table = nn.Parameter(torch.zeros(cfg.bigram_buckets, cfg.bigram_dim))
        self.proj = CastedLinear(cfg.bigram_dim, cfg.model_dim, proj_group(cfg))
        self.scale = nn.Parameter(torch.tensor(0.05, dtype=torch.float32))
        claim(self, table="embed", scale="scalar")

    def forward(self, ids: Tensor, dtype: torch.dtype) -> Tensor:
        e = F.embedding(bigram_hash(ids, self.buckets), self.table).to(dtype)
        return self.scale.to(dtype) * self.proj(e)


def proj_group(cfg: ModelConfig) -> str:
    """Optimizer group of the BigramHash / VE projections: Muon, or the scalar AdamW (PR #1290)."""
    return "matrix_adam" if cfg.frontend_proj_optim == "adam" else "matrix"


class SmearGate(nn.Module):
    """x_t <- x_t + lambda * sigmoid(W x_t[:w]) * x_{t-1} * [token_t != BOS] for t >= 1; W: w -> 1 zero, lambda 0.

    Identity at init. The BOS mask stops the last token of document N from leaking into
    document N+1's first position (PR #1851; `model.smear_bos_mask=false` drops it, as PR #2135 ran).
    Computed as the records write it (PR #1855's `_forward_hidden`): the gate reads x[:, 1:], position 0
    is copied. Both tensors are control tensors -> "scalar".
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.window, self.bos, self.mask_bos = cfg.gate_window, cfg.bos_id, cfg.smear_bos_mask
        self.weight = nn.Parameter(torch.zeros(1, cfg.gate_window))
        self.lam = nn.Parameter(torch.zeros((), dtype=torch.float32))
        claim(self, weight="scalar", lam="scalar")

    def forward(self, x: Tensor, ids: Tensor) -> Tensor:
        g = self.lam.to(x.dtype) * torch.sigmoid(F.linear(x[:, 1:, : self.window].contiguous(), self.weight.to(x.dtype)))
        prev = g * x[:, :-1]  # (B, T-1, D): x_{t-1} gated, for t >= 1
        if self.mask_bos:
            prev = prev * (ids[:, 1:] != self.bos).to(x.dtype).unsqueeze(-1)
        return torch.cat([x[:, :1], x[:, 1:] + prev], dim=1)


class SmearGateV1(nn.Module):
    """x <- (1 - s) * x + s * x_prev, s = sigmoid(gate) per dimension, x_prev = 0 at t = 0; gate init 0.

    Not identity at init (s = 0.5), as in the records that use it (PR #1290, swapp1990#2); no BOS mask.
    `model.smear_v1`: "learned" -> the scalar AdamW (PR #1290); "frozen" -> no optimizer and no gradient,
    so s stays sigmoid(gate) (swapp1990#2 lists it in no optimizer: 0.5 for the whole run).
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.frozen = cfg.smear_v1 == "frozen"
        self.gate = nn.Parameter(torch.zeros(cfg.model_dim, dtype=torch.float32), requires_grad=not self.frozen)
        claim(self, gate="frozen" if self.frozen else "scalar")

    def forward(self, x: Tensor, ids: Tensor) -> Tensor:
        gate = self.gate.detach() if self.frozen else self.gate
        g = torch.sigmoid(gate.to(dtype=x.dtype))[None, None, :]
        x_prev = torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)
        return (1 - g) * x + g * x_prev


class ValueEmbedding(nn.Module):
    """Shared vocab -> ve_dim table, zero-init projection to kv_dim, scale (init 0.1).

    The per-layer scales live in each chosen layer's attention (AttentionSwitches.ve_scale).
    Table init N(0, 0.01) so the zero projection gets a gradient (identity at init via proj).
    Routing: table -> "embed", proj -> "matrix" (Muon; "matrix_adam" under frontend_proj_optim="adam"),
    scale -> "scalar". `model.ve_proj_init="orthogonal"`: GPT.reset_parameters re-initialises the projection.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        kv_dim = cfg.num_kv_heads * (cfg.model_dim // cfg.num_heads)
        self.table = nn.Parameter(torch.randn(cfg.vocab_size, cfg.ve_dim) * 0.01)
        self.proj = CastedLinear(cfg.ve_dim, kv_dim, proj_group(cfg), zero_init=True)
        self.scale = nn.Parameter(torch.tensor(0.1, dtype=torch.float32))
        claim(self, table="embed", scale="scalar")

    def forward(self, ids: Tensor, dtype: torch.dtype) -> Tensor:
        return self.scale.to(dtype) * self.proj(F.embedding(ids, self.table).to(dtype))


class TokenFrontend(nn.Module):
    """The token-side switches that are on, applied in GPT.embed()."""

    def __init__(self, cfg: ModelConfig, fctx):
        super().__init__()
        self.fctx = fctx
        self.bigram = BigramHash(cfg) if cfg.bigram_buckets > 0 else None
        self.smear = SmearGate(cfg) if cfg.smear_gate else SmearGateV1(cfg) if cfg.smear_v1 != "off" else None
        self.smear_before_norm = cfg.smear_before_norm
        self.ve = ValueEmbedding(cfg) if cfg.ve_dim > 0 else None

    def forward(self, tok: Tensor, ids: Tensor) -> Tensor:
        """tok = the raw token embedding (B, T, D); returns the normed x0.

        Order: tok (+ bigram) -> RMSNorm -> smear (rec 03-19 and PR #1290 put the bigram before the
        norm; the smear then mixes normed vectors, so its gate sees unit-RMS inputs). With
        smear_before_norm the smear acts on tok (+ bigram) before the norm (PR #1855, #2135).
        """
        self.fctx.input_ids = ids
        if self.bigram is not None:
            tok = tok + self.bigram(ids, tok.dtype)
        if self.smear is not None and self.smear_before_norm:
            tok = self.smear(tok, ids)
        x = F.rms_norm(tok, (tok.size(-1),))
        if self.smear is not None and not self.smear_before_norm:
            x = self.smear(x, ids)
        self.fctx.ve = self.ve(ids, x.dtype) if self.ve is not None else None
        return x
