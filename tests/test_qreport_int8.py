"""`golfkit quant report` on a run exported the baseline way (int8 scheme, no quant_report.json)."""

import json

from conftest import golfkit_cli


def test_report_of_a_baseline_int8_run(smoke_run):
    run_dir, m = smoke_run
    r = golfkit_cli("quant", "report", str(run_dir), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    rep = json.loads(r.stdout)
    fmts = {t["name"]: (t["format"], t["bits"]) for t in rep["tensors"]}
    assert fmts["tok_emb.weight"] == ("fp16", 16) and fmts["skip_weights"] == ("fp32", 32)
    assert rep["bytes_model"] == m["bytes_model"]
    # the checkpoint beside the artifact gives the reconstruction error of every stored tensor
    assert all(t["rel_err"] is not None for t in rep["tensors"])


def test_report_bits_of_baseline_formats():
    import torch

    from golfkit import artifact, quant
    from golfkit.quant import report

    w, b = torch.randn(300, 400), torch.randn(10)
    art = artifact.Artifact([quant.quantize_int8_row("w", w), quant.quantize_int8_tensor("v", torch.randn(70_000)),
                             quant.passthrough("b", b, "fp32")], {})
    rep = report.build_report(art, {"w": w, "b": b}, {}, len(artifact.pack(art)))
    bits = {t["name"]: t["bits"] for t in rep["tensors"]}
    assert bits == {"w": 8, "v": 8, "b": 32}
    assert 0 < rep["tensors"][0]["rel_err"] < 0.05
