"""Seed-LoRA (golfkit/model/seed_lora.py): the artifact holds seeds and adapters, not the random matrices;
reloading regenerates them bit-identically."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

from golfkit import artifact, quant
from golfkit.errors import GolfkitError
from golfkit.model import GPT, count_params, seed_lora
from golfkit.presets import get_preset
from golfkit.reload import model_from_artifact

TARGETS = {"model.seed_lora_targets": ["mlp.fc", "mlp.proj"], "model.seed_lora_rank": 4}


def export(cfg, tmp_path, name):
    """Export a freshly built model with the training code's exporter; (model, path, byte counts)."""
    torch.manual_seed(0)
    model = GPT(cfg.model)
    sess = SimpleNamespace(cfg=cfg, base=model, ctx=SimpleNamespace(is_main=True))
    path = tmp_path / name
    return model, path, quant.export_artifact(sess, path)


def test_artifact_excludes_matrices_and_reload_is_bit_identical(tmp_path):
    base_cfg = get_preset("smoke")
    cfg = base_cfg.override(TARGETS)
    dense, _, dense_sizes = export(base_cfg, tmp_path, "dense.golf")
    model, path, sizes = export(cfg, tmp_path, "seed.golf")
    names = {qt.name for qt in artifact.load(path).tensors}
    assert "blocks.0.mlp.fc.seed" in names and "blocks.1.mlp.proj.A" in names
    assert not any(n.endswith("mlp.fc.weight") or n.endswith("mlp.proj.weight") or "w_rand" in n for n in names)
    # payload: dense minus the two fp16-kept 64x128 MLP matrices per block, plus A, B (fp16) and seeds (int64)
    L, d, h, r = 2, 64, 128, 4
    expect = dense_sizes["payload_bytes"] - L * 2 * (d * h * 2) + L * 2 * (2 * r * (d + h) + 8)
    assert sizes["payload_bytes"] == expect
    assert sizes["bytes_model"] < dense_sizes["bytes_model"]
    assert seed_lora.regenerated_numel(model) == L * 2 * d * h
    assert count_params(model) == count_params(dense) - L * 2 * d * h + L * 2 * r * (d + h)
    _, again = model_from_artifact(path)
    for (n1, m1), (n2, m2) in zip(model.named_modules(), again.named_modules()):
        if isinstance(m1, seed_lora.SeedLoRALinear):
            assert n1 == n2 and torch.equal(m1.w_rand, m2.w_rand)
    x = torch.randint(0, 1024, (1, 32))
    with torch.no_grad():  # equal up to the fp16 storage of the embedding and adapters
        assert torch.allclose(model(x), again(x), atol=2e-3)


def test_structure_training_and_seeds():
    cfg = get_preset("smoke").override({**TARGETS, "model.seed_lora_init": "orthogonal"})
    m = GPT(cfg.model)
    fc = m.blocks[0].mlp.fc
    assert isinstance(fc, seed_lora.SeedLoRALinear) and "w_rand" not in m.state_dict().keys().__str__()
    assert torch.equal(fc.weight, fc.w_rand)  # B = 0: W = W_rand at init
    w = seed_lora.random_map(128, 64, 5, "orthogonal")  # tall: orthonormal columns, scaled sqrt(2)
    assert torch.allclose(w.t() @ w, 2.0 * torch.eye(64), atol=1e-4)
    seeds = {int(mm.seed) for mm in m.modules() if isinstance(mm, seed_lora.SeedLoRALinear)}
    assert len(seeds) == 4  # every matrix its own seed
    m.param_groups()
    m(torch.randint(0, 1024, (2, 16)), torch.randint(0, 1024, (2, 16))).backward()
    assert fc.B.grad.abs().sum() > 0 and fc.A.grad is not None
    # loading another seed regenerates that seed's matrix
    sd = m.state_dict()
    sd["blocks.0.mlp.fc.seed"] = torch.tensor([12345])
    m.load_state_dict(sd)
    assert torch.equal(fc.w_rand, seed_lora.random_map(128, 64, 12345, "orthogonal"))
    with pytest.raises(GolfkitError, match="no linear"):
        GPT(get_preset("smoke").override({"model.seed_lora_targets": ["mlp.nope"]}).model)
