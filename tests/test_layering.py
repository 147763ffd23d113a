"""The package's structure: dependencies run one way, every module imports on its own, the workbook stays out.

* No import cycle in golfkit/: the graph of `import` statements at module level and inside
  functions (`if TYPE_CHECKING:` blocks excluded), `importlib.import_module("golfkit...")` calls,
  and the builders' switch tables (golfkit.export.SWITCH_TABLES: an owner reaches each module it
  lists), so a technique module can never reach back into the module that builds it.
* Every module imports as the first golfkit import of a process (a partially initialised
  module, the symptom of a cycle, raises there).
* No module outside golfkit.lab and the command-line tooling imports golfkit.lab, and no
  submission bundle contains it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from golfkit import export
from golfkit.runlog import is_tooling

REPO = Path(__file__).resolve().parents[1]
PKG = REPO / "golfkit"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(name: str) -> str:
    """The module an imported dotted name denotes (a name inside a module -> that module)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(path: Path) -> set[str]:
    """golfkit modules `path` imports: statements anywhere but under TYPE_CHECKING, and import_module("...")."""
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit_orelse = child.orelse
                for c in visit_orelse:
                    visit(c)
                continue
            if isinstance(child, ast.Import):
                out.update(a.name for a in child.names if a.name.startswith("golfkit"))
            elif isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("golfkit"):
                out.update(f"{child.module}.{a.name}" for a in child.names)  # a submodule, or a name in the module
            elif isinstance(child, ast.Call) and ast.unparse(child.func).endswith("import_module") and child.args \
                    and isinstance(child.args[0], ast.Constant) and str(child.args[0].value).startswith("golfkit"):
                out.add(child.args[0].value)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {_resolve(n) for n in out}


def import_graph() -> dict[str, set[str]]:
    graph = {name: imports_of(path) - {name} for name, path in MODULES.items()}
    for owner, module, _, _ in export.switch_tables():
        graph[owner].add(module)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def dfs(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := dfs(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (c := dfs(n)):
            return c
    return None


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_only_tooling_imports_the_workbook():
    graph = import_graph()
    offenders = {n: sorted(m for m in deps if m.startswith("golfkit.lab")) for n, deps in graph.items()
                 if not is_tooling(n)}
    assert not {n: d for n, d in offenders.items() if d}
    assert not [n for n in export.module_closure() if n.startswith("golfkit.lab")]


def test_every_module_imports_first_in_a_fresh_process():
    """Each module is the first golfkit import: golfkit.* is dropped from sys.modules before each one.

    Third-party packages (torch, numpy, ...) stay loaded, which is what makes this one process of a
    few seconds instead of one interpreter per module; every golfkit module still executes from
    scratch, in the order its own imports give, as in a fresh interpreter. golfkit.__main__ is the
    command line itself (importing it runs the CLI), so it is left out.
    """
    names = [n for n in MODULES if n != "golfkit.__main__"]
    code = "\n".join([
        "import sys, traceback",
        "import numpy, torch, sentencepiece, yaml  # third-party: loaded once",
        f"names = {names!r}",
        "bad = []",
        "for name in names:",
        "    for m in [m for m in sys.modules if m == 'golfkit' or m.startswith('golfkit.')]:",
        "        del sys.modules[m]",
        "    try:",
        "        __import__(name)",
        "    except Exception as e:",
        "        bad.append(f'{name}: {type(e).__name__}: {e}')",
        "print('\\n'.join(bad))",
        "sys.exit(1 if bad else 0)",
    ])
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr[-2000:]


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += graph.get(n, ())
    return seen


def test_loading_and_scoring_an_artifact_never_reach_the_training_loop():
    """artifact -> model -> eval runs one way: reload and every eval method import no training code."""
    graph = import_graph()
    training = {"golfkit.train", "golfkit.session", "golfkit.optim", "golfkit.averaging", "golfkit.submission"}
    for start in ("golfkit.reload", "golfkit.eval", "golfkit.model"):
        assert not _reach(graph, start) & training, start


def test_the_package_map_names_every_module():
    """golfkit/README.md maps every module (or its folder, for golfkit/shipped/) in a line."""
    text = (PKG / "README.md").read_text(encoding="utf-8")
    missing = [p.relative_to(PKG).as_posix() for p in sorted(PKG.rglob("*.py"))
               if f"`{p.relative_to(PKG).as_posix()}`" not in text and f"`{p.parent.relative_to(PKG).as_posix()}/`" not in text]
    assert not missing, f"golfkit/README.md lacks {missing}"
