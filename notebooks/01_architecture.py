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
# # 01 · The baseline architecture, where its parameters go, and which switches matter
#
# **Question.** What is the challenge's baseline model, how are its parameters and artifact
# bytes split across components, and does each main switch move val_loss by the challenge's bar
# once the models are trained?
#
# **Method.** Count parameters and int8 payload bytes per component for the baseline shape
# (9 layers, d=512, GQA 8/4 heads, relu² MLP x2, tied embedding, U-Net skips) and for the model
# the protocol trains. Then train the protocol's model and one ablation per switch, each over
# every seed, plot train and validation loss of every training, and test each ablation against
# the protocol's model with the challenge's rule (one-sided, paired over the shared seeds).
#
# Run it: `golfkit run notebooks/01_architecture.ipynb` (data from `data/`, what `golfkit data fetch` writes;
# `-p data_dir PATH` points elsewhere; `-p smoke True` is the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
jobs = 1  # type: int  trainings run side by side, each in its own process (iteration-capped only; jobs x threads at most the cores)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
protocol = "cpu-trained"  # type: str  named training protocol (golfkit.lab.workbook.PROTOCOLS), empty for preset and overrides only
seeds = [1337, 42, 2025]  # type: list  one training run per seed and variant
data_dir = "data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), relative to the repository root
run_dir = "runs/scratch/01_architecture"  # type: str  the run folder, relative to the repository root (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the protocol's
overrides = {}  # type: dict  dotted config overrides applied to every training run, after the protocol's
val_tokens = 0  # type: int  score only the first N validation targets, 0 keeps the protocol's (faster, noisier, not a challenge score)
ablations = {"untied": {"model.tie_embeddings": False}, "mlp3x": {"model.mlp_mult": 3}, "softcap15": {"model.logit_softcap": 15.0}, "qk_gain1": {"model.qk_gain_init": 1.0}}  # type: dict  name to config overrides, each trained against the protocol's model

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import budget, findings, pages, stats, workbook
from golfkit.presets import get_preset

p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir,
                  nproc=nproc, jobs=jobs, wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens)

# %% [markdown]
# ## 1. Parameters and bytes per component
# The challenge baseline (`baseline` preset), then the model the protocol trains here.

# %%
base_rows = budget.component_table(get_preset("baseline").model)
pages.show_table(base_rows)
run_rows = budget.component_table(p.config_for({}, p.seeds[0]).model)
pages.show_table(run_rows)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"wspace": 0.6})
for ax, rows, title in ((axes[0], base_rows, "baseline"), (axes[1], run_rows, "trained here")):
    ax.barh([r["component"] for r in rows], [r["int8 payload bytes"] / 1e6 for r in rows], color="C0")
    ax.set_xlabel("int8 payload (MB, before zlib)")
    ax.set_title(f"{title}: {sum(r['params'] for r in rows):,} params")
p.figure(fig, "components")

# %% [markdown]
# ## 2. Ablations of the main switches
# Every variant is the protocol's model plus one override, trained with every seed (seed-major
# order). One line per training below; the logs are in `train/<variant>_s<seed>/train.log`.

# %%
variants = p.variants(ablations)
results = p.train_variants(variants)
pages.show_table(pages.training_rows(results))

# %%
fig = pages.plot_curves(results, title="every training: train and validation loss (one line per seed)")
p.figure(fig, "loss_curves")

# %% [markdown]
# ## 3. Each ablation against the protocol's model
# One test per ablation: the challenge's rule on val_loss after the int8+zlib roundtrip (one-sided,
# improvement by more than 0.005 nats at p < 0.01, paired over the shared seeds). The plot shows each
# mean difference with the 95% interval of the paired differences.

# %%
rows = pages.summarize_variants(results, "val_loss")
pages.show_table(rows)
cmp = findings.compare(results, "baseline")
pages.show_table(cmp)
fig = pages.plot_differences(cmp, "nats", stats.CHALLENGE_MARGIN_NATS)
fig.axes[0].set_title("val_loss difference vs the protocol's model (int8+zlib roundtrip)")
p.figure(fig, "ablations")

# %% [markdown]
# ## Result: findings computed from this run
# Generated from this run's numbers (also in `metrics.json`): the run's scale, whether its models are
# trained, the component split, and one verdict per ablation under the rule stated first. With several
# ablations, a note says how often one would pass by luck.

# %%
ev = findings.training_evidence(results)
mult, mult_lines = findings.multiplicity(len(cmp))
blocks = sum(r["params"] for r in base_rows if r["component"] not in ("tok_emb", "lm_head"))
base_total = sum(r["params"] for r in base_rows)
split = {"baseline_params": base_total, "baseline_block_params": blocks, "baseline_block_pct": 100.0 * blocks / base_total,
         "trained_params": sum(r["params"] for r in run_rows)}
lines = [findings.scale_sentence(p.scale(results)), findings.training_sentence(ev), findings.rule_sentence(),
         *findings.comparison_sentences(cmp), *mult_lines,
         f"Components: the baseline's {split['baseline_params']:,} parameters are {split['baseline_block_pct']:.1f}% "
         f"block matrices and controls; the model trained here has {split['trained_params']:,}."]
summary = p.record(results, headline="baseline", findings=lines, variants=rows, comparisons=cmp,
                   verdict_rule=findings.rule(), multiple_comparisons=mult, training_evidence=ev, components=split)
findings.show(lines)
