"""What a config or an artifact may make golfkit allocate: checked before the model is built.

* `estimate_params(model_cfg)`: an upper estimate of the elements a model holds (parameters,
  persistent buffers, and the regenerated Seed-LoRA matrices), from the config alone, in
  microseconds and with no allocation. tests/test_hostile_limits.py keeps it at or above the exact
  count for every preset and every switch of golfkit.techniques.
* `check_model_size(cfg, max_params, what)`: refuses a model whose estimate is over the ceiling
  (config.DEFAULT_MAX_PARAMS, raised with `--max-params`), naming its memory as fp32 weights.
* `check_batch_memory(cfg, micro_tokens, machine_bytes)`, `check_eval_memory(cfg, batch_tokens, machine_bytes)`:
  refuse a training micro-step or an evaluation batch whose activations (a lower bound) exceed the device's memory.
* `load_for_model(path, build, cfg, max_params)`: the one way an artifact becomes a model. Inside
  the artifact's single validation pass (golfkit.artifact.load), after the header and table are
  checked and before tensor data is inflated: the config stored in the artifact is validated like
  any config, the model size is checked, every stored tensor's parts are checked against its
  format (golfkit.quant.int8.check_specs), the model is built, and the table must name exactly the
  model's tensors with its shapes.

A meta-device build would count exactly, but it imports torch._dynamo on first use (~1.3 s per
process on this CPU); the estimate plus the table-vs-model comparison after a bounded real build
costs milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from golfkit import artifact
from golfkit.config import DEFAULT_MAX_PARAMS, ModelConfig, RunConfig
from golfkit.errors import GolfkitError
from golfkit.quant.int8 import check_specs


def estimate_params(m: ModelConfig) -> int:
    """Elements of the model's tensors (an upper estimate; python ints, never overflows)."""
    d, v, L = m.model_dim, m.vocab_size, m.num_layers
    hd = d // max(m.num_heads, 1)
    kv = m.num_kv_heads * hd
    h = m.mlp_hidden or m.mlp_mult * d
    passes = m.num_loops + 1
    attn = 2 * d * d + 2 * d * kv + m.num_heads * max(d, m.gate_window) + 4 * m.num_heads + 4
    mlp = (3 if m.mlp_act == "swiglu" else 2) * d * h
    vectors = 6 * d + 16  # scales, resid mix, lanes, MoD router
    seed_lora = len(m.seed_lora_targets) * m.seed_lora_rank * (d + max(d, h)) + len(m.seed_lora_targets)
    loop_lora = passes * m.loop_lora_rank * 2 * (d + h)
    per_layer = attn + mlp + vectors + seed_lora + loop_lora
    embed = v * d * (1 if m.tie_embeddings else 2)
    skips = 2 * L * passes * d  # skip weights + gates, sized for the looped schedule
    bigram = m.bigram_buckets * m.bigram_dim + m.bigram_dim * d + 1 if m.bigram_buckets else 0
    ve = v * m.ve_dim + m.ve_dim * kv + L if m.ve_dim else 0
    mtp = m.mtp_heads * v * d  # training-only heads: memory, though never in an artifact
    smear = d if m.smear_v1 != "off" else 0  # SmearGate v1's per-dimension gate
    return L * per_layer + embed + skips + bigram + ve + mtp + smear + m.gate_window + 1024


def check_model_size(cfg: RunConfig, max_params: int = DEFAULT_MAX_PARAMS, what: str = "the config") -> int:
    """Refuse a model over the ceiling before it is built; returns the estimate."""
    n = estimate_params(cfg.model)
    if n > max_params:
        raise GolfkitError(f"{what} declares a model of about {n:,} parameters ({4 * n / 2**30:,.1f} GiB as fp32 "
                           f"weights, before gradients and optimizer state), over the ceiling of {max_params:,}"
                           + RAISE_HINT.format(n=n))
    return n


RAISE_HINT = "; pass --max-params {n} if you mean it"  # an exported script ships its own (golfkit.twins)


def check_batch_memory(cfg: RunConfig, micro_tokens: int, machine_bytes: int) -> int:
    """Refuse a micro-step whose activations cannot fit in the machine before any is allocated; returns the bound.

    A lower bound, so that no batch that fits is refused: each token holds its input and target ids (int64) and,
    for the backward pass, at least one 2-byte (bf16) copy of the residual stream and of the MLP's hidden
    activation per layer pass, plus the embedding. `schedule.train_batch_tokens=2**31` is in range, and without
    this was a MemoryError (or the OOM killer) in the first micro-step, after the run folder was written.
    """
    m = cfg.model
    # layer passes: depth recurrence repeats only its band loop_start..loop_end (golfkit/model/recurrence.py
    # loop_schedule); counting every layer num_loops + 1 times was no lower bound (64 layers, a one-layer band
    # looped 64 times: 4,160 passes counted where 128 run), and refused micro-steps that fit
    band = max(0, min(m.loop_end, m.num_layers - 1) - m.loop_start + 1) if m.num_loops > 0 else 0
    passes = m.num_layers + m.num_loops * band
    # and each pass's MLP hidden activation (saved for the backward pass; `model.mlp_hidden=1<<20` passed the
    # bound and then ran out of memory), for the capacity fraction of tokens Mixture-of-Depths routes through a block
    hidden = (m.mlp_hidden or m.mlp_mult * m.model_dim) * (m.mod_capacity if m.mod_layers else 1.0)
    per_token = 16 + 2 * (m.model_dim * (passes + 1) + int(hidden * passes))
    need = micro_tokens * per_token
    if need > machine_bytes:
        raise GolfkitError(f"each micro-step holds {micro_tokens:,} tokens per rank (schedule.train_batch_tokens="
                           f"{cfg.schedule.train_batch_tokens} over {cfg.schedule.micro_batches} micro-batches): at "
                           f"least {need / 2**30:,.1f} GiB of activations, more than this device's "
                           f"{machine_bytes / 2**30:,.1f} GiB; raise schedule.micro_batches or lower the batch")
    return need


def check_eval_memory(cfg: RunConfig, batch_tokens: int, machine_bytes: int) -> int:
    """The same for an evaluation batch (no gradients, but every token's logits over the vocab, 2 bytes each at
    least): `eval.batch_tokens=2**31` on the full validation split ran out of memory only after training."""
    need = batch_tokens * (16 + 2 * (cfg.model.vocab_size + cfg.model.model_dim))
    if need > machine_bytes:
        raise GolfkitError(f"each evaluation batch holds {batch_tokens:,} tokens per rank (eval.batch_tokens="
                           f"{cfg.eval.batch_tokens}): at least {need / 2**30:,.1f} GiB of logits and activations, "
                           f"more than this device's {machine_bytes / 2**30:,.1f} GiB; lower eval.batch_tokens")
    return need


def _spec(e: dict) -> tuple:
    parts = {p["key"]: (p["dtype"], tuple(p["shape"])) for p in e["parts"]}
    return e["name"], e["format"], tuple(e["shape"]), e["dtype"], e.get("meta", {}), parts


def load_for_model(path: str | Path, build: Callable[[RunConfig], Any], cfg: RunConfig | None = None,
                   max_params: int = DEFAULT_MAX_PARAMS) -> tuple[artifact.Artifact, RunConfig, Any]:
    """(artifact, config, model built by `build(config)`) with every check before the data is inflated.

    `cfg` replaces the config stored in the artifact (e.g. with eval-side overrides); the stored one
    is validated either way.
    """
    where = str(path)
    out: dict[str, Any] = {}

    def check(header: dict) -> None:
        try:
            stored = RunConfig.from_dict(header["config"])
        except GolfkitError as e:
            raise GolfkitError(f"artifact {where}: its stored config is invalid: {e}") from None
        use = cfg or stored
        check_model_size(use, max_params, f"artifact {where}")
        check_specs([_spec(e) for e in header["tensors"]])
        model = build(use)
        want = {k: tuple(t.shape) for k, t in model.state_dict().items()}
        have = {e["name"]: tuple(e["shape"]) for e in header["tensors"]}
        for name in sorted(set(want) | set(have)):
            if name not in have:
                raise GolfkitError(f"artifact {where} does not match its model config: tensor '{name}' is missing")
            if name not in want:
                raise GolfkitError(f"artifact {where} does not match its model config: unexpected tensor '{name}'")
            if want[name] != have[name]:
                raise GolfkitError(f"artifact {where} does not match its model config: tensor '{name}' has shape "
                                   f"{list(have[name])}, the model's is {list(want[name])}")
        out.update(cfg=use, model=model)

    art = artifact.load(path, max_params, check)
    return art, out["cfg"], out["model"]
