"""The typed run configuration: one `RunConfig` made of sub-configs.

Every knob of a run lives here, with its unit in the name or the comment, so that a
run is fully described by `config.json` (the resolved config, written next to every
log). Three ways in, one validator:

* `RunConfig.from_dict(d)`: nested dicts, e.g. a `config.json` (JSON round trip);
* `cfg.override({"model.num_layers": 11})`: dotted keys, values typed or strings
  (strings are parsed against the field's type, as from `--set key=value`);
* presets (`golfkit.presets`), which are plain functions returning a `RunConfig`.

Unknown keys and values of the wrong type raise `GolfkitError` naming the key
(nanoGPT's configurator catches unknown keys but fails type checks with a bare
assert; the records' env vars catch neither: see reference/style.md, lesson 1).

Baseline values are the challenge's `train_gpt.py` defaults (openai/parameter-golf).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from golfkit.errors import GolfkitError


@dataclass
class DataConfig:
    """Where the shards and the tokenizer are (the challenge's `data/` layout)."""

    dir: str = "data"  # root holding datasets/ and tokenizers/ (the challenge's data/ folder)
    variant: str = "sp1024"  # dataset folder datasets/fineweb10B_<variant>
    tokenizer: str = ""  # SentencePiece .model path; "" = tokenizers/fineweb_<vocab>_bpe.model under dir


@dataclass
class ModelConfig:
    """The GPT shape. Defaults are the challenge's naive baseline (17,059,912 params)."""

    vocab_size: int = 1024
    num_layers: int = 9
    model_dim: int = 512
    num_heads: int = 8
    num_kv_heads: int = 4  # GQA: query heads share KV heads in groups
    mlp_mult: int = 2  # hidden = mlp_mult * model_dim, relu^2
    tie_embeddings: bool = True  # the LM head reuses tok_emb.weight
    tied_embed_init_std: float = 0.005
    logit_softcap: float = 30.0  # logits = c * tanh(z / c)
    rope_base: float = 10000.0
    qk_gain_init: float = 1.5  # per-head q gain; sets the attention temperature


@dataclass
class OptimConfig:
    """Muon for block matrices, Adam for the embedding, head and control tensors."""

    matrix_lr: float = 0.04  # Muon
    scalar_lr: float = 0.04  # Adam on vectors/scalars and control matrices
    tied_embed_lr: float = 0.05  # Adam on tok_emb when tied
    embed_lr: float = 0.6  # Adam on tok_emb when untied
    head_lr: float = 0.008  # Adam on lm_head when untied
    muon_momentum: float = 0.95
    muon_momentum_warmup_start: float = 0.85
    muon_momentum_warmup_steps: int = 500
    muon_backend_steps: int = 5  # Newton-Schulz iterations
    beta1: float = 0.9
    beta2: float = 0.95
    adam_eps: float = 1e-8
    grad_clip_norm: float = 0.0  # 0 = no clipping


@dataclass
class ScheduleConfig:
    """Batch, length and the wall-clock-aware schedule of the baseline."""

    iterations: int = 20000
    train_batch_tokens: int = 524_288  # global tokens per optimizer step
    train_seq_len: int = 1024
    micro_batches: int = 8  # global micro-batches per step; each rank runs micro_batches / world_size
    warmdown_iters: int = 1200  # linear decay to 0; in time units when a wall-clock cap is set
    warmup_steps: int = 20  # compile-priming steps, undone before the timed run starts
    max_wallclock_seconds: float = 600.0  # 0 = no cap (iteration-based warmdown)
    val_loss_every: int = 1000  # 0 = only at the end
    train_log_every: int = 200
    save_checkpoint: bool = False  # also write the full-precision weights (checkpoint.golf) for later analysis


@dataclass
class QuantConfig:
    """How the trained weights become the artifact."""

    scheme: Literal["int8"] = "int8"  # the baseline's per-row int8 export
    compressor: Literal["zlib"] = "zlib"  # zlib level 9, as the baseline
    budget_bytes: int = 16_000_000  # decimal bytes: the challenge's cap on model + code


@dataclass
class EvalConfig:
    """Validation: the whole split, every target scored once."""

    batch_tokens: int = 524_288  # global validation tokens per forward batch


@dataclass
class RunConfig:
    """Everything a run needs. `preset` records where the defaults came from."""

    preset: str = "baseline"
    seed: int = 1337
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compile: Literal["auto", "on", "off"] = "auto"  # auto = torch.compile on CUDA only
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    quant: QuantConfig = field(default_factory=QuantConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunConfig:
        return _build(cls, d, prefix="")

    @classmethod
    def from_json(cls, text: str) -> RunConfig:
        return cls.from_dict(json.loads(text))

    # -- overrides -------------------------------------------------------------------
    def override(self, overrides: dict[str, Any]) -> RunConfig:
        """A copy with dotted-key overrides applied (`{"model.num_layers": 11}`).

        String values are parsed against the field's type (as from the command line);
        other values must already have the right type.
        """
        d = self.to_dict()
        for key, value in overrides.items():
            parent, leaf, ftype = _locate(type(self), d, key)
            parent[leaf] = parse_value(ftype, value, key) if isinstance(value, str) else value
        return RunConfig.from_dict(d)


# ----------------------------------------------------------------------------------
# typed (de)serialisation helpers
# ----------------------------------------------------------------------------------
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, d: Any, prefix: str) -> Any:
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
            kwargs[name] = _build(ftype, d[name], f"{prefix}{name}.")
        else:
            kwargs[name] = check_value(ftype, d[name], f"{prefix}{name}")
    return cls(**kwargs)


def _locate(cls: type, d: dict, key: str) -> tuple[dict, str, Any]:
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
        raw = json.loads(text) if text.startswith("[") else [x for x in text.split(",") if x.strip()]
        elem = (typing.get_args(t) or (str,))[0]
        vals = [parse_value(elem, str(x).strip(), key) if isinstance(x, str) else x for x in raw]
        return check_value(t, vals, key)
    try:
        if t is bool:
            low = s.strip().lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ValueError(s)
        if t is int:
            return int(s.replace("_", ""))
        if t is float:
            return float(s.replace("_", ""))
        if t is str:
            return s
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
