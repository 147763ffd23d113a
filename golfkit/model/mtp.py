"""Multi-token-prediction heads: a training loss only, never in the artifact.

Source: the records' MTP_NUM_HEADS option (NR 03-21: 4 heads, loss weight 0.3). GPT adds
`MTPHeads.loss` to the cross-entropy in training mode (golfkit/model/gpt.py).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import ModelConfig
from golfkit.model.base import claim


class MTPHeads(nn.Module):
    """Auxiliary heads; head k (0-based) predicts the target k+1 steps after the main one.

    loss = mean_k CE(softcap(W_k h[:, :T-k-1]), y[:, k+1:]), added as w * loss in training.
    The weights are zero-init (the records' `_zero_init`) and routed to the "head" group
    (Adam at head_lr, like an untied LM head). `state_dict()` skips them and loading
    ignores them: the export (`quantize(model.state_dict())`) can never include them.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n, self.weight_loss, self.softcap = cfg.mtp_heads, cfg.mtp_loss_weight, cfg.logit_softcap
        for k in range(self.n):
            setattr(self, f"w{k}", nn.Parameter(torch.zeros(cfg.vocab_size, cfg.model_dim)))
            claim(self, **{f"w{k}": "head"})

    # training-only: keep out of every state dict (export, checkpoint) and out of loading
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        return

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        return

    def loss(self, h: Tensor, y: Tensor) -> Tensor:
        total = h.new_zeros((), dtype=torch.float32)
        T, c = h.size(1), self.softcap
        for k in range(self.n):
            if T - k - 1 <= 0:
                break
            z = F.linear(h[:, : T - k - 1], getattr(self, f"w{k}").to(h.dtype))
            z = c * torch.tanh(z / c)
            total = total + F.cross_entropy(z.float().reshape(-1, z.size(-1)), y[:, k + 1:].reshape(-1))
        return self.weight_loss * total / max(self.n, 1)
