"""Cost of the causality probe (golfkit/causality.py): every architecture switch x eval method case, on CPU.

    OMP_NUM_THREADS=1 python benchmarks/bench_causality.py [--out bench_causality.json] [--switches a,b] [--methods m,n]

Each cell is `causality.probe_eval` on the tiny random-weight model of the switch (tiny_config: 2 layers x
32 dims, vocab 64) and the 320-token synthetic stream: one base evaluation plus one per perturbation
(3 cuts x content / BOS inserted / BOS removed). Reported per cell: evaluations, CPU seconds of this
process (time.process_time: the machine is shared, wall time is not the probe's) and wall seconds, and the
result. The first TTT cell also pays one-time imports (torch's gradient clipping loads torch._dynamo); a
warm-up probe runs before the timed cells so that no cell carries it. Also: the largest change the
perturbations caused at positions before t in the passing cells (the noise floor; the probe's tolerance is
1e-6 in float64), and the deq x ttt-lora cell once more in float32: why the probe runs in float64.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import torch

from golfkit import causality


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench_causality.json")
    ap.add_argument("--switches", default="")
    ap.add_argument("--methods", default="")
    args = ap.parse_args()
    torch.set_num_threads(1)
    base = causality.tiny_config()
    sw = causality.architecture_switches(base)
    cases = causality.method_cases()
    switches = args.switches.split(",") if args.switches else list(sw)
    methods = args.methods.split(",") if args.methods else list(cases)
    warm = causality.random_model(base)
    for m in ("ttt-sgd", "ttt-lora"):  # one-time imports and allocator warm-up, untimed
        causality.probe_eval(warm, base.override(cases[m]))
    rows = []
    for s in switches:
        model = causality.random_model(base.override(sw[s]))
        for m in methods:
            cfg = base.override({**sw[s], **cases[m]})
            c0, t0 = time.process_time(), time.perf_counter()
            rep = causality.probe_eval(model, cfg, label=f"{s} x {m}")
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            noise = max(float(c.evidence.split("p_t ")[1].split(" ")[0]) for c in rep.checks if c.name.startswith("C1"))
            rows.append({"switch": s, "method": m, "ok": rep.ok, "failed": rep.failed(), "evaluations": rep.runs,
                         "cpu_s": cpu, "wall_s": wall, "max_c1_change": noise})
            print(f"{s:20s} {m:16s} {'pass' if rep.ok else 'FAIL ' + ','.join(rep.failed()):10s} "
                  f"{rep.runs:3d} evals {cpu:7.3f} s cpu {wall:7.2f} s wall  max C1 change {noise:.1e}", flush=True)
    deq = base.override({**sw["deq"], **cases["ttt-lora"]})
    rep32 = causality.probe_eval(causality.random_model(deq), deq, dtype=torch.float32)
    f32 = {c.name: c.evidence.split("p_t ")[1].split(" ")[0] for c in rep32.checks if c.name.startswith("C1")}
    print(f"deq x ttt-lora in float32: {rep32.summary()} {f32}")
    by_method = {}
    for m in methods:
        cells = [r for r in rows if r["method"] == m]
        by_method[m] = {"cells": len(cells), "cpu_s_total": sum(r["cpu_s"] for r in cells),
                        "cpu_s_per_cell": sum(r["cpu_s"] for r in cells) / max(len(cells), 1),
                        "cpu_s_max": max(r["cpu_s"] for r in cells), "failed": sum(not r["ok"] for r in cells)}
    out = {"machine": platform.platform(), "torch": torch.__version__, "cpu_count": __import__("os").cpu_count(),
           "switches": len(switches), "methods": len(methods), "cells": len(rows),
           "cpu_s_total": sum(r["cpu_s"] for r in rows), "wall_s_total": sum(r["wall_s"] for r in rows),
           "failed_cells": [f"{r['switch']} x {r['method']}" for r in rows if not r["ok"]],
           "max_c1_change_in_passing_cells": max((r["max_c1_change"] for r in rows if r["ok"]), default=0.0),
           "deq_ttt_lora_float32": {"ok": rep32.ok, "c1_max_change": f32},
           "by_method": by_method, "rows": rows}
    json.dump(out, open(args.out, "w"), indent=1)
    print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
