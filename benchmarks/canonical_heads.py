"""Print golfkit/canonical.py's HEADS and TAILS tables from a data folder holding the canonical heads.

    python benchmarks/canonical_heads.py DATA_DIR

The mini data folder's shards are the heads of the challenge's own streams (re-exported by the
public fork coder-2011/parameter-golf); tests/test_canonical.py checks that the tables reproduce.
"""

from __future__ import annotations

import sys
from pathlib import Path

from golfkit.canonical import BLOCKS, block_hashes
from golfkit.data import read_shard


def main(data_dir: str) -> None:
    root = Path(data_dir)
    print("HEADS = {")
    for variant in ("sp1024", "sp4096"):
        print(f"    {variant!r}: {{")
        for split in ("val", "train"):
            t = read_shard(root / "datasets" / f"fineweb10B_{variant}" / f"fineweb_{split}_000000.bin")
            hs = block_hashes(t, BLOCKS[split])
            print(f"        {split!r}: ({t.size}, (")
            for i in range(0, len(hs), 4):
                print("            " + " ".join(f"{h!r}," for h in hs[i:i + 4]))
            print("        )),")
        print("    },")
    print("}")
    tail = read_shard(root / "holdout" / "fineweb_val_tail_sp1024.bin")
    print(f"TAILS = {{'sp1024': ({tail.size}, {block_hashes(tail, tail.size)[0]!r})}}")


if __name__ == "__main__":
    main(sys.argv[1])
