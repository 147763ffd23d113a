"""Record quantization against the records' own export functions (tests/records_harness.py loads them).

For each record preset, the same weights (the record's model, randomised, mapped to golfkit's names)
and the same Hessians are quantized by the record's own function (PR #1290 `mixed_quantize_int6`, the
PR #1787 lineage's `gptq_mixed_quantize`, swapp2's `quantize_state_dict_mixed`) and by golfkit's
policy pipeline under the preset's quant config: per tensor, the stored format, the integer codes,
the fp16 scales (and LQER factors) must be equal, bit for bit.

A subset of the tensors keeps this fast (every non-block tensor, the embedding, and all of block 0's): quantization is per tensor, except LQER's top-k ranking, which then ranks
within the subset on both sides. The compressed sizes of full models are compared in
test_records_size.py (slow).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch
from torch import nn

from records_harness import PRESET_OF, TO_RECORD_ORDER, Record, have_record, records_root, to_golfkit

from golfkit.model import GPT
from golfkit.presets import get_preset
from golfkit.quant import policy

pytestmark = pytest.mark.skipif(not records_root().is_dir(),
                                reason=f"record fixtures not found at {records_root()} (set GOLFKIT_TEST_RECORDS)")

RECORDS = ["pr1290", "pr1801", "pr1855", "pr2135", "swapp2"]


@functools.lru_cache(maxsize=None)
def _record(name: str) -> Record:
    return Record.load(name)


def golfkit_config(name: str):
    cfg = get_preset(PRESET_OF[name])
    rec = _record(name)
    return cfg.override({"model.vocab_size": rec.h.vocab_size}) if rec.h.vocab_size != cfg.model.vocab_size else cfg


@functools.lru_cache(maxsize=1)
def _weights(name: str):
    """(record state dict as its export sees it, golfkit model, golfkit state dict, golfkit name of each
    record tensor, the subset of record names compared)."""
    rec = _record(name)
    m = rec.build_model(seed=0)
    rec.randomize(m, seed=1)
    cfg = golfkit_config(name)
    g = GPT(cfg.model)
    mp = to_golfkit(rec, m, g)
    g.load_state_dict(mp.state, strict=False)
    sd = {k: v.detach() for k, v in m.state_dict().items()}
    n = rec.h.num_layers
    if hasattr(rec.mod, "_unbank_state_dict"):
        sd = rec.mod._unbank_state_dict(sd, n)
    gsd = {k: v.detach() for k, v in g.state_dict().items()}
    gname = {}
    for r in sd:
        if r in gsd:
            gname[r] = r
        elif len(mp.names.get(r, [])) == 1:
            gname[r] = mp.names[r][0]
    keep = [r for r in sd if not r.startswith("blocks.") or r.startswith("blocks.0.")]
    return sd, g, gsd, gname, keep


def _hessians(names_dims: dict[str, int], batches: int = 3, rows: int = 96, seed: int = 5):
    """Per weight name: activation batches X (rows, d) with uneven column scales (act order matters) and
    one dead input column, and H = sum X^T X / batches (the records' normalisation)."""
    g = torch.Generator().manual_seed(seed)
    acts, out = {}, {}
    for name, d in names_dims.items():
        scale = torch.rand(d, generator=g) * 2 + 0.05
        mix = torch.eye(d) + 0.1 * torch.randn(d, d, generator=g) / d ** 0.5
        xs = [(torch.randn(rows, d, generator=g) * scale) @ mix for _ in range(batches)]
        for x in xs:
            x[:, 7] = 0.0  # a dead input: H_77 = 0
        acts[name] = xs
        H = torch.zeros(d, d)
        for x in xs:
            H += x.T @ x
        H /= batches
        out[name] = H
    return acts, out


def _record_1290_hessians(rec: Record, acts: dict[str, list[torch.Tensor]]) -> dict[str, torch.Tensor]:
    """PR #1290's own collect_hessians_from_tokens (its sum, division and first damping) on these
    activations: a stand-in model whose CastedLinears sit at the weights' names and see the batches."""
    mod = rec.mod

    class Fake(nn.Module):
        def __init__(self):
            super().__init__()
            self.tree = {}
            for name, xs in acts.items():
                parent = self
                parts = name.split(".")[:-1]
                for p in parts[:-1]:
                    if not hasattr(parent, p):
                        parent.add_module(p, nn.Module())
                    parent = getattr(parent, p)
                lin = mod.CastedLinear(xs[0].shape[1], 1, bias=False)
                parent.add_module(parts[-1], lin)
                self.tree[name] = lin
            self.i = 0

        def forward(self, x, y):
            for name, lin in self.tree.items():
                lin(acts[name][self.i])
            self.i += 1

    fake = Fake()
    n = len(next(iter(acts.values())))
    seqs = [torch.zeros(1, 3, dtype=torch.long) for _ in range(n)]
    with rec.active(), _quiet():
        return mod.collect_hessians_from_tokens(fake, seqs, torch.device("cpu"))


class _quiet:
    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")  # autocast(device_type="cuda") without CUDA: disabled, with a warning

    def __exit__(self, *a):
        return self._w.__exit__(*a)


# ----------------------------------------------------------------------------------
# each side's stored tensors, in one comparable form
# ----------------------------------------------------------------------------------
def _np(t) -> np.ndarray:
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def record_stored(name: str, result: dict, meta: dict, rname: str) -> dict:
    """{"format": ..., parts...} of one tensor as the record stored it."""
    if name == "swapp2":
        if rname in result:
            t = result[rname]
            return {"format": "fp16" if t.dtype == torch.float16 else str(t.dtype), "w": _np(t)}
        return {"format": "int", "q": _np(result[rname + ".__q"]), "scale": _np(result[rname + ".__scale"]).reshape(-1)}
    info = meta[rname]
    if isinstance(info, str) and info.startswith("passthrough"):
        t = result[rname]
        return {"format": {torch.float16: "fp16", torch.float32: "fp32"}.get(t.dtype, "raw"), "w": _np(t)}
    if info == "gate_int8_row":
        return {"format": "int8_row", "q": _np(result[rname + ".gq"]), "scale": _np(result[rname + ".gs"]).reshape(-1)}
    out = {"format": "int", "q": _np(result[rname + ".q"]), "scale": _np(result[rname + ".scale"]).reshape(-1)}
    if isinstance(info, str) and "lqer_asym" in info:
        qb = _np(result[rname + ".lqB_a"])
        out.update(lqer_a=_np(result[rname + ".lqA_a"]), lqer_sa=_np(result[rname + ".lqAs_a"]).reshape(-1),
                   lqer_b=qb, lqer_sb=_np(result[rname + ".lqBs_a"]).reshape(-1))
    elif isinstance(info, dict) and info.get("type") == "int8":
        out["format"] = "int8_row"
    return out


def golfkit_stored(qt) -> dict:
    p = qt.parts
    if qt.format in ("fp16", "fp32", "raw"):
        return {"format": qt.format, "w": p["w"]}
    if qt.format == "int8_row":
        return {"format": "int8_row", "q": p["q"], "scale": p["scale"].reshape(-1)}
    out = {"format": "int", "q": p["q"], "scale": p["scale"].reshape(-1)}
    if "lqer" in qt.meta:
        out.update(lqer_a=p["lqer_a"], lqer_sa=p["lqer_sa"].reshape(-1), lqer_b=p["lqer_b"],
                   lqer_sb=p["lqer_sb"].reshape(-1))
    return out


def _same(a: dict, b: dict) -> list[str]:
    """Names of the parts that differ ('format' first)."""
    if a["format"] != b["format"]:
        return [f"format {a['format']} vs {b['format']}"]
    bad = []
    for k in sorted(set(a) | set(b) - {"format"}):
        if k == "format":
            continue
        if k not in a or k not in b:
            bad.append(f"{k} only on one side")
            continue
        x, y = np.asarray(a[k]), np.asarray(b[k])
        if k == "w":
            x, y = x.reshape(-1), y.reshape(-1)
        if k == "w" and x.size < y.size and x.dtype == y.dtype:
            # a model difference (e.g. PR #1290's 5 skip rows, golfkit's 6): the record's rows are equal, and
            # golfkit's extra rows are stored the same way; the model test (test_records.py) lists the gap
            if not np.array_equal(x.view(np.uint8), y[: x.size].view(np.uint8)):
                bad.append(f"{k}: the record's {x.size} values differ")
        elif x.shape != y.shape:
            bad.append(f"{k} shape {x.shape} vs {y.shape}")
        elif not np.array_equal(x.view(np.uint8) if x.dtype == y.dtype else x, y.view(np.uint8) if x.dtype == y.dtype else y):
            n = int((x != y).sum())
            bad.append(f"{k}: {n} of {x.size} differ")
    return bad


def quantize_both(name: str):
    """Per compared record tensor: (record stored, golfkit stored); plus the LQER'd names of each side."""
    rec = _record(name)
    sd, g, gsd, gname, keep = _weights(name)
    cfg = golfkit_config(name)
    q = cfg.quant
    keep = [r for r in keep if r in gname]
    sub = {r: sd[r] for r in keep}
    gsub = {gname[r]: gsd[gname[r]] for r in keep}
    dims = {r: t.shape[1] for r, t in sub.items() if t.is_floating_point() and t.ndim == 2 and t.numel() > 65_536}
    acts, H = _hessians(dims)
    with rec.active(), _quiet():
        if name == "pr1290":
            hr = _record_1290_hessians(rec, {r: acts[r] for r in dims if ".attn." in r or ".mlp." in r})
            result, meta = rec.mod.mixed_quantize_int6(sub, {"mlp", "attn"}, hessians=hr)
        elif name == "swapp2":
            result, meta = rec.mod.quantize_state_dict_mixed(sub), None
        else:
            result, meta = rec.mod.gptq_mixed_quantize(sub, H, rec.h)
    gh = {gname[r]: h for r, h in H.items()}
    qts = policy.quantize_policy(g, gsub, q, gh)
    lqer = policy.apply_lqer(qts, gsub, q) if q.lqer_rank > 0 else []
    by = {qt.name: qt for qt in qts}
    rows = {r: (record_stored(name, result, meta, r), golfkit_stored(by[gname[r]])) for r in keep}
    for r in keep:  # a passthrough tensor golfkit holds transposed is compared in the record's element order
        b, order = rows[r][1], TO_RECORD_ORDER.get(gname[r])
        if order is not None and "w" in b:
            b["w"] = np.ascontiguousarray(order(np.asarray(b["w"]).reshape(tuple(gsd[gname[r]].shape))))
    rec_lqer = sorted(r for r, (a, _) in rows.items() if "lqer_a" in a)
    return rows, rec_lqer, sorted(lqer), gname, hr if name == "pr1290" else None, H


@pytest.mark.slow
@pytest.mark.parametrize("name", RECORDS)
def test_quantization_equals_the_records(name, capsys):
    """Same weights and Hessians -> the same format, codes, scales (and LQER factors) per tensor."""
    if not have_record(name):
        pytest.skip(f"record {name} not in {records_root()}")
    rows, rec_lqer, gk_lqer, gname, _, _ = quantize_both(name)
    table, bad = [], []
    for r, (a, b) in rows.items():
        diff = _same(a, b)
        shape = "x".join(str(d) for d in np.asarray(a.get("q", a.get("w"))).shape)
        table.append(f"  {r:<40} {shape:>10} {a['format']:>8} {b['format']:>8}  {'equal' if not diff else '; '.join(diff)}")
        if diff:
            bad.append(f"{r}: {'; '.join(diff)}")
    with capsys.disabled():
        print(f"\n{name}: {len(rows)} tensors (record format, golfkit format); LQER record {rec_lqer} golfkit "
              f"{[g for g in gk_lqer]}\n" + "\n".join(table))
    assert [gname[r] for r in rec_lqer] == gk_lqer
    assert not bad, "\n".join(bad)


def test_pr1290_collection_damping_is_the_records():
    """quant.gptq_damp_twice's first damping = PR #1290's collect_hessians_from_tokens, bit for bit."""
    if not have_record("pr1290"):
        pytest.skip("record pr1290 not found")
    from golfkit.quant.gptq import damp_hessian

    rec = _record("pr1290")
    acts, H = _hessians({"blocks.0.attn.c_q.weight": 512, "blocks.0.mlp.proj.weight": 1536})
    hr = _record_1290_hessians(rec, acts)
    for k in H:
        assert torch.equal(damp_hessian(H[k], 0.01), hr[k])


def test_record_quant_switches_are_off_by_default():
    from golfkit.config import QuantConfig

    q = QuantConfig()
    assert (q.scale_floor, q.gptq_damp_twice, q.calib_looped, q.control_format, q.sdclip_std, q.gate_int8,
            q.int8_rows, q.lqer_select) == ("fp16_min", False, True, "fp32", "population", False, "policy", "improving")
