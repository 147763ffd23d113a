"""Export a run as a challenge submission folder with one standalone `train_gpt.py`.

The challenge counts `bytes(compressed model) + bytes(train_gpt.py)` and wants "all counted code
in train_gpt.py" (reference/techniques.md 2.1). A golfkit run imports many small modules, so the
exporter bundles them:

1. the modules a submission needs are the static import closure of `golfkit.submission` (every
   `import golfkit.x` / `from golfkit.x import ...` in every reached module, including imports
   inside functions, so an optional path such as GPTQ or TTT is always there);
2. each module is minified by the AST: docstrings dropped, comments gone with `ast.unparse`
   (rec 04-03 onward minify too); the readable originals go beside it, not counted;
3. the sources are embedded as string literals, served by a small import hook (a meta-path
   finder), so every module keeps its name and import semantics: no code is rewritten;
4. by default the whole is wrapped as `exec(lzma.decompress(base64.b85decode(...)))`, the
   records' self-extracting form (rec 04-05, 04-27); `wrapper="none"` ships the plain bundle.

The run config is baked in as JSON; the challenge's environment variables override it at start
(golfkit/submission.py). The folder follows a record's layout: train_gpt.py, README.md,
submission.json, requirements.txt, the run's train log(s), plus train_gpt_readable.py and
config.json for reviewers. It is written to a temporary folder and renamed; an export whose
code + model bytes exceed the budget is refused with the numbers.
"""

from __future__ import annotations

import ast
import base64
import json
import lzma
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from golfkit import __version__
from golfkit.config import RunConfig
from golfkit.errors import GolfkitError

PACKAGE_DIR = Path(__file__).resolve().parent
ENTRY = "golfkit.submission"
WRAPPERS = ("lzma", "none")


# ---------------------------------------------------------------------------------- the bundle
def _imported(tree: ast.AST) -> set[str]:
    """golfkit modules a parsed module imports, anywhere in its body."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("golfkit")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("golfkit"):
            out.add(node.module)
            # `from golfkit import quant` imports a module; `from golfkit.x import f` a name
            out |= {f"{node.module}.{a.name}" for a in node.names
                    if (PACKAGE_DIR / f"{a.name}.py").is_file() and node.module == "golfkit"}
    return out


def module_path(name: str) -> Path:
    return PACKAGE_DIR / "__init__.py" if name == "golfkit" else PACKAGE_DIR / f"{name.split('.', 1)[1]}.py"


# runlog.submitted_code_bytes imports this module only outside a bundle (from a checkout); a bundle never needs it.
# The validation guard (golfkit.overlap) protects a golfkit user's data folder; a submission trains on the
# graders' canonical data, so it would only cost bytes (~6 KB) and a first-run scan there (data.refuse_non_train).
NEVER_BUNDLED = {"golfkit.export", "golfkit.overlap"}


def module_closure(entry: str = ENTRY) -> list[str]:
    """Sorted golfkit module names reachable from `entry` by import statements (the package first)."""
    seen, todo = {"golfkit", *NEVER_BUNDLED}, [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += sorted(_imported(ast.parse(module_path(name).read_text())) - seen)
    return sorted(seen - NEVER_BUNDLED, key=lambda n: (n != "golfkit", n))


class _DropDocstrings(ast.NodeTransformer):
    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        node.body = body or [ast.Pass()]
        return node

    visit_Module = visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip


def minify(source: str) -> str:
    """The same program without docstrings and comments (ast.unparse drops comments)."""
    return ast.unparse(_DropDocstrings().visit(ast.parse(source)))


# The bootstrap every bundle starts with: serve golfkit.* from _SOURCES, each module's __file__
# being this script (so code_bytes() counts exactly the submitted file), with linecache filled so
# tracebacks and torch.compile can show source lines.
_BOOT = '''import importlib.abc, importlib.util, linecache, sys
class _GolfkitBundle(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name in _SOURCES:
            return importlib.util.spec_from_loader(name, self, is_package=name == "golfkit")
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        src, fname = _SOURCES[module.__name__], "<golfkit bundle: " + module.__name__ + ">"
        linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
        module.__file__ = __file__
        exec(compile(src, fname, "exec"), module.__dict__)
sys.meta_path.insert(0, _GolfkitBundle())
if __name__ == "__main__":
    from golfkit.submission import main
    sys.exit(main(_CONFIG))
'''


def bundle(cfg: RunConfig, minified: bool = True, entry: str = ENTRY) -> str:
    """One Python file holding the config, the needed golfkit modules and the import hook."""
    names = module_closure(entry)
    sources = {n: module_path(n).read_text() for n in names}
    if minified:
        sources = {n: minify(s) for n, s in sources.items()}
    head = (f"# train_gpt.py exported by golfkit {__version__}: {len(names)} modules bundled "
            f"({'minified' if minified else 'readable'}); see README.md\n")
    body = "_SOURCES = {\n" + "".join(f"{n!r}: {s!r},\n" for n, s in sources.items()) + "}\n"
    return head + f"_CONFIG = {cfg.to_json()!r}\n" + body + _BOOT


def wrap(plain: str, wrapper: str) -> str:
    """The counted train_gpt.py: the plain bundle, or it as an lzma+base85 self-extracting stub."""
    if wrapper == "none":
        return plain
    if wrapper != "lzma":
        raise GolfkitError(f"unknown wrapper '{wrapper}' (known: {', '.join(WRAPPERS)})")
    blob = base64.b85encode(lzma.compress(plain.encode(), preset=9 | lzma.PRESET_EXTREME)).decode()
    return f'import lzma,base64;exec(lzma.decompress(base64.b85decode("{blob}")))\n'


# ---------------------------------------------------------------------------------- the folder
def requirements(cfg: RunConfig) -> str:
    """requirements.txt: what the bundle imports beyond the standard library, at this machine's versions."""
    pkgs = ["torch", "numpy", "sentencepiece"]
    pkgs += {"brotli": ["brotli"], "zstd": ["zstandard"]}.get(cfg.quant.compressor.split("+")[0], [])
    if cfg.quant.compressor == "auto":
        pkgs += ["brotli", "zstandard"]

    def pin(p: str) -> str:
        try:
            v = metadata.version(p).split("+")[0]  # 2.13.0+cpu -> 2.13.0: the CUDA build is wanted there
        except metadata.PackageNotFoundError:
            return p
        return f"{p}>={v}"
    return "".join(pin(p) + "\n" for p in dict.fromkeys(pkgs))


def _run_record(run_dir: Path) -> tuple[RunConfig, dict[str, Any]]:
    try:
        cfg = RunConfig.from_json((run_dir / "config.json").read_text())
    except FileNotFoundError:
        raise GolfkitError(f"{run_dir} has no config.json (not a golfkit run folder)") from None
    metrics_path = run_dir / "metrics.json"
    if not metrics_path.is_file():
        raise GolfkitError(f"{run_dir} has no metrics.json (the run did not finish)")
    return cfg, json.loads(metrics_path.read_text())


def _readme(cfg: RunConfig, m: dict[str, Any] | None, code: int, name: str) -> str:
    lines = [f"# {name}", "", f"Exported by golfkit {__version__} from preset `{cfg.preset}` (config.json).", ""]
    if m:
        lines += [f"* val_bpb (int8/zlib roundtrip, this run): **{m['val_bpb']:.8f}**, val_loss {m['val_loss']:.8f} nats",
                  f"* bytes: model {m['bytes_model']:,} + code {code:,} = **{m['bytes_model'] + code:,}** "
                  f"(budget {cfg.quant.budget_bytes:,})",
                  f"* steps {m['steps']}, train time {m['train_time_ms'] / 1000:.1f} s, seed {m['seed']}, "
                  f"world size {m['world_size']}", ""]
    lines += ["Run: `torchrun --standalone --nproc_per_node=8 train_gpt.py` with the challenge's data in ./data",
              "(DATA_PATH, TOKENIZER_PATH, SEED, RUN_ID, ITERATIONS, MAX_WALLCLOCK_SECONDS, ... override the config).",
              "", "`train_gpt.py` is the counted code. `train_gpt_readable.py` is the same program unminified and",
              "uncompressed, with its comments, for review; it is not part of the submission's bytes.",
              "The SentencePiece .model file is not counted, as in every record (reference/techniques.md 2.1)."]
    return "\n".join(lines) + "\n"


def export_submission(out_dir: str | Path, cfg: RunConfig | None = None, run_dir: str | Path | None = None,
                      wrapper: str = "lzma", name: str = "golfkit submission", github_id: str = "",
                      data_dir: str = "./data", force: bool = False) -> dict[str, Any]:
    """Write the submission folder; return its byte accounting. Refuses an over-budget run."""
    m = None
    if run_dir is not None:
        cfg, m = _run_record(Path(run_dir))
    if cfg is None:
        raise GolfkitError("export needs a run folder or a config")
    cfg = cfg.override({"data.dir": data_dir, "data.tokenizer": ""})  # the challenge's layout, not this machine's
    plain = bundle(cfg)
    script = wrap(plain, wrapper)
    code = len(script.encode())
    info: dict[str, Any] = {"bytes_code": code, "bytes_code_plain": len(plain.encode()),
                            "modules": len(module_closure()), "wrapper": wrapper}
    if m:
        total = m["bytes_model"] + code
        info.update(bytes_model=m["bytes_model"], bytes_total=total, val_bpb=m["val_bpb"], val_loss=m["val_loss"])
        if total > cfg.quant.budget_bytes:
            raise GolfkitError(f"over budget: model {m['bytes_model']:,} + code {code:,} = {total:,} bytes "
                               f"> {cfg.quant.budget_bytes:,} by {total - cfg.quant.budget_bytes:,}; nothing exported")
    _write_folder(Path(out_dir), cfg, m, script, info, name, github_id, run_dir, force)
    return info


def _write_folder(out: Path, cfg: RunConfig, m: dict[str, Any] | None, script: str, info: dict[str, Any],
                  name: str, github_id: str, run_dir: str | Path | None, force: bool) -> None:
    if out.exists() and not force:
        raise GolfkitError(f"{out} exists (pass --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "train_gpt.py").write_text(script)
        (tmp / "train_gpt_readable.py").write_text(bundle(cfg, minified=False))
        (tmp / "config.json").write_text(cfg.to_json() + "\n")
        (tmp / "requirements.txt").write_text(requirements(cfg))
        (tmp / "README.md").write_text(_readme(cfg, m, info["bytes_code"], name))
        sub = {"name": name, "github_id": github_id, **{k: v for k, v in info.items()}}
        (tmp / "submission.json").write_text(json.dumps(sub, indent=2) + "\n")
        if run_dir is not None and (Path(run_dir) / "train.log").is_file():
            shutil.copy(Path(run_dir) / "train.log", tmp / f"train_seed{cfg.seed}.log")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
