"""The training step's overhead against the challenge reference's (issue #16), measured on CPU.

* Host reads (on CUDA: host-device syncs) in the loop: only where a log line needs a number, one per train
  log step (the reference reads its loss there too); none on the other steps.
* Aten ops per step, eager, on the tiny baseline pair of tests/step_parity.py: golfkit's forward, backward and
  optimizer run no more ops than the reference's, and the losses are equal.
"""

from __future__ import annotations

import pytest

from conftest import smoke_config
from records_harness import have_record, records_root
from step_parity import PHASES, OpCounter, build_pair, count_step, fused_adam, golfkit_step, op_table, reference_step

from golfkit import dist, train
from golfkit.runlog import RunLog


def _loop_host_reads(cfg, monkeypatch) -> tuple[dict[int, int], list[int]]:
    """Run golfkit's loop (validation not counted) and return host reads per step and the logged steps."""
    ctx = dist.DistContext()
    sess = train.build_session(cfg, ctx, RunLog(None, False), train.preflight(cfg, ctx))
    fused_adam(sess)  # as on CUDA: the CPU foreach Adam reads its step counters on the host, CUDA's fused one does not
    counter = OpCounter()
    marks: list[int] = []
    logged: list[int] = []
    real_step, real_validate = train.train_step, train.validate

    def step(*a, **k):
        marks.append(counter.host_reads())
        return real_step(*a, **k)

    def validate(*a, **k):
        counter.enabled = False  # validation reads its sums on the host, as the reference's eval_val
        try:
            return real_validate(*a, **k)
        finally:
            counter.enabled = True

    def metric(**row):
        if row.get("kind") == "train":
            logged.append(row["step"])

    monkeypatch.setattr(train, "train_step", step)
    monkeypatch.setattr(train, "validate", validate)
    monkeypatch.setattr(sess.log, "metric", metric)
    with counter:
        loop = train.run_loop(sess)
    marks.append(counter.host_reads())
    assert loop["steps"] == cfg.schedule.iterations
    return {k + 1: marks[k + 1] - marks[k] for k in range(len(marks) - 1)}, logged


@pytest.mark.parametrize("cap", [0.0, 3600.0], ids=["no-cap", "cap"])
def test_loop_reads_the_host_only_on_log_steps(data_dir, monkeypatch, cap):
    cfg = smoke_config(data_dir, **{"schedule.iterations": 14, "schedule.train_log_every": 7,
                                    "schedule.val_loss_every": 0, "schedule.max_wallclock_seconds": cap,
                                    "data.guard": "off"})
    reads, logged = _loop_host_reads(cfg, monkeypatch)
    assert logged == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14]
    assert {s: n for s, n in reads.items() if s not in logged} == {11: 0, 12: 0, 13: 0}
    assert all(reads[s] == 1 for s in logged), reads  # the logged train loss, as the reference's .item()


@pytest.fixture(scope="module")
def pair(data_dir):
    if not have_record("baseline"):
        pytest.skip(f"reference baseline not in {records_root()} (set GOLFKIT_TEST_RECORDS)")
    return build_pair(data_dir)


def test_step_runs_no_more_ops_than_the_reference(pair):
    """Two steps each (the first allocates optimizer state), the second counted: same losses bit for bit, and per
    phase no more aten ops than the reference (printed: the ops whose counts differ)."""
    assert golfkit_step(pair, 0).item() == reference_step(pair, 0).item()
    g, gl = count_step(pair, "golfkit", 1)
    r, rl = count_step(pair, "reference", 1)
    assert gl.item() == rl.item()
    print("\nphase       op                                 golfkit  reference")
    for ph, op, a, b in op_table(g, r):
        print(f"{ph:11s} {op:34s} {a:8d} {b:10d}")
    for ph in PHASES:
        assert g.total(ph) <= r.total(ph), (ph, g.total(ph), r.total(ph))
    assert g.host_reads() == 0 and r.host_reads() == 0
