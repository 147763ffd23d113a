"""The records' own forms of golfkit's techniques (model switches added for the record presets), on small
models, CPU only, no data or record fixtures needed: each switch's formula, its optimizer routing, what it
refuses, and that it is off by default. tests/test_records.py compares the presets with the records' code."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F

from golfkit.causality import perturbations
from golfkit.config import ModelConfig, RunConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT, recurrence
from golfkit.model.attention import DENSE_MAX_T, Segments, attend, document_mask, packed_mask, segment_ids
from golfkit.model.attention_variants import xsa, xsa_projection
from golfkit.model.base import Rotary
from golfkit.optim import build_optimizers
from golfkit.presets import get_preset

SMOKE = get_preset("smoke")
G = torch.Generator().manual_seed(5)
IDS = torch.randint(2, 1024, (2, 40), generator=G)


def build(**over) -> GPT:
    torch.manual_seed(0)
    return GPT(SMOKE.override({f"model.{k}": v for k, v in over.items()}).model)


@torch.no_grad()
def wake(model: GPT, seed: int = 7) -> GPT:
    """Every parameter off its init (zero projections, unit scales, zero gates all move)."""
    g = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.add_(0.05 * torch.randn(p.shape, generator=g))
    return model


def logits(model: GPT, ids=IDS) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return model(ids)


def routes(model: GPT, cfg: RunConfig | None = None) -> dict[int, tuple[str, float, float] | None]:
    """id(param) -> (optimizer kind, lr, weight decay); missing = in no optimizer."""
    cfg = cfg or SMOKE
    out = {}
    for o in build_optimizers(model.param_groups(), cfg.optim, cfg.model.tie_embeddings, fused=False):
        for grp in o.param_groups:
            for p in grp["params"]:
                out[id(p)] = (type(o).__name__, grp["lr"], grp["weight_decay"])
    return out


def test_every_new_field_is_off_by_default_and_the_baseline_preset_is_the_run():
    m = ModelConfig()
    assert (m.rope_dtype, m.rope_train_len, m.two_lane_form, m.recur_carry_source, m.enable_looping_at_step) == \
        ("fp32", 0, "golfkit", "latest", 0)
    assert (m.skip_count, m.smear_v1, m.smear_before_norm, m.smear_bos_mask, m.asym_softcap, m.doc_mask) == \
        ("looped", "off", False, True, "off", False)
    assert (m.ve_proj_init, m.frontend_proj_optim, m.xsa_form) == ("zero", "muon", "unit")
    # the baseline preset is the reference as it ran (bf16 RoPE tables); cpu-small and smoke keep fp32 tables
    assert get_preset("baseline").model.rope_dtype == "bf16"
    assert get_preset("cpu-small").model.rope_dtype == get_preset("smoke").model.rope_dtype == "fp32"
    assert get_preset("baseline").override({"model.rope_dtype": "fp32"}).model == ModelConfig()


# -- RoPE ----------------------------------------------------------------------------------
def test_rope_tables_as_the_runs_computed_them():
    inv = 1.0 / (10000.0 ** (torch.arange(0, 16, 2, dtype=torch.float32) / 16))
    T = 600
    cos32, _ = Rotary(16, 10000.0)(T, torch.device("cpu"), torch.float32)
    assert torch.equal(cos32[0, 0], torch.outer(torch.arange(T, dtype=torch.float32), inv).cos())
    # bf16_freq (PR #1787 lineage): bf16-rounded frequencies, fp32 positions and angles
    cosf, _ = Rotary(16, 10000.0, "bf16_freq")(T, torch.device("cpu"), torch.float32)
    assert torch.equal(cosf[0, 0], torch.outer(torch.arange(T, dtype=torch.float32), inv.bfloat16().float()).cos())
    # bf16 (the baseline as run): positions in bf16 too; above 256 they round (257 -> 256)
    cosb, _ = Rotary(16, 10000.0, "bf16")(T, torch.device("cpu"), torch.float32)
    ref = torch.outer(torch.arange(T, dtype=torch.bfloat16), inv.bfloat16()).cos().float()
    assert torch.equal(cosb[0, 0], ref) and torch.equal(cosb[0, 0, 257], cosb[0, 0, 256])
    assert not torch.equal(cosb, cos32) and not torch.equal(cosf, cos32)


def test_rope_train_len_rescales_the_base_above_it_only():
    r = Rotary(16, 10000.0, "bf16", train_len=1024)
    short, _ = r(1024, torch.device("cpu"), torch.float32)
    assert torch.equal(short, Rotary(16, 10000.0, "bf16")(1024, torch.device("cpu"), torch.float32)[0])
    long, _ = r(2048, torch.device("cpu"), torch.float32)
    base = 10000.0 * 2.0 ** (16 / 14)  # PR #1290: base * (T / 1024) ** (d / (d - 2)), fp32, fresh
    inv = 1.0 / (base ** (torch.arange(0, 16, 2, dtype=torch.float32) / 16))
    assert torch.equal(long[0, 0], torch.outer(torch.arange(2048, dtype=torch.float32), inv).cos())
    with pytest.raises(GolfkitError, match="eval.rope_scaling"):
        SMOKE.override({"model.rope_train_len": 64, "eval.rope_scaling": "ntk"})


# -- two lanes, PR #1787 form ----------------------------------------------------------------
def test_two_lane_pr1787_block_and_skip_into_lane_zero():
    model = wake(build(num_layers=4, parallel_residual="two_lane", parallel_start=2, two_lane_form="pr1787"))
    assert model.lane_post.shape == (4, 2, 2) and model.lane_resid.shape == (4, 2)  # every layer, as the records
    assert not any(hasattr(b, "lane_post") for b in model.blocks)
    blk = model.blocks[3]
    x0, l0, l1 = (torch.randn(2, 8, 64, generator=G) for _ in range(3))
    with torch.no_grad():
        out = blk(torch.stack((l0, l1)), x0, model.lane_post[3], model.lane_resid[3])
        mix = blk.resid_mix
        a = blk.attn_scale * blk.attn(blk.attn_norm(mix[0] * l0 + mix[1] * x0) * blk.ln_scale)
        m = blk.mlp_scale * blk.mlp(blk.mlp_norm(l1) * blk.ln_scale)  # lane 1 before attention writes it
        post, r = model.lane_post[3], model.lane_resid[3]
        torch.testing.assert_close(out[0], r[0] * l0 + post[0, 0] * a + post[0, 1] * m, rtol=0, atol=1e-6)
        torch.testing.assert_close(out[1], r[1] * l1 + post[1, 0] * a + post[1, 1] * m, rtol=0, atol=1e-6)
        # the U-Net skip before a two-lane layer goes into lane 0; lane 1 keeps the stream
        x, skip = torch.randn(2, 8, 64, generator=G), torch.randn(2, 8, 64, generator=G)
        merged = model.merge_skip(x, skip, 0, layer=2)
        assert torch.equal(merged[1], x) and torch.equal(merged[0], model.merge_skip(x, skip, 0))
    # every lane parameter is trained by the scalar AdamW (rows below parallel_start too: they only decay)
    r = routes(model)
    assert r[id(model.lane_post)] == r[id(model.blocks[0].resid_mix)]
    model.train()
    model(IDS[:, :-1], IDS[:, 1:]).backward()
    assert model.lane_post.grad[2:].abs().sum() > 0 and model.lane_post.grad[:2].abs().sum() == 0
    with pytest.raises(GolfkitError, match="two_lane_form"):
        build(two_lane_form="pr1787")
    with pytest.raises(GolfkitError, match="parallel_start"):  # the records run lanes in the decoder only
        build(num_layers=4, parallel_residual="two_lane", parallel_start=1, two_lane_form="pr1787")


# -- recurrence: first-pass carry, skips sized unlooped, step-based start ------------------------
def loop_cfg(**kw):
    return dict(num_layers=6, loop_start=1, loop_end=3, num_loops=2, **kw)


def test_first_pass_carry_mixes_first_pass_outputs():
    neutral = dict(recur_carry=True, recur_beta=[1.0] * 3, recur_alpha=[[0.0] * 3] * 3)
    plain, first = build(**loop_cfg()), build(**loop_cfg(**neutral, recur_carry_source="first_pass"))
    first.load_state_dict(wake(plain).state_dict())
    assert torch.equal(logits(plain), logits(first))  # beta 1, alpha 0: the plain loop
    # the cache holds pass 0's outputs only; a repeat visit mixes every band layer's first-pass output
    band = build(**loop_cfg(recur_carry=True, recur_carry_source="first_pass")).loop
    cache: dict[int, torch.Tensor] = {}
    outs = [torch.randn(3, generator=G) for _ in range(3)]
    for j in range(3):
        assert band.carry(j, 0, outs[j], cache) is outs[j]
    y = torch.randn(3, generator=G)
    got = band.carry(1, 1, y, cache)
    want = band.beta[1] * y
    for j in range(3):
        want = want + band.alpha[1][j] * outs[j]
    assert torch.equal(got, want) and all(cache[j] is not y for j in range(3))
    latest = build(**loop_cfg(recur_carry=True))
    latest.load_state_dict(first.state_dict())
    first2 = build(**loop_cfg(recur_carry=True, recur_carry_source="first_pass"))
    first2.load_state_dict(first.state_dict())
    assert not torch.allclose(logits(latest), logits(first2))
    with pytest.raises(GolfkitError, match="recur_carry_source"):
        build(recur_carry_source="first_pass")


def test_unlooped_skip_count():
    looped, unl = build(**loop_cfg()), build(**loop_cfg(skip_count="unlooped"))
    assert looped.skip_weights.shape[0] == 6 and unl.skip_weights.shape[0] == 3  # 12 virtual vs 6 physical
    unl.load_state_dict({k: v for k, v in wake(looped).state_dict().items() if "skip" not in k}, strict=False)
    with torch.no_grad():
        unl.skip_weights.copy_(looped.skip_weights[:3])
        looped.skip_weights[3:] = 0  # golfkit's extra rows at 0: x + 0 * skip = x, the same function
    unl.looping_active = looped.looping_active = True
    assert torch.equal(logits(looped), logits(unl))
    unl.looping_active = looped.looping_active = False  # unlooped both use 3 pairs
    assert torch.equal(logits(looped), logits(unl))


def test_loop_starts_after_a_step_count():
    base = GPT(SMOKE.override({"model.num_loops": 1, "model.loop_start": 0, "model.loop_end": 0,
                               "model.enable_looping_at": 0.0, "model.enable_looping_at_step": 30}).model)
    logs = []
    sess = SimpleNamespace(cfg=SimpleNamespace(model=base.cfg), base=base, step_hooks=[], final_hooks=[],
                           prime_hooks=[], log=SimpleNamespace(line=logs.append))
    recurrence.install_hooks(sess)
    assert not base.looping_active
    sess.step_hooks[0](sess, 29, 0.99)  # the fraction does not matter
    assert not base.looping_active
    sess.step_hooks[0](sess, 30, 0.0)  # 30 steps done: step 30 (0-based) runs looped, as PR #1290
    assert base.looping_active and "step:30" in logs[0]


# -- SmearGate variants ------------------------------------------------------------------------
def test_smear_v1_formula_and_routing():
    learned, frozen, plain = build(smear_v1="learned"), build(smear_v1="frozen"), build()
    tok = plain.tok_emb(IDS)
    x = F.rms_norm(tok, (tok.size(-1),))
    s = torch.sigmoid(learned.frontend.smear.gate)  # 0.5 at init: not identity
    want = (1 - s) * x + s * torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)
    learned.tok_emb.load_state_dict(plain.tok_emb.state_dict())
    assert torch.equal(learned.embed(IDS), want)
    assert routes(learned)[id(learned.frontend.smear.gate)] == ("AdamW", SMOKE.optim.scalar_lr, 0.0)
    gate = frozen.frontend.smear.gate
    assert id(gate) not in routes(frozen) and not gate.requires_grad and frozen.param_groups()["frozen"] == [gate]
    gate.requires_grad_(True)  # even when a TTT pass turns every gradient on, it gets none
    frozen(IDS[:, :-1], IDS[:, 1:]).backward()
    assert gate.grad is None
    with pytest.raises(GolfkitError, match="smear_v1"):
        build(smear_v1="learned", smear_gate=True)


def test_smear_before_norm_and_without_the_bos_mask():
    pre = wake(build(smear_gate=True, smear_before_norm=True))
    tok = pre.tok_emb(IDS)
    with torch.no_grad():
        assert torch.equal(pre.embed(IDS), F.rms_norm(pre.frontend.smear(tok, IDS), (tok.size(-1),)))
    a = torch.tensor([[5, 40, 41, 42, 1, 50, 51]])
    b = a.clone()
    b[0, 3] = 99  # the last token of document 1
    for mask, leaks in ((True, False), (False, True)):
        model = wake(build(smear_gate=True, smear_before_norm=True, smear_bos_mask=mask))
        with torch.no_grad():
            ea, eb = model.embed(a), model.embed(b)
        assert torch.equal(ea[:, 5:], eb[:, 5:])  # beyond the BOS position: one token back is inside doc 2
        assert torch.equal(ea[:, 4], eb[:, 4]) != leaks  # PR #2135 ran unmasked: the BOS sees doc 1's last token
    with pytest.raises(GolfkitError, match="smear_before_norm"):
        build(smear_before_norm=True)


# -- asymmetric softcap -----------------------------------------------------------------------
def test_asym_softcap_formula_and_frozen_form():
    model = build(asym_softcap="learned")
    h = torch.randn(2, 5, 64, generator=G)
    with torch.no_grad():
        model.softcap_pos.fill_(20.0)
        model.softcap_neg.fill_(40.0)
        z = F.linear(h, model.tok_emb.weight) * 300
        want = torch.where(z >= 0, 20.0 * torch.tanh(z / 20.0), 40.0 * torch.tanh(z / 40.0))
        torch.testing.assert_close(model.logits(h * 300), want, rtol=1e-6, atol=1e-5)
    assert routes(model)[id(model.softcap_pos)] == ("AdamW", SMOKE.optim.scalar_lr, 0.0)
    model(IDS[:, :-1], IDS[:, 1:]).backward()
    assert model.softcap_pos.grad is not None
    frozen = build(asym_softcap="frozen")  # PR #2135's code: in no optimizer, outside every gradient
    assert id(frozen.softcap_pos) not in routes(frozen) and not frozen.softcap_pos.requires_grad
    frozen.softcap_pos.requires_grad_(True)
    frozen(IDS[:, :-1], IDS[:, 1:]).backward()
    assert frozen.softcap_pos.grad is None
    assert sum(p.numel() for p in frozen.parameters()) == sum(p.numel() for p in build().parameters()) + 2


# -- document masking --------------------------------------------------------------------------
def test_document_mask_is_causal_within_documents():
    ids = torch.tensor([[5, 6, 1, 7, 8, 1, 9]])
    m = document_mask(ids, 1)[0, 0]
    assert m.dtype == torch.bool and torch.equal(m, m.tril())
    assert m[1, 0] and not m[2, 1] and m[4, 2] and not m[5, 4] and m[6, 5] and not m[6, 0]


def test_doc_mask_isolates_documents_and_stays_causal():
    model = wake(build(doc_mask=True, xsa_last_n=-1, attn_gate="sparse"))
    a = torch.randint(2, 1024, (1, 48), generator=G)
    a[0, 20] = 1  # document 2 starts at 20
    b = a.clone()
    b[0, 5:20] = torch.randint(2, 1024, (15,), generator=G)  # another document 1
    za, zb = logits(model, a), logits(model, b)
    assert torch.equal(za[:, 20:], zb[:, 20:])  # document 2 never sees document 1
    c = a.clone()
    c[0, 30:] = 3  # the future
    assert torch.equal(logits(model, c)[:, :30], za[:, :30])
    model.doc_masking = False  # the runtime flag: plain causal (the records' calibration forward)
    assert not torch.equal(logits(model, b)[:, 20:], zb[:, 20:])
    with pytest.raises(GolfkitError, match="doc_mask"):
        build(doc_mask=True, mod_layers=[1])


def test_segment_ids_cut_documents_into_pieces_from_their_start():
    ids = torch.tensor([[5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 1, 2]])
    assert segment_ids(ids, 1).tolist() == [[1] * 5 + [2] * 7 + [3] * 2]  # the row start counts as a document start
    # pieces of 3 from each start: 0 (row start), 3; 5 (BOS), 8, 11; 12 (BOS): as _build_cu_seqlens(max_doc_len=3)
    assert segment_ids(ids, 1, 3).tolist() == [[1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6, 6]]
    assert torch.equal(document_mask(ids, 1, 0), document_mask(ids, 1, 100))  # pieces longer than the row: none
    m = document_mask(ids, 1, 3)[0, 0]
    assert torch.equal(m, m.tril()) and m[2, 0] and not m[3, 2] and m[4, 3] and not m[8, 7] and not m[13, 11]


@pytest.mark.filterwarnings("ignore:flex_attention called without torch.compile")
def test_packed_attention_backends_agree(monkeypatch):
    """The packed row's three paths, against the dense mask on the same pieces: query blocks with their own
    masks (CPU, eager, long rows) and FlexAttention (CUDA, compiled graphs; here its eager reference on CPU)."""
    T = 700
    ids = torch.randint(2, 50, (2, T), generator=G)
    ids[0, torch.randint(0, T, (6,), generator=G)] = 1
    q = torch.randn(2, 4, T, 16, generator=G, dtype=torch.float64)
    k, v = (torch.randn(2, 2, T, 16, generator=G, dtype=torch.float64) for _ in range(2))
    dense = attend(q, k, v, document_mask(ids, 1, 64))
    monkeypatch.setattr(Segments, "QUERY_BLOCK", 128)  # several blocks, some starting inside a segment
    for backend in ("blocks", "flex"):
        torch.testing.assert_close(attend(q, k, v, Segments(segment_ids(ids, 1, 64), backend, 64)), dense,
                                   rtol=0, atol=1e-12)
    assert isinstance(packed_mask(ids, 1, 64), torch.Tensor)  # short rows keep the dense mask on CPU
    long = torch.randint(2, 50, (1, DENSE_MAX_T + 1), generator=G)
    assert isinstance(packed_mask(long, 1, 64), Segments) and packed_mask(long, 1, 64).backend == "blocks"


@pytest.mark.parametrize("long", [False, True], ids=["dense", "segments"])
def test_packed_forward_is_causal(long, monkeypatch):
    """A packed row's forward (pieces of 16): the future changed from t on (content, a BOS inserted at t, the next
    BOS removed) leaves every logit before t unchanged, bit for bit, on the dense path and the blocked one."""
    if long:  # 96 tokens through Segments, in query blocks of 32
        monkeypatch.setattr("golfkit.model.attention.DENSE_MAX_T", 8)
        monkeypatch.setattr(Segments, "QUERY_BLOCK", 32)
    model = wake(build(doc_mask=True, xsa_last_n=-1, attn_gate="sparse"))
    base = torch.randint(2, 1024, (96,), generator=G)
    base[[10, 40, 41, 77]] = 1
    assert isinstance(packed_mask(base[None], 1, 16), Segments) == long
    with torch.no_grad():
        z = model(base[None], piece_len=16)
        for t in (20, 40, 50, 77):
            for name, other in perturbations(base, t, seed=t).items():
                zo = model(other[None], piece_len=16)
                assert torch.equal(zo[:, :t], z[:, :t]), (t, name)
                assert not torch.equal(zo[:, t:], z[:, t:]), (t, name)  # the change is visible from t on
        assert not torch.equal(model(base[None]), z)  # the pieces act: a 96-token row without them differs


def test_doc_mask_with_differential_attention():
    model = wake(build(doc_mask=True, diff_attn=True))
    a = torch.randint(2, 1024, (1, 32), generator=G)
    a[0, 10] = 1
    b = a.clone()
    b[0, :10] = 7
    assert torch.equal(logits(model, a)[:, 10:], logits(model, b)[:, 10:])


# -- XSA form, VE projection init, frontend projection routing -------------------------------------
def test_xsa_projection_form():
    y, v = torch.randn(2, 8, 16, 32, generator=G), torch.randn(2, 4, 16, 32, generator=G)
    vr = v.repeat_interleave(2, dim=1)
    want = y - ((y * vr).sum(-1, keepdim=True) / (vr * vr).sum(-1, keepdim=True).clamp_min(1e-8)) * vr
    assert torch.equal(xsa_projection(y, v), want)
    torch.testing.assert_close(xsa_projection(y, v), xsa(y, v), rtol=0, atol=1e-5)  # the same map
    with pytest.raises(GolfkitError, match="xsa_form"):
        build(xsa_form="projection")


def test_ve_projection_init_and_frontend_projection_routing():
    model = build(ve_dim=16, ve_layers=[1], ve_proj_init="orthogonal", bigram_buckets=64, bigram_dim=16,
                  frontend_proj_optim="adam")
    w = model.frontend.ve.proj.weight  # (kv_dim, ve_dim): orthonormal columns
    torch.testing.assert_close(w.T @ w, torch.eye(w.size(1)), atol=1e-5, rtol=0)
    r = routes(model)
    for proj in (model.frontend.ve.proj.weight, model.frontend.bigram.proj.weight):
        assert r[id(proj)] == ("AdamW", SMOKE.optim.scalar_lr, SMOKE.optim.scalar_wd)  # PR #1290's scalar AdamW
    control = set(model.tensor_names("scalar"))  # ... and still quantized as matrices, not control tensors
    assert model.tensor_family("frontend.bigram.proj.weight", control) == "other"
    assert id(model.frontend.bigram.proj.weight) not in {id(p) for p in build(bigram_buckets=64).param_groups()["scalar"]}
    with pytest.raises(GolfkitError, match="ve_proj_init"):
        build(ve_proj_init="orthogonal")
    with pytest.raises(GolfkitError, match="frontend_proj_optim"):
        build(frontend_proj_optim="adam")


def test_switches_compose_in_one_compiled_graph():
    """The PR #1787-form stack (two lanes, document mask, bf16 frequencies, smear before the norm without the
    BOS mask, frozen asymmetric softcap, first-pass carry) traces with fullgraph=True and matches eager."""
    torch._dynamo.reset()
    model = wake(build(num_layers=4, parallel_residual="two_lane", parallel_start=3, two_lane_form="pr1787",
                       doc_mask=True, rope_dtype="bf16_freq", smear_gate=True, smear_before_norm=True,
                       smear_bos_mask=False, asym_softcap="frozen", num_loops=1, loop_start=1, loop_end=2,
                       recur_carry=True, recur_beta=[1.5, 1.8], recur_alpha=[[0.2, 0.1], [0.1, -0.3]],
                       recur_carry_source="first_pass", skip_gates=True))
    x = IDS.clone()
    x[:, 17] = 1
    compiled = torch.compile(model, backend="eager", fullgraph=True)
    with torch.no_grad():
        assert torch.equal(compiled(x), model(x))
