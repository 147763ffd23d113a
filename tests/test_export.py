"""Export (golfkit/export.py, submission.py): one standalone train_gpt.py that reproduces the run."""

from __future__ import annotations

import ast
import base64
import dataclasses
import json
import lzma
import os
import re
import subprocess
import sys

import pytest

from conftest import golfkit_cli, smoke_config
import golfkit.config as real_config
from golfkit import export, is_tooling, twins
from golfkit.errors import GolfkitError
from golfkit.presets import PRESETS, get_preset
from golfkit.submission import config_from_env


def test_closure_holds_the_run_path_and_no_tooling():
    names = export.module_closure()  # any config: every table module
    assert names[0] == "golfkit"
    for needed in ("golfkit.train", "golfkit.model", "golfkit.model.gpt", "golfkit.quant.gptq", "golfkit.eval.ttt",
                   "golfkit.submission"):
        assert needed in names
    assert not [n for n in names if is_tooling(n)]


def test_a_config_bundles_what_its_switch_tables_select():
    """Every preset ships each module its tables select; the baseline ships none that its tables leave out."""
    rows = export.switch_tables()

    def wanted(cfg, names):
        return {m: w(getattr(cfg, sec) if sec else cfg) for owner, m, w, sec in rows if owner in names}

    for name in PRESETS:
        cfg = export.submission_config(get_preset(name))  # as bundle() bakes it: data.guard=off (no tooling)
        names = set(export.module_closure(cfg))
        assert {m for m, on in wanted(cfg, names).items() if on} <= names, name
    base = get_preset("baseline")
    names = set(export.module_closure(base))
    assert {"golfkit.train", "golfkit.model.gpt", "golfkit.quant.int8", "golfkit.eval.flat"} <= names
    assert not {m for m, on in wanted(base, names).items() if not on} & names


def test_every_lazy_import_is_in_a_switch_table():
    """import_module("golfkit...") is invisible to the static closure: only table modules may be imported so."""
    optional = {m for _, m, _, _ in export.switch_tables()}
    lazy = set()
    for path in export.PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("golfkit"):
                    lazy.add(arg.value)
    assert lazy and lazy <= optional, lazy - optional


def _strip_docstrings(tree):
    """The AST minus docstrings and function annotations: what minify() may drop."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            b = node.body
            if b and isinstance(b[0], ast.Expr) and isinstance(b[0].value, ast.Constant) and isinstance(b[0].value.value, str):
                node.body = b[1:] or [ast.Pass()]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.returns = None
            a = node.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None:
                    arg.annotation = None
    return tree


@pytest.mark.parametrize("name", export.module_closure())
def test_minify_keeps_the_program(name):
    """Minified = the same AST minus docstrings and function annotations: no statement is lost or changed."""
    src = export.module_path(name).read_text()
    small = export.minify(src)
    assert len(small) < len(src)
    assert ast.dump(ast.parse(small)) == ast.dump(_strip_docstrings(ast.parse(src)))


def test_wrapper_decompresses_to_the_plain_bundle(data_dir):
    cfg = smoke_config(data_dir)
    plain = export.bundle(cfg)
    wrapped = export.wrap(plain, "lzma")
    wrapped.encode("ascii")  # ASCII, so valid UTF-8 for anything that reads the script as text
    digits = ast.literal_eval(re.search(r'(b""".*""")', wrapped, re.S).group(1))
    n = 0
    for c in digits:
        n = n * 124 + export.B124.index(c)
    size = int(re.search(r'to_bytes\((\d+),"big"\)', wrapped).group(1))
    assert lzma.decompress(n.to_bytes(size, "big")).decode() == plain
    assert len(wrapped) < len(plain) / 2.5  # the minified plain bundle (one-space indents) is already dense
    b85 = export.wrap(plain, "lzma-b85")
    blob = re.search(r'b85decode\("(.*)"\)\)\)', b85).group(1)
    assert lzma.decompress(base64.b85decode(blob)).decode() == plain
    assert len(wrapped) < len(b85)
    with pytest.raises(GolfkitError, match="unknown wrapper"):
        export.wrap(plain, "zip")


@pytest.mark.parametrize("wrapper", ["lzma", "lzma-b85"])
def test_wrapped_script_runs_the_plain_one(tmp_path, wrapper):
    """The stub, run by Python, executes the plain bundle with this script's __file__ and __name__."""
    plain = 'import sys\nprint(__name__, __file__.endswith("t.py"), "%d")\n' % 7 + "x = 1\n" * 500
    (tmp_path / "t.py").write_text(export.wrap(plain, wrapper))
    r = subprocess.run([sys.executable, "t.py"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == "__main__ True 7\n", r.stderr


def test_b124_digits_round_trip_through_a_python_literal(tmp_path):
    """Every byte value, leading zero bytes, and the digits next to the quotes survive a bytes literal."""
    data = b"\x00\x00" + bytes(range(256)) * 8 + bytes(range(255, -1, -1))
    digits = export.b124encode(data)
    assert set(digits) <= set(export.B124) and len(export.B124) == 124
    (tmp_path / "d.py").write_bytes(b'import sys\nn=0\nfor c in b"""' + digits + b'""":n=n*124+'
                                    + export._B124_DIGIT.encode() + b'\nsys.stdout.buffer.write(n.to_bytes(%d,"big"))'
                                    % len(data))
    r = subprocess.run([sys.executable, "d.py"], cwd=tmp_path, capture_output=True)
    assert r.returncode == 0 and r.stdout == data, r.stderr


def test_env_overrides_parse_with_the_config_types(data_dir):
    j = smoke_config(data_dir).to_json()
    cfg = config_from_env(j, {"SEED": "7", "TIE_EMBEDDINGS": "0", "ITERATIONS": "3",
                              "DATA_PATH": "/d/datasets/fineweb10B_sp4096", "TOKENIZER_PATH": "/t.model"})
    assert (cfg.seed, cfg.model.tie_embeddings, cfg.schedule.iterations) == (7, False, 3)
    assert (cfg.data.dir, cfg.data.variant, cfg.data.tokenizer) == ("/d", "sp4096", "/t.model")
    with pytest.raises(GolfkitError, match="environment variable ITERATIONS"):
        config_from_env(j, {"ITERATIONS": "ten"})
    with pytest.raises(GolfkitError, match="DATA_PATH"):
        config_from_env(j, {"DATA_PATH": "/somewhere/else"})


def test_exported_script_reproduces_the_run(smoke_run, data_dir, tmp_path):
    """The folder has the record layout; its train_gpt.py, run alone, scores exactly as the run did
    and counts only itself as code (every golfkit module came from the bundle)."""
    run_dir, metrics = smoke_run
    out = tmp_path / "sub"
    r = golfkit_cli("export", str(run_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert {"train_gpt.py", "train_gpt_readable.py", "README.md", "submission.json", "requirements.txt",
            "config.json", "train_seed1337.log"} <= {p.name for p in out.iterdir()}
    sub = json.loads((out / "submission.json").read_text())
    script = out / "train_gpt.py"
    assert sub["bytes_code"] == script.stat().st_size
    assert sub["bytes_total"] == metrics["bytes_model"] + sub["bytes_code"]
    # same environment as the smoke run (thread count included: it changes float summation order)
    env = {**os.environ, "RUN_ID": "check",
           "DATA_PATH": str(data_dir / "datasets" / "fineweb10B_sp1024"),
           "TOKENIZER_PATH": str(data_dir / "tokenizers" / "fineweb_1024_bpe.model")}
    p = subprocess.run([sys.executable, "-I", str(script)], cwd=out, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    exact = re.search(r"final_int8_zlib_roundtrip_exact val_loss:(\S+) val_bpb:(\S+)", p.stdout)
    assert float(exact.group(2)) == pytest.approx(metrics["val_bpb"], abs=1e-8)
    again = json.loads((out / "logs" / "check" / "metrics.json").read_text())
    assert again["code_files"] == ["train_gpt.py"] and again["bytes_code"] == sub["bytes_code"]


def test_over_budget_export_is_refused_and_writes_nothing(smoke_run, tmp_path):
    """The budget is the challenge's 16,000,000 bytes, whatever the run's quant.budget_bytes (set to 10^8 here)."""
    import hashlib
    import shutil

    run_dir, metrics = smoke_run
    fake = tmp_path / "run"
    shutil.copytree(run_dir, fake)
    cfg = json.loads((fake / "config.json").read_text())
    cfg["quant"]["budget_bytes"] = 100_000_000
    (fake / "config.json").write_text(json.dumps(cfg))
    (fake / "final_model.int8.golf").write_bytes(os.urandom(15_990_000))  # a record-size model: the code tips it over
    m = dict(metrics, bytes_model=15_990_000, config_sha256=hashlib.sha256((fake / "config.json").read_bytes()).hexdigest(),
             artifact_sha256=hashlib.sha256((fake / "final_model.int8.golf").read_bytes()).hexdigest())
    (fake / "metrics.json").write_text(json.dumps(m))
    r = golfkit_cli("export", str(fake), "--out", str(tmp_path / "sub"))
    assert r.returncode == 2 and "> 16,000,000" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "sub").exists() and [p.name for p in tmp_path.iterdir()] == ["run"]


def test_shipped_twins_mirror_the_modules_they_replace():
    """Each twin has its original's public functions (same signatures) and constants; ranges = the env fields' rows."""
    import importlib
    import inspect

    from golfkit.envvars import ENV_FIELDS

    for name, twin in export.SHIPPED_TWINS.items():
        orig = importlib.import_module(name)
        if name == "golfkit.ranges":
            ns: dict = {}
            exec(export.shipped_source(name), ns)
            keys = {k for k in ENV_FIELDS.values() if k in orig.RANGES}
            assert keys and ns["RANGES"] == {k: orig.RANGES[k] for k in keys}
            continue
        if callable(twin):  # generated: golfkit.config, held to its results below
            continue
        tw = importlib.import_module(twin)
        for attr, v in vars(orig).items():
            if inspect.isfunction(v) and v.__module__ == name and not attr.startswith("_"):
                assert str(inspect.signature(getattr(tw, attr))) == str(inspect.signature(v)), (name, attr)
            elif attr.isupper() and isinstance(v, int):
                assert getattr(tw, attr) == v, (name, attr)


def test_twins_give_the_originals_results_on_valid_input(smoke_run, tmp_path):
    from golfkit import artifact, artifact_table, limits, safeio
    from golfkit.model import GPT
    from golfkit.shipped import artifact_table as t_table
    from golfkit.shipped import limits as t_limits
    from golfkit.shipped import safeio as t_safeio

    path = smoke_run[0] / "final_model.int8.golf"
    (tmp_path / "c.json").write_text('{"a": [1, {"b": 2.5}]}')
    for fn, args in (("read_bytes", (path, "artifact", 1 << 30)), ("read_head", (path, "artifact", 40)),
                     ("regular_file", (path, "artifact")), ("loads", ((tmp_path / "c.json").read_text(), "c"))):
        assert getattr(t_safeio, fn)(*args) == getattr(safeio, fn)(*args), fn
    header = artifact.read_header(path)
    assert t_table.check_table(header, "x", 1 << 40, artifact._NP_DTYPES, artifact.FORMAT_VERSION) == \
        artifact_table.check_table(header, "x", 1 << 40, artifact._NP_DTYPES, artifact.FORMAT_VERSION)
    a1, c1, m1 = limits.load_for_model(path, lambda c: GPT(c.model))
    a2, c2, m2 = t_limits.load_for_model(path, lambda c: GPT(c.model))
    assert c1 == c2 and [t.name for t in a1.tensors] == [t.name for t in a2.tensors]
    assert all((x.parts[k] == y.parts[k]).all() for x, y in zip(a1.tensors, a2.tensors) for k in x.parts)



def test_inflate_twin_reads_what_the_streaming_reader_reads(smoke_run):
    """The shipped Inflater decompresses whole; read/skip/at_end give the bounded reader's bytes, pergroup included."""
    import shutil

    from golfkit import artifact, compress, inflate
    from golfkit.shipped import inflate as t_inflate

    body = artifact.encode_body(artifact.load(smoke_run[0] / "final_model.int8.golf"))
    names = ["zlib", "lzma", "zstd", "brotli"] + (["pergroup"] if shutil.which("lrzip") else [])
    for name in names:
        payload = compress.get_codec(name)[0](body)
        a, b = inflate.Inflater(name, payload), t_inflate.Inflater(name, payload)
        assert a.read(4) == b.read(4) and a.skip(1000) == b.skip(1000), name
        assert a.read(len(body)) == b.read(len(body)) and a.at_end() and b.at_end(), name


def test_a_bundle_ships_no_input_checks():
    import ast

    tree = ast.parse(export.bundle(export.submission_config(get_preset("baseline")), minified=False))
    plain = next(ast.literal_eval(n.value) for n in tree.body
                 if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "_SOURCES")
    for needle in ("nests deeper than", "a FIFO (named pipe)", "appears twice",
                   "'eval.lora.rank'", "PART_ELEMS_PER_ELEM * numel"):
        assert needle not in plain, needle
    assert "'seed': (0, 4294967295, True, True)" in plain  # the environment's fields keep their ranges
    assert "over the ceiling of" in plain  # and the size of the model they set (MODEL_DIM, NUM_LAYERS, ...)


def test_export_user_errors_are_one_line(tmp_path):
    r = golfkit_cli("export", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "run folder or --preset" in r.stderr
    r = golfkit_cli("export", str(tmp_path), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "no config.json" in r.stderr


def _config_twin():
    import types

    mod = types.ModuleType("golfkit_config_twin")
    exec(compile(export.shipped_source("golfkit.config"), "<config twin>", "exec"), mod.__dict__)
    return mod


@pytest.mark.parametrize("preset", ["smoke", "baseline", "cpu-small", "record-1290", "record-2135", "swapp-1xh100"])
def test_config_twin_gives_the_configs_results(preset):
    """An exported script's config (golfkit/twins.py) reads, writes, overrides and refuses as RunConfig does."""
    from golfkit.config import RunConfig

    twin = _config_twin()
    cfg = export.submission_config(get_preset(preset))
    tcfg = twin.RunConfig.from_json(json.dumps(export.config_diff(cfg)))
    assert tcfg.to_json() == cfg.to_json() and tcfg.portable().to_json() == cfg.portable().to_json()
    assert tcfg.model.num_layers == cfg.model.num_layers and tcfg.quant.embedding.bits == cfg.quant.embedding.bits
    assert twin.RunConfig().to_json() == RunConfig.from_dict(RunConfig().to_dict()).to_json()
    for name in twins.section_paths():
        assert getattr(twin, name)().to_dict() == json.loads(json.dumps(dataclasses.asdict(getattr(real_config, name)())))
    assert (twin.QuantConfig() == tcfg.quant) == (RunConfig().quant == cfg.quant)
    good = [{"seed": "7", "model.tie_embeddings": "0", "schedule.iterations": "3_000"},
            {"data.dir": "/d", "data.variant": "sp4096", "data.tokenizer": "/t.model", "optim.matrix_lr": "0.02"},
            {"schedule.max_wallclock_seconds": "0", "model.rope_base": "1e4", "model.num_kv_heads": "1"}]
    for ov in good:
        assert tcfg.override(ov).to_json() == cfg.override(ov).to_json(), ov
    bad = [{"seed": "-1"}, {"seed": "1.5"}, {"model.num_heads": "7"}, {"model.tie_embeddings": "maybe"},
           {"schedule.iterations": "ten"}, {"optim.matrix_lr": "nan"}, {"schedule.train_batch_tokens": "1000"},
           {"model.vocab_size": "0"}]
    for ov in bad:
        with pytest.raises(GolfkitError) as real_err:
            cfg.override(ov)
        with pytest.raises(GolfkitError) as twin_err:
            tcfg.override(ov)
        assert str(twin_err.value) == str(real_err.value), ov
