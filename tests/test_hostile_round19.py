"""Hostile input, round 19: eval settings at their range edges, export options, the exported script's
environment, data build's validation split, `golfkit run --timeout`, and the batch-memory lower bound.

Each CLI case runs the real command in a subprocess through tests/hostile_helpers.py: a refusal is exit 2
with one `golfkit: error:` line (`error:` from an exported script), no traceback, bounded memory and not
one byte changed under the scratch folder. Each test says what happened before its fix.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from golfkit import artifact, limits
from golfkit.errors import GolfkitError
from golfkit.presets import get_preset
from hostile_helpers import refused, run_golfkit, smoke_int8_artifact, succeeded, tiny_data, user_folder


@pytest.fixture(scope="module")
def tiny(data_dir, tmp_path_factory) -> Path:
    return tiny_data(data_dir, tmp_path_factory.mktemp("tiny_data"))


@pytest.fixture(scope="module")
def art_path(tmp_path_factory) -> Path:
    """A valid int8 smoke artifact (weights at a perturbed init): no training needed to load and score it."""
    _, _, qts, cfg = smoke_int8_artifact()
    path = tmp_path_factory.mktemp("art") / "a.golf"
    path.write_bytes(artifact.pack(artifact.Artifact(qts, cfg.to_dict(), {"format": "int8_clean_per_row_v1"})))
    return path


@pytest.fixture()
def scratch(tmp_path) -> Path:
    return user_folder(tmp_path)


def _eval(scratch: Path, art: Path, tiny: Path, pattern: str, *sets: str, method: str | None = None):
    args = ["eval", "--artifact", art, "--data", tiny, *(["--method", method] if method else [])]
    for s in sets:
        args += ["--set", s]
    return refused(args, scratch, pattern, watch=(tiny, art.parent))


# ----------------------------------------------------------------------------------
# golfkit eval: settings at their range edges
# ----------------------------------------------------------------------------------
def test_lora_adapters_beyond_memory_are_refused_before_allocating(scratch, art_path, tiny):
    # eval.lora.batch_docs has no upper bound: 10**12 was a traceback (DefaultCPUAllocator: can't allocate
    # 2,048,000,000,000,000 bytes) from torch.empty in the adapters
    _eval(scratch, art_path, tiny, r"eval.lora adapters for 1,000,000,000,000 documents at rank 8 hold at least "
                                   r"[\d,.]+ GiB of fp32 weights .* lower eval.lora.batch_docs or eval.lora.rank$",
          "eval.lora.batch_docs=1000000000000", method="ttt-lora")


def test_a_phase_count_past_its_cap_is_refused(scratch, art_path, tiny):
    # eval.phased.phases=10**12 was in range: `golfkit eval` hung building 10**12 phase boundaries
    _eval(scratch, art_path, tiny, r"config key 'eval.phased.phases' must be in \[1, 1_048_576\], got 1000000000000",
          "eval.phased.phases=1000000000000", method="ttt-phased")


@pytest.mark.parametrize("t", ["1e-300", "5e-324"])
def test_a_temperature_that_leaves_float32_is_refused(scratch, art_path, tiny, t):
    # in range as "> 0": the logits over T overflowed float32 and `golfkit eval` printed val_bpb:nan, exit 0
    _eval(scratch, art_path, tiny, r"config key 'eval.temperature' must keep model.logit_softcap / T within float32",
          f"eval.temperature={t}")


def _val_loss(o) -> float:
    return float(re.search(r"final_int8_zlib_roundtrip_exact val_loss:(\S+)", o.stdout).group(1))


def test_flat_eval_scores_at_the_eval_seq_len_it_is_given(scratch, art_path, tiny):
    # `--set eval.seq_len=16` with the flat method was ignored: the score of schedule.train_seq_len was printed
    default = _val_loss(succeeded(["eval", "--artifact", art_path, "--data", tiny], scratch))
    same = _val_loss(succeeded(["eval", "--artifact", art_path, "--data", tiny, "--set",
                                f"eval.seq_len={get_preset('smoke').schedule.train_seq_len}"], scratch))
    short = _val_loss(succeeded(["eval", "--artifact", art_path, "--data", tiny, "--set", "eval.seq_len=16"], scratch))
    assert same == default and abs(short - default) > 1e-6, (default, same, short)


def test_flat_eval_over_its_budget_stops_or_warns(scratch, art_path, tiny):
    # the flat path scores with no clock: a budget of 1e-9 s with over_budget=stop printed the score, exit 0
    _eval(scratch, art_path, tiny, r"eval method flat took [\d.]+ s, over its time budget of 1e-09 s "
                                   r"\(eval.over_budget=stop\)$", "eval.time_budget_seconds=1e-9", "eval.over_budget=stop")
    o = succeeded(["eval", "--artifact", art_path, "--data", tiny, "--set", "eval.time_budget_seconds=1e-9",
                   "--set", "eval.over_budget=warn", "--json"], scratch)
    assert "WARNING over_budget: eval method flat took" in o.stderr and '"over_budget": true' in o.stdout, o.describe()


# ----------------------------------------------------------------------------------
# config values a float32 parameter cannot hold: golfkit train and the exported script
# ----------------------------------------------------------------------------------
def test_an_init_value_past_float32_is_refused_by_golfkit_and_the_exported_script(tmp_path, tiny):
    # model.qk_gain_init had no range: -1e300 passed, and torch.full raised "value cannot be converted to type
    # float without overflow" (a traceback after the run folder was written), in both
    scratch = user_folder(tmp_path)
    pattern = r"config key 'model.qk_gain_init' must be in \[-3.4028234663852886e\+38, 3.4028234663852886e\+38\], got -1e\+300"
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", "r", "--set", "model.qk_gain_init=-1e300"],
            scratch, pattern, watch=(tiny,))
    refused(["train", "--preset", "smoke", "--data", tiny, "--run-dir", "r", "--set", "model.parallel_resid_init=1e39"],
            scratch, r"config key 'model.parallel_resid_init' must be in", watch=(tiny,))
    sub = tmp_path / "sub"
    o = run_golfkit(["export", "--preset", "smoke", "--out", sub], tmp_path)
    assert o.rc == 0, o.describe()
    refused([], scratch, "^error: environment variable QK_GAIN_INIT: " + pattern,
            env={"QK_GAIN_INIT": "-1e300", "RUN_ID": "r"}, argv=[sys.executable, str(sub / "train_gpt.py")],
            prefix="error: ")


# ----------------------------------------------------------------------------------
# golfkit export: options that were dropped or exported a script that cannot train
# ----------------------------------------------------------------------------------
def test_set_with_a_run_folder_is_refused(scratch):
    # --set applies to --preset; with a run folder it was dropped without a word and the run's config exported
    refused(["export", "run", "--set", "seed=3", "--out", "sub"], scratch,
            r"--set changes --preset's config; a run folder exports the config it trained")


def test_a_preset_over_the_ceiling_is_not_exported(scratch):
    # exported (exit 0) a train_gpt.py whose first line refuses the model: a submission that can never train
    refused(["export", "--preset", "smoke", "--set", "model.model_dim=32768", "--out", "sub"], scratch,
            r"--preset smoke declares a model of about 15,066,596,420 parameters, over the ceiling of 250,000,000 "
            r"that an exported train_gpt.py keeps")


# ----------------------------------------------------------------------------------
# data build: a validation split with nothing to score
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lines,val_docs", [
    (['{"text": "one document"}', '{"text": "another"}'], "0"),  # the default: an empty validation shard
    (['{"text": ""}', '{"text": "another"}'], "1"),  # a first document with no text: only its BOS
])
def test_data_build_refuses_a_validation_split_with_nothing_to_score(scratch, tiny, lines, val_docs):
    # built (exit 0) a folder whose validation shard every training and eval refuses ("nothing to score")
    (scratch / "docs.jsonl").write_text("\n".join(lines) + "\n")
    refused(["data", "build", "--text", "docs.jsonl", "--tokenizer", tiny / "tokenizers" / "fineweb_1024_bpe.model",
             "--out", "out", "--val-docs", val_docs], scratch,
            rf"--val-docs {val_docs}: the validation split would hold no token to score", watch=(tiny,))


# ----------------------------------------------------------------------------------
# golfkit run --timeout
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("timeout", ["nan", "inf", "0", "-1"])
def test_run_refuses_a_timeout_papermill_cannot_take(tmp_path, timeout):
    # nan and inf started the run: papermill's TraitError was recorded as a failed run, its folder written
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('run_dir = ""\nx = 1  # type: int  a count')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print(x)")]
    nbformat.write(nb, tmp_path / "nb.ipynb")
    refused(["run", "nb.ipynb", "--runs-dir", "runs", "--timeout", timeout], tmp_path,
            r"--timeout must be a number of seconds in \(0, 2\*\*31\]")


# ----------------------------------------------------------------------------------
# the batch-memory check is a lower bound under depth recurrence
# ----------------------------------------------------------------------------------
def test_batch_memory_counts_only_the_looped_band():
    # every layer was counted num_loops + 1 times: 64 layers with a one-layer band looped 64 times counted 4,160
    # passes where 128 run, and a 32,768-token micro-step that fits an 80 GB GPU was refused
    cfg = get_preset("smoke").override({"model.num_layers": 64, "model.model_dim": 512, "model.num_heads": 8,
                                        "model.num_kv_heads": 4, "model.num_loops": 64, "model.loop_start": 0,
                                        "model.loop_end": 0})
    hidden = cfg.model.mlp_mult * 512
    assert limits.check_batch_memory(cfg, 32_768, 80 * 10**9) == 32_768 * (16 + 2 * (512 * (64 + 64 + 1) +
                                                                                    hidden * (64 + 64)))
    with pytest.raises(GolfkitError, match=r"each micro-step holds 1,048,576 tokens per rank"):
        limits.check_batch_memory(cfg, 1 << 20, 80 * 10**9)


@pytest.mark.parametrize("param,value,pattern", [
    ("seeds", "[]", r"seeds is empty: give at least one seed"),
    ("protocol", "nope", r"unknown protocol 'nope' \(known: "),
    ("jobs", "0", r"jobs must be an integer from 1 to 64, got 0"),
    ("nproc", "0", r"nproc must be an integer from 1 to 1024 \(processes per training\), got 0"),
    ("val_tokens", "-5", r"val_tokens must be an integer >= 0 \(0 = the whole split\), got -5"),
    ("overrides", '{"model.nope": 1}', r"model.nope"),
])
def test_run_checks_a_notebooks_plan_before_its_run_folder(tmp_path, tiny, param, value, pattern):
    # types alone were checked: `-p seeds []` (and the others) ran the notebook, whose plan() refused inside the
    # kernel, and the run was recorded failed with its folder written
    from hostile_helpers import REPO

    nb = REPO / "notebooks" / "01_architecture.ipynb"
    refused(["run", str(nb), "--runs-dir", "runs", "-p", "data_dir", str(tiny), "-p", param, value], tmp_path,
            r"01_architecture.ipynb: .*" + pattern)


@pytest.mark.parametrize("key,value", [("model.rope_base", "1e-300"), ("model.rope_base", "0.5"),
                                       ("model.logit_softcap", "1e-300"), ("model.logit_softcap", "1e300"),
                                       ("optim.adam_eps", "1e-300"), ("model.tied_embed_init_std", "1e300")])
def test_settings_that_round_to_zero_or_inf_in_float32_are_refused(key, value):
    # each trained to val_bpb nan with exit 0 (golfkit train and the exported script's environment variables)
    with pytest.raises(GolfkitError, match=rf"'{re.escape(key)}' must be"):
        get_preset("smoke").override({key: value})
    for key, ok in (("model.rope_base", "1e4"), ("model.logit_softcap", "30"), ("optim.adam_eps", "1e-8")):
        get_preset("smoke").override({key: ok})


def test_lora_steps_per_chunk_is_capped():
    # 10**12 hung `golfkit eval --method ttt-lora`: the eval clock is read between chunks, never inside one
    with pytest.raises(GolfkitError, match=r"'eval.lora.steps_per_chunk' must be"):
        get_preset("smoke").override({"eval.lora.steps_per_chunk": str(10**12)})
    get_preset("smoke").override({"eval.lora.steps_per_chunk": "10000"})


def test_batch_memory_counts_the_mlp_hidden_width():
    # the MLP's hidden width was left out: model.mlp_hidden=1<<20 passed the bound and ran out of memory
    cfg = get_preset("smoke").override({"model.mlp_hidden": str(1 << 20)})
    with pytest.raises(GolfkitError, match=r"each micro-step holds 16,384 tokens per rank"):
        limits.check_batch_memory(cfg, 16_384, 16 * 2**30)
    mod = get_preset("smoke").override({"model.mlp_hidden": str(1 << 20), "model.mod_layers": "[0]",
                                        "model.mod_capacity": "0.25"})
    assert limits.check_batch_memory(mod, 1, 2**40) < limits.check_batch_memory(cfg, 1, 2**40)


def test_the_tilt_boost_stays_where_exp_is_finite():
    # eval.tilt.boost is log-odds: 1e308 printed numpy's overflow warning and scored on inf
    with pytest.raises(GolfkitError, match=r"'eval.tilt.boost' must be"):
        get_preset("smoke").override({"eval.tilt.boost": "1e308"})
    get_preset("smoke").override({"eval.tilt.boost": "2.625"})


def test_an_error_stays_one_line_and_bounded(scratch):
    # a 5,000-digit value was echoed whole into the error line; a value holding a newline split it in two
    o = refused(["train", "--preset", "smoke", "--set", "seed=" + "9" * 5000, "--run-dir", "r"], scratch,
                r"\.\.\. \([\d,]+ more characters\)$")
    assert len(o.stderr) < 1200, len(o.stderr)
    refused(["train", "--preset", "smoke", "--data", "a\nb", "--run-dir", "r"], scratch, r"a\\nb")
