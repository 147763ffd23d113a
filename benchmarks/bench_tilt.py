"""Time the token-only n-gram tilt's hints (golfkit/eval/tilt.py, PR #2135) on the offline validation heads.

    python benchmarks/bench_tilt.py --data ../shared/data [--records ../shared/reference/records]

For each head: tokens, gated targets, seconds for golfkit's ngram_hints (best of 3), and scaled to the
challenge's 47,851,520 targets (linear: two stable sorts dominate, n log n). With --records, the
record's own build_hints_for_targets (its C state + the Python word-start expert it runs even when
that expert is off) on the CaseOps head, copied to a temporary folder. CPU-scale, mini data.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from golfkit.eval.tilt import ngram_hints

CHALLENGE_TARGETS = 47_851_520  # PR #2135's log: ngram_tilt:hints total=47851520


def heads(data: Path):
    for variant, vocab in (("fineweb10B_sp1024", 1024), ("fineweb10B_sp8192_lossless_caps_caseops_v1_reserved", 8192)):
        f = data / "datasets" / variant / "fineweb_val_000000.bin"
        if f.is_file():
            yield variant, torch.from_numpy(np.fromfile(f, dtype="<u2", offset=1024).astype(np.int64))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--records", default="")
    a = ap.parse_args()
    data = Path(a.data)
    for variant, toks in heads(data):
        best = min(_timed(lambda: ngram_hints(toks)) for _ in range(3))
        h = ngram_hints(toks)
        print(f"{variant}: {toks.numel():,} tokens, {h.gated:,} gated, golfkit ngram_hints {best:.3f} s "
              f"({toks.numel() / best / 1e6:.2f} M tok/s; {CHALLENGE_TARGETS / (toks.numel() / best):.0f} s at "
              f"{CHALLENGE_TARGETS:,} targets, linear)")
        if a.records and "caseops" in variant:
            with tempfile.TemporaryDirectory() as d:
                for f in ("online_ngram_tilt.py", "online_ngram_state.c"):
                    shutil.copy(Path(a.records) / "pr2135" / f, Path(d) / f)
                spec = importlib.util.spec_from_file_location("rec_tilt", Path(d) / "online_ngram_tilt.py")
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                tok = data / "tokenizers" / "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"
                run = lambda: mod.build_hints_for_targets(  # noqa: E731  (the record's run settings)
                    target_token_ids_np=toks.numpy().astype("uint16")[1:], tokenizer_path=str(tok), vocab_size=8192,
                    log0=lambda *x: None, within_tau=99.0, within_boost=0.0, word_tau=99.0, word_boost=0.0,
                    agree_add_boost=0.0)
                run()  # builds the C helper
                rec = min(_timed(run) for _ in range(3))
                print(f"  record build_hints_for_targets: {rec:.3f} s ({rec / best:.1f}x golfkit)")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
