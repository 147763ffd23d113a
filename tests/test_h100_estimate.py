"""benchmarks/h100_estimate.py: its log parsers and arithmetic on synthetic logs, its training counts on a tiny
notebook (the notebook's own plan, run against recorders), and one real run over the records' logs."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import h100_estimate as he  # noqa: E402

from conftest import make_notebook  # noqa: E402
from records_harness import records_root  # noqa: E402

BASELINE_LOG = """W0318 10:00:00.1 1 site-packages/torch/distributed/run.py:852]
val_loader:shards pattern=/x/fineweb_val_*.bin tokens:1000000
[rank0]:[W318 10:00:20.5 Utils.hpp:112] Warning
step:100/20000 val_loss:2.5 val_bpb:1.5 train_time:3900ms step_avg:39.00ms
step:15000/20000 val_loss:2.0 val_bpb:1.2 train_time:600000ms step_avg:40.00ms
stopping_early: wallclock_cap train_time:600000ms step:15000/20000
final_int8_zlib_roundtrip val_loss:2.1 val_bpb:1.25 eval_time:2000ms
"""
PR1290_LOG = """final_int6_roundtrip val_loss:1.9 val_bpb:1.13 eval_time:10000ms
final_int6_sliding_window val_loss:1.87 val_bpb:1.11 stride:64 eval_time:120000ms
final_ttt val_loss:1.87 val_bpb:1.11 ttt_time:500000ms
"""
PR1801_LOG = """diagnostic quantized val_loss:2.35 val_bpb:1.07 eval_time:10000ms
ttt_lora:compile warmup done (100.0s)
quantized_ttt_phased val_loss:2.32 val_bpb:1.06 eval_time:300000ms
"""


def synthetic(tmp: Path) -> tuple[Path, Path]:
    rec, runs = tmp / "records", tmp / "runs"
    for rel, text in {"baseline/naive_baseline_train.log": BASELINE_LOG, "pr1290/train_seed1.log": PR1290_LOG,
                      "pr1290/train_seed2.log": PR1290_LOG.splitlines()[0] + "\n", "pr1801/train_seed1.log": PR1801_LOG}.items():
        (rec / rel).parent.mkdir(parents=True, exist_ok=True)
        (rec / rel).write_text(text)
    (runs / "gpu_h200_20261129").mkdir(parents=True)
    (runs / "gpu_h200_20261129" / "call1_gpu_suite.json").write_text(json.dumps(
        {"pairs": [{"preset": "baseline", "golfkit": {"ms_per_step": 110.0}, "ref": {"ms_per_step": 100.0}}]}))
    h = runs / "gpu_h100_20261122"
    h.mkdir(parents=True)
    h.joinpath("golfkit_baseline_200it_metrics.json").write_text(json.dumps(
        {"wall_seconds": 200.0, "train_time_ms": 70_000.0, "step_avg_ms": 350.0, "eval_seconds": 0.5}))
    h.joinpath("golfkit_baseline_200it.log").write_text("iterations:200 warmup_steps:20 max_wallclock_seconds:0.000\n")
    h.joinpath("quant1290_50it_eager.log").write_text("quant:calib {}\nquant:quantize_seconds 25.0\n")
    return rec, runs


def test_inputs_and_rates_from_synthetic_logs(tmp_path):
    rec, runs = synthetic(tmp_path)
    i = {**he.baseline_inputs(rec), **he.golfkit_inputs(runs)}
    assert i["ref_ms_per_step"].value == 40.0 and i["ref_ms_per_step"].source == "baseline/naive_baseline_train.log:5"
    assert i["ref_steps"].value == 15000 and i["val_tokens"].value == 1_000_000
    assert i["flat_eval_8gpu_s"].value == pytest.approx(2.0)
    assert i["launch_s"].value == 20.0  # 10:00:00 -> 10:00:20
    assert i["gptq_s"].value == 25.0 and i["gptq_s"].source.endswith("quant1290_50it_eager.log:2")
    ratios, cites = he.method_ratios(rec)
    assert ratios["sliding"] == pytest.approx(12.0) and ratios["doc"] == ratios["sliding"]
    assert ratios["ttt-sgd"] == pytest.approx(50.0)  # seed 2's log has no TTT line: skipped, not an error
    assert ratios["ttt-phased"] == pytest.approx(40.0) and ratios["ttt-lora"] == ratios["ttt-phased"]  # (300 + 100) / 10
    assert all(c.source for c in cites)
    r = he.rates(i, ratios)
    assert r.ms_per_step == pytest.approx(44.0)  # 40 ms x 110 / 100
    assert r.fixed_s == pytest.approx(200 - 70 - 20 * 0.35 - 2 * 0.5)

    from golfkit.presets import get_preset

    cfg = get_preset("baseline")
    parts = he.training_parts(cfg, r)
    steps = math.ceil(600_000 / 44.0)
    assert parts["steps"] == steps and parts["training"] == pytest.approx(steps * 0.044)
    every = cfg.schedule.val_loss_every
    assert parts["validation passes"] == len(range(0, steps, every)) + 1  # + the pre-export pass at the end
    assert parts["validation in training"] == pytest.approx(parts["validation passes"] * 2.0)
    assert parts["final roundtrip eval"] == 2.0
    assert parts["start-up, compile, export"] == pytest.approx(20.0 + r.fixed_s + cfg.schedule.warmup_steps * 0.044)
    short = cfg.override({"schedule.iterations": 1000})
    assert he.training_parts(short, r)["training"] == pytest.approx(44.0)  # the iteration cap binds first


CELLS = [
    "%matplotlib inline\nfrom golfkit.lab import workbook, eval_methods\n"
    "p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, "
    "run_dir=run_dir, nproc=nproc)\nchosen = p.variants(methods, baseline=None)",
    "results = p.train_variants(p.variants(ablations))\nagain = p.train_variants({'baseline': {}})\n"
    "half = p.train_variants({'half': {'schedule.iterations': results[0]['steps'] // 2}}, seeds=p.seeds[:1])\n"
    "print('shown, not run')\nfirst = open(p.data_dir / 'missing').read()",
    "rows = [x for r in results for x in eval_methods.compare_methods(r['artifact'], p.data_dir, chosen)]",
    "workbook.show_table(rows)  # not a planning cell: never executed",
]
PARAMS = ("smoke = False\nnproc = 1\npreset = 'cpu-small'\nprotocol = 'cpu-trained'\nseeds = [1, 2]\n"
          "data_dir = 'data'\nrun_dir = 'runs/x'\n"
          "ablations = {'untied': {'model.tie_embeddings': False}, 'mlp3x': {'model.mlp_mult': 3}}\n"
          "methods = {'flat': {'eval.method': 'flat'}, 'sliding': {'eval.method': 'sliding', 'eval.stride': 64}}")


def test_dry_run_counts_the_notebooks_own_trainings(tmp_path):
    nb = make_notebook(tmp_path / "07_tiny.ipynb", *CELLS, params=PARAMS)
    cells = he.read_cells(nb)
    assert he.parameters(cells)["seeds"] == [1, 2]
    plan = he.dry_run(nb, lambda cfg: 1000)
    # 2 seeds x (baseline + 2 ablations) + baseline again x 2 seeds + half x 1 seed
    assert len(plan.trainings) == 6 + 2 + 1
    assert plan.params["preset"] == "baseline" and plan.params["nproc"] == 8  # the challenge protocol, not the cell's
    half = [t for t in plan.trainings if t.name == "half"]
    assert half[0].cfg.schedule.iterations == 500 and half[0].cfg.schedule.max_wallclock_seconds == 600.0
    assert len(plan.calls) == 6 and {c["kind"] for c in plan.calls} == {"compare_methods"}  # 6 results x 1 call
    assert len(plan.skipped) == 1 and "missing" in plan.skipped[0]

    r = he.Rates(ms_per_step=50.0, fixed_s=80.0, launch_s=20.0, flat_eval_8gpu_s=1.5,
                 ratios={"flat": 1.0, "sliding": 10.0}, gptq_s=20.0)
    [row] = he.estimate([plan], r)
    assert row["trainings called"] == 9 and row["trainings distinct"] == 7  # the repeated baselines count once
    assert row["trainings new in workbook order"] == 7
    assert row["analysis seconds"] == pytest.approx(6 * 8 * 1.5 * (1.0 + 10.0))  # one GPU: 8x the 8-GPU eval
    per = he._total(he.training_parts(half[0].cfg, r))
    full = he._total(row["per training (longest)"])
    assert row["training seconds"] == pytest.approx(6 * full + per)
    assert row["hours standalone"] == pytest.approx((6 * full + per + row["analysis seconds"]) / 3600)
    [again] = he.estimate([plan, plan], r)[1:]  # a second notebook with the same trainings: all reused
    assert again["trainings new in workbook order"] == 0
    assert again["hours in workbook order"] == pytest.approx(row["analysis seconds"] / 3600)


def test_real_run_over_the_records_logs(tmp_path):
    rec = records_root()
    if not (rec / "baseline" / "naive_baseline_train.log").is_file() or not (REPO / "runs" / "gpu_h200_20261129").is_dir():
        pytest.skip("record logs (../shared/reference/records) or runs/gpu_h200_20261129 not found")
    out = tmp_path / "est.json"
    assert he.main(["--records", str(rec), "--runs", str(REPO / "runs"), "--notebooks", str(REPO / "notebooks"),
                    "--json", str(out), "--md", str(tmp_path / "est.md")]) == 0
    d = json.loads(out.read_text())
    rows = {r["notebook"][:2]: r for r in d["notebooks"]}
    assert sorted(rows) == ["00", "01", "02", "03", "04", "05"]
    p01 = he.parameters(he.read_cells(REPO / "notebooks" / "01_architecture.ipynb"))
    assert rows["01"]["trainings called"] == len(p01["seeds"]) * (1 + len(p01["ablations"]))
    p00 = he.parameters(he.read_cells(REPO / "notebooks" / "00_data_and_bpb.ipynb"))
    assert rows["00"]["trainings called"] == len(p00["seeds"]) + len(p00["horizon"])
    assert all(r["statements skipped"] == [] for r in d["notebooks"])
    assert rows["00"]["per training (longest)"]["training"] == pytest.approx(600.0, abs=0.1)  # the cap binds
    assert "estimate, unmeasured on GPU" in (tmp_path / "est.md").read_text()


def test_cpu_column_skips_runs_of_a_variant_subset(tmp_path):
    """Notebook 02 recorded in parts (`-p variants`): a part is not the notebook's wall time."""
    rows = [{"run_id": "a_02_cpu-trained", "notebook": "notebooks/02_q.ipynb", "status": "ok", "duration_s": 600.0,
             "parameters": {}},
            {"run_id": "b_02_cpu-trained-1200_3x3-2x5", "notebook": "notebooks/02_q.ipynb", "status": "ok",
             "duration_s": 5731.0, "parameters": {"variants": {"core3x3": {}}}}]
    (tmp_path / "index.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert he.cpu_wall(tmp_path) == {"02_q": ("a_02_cpu-trained", 600.0, 0.0)}
