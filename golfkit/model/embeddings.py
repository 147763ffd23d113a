"""Token-side switches: BigramHash, SmearGate v2, value embeddings.

Sources, one line each:

* BigramHash embedding: PR #162 (@raahilshah) -> rec 03-19_smeargate (4096x128), later 2048..10240 buckets;
  hash of later code: (36313*cur XOR 27191*prev) mod (B-1), position 0 -> bucket B-1;
* SmearGate v2: PR #1667 -> rec 04-16 (modded-nanogpt style); BOS mask: PR #1851 (without it the
  last token of one document leaks into the next document's first position);
* value embeddings (VE128): PR #374 -> rec 03-22 (`VE_DIM=128 VE_LAYERS=9,10`).

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
    Routing as the records: table -> "embed" (tok_emb's Adam), proj -> "matrix" (Muon),
    scale -> "scalar".
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.buckets = cfg.bigram_buckets
        self.table = nn.Parameter(torch.zeros(cfg.bigram_buckets, cfg.bigram_dim))
        self.proj = CastedLinear(cfg.bigram_dim, cfg.model_dim)
        self.scale = nn.Parameter(torch.tensor(0.05, dtype=torch.float32))
        claim(self, table="embed", scale="scalar")

    def forward(self, ids: Tensor, dtype: torch.dtype) -> Tensor:
        e = F.embedding(bigram_hash(ids, self.buckets), self.table).to(dtype)
        return self.scale.to(dtype) * self.proj(e)


class SmearGate(nn.Module):
    """x_t <- x_t + lambda * sigmoid(W x_t[:w]) * x_{t-1} * [token_t != BOS]; W: w -> 1 zero, lambda 0.

    Identity at init. The BOS mask stops the last token of document N from leaking into
    document N+1's first position (PR #1851). Both tensors are control tensors -> "scalar".
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.window, self.bos = cfg.gate_window, cfg.bos_id
        self.weight = nn.Parameter(torch.zeros(1, cfg.gate_window))
        self.lam = nn.Parameter(torch.zeros((), dtype=torch.float32))
        claim(self, weight="scalar", lam="scalar")

    def forward(self, x: Tensor, ids: Tensor) -> Tensor:
        g = torch.sigmoid(F.linear(x[..., : self.window], self.weight.to(x.dtype)))  # (B, T, 1)
        prev = F.pad(x[:, :-1], (0, 0, 1, 0))  # x_{t-1}; zeros at t = 0
        keep = (ids != self.bos).unsqueeze(-1).to(x.dtype)
        return x + self.lam.to(x.dtype) * g * prev * keep


class ValueEmbedding(nn.Module):
    """Shared vocab -> ve_dim table, zero-init projection to kv_dim, scale (init 0.1).

    The per-layer scales live in each chosen layer's attention (AttentionSwitches.ve_scale).
    Table init N(0, 0.01) so the zero projection gets a gradient (identity at init via proj).
    Routing: table -> "embed", proj -> "matrix" (Muon), scale -> "scalar".
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        kv_dim = cfg.num_kv_heads * (cfg.model_dim // cfg.num_heads)
        self.table = nn.Parameter(torch.randn(cfg.vocab_size, cfg.ve_dim) * 0.01)
        self.proj = CastedLinear(cfg.ve_dim, kv_dim, zero_init=True)
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
        self.smear = SmearGate(cfg) if cfg.smear_gate else None
        self.ve = ValueEmbedding(cfg) if cfg.ve_dim > 0 else None

    def forward(self, tok: Tensor, ids: Tensor) -> Tensor:
        """tok = the raw token embedding (B, T, D); returns the normed x0.

        Order: tok (+ bigram) -> RMSNorm -> smear (rec 03-19 puts the bigram before the norm;
        the smear then mixes normed vectors, so its gate sees unit-RMS inputs).
        """
        self.fctx.input_ids = ids
        if self.bigram is not None:
            tok = tok + self.bigram(ids, tok.dtype)
        x = F.rms_norm(tok, (tok.size(-1),))
        if self.smear is not None:
            x = self.smear(x, ids)
        self.fctx.ve = self.ve(ids, x.dtype) if self.ve is not None else None
        return x
