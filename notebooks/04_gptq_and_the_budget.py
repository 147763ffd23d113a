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
# # 04 · Formats, GPTQ vs RTN, compressors, and the size-vs-val_bpb frontier
#
# **Question.** For a trained model, what does each storage format cost in bytes and in validation
# loss, how much does GPTQ recover over round-to-nearest, which compressor packs the result best, and
# how many parameters of a baseline-shaped model does that let into the 16,000,000 bytes?
#
# **Method.** Train the protocol's model per seed with float checkpoints (reused when another notebook
# trained it). Re-export each float model through the export pipeline (`golfkit.quant.policy.quantize_policy`:
# every attention and MLP matrix at int8/6/5/4 per row, percentile clip, by RTN or by GPTQ with Hessians from
# the training stream; the embedding int8), pack each into an artifact with every compressor, and score
# each quantized model on the validation targets. (`golfkit.lab.quant_depth.format_sweep`.) Compressors
# are lossless, so they are compared by bytes alone; each lossy format gets one test against int8 RTN,
# and GPTQ one test against RTN at the same width. The budget table is `golfkit.lab.budget.fit_table`,
# the function notebook 00 uses.
#
# Run it: `golfkit run notebooks/04_gptq_and_the_budget.ipynb` (data from `data/`; `-p data_dir PATH` points
# elsewhere; `-p smoke True` is the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
jobs = 1  # type: int  trainings run side by side, each in its own process (iteration-capped only; jobs x threads at most the cores)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
protocol = "cpu-trained"  # type: str  named training protocol (golfkit.lab.workbook.PROTOCOLS), empty for preset and overrides only
seeds = [1337, 42, 2025]  # type: list  one training run per seed
data_dir = "data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), relative to the repository root
run_dir = "runs/scratch/04_gptq_and_the_budget"  # type: str  the run folder, relative to the repository root (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the protocol's
overrides = {}  # type: dict  dotted config overrides applied to every training run, after the protocol's
val_tokens = 0  # type: int  score only the first N validation targets, 0 keeps the protocol's (faster, noisier, not a challenge score)
bits = [8, 6, 5, 4]  # type: list  bit widths of the attention and MLP matrices
methods = ["rtn", "gptq"]  # type: list  rtn and/or gptq
compressors = ["zlib", "lzma", "zstd", "brotli"]  # type: list  compressors to try (missing ones are skipped)
calib_batches = 8  # type: int  training-stream batches for the GPTQ Hessians

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import budget, findings, pages, quant_depth, stats, workbook

p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir,
                  nproc=nproc, jobs=jobs, wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens)
comps = quant_depth.available_compressors(compressors)
print("compressors available:", comps)

# %% [markdown]
# ## 1. Train (or reuse) the protocol's model per seed
# One line per training; the logs are in `train/<variant>_s<seed>/train.log`.

# %%
results = p.train_variants({"baseline": {}})
pages.show_table(pages.training_rows(results))
fig = pages.plot_curves(results, title="the protocol's model per seed: train and validation loss")
p.figure(fig, "loss_curves")

# %% [markdown]
# ## 2. Every format x method x compressor

# %%
bits_used, calib = p.pick(bits, 2), p.smoke_or(calib_batches, 2)
rows = [row for r in results for row in quant_depth.format_sweep(r, p.data_dir, bits_used, methods, comps, calib)]
sizes = [{"format": f, "compressor": c,
          "model bytes (mean over seeds)": sum(x["model bytes"] for x in rows if (x["format"], x["compressor"]) == (f, c))
          / len(results)} for f in dict.fromkeys(x["format"] for x in rows) for c in comps]
pages.show_table(sizes)
best = {f: min(comps, key=lambda c: sum(x["model bytes"] for x in rows if (x["format"], x["compressor"]) == (f, c)))
        for f in dict.fromkeys(x["format"] for x in rows)}
print("smallest compressor per format:", best)

# %% [markdown]
# ## 3. What each lossy step costs: one test per comparison
# val_loss is the same for every compressor (they are lossless), so each format is scored once. Each
# format is tested against int8 RTN for a cost beyond the bar (one-sided, val_loss higher by more than 0.005
# nats at p < 0.01, paired over seeds), and GPTQ against RTN at the same width for a gain beyond the bar.

# %%
scored = [{"name": x["format"], "seed": x["seed"], "val_loss": x["val_loss"], "val_bpb": x["val_bpb"]}
          for x in rows if x["compressor"] == comps[0]]
ref = f"int{max(bits_used)} rtn"
cost = findings.compare(scored, ref, worse=True, names=[f"int{b} {m}" for b in bits_used if b != max(bits_used)
                                                        for m in methods])
gain = [c for b in bits_used if "gptq" in methods and "rtn" in methods
        for c in findings.compare([s for s in scored if s["name"] in (f"int{b} gptq", f"int{b} rtn")], f"int{b} rtn")]
pages.show_table(cost + gain)

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.2), gridspec_kw={"wspace": 0.45})
quant_depth.plot_frontier(rows, ax=a1)
for ci, comp in enumerate(comps):
    rs = [x for x in rows if x["compressor"] == comp and x["method"] == methods[0]]
    a2.plot([x["bits"] + 0.06 * ci for x in rs], [x["model bytes"] for x in rs], "o", color=f"C{ci}", label=comp)
a2.set_ylim(bottom=0)
a2.set_xlabel("bits per matrix weight (points offset per compressor)")
a2.set_ylabel("model bytes")
a2.set_title(f"compressors ({methods[0].upper()} codes, every seed)")
a2.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
p.figure(fig, "frontier")

# %% [markdown]
# ## 4. What the budget buys
# A baseline-shaped model at int8 costs what the NaiveBaseline record's int8+zlib model cost per parameter;
# each lower width costs that times how much better it compressed than int8 on these trained weights
# (`golfkit.lab.budget.fit_table`, the same function and the same first-seed model as notebook 00).

# %%
ratios = budget.matrix_ratios(results[0], sorted({8, *bits_used}, reverse=True))
layout = budget.baseline_layout()
fit = budget.fit_table(ratios, results[0]["bytes_code"], layout=layout)
pages.show_table(fit)

# %% [markdown]
# ## Result: findings computed from this run
# Generated from this run's numbers (also in `metrics.json`): the scale, whether the models are trained,
# the smallest compressor per format (bytes only: lossless), one verdict per lossy comparison under the stated
# rule, and the parameters that fit the budget.

# %%
ev = findings.training_evidence(results)
mult, mult_lines = findings.multiplicity(len(cost) + len(gain))
size_of = {(s["format"], s["compressor"]): s["model bytes (mean over seeds)"] for s in sizes}
lines = [findings.scale_sentence(p.scale(results)), findings.training_sentence(ev),
         "Compressors (lossless: bytes only, no test): the smallest per format is "
         + "; ".join(f"{f} {c} ({size_of[(f, c)]:,.0f} bytes, zlib {size_of[(f, 'zlib')]:,.0f})" if "zlib" in comps
                     else f"{f} {c} ({size_of[(f, c)]:,.0f} bytes)" for f, c in best.items()) + ".",
         findings.rule_sentence(worse=True) + " GPTQ against RTN uses the improvement form of the same rule.",
         *findings.comparison_sentences(cost + gain), *mult_lines,
         "Budget: at the compression measured here, a baseline-shaped model fits "
         + ", ".join(f"{f['params that fit']:,} parameters at int{f['bits']}" for f in fit) + "."]
summary = p.record(results, findings=lines, formats=rows, sizes=sizes, comparisons=cost + gain,
                   verdict_rule=findings.rule(), multiple_comparisons=mult, training_evidence=ev,
                   budget_ratios=ratios, budget_fit=fit, baseline_layout=layout, smallest_compressor=best)
findings.show(lines)
