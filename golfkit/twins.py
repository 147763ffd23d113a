"""The generated twins an exported train_gpt.py ships in place of golfkit modules (golfkit/export.py SHIPPED_TWINS).

An exported script's config was checked whole when it was exported; after that only the challenge's
environment variables (golfkit/envvars.py ENV_FIELDS, plus DATA_PATH / TOKENIZER_PATH: golfkit/submission.py)
can change it. So it ships neither the typed dataclasses nor their parser and full range table:

* `env_ranges_source()`: golfkit.ranges with only the rows of the fields those variables set;
* `limits_twin_source()`: golfkit/shipped/limits.py with golfkit.limits' model-size ceiling, which those
  variables reach (MODEL_DIM, NUM_LAYERS, MLP_MULT, ...);
* `config_twin_source()`: golfkit.config as plain sections over the defaults of this golfkit's RunConfig (as
  `RunConfig.from_dict` normalises them), with `override` for exactly those fields, parsed as the dataclass
  types parse them, and `validate` = golfkit/config_rules.py's checks (finite floats, the shipped ranges, the
  rules that tie fields together), so a bad `NUM_HEADS=7` is the same one line as in golfkit.

Each is generated from the module it replaces, never written by hand: a new field or default changes the twin
with it. tests/test_export.py holds the twin to the original's results on the exported configs.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any, Literal


def _num(x: float) -> str:
    return "inf" if x == math.inf else repr(x)


def env_ranges_source() -> str:
    """golfkit.ranges as an exported script ships it: the rows of the fields its environment variables set."""
    from golfkit.envvars import ENV_FIELDS
    from golfkit.ranges import RANGES

    keys = sorted(k for k in set(ENV_FIELDS.values()) if k in RANGES)
    rows = "".join(f"    {k!r}: ({_num(RANGES[k][0])}, {_num(RANGES[k][1])}, {RANGES[k][2]}, {RANGES[k][3]}),\n"
                   for k in keys)
    return ('"""golfkit.ranges inside an exported train_gpt.py: the fields its environment variables set."""\n'
            f"inf = float('inf')\nRANGES = {{\n{rows}}}\n")


# the fields golfkit/submission.py sets besides ENV_FIELDS (from DATA_PATH and TOKENIZER_PATH)
DATA_ENV_KEYS = ("data.dir", "data.variant", "data.tokenizer")


def _type_code(t: Any, key: str) -> str | list:
    """A field type as the twin's parser knows it: "bool" / "int" / "float" / "str", or a Literal's choices."""
    if typing.get_origin(t) is Literal:
        return list(typing.get_args(t))
    if t in (bool, int, float, str):
        return t.__name__
    raise AssertionError(f"config key {key!r} (type {t}) is set by an environment variable, and the exported "
                         f"config's parser knows only bool, int, float, str and Literal fields")


def env_types() -> dict[str, str | list]:
    """Every field an exported script may set at start -> its type code."""
    from golfkit.config import RunConfig
    from golfkit.config_parse import locate
    from golfkit.envvars import ENV_FIELDS

    d = RunConfig().to_dict()
    return {k: _type_code(locate(RunConfig, d, k)[2], k) for k in (*ENV_FIELDS.values(), *DATA_ENV_KEYS)}


def section_paths() -> dict[str, list[str]]:
    """Each config dataclass but RunConfig -> where its default instance sits in RunConfig's defaults."""
    from golfkit import config

    defaults = config.RunConfig()

    def find(obj: Any, cls: type, path: list[str]) -> list[str] | None:
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if dataclasses.is_dataclass(v):
                if type(v) is cls and v == cls():
                    return [*path, f.name]
                hit = find(v, cls, [*path, f.name])
                if hit is not None:
                    return hit
        return None

    out = {}
    for name, cls in vars(config).items():
        if dataclasses.is_dataclass(cls) and isinstance(cls, type) and cls.__module__ == config.__name__ \
                and cls is not config.RunConfig:
            path = find(defaults, cls, [])
            if path is None:
                raise AssertionError(f"golfkit.config.{name}'s defaults appear nowhere in RunConfig's defaults")
            out[name] = path
    return out


_TWIN_CODE = '''
class Section:
    """One config section: its fields as attributes, compared and copied by value."""

    def __init__(self, d):
        for k, v in d.items():
            setattr(self, k, Section(v) if isinstance(v, dict) else v)

    def to_dict(self):
        return json.loads(json.dumps({k: v.to_dict() if isinstance(v, Section) else v for k, v in vars(self).items()}))

    def __eq__(self, other):
        return isinstance(other, Section) and self.to_dict() == other.to_dict()


def _section(path):
    d = _DEFAULTS
    for p in path:
        d = d[p]
    return lambda: Section(json.loads(json.dumps(d)))


def _merged(base, d):
    return {k: _merged(v, d[k]) if isinstance(v, dict) and k in d else d.get(k, v) for k, v in base.items()}


def _flat(d, prefix=""):
    out = {}
    for k, v in d.items():
        out.update(_flat(v, prefix + k + ".") if isinstance(v, dict) else {prefix + k: v})
    return out


def _parse(t, s, key):
    if isinstance(t, list):
        for c in t:
            if str(c) == s:
                return c
        raise GolfkitError(f"config key '{key}' must be one of {t}, got {s!r}")
    try:
        return config_rules.parse_scalar(t, s)
    except ValueError:
        raise GolfkitError(f"config key '{key}' must be {t}, got {s!r}") from None


def validate(cfg):
    config_rules.check(cfg, _flat(cfg.to_dict()), RANGES)


class RunConfig(Section):
    def __init__(self, d=None):
        super().__init__(_merged(_DEFAULTS, d or {}))

    @classmethod
    def from_dict(cls, d):
        cfg = cls(d)
        validate(cfg)
        return cfg

    @classmethod
    def from_json(cls, text, what="config"):
        return cls.from_dict(json.loads(text))

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    def portable(self):
        d = self.to_dict()
        d["data"].update(_PORTABLE)
        return RunConfig(d)

    def override(self, overrides):
        d = self.to_dict()
        for key, value in overrides.items():
            if key not in _TYPES:
                raise GolfkitError(f"config key '{key}' is not one an exported script sets")
            *path, leaf = key.split(".")
            node = d
            for p in path:
                node = node[p]
            node[leaf] = _parse(_TYPES[key], value, key) if isinstance(value, str) else value
        return RunConfig.from_dict(d)
'''


def limits_twin_source() -> str:
    """golfkit.limits as an exported script ships it: golfkit/shipped/limits.py plus the model-size ceiling.

    The environment variables reach the model's size, so `estimate_params` and `check_model_size` ship as they
    are in golfkit/limits.py (MODEL_DIM=32768 is golfkit's one line, where the script built a 15-billion-parameter
    model until torch failed with a traceback); the artifact table's checks stay home (the script reads only the
    artifact it wrote).
    """
    import inspect
    from pathlib import Path

    from golfkit import limits

    shipped = (Path(__file__).parent / "shipped" / "limits.py").read_text()
    real = "".join("\n\n" + inspect.getsource(f) for f in (limits.estimate_params, limits.check_model_size,
                                                                  limits.check_batch_memory, limits.check_eval_memory))
    hint = "RAISE_HINT = %r\n" % " (an exported script keeps golfkit's ceiling: train it with `golfkit train --max-params {n}`)"
    return shipped + "\nfrom golfkit.config import ModelConfig\nfrom golfkit.errors import GolfkitError\n" + hint + real


def config_twin_source() -> str:
    """golfkit.config as an exported script ships it (module docstring above)."""
    from golfkit import config

    defaults = config.RunConfig.from_dict(config.RunConfig().to_dict()).to_dict()  # floats as from_dict makes them
    portable = {k: getattr(config.DataConfig(), k) for k in config.MACHINE_PATHS}
    sections = "".join(f"{name} = _section({path!r})\n" for name, path in section_paths().items())
    return ('"""golfkit.config inside an exported train_gpt.py: plain sections over the defaults '
            '(golfkit/twins.py)."""\n'
            "import json\nfrom golfkit import config_rules\nfrom golfkit.errors import GolfkitError\n"
            "from golfkit.ranges import RANGES\n"
            f"DEFAULT_MAX_PARAMS = {config.DEFAULT_MAX_PARAMS!r}\n"
            f"CHALLENGE_BUDGET_BYTES = {config.CHALLENGE_BUDGET_BYTES!r}\n"
            f"_DEFAULTS = {defaults!r}\n_PORTABLE = {portable!r}\n_TYPES = {env_types()!r}\n"
            + _TWIN_CODE + sections)
