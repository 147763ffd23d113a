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
# **Question.** For a trained model, what does each storage format cost in bytes and in val_bpb,
# how much does GPTQ recover over round-to-nearest, which compressor packs the result best, and what
# does that frontier say about spending the 16,000,000 bytes?
#
# **Method.** Train the preset per seed with float checkpoints. Re-export each float model through the
# export pipeline (`golfkit.quant.policy.quantize_policy`: attention and MLP matrices at int8/6/5/4 per row,
# percentile clip, by RTN or by GPTQ with Hessians from the training stream; the embedding int8;
# small tensors fp16 as the baseline), pack each into an artifact with every compressor, and score
# each quantized model on the whole validation split. (`golfkit.lab.quant_depth.format_sweep`.)
#
# Run it: `golfkit run notebooks/04_gptq_and_the_budget.ipynb` (`-p data_dir data` for the full challenge data; `-p smoke True` for the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
seeds = [1337, 42, 2025]  # type: list  one training run per seed
data_dir = "../shared/data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), e.g. data after golfkit data fetch
run_dir = "runs/scratch/04_gptq_and_the_budget"  # type: str  the run folder (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the preset cap
overrides = {}  # type: dict  dotted config overrides applied to every training run (a reduced protocol, e.g. {"schedule.iterations": 40})
val_tokens = 0  # type: int  score only the first N validation targets, 0 scores the whole split (faster, noisier, not a challenge score)
bits = [8, 6, 5, 4]  # type: list  bit widths of the attention and MLP matrices
methods = ["rtn", "gptq"]  # type: list  rtn and/or gptq
compressors = ["zlib", "lzma", "zstd", "brotli"]  # type: list  compressors to try (missing ones are skipped)
calib_batches = 8  # type: int  training-stream batches for the GPTQ Hessians

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import budget, quant_depth, workbook

p = workbook.plan(smoke=smoke, preset=preset, seeds=seeds, data_dir=data_dir, run_dir=run_dir, nproc=nproc,
                  wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens, save_checkpoint=True)
comps = quant_depth.available_compressors(compressors)
print("compressors available:", comps)

# %% [markdown]
# ## 1. Train (float checkpoints kept)

# %%
results = p.train_variants({p.preset: {}})
workbook.show_table([{"seed": r["seed"], "float val_bpb": r["pre_quant_val_bpb"], "int8+zlib val_bpb": r["val_bpb"],
                      "bytes_model": r["bytes_model"], "bytes_code": r["bytes_code"], "params": r["model_params"]}
                     for r in results])

# %% [markdown]
# ## 2. Every format x method x compressor

# %%
bits_used, calib = p.pick(bits, 2), p.smoke_or(calib_batches, 2)
rows = [row for r in results for row in quant_depth.format_sweep(r, p.data_dir, bits_used, methods, comps, calib)]
fmt_rows = workbook.summarize_variants([{**x, "name": f"{x['format']} {x['compressor']}", "bytes_total": x["total bytes"]}
                                        for x in rows], "val_bpb")
workbook.show_table(fmt_rows)
print("\n".join(workbook.findings(fmt_rows)))

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.2))
quant_depth.plot_frontier(rows, ax=a1)
for ci, comp in enumerate(comps):
    rs = [x for x in rows if x["compressor"] == comp and x["method"] == methods[0]]
    a2.plot([x["bits"] for x in rs], [x["model bytes"] for x in rs], "o", color=f"C{ci}", label=comp)
a2.set_xlabel("bits per matrix weight")
a2.set_ylabel("model bytes")
a2.set_title(f"compressors ({methods[0].upper()} codes)")
a2.legend()
p.figure(fig, "frontier")
plt.show()

# %% [markdown]
# ## 3. What the budget buys
# Scaling the measured bytes per parameter of each format to the 16,000,000-byte budget:

# %%
fit_rows = quant_depth.budget_fit(rows, results[0], comps[0], budget.BUDGET_BYTES)
workbook.show_table(fit_rows)
summary = p.record(results, formats=fmt_rows, budget_fit=fit_rows)
print({k: summary[k] for k in ("val_bpb", "val_bpb_summary", "seeds")})

# %% [markdown]
# ## Result and what it means
# The format table gives, per format and compressor, the mean val_bpb over the seeds listed and
# its difference from int8 (first row) with a paired t-test over the seeds (and Welch); the frontier plots bytes against val_bpb.
# A format is worth it when the parameters it frees (last table) buy more val_bpb than its
# quantization gap costs; GPTQ's value is the vertical distance between its curve and RTN's at
# equal bytes. Smoke models are too small for most matrices to be quantized at all (the export keeps
# tensors of <= 65,536 elements in fp16), so only full runs show the frontier.
# Numbers from ../shared/data on a CPU are CPU-scale, mini-data numbers.
#
# **Recorded run** `runs/20261122_04_gptq_and_the_budget_cpu-small_40it` (40 steps x 6,144 tokens, 3 seeds, first
# 65,536 targets; CPU-scale, mini data): against int8 RTN, int6 and int5 cost nothing measurable (≤ +0.0004 bpb);
# int4 RTN costs +0.0022 (paired p=0.0004) and GPTQ cuts that to +0.0006. Brotli is the smallest compressor at every
# width. A 3M-parameter model spends 1.18–1.30 bytes per parameter (fp16 embedding and small tensors), so the formats
# free little here; near-init weights quantize easily, so trust a trained model's frontier over this one.

