"""Exported train_gpt.py bytes per preset, and what each step of the exporter contributes.

    python benchmarks/export_bytes.py [--out export_bytes.json] [--defs baseline]

For every preset, the counted script of `golfkit export --preset P` (data.dir=./data) built with the
exporter's steps switched on one after another, each row keeping the ones above it:

    closure      the config's modules (SWITCH_TABLES), each a repr'd string in a dict, the full config
                 JSON, xz preset 9e, base85 stub: the exporter before tree shaking
    + shake      golfkit/treeshake.py cuts what golfkit.submission.main never reaches
    + one string the modules in one raw string after `#!golfkit NAME` lines, packages derived
    + config diff the config as its difference from RunConfig's defaults
    + .lzma pb0  the .lzma container (13-byte header) and pb=0 instead of .xz and pb=2
    + base-124   the stream as base-124 ASCII digits instead of base85: what `golfkit export` writes

`--defs P` also prints, for preset P, each module's and each top-level definition's share: the lzma
bytes of the shaken, minified bundle minus those without it (largest first). No training.

`--executed P --data DIR` runs preset P's training (golfkit.submission.main, in this process, traced
from before the first golfkit import) and compares the lzma bytes of the code lines of the bundled
modules (comments and docstrings out, indentation stripped) with those of the lines the run executed:
a floor for any dead-code removal, static or not, on that path. Minutes on a CPU for `smoke`.
"""

from __future__ import annotations

import argparse
import ast
import base64
import json
import lzma
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from golfkit import __version__, export  # noqa: E402
from golfkit.presets import PRESETS, get_preset  # noqa: E402

STEPS = ["closure", "+ shake", "+ one string", "+ config diff", "+ .lzma pb0", "+ base-124"]

# The bundle format before tree shaking (golfkit/export.py at c86dba4): a dict of repr'd sources,
# a list of packages, the full config JSON and its boot hook.
_OLD_BOOT = '''import importlib.abc, importlib.util, linecache, sys
class _GolfkitBundle(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name in _SOURCES:
            return importlib.util.spec_from_loader(name, self, is_package=name in _PACKAGES)
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


def old_format(sources: dict[str, str], config: dict) -> str:
    head = f"# train_gpt.py exported by golfkit {__version__}: {len(sources)} modules bundled (minified); see README.md\n"
    body = "_SOURCES = {\n" + "".join(f"{n!r}: {s!r},\n" for n, s in sources.items()) + "}\n"
    packages = f"_PACKAGES = {sorted(n for n in sources if export.is_package(n))!r}\n"
    return head + f"_CONFIG = {json.dumps(config, separators=(',', ':'))!r}\n" + body + packages + _OLD_BOOT


def new_format(sources: dict[str, str], config: dict) -> str:
    text = "".join(f"{export.MARK}{n}\n{s}" for n, s in sources.items())
    head = f"# train_gpt.py exported by golfkit {__version__}: {len(sources)} modules bundled (minified); see README.md\n"
    return head + f"_CONFIG = {json.dumps(config, separators=(',', ':'))!r}\n_SOURCES = {export._literal(text)}\n" \
        + export._BOOT


def xz_b85(plain: str) -> int:
    blob = base64.b85encode(lzma.compress(plain.encode(), preset=9 | lzma.PRESET_EXTREME)).decode()
    return len(f'import lzma,base64;exec(lzma.decompress(base64.b85decode("{blob}")))\n')


def steps(preset: str) -> dict[str, int]:
    cfg = export.submission_config(get_preset(preset))  # as export_submission: ./data, guard off
    full = {n: export.shipped_source(n) for n in export.module_closure(cfg)}  # input checks as shipped twins
    shaken = export.shaken(full)
    mini = {n: export.minify(s) for n, s in full.items()}
    small = {n: export.minify(s) for n, s in shaken.items()}
    whole, diff = cfg.to_dict(), export.config_diff(cfg)
    plain = new_format(small, diff)
    out = {"closure": xz_b85(old_format(mini, whole)), "+ shake": xz_b85(old_format(small, whole)),
           "+ one string": xz_b85(new_format(small, whole)), "+ config diff": xz_b85(plain),
           "+ .lzma pb0": len(export.wrap(plain, "lzma-b85")), "+ base-124": len(export.wrap(plain, "lzma"))}
    assert out["+ base-124"] == len(export.wrap(export.bundle(cfg), "lzma").encode())  # what export writes
    out["modules"], out["modules_shaken"] = len(full), len(shaken)
    out["plain_bytes"] = len(export.bundle(cfg).encode())
    return out


def definition_shares(preset: str) -> list[tuple[int, str, str]]:
    """(lzma bytes, module, name) of every top-level definition and method of the shaken bundle."""
    cfg = get_preset(preset).override({"data.dir": "./data", "data.tokenizer": ""})
    srcs = {n: export.minify(s) for n, s in
            export.shaken({n: export.module_path(n).read_text() for n in export.module_closure(cfg)}).items()}

    def size(d: dict[str, str]) -> int:
        return len(export.lzma_alone("".join(f"{export.MARK}{n}\n{s}" for n, s in d.items()).encode()))

    base, rows = size(srcs), []
    for n, s in srcs.items():
        tree = ast.parse(s)
        for i, st in enumerate(tree.body):
            subs = [(None, getattr(st, "name", None) or ast.unparse(st)[:40])]
            if isinstance(st, ast.ClassDef):
                subs += [(j, f"{st.name}.{m.name}") for j, m in enumerate(st.body) if isinstance(m, ast.FunctionDef)]
            for j, label in subs:
                t = ast.parse(s)
                if j is None:
                    del t.body[i]
                else:
                    del t.body[i].body[j]
                    t.body[i].body = t.body[i].body or [ast.Pass()]
                rows.append((base - size({**srcs, n: export._one_space_indent(ast.unparse(t))}), n, label))
    return sorted(rows, reverse=True)


def module_shares(preset: str) -> list[tuple[int, str]]:
    cfg = get_preset(preset).override({"data.dir": "./data", "data.tokenizer": ""})
    srcs = {n: export.minify(s) for n, s in
            export.shaken({n: export.module_path(n).read_text() for n in export.module_closure(cfg)}).items()}

    def size(d: dict[str, str]) -> int:
        return len(export.lzma_alone("".join(f"{export.MARK}{n}\n{s}" for n, s in d.items()).encode()))

    base = size(srcs)
    return sorted(((base - size({k: v for k, v in srcs.items() if k != n}), n) for n in srcs), reverse=True)


def executed_floor(preset: str, data: str) -> dict[str, int]:
    """lzma bytes of all code lines of the preset's bundled modules and of the lines its run executes."""
    import io
    import os
    import tempfile
    import tokenize
    from collections import defaultdict

    hits: dict[str, set[int]] = defaultdict(set)

    def tracer(frame, event, arg):
        if "/golfkit/" not in frame.f_code.co_filename:
            return None

        def local(frame, event, arg):
            if event == "line":
                hits[frame.f_code.co_filename].add(frame.f_lineno)
            return local
        hits[frame.f_code.co_filename].add(frame.f_lineno)
        return local

    # the run as an export runs it (export.submission_config: data guard off), on the given data
    sub = export.submission_config(get_preset(preset))
    cfg_json = sub.override({"data.dir": data}).to_json()
    modules = export.module_closure(sub)
    for m in [m for m in sys.modules if m == "golfkit" or m.startswith("golfkit.")]:
        del sys.modules[m]  # so that module-level lines (class bodies, defs) are traced too
    sys.settrace(tracer)
    try:
        from golfkit.submission import main as submission_main

        with tempfile.TemporaryDirectory() as tmp:
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                assert submission_main(cfg_json, {"RUN_ID": "floor"}) == 0
            finally:
                os.chdir(cwd)
    finally:
        sys.settrace(None)

    def code_lines(path: Path) -> dict[int, str]:
        src = path.read_text()
        tree, doc = ast.parse(src), set()
        for n in ast.walk(tree):
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body \
                    and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant):
                doc |= set(range(n.body[0].lineno, n.body[0].end_lineno + 1))
        lines, out = src.split("\n"), {}
        skip = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
        for tok in tokenize.generate_tokens(io.StringIO(src).readline):
            if tok.type not in skip:
                for ln in range(tok.start[0], tok.end[0] + 1):
                    if ln not in doc:
                        out[ln] = lines[ln - 1].split("  #")[0].strip()
        spans = {}  # a statement's first line executed = all of its lines (up to its body)
        for n in ast.walk(tree):
            if isinstance(n, ast.stmt):
                end = n.body[0].lineno - 1 if hasattr(n, "body") else n.end_lineno
                spans[n.lineno] = max(spans.get(n.lineno, 0), end)
        return out, spans

    every, ran = [], []
    for name in modules:
        path = export.module_path(name)
        lines, spans = code_lines(path)
        hit = {x for ln in hits.get(str(path), ()) for x in range(ln, spans.get(ln, ln) + 1)}
        every.append("\n".join(lines[ln] for ln in sorted(lines)))
        ran.append("\n".join(lines[ln] for ln in sorted(lines) if ln in hit))
    size = lambda parts: len(export.lzma_alone("\n".join(parts).encode()))  # noqa: E731
    # each module's lines compressed alone (the joint stream is smaller than their sum)
    per = {n: {"all_lines": size([e]), "executed_lines": size([r])} for n, e, r in zip(modules, every, ran)}
    return {"all_lines": size(every), "executed_lines": size(ran), "modules": per}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the numbers as JSON here")
    ap.add_argument("--defs", help="also print each module's and top-level definition's share for this preset")
    ap.add_argument("--executed", help="the executed-code floor of this preset's run (needs --data)")
    ap.add_argument("--data", help="challenge data folder (for --executed)")
    args = ap.parse_args()
    if args.executed:
        floor = executed_floor(args.executed, args.data)
        print(json.dumps({k: v for k, v in floor.items() if k != "modules"}))
        print("| module | all code lines | executed lines |\n|---|---:|---:|")
        for n, r in sorted(floor["modules"].items(), key=lambda kv: -kv[1]["executed_lines"]):
            print(f"| {n} | {r['all_lines']:,} | {r['executed_lines']:,} |")
        if args.out:
            Path(args.out).write_text(json.dumps(floor, indent=1) + "\n")
        return
    table = {p: steps(p) for p in PRESETS if p != "auto"}
    print("| preset | " + " | ".join(STEPS) + " | modules | plain bundle |")
    print("|---|" + "---:|" * (len(STEPS) + 2))
    for p, r in table.items():
        print(f"| {p} | " + " | ".join(f"{r[s]:,}" for s in STEPS)
              + f" | {r['modules']} -> {r['modules_shaken']} | {r['plain_bytes']:,} |")
    if args.out:
        Path(args.out).write_text(json.dumps(table, indent=1) + "\n")
    if args.defs:
        for b, n in module_shares(args.defs):
            print(f"{b:6d} {n}")
        for b, n, label in definition_shares(args.defs)[:40]:
            print(f"{b:6d} {n:28s} {label}")


if __name__ == "__main__":
    main()
