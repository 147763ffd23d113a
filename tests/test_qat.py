"""QAT switches that provably take effect (also under torch.compile), and a policy export end to end (issue #3)."""

from __future__ import annotations

import json
import re

import pytest
import torch

from golfkit.model import CastedLinear
from golfkit.quant.qat import FakeQuant, fake_quant_error


def _tiny_with_transforms(kind: str):
    """Three CastedLinears with transforms (not the GPT: the test is about the switch, not the model)."""
    torch.manual_seed(0)
    lins = [CastedLinear(32, 32) for _ in range(3)]
    for lin in lins:
        torch.nn.init.normal_(lin.weight, std=0.2)
        lin.weight_transform = FakeQuant(kind, 3, "percentile", 12.85, on=False, device=torch.device("cpu"))
    return torch.nn.Sequential(lins[0], torch.nn.ReLU(), lins[1], torch.nn.ReLU(), lins[2]), lins


@pytest.mark.parametrize("kind", ["ste", "noisy"])
def test_gate_switch_takes_effect_under_torch_compile(kind):
    m, lins = _tiny_with_transforms(kind)
    ts = [lin.weight_transform for lin in lins]
    x = torch.randn(4, 32)
    compiled = torch.compile(m, backend="aot_eager", fullgraph=True)  # dynamo is where flags get constant-folded
    m.train()
    with torch.no_grad():
        before = compiled(x)
        assert fake_quant_error(ts, lins) == 0.0
        for t in ts:
            t.gate.fill_(1.0)  # what the late-QAT hook does
        assert fake_quant_error(ts, lins) > 0.0
        after = compiled(x)
    assert not torch.allclose(before, after), "the compiled graph ignored the switch"
    if kind == "ste":
        torch.testing.assert_close(after, m(x))  # and it matches eager with the gate open
    m.eval()
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), before)  # eval mode scores the float weights


def test_ste_gradient_passes_straight_through():
    t = FakeQuant("ste", 4, "percentile", 12.85, on=True, device=torch.device("cpu"))
    w = torch.randn(8, 16, requires_grad=True)
    out = t(w)
    out.sum().backward()
    assert not torch.equal(out.detach(), w.detach()) and torch.equal(w.grad, torch.ones_like(w))


@pytest.fixture(scope="module")
def policy_run(data_dir, tmp_path_factory):
    """One smoke run: late STE QAT + int6 GPTQ (self-generated calibration) + LQER + pruning + auto codec."""
    from conftest import smoke_config
    from golfkit.train import train

    run_dir = tmp_path_factory.mktemp("policy_run")
    sets = {"quant.scheme": "policy", "quant.passthrough_max_numel": 0, "quant.calib": "selfgen",
            "quant.selfgen_seqs": 2, "quant.selfgen_len": 32, "quant.qat": "ste", "quant.qat_start_frac": 0.5,
            "quant.lqer_rank": 2, "quant.lqer_top_k": 1, "quant.prune": True, "quant.compressor": "auto"}
    for fam in ("attention", "mlp"):
        sets.update({f"quant.{fam}.bits": 6, f"quant.{fam}.method": "gptq"})
    cfg = smoke_config(data_dir, **sets)
    cfg.quant.prune_target_bytes = 10**9  # reachable by construction; the size search is tested in test_compress
    metrics = train(cfg, run_dir, echo=False)
    return run_dir, metrics, (run_dir / "train.log").read_text()


def test_late_qat_error_is_zero_before_the_switch_and_positive_after(policy_run):
    _, _, log = policy_run
    armed = re.search(r"qat:ste layers:(\d+) start_frac:0.5 gate:0 fake_quant_rel_err:([\d.]+)", log)
    on = re.search(r"qat:on step:(\d+) frac:([\d.]+) fake_quant_rel_err:([\d.]+)", log)
    assert armed and on, log[-2000:]
    assert int(armed.group(1)) == 12 and float(armed.group(2)) == 0.0  # 2 blocks x (4 attention + 2 MLP linears)
    assert int(on.group(1)) == 10 and float(on.group(2)) >= 0.5 and float(on.group(3)) > 0.0


def test_policy_export_logs_reports_and_reloads_without_config(policy_run):
    from golfkit import artifact, quant
    from golfkit.quant.report import format_table

    run_dir, metrics, log = policy_run
    assert re.search(r"final_int6_roundtrip_exact val_loss:[\d.]+ val_bpb:[\d.]+", log)
    assert re.search(r"final_int8_zlib_roundtrip_exact val_loss:[\d.]+ val_bpb:[\d.]+", log)  # the canonical line
    assert "quant:calib {'calib': 'selfgen'" in log and "'reached': True" in log
    rep = json.loads((run_dir / "quant_report.json").read_text())
    rows = {r["name"]: r for r in rep["tensors"]}
    assert rows["blocks.0.mlp.fc.weight"]["format"].startswith("int6_row") and rows["tok_emb.weight"]["bits"] == 8
    assert rows["blocks.0.mlp.fc.weight"]["rel_err_hessian"] is not None
    assert sum(r["bytes_compressed_share"] for r in rep["tensors"]) == pytest.approx(metrics["bytes_model"], abs=len(rows))
    assert "total:" in format_table(rep)
    from conftest import golfkit_cli

    r = golfkit_cli("quant", "report", str(run_dir))
    assert r.returncode == 0 and "blocks.0.mlp.fc.weight" in r.stdout and "total:" in r.stdout, r.stderr
    art = artifact.load(metrics["artifact"])
    assert art.compressor in ("zlib", "lzma", "zstd", "brotli")
    assert {qt.meta.get("bits") for qt in art.tensors if qt.format == "int_row"} == {6, 8}
    assert len(quant.dequantize(art.tensors)) == len(art.tensors)  # the header alone says how to decode
