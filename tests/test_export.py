"""Export (golfkit/export.py, submission.py): one standalone train_gpt.py that reproduces the run."""

from __future__ import annotations

import ast
import base64
import json
import lzma
import os
import re
import subprocess
import sys

import pytest

from conftest import golfkit_cli, smoke_config
from golfkit import export, is_tooling
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
    blob = re.search(r'b85decode\("(.*)"\)\)\)', wrapped).group(1)
    assert lzma.decompress(base64.b85decode(blob)).decode() == plain
    assert len(wrapped) < len(plain) / 2.5  # the minified plain bundle (one-space indents) is already dense
    with pytest.raises(GolfkitError, match="unknown wrapper"):
        export.wrap(plain, "zip")


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
    run_dir, metrics = smoke_run
    fake = tmp_path / "run"
    fake.mkdir()
    cfg = json.loads((run_dir / "config.json").read_text())
    cfg["quant"]["budget_bytes"] = metrics["bytes_model"] + 1000  # the code alone is far more
    (fake / "config.json").write_text(json.dumps(cfg))
    (fake / "metrics.json").write_text(json.dumps(metrics))
    r = golfkit_cli("export", str(fake), "--out", str(tmp_path / "sub"))
    assert r.returncode == 2 and "over budget" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "sub").exists() and [p.name for p in tmp_path.iterdir()] == ["run"]


def test_export_user_errors_are_one_line(tmp_path):
    r = golfkit_cli("export", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "run folder or --preset" in r.stderr
    r = golfkit_cli("export", str(tmp_path), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "no config.json" in r.stderr
