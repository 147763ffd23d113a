"""Record presets against the records' own train_gpt.py (tests/records_harness.py loads them on CPU).

For each record preset: the record's parameter count against its log and golfkit's against the
record's; its settings against the preset's, one by one (a printed table; deviations must be
declared in presets.RECORD_DEVIATIONS); its weights under golfkit's names; logits on real validation
tokens, looped and unlooped, plain and (PR #1787 lineage) masked per document as in their training,
max |difference| = 0 in fp32; the optimizer routing; one whole-model optimizer step on the same
gradients; two Muon steps on banks and Newton-Schulz bit for bit.

Short sequences by default; the record lengths (1,024 and 2,048 tokens) are marked slow.
The baseline is included: the preset as the reference ran (bf16 RoPE tables), and the harness's own
check (golfkit with fp32 tables = the reference with fp32 buffers).
"""

from __future__ import annotations

import copy
import functools
import types

import numpy as np
import pytest
import torch

from records_harness import (PRESET_OF, Record, data_root, format_table, golfkit_logits, golfkit_model,
                             golfkit_routing, hparam_table, have_record, no_pinned_memory, record_optimizers,
                             record_routing, records_root, to_golfkit, val_tokens)

from golfkit.config import DataConfig, OptimConfig
from golfkit.errors import GolfkitError
from golfkit.data import PackedDocumentLoader, read_shard, write_shard
from golfkit.model.attention import segment_ids
from golfkit.optim import NS_SETS, build_optimizers, muon_momentum_at, newton_schulz
from golfkit.presets import RECORD_DEVIATIONS, get_preset

pytestmark = pytest.mark.skipif(not records_root().is_dir(),
                                reason=f"record fixtures not found at {records_root()} (set GOLFKIT_TEST_RECORDS)")

RECORDS = ["pr1290", "pr1801", "pr1855", "pr2135", "swapp2"]
ALL = ["baseline", *RECORDS]
DOC_MASKED = ["pr1801", "pr1855", "pr2135"]  # train (and eval_val) with cu_seqlens from BOS
SHORT = 128  # tokens per sequence in the default (fast) logit checks

# What the records run that golfkit cannot express yet (the MISSING rows of the printed settings table).
NOT_EXPRESSIBLE: dict[str, str] = {}  # every record feature is a switch or a declared deviation now


def _xfail_if(name: str, gaps: dict[str, str]):
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=gaps[n])) if n in gaps else n for n in name]


def _needs(name: str) -> None:
    if not have_record(name):
        pytest.skip(f"record {name} not in {records_root()}")


@functools.lru_cache(maxsize=None)
def _record(name: str) -> Record:
    return Record.load(name)


@functools.lru_cache(maxsize=2)  # two ~35M-parameter models per record: keep the memory bounded
def _pair(name: str):
    """The record's model (randomised weights, the run's buffer dtypes) and golfkit's preset model
    holding the same weights."""
    rec = _record(name)
    m = rec.build_model(seed=0)
    rec.randomize(m, seed=1)
    g = golfkit_model(golfkit_config(name), looped=False)
    mp = to_golfkit(rec, m, g)
    g.load_state_dict(mp.state, strict=False)
    return rec, m, g, mp


def golfkit_config(name: str):
    return get_preset(PRESET_OF[name])


def _tokens(vocab: int, T: int) -> torch.Tensor:
    ids = val_tokens(vocab, T)
    if ids is None or ids.numel() < T:
        pytest.skip("offline validation tokens not found (set GOLFKIT_TEST_DATA)")
    return ids[None]


# ----------------------------------------------------------------------------------
# parameter counts
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_record_parameter_count_is_its_logs(name):
    """The harness builds each record as its run did (env from its README/log): same count as the log."""
    _needs(name)
    rec = _record(name)
    n = rec.param_count(rec.build_model())
    if name == "swapp2":
        # its train.log is from other code: 589,825 more parameters (= a 4096x128 BigramHash, its 128->512
        # projection and a scale; the file has no BigramHash) and a 57,899-byte script (the file: 65,338)
        assert (n, rec.logged_param_count()) == (26_502_232, 27_092_057)
        return
    assert n == rec.logged_param_count()


@pytest.mark.parametrize("name", ALL)
def test_golfkit_parameter_count_is_the_records(name):
    _needs(name)
    rec, m, g, _ = _pair(name)
    assert sum(p.numel() for p in g.parameters()) == rec.param_count(m)


# ----------------------------------------------------------------------------------
# settings, one by one
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", RECORDS)
def test_preset_settings_are_the_records(name, capsys):
    """Every setting golfkit can express equals the record's run, or is a declared deviation."""
    _needs(name)
    rec = _record(name)
    preset = PRESET_OF[name]
    rows = hparam_table(rec, get_preset(preset), RECORD_DEVIATIONS.get(preset, {}))
    with capsys.disabled():
        print(f"\n{name} ({rec.run.source}) vs {preset}:\n{format_table(rows)}")
    assert not rec.run.readme_vs_log or all(var in ("SEED",) for var, _, _ in rec.run.readme_vs_log), \
        f"README command and log disagree: {rec.run.readme_vs_log}"
    diffs = [r for r in rows if r.status == "DIFF"]
    assert not diffs, "\n" + format_table(diffs)
    declared = set(RECORD_DEVIATIONS.get(preset, {}))
    used = {r.key for r in rows if r.status == "declared"}
    assert declared <= used, f"declared deviations that are not deviations: {sorted(declared - used)}"


@pytest.mark.parametrize("name", _xfail_if(RECORDS, NOT_EXPRESSIBLE))
def test_every_record_feature_is_expressible(name):
    _needs(name)
    rec = _record(name)
    preset = PRESET_OF[name]
    rows = hparam_table(rec, get_preset(preset), RECORD_DEVIATIONS.get(preset, {}))
    missing = [r for r in rows if r.status == "MISSING"]
    assert not missing, "\n" + format_table(missing)


# ----------------------------------------------------------------------------------
# weights and logits
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_every_record_tensor_has_a_golfkit_name(name):
    _needs(name)
    rec, m, g, mp = _pair(name)
    consts = {"recur_alpha", "recur_beta"}  # frozen buffers: golfkit's model.recur_alpha/beta config
    for k in consts & set(mp.record_only):
        want = getattr(g.cfg, k)
        assert torch.equal(m.state_dict()[k].float(), torch.tensor(want, dtype=torch.float32)), k
    lost = [k for k in mp.record_only if k not in consts]
    assert not lost and not mp.golfkit_only and not [n for n in mp.notes if "rows" in n or "shapes" in n], \
        (lost, mp.golfkit_only, mp.notes)


def _cu_seqlens(rec: Record, ids: torch.Tensor):
    """The record's own cu_seqlens for one row (its _build_cu_seqlens, BOS = 1, pieces of train_seq_len)."""
    bos = (ids[0] == 1).nonzero().flatten().tolist()
    with rec.active():
        cu, _ = rec.mod._build_cu_seqlens(bos, ids.size(1), ids.device, rec.h.train_seq_len, 64)
    return cu


@functools.lru_cache(maxsize=None)
def _logit_diff(name: str, T: int, looped: bool, docs: bool) -> float:
    """max |logit diff|, golfkit's preset against the record (one forward each). docs: both masked per
    document (the record with its cu_seqlens, golfkit with model.doc_mask); else both plain causal
    (the record's forward_logits(x), as in its GPTQ calibration; golfkit with the mask switched off)."""
    rec, m, g, _ = _pair(name)
    ids = _tokens(rec.h.vocab_size, T)
    zr = rec.logits(m, ids, looped, cu_seqlens=_cu_seqlens(rec, ids) if docs else None)
    g.doc_masking = docs
    try:
        zg = golfkit_logits(g, ids, looped)
    finally:
        g.doc_masking = g.cfg.doc_mask
    return (zr - zg).abs().max().item()


def _cases(lengths):
    out = []
    for name in ALL:
        for T, slow in lengths:
            for looped in (False, True):
                for docs in ((False, True) if name in DOC_MASKED else (False,)):
                    marks = [pytest.mark.slow] if slow else []
                    out.append(pytest.param(name, T, looped, docs, marks=marks,
                                            id=f"{name}-T{T}-{'looped' if looped else 'flat'}{'-docs' if docs else ''}"))
    return out


LENGTHS = [(SHORT, False), (1024, True), (2048, True)]


@pytest.mark.parametrize("name,T,looped,docs", _cases(LENGTHS))
def test_logits_equal_the_records(name, T, looped, docs):
    """Record weights in golfkit's preset model: max |logit diff| = 0 in fp32, against the record as its run
    computed it (buffers in the precision the run cast them to), on real validation tokens."""
    _needs(name)
    if looped and not _record(name).loops():
        pytest.skip("the record has no loop")
    d = _logit_diff(name, T, looped, docs)
    assert d == 0.0, f"max |logit diff| = {d:.4g}"


def test_pr1290_late_qat_equals_the_records():
    """PR #1290's late QAT (CastedLinear._qat_enabled, lines 553-565): with the switch on, the record's STE and
    golfkit's quant.qat_* give the same training-mode logits: only the BigramHash/VE projections are fake-quantized
    (the block matrices are banks), on the record's int6 rowmax grid."""
    from golfkit.quant.qat import attach

    _needs("pr1290")
    rec, m, g, _ = _pair("pr1290")
    ids = _tokens(rec.h.vocab_size, SHORT)
    m2, g2 = copy.deepcopy(m).train(), copy.deepcopy(g).train()
    _, lins = attach(g2, golfkit_config("pr1290").quant, on=True)
    names = sorted(n for n, mod in g2.named_modules() if any(mod is lin for lin in lins))
    assert len(names) == 2 and all(not n.startswith("blocks.") for n in names), names
    off = rec.logits(m2, ids)
    rec.mod.CastedLinear._qat_enabled = True
    try:
        on = rec.logits(m2, ids)
    finally:
        rec.mod.CastedLinear._qat_enabled = False
    assert (on - off).abs().max().item() > 1e-3  # the STE changes the record's logits
    assert (on - golfkit_logits(g2, ids, False)).abs().max().item() == 0.0


def test_pr1290_late_qat_turns_on_where_the_records_does():
    """The record checks `lr_mul(step, elapsed) < 0.15` before each step (lines 2035-2038). Its lr_mul (lines
    1956-1966): without a cap (iterations - step) / warmdown_iters over the last warmdown_iters steps; with one,
    remaining_ms / (warmdown_iters x mean step ms). golfkit's quant.qat.due agrees at the boundary in both."""
    from golfkit.quant.qat import due

    cfg = get_preset("record-1290").override({"schedule.iterations": 20_000, "schedule.max_wallclock_seconds": 0})
    q, s = cfg.quant, cfg.schedule
    first = next(k for k in range(20_000) if (20_000 - k) / 4000 < 0.15)  # 19,401
    assert [due(q, s, k, k / 20_000) for k in (first - 1, first)] == [False, True]
    capped = cfg.override({"schedule.max_wallclock_seconds": 600.0}).schedule
    step_ms = 100.0  # 6,000 steps of 100 ms: warmdown = 4000 x 100 ms = 400 s, below 0.15 once < 60 s remain
    for k, want in ((5398, False), (5402, True)):
        assert due(q, capped, k, k * step_ms / 600_000.0) == want, k


def test_baseline_fp32_tables_match_the_reference_with_fp32_buffers():
    """The harness itself: golfkit's baseline with fp32 RoPE tables (model.rope_dtype=fp32, RunConfig's
    default) equals the reference train_gpt.py with fp32 buffers exactly; the preset's bf16 tables are what
    the run had (test_logits_equal_the_records[baseline-*])."""
    _needs("baseline")
    rec = _record("baseline")
    m = rec.build_model(seed=0, dtypes="fp32")
    rec.randomize(m, seed=1)
    g = golfkit_model(get_preset("baseline").override({"model.rope_dtype": "fp32"}), looped=False)
    g.load_state_dict(to_golfkit(rec, m, g).state, strict=True)
    ids = _tokens(1024, SHORT)
    assert torch.equal(rec.logits(m, ids), golfkit_logits(g, ids, False))


@pytest.mark.parametrize("name", DOC_MASKED)
def test_document_masking_is_the_records(name):
    """A window with a document start in its middle: the record's doc-masked forward (its cu_seqlens) equals
    golfkit's preset, and differs from the plain causal forward after the BOS (so the masking is exercised)."""
    _needs(name)
    rec, m, g, _ = _pair(name)
    toks = _tokens(rec.h.vocab_size, 8192)[0]
    starts = (toks == 1).nonzero().flatten().tolist()
    b = next((x for x in starts if x >= SHORT // 2), None)
    if b is None or b + SHORT // 2 > toks.numel():
        pytest.skip("no document boundary in the first validation tokens")
    ids = toks[b - SHORT // 2: b + SHORT // 2][None]  # a window with a document start in its middle
    zr = rec.logits(m, ids, looped=True, cu_seqlens=_cu_seqlens(rec, ids))
    zg = golfkit_logits(g, ids, True)
    assert (zr - zg).abs().max().item() == 0.0
    plain = rec.logits(m, ids, looped=True)
    assert torch.equal(plain[:, : SHORT // 2], zr[:, : SHORT // 2])  # before the BOS: nothing to mask
    assert not torch.allclose(plain[:, SHORT // 2:], zr[:, SHORT // 2:])


# ----------------------------------------------------------------------------------
# packed training rows (data.packing=documents): the records' DocumentPackingLoader + varlen attention
# ----------------------------------------------------------------------------------
CASEOPS = "fineweb10B_sp8192_lossless_caps_caseops_v1_reserved"


def _train_shard() -> np.ndarray:
    f = data_root() / "datasets" / CASEOPS / "fineweb_train_000000.bin"
    if not f.is_file():
        pytest.skip(f"offline training shard {f} not found (set GOLFKIT_TEST_DATA)")
    return read_shard(f)


def _small_shards(tmp_path, cuts=(0, 3000, 4700, 9000)):
    """Three train shards cut from the real one: lengths 3000, 1700, 4300; the second and third start
    inside a document (their first BOS is not at 0), so the cursor rule and the shard advance both act."""
    toks = _train_shard()
    files = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        files.append(tmp_path / f"fineweb_train_{i:06d}.bin")
        write_shard(files[-1], toks[a:b])
    assert any(toks[a] != 1 for a in cuts[1:-1])
    return files


def _starts(cu: torch.Tensor, total: int) -> list[int]:
    """Segment starts of a padded cu_seqlens (the records pad it with `total`)."""
    return sorted({int(c) for c in cu.tolist() if int(c) < total})


def _piece_starts(x: torch.Tensor, max_len: int) -> list[int]:
    seg = segment_ids(x, 1, max_len)[0]
    return [0] + (torch.nonzero(seg[1:] != seg[:-1]).flatten() + 1).tolist()


@pytest.mark.parametrize("world,accum", [(1, 1), (2, 2)])
@pytest.mark.parametrize("name", DOC_MASKED)
def test_packed_rows_are_the_records_loader(name, world, accum, tmp_path):
    """The record's own DocumentPackingLoader and golfkit's PackedDocumentLoader on the same shards (and for
    every rank): the same (1, local_tokens) inputs and targets for 24 consecutive micro-batches (through
    shard advances, a dropped tail and the wrap to the first shard), and the record's cu_seqlens segments
    (documents cut into train_seq_len pieces) equal golfkit's segment_ids of the row."""
    _needs(name)
    rec = _record(name)
    files = _small_shards(tmp_path)
    seq, local = 64, 512 // world
    global_tokens = local * world * accum
    spans_per_cycle = sum(1 for f in files for _ in range((read_shard(f).size - 0) // (world * (local + 1))))
    assert 0 < spans_per_cycle < 24  # the 24 batches go round the shards at least once
    for rank in range(world):
        h = types.SimpleNamespace(rank=rank, world_size=world, train_seq_len=seq,
                                  train_files=str(tmp_path / "fineweb_train_*.bin"))
        ours = PackedDocumentLoader(files, rank, world, torch.device("cpu"), 8192, guard=DataConfig(guard="off"))
        with rec.active(), no_pinned_memory():
            theirs = rec.mod.DocumentPackingLoader(h, torch.device("cpu"))
            try:
                for i in range(24):
                    xr, yr, cu, _ = theirs.next_batch(global_tokens, accum)
                    xg, yg = ours.next_batch(local, seq)
                    assert xg.shape == yg.shape == (1, local)
                    assert torch.equal(xr, xg) and torch.equal(yr, yg), f"rank {rank} batch {i}"
                    assert _starts(cu, local) == _piece_starts(xg, seq), f"rank {rank} batch {i}"
            finally:  # the record prefetches in a thread: let it finish while pinning is still the identity
                pending = list(getattr(theirs, "_prefetch_queue", [])) + [getattr(theirs, "_next_batch", None)]
                for f in pending:
                    if f is not None:
                        f.result()


def test_packed_loader_refuses_what_it_cannot_pack(tmp_path):
    files = _small_shards(tmp_path)
    ours = PackedDocumentLoader(files, 0, 1, torch.device("cpu"), 8192, guard=DataConfig(guard="off"))
    with pytest.raises(GolfkitError, match="packed span"):
        ours.next_batch(5000, 64)  # no shard holds 5,001 tokens after its first BOS
    bad = tmp_path / "fineweb_val_000000.bin"
    bad.write_bytes(files[0].read_bytes())
    with pytest.raises(GolfkitError, match="only fineweb_train"):
        PackedDocumentLoader([bad], 0, 1, torch.device("cpu"), 8192, guard=DataConfig(guard="off"))


@pytest.mark.parametrize("looped", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["flat", "looped"])
@pytest.mark.parametrize("name", DOC_MASKED)
def test_packed_row_logits_are_the_records(name, looped):
    """One packed training row of 512 tokens, pieces of 128 (as the records' loader cuts them with
    train_seq_len = 128): the record's forward with its own cu_seqlens (its _build_cu_seqlens, the varlen stub
    honours them) equals golfkit's preset model given piece_len=128, exactly; and the pieces matter (the
    whole-document mask gives other logits)."""
    _needs(name)
    if looped and not _record(name).loops():
        pytest.skip("the record has no loop")
    rec, m, g, _ = _pair(name)
    _train_shard()
    f = data_root() / "datasets" / CASEOPS / "fineweb_train_000000.bin"
    loader = PackedDocumentLoader([f], 0, 1, torch.device("cpu"), 8192, guard=DataConfig(guard="off"))
    loader.next_batch(512)
    x, _ = loader.next_batch(512)  # the second row: it starts inside a document
    bos = (x[0] == 1).nonzero().flatten().tolist()
    with rec.active():
        cu, _ = rec.mod._build_cu_seqlens(bos, 512, x.device, 128, 64)
    starts = _starts(cu, 512)
    assert x[0, 0] != 1 and set(starts) - set(bos) - {0}  # a row-start document and a cut inside a document
    zr = rec.logits(m, x, looped, cu_seqlens=cu)
    g.looping_active = looped and g.loop is not None
    with torch.no_grad():
        zg = g(x, piece_len=128).float()
        whole = g(x).float()
    assert (zr - zg).abs().max().item() == 0.0
    assert not torch.equal(zg, whole)


# ----------------------------------------------------------------------------------
# optimizer
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_optimizer_routing_is_the_records(name):
    """Each tensor goes to the same optimizer (Muon / Adam) with the same learning rate and weight decay."""
    _needs(name)
    rec, m, g, mp = _pair(name)
    cfg = golfkit_config(name)
    rr, gr = record_routing(rec, m), golfkit_routing(cfg, g)
    bad = []
    for rname, route in rr.items():
        gnames = mp.names.get(rname, [])
        if not gnames:
            bad.append((rname, route, "no golfkit tensor"))
        for gname in gnames:
            if gr.get(gname) != route:
                bad.append((rname, route, gname, gr.get(gname)))
    assert not bad, "\n".join(map(str, bad[:20]))


@pytest.mark.parametrize("name", ALL)
def test_one_optimizer_step_equals_the_records(name):
    """The whole model, one step at the first step's learning rates and momentum, on the same random
    gradients: the record's optimizers (its own classes, as its training builds them) against golfkit's
    build_optimizers. Equal to fp32 rounding: the records' AdamW is torch's fused kernel, golfkit's on
    CPU the foreach one (the same formula); the Muon banks are bit-equal (test_muon_steps_equal_the_records)."""
    _needs(name)
    rec = _record(name)
    m = rec.build_model(seed=0)
    rec.randomize(m, seed=1)
    cfg = golfkit_config(name)
    g = golfkit_model(cfg, looped=False)
    g.load_state_dict(to_golfkit(rec, m, g).state, strict=False)
    gen = torch.Generator().manual_seed(3)
    grads = {n: torch.randn(p.shape, generator=gen) * 0.01 for n, p in m.named_parameters()}
    ggrads = to_golfkit(rec, m, g, src=grads).state
    for n, p in m.named_parameters():
        p.grad = grads[n].to(p.dtype)
    for n, p in g.named_parameters():
        p.grad = ggrads[n].clone() if p.requires_grad else None
    ropts = record_optimizers(rec, m)
    gopts = build_optimizers(g.param_groups(), cfg.optim, cfg.model.tie_embeddings, fused=False)
    h = rec.h
    for o in ropts:
        if type(o).__name__ == "Muon":
            for grp in o.param_groups:
                grp["momentum"] = h.muon_momentum_warmup_start if h.muon_momentum_warmup_steps else h.muon_momentum
    for o in gopts:
        for grp in o.param_groups:
            grp["lr"] = grp["base_lr"]
            if hasattr(o, "ns"):
                grp["momentum"] = muon_momentum_at(0, cfg.optim)
    with rec.active():
        for o in ropts:
            o.step()
    for o in gopts:
        o.step()
    after = to_golfkit(rec, m, g).state
    gsd = g.state_dict()
    worst = {k: (after[k] - gsd[k].float()).abs().max().item() / max(after[k].abs().max().item(), 1e-30)
             for k in after}
    print(f"\n{name}: worst relative |param diff| after one step {max(worst.values()):.3g}")
    bad = {k: v for k, v in worst.items() if v > 2e-7}
    assert not bad, sorted(bad.items(), key=lambda kv: -kv[1])[:10]


def _record_muon(rec: Record, params):
    """The record's own Muon, constructed as its training does."""
    h = rec.h
    with rec.active():
        if rec.new_style:
            return rec.mod.Muon(params, lr=h.matrix_lr, momentum=h.muon_momentum, backend_steps=h.muon_backend_steps,
                                weight_decay=h.muon_wd, row_normalize=h.muon_row_normalize)
        if rec.name == "pr1290":
            return rec.mod.Muon(params, lr=h.matrix_lr, momentum=h.muon_momentum, backend_steps=h.muon_backend_steps,
                                weight_decay=h.muon_wd)
        return rec.mod.Muon(params, lr=h.matrix_lr, momentum=h.muon_momentum, backend_steps=h.muon_backend_steps)


def _muon_shapes(rec: Record, layers: int) -> list[tuple[int, int, int]]:
    h = rec.h
    d, kv = h.model_dim, h.num_kv_heads * (h.model_dim // h.num_heads)
    if rec.name == "swapp2":
        hid = ((int(2 * h.mlp_mult * d / 3) + 63) // 64) * 64
        return [(layers, d, d), (layers, kv, d), (layers, hid, d), (layers, d, hid)]
    hid = int(h.mlp_mult * d)
    return [(2 * layers, d, d), (2 * layers, kv, d), (layers, hid, d), (layers, d, hid)]


@pytest.mark.parametrize("name", RECORDS)
def test_muon_steps_equal_the_records(name, layers=2):
    """Two Muon steps on the same gradients, golfkit's optimizer as the preset builds it against the record's
    own Muon (its banks: one (B, rows, cols) tensor per matrix kind), equal bit for bit. Banks have B >= 2 as
    in the records (11 layers): torch's CPU bf16 batched matmul with B = 1 rounds a 1536x512 bank differently
    from B >= 2 and from a 2-D matmul, which golfkit uses."""
    _needs(name)
    rec = _record(name)
    cfg = golfkit_config(name)
    torch.manual_seed(0)
    banks = [torch.nn.Parameter(torch.randn(s) * 0.02) for s in _muon_shapes(rec, layers)]
    if rec.name == "swapp2":  # the baseline's Muon takes plain matrices
        rparams = [torch.nn.Parameter(b.detach()[i].clone()) for b in banks for i in range(b.shape[0])]
    else:
        rparams = banks
    ropt = _record_muon(rec, rparams)
    gparams = [torch.nn.Parameter(b.detach()[i].clone()) for b in banks for i in range(b.shape[0])]
    dummy = [torch.nn.Parameter(torch.zeros(1))]
    gopt = [o for o in build_optimizers({"embed": dummy, "head": [], "matrix": gparams, "scalar": list(dummy)},
                                        cfg.optim, True, fused=False) if type(o).__name__ == "Muon"][0]
    h = rec.h
    for step in range(2):
        mom_r = (lambda f: (1 - f) * h.muon_momentum_warmup_start + f * h.muon_momentum)(
            min(step / h.muon_momentum_warmup_steps, 1.0))
        for grp in ropt.param_groups:
            grp["momentum"] = mom_r
        for grp in gopt.param_groups:
            grp["momentum"] = muon_momentum_at(step, cfg.optim)
        assert gopt.param_groups[0]["momentum"] == mom_r
        grads = [torch.randn(b.shape) for b in banks]
        flat = [gg[i].clone() for gg in grads for i in range(gg.shape[0])]
        for p, gg in zip(gparams, flat):
            p.grad = gg.clone()
        for p, gg in zip(rparams, grads if rparams is banks else flat):
            p.grad = gg.clone()
        with rec.active():
            ropt.step()
        gopt.step()
    rflat = [p.detach() for p in rparams] if rparams is not banks else [b.detach()[i] for b in banks for i in range(b.shape[0])]
    worst = max((a - b.detach()).abs().max().item() for a, b in zip(rflat, gparams))
    assert worst == 0.0, f"max |param diff| after 2 steps = {worst:.3g}"


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("name", ALL)
def test_newton_schulz_is_the_records_bit_for_bit(name, dtype):
    """golfkit's newton_schulz with the preset's coefficients and order = the record's zeropower function
    (torch.compile off on both sides), for every matrix shape the records use, on the input the record gives
    it: a bank of matrices (B = 2) for the batched records, one matrix for the baseline's Muon."""
    _needs(name)
    rec = _record(name)
    o = golfkit_config(name).optim
    torch.manual_seed(0)
    for shape in [(512, 512), (256, 512), (1536, 512), (2048, 512), (512, 2048), (1024, 512), (64, 128)]:
        G = torch.randn((2, *shape) if rec.name.startswith("pr") else shape).to(dtype)
        with rec.active():
            ref = rec.mod.zeropower_via_newtonschulz5(G.clone(), steps=o.muon_backend_steps)
        # the batched records give their bank as one stack, as golfkit's Muon does with optim.muon_batched
        ours = newton_schulz(G.clone(), o.muon_backend_steps, NS_SETS[o.muon_ns], order=o.muon_ns_order)
        assert torch.equal(ref, ours), f"{shape}: max diff {(ref.float() - ours.float()).abs().max().item():.3g}"


def test_newton_schulz_order_is_a_switch_off_by_default():
    """The baseline's order stays the default; the records' order gives a different bf16 result."""
    assert OptimConfig().muon_ns_order == "baseline" and OptimConfig().muon_numerics == "baseline"
    assert get_preset("baseline").optim.muon_ns_order == "baseline"
    torch.manual_seed(0)
    G = torch.randn(256, 512)
    a = newton_schulz(G, 5, NS_SETS["standard"], order="baseline")
    b = newton_schulz(G, 5, NS_SETS["standard"], order="records")
    assert a.dtype == b.dtype == torch.bfloat16 and not torch.equal(a, b)
    assert (a.float() - b.float()).abs().max() < 0.05  # same map, different rounding
