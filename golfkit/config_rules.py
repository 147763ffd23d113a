"""The checks of a run config that read only its values: finite floats, RANGES, and the rules that tie fields together;
and `parse_scalar`, how a bool / int / float / str field reads a string (`--set`, environment variables).

Shared by golfkit.config (every RunConfig, through `validate`) and the config an exported train_gpt.py ships in its
place (golfkit/export.py `config_twin_source`: plain sections, not dataclasses), so both refuse the same values with
the same line. The rules read fields by attribute; the caller passes the flat `key -> value` map.
"""

from __future__ import annotations

import math
from typing import Any

from golfkit.errors import GolfkitError

INF = math.inf
F32_MAX = 3.4028234663852886e38  # the largest finite float32
F32_TINY = 1.1754943508222875e-38  # the smallest normal float32


def _num(x: float) -> str:
    return f"{x:_}" if isinstance(x, int) and abs(x) >= 100_000 else str(x)


def _interval(r: tuple) -> str:
    lo, hi, lo_in, hi_in = r
    if hi == INF:
        return f"{'>=' if lo_in else '>'} {_num(lo)}"
    return f"in {'[' if lo_in else '('}{_num(lo)}, {_num(hi)}{']' if hi_in else ')'}"


def parse_scalar(kind: str, s: str) -> bool | int | float | str:
    """`s` as a field of type `kind` ("bool": true/false/1/0/yes/no/on/off; numbers may hold `_`); ValueError if not."""
    if kind == "bool":
        low = s.strip().lower()
        if low in ("true", "1", "yes", "on"):
            return True
        if low in ("false", "0", "no", "off"):
            return False
        raise ValueError(s)
    if kind in ("int", "float"):
        if not s.isascii():  # int() and float() also read other scripts' digits ("\u0661" is 1); a config is ASCII
            raise ValueError(s)
        return (int if kind == "int" else float)(s)  # `_` between digits only, as Python writes 1_000
    return s


def _floats(v: Any, key: str) -> list[tuple[str, float]]:
    if isinstance(v, float):
        return [(key, v)]
    if isinstance(v, (list, tuple)):
        return [x for i, e in enumerate(v) for x in _floats(e, f"{key}[{i}]")]
    return []


def check(cfg: Any, values: dict[str, Any], ranges: dict[str, tuple]) -> None:
    """Refuse values no run can use, naming the key and the allowed range (one line).

    values: every field of `cfg` by dotted key; ranges: (lo, hi, lo_inclusive, hi_inclusive) by dotted key.
    """
    for key, v in values.items():
        for k, x in _floats(v, key):
            if not math.isfinite(x):
                raise GolfkitError(f"config key '{k}' must be a finite number, got {x}")
    for key, r in ranges.items():
        v = values[key]
        lo, hi, lo_in, hi_in = r
        if (v < lo if lo_in else v <= lo) or (v > hi if hi_in else v >= hi):
            raise GolfkitError(f"config key '{key}' must be {_interval(r)}, got {v}")

    def need(ok: bool, key: str, msg: str) -> None:
        if not ok:
            raise GolfkitError(f"config key '{key}' {msg}")

    m, s = cfg.model, cfg.schedule
    need(m.model_dim % m.num_heads == 0 and ((m.model_dim // m.num_heads) % 2 == 0 or m.rope_dims > 0), "model.num_heads",
         f"must divide model.model_dim={m.model_dim} into an even head size (RoPE rotates pairs), got {m.num_heads}")
    need(m.num_kv_heads <= m.num_heads and m.num_heads % m.num_kv_heads == 0, "model.num_kv_heads",
         f"must divide model.num_heads={m.num_heads}, got {m.num_kv_heads}")
    need(m.bos_id < m.vocab_size, "model.bos_id", f"must be a token id below model.vocab_size={m.vocab_size}, got {m.bos_id}")
    need(m.deq_layer < m.num_layers, "model.deq_layer", f"must be -1 (off) or a layer below num_layers={m.num_layers}, "
         f"got {m.deq_layer}")
    need(all(0 <= i < m.num_layers for i in m.mod_layers), "model.mod_layers",
         f"must be layers in [0, {m.num_layers}), got {m.mod_layers}")
    need(m.rope_train_len == 0 or cfg.eval.rope_scaling == "none", "eval.rope_scaling",
         f"must be none when model.rope_train_len={m.rope_train_len} already rescales RoPE above that length")
    need(cfg.quant.qat_scope == "export_int" or not cfg.quant.qat_layers, "quant.qat_layers",
         f"must be empty with quant.qat_scope=outside_blocks (it names blocks), got {cfg.quant.qat_layers}")
    need(cfg.data.packing == "rows" or m.doc_mask, "data.packing",
         "=documents needs model.doc_mask=true (the packed row attends within its document pieces)")
    per_micro = s.train_batch_tokens // s.micro_batches
    need(s.train_batch_tokens % s.micro_batches == 0 and per_micro % s.train_seq_len == 0, "schedule.train_batch_tokens",
         f"={s.train_batch_tokens} must split into {s.micro_batches} micro-batches of whole {s.train_seq_len}-token "
         f"sequences")
    # the scorer divides the softcapped float32 logits by T: a T at which cap / T leaves float32 (e.g. 1e-300,
    # in range as "> 0") turned every distribution into NaN, and `golfkit eval` printed val_bpb nan with exit 0
    t = cfg.eval.temperature
    need(t >= F32_TINY and m.logit_softcap / t <= F32_MAX, "eval.temperature",
         f"must keep model.logit_softcap / T within float32 (logits over T), got T={t:g} with "
         f"model.logit_softcap={m.logit_softcap:g}")
