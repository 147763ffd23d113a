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
# # 00 · The data, bits per byte, and the 16 MB budget
#
# **Question.** What exactly is scored? How are the shards laid out, how many UTF-8 bytes does a
# token carry with the sp1024 and sp4096 tokenizers, how does a per-token loss become val_bpb,
# and how much model fits into 16,000,000 bytes once the code is counted?
#
# **Method.** Read the shard headers and the first validation tokens; count bytes per token on
# each split and on identical raw text; check that the byte tables add up to the UTF-8 length of
# the decoded documents; score a context-free (unigram) model as a floor; train one model per
# seed with the `preset` and split its artifact bytes into model + code against the budget.
#
# Run it: `golfkit run notebooks/00_data_and_bpb.ipynb`
# (`-p data_dir data` for the full data; `-p smoke True` for the seconds-long CI version, whose numbers mean nothing).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
seeds = [1337, 42, 2025]  # type: list  one training run per seed
data_dir = "../shared/data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), e.g. data after golfkit data fetch
run_dir = "runs/scratch/00_data_and_bpb"  # type: str  the run folder (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the preset cap
overrides = {}  # type: dict  dotted config overrides applied to every training run (a reduced protocol, e.g. {"schedule.iterations": 40})
val_tokens = 0  # type: int  score only the first N validation targets, 0 scores the whole split (faster, noisier, not a challenge score)

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import budget, workbook

p = workbook.plan(smoke=smoke, preset=preset, seeds=seeds, data_dir=data_dir, run_dir=run_dir, nproc=nproc,
                  wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens)

# %% [markdown]
# ## 1. The shard format
# A shard is 256 little-endian int32 header words (magic 20240520, version 1, token count, zeros),
# then the tokens as uint16. Every document starts with BOS (id 1); there is no EOS.
# The first validation tokens, with the bytes the score charges for each:

# %%
ds_dir = p.data_dir / "datasets" / "fineweb10B_sp1024"
print({f.name: budget.shard_header(f) for f in sorted(ds_dir.glob("*.bin"))})
workbook.show_table(budget.token_rows(p.data_dir, "sp1024", n=16))

# %% [markdown]
# A piece's bytes are its UTF-8 length; a leading "▁" costs one space byte except right after
# BOS; a byte-fallback piece `<0xNN>` costs 1; BOS costs 0.
#
# ## 2. Bytes per token: sp1024 vs sp4096

# %%
bpt = budget.bytes_per_token(p.data_dir, ["sp1024", "sp4096"])
workbook.show_table(bpt)
same = budget.same_text(data_dir, ["sp1024", "sp4096"])
workbook.show_table(same)

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar([r["variant"] for r in same], [r["bytes/token"] for r in same], color=["C0", "C1"])
ax.set_ylabel("UTF-8 bytes per token")
ax.set_title("same 200 raw FineWeb documents")
p.figure(fig, "bytes_per_token")
plt.show()

# %% [markdown]
# ## 3. The byte accounting, checked
# val_bpb = Σ NLL / (ln 2 · Σ bytes). The byte tables must reproduce the UTF-8 length of the
# decoded validation documents exactly, or every score is mis-scaled.

# %%
check = budget.accounting_check(p.data_dir, "sp1024", docs=50)
print(check)
unigram = budget.unigram_bpb(p.data_dir, "sp1024")
print("context-free (unigram) floor:", unigram)

# %% [markdown]
# ## 4. Training and the 16,000,000-byte budget
# One run per seed. Artifact = compressed int8 model + the code bytes (the golfkit modules a run
# imports, until an exporter bundles one `train_gpt.py`).

# %%
results = p.train_variants({preset if not smoke else "smoke": {}})
rows = [{"seed": r["seed"], "val_bpb": r["val_bpb"], "val_loss": r["val_loss"], "bytes_model": r["bytes_model"],
         "bytes_code": r["bytes_code"], "bytes_total": r["bytes_total"], "params": r["model_params"],
         "steps": r["steps"]} for r in results]
workbook.show_table(rows)

# %%
r0 = results[0]
parts = budget.artifact_components(r0["artifact"])
workbook.show_table(parts)
ratio = sum(x["zlib bytes"] for x in parts) / sum(x["payload bytes"] for x in parts)
cap = budget.capacity(r0["bytes_code"], ratio)
workbook.show_table(cap)

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.5))
a1.barh(["model (int8+zlib)", "code", "room left"],
        [r0["bytes_model"], r0["bytes_code"], budget.BUDGET_BYTES - r0["bytes_total"]], color=["C0", "C1", "C7"])
a1.set_xlabel("bytes (budget 16,000,000)")
a1.set_title(f"seed {r0['seed']}: {r0['bytes_total']:,} bytes")
a2.bar([str(c["bits/param"]) for c in cap], [c["params that fit"] / 1e6 for c in cap], color="C2")
a2.set_xlabel("bits per parameter")
a2.set_ylabel("million params that fit")
a2.set_title(f"at the measured zlib/payload ratio {ratio:.2f}")
p.figure(fig, "budget")
plt.show()

# %%
summary = p.record(unigram_val_bpb=unigram["val_bpb"], bytes_per_token={r["variant"]: r["bytes/token"] for r in same},
                   accounting_match=check["match"], zlib_ratio=ratio)
print({k: summary[k] for k in ("val_bpb", "val_bpb_summary", "bytes_total", "seeds")})

# %% [markdown]
# ## Result and what it means
# The numbers above are this run's (see `metrics.json`; seeds listed there). Read them as:
# * **bytes/token**: sp4096 packs more bytes per token than sp1024 on the same text, so at equal
#   nats/token it scores a lower val_bpb, but its embedding costs 4x the rows of the budget.
# * **accounting**: `match: True` means the byte tables reproduce the decoded text's UTF-8 length,
#   so val_bpb is comparable with the leaderboard's.
# * **floor**: any trained model must beat the unigram val_bpb by a wide margin.
# * **budget**: the baseline's int8+zlib model and the code leave the room shown; lower-bit
#   formats multiply the parameters that fit (notebook 04 measures what they cost in val_bpb).
#
# Numbers from ../shared/data on a CPU are CPU-scale, mini-data numbers (1M train tokens).
