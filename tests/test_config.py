"""RunConfig: JSON round trip, dotted overrides, and clear refusals."""

import json

import pytest

from golfkit.config import RunConfig, parse_set_args
from golfkit.errors import GolfkitError
from golfkit.presets import PRESETS, get_preset


def test_json_round_trip_every_preset():
    for name in PRESETS:
        cfg = get_preset(name)
        back = RunConfig.from_json(cfg.to_json())
        assert back == cfg
        assert json.loads(back.to_json()) == cfg.to_dict()


def test_baseline_preset_is_the_challenge_baseline():
    c = get_preset("baseline")
    m, o, s = c.model, c.optim, c.schedule
    assert (m.num_layers, m.model_dim, m.num_heads, m.num_kv_heads, m.mlp_mult, m.vocab_size) == (9, 512, 8, 4, 2, 1024)
    assert (m.tie_embeddings, m.tied_embed_init_std, m.logit_softcap, m.rope_base, m.qk_gain_init) == (True, 0.005, 30.0, 10000.0, 1.5)
    assert (o.matrix_lr, o.muon_momentum, o.muon_momentum_warmup_start, o.muon_momentum_warmup_steps) == (0.04, 0.95, 0.85, 500)
    assert (o.muon_backend_steps, o.beta1, o.beta2, o.adam_eps, o.tied_embed_lr, o.scalar_lr) == (5, 0.9, 0.95, 1e-8, 0.05, 0.04)
    assert (s.train_batch_tokens, s.train_seq_len, s.iterations, s.warmdown_iters) == (524_288, 1024, 20000, 1200)
    assert (s.warmup_steps, s.max_wallclock_seconds, s.micro_batches) == (20, 600.0, 8)


def test_dotted_overrides_are_typed():
    cfg = get_preset("smoke").override(parse_set_args([
        "model.num_layers=11", "optim.matrix_lr=0.02", "model.tie_embeddings=false", "device=cpu",
        "schedule.train_batch_tokens=8_192"]))
    assert cfg.model.num_layers == 11 and isinstance(cfg.model.num_layers, int)
    assert cfg.optim.matrix_lr == 0.02
    assert cfg.model.tie_embeddings is False
    assert cfg.schedule.train_batch_tokens == 8192
    # typed values pass through; ints widen to floats
    assert get_preset("smoke").override({"optim.matrix_lr": 1}).optim.matrix_lr == 1.0


@pytest.mark.parametrize("key,value,needle", [
    ("model.nope", "1", "unknown config key 'model.nope'"),
    ("nope", "1", "unknown config key 'nope'"),
    ("model", "1", "is a section"),
    ("model.num_layers.x", "1", "not a section"),
    ("model.num_layers", "eleven", "must be int"),
    ("model.tie_embeddings", "maybe", "must be bool"),
    ("device", "tpu", "must be one of"),
])
def test_bad_overrides_name_the_key(key, value, needle):
    with pytest.raises(GolfkitError, match=needle.replace("(", r"\(").replace(".", r"\.")):
        get_preset("smoke").override({key: value})


def test_from_dict_rejects_unknown_keys_and_wrong_types():
    d = get_preset("smoke").to_dict()
    d["model"]["extra"] = 1
    with pytest.raises(GolfkitError, match="unknown config key 'model.extra'"):
        RunConfig.from_dict(d)
    d = get_preset("smoke").to_dict()
    d["schedule"]["iterations"] = "20"
    with pytest.raises(GolfkitError, match="schedule.iterations"):
        RunConfig.from_dict(d)
    d = get_preset("smoke").to_dict()
    d["model"]["tie_embeddings"] = 1  # a bool field does not take ints
    with pytest.raises(GolfkitError, match="model.tie_embeddings"):
        RunConfig.from_dict(d)


def test_set_args_syntax():
    assert parse_set_args(["a.b=1", "c= x"]) == {"a.b": "1", "c": " x"}
    with pytest.raises(GolfkitError, match="key=value"):
        parse_set_args(["model.num_layers"])


def test_unknown_preset():
    with pytest.raises(GolfkitError, match="unknown preset 'nope'"):
        get_preset("nope")
