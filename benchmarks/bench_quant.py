"""Quantization benchmark (issue #3): val_bpb gap and bytes per format x method, GPTQ time, compressors.

    python benchmarks/bench_quant.py --checkpoint RUN/checkpoint.golf --data ../shared/data \
        [--val-tokens 65536] [--calib-batches 16] [--out bench_quant.json]

The checkpoint is a run's full-precision weights (`--set schedule.save_checkpoint=true`).
Attention + MLP matrices take the format under test; the embedding stays int8 RTN (as the
records); control tensors fp32; every other float tensor of more than 4,096 elements is
quantized (the baseline's 65,536 threshold would keep cpu-small's 256x256 matrices in fp16).
Hessians come from training batches (never validation). Gap = roundtrip val_bpb minus the
float model's, on the first --val-tokens validation targets (paired: same tokens for all).
Bytes = the whole artifact (header + tensors) compressed with lzma-9.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from golfkit import artifact, compress
from golfkit.config import QuantConfig
from golfkit.data import build_byte_luts, find_dataset, load_tokenizer, load_val_tokens
from golfkit.dist import DistContext
from golfkit.eval import evaluate_flat
from golfkit.quant.calib import train_batches
from golfkit.quant.gptq import collect_hessians
from golfkit.quant.policy import roundtrip_state
from golfkit.reload import model_from_artifact

# name -> (method, clip) of the attention + MLP policy
METHODS = {"RTN": ("rtn", "percentile"), "GPTQ-lite": ("rtn", "search"), "SDClip": ("rtn", "sdclip"),
           "GPTQ": ("gptq", "search"), "GPTQ+SDClip": ("gptq", "sdclip")}


def policy(bits: int, method: str, clip: str) -> QuantConfig:
    q = QuantConfig(scheme="policy", passthrough_max_numel=4096)
    for pol in (q.attention, q.mlp):
        pol.bits, pol.method, pol.clip = bits, method, clip
    return q


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--val-tokens", type=int, default=65_536)
    ap.add_argument("--calib-batches", type=int, default=16)
    ap.add_argument("--bits", default="8,6,5")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--out", default="bench_quant.json")
    args = ap.parse_args()

    cfg, model = model_from_artifact(args.checkpoint)
    ds = find_dataset(args.data, cfg.data.variant)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size)
    val = load_val_tokens(ds)[: args.val_tokens + 1]
    ctx, seq = DistContext(), cfg.schedule.train_seq_len

    def bpb(m) -> float:
        return evaluate_flat(m, val, luts, seq, cfg.eval.batch_tokens, ctx).val_bpb

    t0 = time.perf_counter()
    per = cfg.schedule.train_batch_tokens // cfg.schedule.micro_batches
    hess = collect_hessians(model, train_batches(ds.train_files, args.calib_batches, per, seq, ctx.device))
    hess_s = time.perf_counter() - t0
    pre = bpb(model)
    print(f"float val_bpb {pre:.5f} on {val.numel() - 1} targets; Hessians {hess_s:.1f}s "
          f"({args.calib_batches} x {per} train tokens)", flush=True)
    rows, int6_gptq_body = [], None
    for bits in (int(b) for b in args.bits.split(",")):
        for name in args.methods.split(","):
            t0 = time.perf_counter()
            sd, qts = roundtrip_state(model, policy(bits, *METHODS[name]), hess)
            qs = time.perf_counter() - t0
            _, fresh = model_from_artifact(args.checkpoint)
            fresh.load_state_dict(sd)
            body = artifact.encode_body(artifact.Artifact(qts, cfg.to_dict(), {}, "lzma"))
            nbytes = compress.measure(body, ["lzma"])[0]["bytes"]
            if bits == 6 and name == "GPTQ":
                int6_gptq_body = body
            row = {"bits": bits, "method": name, "gap_bpb": bpb(fresh) - pre, "bytes_lzma": nbytes, "quant_s": qs}
            rows.append(row)
            print(json.dumps(row), flush=True)
    codecs = []
    if int6_gptq_body is not None:
        names = [n for b in compress.BASE_NAMES for n in (b, b + "+shuffle")]
        codecs = compress.measure(int6_gptq_body, names)
        for c in codecs:
            print(json.dumps(c), flush=True)
    out = {"checkpoint": args.checkpoint, "val_targets": val.numel() - 1, "float_val_bpb": pre,
           "hessian_seconds": hess_s, "rows": rows, "compressors": codecs, "torch_threads": torch.get_num_threads()}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
