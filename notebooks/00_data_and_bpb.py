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
# # 00 · The data, bits per byte, the 16 MB budget, and the training protocol
#
# **Question.** What exactly is scored? How are the shards laid out, how many UTF-8 bytes does a
# token carry with the sp1024 and sp4096 tokenizers, how does a per-token loss become val_bpb,
# how much model fits into 16,000,000 bytes once the code is counted, and is the workbook's
# training protocol long enough that its models are trained rather than initialised?
#
# **Method.** Read the shard headers and the first validation tokens; count bytes per token on
# each split and on identical raw text; check that the byte tables add up to the UTF-8 length of
# the decoded documents; score a context-free (unigram) model as a floor. Train the protocol's
# model once per seed, plot its train and validation loss, and train one seed again at other
# lengths (`horizon`) to see whether a longer run would still help. Split the artifact's bytes
# into model and code, measure how well each bit width compresses on the trained weights, and
# scale that to a baseline-shaped model (the same function as notebook 04).
#
# Run it: `golfkit run notebooks/00_data_and_bpb.ipynb` (the data folder defaults to `data/`, what
# `golfkit data fetch` writes; `-p data_dir PATH` points elsewhere; `-p smoke True` is the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
jobs = 1  # type: int  trainings run side by side, each in its own process (iteration-capped only; jobs x threads at most the cores)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
protocol = "cpu-trained"  # type: str  named training protocol (golfkit.lab.workbook.PROTOCOLS), empty for preset and overrides only
seeds = [1337, 42, 2025]  # type: list  one training run per seed
data_dir = "data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), relative to the repository root
run_dir = "runs/scratch/00_data_and_bpb"  # type: str  the run folder, relative to the repository root (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the protocol's
overrides = {}  # type: dict  dotted config overrides applied to every training run, after the protocol's
val_tokens = 0  # type: int  score only the first N validation targets, 0 keeps the protocol's (faster, noisier, not a challenge score)
horizon = [0.5, 2.0]  # type: list  step multipliers trained again on the first seed, to check that longer training would not help
bits = [8, 6, 5, 4]  # type: list  bit widths of the budget table

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import budget, findings, pages, workbook

p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir,
                  nproc=nproc, jobs=jobs, wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens)
source = workbook.resolve_path(data_dir)  # the whole data folder (p.data_dir may be a validation-head copy)

# %% [markdown]
# ## 1. The shard format
# A shard is 256 little-endian int32 header words (magic, version, token count, zeros),
# then the tokens as uint16. Every document starts with BOS; there is no EOS.
# The first validation tokens, with the bytes the score charges for each:

# %%
ds_dir = source / "datasets" / "fineweb10B_sp1024"
pages.show_table([{"file": f.name, **budget.shard_header(f)} for f in sorted(ds_dir.glob("*.bin"))])
pages.show_table(budget.token_rows(source, "sp1024", n=16))

# %% [markdown]
# A piece's bytes are its UTF-8 length; a leading "▁" costs one space byte except right after
# BOS; a byte-fallback piece `<0xNN>` costs one byte; BOS costs nothing.
#
# ## 2. Bytes per token: sp1024 vs sp4096

# %%
bpt = budget.bytes_per_token(source, ["sp1024", "sp4096"])
pages.show_table(bpt)
same = budget.same_text(source, ["sp1024", "sp4096"])
pages.show_table(same)

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar([r["variant"] for r in same], [r["bytes/token"] for r in same], color=["C0", "C1"])
ax.set_ylabel("UTF-8 bytes per token")
ax.set_title(f"the same {same[0]['documents']} raw FineWeb documents")
p.figure(fig, "bytes_per_token")

# %% [markdown]
# ## 3. The byte accounting, checked
# val_bpb = Σ NLL / (ln 2 · Σ bytes). The byte tables must reproduce the UTF-8 length of the
# decoded validation documents exactly, or every score is mis-scaled.

# %%
check = budget.accounting_check(source, "sp1024", docs=50)
pages.show_table([check])
unigram = budget.unigram_bpb(p.data_dir, "sp1024")  # scored on the same targets as the models
pages.show_table([{"model": "context-free (unigram, train-split frequencies)", **unigram}])

# %% [markdown]
# ## 4. The protocol's model, trained once per seed, and the horizon check
# Each training's log is in `train/<variant>_s<seed>/train.log`; the page gets one line per training.
# The horizon runs train the first seed for a multiple of the protocol's steps (the same schedule shape):
# if the longer run does not end lower, the protocol's model is as trained as this data allows.

# %%
results = p.train_variants({"baseline": {}})
steps = results[0]["steps"]
horizon_runs = p.train_variants({f"steps_x{m:g}": {"schedule.iterations": max(1, int(round(m * steps)))}
                                 for m in horizon}, seeds=p.seeds[:1])
pages.show_table(pages.training_rows(results + horizon_runs))

# %%
fig = pages.plot_curves(results + horizon_runs, title="protocol model per seed, and the horizon runs (first seed)")
p.figure(fig, "loss_curves")

# %% [markdown]
# ## 5. The 16,000,000-byte budget
# Artifact = compressed model + the code of the exported `train_gpt.py`. Then: how well does each bit
# width compress on these trained weights, and how many parameters of a baseline-shaped model would fit?
# At int8 the rate is the NaiveBaseline record's own; lower widths scale it by how much better they compressed
# than int8 here (`golfkit.lab.budget.fit_table`, shared with notebook 04).

# %%
r0 = results[0]
pages.show_table([{"seed": r["seed"], "val_bpb": r["val_bpb"], "bytes_model": r["bytes_model"],
                      "bytes_code": r["bytes_code"], "bytes_total": r["bytes_total"], "params": r["model_params"]}
                     for r in results])
ratios = budget.matrix_ratios(r0, bits)
layout = budget.baseline_layout()
fit = budget.fit_table(ratios, r0["bytes_code"], layout=layout)
pages.show_table(ratios)
pages.show_table(fit)
pages.show_table([{"baseline": "layout (golfkit int8 export rule)", **layout},
                     {"baseline": "NaiveBaseline record", **budget.BASELINE_RECORD}])

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.5), gridspec_kw={"wspace": 0.4})
a1.barh(["model", "code", "room left"],
        [r0["bytes_model"], r0["bytes_code"], budget.BUDGET_BYTES - r0["bytes_total"]], color=["C0", "C1", "C7"])
a1.set_xlabel(f"bytes (budget {budget.BUDGET_BYTES:,})")
a1.set_title(f"seed {r0['seed']}: {r0['bytes_total']:,} bytes")
a2.bar([f"int{f['bits']}" for f in fit], [f["params that fit"] / 1e6 for f in fit], color="C2")
a2.axhline(layout["params"] / 1e6, color="k", ls="--", lw=1, label="baseline's parameters")
a2.set_ylabel("million parameters that fit")
a2.set_title("baseline-shaped model, at the compression measured here")
a2.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
p.figure(fig, "budget")

# %% [markdown]
# ## Result: findings computed from this run
# The sentences below are generated from this run's numbers (the same values are in `metrics.json`):
# the run's scale next to the challenge's, whether the models are trained (flattening, horizon, train/val
# gap), the context-free floor, the tokenizers' bytes per token, and the budget. Nothing here ranks
# variants, so no significance test is made.

# %%
ev = findings.training_evidence(results)
by_len = {r["name"]: r for r in horizon_runs}
horizon_info = {"protocol_val_loss": r0["val_loss_end"],
                "runs": {k: {"steps": r["steps"], "val_loss": r["val_loss_end"],
                             "change_pct": 100.0 * (r["val_loss_end"] - r0["val_loss_end"]) / r0["val_loss_end"]}
                         for k, r in by_len.items()}}
trained = pages.summarize_variants(results, "val_bpb")[0]
extra = {"unigram": unigram, "bytes_per_token": same, "accounting": check, "training_evidence": ev,
         "horizon": horizon_info, "budget_ratios": ratios, "budget_fit": fit, "baseline_layout": layout,
         "baseline_record": budget.BASELINE_RECORD, "trained_val_bpb": trained,
         "room_left": budget.BUDGET_BYTES - r0["bytes_total"], "budget_bytes": budget.BUDGET_BYTES,
         "record_zlib_ratio": budget.BASELINE_RECORD["bytes_model"] / budget.BASELINE_RECORD["payload_bytes"],
         "ci_level": findings.CI_LEVEL}
int8 = next((f for f in fit if f["bits"] == 8), None)
lines = [findings.scale_sentence(p.scale(results)), findings.training_sentence(ev)]
lines += [f"Horizon (seed {r0['seed']}): the protocol's {r0['steps']:,} steps end at val_loss {r0['val_loss_end']:.4f}; "
          f"{r['steps']:,} steps end at {r['val_loss']:.4f} ({r['change_pct']:+.2f}%)." for r in horizon_info["runs"].values()]
lines += [findings.interval_sentence("Trained model, val_bpb after the int8+zlib roundtrip", trained["values"], "bpb")
          + f", against {unigram['val_bpb']:.4f} bpb for the context-free unigram floor.",
          f"Bytes per token on the same {same[0]['documents']} documents: "
          + ", ".join(f"{r['variant']} {r['bytes/token']:.3f}" for r in same)
          + f"; the byte tables {'match' if check['match'] else 'do NOT match'} the UTF-8 length of "
          f"{check['documents']} decoded validation documents ({check['utf8 bytes']:,} bytes).",
          f"Budget (seed {r0['seed']}): model {r0['bytes_model']:,} + code {r0['bytes_code']:,} = {r0['bytes_total']:,} bytes, "
          f"{extra['room_left']:,} left of {budget.BUDGET_BYTES:,}."]
if int8:
    lines.append(f"Parameters of a baseline-shaped model that fit {budget.BUDGET_BYTES:,} bytes with this run's code: "
                 + ", ".join(f"{f['params that fit']:,} at int{f['bits']}" for f in fit)
                 + f" (int8 at the NaiveBaseline record's rate: {budget.BASELINE_RECORD['params']:,} parameters in "
                 f"{budget.BASELINE_RECORD['bytes_model']:,} bytes; lower widths scaled by how much better they "
                 f"compressed than int8 here, e.g. int{fit[-1]['bits']} at {fit[-1]['rate vs int8 here']:.3f} of int8's bytes). "
                 f"This model's own int8 matrices compress to {int8['zlib/payload here']:.3f} of their payload, the "
                 f"record's whole model to {budget.BASELINE_RECORD['bytes_model'] / budget.BASELINE_RECORD['payload_bytes']:.3f}.")
summary = p.record(results, headline="baseline", findings=lines, **extra)
findings.show(lines)
