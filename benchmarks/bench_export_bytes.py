"""Bytes of the exported train_gpt.py per preset, with golfkit's input checks shipped as twins and without.

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/bench_export_bytes.py [--presets baseline cpu-small ...]

For each preset: the counted train_gpt.py (lzma + base85, what `golfkit export --preset P` writes),
the plain bundle, the module count, and the counted bytes if the check modules shipped as themselves
(export.SHIPPED_TWINS emptied). Run it with PYTHONPATH at an older checkout for "before" numbers
(a checkout without SHIPPED_TWINS reports only the first columns).
"""

from __future__ import annotations

import argparse
import json

from golfkit import export
from golfkit.presets import get_preset

DEFAULT = ["baseline", "cpu-small", "smoke", "record-1290", "record-1801", "record-1855", "record-2135"]


def exported(cfg) -> tuple[int, int, int]:
    plain = export.bundle(cfg)
    return len(export.wrap(plain, "lzma").encode()), len(plain.encode()), len(export.module_closure(cfg))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", nargs="*", default=DEFAULT)
    args = ap.parse_args()
    rows = []
    for name in args.presets:
        cfg = get_preset(name)
        cfg = export.submission_config(cfg) if hasattr(export, "submission_config") else \
            cfg.override({"data.dir": "./data", "data.tokenizer": ""})
        code, plain, modules = exported(cfg)
        row = {"preset": name, "bytes": code, "plain": plain, "modules": modules}
        twins = getattr(export, "SHIPPED_TWINS", None)
        if twins is not None:
            saved = dict(twins)
            twins.clear()
            try:
                row["bytes_with_checks"] = exported(cfg)[0]
            finally:
                twins.update(saved)
        rows.append(row)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
