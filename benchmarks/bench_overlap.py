"""Validation guard cost (golfkit/overlap.py): index build and shard check, time and memory.

    python benchmarks/bench_overlap.py --data ../shared/data [--full-scale] [--out bench_overlap.json]

Part 1 (CPU-scale, mini data): the sp1024 validation head and holdout tail indexed, the train head
checked against both; best of 3 with nothing cached (memory: tracemalloc peak, which numpy reports to).
Part 2 (--full-scale): the same code on synthetic streams of the challenge's sizes: a 62,021,633-token
validation split with 50,000 documents, and one 100,000,000-token train shard (token ids drawn
uniformly, a BOS every ~1,000 tokens: the hashing cost does not depend on the content), written as
real shards in a temporary folder. Projection for the full data: index + ceil(80 / cores) shard
checks (shards are independent: threads or torchrun ranks take one each), disk reads not included.
One thread throughout (OMP_NUM_THREADS=1).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from golfkit import overlap
from golfkit.data import write_shard


def measure(fn, repeat: int = 3):
    """(best wall seconds, best CPU seconds of this process, peak traced MiB, result)."""
    best, cpu, peak, out = math.inf, math.inf, 0, None
    for _ in range(repeat):
        overlap._INDEXES.clear(), overlap._RESULTS.clear(), overlap._DIGESTS.clear()
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        best, cpu = min(best, dt), min(cpu, dc)
    return best, cpu, peak / 2**20, out


def ngram_hashes(t: np.ndarray, n: int) -> np.ndarray:
    """Every n-token window's polynomial hash for any n (binary decomposition of n), for the sweep."""
    x = overlap._TABLE[t.astype(np.int64)]
    res, rl, cur, cl, k = None, 0, x, 1, n
    while True:
        if k & 1:
            if res is None:
                res, rl = cur.copy(), cl
            else:
                m = t.size - (rl + cl) + 1
                res = res[:m] * np.uint64(pow(overlap._BASE, cl, 1 << 64)) + cur[rl: rl + m]
                rl += cl
        k >>= 1
        if not k:
            break
        cur = cur[:-cl] * np.uint64(pow(overlap._BASE, cl, 1 << 64)) + cur[cl:]
        cl *= 2
    return res[: t.size - n + 1]


def sweep(data: Path) -> dict:
    """Natural overlap of the real train head with the real validation head and tail, every window,
    for several window lengths: the false-positive side of choosing WINDOW."""
    from golfkit.data import read_shard

    ds = data / "datasets" / "fineweb10B_sp1024"
    tr = read_shard(ds / "fineweb_train_000000.bin")
    va = read_shard(ds / "fineweb_val_000000.bin")
    ho = read_shard(data / "holdout" / "fineweb_val_tail_sp1024.bin")
    out = {}
    for n in (8, 12, 16, 24, 32, 48, 64):
        ht = ngram_hashes(tr, n)
        out[n] = {"train windows": int(ht.size),
                  "in val head": float(np.isin(ht, ngram_hashes(va, n)).mean()),
                  "in holdout": float(np.isin(ht, ngram_hashes(ho, n)).mean())}
    return out


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def synthetic(n: int, docs: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = rng.integers(2, 1024, n, dtype=np.uint16)
    t[np.sort(rng.choice(n, docs, replace=False))] = 1
    t[0] = 1
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--full-scale", action="store_true")
    ap.add_argument("--out", default="")
    ap.add_argument("--sweep", action="store_true", help="natural overlap of the real heads for window lengths 8..64")
    a = ap.parse_args()
    policy = overlap.Policy(cache="")
    ds = Path(a.data) / "datasets" / "fineweb10B_sp1024"
    val = overlap.Source("val head", sorted(ds.glob("fineweb_val_*.bin")))
    tail = overlap.Source("holdout", sorted((Path(a.data) / "holdout").glob("*_sp1024.bin")))
    train = sorted(ds.glob("fineweb_train_*.bin"))
    res: dict = {"machine": f"{platform.processor() or platform.machine()}, python {platform.python_version()}, "
                            f"numpy {np.__version__}, 1 thread", "mini": {}, "full": {}}
    for name, src in (("index val head", val), ("index holdout", tail)):
        t, c, m, ix = measure(lambda s=src: overlap.ValIndex.build(s, "bench"))
        res["mini"][name] = {"seconds": t, "cpu_seconds": c, "peak_mib": m, "tokens": ix.tokens, "docs": ix.docs,
                             "windows": ix.windows, "index_bytes": len(ix.to_bytes())}
    ixs = [overlap.ValIndex.build(val, "a"), overlap.ValIndex.build(tail, "b")]
    t, c, m, out = measure(lambda: overlap.scan_shard(train[0], ixs))
    res["mini"]["check train head vs both"] = {"seconds": t, "cpu_seconds": c, "peak_mib": m, "tokens": out[0].tokens,
                                               "matched": [o.matched for o in out], "windows": out[0].windows}
    t, c, m, rep = measure(lambda: overlap.check(train, policy=policy))
    res["mini"]["guard end to end (sources found, hashed, indexed, checked)"] = {"seconds": t, "cpu_seconds": c,
                                                                                 "peak_mib": m}
    if a.sweep:
        res["sweep"] = sweep(Path(a.data))
    if a.full_scale:
        with tempfile.TemporaryDirectory() as tmp:
            vf, tf = Path(tmp) / "fineweb_val_000000.bin", Path(tmp) / "fineweb_train_000000.bin"
            write_shard(vf, synthetic(62_021_633, 50_000, 0))
            write_shard(tf, synthetic(100_000_000, 97_000, 1))
            t, c, m, ix = measure(lambda: overlap.ValIndex.build(overlap.Source("v", [vf]), "k"), repeat=1)
            res["full"]["index 62M-token val split"] = {"seconds": t, "cpu_seconds": c, "peak_mib": m,
                                                        "windows": ix.windows, "index_bytes": len(ix.to_bytes())}
            t, c, m, out = measure(lambda: overlap.scan_shard(tf, [ix]), repeat=2)
            res["full"]["check one 100M-token shard"] = {"seconds": t, "cpu_seconds": c, "peak_mib": m,
                                                         "windows": out[0].windows}
            c0 = time.process_time()
            overlap.ValIndex.from_file(_write(Path(tmp) / "ix.npz", ix.to_bytes()), "k")
            res["full"]["load the cached index"] = {"cpu_seconds": time.process_time() - c0}
            t0 = time.perf_counter()
            overlap.source_key(overlap.Source("v", [vf]))
            res["full"]["content key of the val split (blake2b)"] = {"seconds": time.perf_counter() - t0}
        f = res["full"]
        for cores in (1, 8):
            for kind in ("seconds", "cpu_seconds"):  # wall on this shared machine, and CPU time (load-free)
                total = f["index 62M-token val split"][kind] + math.ceil(80 / cores) * f["check one 100M-token shard"][kind]
                res["full"].setdefault(f"projected one-time pass, 80 shards, {cores} core(s)", {})[kind] = total
    print(json.dumps(res, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
