"""CaseOps data path throughput on CPU: the case transform, the sidecar byte counts, and `data build`.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_caseops.py --data ../shared/data \\
        [--record ../shared/reference/records/pr2135] [--repeats 3]

Text: every document of DATA/text/*.jsonl (FineWeb 200 raw + C4 2k). Prints a markdown table
(best of --repeats wall times; numbers on this data are "CPU-scale, mini data"). With --record,
the records' lossless_caps.py functions are timed on the same text for comparison.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import tempfile
import time
from pathlib import Path


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    from golfkit import caseops, dataprep
    from golfkit.data import load_tokenizer, tokenizer_path

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--record", type=Path, help="a record folder with lossless_caps.py (PR #2135's)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    files = sorted((args.data / "text").glob("*.jsonl"))
    docs = [json.loads(line)["text"] for f in files for line in f.open(encoding="utf-8")]
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    variant = "sp8192" + caseops.VARIANT_SUFFIX
    sp = load_tokenizer(tokenizer_path(args.data, variant), 8192)
    encoded = [caseops.encode(d) for d in docs]
    pieces = [caseops.encode_pieces(sp, e) for e in encoded]
    rows = [("documents", f"{len(docs):,}", f"{mb:.2f} MB UTF-8", "")]

    ref = None
    if args.record:
        spec = importlib.util.spec_from_file_location("record_lossless_caps", args.record / "lossless_caps.py")
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)

    def rate(name, fn, ref_fn=None):
        t = best(fn, args.repeats)
        r = best(ref_fn, args.repeats) if ref_fn else None
        rows.append((name, f"{t:.3f} s", f"{mb / t:.1f} MB/s", f"{r:.3f} s ({mb / r:.1f} MB/s)" if r else ""))

    rate("encode (forward transform)", lambda: [caseops.encode(d) for d in docs],
         ref and (lambda: [ref.encode_lossless_caps_v2(d) for d in docs]))
    rate("decode (inverse)", lambda: [caseops.decode(e) for e in encoded],
         ref and (lambda: [ref.decode_lossless_caps_v2(e) for e in encoded]))
    rate("sidecar byte counts", lambda: [caseops.original_byte_counts(s) for _, s in pieces],
         ref and (lambda: [ref.surface_piece_original_byte_counts(s, text_transform_name=caseops.NAME)
                           for _, s in pieces]))
    rate("tokenize with surfaces (sentencepiece)", lambda: [caseops.encode_pieces(sp, e) for e in encoded])

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        src.write_text("".join(json.dumps({"text": d}) + "\n" for d in docs), encoding="utf-8")
        n_tokens = {}

        def build(transform: str, val_docs: int):
            def go():
                rep = dataprep.build(src, tokenizer_path(args.data, variant if transform != "none" else "sp1024"),
                                     Path(tmp) / f"out_{transform}_{val_docs}", val_docs=val_docs,
                                     transform=transform)
                n_tokens[(transform, val_docs)] = sum(s["tokens"] for s in rep["splits"].values())
            return go

        for transform, val_docs, label in (("none", 200, "build sp1024, no transform (200 val docs)"),
                                           (caseops.NAME, 200, "build CaseOps + sidecar (200 val docs)"),
                                           (caseops.NAME, len(docs) - 1, "build CaseOps + sidecar (all val)")):
            t = best(build(transform, val_docs), args.repeats)
            tok = n_tokens[(transform, val_docs)]
            rows.append((label, f"{t:.3f} s", f"{mb / t:.2f} MB/s", f"{tok / t:,.0f} tokens/s ({tok:,} tokens)"))

    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; load average "
          f"{os.getloadavg()[0]:.1f}; best of {args.repeats}")
    print("| step | golfkit | rate | records' lossless_caps.py / notes |")
    print("|---|---:|---:|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
