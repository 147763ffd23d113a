"""Compressed artifact size: golfkit's container against each record's own serializer, same codes.

golfkit quantizes the record's (randomised) weights under the preset's quant config with every
family on round-to-nearest (GPTQ's codes are compared in test_records_quant.py; here only the bytes
matter and RTN keeps it fast). The record's own quantization function then runs on the same weights
with its GPTQ core replaced by golfkit's codes for that tensor, so its layout, meta, LQER and
passthrough rules are its own; its own serializer writes the bytes:

    PR #1290   torch.save({"w", "m"}) + lzma preset 9 (main())
    PR #1801   torch.save({"w", "m"}) + _compress (byte shuffle + brotli 11)
    PR #1855   _serialize_pergroup (lrzip -z -L 9 per group + brotli remainder), COMPRESSOR=pergroup
    PR #2135   _pack_pergroup (one lrzip stream for all codes + shuffled brotli remainder)
    swapp2     torch.save(quantize_state_dict_mixed(...)) + zstd 22

golfkit: `artifact.pack` with the preset's compressor (pergroup for #1855 / #2135: PR #2135's layout;
it needs the lrzip program, as the records do, and the test is skipped without it). `measure(name, full=True)` is the full model
(benchmarks: LOG.md / BENCHMARKS.md); the test uses the subset of test_records_quant.py.
"""

from __future__ import annotations

import io
import lzma
import shutil
import tempfile
import time
from collections import defaultdict

import pytest
import torch

import test_records_quant as trq
from records_harness import have_record, records_root

from golfkit import artifact
from golfkit.quant import policy

pytestmark = pytest.mark.skipif(not records_root().is_dir(),
                                reason=f"record fixtures not found at {records_root()} (set GOLFKIT_TEST_RECORDS)")

PERGROUP = ("pr1855", "pr2135")


def _rtn(q):
    q = q.override({f"quant.{f}.method": "rtn" for f in ("embedding", "attention", "mlp", "other")})
    return q


def measure(name: str, full: bool = False, skip: tuple[str, ...] = ()) -> dict:
    """Bytes of golfkit's artifact and of the record's serializer for the same codes (+ seconds);
    `skip`: tensor names left out (lrzip's ZPAQ is slow: the pergroup test leaves out the embedding)."""
    rec = trq._record(name)
    sd, g, gsd, gname, keep = trq._weights(name)
    if full:
        keep = list(sd)
    keep = [r for r in keep if r not in skip]
    keep = [r for r in keep if r in gname or not sd[r].is_floating_point() or sd[r].numel() <= 65_536]
    cfg = _rtn(trq.golfkit_config(name))
    q = cfg.quant
    gsub = {gname[r]: gsd[gname[r]] for r in keep if r in gname}
    qts = policy.quantize_policy(g, gsub, q, {})
    if q.lqer_rank > 0:
        policy.apply_lqer(qts, gsub, q)  # the record applies its own LQER below, on the same codes
    by = {qt.name: qt for qt in qts}
    codes = {}  # record tensor data_ptr -> (codes, fp16 scales) golfkit chose
    sub = {}
    for r in keep:
        t = sd[r].detach().cpu().contiguous()
        sub[r] = t
        qt = by.get(gname.get(r, ""))
        if qt is not None and qt.format in ("int_row", "int_group", "int8_row"):
            codes[t.data_ptr()] = (torch.from_numpy(qt.parts["q"].copy()),
                                   torch.from_numpy(qt.parts["scale"].reshape(-1).copy()))

    def from_golfkit(w, *a, **k):
        return codes[w.data_ptr()]

    mod = rec.mod
    t0 = time.perf_counter()
    with rec.active(), trq._quiet():
        if name == "pr1290":
            saved = mod.quantize_int6_gptq
            mod.quantize_int6_gptq = from_golfkit
            try:
                hess = {r: torch.zeros(1) for r in sub}  # any non-None H routes to the (patched) GPTQ
                result, meta = mod.mixed_quantize_int6(sub, {"mlp", "attn"}, hessians=hess)
            finally:
                mod.quantize_int6_gptq = saved
            buf = io.BytesIO()
            torch.save({"w": result, "m": meta}, buf)
            blob = lzma.compress(buf.getvalue(), preset=9)
        elif name == "swapp2":
            buf = io.BytesIO()
            torch.save(mod.quantize_state_dict_mixed(sub), buf)
            import zstandard
            blob = zstandard.ZstdCompressor(level=22).compress(buf.getvalue())
        else:
            saved = mod.gptq_quantize_weight
            mod.gptq_quantize_weight = from_golfkit
            try:
                result, meta = mod.gptq_mixed_quantize(sub, defaultdict(lambda: None), rec.h)
            finally:
                mod.gptq_quantize_weight = saved
            if name == "pr1855":
                tmp = tempfile.mkdtemp(prefix="pgrp_")
                try:
                    blob = mod._serialize_pergroup(result, meta, rec.h.num_layers, tmp)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
            elif name == "pr2135":
                blob = mod._pack_pergroup(result, meta)
            else:
                buf = io.BytesIO()
                torch.save({"w": result, "m": meta}, buf)
                blob = mod._compress(buf.getvalue(), rec.h.compressor)
    t_rec = time.perf_counter() - t0
    t0 = time.perf_counter()
    extra = {"format": "golfkit_policy_v1"}
    art = artifact.Artifact(qts, cfg.to_dict(), extra, q.compressor + ("+shuffle" if q.byte_shuffle else ""))
    golf = len(artifact.pack(art))
    return {"record": name, "tensors": len(keep), "record_bytes": len(blob), "golfkit_bytes": golf,
            "diff_pct": 100.0 * (golf - len(blob)) / len(blob), "golfkit_codec": art.compressor,
            "record_s": t_rec, "golfkit_s": time.perf_counter() - t0}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pr1290", "pr1801", "swapp2", *PERGROUP])
def test_compressed_size_close_to_the_records(name, capsys):
    if not have_record(name):
        pytest.skip(f"record {name} not in {records_root()}")
    if name in PERGROUP and shutil.which("lrzip") is None:
        pytest.skip("the record's per-group serializer calls the lrzip binary (Debian package lrzip)")
    m = measure(name, skip=("tok_emb.weight",) if name in PERGROUP else ())
    with capsys.disabled():
        print(f"\n{m}")
    assert abs(m["diff_pct"]) <= 0.5
