"""Tree shaking of the submission bundle (golfkit/treeshake.py): what it keeps, what it drops.

Synthetic packages (`pkg.*`) pin each rule; the golfkit checks pin the dynamic patterns golfkit
itself uses (switch tables, import_module, getattr with a prefix, inherited forward methods), and
every preset's shaken bundle trains a step, exports, reloads and scores (tests/test_export.py has
the exact reproduction of a run).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from golfkit import export
from golfkit.presets import PRESETS, get_preset
from golfkit.treeshake import shake


def defs(source: str) -> set[str]:
    """Top-level names a module defines, and Class.method for its methods."""
    out: set[str] = set()
    for st in ast.parse(source).body:
        if isinstance(st, (ast.FunctionDef, ast.ClassDef)):
            out.add(st.name)
            out |= {f"{st.name}.{m.name}" for m in st.body if isinstance(m, ast.FunctionDef)}
        elif isinstance(st, ast.Assign):
            out |= {t.id for t in st.targets if isinstance(t, ast.Name)}
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            out |= {f"import {a.asname or a.name}" for a in st.names}
    return out


def shaken(mods: dict[str, str], entry=("pkg.main", "main"), dynamic=()) -> dict[str, str]:
    sources = {n: textwrap.dedent(s) for n, s in mods.items()}
    packages = [n for n in sources if any(m.startswith(n + ".") for m in sources)]
    return shake(sources, entry, packages, dynamic)


def run(mods: dict[str, str], tmp: Path) -> str:
    """Write the modules as a package under tmp and print pkg.main.main()."""
    for name, src in mods.items():
        parts = name.split(".")
        is_pkg = any(m.startswith(name + ".") for m in mods)
        path = tmp.joinpath(*parts, "__init__.py") if is_pkg else tmp.joinpath(*parts[:-1], parts[-1] + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(src))
    r = subprocess.run([sys.executable, "-c", "import pkg.main; print(pkg.main.main())"], cwd=tmp,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


PKG = {
    "pkg": "",
    "pkg.main": '''
        from __future__ import annotations
        import json, os
        from typing import TYPE_CHECKING
        from pkg import util
        from pkg.shapes import Square, area
        if TYPE_CHECKING:
            from pkg.unused import Nothing
        LIMIT = 3
        UNUSED = [1, 2]
        def helper(x):
            return util.double(x) + LIMIT
        def unused(x):
            return os.getcwd()
        def main():
            s = Square(2)
            return json.dumps([helper(1), area(s), s.describe(), s.kind("round")])
    ''',
    "pkg.util": '''
        def double(x):
            return 2 * x
        def triple(x):
            return 3 * x
    ''',
    "pkg.shapes": '''
        import math
        class Shape:
            def __init__(self, side):
                self.side = side
            def describe(self):
                return f"{type(self).__name__} {self.area()}"
            def area(self):
                raise NotImplementedError
            def unused(self):
                return 0
            def kind(self, name):
                return getattr(self, f"_kind_{name}")()
            def _kind_round(self):
                return "round"
            def _kind_flat(self):
                return "flat"
        class Square(Shape):
            def area(self):
                return self.side ** 2
            def perimeter(self):
                return 4 * self.side
        class Circle(Shape):
            def area(self):
                return math.pi
        def area(s):
            return s.area()
    ''',
    "pkg.unused": "class Nothing: pass\n",
}


def test_keeps_what_the_entry_reaches_and_drops_the_rest():
    out = shaken(PKG)
    assert set(out) == {"pkg", "pkg.main", "pkg.util", "pkg.shapes"}  # pkg.unused: only under TYPE_CHECKING
    assert defs(out["pkg.main"]) == {"import annotations", "import json", "import util", "import Square",
                                     "import area", "LIMIT", "helper", "main"}  # os: only unused() used it
    assert "TYPE_CHECKING" not in out["pkg.main"] and "from __future__ import annotations" in out["pkg.main"]
    assert defs(out["pkg.util"]) == {"double"}  # util.triple: never an attribute of util in kept code
    shapes = defs(out["pkg.shapes"])
    assert {"Shape", "Square", "area", "Shape.describe", "Shape.area", "Square.area", "Shape.kind",
            "Shape._kind_round", "Shape._kind_flat"} <= shapes  # getattr(self, f"_kind_{..}") keeps every _kind_*
    assert not {"Circle", "Shape.unused", "Square.perimeter"} & shapes


def test_the_shaken_package_runs_as_the_original(tmp_path):
    assert run(shaken(PKG), tmp_path / "a") == run(PKG, tmp_path / "b")


def test_module_objects_and_import_module():
    mods = {
        "pkg": "",
        "pkg.main": '''
            import importlib
            import pkg.a
            from pkg import b, c
            def main():
                table = [b]  # a module object used as a value: all of it stays
                return pkg.a.f() + importlib.import_module("pkg.d").g() + c.h
            def dispatch(name):
                return getattr(importlib.import_module(name), "run")
        ''',
        "pkg.a": "def f(): return 1\ndef unused(): return 2\n",
        "pkg.b": "def x(): return 1\ndef y(): return 2\nZ = 3\n",
        "pkg.c": "h = 1\nunused = 2\n",
        "pkg.d": "def g(): return 1\ndef unused(): return 2\n",
        "pkg.e": "def run(): return 1\ndef unused(): return 2\n",
    }
    out = shaken(mods)
    assert defs(out["pkg.a"]) == {"f"} and defs(out["pkg.c"]) == {"h"} and defs(out["pkg.d"]) == {"g"}
    assert defs(out["pkg.b"]) == {"x", "y", "Z"}
    assert "pkg.e" not in out  # nothing names it (dispatch() is never reached)
    # modules imported by name at run time (a switch table's) keep what kept code names as attributes or strings
    mods["pkg.main"] = textwrap.dedent(mods["pkg.main"]) + 'def main2():\n    return dispatch("pkg.e")\n'
    out = shaken(mods, entry=("pkg.main", "main2"), dynamic=["pkg.e"])
    assert defs(out["pkg.e"]) == {"run"}


def test_methods_that_outside_code_calls_stay_through_inheritance():
    """forward() is called by nn.Module.__call__, default() by json's encoder: names no kept code writes."""
    mods = {
        "pkg": "",
        "pkg.main": '''
            import json
            from pkg.enc import Sub
            class Enc(json.JSONEncoder):
                def default(self, o):
                    return str(o)
                def unused(self):
                    return 1
            def main():
                return json.dumps({1}, cls=Enc) + json.dumps({2}, cls=Sub)
        ''',
        "pkg.enc": '''
            from pkg.base import Base
            class Sub(Base):
                def default(self, o):
                    return sorted(o)
                def unused(self):
                    return 1
        ''',
        "pkg.base": '''
            import json
            class Base(json.JSONEncoder):
                def only_here(self):
                    pass
        ''',
    }
    out = shaken(mods)
    assert defs(out["pkg.main"]) >= {"Enc", "Enc.default"} and "Enc.unused" not in defs(out["pkg.main"])
    assert "Sub.default" in defs(out["pkg.enc"]) and "Sub.unused" not in defs(out["pkg.enc"])
    assert re.search(r"class Base\(json.JSONEncoder\):\n\s+pass", out["pkg.base"])  # every method gone: a pass


def test_decorators_that_may_register_and_partial_imports():
    mods = {
        "pkg": "",
        "pkg.main": '''
            import atexit
            from dataclasses import dataclass, field
            from pkg.util import a, b, c as see
            @atexit.register
            def on_exit():
                pass
            @dataclass
            class Unused:
                x: int = 0
            def main():
                return a() + see()
        ''',
        "pkg.util": "def a(): return 1\ndef b(): return 2\ndef c(): return 3\n",
    }
    out = shaken(mods)
    assert "from pkg.util import a, c as see" in out["pkg.main"]
    assert "on_exit" in defs(out["pkg.main"]) and "Unused" not in defs(out["pkg.main"])
    assert "import dataclass" not in defs(out["pkg.main"])
    assert defs(out["pkg.util"]) == {"a", "c"}


# ------------------------------------------------------------------------------ golfkit's own patterns
def golfkit_bundle(preset: str) -> dict[str, str]:
    names = export.module_closure(get_preset(preset))
    return export.shaken({n: export.module_path(n).read_text() for n in names})


def test_golfkit_dynamic_patterns_survive():
    base = golfkit_bundle("baseline")
    # getattr(self, f"_{name}") over the decompressors; the int8 format tables reached through a dict
    assert {"Inflater._zlib", "Inflater._lzma"} <= defs(base["golfkit.inflate"])
    assert "install_wd_schedule" in defs(base["golfkit.optim"])  # TRAINING_HOOKS names it by string
    assert "golfkit.lab" not in str(sorted(base)) and "golfkit.export" not in base
    loop = golfkit_bundle("loop-cpu")
    assert {"install_hooks", "LoopBand"} <= defs(loop["golfkit.model.recurrence"])  # table module + string
    rec = golfkit_bundle("record-1801")
    assert {"SwitchedAttention", "SwitchedAttention.forward"} <= defs(rec["golfkit.model.attention_variants"])
    assert "TwoLaneBlock.forward" in defs(rec["golfkit.model.parallel_blocks"])  # called by nn.Module.__call__
    assert "DEQUANTIZERS" in defs(rec["golfkit.quant.formats"])  # import_module("...formats").DEQUANTIZERS


def test_shaking_drops_code_and_every_preset_keeps_its_modules():
    for name in ("baseline", "record-2135"):
        names = export.module_closure(get_preset(name))
        full = {n: export.shipped_source(n) for n in names}  # what export.bundle shakes
        out = export.shaken(full)
        size = lambda d: sum(len(export.minify(s)) for s in d.values())  # noqa: E731
        # 2026-11-29: baseline 135,687 -> 128,371 minified characters, record-2135 202,802 -> 194,467
        assert size(out) < 0.97 * size(full), name
        assert set(out) <= set(full)


def _tiny_config(preset: str, data_dir: Path):
    """The preset with its switches as they are and every size cut to seconds on a CPU."""
    cfg = get_preset(preset)
    m = cfg.model
    heads = 2
    over = {"data.dir": str(data_dir), "device": "cpu", "compile": "off",
            "model.model_dim": 64, "model.num_heads": heads, "model.num_kv_heads": 1,
            "schedule.iterations": 2, "schedule.warmup_steps": 0, "schedule.train_seq_len": 64,
            "schedule.train_batch_tokens": 256, "schedule.micro_batches": 2, "schedule.val_loss_every": 0,
            "schedule.max_wallclock_seconds": 0.0, "schedule.warmdown_iters": 1,
            "eval.batch_tokens": 4096}
    if cfg.quant.scheme != "int8":  # the int8 scheme is its exact default config (quant.is_baseline)
        over.update({"quant.calib_batches": 1, "quant.selfgen_seqs": 2, "quant.selfgen_len": 32,
                     "quant.selfgen_batch": 2})
    if m.rope_dims:
        over["model.rope_dims"] = 16
    if m.bigram_buckets:
        over.update({"model.bigram_buckets": 64, "model.bigram_dim": 16})
    if m.ve_dim:
        over["model.ve_dim"] = 16
    if m.mlp_hidden:
        over["model.mlp_hidden"] = 128
    e = cfg.eval
    if e.seq_len:
        over["eval.seq_len"] = 64
    if e.method != "flat":
        over.update({"eval.stride": 32, "eval.lora.context": 64, "eval.lora.chunk_tokens": 32, "eval.lora.rank": 4,
                     "eval.lora.batch_docs": 4, "eval.phased.docs": 2, "eval.phased.chunk_tokens": 256,
                     "eval.sgd.chunk_tokens": 256})
    return cfg.override(over)


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory, data_dir):
    """sp1024 shards cut to 20,000 training and 2,000 validation tokens (whole documents)."""
    import numpy as np

    from golfkit.shards import read_shard, write_shard

    out = tmp_path_factory.mktemp("tiny_data")
    src = data_dir / "datasets" / "fineweb10B_sp1024"
    ds = out / "datasets" / "fineweb10B_sp1024"
    ds.mkdir(parents=True)
    val = read_shard(src / "fineweb_val_000000.bin")
    bos = np.flatnonzero(val == 1)
    write_shard(ds / "fineweb_val_000000.bin", val[: int(bos[bos > 2000][0])])
    write_shard(ds / "fineweb_train_000000.bin", read_shard(src / "fineweb_train_000000.bin")[:20_000])
    (out / "tokenizers").mkdir()
    for f in ("fineweb_1024_bpe.model", "fineweb_1024_bpe.vocab"):
        (out / "tokenizers" / f).symlink_to(data_dir / "tokenizers" / f)
    # the records' CaseOps data (record-1801 on): the same cut, with its validation byte sidecar
    cname = "fineweb10B_sp8192_lossless_caps_caseops_v1_reserved"
    csrc = data_dir / "datasets" / cname
    if csrc.is_dir():
        cds = out / "datasets" / cname
        cds.mkdir(parents=True)
        val = read_shard(csrc / "fineweb_val_000000.bin")
        bos = np.flatnonzero(val == 1)
        n = int(bos[bos > 2000][0])
        write_shard(cds / "fineweb_val_000000.bin", val[:n])
        write_shard(cds / "fineweb_val_bytes_000000.bin", read_shard(csrc / "fineweb_val_bytes_000000.bin")[:n])
        write_shard(cds / "fineweb_train_000000.bin", read_shard(csrc / "fineweb_train_000000.bin")[:20_000])
        for f in ("fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model",
                  "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.vocab"):
            (out / "tokenizers" / f).symlink_to(data_dir / "tokenizers" / f)
    return out


# Runs exported scripts one after another in one interpreter (torch imported once): each starts with
# no golfkit module loaded and its own import hook, as `python train_gpt.py` would.
_DRIVER = """
import json, os, runpy, sys
for path in sys.argv[1:]:
    for m in [m for m in sys.modules if m == "golfkit" or m.startswith("golfkit.")]:
        del sys.modules[m]
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_GolfkitBundle"]
    os.environ["RUN_ID"] = os.path.basename(os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        if e.code:
            sys.exit(f"{path}: exit {e.code}")
"""


@pytest.mark.slow
def test_every_presets_shaken_bundle_trains_exports_and_scores(tiny_data, tmp_path):
    """The minified, shaken bundle of each preset (tiny sizes, same switches) runs the whole submission:
    build, two training steps, the preset's export (GPTQ, LQER, ...), reload and its eval method.
    Presets whose bundles hold the same code run once."""
    scripts: dict[str, Path] = {}
    for preset in PRESETS:
        tiny = _tiny_config(preset, tiny_data)
        if tiny.quant.compressor == "pergroup" and shutil.which("lrzip") is None:
            continue  # the per-group serializer runs the lrzip program (Debian package lrzip); not installed here
        if not (tiny_data / "datasets" / f"fineweb10B_{tiny.data.variant}").is_dir():
            continue  # the CaseOps head is not in this data folder
        assert export.module_closure(tiny) == export.module_closure(get_preset(preset)), preset  # same switches
        plain = export.bundle(tiny)
        code = plain[plain.index("_SOURCES"):]  # the modules, without the config
        if code not in scripts:
            (tmp_path / preset).mkdir()
            scripts[code] = tmp_path / preset / "train_gpt.py"
            scripts[code].write_text(export.wrap(plain, "lzma"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-I", "-c", _DRIVER, *map(str, scripts.values())], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    for script in scripts.values():
        run = tmp_path / "logs" / script.parent.name
        assert re.search(r"final_int8_zlib_roundtrip_exact val_loss:\S+ val_bpb:\S+", (run / "train.log").read_text())
        metrics = json.loads((run / "metrics.json").read_text())
        assert metrics["steps"] == 2 and metrics["code_files"] == ["train_gpt.py"], script.parent.name
