# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Evaluation methods and test-time training
#
# **Question.** How much val_loss do the evaluation methods buy on the same trained artifact, flat
# vs sliding window vs document-isolated windows, and full-weight, LoRA and phased score-first TTT,
# at what evaluation time, and are they legal (every target scored once, before any update sees it)?
#
# **Method.** Train the protocol's model per seed (reused when another notebook trained it). Reload
# each seed's artifact from disk and score it with every method of `golfkit.eval.evaluate` (the
# config's `eval.*` knobs as overrides; the model is rebuilt for each method so no adaptation leaks
# between rows). Test each method against flat eval with the challenge's rule (one-sided, paired over
# seeds: every method scores the same trained model). Then attempt each forbidden action against the
# guards the methods run through (`golfkit.eval.score.ScoreBook`, `Scorer`) and show that it is refused.
# (`golfkit.lab.eval_methods`.)
#
# Run it: `golfkit run notebooks/03_test_time_training.ipynb` (data from `data/`; `-p data_dir PATH` points
# elsewhere; `-p smoke True` is the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
jobs = 1  # type: int  trainings run side by side, each in its own process (iteration-capped only; jobs x threads at most the cores)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
protocol = "cpu-trained"  # type: str  named training protocol (golfkit.lab.workbook.PROTOCOLS), empty for preset and overrides only
seeds = [1337, 42, 2025]  # type: list  one training run per seed
data_dir = "data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), relative to the repository root
run_dir = "runs/scratch/03_test_time_training"  # type: str  the run folder, relative to the repository root (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the protocol's
overrides = {}  # type: dict  dotted config overrides applied to every training run, after the protocol's
val_tokens = 0  # type: int  score only the first N validation targets, 0 keeps the protocol's (faster, noisier, not a challenge score)
methods = {"flat": {"eval.method": "flat"}, "sliding s64": {"eval.method": "sliding", "eval.stride": 64}, "doc s64": {"eval.method": "doc", "eval.stride": 64}, "ttt-sgd": {"eval.method": "ttt-sgd", "eval.stride": 64, "eval.sgd.chunk_tokens": 16384, "eval.sgd.epochs": 1}, "ttt-lora": {"eval.method": "ttt-lora", "eval.lora.context": 256, "eval.lora.chunk_tokens": 64}, "ttt-phased": {"eval.method": "ttt-phased", "eval.lora.context": 256, "eval.lora.chunk_tokens": 64, "eval.lora.batch_docs": 8, "eval.phased.docs": 16, "eval.phased.phases": 2}}  # type: dict  name to eval overrides, scored in this order (the first is the reference)
smoke_methods = 3  # type: int  how many methods the smoke run scores

# %%
# %matplotlib inline

from golfkit.lab import eval_methods, findings, pages, stats, workbook

p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir,
                  nproc=nproc, jobs=jobs, wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens)
chosen = p.variants(methods, baseline=None, smoke_count=smoke_methods)
print(list(chosen))

# %% [markdown]
# ## 1. Train (or reuse) the protocol's model per seed
# One line per training; the logs are in `train/<variant>_s<seed>/train.log`.

# %%
results = p.train_variants({"baseline": {}})
pages.show_table(pages.training_rows(results))
fig = pages.plot_curves(results, title="the protocol's model per seed: train and validation loss")
p.figure(fig, "loss_curves")

# %% [markdown]
# ## 2. Score each seed's artifact with every method

# %%
rows = [{"seed": r["seed"], **row} for r in results for row in eval_methods.compare_methods(r["artifact"], p.data_dir, chosen)]
pages.show_table(rows)

# %%
first = next(iter(chosen))
per_seed = [{"name": row["method"], "seed": row["seed"], "val_loss": row["val_loss"], "val_bpb": row["val_bpb"]} for row in rows]
cmp = findings.compare(per_seed, first)
pages.show_table(cmp)
seconds = {m: sum(r["eval seconds"] for r in rows if r["method"] == m) / len(results) for m in chosen}
fig = eval_methods.plot_methods(cmp, seconds, stats.CHALLENGE_MARGIN_NATS)
fig.suptitle(f"same artifact, different evaluation: val_loss vs {first} (mean ± 95% interval over seeds) and eval time")
p.figure(fig, "eval_methods")

# %% [markdown]
# ## 3. Legality, demonstrated on the guards every method uses

# %%
checks = eval_methods.legality_checks(results[0]["artifact"], p.data_dir)
pages.show_table(checks)
assert all(c["ok"] for c in checks), "a legality guard did not behave"

# %% [markdown]
# ## Result: findings computed from this run
# Generated from this run's numbers (also in `metrics.json`): the scale, whether the model is trained,
# one verdict per method against flat eval under the stated rule, evaluation times, and the legality checks.

# %%
ev = findings.training_evidence(results)
mult, mult_lines = findings.multiplicity(len(cmp))
lines = [findings.scale_sentence(p.scale(results)), findings.training_sentence(ev), findings.rule_sentence(),
         *findings.comparison_sentences(cmp), *mult_lines,
         "Mean evaluation seconds per seed: " + ", ".join(f"{m} {s:.1f}" for m, s in seconds.items()) + ".",
         f"Legality: {sum(c['ok'] for c in checks)} of {len(checks)} checks behaved as required "
         f"(a second score of a target and an update on an unscored target refused; every scored distribution sums to one)."]
summary = p.record(results, headline="baseline", findings=lines, methods=rows, comparisons=cmp, eval_seconds=seconds,
                   verdict_rule=findings.rule(), multiple_comparisons=mult, training_evidence=ev, legality=checks,
                   legality_ok=sum(c["ok"] for c in checks), legality_checks=len(checks))
findings.show(lines)
