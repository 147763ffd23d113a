"""Tiny random models, tokens and byte tables for the evaluation / TTT tests (no data needed)."""

from __future__ import annotations

import torch

from golfkit.config import RunConfig
from golfkit.data import BOS_ID, ByteLUTs
from golfkit.dist import DistContext
from golfkit.eval import evaluate
from golfkit.model import GPT

V = 64
CTX = DistContext()


def tiny_cfg(**overrides) -> RunConfig:
    base = {"model.vocab_size": V, "model.num_layers": 2, "model.model_dim": 32, "model.num_heads": 2,
            "model.num_kv_heads": 1, "schedule.train_seq_len": 32, "eval.batch_tokens": 512, "eval.stride": 8,
            "eval.sgd.chunk_tokens": 96, "eval.sgd.lr": 0.05, "eval.lora.chunk_tokens": 16,
            "eval.lora.context": 32, "eval.lora.batch_docs": 4, "eval.lora.lr": 0.02,
            "eval.phased.docs": 6, "eval.phased.phases": 2, "eval.phased.lr": 0.05}
    return RunConfig(device="cpu").override({**base, **overrides})


def tiny_model(seed: int = 0) -> GPT:
    """Random weights everywhere (the zero-init output projections would make context irrelevant)."""
    torch.manual_seed(seed)
    m = GPT(tiny_cfg().model)
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() > 1:
                p.normal_(0.0, 0.3)
    return m


def tiny_luts(seed: int = 0) -> ByteLUTs:
    g = torch.Generator().manual_seed(seed)
    return ByteLUTs(torch.randint(0, 4, (V,), generator=g).to(torch.int16), torch.rand(V, generator=g) < 0.3,
                    torch.arange(V) < 2)


def tiny_tokens(n: int = 480, docs: int = 8, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    t = torch.randint(2, V, (n,), generator=g, dtype=torch.int32)
    t[0] = BOS_ID
    t[torch.randint(1, n, (docs,), generator=g)] = BOS_ID
    return t


def run(model, tokens, cfg, luts=None):
    """Evaluate and return (result, {target position: nll}, list of scored log-prob rows)."""
    nll, rows = {}, []

    def probe(logp, pos, tgt):
        vals = -logp.gather(-1, tgt[:, None]).squeeze(-1)
        for p, v in zip(pos.tolist(), vals.tolist()):
            assert p not in nll, f"position {p} scored twice"
            nll[p] = v
        rows.append(logp[torch.randint(0, logp.size(0), (min(4, logp.size(0)),))].clone())

    res = evaluate(model, tokens, luts or tiny_luts(), cfg, CTX, probe=probe)
    return res, nll, rows


def perturb_after(tokens: torch.Tensor, t: int, seed: int = 1) -> torch.Tensor:
    """Replace every token after position t (new BOS positions included)."""
    g = torch.Generator().manual_seed(seed)
    out = tokens.clone()
    out[t + 1:] = torch.randint(1, V, (tokens.numel() - t - 1,), generator=g, dtype=out.dtype)
    return out
