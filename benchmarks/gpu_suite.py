"""Everything a GPU should measure about golfkit's speed, prepared here and run there in one call (<= 8 min).

Step 1, on any machine with the checkout and ../shared beside it (this writes nothing into the repository's
tracked files; the folder is ignored through .git/info/exclude):

    python benchmarks/gpu_suite.py prepare --data ../shared/data --records ../shared/reference/records --out .gpu_suite
    echo /.gpu_suite/ >> .git/info/exclude

The folder (about 3 MB) holds the sp1024 mini data (train and val heads, tokenizer), a copy of each reference
script (the challenge's baseline train_gpt.py and the records') and each record run's environment (its README
command and its log's printed settings, the log winning: tests/records_harness.run_env), with the data
variables pointed at the copied data. Both sides train on the same sp1024 data: the record presets of the
CaseOps records stay on sp1024 (golfkit.presets.RECORD_DEVIATIONS), so their scripts run with VOCAB_SIZE=1024.

Wheels: none needed. The device image has torch, triton, numpy, sentencepiece (.library/device/KINDS.md).
FlashAttention 3 has no wheel for pip (it is built from source), and FlashAttention 4's CUDA library wheel
(nvidia-cutlass-dsl-libs-cu13 4.8.1: 92 MB) is over the 64 MiB that travels with a checkout, so on BOTH sides
attention runs on torch SDPA's flash kernel: golfkit natively, the records through a stub `flash_attn_interface`
written into each run folder (varlen calls become causal attention over the record's 2,048-token rows: document
masking is off on both sides: golfkit's `model.doc_mask` is an SDPA boolean mask, whose GPU kernel is not
the flash one, so the suite sets it off and measures the rest of the stack like for like). Should a later image lack a package, fetch its wheel
here and it is installed first on the device:

    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d .gpu_suite/whl NAME==VERSION

Step 2, on the GPU machine (device tool `run`, carry [".gpu_suite"], timeout_s 600):

    PYTHONUNBUFFERED=1 python3 benchmarks/gpu_suite.py run --root .gpu_suite --out $OUT --budget-s 450

Order: preflight, checks, the baseline pair, the record pairs (in --only order) while the budget lasts (each side
of a pair gets at most half of what is left), then the switch arms. A record's own script compiles its model for several cu_seqlens buckets,
looped and unlooped, before step 1, so one record pair can take most of a call: the records left over (listed
under "skipped") run in further calls, e.g. `run --only record-2135,record-1855 --stages pairs --out $OUT`.

Stages, in order, each skipped once the budget is spent (the JSON says which ran):
0. preflight: two eager steps of each wanted preset's golfkit side, all at once (the image's torch is not the
   version golfkit pins; a preset that fails there is reported with its traceback and its pair skipped);
1. env (GPU, torch, triton) and the measured bf16 matmul peak (8192^3, median of 10 after 3 warm-ups);
2. checks: the fused softcapped CE against the eager loss (loss, gradient, fwd+bwd ms), every SDPA kernel
   (flash, cuDNN, memory-efficient) against math on a (4, 8/4 heads, 2,048, 64) causal GQA problem, batched
   Newton-Schulz against per-matrix on the records' bank shapes (bit equality, ms);
3. pairs, golfkit then the reference script, each a subprocess from the same seed and data, killed once
   training ends (at golfkit's `peak memory allocated` line; a reference also at its last training step's line, as
   the records validate after it whatever VAL_LOSS_EVERY says), so no export or eval time is spent: baseline vs the
   challenge's train_gpt.py (524,288 tokens/step), then record-2135, -1855, -1801, -1290 vs their own scripts
   at --record-batch tokens/step (default 196,608 = 1/4 of the records' batch, the same on both sides);
   `iterations` steps, no wall-clock cap, no validation, `warmup` compile-priming steps on both sides;
3b. native (--native, default record-2135; run after the baseline pair): golfkit alone, the record preset as
   configured (its global batch, packed rows, document masking through FlexAttention), to show it trains at
   full size on the GPU and at what cost;
4. switches (only when --stages names them): golfkit's speed switches on the baseline model, interleaved in one
   process (benchmarks/bench_ab.py):
   default vs attention=cudnn vs model.fused_ce_min_vocab=0 (the fused CE kernel at vocab 1,024) vs
   optim.muon_batched=true.

Per side: ms/step as the median over the logged intervals of steps 10..N (excludes compile and warm-up on both
sides alike, and a graph compiled inside the window; the mean and the slowest interval are reported beside it), tokens/s, MFU = model
FLOPs (6 x matmul weights per token + causal attention 6 x layers x T x D, loops weighted by the steps they
ran) x tokens/s / the measured matmul peak, peak allocated memory, train loss at step 50. Writes
$OUT/gpu_suite.json, $OUT/gpu_suite.md (the table for BENCHMARKS.md) and $OUT/logs.txt.
Each pair side also profiles its last --profile-steps steps (default 5; torch.profiler through a sitecustomize
hook on optimizer steps, so the scripts run unchanged): the top ops by self device time per step, side by side,
to say where a gap between golfkit and a script goes. ms/step is taken over the steps before the profiled ones.

`run --dry-run` (CPU, tests/test_gpu_suite.py) runs the same code on a tiny model: golfkit sides train a few
steps on CPU, reference sides are checked without running (the script is there, every variable the suite sets
is one the script reads, the FA3 stub equals SDPA), and the log parsers read the records' committed logs.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's golfkit (the device machine has no install of it)
PAIRS = {  # golfkit preset -> reference folder (in priority order)
    "baseline": "baseline",
    "record-2135": "pr2135",
    "record-1855": "pr1855",
    "record-1801": "pr1801",
    "record-1290": "pr1290",
}
DONE = re.compile(r"peak memory allocated: (\d+) MiB")
GOLF_STEP = re.compile(r"^step:(\d+)/(\d+) train_loss:([\d.naninf]+) train_time:(\d+)ms")
RECORD_STEP = re.compile(r"^(\d+)/(\d+) train_loss: ([\d.naninf]+) train_time: [\d.]+m tok/s: (\d+)")

# FlashAttention 3's two entry points on torch SDPA, traceable by torch.compile(fullgraph=True): no Python
# loop over documents (the varlen call becomes causal attention over rows of max_seqlen tokens).
FA3_STUB = '''"""flash_attn_interface stub (benchmarks/gpu_suite.py): FA3's calls on torch SDPA."""
import torch
import torch.nn.functional as F


def flash_attn_func(q, k, v, causal=True, softmax_scale=None, **kw):
    y = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=causal,
                                       scale=softmax_scale, enable_gqa=k.size(2) != q.size(2))
    return y.transpose(1, 2)


def flash_attn_varlen_func(q, k, v, cu_seqlens_q=None, cu_seqlens_k=None, max_seqlen_q=0, max_seqlen_k=0,
                           causal=True, softmax_scale=None, **kw):
    n, h, d = q.shape
    s = max_seqlen_q if max_seqlen_q and n % max_seqlen_q == 0 else n
    y = flash_attn_func(q.view(n // s, s, h, d), k.view(n // s, s, k.size(1), d), v.view(n // s, s, v.size(1), d),
                        causal=causal, softmax_scale=softmax_scale)
    return y.reshape(n, h, d)
'''


# ----------------------------------------------------------------------------------
# prepare (here)
# ----------------------------------------------------------------------------------
def prepare(data: Path, records: Path, out: Path) -> dict:
    """Copy the sp1024 data and the reference scripts into `out`; write each run's environment (runs.json)."""
    sys.path.insert(0, str(REPO / "tests"))
    os.environ["GOLFKIT_TEST_RECORDS"] = str(records)
    os.environ["GOLFKIT_TEST_DATA"] = str(data)
    import records_harness  # the records' run environments, as the differential tests read them

    out.mkdir(parents=True, exist_ok=True)
    for rel in ("datasets/fineweb10B_sp1024/fineweb_train_000000.bin", "datasets/fineweb10B_sp1024/fineweb_val_000000.bin",
                "tokenizers/fineweb_1024_bpe.model", "tokenizers/fineweb_1024_bpe.vocab"):
        (out / "data" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / rel, out / "data" / rel)
    runs = {}
    for preset, folder in PAIRS.items():
        (out / "scripts" / folder).mkdir(parents=True, exist_ok=True)
        for f in [*(records / folder).glob("*.py"), *(records / folder).glob("*.c")]:  # helpers it imports too
            shutil.copyfile(f, out / "scripts" / folder / f.name)
        env = {} if folder == "baseline" else dict(records_harness.run_env(folder).env)
        for k in ("DATA_DIR", "DATA_PATH", "TOKENIZER_PATH", "CASEOPS_ENABLED", "VOCAB_SIZE"):
            env.pop(k, None)
        runs[preset] = {"folder": folder, "env": env}
    (out / "runs.json").write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n")
    return runs


# A profile of the last --profile-steps training steps of either side: a sitecustomize module on that side's
# PYTHONPATH hooks every optimizer step (torch's global post-hook), so both scripts are profiled unchanged. It
# counts the steps of the first optimizer that steps (warmup steps included: both sides keep their optimizer
# objects through the warmup restore) and writes the profiler's per-op table as JSON. It then runs the
# sitecustomize it shadows (a GPU image may set up CUDA or paths in one).
PROFILE_SITE = '''"""sitecustomize (benchmarks/gpu_suite.py --profile-steps): profile optimizer steps start..start+count-1."""
import json
import os

_spec = os.environ.get("GKS_PROFILE")
if _spec:
    import torch

    _out, _start, _count = _spec.rsplit("|", 2)
    _start, _count = int(_start), int(_count)
    _st = {"first": None, "n": 0, "prof": None}

    def _dump(prof):
        cuda = torch.cuda.is_available()
        rows = []
        for e in prof.key_averages():
            dev = getattr(e, "self_device_time_total", None)
            rows.append({"name": e.key, "calls": e.count, "self_cpu_us": e.self_cpu_time_total,
                         "self_device_us": dev if dev is not None else getattr(e, "self_cuda_time_total", 0)})
        key = "self_device_us" if cuda else "self_cpu_us"
        rows.sort(key=lambda r: -r[key])
        with open(_out, "w") as f:
            json.dump({"steps": _count, "device": "cuda" if cuda else "cpu", "sort": key,
                       "total_us": sum(r[key] for r in rows), "rows": rows[:200]}, f)

    def _hook(opt, args, kwargs):
        if _st["first"] is None:
            _st["first"] = id(opt)
        if id(opt) != _st["first"]:
            return
        _st["n"] += 1
        if _st["n"] == _start - 1:  # from here to the same point _count steps later: _count whole steps
            acts = [torch.profiler.ProfilerActivity.CPU]
            if torch.cuda.is_available():
                acts.append(torch.profiler.ProfilerActivity.CUDA)
            _st["prof"] = torch.profiler.profile(activities=acts)
            _st["prof"].__enter__()
        elif _st["n"] == _start + _count - 1 and _st["prof"] is not None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            prof, _st["prof"] = _st["prof"], None
            prof.__exit__(None, None, None)
            _dump(prof)

    from torch.optim.optimizer import register_optimizer_step_post_hook

    register_optimizer_step_post_hook(_hook)


def _chain():
    """Run the sitecustomize this one shadows (the image's own, later on sys.path), as Python would have."""
    import importlib.machinery

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None and spec.origin != os.path.abspath(__file__):
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)


import importlib.util
import sys

_chain()
'''


def golfkit_train_cmd(preset: str, run_dir: str | Path, sets: dict[str, str]) -> list[str]:
    """`python -m golfkit train` of a preset with the suite's dotted overrides."""
    cmd = [sys.executable, "-m", "golfkit", "train", "--preset", preset, "--run-dir", str(run_dir)]
    for k, v in sets.items():
        cmd += ["--set", f"{k}={v}"]
    return cmd


def pythonpath(*dirs: str | Path) -> str:
    """PYTHONPATH with `dirs` in front of this process's."""
    return os.pathsep.join(filter(None, [*map(str, dirs), os.environ.get("PYTHONPATH")]))


def profile_env(a, work: Path, side: str, *path_dirs: str | Path) -> dict[str, str]:
    """Environment of one side: PYTHONPATH with `path_dirs` in front and, when profiling, the sitecustomize that
    profiles its last a.profile_steps steps into work/<side>_profile.json."""
    if a.profile_steps <= 0:
        return {"PYTHONPATH": pythonpath(*path_dirs)}
    site = work / "profile_site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(PROFILE_SITE)
    start = a.warmup + a.iterations - a.profile_steps + 1
    return {"GKS_PROFILE": f"{work / (side + '_profile.json')}|{start}|{a.profile_steps}",
            "PYTHONPATH": pythonpath(*path_dirs, site)}


def read_profile(work: Path, side: str, top: int = 40) -> dict | None:
    """The side's profile: ms per step in total and for its `top` ops by self device (CPU: self CPU) time."""
    f = work / f"{side}_profile.json"
    if not f.is_file():
        return None
    d = json.loads(f.read_text())
    key, n = d["sort"], max(d["steps"], 1)
    return {"device": d["device"], "steps": d["steps"], "ms_per_step": d["total_us"] / 1000.0 / n,
            "ops": [{"name": r["name"], "calls_per_step": r["calls"] / n, "ms_per_step": r[key] / 1000.0 / n}
                    for r in d["rows"][:top]]}


# ----------------------------------------------------------------------------------
# measurement helpers
# ----------------------------------------------------------------------------------
def parse_log(lines: list[str], tokens_per_step: int) -> dict:
    """Per-step (loss, train time ms) from golfkit's/the baseline's `step:` lines or the records' `N/M` lines."""
    steps: dict[int, tuple[float, float]] = {}
    peak = None
    for line in lines:
        line = line.strip()
        if m := GOLF_STEP.match(line):
            steps[int(m.group(1))] = (float(m.group(3)), float(m.group(4)))
        elif m := RECORD_STEP.match(line):
            s, toks = int(m.group(1)), int(m.group(4))
            steps[s] = (float(m.group(3)), 1000.0 * s * tokens_per_step / max(toks, 1))
        elif m := DONE.search(line):
            peak = int(m.group(1))
    return {"steps": steps, "peak_mib": peak}


def summarize(parsed: dict, tokens_per_step: int, flops_per_token: float | None, peak_tflops: float | None,
              first: int = 10, last: int | None = None) -> dict:
    """ms/step over the logged steps first..last (last: None = all; the profiled steps come after it)."""
    steps = parsed["steps"]
    out: dict = {"peak_mib": parsed["peak_mib"], "last_step": max(steps) if steps else 0}
    done = sorted(s for s in steps if s >= first and (last is None or s <= last))
    if len(done) >= 2:
        a, b = done[0], done[-1]
        # the median over logged intervals, not the mean: a side that compiles a graph inside the window (PR
        # #1290's script compiles its looped graph at RECUR_START_STEP; golfkit primes it in warmup) pays that
        # once, and one compile would otherwise dominate a 50-step mean. The mean is kept beside it.
        per = [(steps[y][1] - steps[x][1]) / (y - x) for x, y in zip(done, done[1:])]
        ms = statistics.median(per)
        out.update(ms_per_step=ms, tokens_per_s=tokens_per_step / (ms / 1000.0), window=[a, b],
                   mean_ms_per_step=(steps[b][1] - steps[a][1]) / (b - a), max_step_ms=max(per))
        if flops_per_token and peak_tflops:
            out["mfu"] = flops_per_token * out["tokens_per_s"] / (peak_tflops * 1e12)
    if 50 in steps:
        out["loss_at_50"] = steps[50][0]
    if steps:
        out["loss_last"] = steps[max(steps)][0]
    return out


def flops_per_token(cfg, iterations: int, first: int = 10) -> float:
    """6 x matmul weights per token + causal attention (6 x layers x T x D), loops weighted by their steps.

    The same number for both sides of a pair (it is golfkit's config of the record), so MFU compares as ms/step.
    """
    import torch

    from golfkit.model import GPT
    from golfkit.model.base import CastedLinear

    m = cfg.model
    with torch.device("meta"):
        model = GPT(m)
    per_block = [sum(mod.weight.numel() for mod in b.modules() if isinstance(mod, CastedLinear)) for b in model.blocks]
    other = sum(mod.weight.numel() for mod in model.modules() if isinstance(mod, CastedLinear)) - sum(per_block)
    head = m.vocab_size * m.model_dim  # tied or not, one vocab x dim matmul
    n_loop = 0.0
    if m.num_loops > 0:  # the band's extra passes, for the share of the measured steps they ran
        start = int(m.enable_looping_at * iterations)
        share = max(0, iterations - max(start, first)) / max(iterations - first, 1)
        n_loop = share * m.num_loops * (m.loop_end - m.loop_start + 1)
    band = per_block[m.loop_start] if m.num_loops > 0 else 0
    layers = len(per_block) + n_loop
    weights = sum(per_block) + n_loop * band + other + head
    # attention per token and layer: q.k and a.v over T keys, 2 x 2 x T x D, halved by causality, x3 fwd+bwd
    return 6.0 * weights + 6.0 * layers * cfg.schedule.train_seq_len * m.model_dim


def run_until_done(cmd: list[str], cwd: Path, env: dict, timeout: float,
                   done: re.Pattern | None) -> tuple[list[str], str]:
    """Run `cmd`, return its output lines; kill its process group at the first `done` line or at `timeout`."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True)
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: ([q.put(line) for line in p.stdout], q.put(None)), daemon=True).start()
    lines, status, end = [], "exited", time.monotonic() + timeout
    while True:
        try:
            line = q.get(timeout=max(0.1, min(5.0, end - time.monotonic())))
        except queue.Empty:
            if time.monotonic() >= end:
                status = "timeout"
                break
            continue
        if line is None:
            break
        lines.append(line.rstrip("\n"))
        if done is not None and done.search(line):
            status = "done"
            break
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGKILL)  # this command's own process group (start_new_session)
    p.wait()
    if status == "exited" and p.returncode:
        status = f"exit {p.returncode}"
    return lines, status


def bf16_peak_tflops(device) -> float:
    import torch

    n = 8192 if device.type == "cuda" else 256
    a = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    b = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    times = []
    for i in range(13):
        sync(device)
        t0 = time.perf_counter()
        a @ b
        sync(device)
        if i >= 3:
            times.append(time.perf_counter() - t0)
    return 2 * n ** 3 / statistics.median(times) / 1e12


def sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, device, reps: int = 10) -> float:
    fn()
    times = []
    for _ in range(reps):
        sync(device)
        t0 = time.perf_counter()
        fn()
        sync(device)
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times)


def checks(device) -> dict:
    """Equality and speed of the speed switches' kernels on this device (no training)."""
    import torch
    import torch.nn.functional as F

    from golfkit.model import fused_ce
    from golfkit.optim import NS_SETS, newton_schulz

    out: dict = {}
    gen = torch.Generator(device=device).manual_seed(0)
    # fused softcapped CE vs eager, bf16 logits as under autocast
    for vocab in (1024, 8192):
        rows = 16384 if device.type == "cuda" else 64
        z = (torch.randn(rows, vocab, device=device, generator=gen) * 10).bfloat16().requires_grad_()
        y = torch.randint(0, vocab, (rows,), device=device, generator=gen)
        row: dict = {}
        if fused_ce.available(z):
            def run(f):
                z.grad = None
                loss = f(z, y, 30.0)
                loss.backward()
                return loss.detach(), z.grad.clone()
            lf, gf = run(fused_ce.softcapped_cross_entropy)
            le, ge = run(fused_ce.eager_softcapped_cross_entropy)
            row = {"loss_diff": abs(lf - le).item(), "grad_max_diff": (gf.float() - ge.float()).abs().max().item(),
                   "grad_max": ge.float().abs().max().item(),
                   "fused_ms": timed(lambda: run(fused_ce.softcapped_cross_entropy), device),
                   "eager_ms": timed(lambda: run(fused_ce.eager_softcapped_cross_entropy), device)}
        else:
            row = {"skipped": "no CUDA tensor / triton: the eager loss runs (tests/test_fused_ce.py checks the kernel)"}
        out[f"fused_ce_v{vocab}"] = row
    # SDPA kernels vs math (causal GQA, the records' head shape)
    from torch.nn.attention import SDPBackend, sdpa_kernel

    B, T = (4, 2048) if device.type == "cuda" else (1, 64)
    dt = torch.bfloat16 if device.type == "cuda" else torch.float32
    q = torch.randn(B, 8, T, 64, device=device, dtype=dt, generator=gen).requires_grad_()
    k = torch.randn(B, 4, T, 64, device=device, dtype=dt, generator=gen).requires_grad_()
    v = torch.randn(B, 4, T, 64, device=device, dtype=dt, generator=gen).requires_grad_()

    def attn(kind):
        with sdpa_kernel([kind]):
            for t in (q, k, v):
                t.grad = None
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
            y.float().square().sum().backward()
            return y.detach(), q.grad.clone()

    ref_y, ref_g = attn(SDPBackend.MATH)
    kinds = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION,
             "efficient": SDPBackend.EFFICIENT_ATTENTION, "math": SDPBackend.MATH}
    for name, kind in kinds.items():
        try:
            y, g = attn(kind)
            out[f"sdpa_{name}"] = {"out_max_diff": (y.float() - ref_y.float()).abs().max().item(),
                                   "grad_max_diff": (g.float() - ref_g.float()).abs().max().item(),
                                   "fwd_bwd_ms": timed(lambda: attn(kind), device)}
        except Exception as e:  # a kernel this device or shape lacks
            out[f"sdpa_{name}"] = {"error": f"{type(e).__name__}: {str(e)[:160]}"}
    # batched Newton-Schulz vs per matrix (records' banks)
    for shape in ((22, 512, 512), (22, 256, 512), (11, 2048, 512), (11, 512, 2048)):
        if device.type != "cuda":
            shape = (3, shape[1] // 8, shape[2] // 8)
        G = torch.randn(*shape, device=device, generator=gen)
        coeffs = NS_SETS["polar_express"]
        per = lambda: torch.stack([newton_schulz(g, 5, coeffs, order="records") for g in G])  # noqa: E731
        bat = lambda: newton_schulz(G, 5, coeffs, order="records")  # noqa: E731
        out[f"ns_{'x'.join(map(str, shape))}"] = {"equal": bool(torch.equal(per(), bat())),
                                                   "per_matrix_ms": timed(per, device), "batched_ms": timed(bat, device)}
    return out


# ----------------------------------------------------------------------------------
# one pair: golfkit, then the reference script
# ----------------------------------------------------------------------------------
def loop_start_step(iterations: int) -> int:
    """PR #1290's RECUR_START_STEP for a short run: 0.44 of it, where step 3000 fell in the record's ~6,900 steps."""
    return max(1, int(0.44 * iterations))


def golfkit_overrides(preset: str, a, data: Path) -> dict[str, str]:
    sets = {"data.dir": str(data), "schedule.iterations": str(a.iterations), "schedule.max_wallclock_seconds": "0",
            "schedule.val_loss_every": "0", "schedule.train_log_every": "1", "schedule.warmup_steps": str(a.warmup),
            "eval.pre_quant": "false"}
    if preset != "baseline":
        sets["schedule.train_batch_tokens"] = str(a.record_batch)
        # both sides train on the sp1024 data prepare() copies (the reference gets VOCAB_SIZE/DATA_PATH for it):
        # the CaseOps presets switch to it, and their export skips the lrzip program (not timed, maybe not there)
        from golfkit.presets import get_preset

        cfg = get_preset(preset)
        if cfg.data.variant != "sp1024":
            sets.update({"data.variant": "sp1024", "data.byte_source": "auto", "model.vocab_size": "1024"})
        if cfg.quant.compressor == "pergroup":
            sets["quant.compressor"] = "brotli"
        if cfg.model.doc_mask:  # the stub drops the records' document masking, so golfkit's side drops it too
            sets["model.doc_mask"] = "false"  # ... and trains on plain 2,048-token rows, as the stub attends
            sets["data.packing"] = "rows"
        if cfg.model.enable_looping_at_step > 0:  # PR #1290's step-based loop start, scaled like RECUR_START_STEP
            sets["model.enable_looping_at_step"] = str(loop_start_step(a.iterations))
    if a.dry_run:  # a tiny model of the same structure, on CPU
        sets.update({"device": "cpu", "compile": "off", "model.model_dim": "64", "model.num_heads": "2",
                     "model.num_kv_heads": "1", "model.rope_dims": "16" if preset != "baseline" else "0",
                     "schedule.train_seq_len": "64", "schedule.train_batch_tokens": "512",
                     "schedule.micro_batches": "8" if preset != "baseline" else "8"})
    return sets


# What the suite sets on every reference run; each must be read by the script (a renamed knob would be ignored).
NEEDED = ("DATA_PATH", "TOKENIZER_PATH", "VOCAB_SIZE", "ITERATIONS", "MAX_WALLCLOCK_SECONDS", "VAL_LOSS_EVERY",
          "TRAIN_LOG_EVERY", "WARMUP_STEPS", "SEED")


def reference_env(preset: str, run: dict, a, script: Path, root: Path) -> tuple[dict[str, str], list[str]]:
    """The record run's environment with the suite's knobs; and the needed knobs the script does not read."""
    data = root / "data"
    src = script.read_text()
    env = dict(run["env"])
    env.setdefault("SEED", "1337" if preset == "baseline" else "42")
    env.update({"DATA_PATH": str(data / "datasets" / "fineweb10B_sp1024"),
                "TOKENIZER_PATH": str(data / "tokenizers" / "fineweb_1024_bpe.model"), "VOCAB_SIZE": "1024",
                "ITERATIONS": str(a.iterations), "MAX_WALLCLOCK_SECONDS": "0", "VAL_LOSS_EVERY": "0",
                "TRAIN_LOG_EVERY": "1", "WARMUP_STEPS": str(a.warmup)})
    needed = list(NEEDED)
    for var, value, wanted in (("DATA_DIR", str(data), False), ("CASEOPS_ENABLED", "0", False),
                               ("TRAIN_BATCH_TOKENS", str(a.record_batch), preset != "baseline"),
                               ("RECUR_START_STEP", str(loop_start_step(a.iterations)), preset == "record-1290")):
        # record-1290 starts its loop at a step (3000 of ~6,900 in the record); both sides at the same one here
        if f'"{var}"' in src or wanted:
            if var != "TRAIN_BATCH_TOKENS" or preset != "baseline":
                env[var] = value
            if wanted:
                needed.append(var)
    return env, sorted(k for k in needed if f'"{k}"' not in src)


def ref_done(iterations: int) -> re.Pattern:
    """Where a reference run's training ends: its `peak memory allocated` line, or its last training step's line.

    The records validate at the last step whatever VAL_LOSS_EVERY says, and compile an eval graph for it first:
    on the H200 PR #1290's script spent 130 s there before its peak-memory line, past the suite's deadline. A
    reference killed at its last step line reports no peak memory."""
    return re.compile(rf"{DONE.pattern}|^step:{iterations}/{iterations} train_loss|^{iterations}/{iterations} train_loss")


def run_pair(preset: str, run: dict, a, root: Path, deadline: float, peak: float | None) -> dict:
    from golfkit.presets import get_preset

    data = root / "data"
    sets = golfkit_overrides(preset, a, data)
    cfg = get_preset(preset).override(sets)
    tokens = cfg.schedule.train_batch_tokens
    fpt = flops_per_token(cfg, a.iterations)
    row: dict = {"preset": preset, "reference": run["folder"], "tokens_per_step": tokens,
                 "iterations": a.iterations, "flops_per_token": fpt}
    work = Path(tempfile.mkdtemp(prefix=f"gks_{preset}_"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # golfkit
    cmd = golfkit_train_cmd(preset, work / "golfkit", sets)
    done = re.compile(rf"^step:{a.iterations}/{a.iterations} ") if a.dry_run else DONE
    t0 = time.monotonic()
    half = t0 + (deadline - t0) / 2  # the reference side gets the other half of what is left
    last = a.iterations - a.profile_steps if a.profile_steps > 0 else None
    lines, status = run_until_done(cmd, REPO, {**env, **profile_env(a, work, "golfkit")},
                                   max(half - time.monotonic(), 1), done)
    row["golfkit"] = {"status": status, "wall_s": time.monotonic() - t0,
                      **summarize(parse_log(lines, tokens), tokens, fpt, peak, last=last)}
    if prof := read_profile(work, "golfkit"):
        row["golfkit"]["profile"] = prof
    row["_logs"] = {"golfkit": lines}
    # the reference script, from a copy in the temp folder (it writes logs/ and model files there)
    ref_dir = work / "reference"
    shutil.copytree(root / "scripts" / run["folder"], ref_dir)
    (ref_dir / "flash_attn_interface.py").write_text(FA3_STUB)
    renv, unread = reference_env(preset, run, a, ref_dir / "train_gpt.py", root)
    row["reference_env"] = renv
    if unread:
        row["reference_unread_env"] = unread
    if a.dry_run:
        row["ref"] = {"status": "not run (dry run: needs CUDA)"}
        return row
    t0 = time.monotonic()
    lines, status = run_until_done([sys.executable, "train_gpt.py"], ref_dir,
                                   {**env, **renv, **profile_env(a, work, "reference", ref_dir)},
                                   max(deadline - time.monotonic(), 1),
                                   ref_done(a.iterations))
    row["ref"] = {"status": status, "wall_s": time.monotonic() - t0,
                  **summarize(parse_log(lines, tokens), tokens, fpt, peak, last=last)}
    if prof := read_profile(work, "reference"):
        row["ref"]["profile"] = prof
    row["_logs"]["reference"] = lines
    g, r = row["golfkit"].get("ms_per_step"), row["ref"].get("ms_per_step")
    if g and r:
        row["ratio"] = g / r
    shutil.rmtree(work, ignore_errors=True)
    return row


def run_native(preset: str, a, root: Path, deadline: float, peak: float | None) -> dict:
    """golfkit alone, the record preset as configured: its own global batch, packed rows and document masking
    (FlexAttention on CUDA) on, which the like-for-like pairs switch off to match the FA3 stub. It shows that the
    preset trains at full size on this GPU, and what that costs; on the sp1024 data (the CaseOps presets too)."""
    from golfkit.presets import get_preset

    data = root / "data"
    sets = golfkit_overrides(preset, a, data)
    cfg0 = get_preset(preset)
    for k, v in (("model.doc_mask", str(cfg0.model.doc_mask).lower()), ("data.packing", cfg0.data.packing),
                 ("schedule.train_batch_tokens", str(cfg0.schedule.train_batch_tokens))):
        sets[k] = v
    if a.dry_run:
        sets["schedule.train_batch_tokens"] = "512"
    cfg = cfg0.override(sets)
    tokens = cfg.schedule.train_batch_tokens
    fpt = flops_per_token(cfg, a.iterations)
    cmd = golfkit_train_cmd(preset, tempfile.mkdtemp(prefix=f"gks_native_{preset}_"), sets)
    done = re.compile(rf"^step:{a.iterations}/{a.iterations} ") if a.dry_run else DONE
    t0 = time.monotonic()
    lines, status = run_until_done(cmd, REPO, {**os.environ, "PYTHONUNBUFFERED": "1"},
                                   max(deadline - time.monotonic(), 1), done)
    return {"preset": preset, "tokens_per_step": tokens, "packing": cfg.data.packing, "doc_mask": cfg.model.doc_mask,
            "status": status, "wall_s": time.monotonic() - t0, **summarize(parse_log(lines, tokens), tokens, fpt, peak),
            "log_tail": lines[-15:]}


def preflight(presets: list[str], a, root: Path, timeout: float) -> dict[str, dict]:
    """Two eager steps of each preset's golfkit side, all at once: a preset that cannot train on this machine's
    torch (the device image's version is not the one golfkit pins) fails here in seconds, not after its compile,
    and its pair is skipped so the budget goes to the pairs that can run."""
    procs = {}
    # the cores shared out: five processes each starting as many OpenMP threads as cores (the records' orthogonal
    # init runs on the CPU) oversubscribed a 16-core machine until none of them reached step 1 in 120 s
    threads = str(max(1, (os.cpu_count() or 1) // max(len(presets), 1)))
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    for preset in presets:
        sets = {**golfkit_overrides(preset, a, root / "data"), "compile": "off", "schedule.iterations": "2",
                "schedule.warmup_steps": "0"}
        cmd = golfkit_train_cmd(preset, tempfile.mkdtemp(prefix=f"gks_pre_{preset}_"), sets)
        procs[preset] = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True, start_new_session=True)
    out, end = {}, time.monotonic() + timeout
    for preset, p in procs.items():
        try:
            text, _ = p.communicate(timeout=max(end - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            text, _ = p.communicate()
        lines = text.splitlines()
        ok = any(line.startswith("step:2/2 ") for line in lines)
        out[preset] = {"ok": ok, "returncode": p.returncode, **({} if ok else {"tail": lines[-25:]})}
        print(f"preflight {preset}: {'ok' if ok else 'FAILED'}", flush=True)
        if not ok:
            print("\n".join(lines[-25:]), flush=True)
    return out


def switches(a, root: Path, deadline: float) -> dict:
    """golfkit's speed switches on the baseline model, interleaved in one process (benchmarks/bench_ab.py)."""
    out = Path(tempfile.mkdtemp(prefix="gks_ab_")) / "ab.json"
    arms = ["default:", "cudnn:attention=cudnn", "fused_ce:model.fused_ce_min_vocab=0", "batched_ns:optim.muon_batched=true"]
    cmd = [sys.executable, str(REPO / "benchmarks" / "bench_ab.py"), "--preset", "baseline", "--data", str(root / "data"),
           "--steps", "3" if a.dry_run else "10", "--out", str(out),
           "--set", f"schedule.warmup_steps={0 if a.dry_run else a.warmup}",
           "--set", f"schedule.train_batch_tokens={512 if a.dry_run else a.record_batch}"]
    if a.dry_run:
        cmd += ["--set", "device=cpu", "--set", "compile=off", "--set", "model.model_dim=64", "--set", "model.num_heads=2",
                "--set", "model.num_kv_heads=1", "--set", "schedule.train_seq_len=64"]
    for arm in arms:
        cmd += ["--arm", arm]
    lines, status = run_until_done(cmd, REPO, {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"},
                                   max(deadline - time.monotonic(), 1), None)
    res = {"status": status, "lines": lines[-20:]}
    if out.is_file():
        res["rows"] = [{k: r[k] for k in ("arm", "ms_per_step", "speedup_vs_first", "prime_s", "losses")}
                       for r in json.loads(out.read_text())["rows"]]
    return res


# ----------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------
def fmt(x, spec: str = ".1f") -> str:
    return "" if x is None else format(x, spec)


def markdown(result: dict) -> str:
    env = result["env"]
    lines = [f"GPU suite, {result['when']}: {env.get('gpu')}, torch {env.get('torch')}, triton {env.get('triton')}; "
             f"measured bf16 matmul peak {fmt(result.get('peak_tflops'))} TFLOP/s. Attention: torch SDPA flash on "
             "both sides (FA3 stubbed). Mini data (sp1024 heads): losses are mini-data losses.", "",
             "| pair | side | ms/step (median) | mean | max | tokens/s | MFU | peak MiB | loss@50 | golfkit/ref | status |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in result.get("pairs", []):
        for side, name in (("golfkit", "golfkit"), ("ref", row["reference"])):
            s = row.get(side, {})
            ratio = fmt(row.get("ratio"), ".3f") if side == "golfkit" else ""
            mfu = fmt(100 * s["mfu"], ".1f") + "%" if s.get("mfu") else ""
            lines.append(f"| {row['preset']} | {name} | {fmt(s.get('ms_per_step'))} | {fmt(s.get('mean_ms_per_step'))} "
                         f"| {fmt(s.get('max_step_ms'))} | {fmt(s.get('tokens_per_s'), ',.0f')} "
                         f"| {mfu} | {s.get('peak_mib') or ''} | {fmt(s.get('loss_at_50'), '.4f')} | {ratio} | "
                         f"{s.get('status', 'skipped')} |")
    for row in result.get("pairs", []):  # where a side's step time goes: its profiled last steps, top ops
        profs = {side: row.get(side, {}).get("profile") for side in ("golfkit", "ref")}
        if not any(profs.values()):
            continue
        names = list(dict.fromkeys(o["name"] for p in profs.values() if p for o in p["ops"][:12]))
        per = {side: {o["name"]: o["ms_per_step"] for o in p["ops"]} if p else {} for side, p in profs.items()}
        lines += ["", f"Profile of {row['preset']}'s last steps (ms per step, self time on the "
                  f"{next(p for p in profs.values() if p)['device']}; top ops of either side):", "",
                  f"| op | golfkit | {row['reference']} |", "|---|---:|---:|",
                  *[f"| {n[:70].replace('|', '/')} | {fmt(per['golfkit'].get(n), '.2f')} | {fmt(per['ref'].get(n), '.2f')} |"
                    for n in names],
                  f"| all ops | {fmt((profs['golfkit'] or {}).get('ms_per_step'), '.2f')} | "
                  f"{fmt((profs['ref'] or {}).get('ms_per_step'), '.2f')} |"]
    chk = result.get("checks", {})
    if chk:
        lines += ["", "| check | result |", "|---|---|"]
        lines += [f"| {k} | {json.dumps(v)} |" for k, v in chk.items()]
    sw = result.get("switches", {})
    if sw.get("rows"):
        lines += ["", "| switch arm (baseline model) | ms/step | speedup vs default |", "|---|---:|---:|"]
        lines += [f"| {r['arm']} | {r['ms_per_step']:.1f} | {r['speedup_vs_first']:.3f}x |" for r in sw["rows"]]
    if result.get("native"):
        lines += ["", "| preset as configured (golfkit alone) | tokens/step | packing | ms/step | tokens/s | MFU | "
                  "peak MiB | status |", "|---|---:|---|---:|---:|---:|---:|---|"]
        for r in result["native"]:
            mfu = fmt(100 * r["mfu"], ".1f") + "%" if r.get("mfu") else ""
            lines.append(f"| {r['preset']} | {r['tokens_per_step']:,} | {r['packing']} | {fmt(r.get('ms_per_step'))} | "
                         f"{fmt(r.get('tokens_per_s'), ',.0f')} | {mfu} | {r.get('peak_mib') or ''} | {r['status']} |")
    bad = {k: v for k, v in result.get("preflight", {}).items() if not v["ok"]}
    if bad:
        lines += ["", "Preflight failed (two eager steps on this machine's torch): " + ", ".join(bad)]
    if result.get("skipped"):
        lines += ["", "Skipped (budget): " + ", ".join(result["skipped"])]
    return "\n".join(lines) + "\n"


def run(a) -> dict:
    import torch

    start = time.monotonic()
    deadline = start + a.budget_s
    root = Path(a.root).resolve()
    whl = root / "whl"
    if whl.is_dir() and any(whl.glob("*.whl")):  # packages the image lacks, carried as wheels
        site = Path(tempfile.mkdtemp(prefix="gks_site_"))
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--target", str(site),
                        *map(str, whl.glob("*.whl"))], check=True)
        sys.path.insert(0, str(site))
        os.environ["PYTHONPATH"] = pythonpath(site)
    os.environ["PYTHONPATH"] = pythonpath(REPO)
    device = torch.device("cpu" if a.dry_run or not torch.cuda.is_available() else "cuda")
    try:
        import triton
        triton_version = triton.__version__
    except ImportError:
        triton_version = None
    result: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "dry_run": a.dry_run,
                    "env": {"gpu": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
                            "torch": torch.__version__, "triton": triton_version, "python": sys.version.split()[0]},
                    "args": {k: v for k, v in vars(a).items() if k != "func"}, "pairs": [], "skipped": []}
    runs = json.loads((root / "runs.json").read_text())
    logs = []
    wanted = [p for p in (a.only.split(",") if a.only else PAIRS)] if "pairs" in a.stages else []
    if "preflight" in a.stages and (wanted or "switches" in a.stages):
        result["preflight"] = preflight(wanted or ["baseline"], a, root, 120.0)
        failed = [p for p, r in result["preflight"].items() if not r["ok"]]
        result["skipped"] += [f"{p} (preflight failed)" for p in failed]
        wanted = [p for p in wanted if p not in failed]
    result["peak_tflops"] = bf16_peak_tflops(device)
    if "checks" in a.stages:
        try:
            result["checks"] = checks(device)
        except Exception as e:  # e.g. a kernel the image's triton cannot build: the pairs still run
            result["checks"] = {"error": {"error": f"{type(e).__name__}: {str(e)[:400]}"}}
            print(f"checks: {type(e).__name__}: {e}", flush=True)
    # the baseline pair, the records (each compiles for minutes on its own side: several cu_seqlens buckets,
    # looped and unlooped graphs), then the switch arms: the pairs are what the acceptance reads
    native = [f"native:{p}" for p in (a.native.split(",") if a.native else []) if p] if "native" in a.stages else []
    order = ([p for p in wanted if p == "baseline"] + native + [p for p in wanted if p != "baseline"]
             + (["switches"] if "switches" in a.stages else []))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every item: a call cut off at its limit still brings back what it measured
        result["wall_s"] = time.monotonic() - start
        (out / "gpu_suite.json").write_text(json.dumps(result, indent=1) + "\n")
        (out / "gpu_suite.md").write_text(markdown(result))
        (out / "logs.txt").write_text("\n".join(logs) + "\n")

    save()
    for item in order:
        if time.monotonic() > deadline - (5 if a.dry_run else 90):
            result["skipped"].append(item)
            continue
        try:
            if item == "switches":
                result["switches"] = switches(a, root, deadline)
            elif item.startswith("native:"):
                row = run_native(item.split(":", 1)[1], a, root, deadline, result["peak_tflops"])
                result.setdefault("native", []).append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "log_tail"}), flush=True)
            else:
                row = run_pair(item, runs[item], a, root, deadline, result["peak_tflops"])
                for side, lines in row.pop("_logs").items():
                    logs += [f"===== {item} {side} =====", *lines]
                result["pairs"].append(row)
                print(json.dumps({k: row.get(k) for k in ("preset", "golfkit", "ref", "ratio")}), flush=True)
        except Exception as e:  # one broken item must not lose the others' numbers
            result.setdefault("errors", {})[item] = f"{type(e).__name__}: {e}"
            print(f"{item}: {type(e).__name__}: {e}", flush=True)
        save()
    save()
    print(markdown(result), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="copy data, scripts and run environments into a folder that travels")
    p.add_argument("--data", required=True)
    p.add_argument("--records", required=True)
    p.add_argument("--out", default=".gpu_suite")
    r = sub.add_parser("run", help="measure (on the GPU machine)")
    r.add_argument("--root", default=".gpu_suite")
    r.add_argument("--out", required=True)
    r.add_argument("--budget-s", type=float, default=450.0)
    r.add_argument("--iterations", type=int, default=60)
    r.add_argument("--warmup", type=int, default=5)
    r.add_argument("--record-batch", type=int, default=196_608)
    r.add_argument("--only", default="", help="comma list of presets (default: all pairs in priority order)")
    # switches are not in the default: on the H200 their 10 interleaved rounds ranged 182-322 ms a step, too
    # noisy to tell any arm from the default (BENCHMARKS.md, 2026-11-29); the pairs need the time
    r.add_argument("--stages", default="preflight,checks,pairs,native")
    r.add_argument("--native", default="record-2135",
                   help="comma list of presets run alone as configured (packed rows, document masking), after the "
                        "baseline pair")
    r.add_argument("--profile-steps", type=int, default=5,
                   help="profile each pair side's last N training steps (torch.profiler; 0 = off); ms/step is "
                        "taken over the steps before them")
    r.add_argument("--dry-run", action="store_true", help="CPU, tiny model, reference scripts checked not run")
    a = ap.parse_args(argv)
    if a.cmd == "prepare":
        runs = prepare(Path(a.data).resolve(), Path(a.records).resolve(), Path(a.out).resolve())
        print(f"prepared {a.out}: {', '.join(runs)}")
        return 0
    if a.dry_run:  # steps 10-12 timed, then the profiled ones
        a.profile_steps = min(a.profile_steps, 2)
        a.iterations = min(a.iterations, 12) + a.profile_steps
    run(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
