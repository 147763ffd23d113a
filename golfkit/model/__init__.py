"""The network: primitives (base) -> attention -> blocks -> gpt, with technique modules beside them.

    base               optimizer routing (claim, GROUPS), RMSNorm, CastedLinear and its slots, RoPE, own_rng
    attention          the baseline's causal GQA attention (partial RoPE included)
    blocks             the baseline's MLP and Block (activation, width and LN-scale switches)
    gpt                GPT and the builder: per-layer attention/block classes, the TECHNIQUES table
    attention_variants SwitchedAttention: XSA, output gates, value embeddings/residual, differential attention
    parallel_blocks    TwoLaneBlock and GPTJBlock (parallel residuals)
    embeddings         BigramHash, SmearGate, value-embedding table (the token frontend)
    mtp                multi-token-prediction heads (a training loss only)
    recurrence         depth recurrence: loop band, per-pass LoRA, frozen carry, training hooks
    deq                a block iterated to its fixed point (Anderson, phantom gradient)
    depth_routing      Mixture of Depths routers
    seed_lora          seeded random linear maps plus stored low-rank adapters

The technique modules are imported only when a config switches them on (gpt.TECHNIQUES).
"""

from golfkit.model.attention import CausalSelfAttention
from golfkit.model.base import GROUPS, CastedLinear, RMSNorm, Rotary, claim, count_params
from golfkit.model.blocks import MLP, Block
from golfkit.model.gpt import GPT

__all__ = ["GPT", "Block", "MLP", "CausalSelfAttention", "CastedLinear", "Rotary", "RMSNorm", "claim", "GROUPS",
           "count_params"]
