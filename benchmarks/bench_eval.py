"""Benchmark the evaluation methods of issue #5 on a trained model: throughput, TTT gain, time.

    python benchmarks/bench_eval.py --artifact RUN/final_model.int8.golf --data ../shared/data \
        [--val-tokens 65536] [--threads 1] [--json OUT.json]

Measures on a prefix of the validation split (CPU-scale, mini data):
* flat (evaluate_flat) vs sliding-window throughput in scored tokens/s; ideal ratio = stride / L;
* doc-isolated eval;
* each TTT mode against its zero-adaptation twin (same windows), so the difference is the TTT
  effect alone: ttt-sgd vs sliding; ttt-lora and ttt-phased vs doc eval with L = context,
  stride = chunk.
It prints one line per method and a JSON summary; the estimate for 8xH100 is in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from golfkit.data import build_byte_luts, find_dataset, load_tokenizer, load_val_tokens
from golfkit.dist import DistContext
from golfkit.eval import evaluate
from golfkit.reload import model_from_artifact


def methods(L: int, docs_phased: int) -> list[tuple[str, dict]]:
    """(label, overrides); TTT chunk sizes scaled down for a ~65K-token prefix (records: 32K chunks on 62M)."""
    lora = {"eval.lora.context": L, "eval.lora.chunk_tokens": L // 4, "eval.lora.batch_docs": 8}  # 3 batches on the prefix, so phases fire
    doc_twin = {"eval.method": "doc", "eval.seq_len": L, "eval.stride": L // 4}
    sgd = {"eval.method": "ttt-sgd", "eval.sgd.chunk_tokens": 4096, "eval.sgd.seq_len": L}
    return [
        ("flat", {"eval.method": "flat"}),
        ("sliding", {"eval.method": "sliding", "eval.stride": 64}),
        ("doc", {"eval.method": "doc", "eval.stride": 64}),
        ("doc_twin", doc_twin),
        ("ttt-sgd", {**sgd, "eval.stride": 64}),
        ("ttt-sgd_lr0.01", {**sgd, "eval.stride": 64, "eval.sgd.lr": 0.01}),
        ("ttt-lora", {"eval.method": "ttt-lora", **lora}),
        ("ttt-phased", {"eval.method": "ttt-phased", **lora, "eval.phased.docs": docs_phased,
                        "eval.phased.phases": 2, "eval.phased.seq_len": L}),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--artifact", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--val-tokens", type=int, default=65_536, help="targets of the validation prefix")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated labels to run (default all)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg, model = model_from_artifact(args.artifact)
    cfg = cfg.override({"data.dir": args.data, "device": "cpu", "eval.time_budget_seconds": 0})
    ds = find_dataset(cfg.data.dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size)
    val = load_val_tokens(ds)[: args.val_tokens + 1]
    n_docs = int((val == 1).sum())
    L = cfg.schedule.train_seq_len
    ctx, out = DistContext(), {}
    print(f"model:{args.artifact} L:{L} val_targets:{val.numel() - 1} docs:{n_docs} threads:{args.threads}")
    only = set(filter(None, args.only.split(",")))
    for label, over in methods(L, n_docs // 2):
        if only and label not in only:
            continue
        t0 = time.perf_counter()
        r = evaluate(model, val, luts, cfg.override(over), ctx)
        dt = time.perf_counter() - t0
        out[label] = {"val_bpb": r.val_bpb, "val_loss": r.val_loss, "seconds": dt, "tok_per_s": r.val_tokens / dt,
                      "val_tokens": r.val_tokens, "overrides": over}
        print(f"{label:16s} val_bpb:{r.val_bpb:.5f} time:{dt:7.2f}s scored_tok/s:{r.val_tokens / dt:9.0f}", flush=True)
    if "flat" in out and "sliding" in out:
        ratio = out["sliding"]["tok_per_s"] / out["flat"]["tok_per_s"]
        print(f"sliding/flat throughput {ratio:.3f} (ideal stride/L = {64 / L:.3f}; {ratio / (64 / L):.2f}x of ideal)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
