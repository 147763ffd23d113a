"""Muon against torch.optim.Muon and a hand-computed step; MuonEq-R, Polar Express, decoupled WD;
every optimizer switch on the smoke model (unit level: a few real steps, no data files)."""

from __future__ import annotations

import math

import pytest
import torch

from golfkit.config import RunConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.optim import (NS_COEFFS, POLAR_EXPRESS_COEFFS, Muon, build_optimizers, check_config, muon_momentum_at,
                           newton_schulz, row_normalize)
from golfkit.presets import get_preset

SHAPES = [(32, 64), (64, 32), (48, 48)]  # wide, tall (transposed path, aspect scale > 1), square


def _pair(wd: float, seed: int = 1):
    torch.manual_seed(seed)
    init = [torch.randn(*s) for s in SHAPES]
    ours = [p.clone().requires_grad_() for p in init]
    ref = [p.clone().requires_grad_() for p in init]
    return init, ours, ref


@pytest.mark.parametrize("wd", [0.0, 0.1])
def test_matches_torch_muon(wd):
    """Our Muon == torch.optim.Muon (standard coefficients, Nesterov, 'original' lr adjustment) over 3 steps.

    torch's momentum is buf.lerp_(g, 1-mu), ours buf = mu*buf + g: they differ by the factor (1-mu),
    which the Frobenius normalisation inside Newton-Schulz removes. Both decay p *= 1 - lr*wd.
    """
    lr = 0.02
    _, ours, ref = _pair(wd)
    o1 = Muon(ours, lr=lr, momentum=0.95, weight_decay=wd)
    o2 = torch.optim.Muon(ref, lr=lr, momentum=0.95, weight_decay=wd, adjust_lr_fn="original")
    for _ in range(3):
        grads = [torch.randn(*s) for s in SHAPES]
        for a, b, g in zip(ours, ref, grads):
            a.grad, b.grad = g.clone(), g.clone()
        o1.step()
        o2.step()
        for a, b in zip(ours, ref):
            # bf16 Newton-Schulz: updates agree to a few % of lr (an lr-sized error would be 1.0 * lr)
            assert (a - b).abs().max().item() < 0.05 * lr


def _ns64(X: torch.Tensor, coeffs, steps: int = 5) -> torch.Tensor:
    """Newton-Schulz in float64, written out from the definition (techniques.md 1(b), Muon row)."""
    per = [coeffs] if isinstance(coeffs[0], float) else list(coeffs)
    X = X / X.norm()
    t = X.size(0) > X.size(1)
    X = X.T if t else X
    for i in range(steps):
        a, b, c = per[min(i, len(per) - 1)]
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if t else X


def test_one_step_matches_hand_computed_reference():
    """First step: buf = g, u = g + mu*g, p <- p*(1 - lr*wd) - lr*sqrt(max(1, r/c))*NS(u)."""
    lr, mu, wd = 0.05, 0.9, 0.04
    torch.manual_seed(3)
    p0, g = torch.randn(64, 32, dtype=torch.float64), torch.randn(64, 32, dtype=torch.float64)
    expected = p0 * (1 - lr * wd) - lr * math.sqrt(64 / 32) * _ns64(g + mu * g, NS_COEFFS)
    p = p0.float().clone().requires_grad_()
    p.grad = g.float()
    Muon([p], lr=lr, momentum=mu, weight_decay=wd).step()
    assert (p.detach().double() - expected).abs().max().item() < 0.05 * lr
    # and the decay alone is visible: without wd the result differs by lr*wd*p0
    assert (p0 * lr * wd).abs().max().item() > 0.05 * lr


def test_singular_values_near_one_and_polar_express_tighter():
    torch.manual_seed(0)
    for shape in SHAPES:
        G = torch.randn(*shape)
        std = torch.linalg.svdvals(newton_schulz(G, 5, NS_COEFFS).float())
        pe = torch.linalg.svdvals(newton_schulz(G, 5, POLAR_EXPRESS_COEFFS).float())
        assert 0.3 < std.min() and std.max() < 1.25  # the standard quintic's known band (not converged)
        assert 0.7 < pe.min() and pe.max() < 1.2  # Polar Express: every singular value near 1
        assert pe.min() > std.min() + 0.1  # ... and tighter at the small end
        assert (pe - std).abs().max() > 0.05  # it is a different update
    # a badly conditioned input (singular values 1 .. 1e-3): PE lifts many more of them near 1
    U, _ = torch.linalg.qr(torch.randn(96, 96))
    V, _ = torch.linalg.qr(torch.randn(96, 96))
    G = U @ torch.diag(torch.logspace(0, -3, 96)) @ V.T
    near = [(torch.linalg.svdvals(newton_schulz(G, 5, c).float()) > 0.8).float().mean() for c in (NS_COEFFS, POLAR_EXPRESS_COEFFS)]
    assert near[1] > near[0] + 0.2


def test_polar_express_matches_its_definition():
    """Per-iteration tuples, the last repeating for extra steps (7 steps here)."""
    torch.manual_seed(5)
    G = torch.randn(40, 72, dtype=torch.float64)
    ours = newton_schulz(G, 7, POLAR_EXPRESS_COEFFS).double()
    assert (ours - _ns64(G, POLAR_EXPRESS_COEFFS, 7)).abs().max() < 0.05


def test_muoneq_r_row_normalises_before_newton_schulz():
    torch.manual_seed(2)
    g = torch.randn(32, 48) * torch.logspace(-2, 1, 32)[:, None]  # rows of very different scale
    assert torch.allclose(row_normalize(g).norm(dim=1), torch.ones(32), atol=1e-5)
    updates = []
    for rn in (False, True):
        p = torch.zeros(32, 48, requires_grad=True)
        p.grad = g.clone()
        Muon([p], lr=1.0, momentum=0.0, row_normalize=rn).step()
        updates.append(-p.detach())
    assert (updates[0] - updates[1]).abs().max() > 0.1  # MuonEq-R changes the update
    expected = newton_schulz(row_normalize(g), 5, NS_COEFFS).float()
    assert torch.allclose(updates[1], expected, atol=1e-2)
    # the small rows get a larger share of the update than without row normalisation
    small = slice(0, 8)
    assert updates[1][small].norm() > 1.2 * updates[0][small].norm()


def _smoke_model(cfg: RunConfig) -> GPT:
    torch.manual_seed(0)
    return GPT(cfg.model)


def test_decoupled_weight_decay_every_group():
    """With zero gradients every update is 0, so one step is exactly p *= 1 - lr*wd, per group."""
    cfg = get_preset("smoke").override({"optim.muon_wd": 0.1, "optim.embed_wd": 0.2, "optim.scalar_wd": 0.3})
    model = _smoke_model(cfg)
    groups = model.param_groups()
    opts = build_optimizers(groups, cfg.optim, tied=True, fused=False)
    before = {id(p): p.detach().clone() for g in groups.values() for p in g}
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    for o in opts:
        o.step()
    o = cfg.optim
    for name, lr, wd in (("matrix", o.matrix_lr, 0.1), ("embed", o.tied_embed_lr, 0.2), ("scalar", o.scalar_lr, 0.3)):
        for p in groups[name]:
            assert torch.allclose(p.detach(), before[id(p)] * (1 - lr * wd), atol=1e-7), name


def test_baseline_adam_unchanged():
    """AdamW with wd = 0 is the baseline's Adam: one step, same result."""
    cfg = get_preset("smoke")
    model = _smoke_model(cfg)
    opts = build_optimizers(model.param_groups(), cfg.optim, tied=True, fused=False)
    emb = model.tok_emb.weight
    ref = emb.detach().clone().requires_grad_()
    g = torch.randn_like(emb)
    emb.grad, ref.grad = g.clone(), g.clone()
    opts[0].step()
    torch.optim.Adam([ref], lr=cfg.optim.tied_embed_lr, betas=(0.9, 0.95), eps=1e-8).step()
    assert torch.equal(emb.detach(), ref.detach())


def test_momentum_warmup_and_targets_expressible():
    o = RunConfig().override({"optim.muon_momentum": 0.99, "optim.muon_momentum_warmup_start": 0.92,
                              "optim.muon_momentum_warmup_steps": 1500}).optim
    assert [round(muon_momentum_at(s, o), 6) for s in (0, 750, 1500, 5000)] == [0.92, 0.955, 0.99, 0.99]
    o = RunConfig().override({"optim.muon_momentum": 0.97, "optim.muon_momentum_warmup_steps": 0}).optim
    assert muon_momentum_at(0, o) == 0.97


def test_bad_values_refused():
    with pytest.raises(GolfkitError, match="muon_ns"):
        RunConfig().override({"optim.muon_ns": "cubic"})
    with pytest.raises(GolfkitError, match="weight_averaging"):
        RunConfig().override({"optim.weight_averaging": "polyak"})
    for key, value in (("schedule.min_lr", 1.5), ("optim.ema_decay", 1.0), ("optim.muon_wd", -0.1),
                       ("schedule.warmdown_frac", 0.0), ("schedule.wallclock_reserve_seconds", 700.0)):
        with pytest.raises(GolfkitError, match=key.split(".")[1]):
            check_config(RunConfig().override({key: value}))


SWITCHES = [
    {},
    {"optim.muon_row_normalize": True},
    {"optim.muon_ns": "polar_express"},
    {"optim.muon_wd": 0.04, "optim.embed_wd": 0.085, "optim.scalar_wd": 0.02},
    {"optim.grad_clip_norm": 0.3},
    {"optim.muon_momentum": 0.99, "optim.muon_momentum_warmup_start": 0.92, "optim.muon_momentum_warmup_steps": 2},
]


@pytest.mark.parametrize("overrides", SWITCHES, ids=lambda d: ",".join(k.split(".")[1] for k in d) or "baseline")
def test_every_optimizer_switch_trains_the_smoke_model(overrides):
    """Three real steps on the smoke model (random tokens): finite loss, every parameter moves."""
    cfg = get_preset("smoke").override(overrides)
    model = _smoke_model(cfg)
    opts = build_optimizers(model.param_groups(), cfg.optim, tied=True, fused=False)
    before = [p.detach().clone() for p in model.parameters()]
    gen = torch.Generator().manual_seed(0)
    losses = []
    for step in range(3):
        x = torch.randint(0, cfg.model.vocab_size, (4, 64), generator=gen)
        loss = model(x, torch.roll(x, -1, 1))
        loss.backward()
        for o in opts:
            if isinstance(o, Muon):
                for g in o.param_groups:
                    g["momentum"] = muon_momentum_at(step, cfg.optim)
        if cfg.optim.grad_clip_norm > 0:
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.optim.grad_clip_norm)
            assert norm > cfg.optim.grad_clip_norm  # the clip is active at init on this model
        for o in opts:
            o.step()
            o.zero_grad(set_to_none=True)
        losses.append(loss.item())
    assert all(math.isfinite(v) for v in losses)
    moved = [not torch.equal(a, b.detach()) for a, b in zip(before, model.parameters())]
    assert sum(moved) >= len(moved) - 2  # zero-init output projections may stay put one step, not all


# -- speed switches (optim.muon_batched, optim.muon_ns_dtype) ---------------------------------------
BANK_SHAPES = [(64, 32), (32, 64), (64, 32), (48, 48), (32, 64), (64, 32), (16, 64)]  # same shapes repeat


def _muon_run(steps: int = 3, **kw) -> list[torch.Tensor]:
    torch.manual_seed(5)
    params = [torch.nn.Parameter(torch.randn(*s) * 0.1) for s in BANK_SHAPES]
    opt = Muon(params, lr=0.02, momentum=0.95, **kw)
    g = torch.Generator().manual_seed(6)
    for _ in range(steps):
        for p in params:
            p.grad = torch.randn(p.shape, generator=g)
        opt.step()
    return [p.detach().clone() for p in params]


@pytest.mark.parametrize("numerics", ["baseline", "parallel"])
@pytest.mark.parametrize("order", ["baseline", "records"])
def test_batched_newton_schulz_equals_per_matrix(numerics, order):
    """One batched Newton-Schulz per shape == one per matrix, bit for bit (bf16 and fp32), through Muon."""
    torch.manual_seed(0)
    for shape in [(64, 32), (32, 64), (48, 48)]:
        for dtype in (torch.bfloat16, torch.float32):
            G = torch.randn(3, *shape)
            per = torch.stack([newton_schulz(g, 5, NS_COEFFS, order=order, dtype=dtype) for g in G])
            assert torch.equal(newton_schulz(G, 5, NS_COEFFS, order=order, dtype=dtype), per)
    for dtype in ("bf16", "fp32"):
        kw = dict(ns_order=order, numerics=numerics, ns_dtype=dtype, row_normalize=True, weight_decay=0.01)
        a, b = _muon_run(batched=False, **kw), _muon_run(batched=True, **kw)
        assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_fp32_newton_schulz_within_the_bf16_paths_tolerance():
    """fp32 Newton-Schulz is the same map: after 3 steps its parameters are as close to an fp64 reference
    Muon as the bf16 path's are (its error is the reference step's bf16 tolerance, 0.05 lr in the test above)."""
    ref = _muon_run(ns_dtype="fp32")
    bf = _muon_run(ns_dtype="bf16")
    torch.manual_seed(5)
    params = [torch.nn.Parameter((torch.randn(*s) * 0.1).double()) for s in BANK_SHAPES]
    g = torch.Generator().manual_seed(6)
    bufs = [torch.zeros_like(p) for p in params]
    for _ in range(3):  # Muon in fp64, written out: momentum, Nesterov, NS, aspect scale
        for p, buf in zip(params, bufs):
            grad = torch.randn(p.shape, generator=g).double()
            buf.mul_(0.95).add_(grad)
            u = _ns64(grad + 0.95 * buf, NS_COEFFS)
            p.data.add_(u * max(1.0, p.size(0) / p.size(1)) ** 0.5, alpha=-0.02)
    err = lambda run: max((a.double() - p.detach()).abs().max().item() for a, p in zip(run, params))  # noqa: E731
    assert err(ref) < 0.05 * 0.02 and err(bf) < 0.05 * 0.02
    assert err(ref) <= err(bf) * 1.5  # fp32 iterations are no less accurate than bf16 (the update itself is bf16)


def test_ns_dtype_auto_follows_the_hardware(monkeypatch):
    from golfkit import optim

    assert optim.ns_dtype("bf16", torch.device("cpu")) == torch.bfloat16
    assert optim.ns_dtype("fp32", torch.device("cuda")) == torch.float32
    assert optim.ns_dtype("auto", torch.device("cuda")) == torch.bfloat16
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    assert optim.ns_dtype("auto", torch.device("cpu")) == torch.float32  # emulated bf16: fp32 is faster
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: True, raising=False)
    assert optim.ns_dtype("auto", torch.device("cpu")) == torch.bfloat16
    # record presets pin the records' bf16 whatever the machine
    for name in ("baseline", "record-1290", "record-1801", "record-1855", "record-2135", "swapp-1xh100"):
        assert get_preset(name).optim.muon_ns_dtype == "bf16"
    groups = {"embed": [torch.nn.Parameter(torch.zeros(4, 4))], "head": [],
              "matrix": [torch.nn.Parameter(torch.zeros(4, 4))], "scalar": [torch.nn.Parameter(torch.zeros(4))]}
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    muon = [o for o in build_optimizers(groups, RunConfig().optim, tied=True, fused=False) if isinstance(o, Muon)][0]
    assert muon.param_groups[0]["ns_dtype"] == "fp32" and muon.param_groups[0]["batched"] is False
