"""Golden runs: record what golfkit does through its public surface, then compare two records.

    python benchmarks/golden.py record OUT --data DATA [--ref OLD_OUT] [--only NAME,...]
    python benchmarks/golden.py compare OLD_OUT NEW_OUT

`record` drives golfkit only through `python -m golfkit` (so it works on any source layout) and
writes into OUT:

* runs/<group>/: a smoke-preset training run per switch group (every architecture switch, depth
  system, optimizer/schedule switch, quantization scheme and QAT mode is on in one of them),
  with train.log, metrics.json and the artifact;
* eval/<method>.txt: `golfkit eval --artifact` of the smoke run's artifact under every eval
  method (and, with --ref, of the *reference* record's artifacts: pre-move artifacts scored by
  this code);
* help/*.txt: `golfkit --help` and every subcommand's --help; techniques.txt
  (`python -m golfkit.techniques`); config/<preset>.json (`--print-config` of every preset);
* export/<preset>/: `golfkit export --preset` of every preset (train_gpt.py and its byte count);
* timings.json: import time of `import golfkit` and of `golfkit train --help` (best of N).

`compare` prints, per item, identical / differs (with the differing lines), ignoring the fields that
measure time (train_time, step_avg, eval_time, wall_seconds, ...). Run it with OMP_NUM_THREADS=1:
the smoke runs are bit-reproducible at one thread. CPU-scale, mini data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# group -> --set overrides on the smoke preset. Together they turn on every switch of
# golfkit.techniques (SWITCHES and RUN_SWITCHES, values as the switches set them at smoke scale),
# both quantization schemes, GPTQ with both calibration sources, LQER, pruning, every compressor
# and both QAT modes.
GROUPS: dict[str, list[str]] = {
    "smoke": [],
    "arch_a": ["model.parallel_residual=two_lane", "model.parallel_start=0", "model.xsa_last_n=2",
               "model.smear_gate=true", "model.bigram_buckets=3072", "model.bigram_dim=112", "model.ve_dim=128",
               "model.ve_layers=[0,1]", "model.rope_dims=16", "model.ln_scale=true", "model.mlp_act=leaky_relu2",
               "model.qk_gain_init=5.0", "model.skip_gates=true", "model.attn_gate=sparse",
               "model.value_residual=true", "model.mtp_heads=4", "model.mtp_loss_weight=0.3",
               "model.init=orthogonal_scaled"],
    "arch_b": ["model.parallel_residual=gptj", "model.xsa_last_n=-1", "model.mlp_act=swiglu", "model.mlp_mult=3",
               "model.attn_gate=dense", "model.diff_attn=true", "model.init=orthogonal"],
    "arch_c": ["model.attn_gate=narrow", "model.num_layers=4", "model.skip_gates=true"],
    "loop_lora_opt": ["model.num_loops=2", "model.loop_start=1", "model.loop_end=1", "model.enable_looping_at=0.35",
                      "model.loop_lora_rank=8", "optim.muon_row_normalize=true", "optim.muon_ns=polar_express",
                      "optim.muon_momentum=0.99", "optim.muon_momentum_warmup_start=0.92",
                      "optim.muon_momentum_warmup_steps=5", "optim.muon_wd=0.04", "optim.wd_schedule=taper",
                      "optim.embed_wd=0.085", "optim.scalar_wd=0.02", "optim.grad_clip_norm=0.3",
                      "schedule.warmdown_kind=fraction", "schedule.warmdown_frac=0.72", "schedule.min_lr=0.10",
                      "optim.weight_averaging=ema", "optim.ema_decay=0.9", "schedule.warmup_steps=2"],
    "loop_carry_swa": ["model.num_layers=4", "model.num_loops=2", "model.loop_start=1", "model.loop_end=2",
                       "model.enable_looping_at=0.35", "model.recur_carry=true", "model.recur_beta=[1.56,1.85]",
                       "model.recur_alpha=[[0.23,0.04],[0.13,-0.34]]", "optim.weight_averaging=swa",
                       "optim.swa_every=2", "optim.muon_wd=0.02", "optim.wd_schedule=ramp",
                       "schedule.warmdown_kind=fraction", "schedule.train_seq_len=256"],
    "middle_cycle_lawa": ["model.num_layers=4", "model.num_loops=2", "model.loop_start=1", "model.loop_end=2",
                          "model.enable_looping_at=0.0", "optim.weight_averaging=lawa", "optim.lawa_every=2",
                          "optim.muon_wd=0.04", "schedule.train_batch_tokens=8192"],
    "deq": ["model.num_layers=3", "model.deq_layer=1"],
    "seed_lora": ['model.seed_lora_targets=["mlp.fc","mlp.proj"]', "model.seed_lora_rank=32"],
    "mod": ["model.num_layers=4", "model.mod_layers=[1,3]"],
    "quant_gptq_train": ["quant.scheme=policy", "quant.compressor=brotli", "quant.byte_shuffle=true",
                         "quant.calib=train", "quant.calib_batches=4", "quant.attention.bits=6",
                         "quant.attention.method=gptq", "quant.attention.clip=sdclip", "quant.mlp.bits=6",
                         "quant.mlp.method=gptq", "quant.mlp.clip=hsdclip", "quant.embedding.bits=7",
                         "quant.embedding.group_size=32", "quant.lqer_rank=2", "quant.prune=true",
                         "quant.prune_target_bytes=150000"],
    "quant_selfgen": ["quant.scheme=policy", "quant.compressor=lzma", "quant.calib=selfgen", "quant.selfgen_seqs=4",
                      "quant.selfgen_batch=2", "quant.attention.bits=6", "quant.attention.method=gptq",
                      "quant.attention.clip=search", "quant.mlp.bits=5", "quant.mlp.method=gptq",
                      "quant.embedding.format=fp16", "quant.prune=true"],
    "qat_ste": ["quant.qat=ste", "quant.qat_start_frac=0.5", "quant.qat_layers=[1]", "quant.scheme=policy",
                "quant.compressor=zstd", "quant.mlp.bits=6", "quant.attention.bits=6"],
    "qat_noisy": ["quant.qat=noisy", "quant.compressor=auto"],
}

# method -> --set overrides for `golfkit eval` (kept cheap: smoke model, every target still scored once)
EVALS: dict[str, list[str]] = {
    "flat": [],
    "flat_ntk_temp": ["eval.rope_scaling=ntk", "eval.seq_len=256", "eval.temperature=0.9"],
    "sliding": ["eval.method=sliding", "eval.stride=64"],
    "doc": ["eval.method=doc", "eval.stride=64"],
    "ttt-sgd": ["eval.method=ttt-sgd", "eval.sgd.epochs=1", "eval.sgd.chunk_tokens=65536"],
    "ttt-lora": ["eval.method=ttt-lora", "eval.lora.context=128", "eval.lora.chunk_tokens=64",
                 "eval.lora.batch_docs=128"],
    "ttt-phased": ["eval.method=ttt-phased", "eval.lora.context=128", "eval.lora.chunk_tokens=64",
                   "eval.lora.batch_docs=128", "eval.phased.docs=100", "eval.phased.phases=2"],
}

HELPS = [[], ["train"], ["eval"], ["data"], ["data", "fetch"], ["data", "build"], ["data", "verify"], ["export"],
         ["run"], ["runs"], ["runs", "list"], ["runs", "compare"], ["quant"], ["quant", "report"]]
PRESETS = ["auto", "baseline", "cpu-small", "smoke", "loop-cpu", "middle-cycle", "deq", "seed-lora", "mod",
           "quant-1290", "record-1290", "record-1801", "swapp-1xh100"]

# fields whose values are times (or paths/byte counts of the counted code, reported separately)
TIMING = re.compile(r"(train_time|step_avg|eval_time|time|wall_seconds|eval_seconds|quantize_seconds|duration)(:|=| )\s*[0-9.]+(ms|s)?")


def golfkit(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "golfkit", *args], capture_output=True, text=True, cwd=REPO,
                          env=env, timeout=timeout)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def record_runs(out: Path, data: str, only: set[str]) -> None:
    for name, sets in GROUPS.items():
        if only and name not in only:
            continue
        run_dir = out / "runs" / name
        t0 = time.perf_counter()
        r = golfkit("train", "--preset", "smoke", "--data", data, "--run-dir", str(run_dir),
                    "--set", "schedule.train_log_every=1", *[a for s in sets for a in ("--set", s)])
        write(run_dir / "stderr.txt", r.stderr)
        print(f"run {name}: rc {r.returncode} in {time.perf_counter() - t0:.0f}s", flush=True)
        if name != "smoke" and "quant.scheme=policy" in sets and r.returncode == 0:
            q = golfkit("quant", "report", str(run_dir))
            write(out / "quant_report" / f"{name}.txt", f"rc {q.returncode}\n{q.stdout}{q.stderr}")


def record_evals(out: Path, data: str, ref: Path | None) -> None:
    sources = {"": out / "runs"}
    if ref is not None:
        sources["ref_"] = ref / "runs"
    for tag, runs in sources.items():
        for art in sorted(runs.glob("*/final_model.int8.golf")):
            group = art.parent.name
            methods = EVALS if group == "smoke" else {"flat": []}
            for method, sets in methods.items():
                r = golfkit("eval", "--artifact", str(art), "--data", data, *[a for s in sets for a in ("--set", s)])
                write(out / "eval" / f"{tag}{group}__{method}.txt", f"rc {r.returncode}\n{r.stdout}{r.stderr}")
                print(f"eval {tag}{group} {method}: rc {r.returncode}", flush=True)


def record_surface(out: Path) -> None:
    for args in HELPS:
        r = golfkit(*args, "--help")
        write(out / "help" / ("golfkit" + "".join("_" + a for a in args) + ".txt"), f"rc {r.returncode}\n{r.stdout}{r.stderr}")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "golfkit.techniques"], capture_output=True, text=True, cwd=REPO, env=env)
    write(out / "techniques.txt", f"rc {r.returncode}\n{r.stdout}{r.stderr}")
    for p in PRESETS:
        r = golfkit("train", "--preset", p, "--print-config")
        write(out / "config" / f"{p}.json", r.stdout + r.stderr)
    sizes = {}
    for p in PRESETS:
        d = out / "export" / p
        r = golfkit("export", "--preset", p, "--out", str(d), "--force")
        write(out / "export" / f"{p}.txt", f"rc {r.returncode}\n{r.stdout}{r.stderr}")
        if (d / "train_gpt.py").is_file():
            info = json.loads((d / "submission.json").read_text())
            sizes[p] = {"bytes_code": info["bytes_code"], "bytes_code_plain": info["bytes_code_plain"],
                        "modules": info["modules"]}
    write(out / "export_sizes.json", json.dumps(sizes, indent=2) + "\n")


def best_of(cmd: list[str], n: int) -> dict[str, float]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=REPO, env=env, check=True)
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return {"min_s": round(ts[0], 4), "median_s": round(ts[len(ts) // 2], 4), "n": n}


def record_timings(out: Path, n: int) -> None:
    py = sys.executable
    t = {"python -c pass": best_of([py, "-c", "pass"], n),
         "python -c 'import golfkit'": best_of([py, "-c", "import golfkit"], n),
         "python -m golfkit train --help": best_of([py, "-m", "golfkit", "train", "--help"], n),
         "python -m golfkit --help": best_of([py, "-m", "golfkit", "--help"], n),
         "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    write(out / "timings.json", json.dumps(t, indent=2) + "\n")


def cmd_record(args) -> None:
    out = Path(args.out).resolve()
    only = set(filter(None, args.only.split(",")))
    parts = set(filter(None, args.parts.split(",")))
    if "runs" in parts:
        record_runs(out, args.data, only)
    if "evals" in parts:
        record_evals(out, args.data, Path(args.ref).resolve() if args.ref else None)
    if "surface" in parts:
        record_surface(out)
    if "timings" in parts:
        record_timings(out, args.repeat)


def normalise(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if line.startswith(("run_dir:", "Code size:", "Total submission size", "peak memory")):
            continue  # the folder, and the counted code (measured apart: export_sizes.json)
        lines.append(TIMING.sub(r"\1\2<t>", line))
    return lines


def compare_text(name: str, a: str, b: str) -> bool:
    la, lb = normalise(a), normalise(b)
    if la == lb:
        return True
    print(f"DIFFERS {name}")
    import difflib

    for d in list(difflib.unified_diff(la, lb, lineterm="", n=0))[2:22]:
        print("   ", d)
    return False


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def cmd_compare(args) -> None:
    a, b = Path(args.old), Path(args.new)
    same = differ = 0
    for fa in sorted(a.rglob("*")):
        rel = fa.relative_to(a)
        fb = b / rel
        if fa.is_dir() or rel.parts[0] == "export" or rel.name in ("stderr.txt", "env.json"):
            continue
        if not fb.exists():
            print(f"MISSING {rel}")
            differ += 1
            continue
        if fa.suffix == ".golf":
            ok = sha(fa) == sha(fb)
            if not ok:
                print(f"DIFFERS {rel} (sha256 {sha(fa)} vs {sha(fb)})")
        elif fa.suffix == ".jsonl":  # per-step metrics: every field but the timings
            rows = [[{k: v for k, v in json.loads(line).items() if "time" not in k} for line in f.read_text().splitlines()]
                    for f in (fa, fb)]
            ok = rows[0] == rows[1]
            if not ok:
                print(f"DIFFERS {rel}")
        elif rel.name in ("metrics.json", "timings.json", "export_sizes.json"):
            continue  # compared below / measured, not expected equal
        else:
            ok = compare_text(str(rel), fa.read_text(), fb.read_text())
        same, differ = same + ok, differ + (not ok)
    for fb in sorted(b.glob("eval/ref_*.txt")):  # the old record's artifacts, scored by the new code
        fa = a / "eval" / fb.name[len("ref_"):]
        if fa.is_file():
            ok = compare_text(f"{fb.relative_to(b)} vs {fa.relative_to(a)}", fa.read_text(), fb.read_text())
            same, differ = same + ok, differ + (not ok)
    for ma in sorted(a.glob("runs/*/metrics.json")):
        mb = b / ma.relative_to(a)
        if mb.is_file():
            ja, jb = json.loads(ma.read_text()), json.loads(mb.read_text())
            keys = ("val_loss", "val_bpb", "pre_quant_val_loss", "pre_quant_val_bpb", "bytes_model", "steps",
                    "model_params", "val_tokens", "val_bytes")
            diff = {k: (ja.get(k), jb.get(k)) for k in keys if ja.get(k) != jb.get(k)}
            ok = not diff and set(ja) == set(jb)
            if not ok:
                print(f"DIFFERS {ma.relative_to(a)}: {diff or 'keys ' + str(set(ja) ^ set(jb))}")
            same, differ = same + ok, differ + (not ok)
    print(f"{same} identical, {differ} differ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("out")
    r.add_argument("--data", default=os.environ.get("GOLFKIT_TEST_DATA", str(REPO.parent / "shared" / "data")))
    r.add_argument("--ref", help="an earlier record whose artifacts this code should also score")
    r.add_argument("--only", default="", help="comma-separated run groups (default all)")
    r.add_argument("--parts", default="runs,evals,surface,timings")
    r.add_argument("--repeat", type=int, default=7, help="timing repetitions (best of)")
    c = sub.add_parser("compare")
    c.add_argument("old")
    c.add_argument("new")
    args = ap.parse_args()
    cmd_record(args) if args.cmd == "record" else cmd_compare(args)


if __name__ == "__main__":
    main()
