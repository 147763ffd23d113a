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
# is by more than 0.005 nats of val_loss at p < 0.01, and what would its submission hold?
#
# **Method.** Train the candidate and a reference config with every seed (both reused when another
# notebook trained them). Test the candidate's per-seed val_loss (1) against the reference runs with
# the challenge's rule: one-sided, paired over the shared seeds (H0: mean(candidate − reference) ≥ −0.005);
# (2) against a published target with a one-sided one-sample t-test (H0: mean ≥ target − 0.005), for a
# record whose per-seed numbers you do not have; (3) optionally against runs recorded earlier
# (`compare_runs`, one-sided Welch: different seeds). Export the submission folder: one standalone
# train_gpt.py (`golfkit export`), submission.json with the seed means, and the per-seed logs.
#
# Run it: `golfkit run notebooks/05_submission.ipynb -p seeds "[1, 2, 3, 4, 5]"` (data from `data/`;
# `-p data_dir PATH` points elsewhere; `-p smoke True` is the seconds-long CI version).

# %% tags=["parameters"]
smoke = False  # type: bool  tiny model and a few steps (CI); numbers are meaningless
nproc = 1  # type: int  processes per node: torchrun when > 1 (8 on 8xH100)
jobs = 1  # type: int  trainings run side by side, each in its own process (iteration-capped only; jobs x threads at most the cores)
preset = "cpu-small"  # type: str  golfkit preset: cpu-small on a CPU, baseline on 8xH100
protocol = "cpu-trained"  # type: str  named training protocol (golfkit.lab.workbook.PROTOCOLS), empty for preset and overrides only
seeds = [1337, 42, 2025]  # type: list  one training run per seed and config
data_dir = "data"  # type: str  data folder in the challenge layout (datasets/, tokenizers/), relative to the repository root
run_dir = "runs/scratch/05_submission"  # type: str  the run folder, relative to the repository root (golfkit run sets it)
wallclock_seconds = 0.0  # type: float  training cap per run in seconds, 0 keeps the protocol's
overrides = {}  # type: dict  dotted config overrides applied to every training run, after the protocol's
val_tokens = 0  # type: int  score only the first N validation targets, 0 keeps the protocol's (faster, noisier, not a challenge score)
candidate = {"model.mlp_mult": 3}  # type: dict  config overrides of the candidate
reference = {}  # type: dict  config overrides of the reference (the record to beat)
target_val_loss = 0.0  # type: float  published record val_loss in nats, 0 skips the one-sample test
compare_runs = []  # type: list  recorded run ids or globs to Welch-test against too
runs_dir = "runs"  # type: str  where compare_runs are looked up, relative to the repository root
margin_nats = 0.005  # type: float  required improvement in nats
alpha = 0.01  # type: float  significance level
submission_name = "golfkit candidate"  # type: str  name in submission.json

# %%
# %matplotlib inline
import matplotlib.pyplot as plt

from golfkit.lab import compare, findings, pages, stats, workbook

p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir,
                  nproc=nproc, jobs=jobs, wallclock_seconds=wallclock_seconds, overrides=overrides, val_tokens=val_tokens,
                  smoke_seeds=2)

# %% [markdown]
# ## 1. Multi-seed runs of the candidate and the reference
# One line per training; the logs are in `train/<config>_s<seed>/train.log`.

# %%
results = p.train_variants({"candidate": candidate, "reference": reference})
cand = [r for r in results if r["name"] == "candidate"]
ref = [r for r in results if r["name"] == "reference"]
pages.show_table(pages.training_rows(results))
fig = pages.plot_curves(results, title="candidate and reference: train and validation loss (one line per seed)")
p.figure(fig, "loss_curves")

# %% [markdown]
# ## 2. Significance (lower is better; margin in nats of val_loss)

# %%
cmp = findings.compare(results, "reference", margin=margin_nats, alpha=alpha)
cand_loss = [r["val_loss"] for r in cand]
others = {}
if target_val_loss > 0:
    others["vs published target"] = stats.vs_target(cand_loss, target_val_loss, margin_nats, alpha)
for pattern in compare_runs:
    other = compare.pooled_values(pattern, str(workbook.resolve_path(runs_dir)), "val_loss")
    others[f"vs {pattern}"] = stats.welch(cand_loss, other, margin_nats, alpha)
pages.show_table(cmp + [{"variant": "candidate", "reference": k, **t.to_dict()} for k, t in others.items()])
bpt = cand[0]["val_bytes"] / cand[0]["val_tokens"]
margin_bpb = stats.nats_to_bpb(margin_nats, bpt)
sd = stats.summarize([c["val_loss"] - r["val_loss"] for c, r in zip(sorted(cand, key=lambda x: x["seed"]),
                                                                     sorted(ref, key=lambda x: x["seed"]))]).std
need = stats.seeds_needed(sd, 2 * margin_nats, margin_nats, alpha) if sd == sd else None
print(f"margin in bpb at {bpt:.3f} bytes/token: {margin_bpb:.5f}; seeds needed for a true gain of twice the margin "
      f"at this spread of paired differences: {need}")

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 3.2), gridspec_kw={"wspace": 0.5})
for i, (name, vals) in enumerate((("candidate", cand_loss), ("reference", [r["val_loss"] for r in ref]))):
    s = stats.summarize(vals)
    a1.plot([i] * len(vals), vals, "o", color=f"C{i}", alpha=0.6)
    a1.errorbar(i + 0.15, s.mean, yerr=s.ci95 if s.n > 1 else 0, fmt="s", color="k", capsize=4)
a1.set_xticks([0, 1], ["candidate", "reference"])
a1.set_ylabel("val_loss (nats/token): seeds, mean ± 95% interval")
pages.plot_differences(cmp, "nats", margin_nats, ax=a2)
p.figure(fig, "significance")

# %% [markdown]
# ## 3. Export
# The records' folder layout: `train_gpt.py` (every golfkit module the run needs, minified and
# lzma+base85-wrapped: the counted code), `train_gpt_readable.py` for review, README.md,
# requirements.txt, submission.json with the challenge's fields (seed means) and one log per seed.
# The export refuses a candidate whose model + train_gpt.py bytes exceed 16,000,000.

# %%
dest = workbook.export_submission(cand, p.run_dir / "submission", submission_name,
                                  blurb=f"{p.preset} ({p.protocol}) + {candidate}, {len(cand)} seeds")
print(sorted(x.name for x in dest.iterdir()))
print((dest / "submission.json").read_text())
code = (dest / "train_gpt.py").stat().st_size

# %% [markdown]
# ## Result: findings computed from this run
# Generated from this run's numbers (also in `metrics.json`): the scale, whether the models are trained,
# the verdict of each test under the stated rule, and what the submission folder holds.

# %%
ev = findings.training_evidence(results)
mult, mult_lines = findings.multiplicity(len(cmp) + len(others), alpha)
sub = {"train_gpt_bytes": code, "margin_bpb": margin_bpb, "bytes_per_token": bpt, "seeds_needed": need,
       "paired_diff_std": sd, "bytes_total": max(r["bytes_model"] for r in cand) + code}
lines = [findings.scale_sentence(p.scale(results)), findings.training_sentence(ev),
         findings.rule_sentence(margin_nats, alpha), *findings.comparison_sentences(cmp),
         *[f"candidate {k}: {t.test}, mean difference {t.diff:+.4f} nats, p={t.pvalue:.3g}: "
           f"{'clears the bar' if t.significant else 'not established'}." for k, t in others.items()],
         *mult_lines,
         f"The bar of {margin_nats} nats is {margin_bpb:.5f} bpb at this split's {bpt:.3f} bytes per token"
         + (f"; at the spread of the paired differences seen here, {need} seeds would make a true gain of twice the bar "
            f"significant." if need else "."),
         f"Submission folder: train_gpt.py {code:,} bytes, largest model + code {sub['bytes_total']:,} bytes."]
summary = p.record(results, headline="candidate", findings=lines, comparisons=cmp, verdict_rule=findings.rule(margin_nats, alpha),
                   tests={k: t.to_dict() for k, t in others.items()}, multiple_comparisons=mult,
                   training_evidence=ev, submission=sub, target_val_loss=target_val_loss)
findings.show(lines)
