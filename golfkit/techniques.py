"""The technique switches as a registry: name -> config overrides, plus a size report.

`SWITCHES[name](model_cfg)` returns dotted-key overrides that turn one technique on with the
records' hyperparameters, scaled to the model at hand (e.g. XSA on the last 4 layers, VE on
the last two). `switch_report(preset)` builds each switched model once and reports the extra
parameters and the extra bytes of the baseline int8 export (payload before compression:
compressed sizes of freshly initialised weights mean little, e.g. zero-init tensors compress
to nothing). Used by tests/test_switches.py, benchmarks/ablate.py and LOG.md.

`IDENTITY_AT_INIT` lists the switches designed to leave the function unchanged at init
(tests check the logits equal the baseline's, with non-zero output projections).
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from golfkit import quant
from golfkit.config import ModelConfig, RunConfig
from golfkit.errors import GolfkitError
from golfkit.model.recurrence import middle_cycle_overrides


def _last(m: ModelConfig, n: int) -> list[int]:
    return list(range(max(m.num_layers - n, 0), m.num_layers))


# name -> overrides for a model config (record hyperparameters; sources in the modules' docstrings)
SWITCHES: dict[str, Callable[[ModelConfig], dict[str, Any]]] = {
    "parallel_two_lane": lambda m: {"model.parallel_residual": "two_lane",
                                    "model.parallel_start": max(m.num_layers - 2, 0)},  # rec 03-31: 7 of 11
    "parallel_gptj": lambda m: {"model.parallel_residual": "gptj"},
    "xsa_last4": lambda m: {"model.xsa_last_n": min(4, m.num_layers)},
    "xsa_all": lambda m: {"model.xsa_last_n": -1},
    "smear_gate": lambda m: {"model.smear_gate": True},
    "bigram_hash": lambda m: {"model.bigram_buckets": 3072, "model.bigram_dim": 112},  # PR #1290
    "value_embed": lambda m: {"model.ve_dim": 128, "model.ve_layers": _last(m, 2)},  # rec 03-22
    "partial_rope": lambda m: {"model.rope_dims": min(16, m.model_dim // m.num_heads)},
    "ln_scale": lambda m: {"model.ln_scale": True},
    "leaky_relu2": lambda m: {"model.mlp_act": "leaky_relu2"},
    "swiglu": lambda m: {"model.mlp_act": "swiglu"},
    "mlp3x": lambda m: {"model.mlp_mult": 3},
    "qk_gain5": lambda m: {"model.qk_gain_init": 5.0},  # rec 04-04/04-06
    "skip_gates": lambda m: {"model.skip_gates": True},
    "attn_gate_dense": lambda m: {"model.attn_gate": "dense"},
    "attn_gate_narrow": lambda m: {"model.attn_gate": "narrow"},
    "attn_gate_sparse": lambda m: {"model.attn_gate": "sparse"},
    "value_residual": lambda m: {"model.value_residual": True},
    "diff_attn": lambda m: {"model.diff_attn": True},
    "mtp4": lambda m: {"model.mtp_heads": 4, "model.mtp_loss_weight": 0.3},  # NR 03-21
    "ortho_init": lambda m: {"model.init": "orthogonal"},
    "ortho_init_scaled": lambda m: {"model.init": "orthogonal_scaled"},
    # the records' own forms (tests/test_records.py compares them with the records' code)
    "smear_v1": lambda m: {"model.smear_v1": "learned"},  # PR #1290: per-dim sigmoid blend, scalar AdamW
    "smear_v1_frozen": lambda m: {"model.smear_v1": "frozen"},  # swapp1990#2: the same gate in no optimizer
    "smear_before_norm": lambda m: {"model.smear_gate": True, "model.smear_before_norm": True},  # PR #1855
    "smear_unmasked": lambda m: {"model.smear_gate": True, "model.smear_bos_mask": False},  # PR #2135 as run
    "two_lane_pr1787": lambda m: {"model.parallel_residual": "two_lane", "model.two_lane_form": "pr1787",
                                  "model.parallel_start": max(m.num_layers - 3, m.num_layers // 2)},  # 8 of 11
    "rope_bf16": lambda m: {"model.rope_dtype": "bf16"},  # baseline/swapp1990#2 as run: bf16 RoPE tables
    "rope_bf16_freq": lambda m: {"model.rope_dtype": "bf16_freq"},  # PR #1787 lineage: bf16 frequencies
    "asym_softcap": lambda m: {"model.asym_softcap": "learned"},  # PR #1923: learned c+ / c-
    "asym_softcap_frozen": lambda m: {"model.asym_softcap": "frozen"},  # PR #2135 as its code runs it
    "doc_mask": lambda m: {"model.doc_mask": True},  # PR #1787 lineage "VarLen": attention within documents
    "xsa_projection": lambda m: {"model.xsa_last_n": min(4, m.num_layers), "model.xsa_form": "projection"},  # swapp
    "ve_proj_ortho": lambda m: {"model.ve_dim": 128, "model.ve_layers": _last(m, 2),
                                "model.ve_proj_init": "orthogonal"},  # PR #1290
    "frontend_proj_adam": lambda m: {"model.bigram_buckets": 3072, "model.bigram_dim": 112,
                                     "model.frontend_proj_optim": "adam"},  # PR #1290's routing
}

# identity at init by design (smear/bigram/VE: zero-init paths; narrow gate: 2*sigmoid(0) = 1;
# MTP: touches only the training loss; two-lane: identity when parallel_resid_init = 1, tested apart;
# asymmetric softcap: c+ = c- = logit_softcap; frontend_proj_adam: routing only)
IDENTITY_AT_INIT = ("smear_gate", "bigram_hash", "value_embed", "attn_gate_narrow", "mtp4", "smear_before_norm",
                    "smear_unmasked", "asym_softcap", "asym_softcap_frozen", "frontend_proj_adam")


def _loop(c: RunConfig) -> dict[str, Any]:
    # rec 04-09's band of 3 (layers 3-5 of 11) x 3 passes from 35%, placed at layers 2-4 of cpu-small's 6
    n = c.model.num_layers
    return {"model.num_loops": 2, "model.loop_start": min(2, n - 1), "model.loop_end": min(4, n - 1),
            "model.enable_looping_at": 0.35}


def _carry(c: RunConfig) -> dict[str, Any]:
    # PR #1801's frozen alpha/beta for a band of 3; a narrower band (small models) takes the leading block
    o = _loop(c)
    n = o["model.loop_end"] - o["model.loop_start"] + 1
    return {**o, "model.recur_carry": True, "model.recur_beta": c.model.recur_beta[:n],
            "model.recur_alpha": [row[:n] for row in c.model.recur_alpha[:n]]}


def _steps(c: RunConfig, record_steps: int, record_total: int = 6000) -> int:
    """A record's step count as the same fraction of this run (records train ~6,000 steps on 8xH100)."""
    return max(1, round(record_steps * c.schedule.iterations / record_total))


# Depth systems and optimizer/schedule switches: name -> overrides computed from the whole run config
# (some scale a record's step counts to this run's `iterations`). Sources in golfkit/optim.py,
# golfkit/averaging.py and golfkit/model/ (recurrence.py, deq.py, seed_lora.py, depth_routing.py).
RUN_SWITCHES: dict[str, Callable[[RunConfig], dict[str, Any]]] = {
    "loop": _loop,
    "loop_lora": lambda c: {**_loop(c), "model.loop_lora_rank": 8},  # per-pass LoRA on the looped MLPs
    "loop_carry": lambda c: _carry(c),
    "middle_cycle": lambda c: middle_cycle_overrides(stem=1, core=2, tail=1, repeats=3),  # NR 03-21
    "deq": lambda c: {"model.num_layers": 3, "model.deq_layer": 1},  # PR #1783 (the `deq` preset)
    "seed_lora": lambda c: {"model.seed_lora_targets": ["mlp.fc", "mlp.proj"], "model.seed_lora_rank": 32},
    "mod": lambda c: {"model.mod_layers": list(range(1, c.model.num_layers, 2))},  # PR #1783, capacity 0.5
    "muoneq_r": lambda c: {"optim.muon_row_normalize": True},  # rec 04-03
    "polar_express": lambda c: {"optim.muon_ns": "polar_express"},  # PR #1344 -> #1787
    "momentum_099": lambda c: {"optim.muon_momentum": 0.99, "optim.muon_momentum_warmup_start": 0.92,
                               "optim.muon_momentum_warmup_steps": _steps(c, 1500)},  # rec 03-19 onward
    "muon_wd": lambda c: {"optim.muon_wd": 0.04},  # rec 03-20
    "wd_taper": lambda c: {"optim.muon_wd": 0.04, "optim.wd_schedule": "taper"},  # PR #1729
    "wd_ramp": lambda c: {"optim.muon_wd": 0.02, "optim.wd_schedule": "ramp"},  # PR #309/#675
    "adam_wd": lambda c: {"optim.embed_wd": 0.085, "optim.scalar_wd": 0.02},  # SP4096/8192-era records
    "grad_clip": lambda c: {"optim.grad_clip_norm": 0.3},  # rec 03-19_Seq2048
    "warmdown_fraction": lambda c: {"schedule.warmdown_kind": "fraction", "schedule.warmdown_frac": 0.72},
    "min_lr": lambda c: {"schedule.warmdown_kind": "fraction", "schedule.warmdown_frac": 0.72,
                         "schedule.min_lr": 0.10},  # PR #1787 -> rec 04-23
    # EMA 0.997 over ~6,000 steps: the same horizon as a fraction of this run is 0.997**(6000/iterations)
    "ema": lambda c: {"optim.weight_averaging": "ema",
                      "optim.ema_decay": round(0.997 ** (6000 / max(c.schedule.iterations, 1)), 6)},
    "swa": lambda c: {"optim.weight_averaging": "swa", "optim.swa_every": _steps(c, 50)},  # rec 03-20
    "lawa": lambda c: {"optim.weight_averaging": "lawa", "optim.lawa_every": _steps(c, 100)},  # PR #675
    "seq_len_2x": lambda c: {"schedule.train_seq_len": 2 * c.schedule.train_seq_len},
    # the records' own forms of the depth and RoPE techniques
    "rope_ntk_train_len": lambda c: {"model.rope_train_len": max(c.schedule.train_seq_len // 2, 1)},  # PR #1290
    "skips_unlooped": lambda c: {**_loop(c), "model.skip_count": "unlooped"},  # PR #1290
    "carry_first_pass": lambda c: {**_carry(c), "model.recur_carry_source": "first_pass"},  # PR #1801's code
    "loop_at_step": lambda c: {**_loop(c), "model.enable_looping_at_step": _steps(c, 3000)},  # PR #1290 step 3000
    "batch_2x": lambda c: {"schedule.train_batch_tokens": 2 * c.schedule.train_batch_tokens},
    # PR #1787 lineage: packed training rows, attention within train_seq_len pieces of each document
    "doc_packing": lambda c: {"model.doc_mask": True, "data.packing": "documents"},
}
ALL_SWITCHES = [*SWITCHES, *RUN_SWITCHES]


def switched(cfg: RunConfig, name: str) -> RunConfig:
    """`cfg` with switch `name` (architecture, depth system or optimizer/schedule) on."""
    if name in SWITCHES:
        return cfg.override(SWITCHES[name](cfg.model))
    if name in RUN_SWITCHES:
        return cfg.override(RUN_SWITCHES[name](cfg))
    raise GolfkitError(f"unknown switch '{name}' (known: {', '.join(ALL_SWITCHES)})")


def export_sizes(model: torch.nn.Module) -> tuple[int, int]:
    """(parameters in the export, payload bytes of the baseline int8 export before compression)."""
    sd = model.state_dict()  # MTP heads are not in it: they never reach the artifact
    qts = quant.quantize_state_dict_int8(sd, set(model.tensor_names("scalar")))
    return sum(t.numel() for t in sd.values()), quant.payload_bytes(qts)


def switch_report(preset: str = "baseline", names: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per switch: params (all / in the export) and int8 payload bytes, with deltas vs baseline."""
    from golfkit.model import GPT, count_params
    from golfkit.presets import get_preset

    base_cfg = get_preset(preset)
    rows = []
    for name in ["baseline", *(names or SWITCHES)]:
        cfg = base_cfg if name == "baseline" else switched(base_cfg, name)
        torch.manual_seed(0)
        model = GPT(cfg.model)
        model.param_groups()  # every new tensor is claimed by an optimizer group
        n_export, nbytes = export_sizes(model)
        rows.append({"switch": name, "params": count_params(model), "export_params": n_export,
                     "int8_payload_bytes": nbytes})
    b = rows[0]
    for r in rows:
        r["d_params"] = r["params"] - b["params"]
        r["d_export_params"] = r["export_params"] - b["export_params"]
        r["d_bytes"] = r["int8_payload_bytes"] - b["int8_payload_bytes"]
    return rows


def format_report(rows: list[dict[str, Any]]) -> str:
    """A markdown table of switch_report() rows."""
    head = "| switch | params | d params | d params in export | d int8 payload bytes |\n|---|---:|---:|---:|---:|"
    lines = [f"| {r['switch']} | {r['params']:,} | {r['d_params']:+,} | {r['d_export_params']:+,} | {r['d_bytes']:+,} |"
             for r in rows]
    return "\n".join([head, *lines])


if __name__ == "__main__":  # python -m golfkit.techniques [preset]
    import sys

    print(format_report(switch_report(sys.argv[1] if len(sys.argv) > 1 else "baseline")))
