"""Typed (de)serialisation for the config dataclasses: the validator behind RunConfig.

`build(cls, dict)` constructs a dataclass tree from nested dicts, `locate(cls, d, "a.b")`
finds a dotted key's parent dict and declared type, `check_value` / `parse_value` check or
parse one value against a type annotation (bool, int, float, str, Literal, Optional, lists).
Every refusal is a GolfkitError naming the key.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal

from golfkit.config_rules import parse_scalar
from golfkit.errors import GolfkitError


# ----------------------------------------------------------------------------------
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def build(cls: type, d: Any, prefix: str) -> Any:
    """Construct dataclass `cls` from dict `d`, rejecting unknown keys and bad types."""
    if not isinstance(d, dict):
        raise GolfkitError(f"config section '{prefix.rstrip('.') or '<root>'}' must be an object, got {d!r}")
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(d) - names)
    if unknown:
        raise GolfkitError(f"unknown config key '{prefix}{unknown[0]}' (known in this section: {', '.join(sorted(names))})")
    kwargs = {}
    for name in names & set(d):
        ftype = hints[name]
        if dataclasses.is_dataclass(ftype):
            kwargs[name] = build(ftype, d[name], f"{prefix}{name}.")
        else:
            kwargs[name] = check_value(ftype, d[name], f"{prefix}{name}")
    return cls(**kwargs)


def locate(cls: type, d: dict, key: str) -> tuple[dict, str, Any]:
    """Find the dict holding dotted `key` and the declared type of its leaf."""
    parts = key.split(".")
    node, ncls = d, cls
    for i, part in enumerate(parts):
        hints = _hints(ncls)
        if part not in hints:
            where = ".".join(parts[:i]) or "<root>"
            raise GolfkitError(f"unknown config key '{key}' ('{part}' is not a field of {where}; known: {', '.join(sorted(hints))})")
        ftype = hints[part]
        last = i == len(parts) - 1
        if dataclasses.is_dataclass(ftype):
            if last:
                raise GolfkitError(f"config key '{key}' is a section; set one of its fields, e.g. '{key}.{next(iter(_hints(ftype)))}'")
            node, ncls = node[part], ftype
        elif not last:
            raise GolfkitError(f"unknown config key '{key}' ('{'.'.join(parts[: i + 1])}' is not a section)")
        else:
            return node, part, ftype
    raise GolfkitError(f"empty config key '{key}'")


def _type_name(t: Any) -> str:
    return getattr(t, "__name__", None) or str(t).replace("typing.", "")


def check_value(t: Any, v: Any, key: str) -> Any:
    """Return `v` if it has type `t` (ints widen to floats), else raise naming `key`."""
    origin = typing.get_origin(t)
    if origin is Literal:
        if v in typing.get_args(t):
            return v
        raise GolfkitError(f"config key '{key}' must be one of {list(typing.get_args(t))}, got {v!r}")
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(t):
            try:
                return check_value(arg, v, key)
            except GolfkitError:
                continue
        raise GolfkitError(f"config key '{key}' must be {_type_name(t)}, got {v!r}")
    if t is type(None):
        if v is None:
            return v
        raise GolfkitError(f"config key '{key}' must be null, got {v!r}")
    if origin in (list, tuple):
        if not isinstance(v, (list, tuple)):
            raise GolfkitError(f"config key '{key}' must be a list, got {v!r}")
        args = typing.get_args(t)
        elem = args[0] if args else Any
        out = [check_value(elem, x, f"{key}[{i}]") for i, x in enumerate(v)]
        return tuple(out) if origin is tuple else out
    if t is Any:
        return v
    if t is float:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    elif t is int:
        if isinstance(v, int) and not isinstance(v, bool):
            return v
    elif isinstance(v, t):
        return v
    raise GolfkitError(f"config key '{key}' must be {_type_name(t)}, got {type(v).__name__} {v!r}")


def parse_value(t: Any, s: str, key: str) -> Any:
    """Parse a command-line string into type `t` (bool: true/false/1/0; lists: JSON or a,b,c)."""
    origin = typing.get_origin(t)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(t)
        if type(None) in args and s.lower() in ("none", "null", ""):
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return parse_value(arg, s, key)
            except GolfkitError:
                continue
        raise GolfkitError(f"config key '{key}' must be {_type_name(t)}, got {s!r}")
    if origin is Literal:
        choices = typing.get_args(t)
        for c in choices:
            if str(c) == s:
                return c
        raise GolfkitError(f"config key '{key}' must be one of {list(choices)}, got {s!r}")
    if origin in (list, tuple):
        text = s.strip()
        try:
            raw = json.loads(text) if text.startswith("[") else None
        except json.JSONDecodeError:  # [mlp.fc,mlp.proj]: brackets around a plain list, as a shell leaves it
            raw = None
        if not isinstance(raw, list):
            body = text[1:-1] if text.startswith("[") and text.endswith("]") else text
            if "[" in body or "]" in body or text.startswith("[") != text.endswith("]"):
                raise GolfkitError(f"config key '{key}' must be a list (JSON, or a,b,c), got {s!r}")
            raw = [x for x in body.split(",") if x.strip()]
        elem = (typing.get_args(t) or (str,))[0]
        vals = [parse_value(elem, str(x).strip(), key) if isinstance(x, str) else x for x in raw]
        return check_value(t, vals, key)
    if t in (bool, int, float, str):
        try:
            return parse_scalar(t.__name__, s)
        except ValueError:
            pass
    raise GolfkitError(f"config key '{key}' must be {_type_name(t)}, got {s!r}")


def parse_set_args(items: list[str]) -> dict[str, str]:
    """Turn `["model.num_layers=11", ...]` into a dict, rejecting malformed items."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise GolfkitError(f"--set expects key=value, got {item!r}")
        out[key.strip()] = value
    return out
