"""golfkit's baseline training step against the challenge reference's, eager on CPU: aten ops and step time.

    OMP_NUM_THREADS=1 python benchmarks/step_ops.py --records ../shared/reference/records --data ../shared/data \
        --steps 20 --json step_ops.json

Both sides are the tiny baseline pair of tests/step_parity.py (9 layers, width 64, 4/2 heads, seq 64, 4 rows x 2
micro-steps, vocab 1,024; the same weights and token stream; Adam fused on both, as on CUDA). Prints:

1. aten ops per step by phase (forward, backward, optimizer, other) and every op whose count differs, with the
   host reads (`_local_scalar_dense` & co: syncs on CUDA);
2. the step time of each side, steps taken in turn (golfkit, reference, reference, golfkit, ...), median and
   min over `--steps` after two untimed steps; at this size the step is mostly host-side work (Python and
   dispatch), the part of a CUDA step that is not kernels. CPU-scale: not a GPU measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's golfkit, before an installed one
sys.path.insert(1, str(REPO / "tests"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", default=str(REPO.parent / "shared" / "reference" / "records"))
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    os.environ["GOLFKIT_TEST_RECORDS"] = str(Path(a.records).resolve())  # read by records_harness
    import torch

    from step_parity import PHASES, build_pair, count_step, golfkit_step, op_table, reference_step

    import golfkit

    pair = build_pair(Path(a.data).resolve())
    steps = {"golfkit": golfkit_step, "reference": reference_step}
    losses = {k: [fn(pair, 0).item()] for k, fn in steps.items()}  # optimizer state allocated here
    g, gl = count_step(pair, "golfkit", 1)
    r, rl = count_step(pair, "reference", 1)
    losses["golfkit"].append(gl.item())
    losses["reference"].append(rl.item())
    rows = op_table(g, r)
    print(f"golfkit {golfkit.__file__}  torch {torch.__version__}  threads {torch.get_num_threads()}")
    print("\n| phase | op | golfkit | reference |\n|---|---|---:|---:|")
    for ph, op, x, y in rows:
        print(f"| {ph} | {op} | {x} | {y} |")
    print(f"| all | (all ops) | {sum(g.total(p) for p in PHASES)} | {sum(r.total(p) for p in PHASES)} |")
    print(f"| all | host reads | {g.host_reads()} | {r.host_reads()} |")

    times: dict[str, list[float]] = {"golfkit": [], "reference": []}
    order = ["golfkit", "reference"]
    for i in range(a.steps + 2):
        for side in (order if i % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            loss = steps[side](pair, 2 + i)
            dt = 1000 * (time.perf_counter() - t0)
            losses[side].append(loss.item())
            if i >= 2:
                times[side].append(dt)
    print("\n| side | ms/step median | min | steps |\n|---|---:|---:|---:|")
    for side, ts in times.items():
        print(f"| {side} | {statistics.median(ts):.2f} | {min(ts):.2f} | {len(ts)} |")
    same = losses["golfkit"] == losses["reference"]
    print(f"\nlosses equal on every step: {same} (last {losses['golfkit'][-1]:.6f} / {losses['reference'][-1]:.6f})")
    if a.json:
        Path(a.json).write_text(json.dumps({
            "ops": [dict(zip(("phase", "op", "golfkit", "reference"), row)) for row in rows],
            "host_reads": {"golfkit": g.host_reads(), "reference": r.host_reads()},
            "ms_per_step": {k: {"median": statistics.median(v), "min": min(v), "all": v} for k, v in times.items()},
            "losses": losses, "losses_equal": same, "torch": torch.__version__, "threads": torch.get_num_threads(),
            "golfkit": golfkit.__file__}, indent=2) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
