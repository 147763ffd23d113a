"""DEQ solver cost: per-position (causal) Anderson/Picard against the previous per-sample solver.

    python benchmarks/bench_deq_solver.py [--old PATH_TO_OLD_deq.py] [--dim 256] [--batch 8] [--seq 256]

The deq preset's model at the given width with random (non-zero) projections, block 1 solved to
tol 1e-3 from the block-0 output; best of 5 eager solves, one thread, CPU. Reports f-calls and time.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from dataclasses import replace

import torch

from golfkit.model import deq
from golfkit.model import GPT
from golfkit.presets import get_preset


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", help="a previous golfkit/deq.py to compare with")
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=256)
    a = ap.parse_args()
    torch.manual_seed(0)
    cfg = replace(get_preset("deq").model, model_dim=a.dim, num_heads=4, num_kv_heads=2, deq_tol=1e-3)
    m = GPT(cfg).eval()
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() == 2 and not p.any():
                p.normal_(0.0, 0.02)
        x = torch.randint(0, 1024, (a.batch, a.seq))
        h0 = m.embed(x)
        h = m.blocks[0](h0, h0)
        f = deq.DEQBlock.map(m.blocks[1], h, h0)
        mods = {"causal (this code)": deq}
        if a.old:
            spec = importlib.util.spec_from_file_location("deq_old", a.old)
            old = importlib.util.module_from_spec(spec)
            sys.modules["deq_old"] = old  # dataclasses look their module up
            spec.loader.exec_module(old)
            mods["previous"] = old
        for name, mod in mods.items():
            for solver in ("anderson", "picard"):
                best, it = float("inf"), 0
                for _ in range(5):
                    t0 = time.perf_counter()
                    _, st = getattr(mod, solver)(f, h, 40, 1e-3, True)
                    best, it = min(best, time.perf_counter() - t0), st.iterations
                print(f"{name:20s} {solver:9s} f-calls {it:3d}  {1000 * best:8.1f} ms  "
                      f"({1000 * best / it:.2f} ms per iteration)")


if __name__ == "__main__":
    main()
