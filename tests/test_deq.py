"""DEQ universal-transformer block (golfkit/model/deq.py): residual below tolerance at exit, Anderson
beats plain iteration on a briefly trained smoke model, phantom gradients reach the block."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from golfkit.data import DistributedTokenLoader, find_dataset
from golfkit.errors import GolfkitError
from golfkit.model import GPT, deq
from golfkit.presets import get_preset
from golfkit.reload import model_from_artifact
from conftest import smoke_config


def deq_cfg(**kw):
    # the preset at smoke width (64): fast on 2 cores
    return replace(get_preset("deq").model, **{"model_dim": 64, "num_heads": 2, "num_kv_heads": 1, **kw})


@pytest.fixture(scope="module")
def trained(smoke_run, data_dir):
    """The trained smoke run's weights (20 Muon steps) with its block 1 run as the DEQ block."""
    run_dir, _ = smoke_run
    cfg = smoke_config(data_dir, **{"model.deq_layer": 1})
    _, m = model_from_artifact(run_dir / "checkpoint.golf", cfg)
    ds = find_dataset(data_dir, "sp1024")
    x, _ = DistributedTokenLoader(ds.train_files, 0, 1, torch.device("cpu")).next_batch(2 * 128, 128)
    return m, x


def band_input(m: GPT, x: torch.Tensor):
    """The DEQ block's input h (output of block 0) and x0, as GPT.hidden computes them."""
    x0 = torch.nn.functional.rms_norm(m.tok_emb(x), (m.cfg.model_dim,))
    return m.blocks[0](x0, x0), x0


def test_exit_residual_below_tol_and_anderson_needs_fewer_iterations(trained):
    m, x = trained
    m.eval()
    with torch.no_grad():
        h, x0 = band_input(m, x)
        f = deq.DEQBlock.map(m.blocks[m.cfg.deq_layer], h, x0)
        assert deq.rel_residual(f(h), h) > 1e-2  # trained: the block really moves z
        solver = deq.DEQBlock(replace(m.cfg, deq_tol=1e-4))  # measured: Anderson 9 vs plain 13 f-calls
        z_a = solver.solve(f, h, "anderson", max_iter=60)
        sa = solver.last_stats
        z_p = solver.solve(f, h, "picard", max_iter=60)
        sp = solver.last_stats
    assert sa.residual < 1e-4 and sp.residual < 1e-4, (sa, sp)
    assert sa.iterations < sp.iterations, (sa.iterations, sp.iterations)
    # the returned state is a fixed point of f (checked independently of the solver's bookkeeping)
    assert float(deq.rel_residual(f(z_a), z_a)) < 1e-3
    assert torch.allclose(z_a, z_p, atol=1e-2)


def test_model_forward_records_stats_and_phantom_grads_reach_block(trained):
    m, x = trained
    m.train()
    m.zero_grad()
    loss = m(x, torch.roll(x, -1, 1))
    st = m.deq.last_stats
    assert 1 <= st.iterations <= m.cfg.deq_max_iter and st.residual == st.trace[-1]
    loss.backward()
    g = m.blocks[m.cfg.deq_layer].mlp.fc.weight.grad
    assert g is not None and g.abs().sum() > 0


def test_identity_at_init_and_config_errors():
    """Zero-init output projections: f(z) = h, so the solve stops at once and z* = h."""
    torch.manual_seed(0)
    m = GPT(deq_cfg())
    with torch.no_grad():
        h, x0 = band_input(m, torch.randint(0, 1024, (2, 16)))
        z = m.deq(m.blocks[1], h, x0)
    assert torch.equal(z, h) and m.deq.last_stats.iterations <= 2
    with pytest.raises(GolfkitError, match="deq_layer"):
        GPT(deq_cfg(deq_layer=7))
    with pytest.raises(GolfkitError, match="damping"):
        GPT(deq_cfg(deq_phantom_damping=0.0))


def test_anderson_runs_on_bf16_states():
    """CUDA autocast hands the solver bf16 states; the small least-squares solve must still run
    (cuBLAS and the CPU have no bf16 LU: it is done in fp32) and converge to the fixed point."""
    from golfkit.model.deq import anderson

    W = 0.5 * torch.eye(8) + 0.01 * torch.randn(8, 8, generator=torch.Generator().manual_seed(0))
    b = torch.ones(8)
    f = lambda z: (z.float() @ W.T + b).to(torch.bfloat16)  # noqa: E731  a contraction, fixed point (I-W)^-1 b
    z, stats = anderson(f, torch.zeros(2, 4, 8, dtype=torch.bfloat16), max_iter=30, tol=1e-2, early_exit=True)
    assert z.dtype == torch.bfloat16 and stats.residual < 1e-2
    assert torch.allclose(z.float()[0, 0], torch.linalg.solve(torch.eye(8) - W, b), atol=0.05)
