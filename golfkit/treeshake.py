"""Tree shaking for the submission bundle: drop the top-level definitions and methods a run never reaches.

golfkit/export.py picks the modules a config needs; inside them much code serves other entry
points (the command line, the workbook, reports, other switches). `shake` walks a static reference
graph from the entry (`golfkit.submission.main`) over the bundled modules and keeps what it reaches.

* Units: every top-level function, class, simple assignment (`NAME = ...`) and imported name of
  a module, and every method of a class. Any other top-level statement (a call, an `if`, an
  attribute assignment) is kept whenever its module is loaded, and so are dunder methods and the
  non-method statements of a kept class (dataclass fields).
* A kept unit references the module-level names it mentions (closures, decorators, bases, default
  values, field annotations, names imported inside functions), and `module.attr` chains through
  imported golfkit modules (`from golfkit import x; x.f()`, `import_module("golfkit.x").f`). A
  golfkit module object used any other way (passed along, `getattr(module, name)`) is kept whole.
* Names reached dynamically are matched by name, over all kept code: a method is kept when its
  name is an attribute somewhere (`obj.name`), a word of a string constant (`getattr(x, "name")`,
  tables of names), starts with the constant prefix of an f-string given to getattr/hasattr
  (`getattr(self, f"_{kind}")` keeps every `_*` method), or is an attribute of a base class from
  outside the bundle (`forward` of nn.Module, `find_spec` of a finder). The top-level definitions
  of modules imported by name at run time (the builders' switch tables, `import_module` of a
  string) follow the same rule, since their callers reach them through attributes.
* `if TYPE_CHECKING:` blocks never run and are dropped.

The output is each module's source with the dropped units' lines cut out (comments elsewhere
stay), so the readable copy of an export and its minified one are the same program.

What the rules assume: code reaches a golfkit definition through its name, written in the kept
code; no attribute name is built from data other than those string constants and f-string
prefixes. tests/test_treeshake.py runs a training step through every preset's shaken bundle, so an
unreached name fails there as a NameError/AttributeError, never silently.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import re
from dataclasses import dataclass, field
from typing import Iterable

_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(eq=False)
class Unit:
    """One prunable piece of a module, what it binds and what keeping it implies."""
    module: str
    names: tuple[str, ...]  # module-level names it binds (a method: its own name); () = kept with its module
    node: ast.AST  # the statement, or the alias of an import
    owner: Unit | None = None  # the class, for a method
    stmt: ast.stmt | None = None  # the import statement, for an imported name
    refs: set[tuple[str, str]] = field(default_factory=set)  # (module, name) it references
    words: set[str] = field(default_factory=set)  # attribute names and string words: dynamic references
    prefixes: set[str] = field(default_factory=set)  # constant prefixes of computed attribute names
    whole: set[str] = field(default_factory=set)  # golfkit modules it uses as objects
    loads: set[str] = field(default_factory=set)  # golfkit modules running it imports
    dynamic: set[str] = field(default_factory=set)  # golfkit modules it names in strings


# Decorators that only wrap or describe what they decorate; any other decorator of a top-level
# definition may register it somewhere, so that definition is kept with its module.
PURE_DECORATORS = frozenset({"dataclass", "no_grad", "inference_mode", "contextmanager", "lru_cache", "cache",
                             "total_ordering", "wraps", "property", "staticmethod", "classmethod"})


def _parents(name: str) -> list[str]:
    """golfkit.a.b -> golfkit, golfkit.a, golfkit.a.b: what importing it runs."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _is_method(stmt: ast.stmt) -> bool:
    return isinstance(stmt, _FUNCS) and not _dunder(stmt.name)


def _pure_decorators(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for d in node.decorator_list:
        f = d.func if isinstance(d, ast.Call) else d
        if not ((isinstance(f, ast.Name) and f.id in PURE_DECORATORS)
                or (isinstance(f, ast.Attribute) and f.attr in PURE_DECORATORS)):
            return False
    return True


def _type_checking_only(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.If) and ast.unparse(stmt.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING") \
        and not stmt.orelse


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    """A string constant that is a statement of its own (a docstring): no program reads it by name."""
    return isinstance(parent, ast.Expr)


class _Module:
    """A parsed module: its units and the table that resolves its names."""

    def __init__(self, name: str, source: str, modules: set[str], package: bool):
        self.name, self.source, self.modules, self.package = name, source, modules, package
        self.packages = {m.split(".")[0] for m in modules}  # top-level package names: golfkit
        self.tree = ast.parse(source)
        self.units: list[Unit] = []
        self.bindings: dict[str, list[Unit]] = {}  # module-level name -> units binding it
        self.classes: dict[str, ast.ClassDef] = {}
        # module-level imports: name -> (golfkit module, attribute or None for the module itself)
        self.imported: dict[str, tuple[str, str | None]] = {}
        for stmt in self.tree.body:
            for alias in stmt.names if isinstance(stmt, (ast.Import, ast.ImportFrom)) else ():
                bound, target = self._import(stmt, alias)
                if target:
                    self.imported[bound] = target
        for stmt in self.tree.body:
            self._add(stmt)

    def _import(self, stmt: ast.Import | ast.ImportFrom, alias: ast.alias) -> tuple[str, tuple[str, str | None] | None]:
        """The name an import binds, and the bundled module (and attribute) it binds it to (None: not bundled)."""
        if isinstance(stmt, ast.Import):
            if alias.asname:
                return alias.asname, (alias.name, None) if self._bundled(alias.name) else None
            top = alias.name.split(".")[0]
            return top, (top, None) if self._bundled(top) else None
        mod = stmt.module or ""
        if stmt.level:  # relative: resolve against this module's package
            base = self.name.split(".")[: None if self.package else -1]
            mod = ".".join(base[: len(base) - stmt.level + 1] + ([mod] if mod else []))
        bound = alias.asname or alias.name
        if not self._bundled(mod):
            return bound, None
        if f"{mod}.{alias.name}" in self.modules:
            return bound, (f"{mod}.{alias.name}", None)
        return bound, (mod, alias.name)

    def _bundled(self, module: str) -> bool:
        """Whether `module` belongs to a bundled package (golfkit), even if the bundle leaves it out."""
        return module.split(".")[0] in self.packages

    def _add(self, stmt: ast.stmt) -> None:
        if _type_checking_only(stmt):
            return  # cut by _emit
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            self._bind(Unit(self.name, (), stmt))  # a compiler directive: kept with its module
            return
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                bound, target = self._import(stmt, alias)
                u = Unit(self.name, (bound,), alias, stmt=stmt)
                if target:
                    u.loads |= set(_parents(target[0]))
                    if target[1] is not None:
                        u.refs.add(target)  # type: ignore[arg-type]
                self._bind(u)
            return
        if isinstance(stmt, ast.ClassDef):
            self.classes[stmt.name] = stmt
            rest = [*stmt.decorator_list, *stmt.bases, *stmt.keywords, *(s for s in stmt.body if not _is_method(s))]
            cls = self._scan(Unit(self.name, (stmt.name,), stmt), rest, class_body=True)
            self._bind(cls)
            for s in stmt.body:
                if _is_method(s):
                    self.units.append(self._scan(Unit(self.name, (s.name,), s, owner=cls), [s]))
            if not _pure_decorators(stmt):
                self.units.append(Unit(self.name, (), stmt, refs={(self.name, stmt.name)}))  # keeps the class
            return
        if isinstance(stmt, _FUNCS):
            names: tuple[str, ...] = (stmt.name,)
            if not _pure_decorators(stmt):
                names = ()  # a decorator that may register it: kept with its module
        elif isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            names = tuple(t.id for t in stmt.targets)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            names = (stmt.target.id,)
        else:
            names = ()  # kept with its module
        self._bind(self._scan(Unit(self.name, names, stmt), [stmt]))

    def _bind(self, u: Unit) -> None:
        self.units.append(u)
        for n in u.names:
            self.bindings.setdefault(n, []).append(u)

    # -- what a unit references ----------------------------------------------------------------
    def _scan(self, u: Unit, roots: list[ast.AST], class_body: bool = False) -> Unit:
        local: dict[str, tuple[str, str | None]] = {}  # imports inside the unit (function-level)
        parent: dict[int, ast.AST] = {}
        nodes: list[ast.AST] = []
        for root in roots:
            for sub in ast.walk(root):
                nodes.append(sub)
                for child in ast.iter_child_nodes(sub):
                    parent[id(child)] = sub
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    for alias in sub.names:
                        bound, target = self._import(sub, alias)
                        if target:
                            local[bound] = target
                            u.loads |= set(_parents(target[0]))
                            if target[1] is not None:
                                u.refs.add(target)  # type: ignore[arg-type]
        for sub in nodes:
            if isinstance(sub, ast.Name):
                self._name(u, sub, local.get(sub.id) or self.imported.get(sub.id), parent)
                if class_body:
                    u.words.add(sub.id)  # `alias = method` in a class body names a method
            elif isinstance(sub, ast.Attribute):
                u.words.add(sub.attr)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and not _docstring(sub, parent.get(id(sub))):
                u.words |= set(_WORDS.findall(sub.value))
                if sub.value in self.modules:
                    self._module_string(u, sub, parent)
            elif isinstance(sub, ast.Call) and _callee(sub) in ("getattr", "hasattr", "setattr") and len(sub.args) > 1:
                key = sub.args[1]
                if isinstance(key, ast.JoinedStr):
                    head = key.values[0] if key.values else None
                    u.prefixes.add(head.value if isinstance(head, ast.Constant) else "")
            if isinstance(sub, ast.AnnAssign) and isinstance(sub.annotation, ast.Constant) \
                    and isinstance(sub.annotation.value, str):  # a quoted field type: get_type_hints reads it
                u.refs |= {(self.name, n.id) for n in ast.walk(ast.parse(sub.annotation.value, mode="eval"))
                           if isinstance(n, ast.Name)}
        return u

    def _name(self, u: Unit, node: ast.Name, target: tuple[str, str | None] | None, parent: dict[int, ast.AST]) -> None:
        u.refs.add((self.name, node.id))
        if not target or target[1] is not None:
            return
        mod, cur = target[0], node  # a golfkit module object: follow module.sub.name to a name
        while True:
            up = parent.get(id(cur))
            if not (isinstance(up, ast.Attribute) and up.value is cur):
                u.whole.add(mod)  # the module object itself is used
                return
            if f"{mod}.{up.attr}" in self.modules:
                mod, cur = f"{mod}.{up.attr}", up
                u.loads |= set(_parents(mod))
                continue
            u.refs.add((mod, up.attr))
            return

    def _module_string(self, u: Unit, node: ast.Constant, parent: dict[int, ast.AST]) -> None:
        """import_module("golfkit.x").name references one name; other uses of the string import it by name."""
        name = node.value
        call = parent.get(id(node))
        if isinstance(call, ast.Call) and _callee(call) == "import_module" and call.args and call.args[0] is node:
            up = parent.get(id(call))
            if isinstance(up, ast.Attribute) and up.value is call:
                u.loads |= set(_parents(name))
                u.refs.add((name, up.attr))
                return
        u.dynamic.add(name)


# -------------------------------------------------------------------------------------- the walk
def _external_attrs(mods: dict[str, _Module], mod: _Module, cls: ast.ClassDef, depth: int = 0) -> set[str] | None:
    """Attribute names that the class's bases from outside the bundle define, through bundled bases
    too (None: a base that cannot be resolved, so every method stays)."""
    out: set[str] = set()
    for base in cls.bases:
        parts = ast.unparse(base).split(".")
        found = _bundled_class(mods, mod, parts)
        if found is not None:
            inner = _external_attrs(mods, *found, depth + 1) if depth < 50 else None
        else:
            obj = None if parts[0] in mod.imported else _external(mod, parts)
            inner = set(dir(obj)) if obj is not None else None
        if inner is None:
            return None
        out |= inner
    return out


def _bundled_class(mods: dict[str, _Module], mod: _Module, parts: list[str]) -> tuple[_Module, ast.ClassDef] | None:
    """The bundled class a base expression names (through golfkit imports and modules), if it is one."""
    if len(parts) == 1 and parts[0] in mod.classes:
        return mod, mod.classes[parts[0]]
    target = mod.imported.get(parts[0])
    if not target:
        return None
    name, attr = target
    rest = ([attr] if attr else []) + parts[1:]
    while rest and f"{name}.{rest[0]}" in mods:
        name, rest = f"{name}.{rest[0]}", rest[1:]
    if name not in mods or len(rest) != 1:
        return None
    return _bundled_class(mods, mods[name], rest)


def _external(mod: _Module, parts: list[str]) -> object | None:
    """The object a dotted name denotes through the module's own non-golfkit imports (or a builtin)."""
    head, obj = parts[0], None
    for stmt in mod.tree.body:
        for a in stmt.names if isinstance(stmt, (ast.Import, ast.ImportFrom)) else ():
            try:
                if isinstance(stmt, ast.Import) and (a.asname or a.name.split(".")[0]) == head:
                    obj = importlib.import_module(a.name if a.asname else head)
                elif isinstance(stmt, ast.ImportFrom) and not stmt.level and (a.asname or a.name) == head:
                    m = importlib.import_module(stmt.module or "")
                    obj = getattr(m, a.name) if hasattr(m, a.name) else importlib.import_module(f"{stmt.module}.{a.name}")
            except ImportError:
                return None
    if obj is None:
        obj = getattr(builtins, head, None)
    for p in parts[1:]:
        obj = getattr(obj, p, None)
    return obj


def shake(sources: dict[str, str], entry: tuple[str, str], packages: Iterable[str] = (),
          dynamic: Iterable[str] = ()) -> dict[str, str]:
    """The sources with every unreached unit cut out; modules nothing loads are left out.

    `sources`: golfkit module name -> source. `entry`: the (module, name) the program calls.
    `packages`: the names that are packages (for relative imports). `dynamic`: modules imported
    by name at run time (the switch tables' modules), kept under the dynamic-name rule.
    """
    names = set(sources)
    mods = {n: _Module(n, s, names, n in set(packages)) for n, s in sources.items()}
    dyn, loaded, whole, words, prefixes = set(dynamic) & names, set(), set(), set(), set()
    kept: set[int] = set()
    external: dict[int, set[str] | None] = {}
    todo: list[Unit] = []

    def keep(u: Unit) -> None:
        if id(u) not in kept:
            kept.add(id(u))
            todo.append(u)

    def load(name: str) -> None:
        if name in mods and name not in loaded:
            loaded.add(name)
            for u in mods[name].units:
                if not u.names:
                    keep(u)

    def by_name(name: str) -> bool:
        return name in words or any(name.startswith(p) for p in prefixes)

    for m in [*dyn, entry[0]]:
        for p in _parents(m):
            load(p)
    for u in mods[entry[0]].bindings.get(entry[1], []):
        keep(u)
    while todo:
        while todo:
            u = todo.pop()
            for p in u.loads:
                load(p)
            for m in u.dynamic & names:
                dyn.add(m)
                for p in _parents(m):
                    load(p)
            words |= u.words
            prefixes |= u.prefixes
            whole |= u.whole & names
            for mod, name in u.refs:
                for b in mods[mod].bindings.get(name, []) if mod in mods else ():
                    keep(b)
        for m in mods.values():  # the dynamic-name rules, until nothing new is kept
            if m.name not in loaded:
                continue
            for u in m.units:
                if id(u) in kept:
                    continue
                if u.owner is not None:
                    if id(u.owner) not in kept:
                        continue
                    key = id(u.owner)
                    if key not in external:
                        external[key] = _external_attrs(mods, m, u.owner.node)  # type: ignore[arg-type]
                    ext = external[key]
                    if ext is None or u.names[0] in ext or by_name(u.names[0]):
                        keep(u)
                elif m.name in whole or (m.name in dyn and any(by_name(n) for n in u.names)):
                    keep(u)
    return {n: _emit(mods[n], kept) for n in sources if n in loaded}


# ------------------------------------------------------------------------------------ the output
def _first_line(node: ast.AST) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])  # type: ignore[attr-defined]


def _emit(mod: _Module, kept: set[int]) -> str:
    """The module's source without the lines of its dropped units (imports rewritten to the kept names)."""
    cuts: list[tuple[int, int, str]] = []  # (first line, last line, replacement), 1-based, inclusive
    imports: dict[int, tuple[ast.stmt, list[ast.alias]]] = {}
    for u in mod.units:
        if u.stmt is not None:
            entry = imports.setdefault(id(u.stmt), (u.stmt, []))
            if id(u) in kept:
                entry[1].append(u.node)  # type: ignore[arg-type]
        elif id(u) not in kept:
            cuts.append((_first_line(u.node), u.node.end_lineno, ""))  # type: ignore[attr-defined]
    for stmt, aliases in imports.values():
        if len(aliases) < len(stmt.names):  # type: ignore[attr-defined]
            new = (ast.ImportFrom(stmt.module, aliases, stmt.level) if isinstance(stmt, ast.ImportFrom)
                   else ast.Import(aliases)) if aliases else None
            text = " " * stmt.col_offset + ast.unparse(new) + "\n" if new else ""
            cuts.append((stmt.lineno, stmt.end_lineno, text))  # type: ignore[arg-type]
    cuts += [(s.lineno, s.end_lineno, "") for s in mod.tree.body if _type_checking_only(s)]  # type: ignore[misc]
    for cls in mod.classes.values():  # a kept class whose every statement went keeps a `pass`
        body = [(_first_line(s), s.end_lineno) for s in cls.body]
        if all((a, b, "") in cuts for a, b in body) and any(id(u) in kept for u in mod.bindings[cls.name]):
            cuts.remove((body[0][0], body[0][1], ""))
            cuts.append((body[0][0], body[0][1], " " * cls.body[0].col_offset + "pass\n"))
    lines = [line + "\n" for line in mod.source.split("\n")]  # ast numbers lines by "\n" only
    spans: list[tuple[int, int, str]] = []
    for first, last, text in sorted(cuts):
        if not spans or first > spans[-1][1]:  # a method inside a class that went as a whole goes with it
            spans.append((first, last, text))
    for first, last, text in reversed(spans):
        lines[first - 1:last] = [text] if text else []
    return "".join(lines)[:-1]
