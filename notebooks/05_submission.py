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
# # 05 · Choosing a config, multi-seed runs, significance, export
#
# **Question.** Does a candidate config beat the record it targets by the challenge's bar, that
# is by at least 0.005 nats of val_loss at p < 0.01, and what would its submission hold?
#
# **Method.** Train the candidate and a reference config with every seed. Test the candidate's
# per-seed val_loss (1) against a target with a one-sided one-sample t-test of
# H0: mean ≥ target − 0.005, and (2) against the reference runs (and optionally runs recorded
# earlier, `compare_runs`) with a one-sided Welch test of H0: mean(candidate) ≥ mean(other) − 0.005
# (`golfkit.lab.stats`, scipy.stats). Export the submission folder: one standalone train_gpt.py
# (`golfkit export`), submission.json with the seed means, and the per-seed logs.
#
# Run it: `golfkit run notebooks/05_submission.ipynb -p data_dir ../shared/data -p seeds "[1, 2, 3, 4, 5]"` (`-p data_dir data` for the full challenge data; `-p smoke True` for the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
seeds = [1337, 42, 2025]  # type: list  one training run per seed and config
data_dir = "../shared/data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), e.g. data after golfkit data fetch
run_dir = "runs/scratch/05_submission"  # type: str  the run folder (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the preset cap
overrides = {}  # type: dict  dotted config overrides applied to every training run (a reduced protocol, e.g. {"schedule.iterations": 40})
val_tokens = 0  # type: int  score only the first N validation targets, 0 scores the whole split (faster, noisier, not a challenge score)
candidate = {"model.mlp_mult": 3}  # type: dict  config overrides of the candidate
reference = {}  # type: dict  config overrides of the reference (the record to beat)
target_val_loss = 0.0  # type: float  published record val_loss in nats, 0 uses the reference mean
compare_runs = []  # type: list  recorded run ids or globs to Welch-test against too
runs_dir = "runs"  # type: str  where compare_runs are looked up
margin_nats = 0.005  # type: float  required improvement in nats
alpha = 0.01  # type: float  significance level
submission_name = "golfkit candidate"  # type: str  name in submission.json

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import compare, stats, workbook

p = workbook.plan(smoke=smoke, preset=preset, seeds=seeds, data_dir=data_dir, run_dir=run_dir, nproc=nproc,
                  wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens, smoke_seeds=2)

# %% [markdown]
# ## 1. Multi-seed runs of the candidate and the reference

# %%
results = p.train_variants({"candidate": candidate, "reference": reference})
cand = [r for r in results if r["name"] == "candidate"]
ref = [r for r in results if r["name"] == "reference"]
rows = workbook.summarize_variants(results, "val_loss", reference="reference")
workbook.show_table(rows)
print("\n".join(workbook.findings(rows, "val_loss", unit="nats")))
workbook.show_table([{"config": r["name"], "seed": r["seed"], "val_loss": r["val_loss"], "val_bpb": r["val_bpb"],
                      "bytes_total": r["bytes_total"]} for r in results])

# %% [markdown]
# ## 2. Significance (lower is better; margin in nats of val_loss)

# %%
cand_loss = [r["val_loss"] for r in cand]
ref_loss = [r["val_loss"] for r in ref]
target = target_val_loss if target_val_loss > 0 else stats.summarize(ref_loss).mean
tests = {"vs target": stats.vs_target(cand_loss, target, margin_nats, alpha),
         "vs reference": stats.welch(cand_loss, ref_loss, margin_nats, alpha)}
for pattern in compare_runs:
    other = compare.pooled_values(pattern, runs_dir, "val_loss")
    tests[f"vs {pattern}"] = stats.welch(cand_loss, other, margin_nats, alpha)
print(f"target val_loss: {target:.5f} nats; candidate: {stats.summarize(cand_loss)}; reference: {stats.summarize(ref_loss)}")
for name, t in tests.items():
    print(f"{name:>14}: {t.line()}")
bpt = cand[0]["val_tokens"] and cand[0]["val_bytes"] / cand[0]["val_tokens"]
print(f"the margin in bpb at {bpt:.3f} bytes/token: {stats.nats_to_bpb(margin_nats, bpt):.5f}")
sd = stats.summarize(cand_loss + ref_loss).std
print("seeds needed for a 0.01-nat true gain at this spread:", stats.seeds_needed(sd, 0.01, margin_nats, alpha))

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4))
for i, (name, vals) in enumerate((("candidate", cand_loss), ("reference", ref_loss))):
    a1.scatter([i] * len(vals), vals, color=f"C{i}", zorder=3)
    a1.errorbar(i + 0.15, stats.summarize(vals).mean, yerr=stats.summarize(vals).ci95 if len(vals) > 1 else 0,
                fmt="o", color="k", capsize=4)
a1.axhline(target - margin_nats, color="C3", ls="--", label=f"target − {margin_nats}")
a1.set_xticks([0, 1], ["candidate", "reference"])
a1.set_ylabel("val_loss (nats/token)")
a1.legend()
workbook.plot_loss_curves(results, title="train loss", ax=a2)
p.figure(fig, "significance")
plt.show()

# %% [markdown]
# ## 3. Export
# The records' folder layout: `train_gpt.py` (every golfkit module the run needs, minified and
# lzma+base85-wrapped: the counted code), `train_gpt_readable.py` for review, README.md,
# requirements.txt, submission.json with the challenge's fields (seed means) and one log per seed.
# The export refuses a candidate whose model + train_gpt.py bytes exceed 16,000,000.

# %%
dest = workbook.export_submission(cand, p.run_dir / "submission", submission_name,
                                  blurb=f"{p.preset} + {candidate}, {len(cand)} seeds")
print(sorted(x.name for x in dest.iterdir()))
print((dest / "submission.json").read_text())
code = (dest / "train_gpt.py").stat().st_size
print(f"train_gpt.py: {code:,} bytes (the run itself counted {cand[0]['bytes_code']:,} bytes of golfkit modules)")
summary = p.record(results, headline="candidate", tests={k: t.to_dict() for k, t in tests.items()},
                   target_val_loss=target)

# %% [markdown]
# ## Result and what it means
# The printed tests state, for the seeds listed, the candidate's mean val_loss difference, the
# t statistic, its degrees of freedom and p. Only "significant at p < 0.01" with a difference
# beyond −0.005 nats clears the challenge's bar; anything else needs more seeds (see the
# estimate) or a larger gain. Smoke runs use 2 seeds and a few steps: their verdicts are noise.
# The exported train_gpt.py reproduces a run's score exactly (tests/test_export.py runs it alone,
# in a folder with nothing else, and compares `final_int8_zlib_roundtrip_exact`).
#
# **Recorded run** `runs/20261122_05_submission_cpu-small_40it` (mlp3x vs cpu-small, 40 steps x 6,144 tokens, 3
# seeds, first 65,536 targets; CPU-scale, mini data): −0.0266 nats (4.8054 ± 0.0067 vs 4.8320 ± 0.0093), p = 0.015
# (one-sample) and 0.018 (Welch): five times the margin and still not significant at p < 0.01 with 3 seeds.

