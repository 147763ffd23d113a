"""Cost of the hostile-input checks: the artifact validation pass and the shard id check.

    python benchmarks/bench_hostile.py [--repeats 20] [--shard-tokens 100000000]

Artifact: the baseline model (17,059,912 params, weights at a perturbed init) exported the baseline
way (int8 + zlib), written to a temp folder. Timed (median of --repeats, ms):
  * load_total: `artifact.load` (stat + prefix, read, sha256, streamed inflation, every check);
  * the validation steps alone: container prefix + file type, JSON depth scan, header/table check,
    format specs of every tensor, config range validation + size estimate, table vs the built model's
    state_dict shapes (the model build and the config's type checks are not counted: loading did
    both before these checks existed; the type checks are printed apart);
  * old_path: what the loader did before (read, sha256, zlib.decompress, json.loads, frombuffer).
Shard id check: `tokens.max()` over a uint16 array the size of a challenge shard (100M tokens) and
over the mini data's train shard as read by `read_shard` with and without the check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import struct
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import torch

from golfkit import artifact, limits, quant, safeio
from golfkit.config import RunConfig, validate
from golfkit.config_parse import build as _build
from golfkit.data import read_shard
from golfkit.model import GPT
from golfkit.presets import get_preset


def timed(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--shard-tokens", type=int, default=100_000_000)
    ap.add_argument("--data", default="../shared/data", help="for the mini train shard")
    args = ap.parse_args()
    torch.manual_seed(0)
    cfg = get_preset("baseline")
    model = GPT(cfg.model)
    for p in model.parameters():
        p.data.add_(0.02 * torch.randn_like(p))
    qts = quant.quantize_state_dict_int8(model.state_dict(), set(model.tensor_names("scalar")))
    art = artifact.Artifact(qts, cfg.to_dict(), {"format": "int8_clean_per_row_v1"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "final_model.int8.golf"
        size = artifact.save(art, path)
        blob = path.read_bytes()
        name, plen, start = artifact._prefix(blob, str(path))
        body = zlib.decompress(blob[start:])
        (hlen,) = struct.unpack_from("<I", body, 0)
        raw = body[4: 4 + hlen]
        header = json.loads(raw)
        sd_shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
        specs = [limits._spec(e) for e in header["tensors"]]
        stored = RunConfig.from_dict(header["config"])

        def old_path():
            b = path.read_bytes()
            hashlib.sha256(b[start:]).digest()
            bd = zlib.decompress(b[start:])
            (n,) = struct.unpack_from("<I", bd, 0)
            h = json.loads(bd[4: 4 + n].decode())
            data = memoryview(bd)[4 + n:]
            for e in h["tensors"]:
                for p in e["parts"]:
                    np.frombuffer(data[p["offset"]: p["offset"] + p["nbytes"]], dtype=artifact._NP_DTYPES[p["dtype"]])

        def table_vs_model():
            have = {e["name"]: tuple(e["shape"]) for e in header["tensors"]}
            assert have == sd_shapes

        rows = {
            "load_total (artifact.load, all checks)": timed(lambda: artifact.load(path), args.repeats),
            "old_path (read, sha256, decompress, json, frombuffer)": timed(old_path, args.repeats),
            "prefix + file type (stat, 308-byte read)": timed(
                lambda: artifact._prefix(safeio.read_head(path, "artifact", artifact.PREFIX_MAX), str(path)), args.repeats),
            "JSON depth scan of the header": timed(lambda: safeio.json_depth(raw, 64), args.repeats),
            "header + tensor table check": timed(lambda: artifact.check_header(header, "x", 1 << 40), args.repeats),
            "format specs of every tensor": timed(lambda: quant.check_specs(specs), args.repeats),
            "stored config range validation + size estimate": timed(
                lambda: limits.check_model_size(stored) if validate(stored) is None else None, args.repeats),
            "table vs model state_dict shapes": timed(table_vs_model, args.repeats),
        }
    checks = sum(v for k, v in rows.items() if not k.startswith(("load_total", "old_path", "(paid")))
    rows["(paid before too) config from_dict type checks"] = timed(lambda: _build(RunConfig, header["config"], ""),
                                                                   args.repeats)
    print(f"machine: {platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}")
    print(f"artifact: baseline int8+zlib, {size:,} bytes, header {hlen:,} bytes, {len(header['tensors'])} tensors")
    for k, v in rows.items():
        print(f"  {k:58s} {v:8.3f} ms")
    print(f"  {'validation steps, summed':58s} {checks:8.3f} ms")

    toks = np.random.default_rng(0).integers(0, 1024, args.shard_tokens, dtype=np.uint16)
    t = timed(lambda: int(toks.max()), 5)
    print(f"shard id check: max over {args.shard_tokens:,} uint16 tokens: {t:.1f} ms")
    shard = Path(args.data) / "datasets" / "fineweb10B_sp1024" / "fineweb_train_000000.bin"
    if shard.is_file():
        plain = timed(lambda: read_shard(shard), args.repeats)
        checked = timed(lambda: read_shard(shard, 1024), args.repeats)
        print(f"read_shard of the mini train shard ({shard.stat().st_size:,} bytes): {plain:.2f} ms plain, "
              f"{checked:.2f} ms with the id check")


if __name__ == "__main__":
    main()
