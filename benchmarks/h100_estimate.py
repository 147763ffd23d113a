"""Estimated wall time of each workbook notebook at challenge scale on one 8xH100 node (issue #12's "Performance").

    python benchmarks/h100_estimate.py --records ../shared/reference/records --runs runs --notebooks notebooks \
        [--json OUT.json] [--md OUT.md]

Nothing here is measured on a GPU now: every time is built from measured logs, and every input is printed with
the file and line it came from. For each notebook under the `challenge` protocol (golfkit.lab.workbook.PROTOCOLS:
the baseline preset, its 10-minute cap, the whole validation split, `-p nproc 8`):

* the trainings are those the notebook itself asks for: its parameters cell is read with `ast` and the cells
  that plan and train are executed (assignments only) against the real `workbook.plan`, with `Plan.train`
  replaced by a recorder: no data is read and nothing is trained. The same goes for the analysis calls
  (`quant_depth.analyze`, `quant_depth.format_sweep`, `eval_methods.compare_methods`): they are recorded with
  their arguments, so the counts (variants x seeds, horizon runs, bit widths x methods, eval methods) are the
  notebook's own. Trainings are identified by their resolved config (the cache key without the data and code
  fingerprints, which are the same for every notebook of one checkout): one repeated within a notebook counts
  once, and in workbook order (00 -> 05) a training an earlier notebook ran is reused from the cache.
* one training = golfkit's fixed cost (start-up, compile, export; measured on 1xH100) + the warmup steps +
  the steps the cap allows at golfkit's 8xH100 step time (the baseline record's ms/step times golfkit's
  measured ratio to the reference script on one H200) + one full-split validation pass at step 0, every
  `val_loss_every` steps and at the end (golfkit stops the cap's clock while it validates) + the final
  roundtrip eval (the baseline record's full-split eval time).
* the analysis calls score on ONE device inside the notebook's kernel (world size 1): a full-split flat
  eval there is taken as 8x the record's 8-GPU eval time; an eval method costs its ratio to flat eval of
  the same model in the record that ran it (same log, same machine).

This script is a benchmark, not part of golfkit: golfkit never imports it.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import math
import re
import statistics
import sys
import tempfile
import types
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

NOTEBOOK_ORDER = ("00_", "01_", "02_", "03_", "04_", "05_")
CHALLENGE = {"smoke": False, "preset": "baseline", "protocol": "challenge", "nproc": 8}
PROXIED = ("workbook", "quant_depth", "eval_methods")
ANALYSIS_CALLS = ("train_variants", "analyze", "format_sweep", "compare_methods", "workbook.plan")


# ----------------------------------------------------------------------------------
# measured inputs: one value, and where it was read
# ----------------------------------------------------------------------------------
@dataclass
class Input:
    name: str
    value: float
    unit: str
    source: str  # file (relative to the folder given) and line, or JSON path
    text: str  # the line as it stands

    def cite(self) -> str:
        return f"{self.name} = {fmt(self.value)} {self.unit} ({self.source}: `{self.text}`)"


def fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def find(path: Path, pattern: str, label: str, last: bool = False, root: Path | None = None) -> tuple[re.Match, str]:
    """The first (or last) line of `path` matching `pattern`: (match, 'file:line')."""
    hits = []
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        m = re.search(pattern, line)
        if m:
            hits.append((m, i, line.strip()))
    if not hits:
        raise SystemExit(f"error: {path}: no line matches {pattern!r} ({label})")
    m, i, _ = hits[-1] if last else hits[0]
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    return m, f"{shown}:{i}"


def line_input(path: Path, pattern: str, name: str, unit: str, scale: float = 1.0, last: bool = False,
               root: Path | None = None) -> Input:
    m, where = find(path, pattern, name, last, root)
    return Input(name, float(m.group(1)) * scale, unit, where, m.string.strip()[:160])


def baseline_inputs(records: Path) -> dict[str, Input]:
    """The NaiveBaseline record's 8xH100 train log: step time, cap, eval time, val size."""
    log = records / "baseline" / "naive_baseline_train.log"
    i = {
        "ref_ms_per_step": line_input(log, r"step:\d+/\d+ val_loss:\S+ val_bpb:\S+ train_time:\d+ms step_avg:([\d.]+)ms",
                                      "reference baseline step time, 8xH100 (at the cap)", "ms", last=True, root=records),
        "ref_steps": line_input(log, r"stopping_early: wallclock_cap train_time:\d+ms step:(\d+)/",
                                "reference baseline steps in the cap", "steps", root=records),
        "flat_eval_8gpu_s": line_input(log, r"final_int8_zlib_roundtrip val_loss:\S+ val_bpb:\S+ eval_time:(\d+)ms",
                                       "full-split flat eval (int8 roundtrip), 8xH100", "s", 1e-3, root=records),
        "val_tokens": line_input(log, r"val_loader:.*tokens:(\d+)", "validation split", "tokens", root=records),
    }
    # torchrun launch -> the ranks' first line (process start, NCCL, data loaders): from the log's timestamps
    t0, w0 = find(log, r"^W\d{4} (\d\d):(\d\d):(\d\d)", "torchrun start", root=records)
    t1, w1 = find(log, r"^\[rank0\]:\[W\d{3} (\d\d):(\d\d):(\d\d)", "rank 0 up", root=records)
    sec = lambda m: 3600 * int(m.group(1)) + 60 * int(m.group(2)) + int(m.group(3))  # noqa: E731
    i["launch_s"] = Input("torchrun launch to rank 0's first line, 8xH100", float(sec(t1) - sec(t0)), "s",
                          f"{w0} -> {w1}", f"{t0.group(0)} -> {t1.group(0)}")
    return i


def golfkit_inputs(runs: Path) -> dict[str, Input]:
    """golfkit's own GPU measurements: ms/step ratio to the reference (1xH200), fixed cost and GPTQ (1xH100)."""
    suite = runs / "gpu_h200_20261129" / "call1_gpu_suite.json"
    d = json.loads(suite.read_text(encoding="utf-8"))
    pair = next(p for p in d["pairs"] if p["preset"] == "baseline")
    gk, ref = pair["golfkit"]["ms_per_step"], pair["ref"]["ms_per_step"]
    where = f"{suite.relative_to(runs)}: pairs[preset=baseline]"
    out = {"h200_golfkit_ms": Input("golfkit baseline step, 1xH200", gk, "ms", where + ".golfkit.ms_per_step", f"{gk}"),
           "h200_ref_ms": Input("reference baseline step, same H200", ref, "ms", where + ".ref.ms_per_step", f"{ref}")}
    h100 = runs / "gpu_h100_20261122"
    mj = h100 / "golfkit_baseline_200it_metrics.json"
    m = json.loads(mj.read_text(encoding="utf-8"))
    w = f"{mj.relative_to(runs)}"
    out["h100_wall_s"] = Input("golfkit baseline run wall time (200 steps, 1xH100)", m["wall_seconds"], "s",
                               w + ": wall_seconds", f"{m['wall_seconds']}")
    out["h100_train_s"] = Input("its training time", m["train_time_ms"] / 1000, "s", w + ": train_time_ms",
                                f"{m['train_time_ms']}")
    out["h100_step_ms"] = Input("its step time", m["step_avg_ms"], "ms", w + ": step_avg_ms", f"{m['step_avg_ms']}")
    out["h100_eval_s"] = Input("its roundtrip eval (262,144 targets)", m["eval_seconds"], "s", w + ": eval_seconds",
                               f"{m['eval_seconds']}")
    out["h100_warmup"] = line_input(h100 / "golfkit_baseline_200it.log", r"warmup_steps:(\d+)",
                                    "its compile-priming steps", "steps", root=runs)
    out["gptq_s"] = line_input(h100 / "quant1290_50it_eager.log", r"quant:quantize_seconds ([\d.]+)",
                               "golfkit full-Hessian GPTQ of the 17M baseline model, 1xH100", "s", root=runs)
    return out


def method_ratios(records: Path) -> tuple[dict[str, float], list[Input]]:
    """Eval time of each method over flat eval of the same model, from the records' 8xH100 logs (median over logs)."""
    cites: list[Input] = []

    def ratio(log: Path, num: str, den: str, extra: str | None, label: str) -> float | None:
        try:
            a = line_input(log, num, f"{label} eval", "s", 1e-3, root=records)
            b = line_input(log, den, "flat eval of the same model", "s", 1e-3, root=records)
        except SystemExit:
            return None  # this seed's log has no such line (e.g. PR #1290's seeds 314 and 999 ran no TTT)
        cites.extend([a, b])
        t = a.value
        if extra:
            c = line_input(log, extra, f"{label} compile warmup", "s", root=records)
            cites.append(c)
            t += c.value
        return t / b.value

    flat1290 = r"final_int6_roundtrip val_loss:\S+ val_bpb:\S+ eval_time:(\d+)ms"
    sliding = [ratio(f, r"final_int6_sliding_window val_loss:.*stride:64 eval_time:(\d+)ms", flat1290, None, "sliding s64")
               for f in sorted((records / "pr1290").glob("train_seed*.log"))]
    sgd = [ratio(f, r"final_ttt val_loss:.*ttt_time:(\d+)ms", flat1290, None, "TTT-SGD (sliding s64, 3 epochs)")
           for f in sorted((records / "pr1290").glob("train_seed*.log"))]
    # PR #2135's TTT eval also holds its n-gram tilt precompute: only #1801 and #1855 are phased LoRA TTT alone
    phased = [ratio(f, r"quantized_ttt_phased val_loss:.*eval_time:(\d+)ms",
                    r"diagnostic quantized val_loss:\S+ val_bpb:\S+ eval_time:(\d+)ms",
                    r"ttt_lora:compile warmup done \(([\d.]+)s\)", "phased LoRA TTT")
              for pr in ("pr1801", "pr1855") for f in sorted((records / pr).glob("train_seed*.log"))]
    med = lambda xs: statistics.median([x for x in xs if x is not None])  # noqa: E731
    r = {"flat": 1.0, "sliding": med(sliding), "ttt-sgd": med(sgd), "ttt-phased": med(phased)}
    r["doc"] = r["sliding"]  # no record logs doc-isolated eval: taken as sliding at the same stride
    r["ttt-lora"] = r["ttt-phased"]  # LoRA TTT without the global phases: taken as the phased records' cost
    return r, cites


# ----------------------------------------------------------------------------------
# the notebook's own plan, without data
# ----------------------------------------------------------------------------------
def read_cells(path: Path) -> list[tuple[str, list[str]]]:
    """(source, tags) of each code cell of an .ipynb."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code":
            src = c.get("source", "")
            out.append(("".join(src) if isinstance(src, list) else src, list(c.get("metadata", {}).get("tags", []))))
    return out


def parameters(cells: list[tuple[str, list[str]]]) -> dict[str, Any]:
    """The notebook's parameters cell, as literals (ast: nothing is executed)."""
    cell = next((src for src, tags in cells if "parameters" in tags), None)
    if cell is None:
        raise SystemExit("error: the notebook has no cell tagged `parameters`")
    out = {}
    for node in ast.parse(cell).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


class _Proxy(types.SimpleNamespace):
    """A module with some attributes replaced (the recorders)."""

    def __init__(self, module, **replaced):
        super().__init__(**replaced)
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)


@dataclass
class Training:
    name: str
    seed: int
    key: str  # the resolved config (cache identity within one checkout)
    cfg: Any


@dataclass
class Plan:
    """What one notebook would run: its trainings, and its analysis calls with their arguments."""

    notebook: str
    params: dict[str, Any]
    trainings: list[Training]
    calls: list[dict[str, Any]]
    skipped: list[str]  # statements not evaluable without data (their line and error)


def dry_run(path: Path, steps_for) -> Plan:
    """Execute the notebook's planning and training statements with recorders instead of training and scoring.

    steps_for(cfg) -> the steps a training of `cfg` reaches at challenge scale (a result's "steps").
    """
    from golfkit.lab import eval_methods, quant_depth, workbook

    cells = read_cells(path)
    params = {**parameters(cells), **CHALLENGE}
    trainings: list[Training] = []
    calls: list[dict[str, Any]] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data" / "datasets").mkdir(parents=True)

        def plan(**kw):
            kw.update(data_dir=Path(tmp) / "data", run_dir=Path(tmp) / "run")
            with contextlib.redirect_stdout(io.StringIO()):
                p = workbook.plan(**kw)

            def train(name, overrides=None, seed=None, progress=None):
                seed = p.seeds[0] if seed is None else seed
                cfg = p.config_for(overrides, seed)
                d = cfg.to_dict()
                d["data"] = {k: v for k, v in d["data"].items() if k != "dir"}
                key = json.dumps({"config": d, "nproc": p.nproc, "timeout": p.timeout}, sort_keys=True, default=str)
                trainings.append(Training(name, seed, key, cfg))
                steps = steps_for(cfg)
                r = {"name": name, "seed": seed, "key": key, "steps": steps, "dir": tmp, "artifact": tmp,
                     "reused": False, "train_tokens": steps * cfg.schedule.train_batch_tokens}
                p.results.append(r)
                return r

            p.train = train
            return p

        def recorder(kind):
            def rec(*args, **kwargs):
                calls.append({"kind": kind, "args": args, "kwargs": kwargs})
                return []
            return rec

        proxies = {"workbook": _Proxy(workbook, plan=plan),
                   "quant_depth": _Proxy(quant_depth, analyze=recorder("analyze"), format_sweep=recorder("format_sweep")),
                   "eval_methods": _Proxy(eval_methods, compare_methods=recorder("compare_methods"))}
        ns: dict[str, Any] = {"__name__": "__notebook__", **params}
        for src, tags in cells:
            if "parameters" in tags or not any(c in src for c in ANALYSIS_CALLS):
                continue  # cells that neither plan, train nor analyse: figures, tables, findings
            code = "\n".join("#" + ln if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())
            for node in ast.parse(code).body:  # IPython magics (%matplotlib) are commented out
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("golfkit"):
                    exec(compile(ast.Module([node], []), path.name, "exec"), ns)
                    ns.update({k: v for k, v in proxies.items() if k in ns})
                elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                    try:
                        with contextlib.redirect_stdout(io.StringIO()):
                            exec(compile(ast.Module([node], []), path.name, "exec"), ns)
                    except Exception as e:  # a statement that needs real results: not a training or an analysis
                        skipped.append(f"`{ast.unparse(node)[:60]}`: {type(e).__name__}")
    return Plan(path.stem, params, trainings, calls, skipped)


# ----------------------------------------------------------------------------------
# arithmetic
# ----------------------------------------------------------------------------------
@dataclass
class Rates:
    ms_per_step: float  # golfkit, 8xH100
    fixed_s: float  # start-up + compile + export, per training (not the warmup steps)
    launch_s: float
    flat_eval_8gpu_s: float
    ratios: dict[str, float]
    gptq_s: float
    one_device: float = 8.0  # the kernel scores on one of the node's 8 GPUs


def rates(i: dict[str, Input], ratios: dict[str, float]) -> Rates:
    ms = i["ref_ms_per_step"].value * i["h200_golfkit_ms"].value / i["h200_ref_ms"].value
    fixed = (i["h100_wall_s"].value - i["h100_train_s"].value - i["h100_warmup"].value * i["h100_step_ms"].value / 1000
             - 2 * i["h100_eval_s"].value)  # minus the pre-export and roundtrip evals on its 262,144 targets
    return Rates(ms, fixed, i["launch_s"].value, i["flat_eval_8gpu_s"].value, ratios, i["gptq_s"].value)


def steps_reached(cfg, ms_per_step: float) -> int:
    """Steps a training reaches: the iteration cap, or what the wall-clock cap allows at `ms_per_step`."""
    s = cfg.schedule
    cap_s = s.max_wallclock_seconds - s.wallclock_reserve_seconds if s.max_wallclock_seconds > 0 else math.inf
    return min(s.iterations, math.ceil(1000.0 * cap_s / ms_per_step))


def training_parts(cfg, r: Rates) -> dict[str, float]:
    """Seconds of one training by part."""
    s = cfg.schedule
    steps = steps_reached(cfg, r.ms_per_step)
    passes = (len(range(0, steps, s.val_loss_every)) if s.val_loss_every > 0 else 0) + (1 if cfg.eval.pre_quant else 0)
    return {"start-up, compile, export": r.launch_s + r.fixed_s + s.warmup_steps * r.ms_per_step / 1000,
            "training": steps * r.ms_per_step / 1000,
            "validation in training": passes * r.flat_eval_8gpu_s,
            "final roundtrip eval": r.flat_eval_8gpu_s,
            "steps": steps, "validation passes": passes}


def method_of(overrides: dict[str, Any]) -> str:
    return str(overrides.get("eval.method", "flat"))


def analysis_seconds(call: dict[str, Any], r: Rates) -> tuple[float, dict[str, Any]]:
    """Seconds of one recorded analysis call, and what it counted."""
    a, kw = call["args"], call["kwargs"]
    one = r.one_device * r.flat_eval_8gpu_s  # a full-split flat eval on one GPU
    if call["kind"] == "compare_methods":
        chosen = a[2] if len(a) > 2 else kw["methods"]
        per = {name: one * r.ratios[method_of(ov)] for name, ov in chosen.items()}
        return sum(per.values()), {"evals": len(per), "per method": per}
    bits, methods = a[2], a[3]
    evals = len(bits) * len(methods)
    gptq = len(bits) if "gptq" in methods else 0
    out = {"evals": evals, "gptq solves": gptq}
    if call["kind"] == "format_sweep":
        out["compressions (not timed)"] = evals * len(a[4])
    return evals * one + gptq * r.gptq_s, out


def estimate(plans: list[Plan], r: Rates) -> list[dict[str, Any]]:
    """Per notebook: trainings, per-training parts, analysis, totals standalone and in workbook order."""
    seen: set[str] = set()
    rows = []
    for p in plans:
        distinct: dict[str, Training] = {}
        for t in p.trainings:
            distinct.setdefault(t.key, t)
        new = [t for k, t in distinct.items() if k not in seen]
        seen.update(distinct)
        parts = {k: training_parts(t.cfg, r) for k, t in distinct.items()}
        sec = lambda ts: sum(_total(parts[t.key]) for t in ts)  # noqa: E731
        an = [analysis_seconds(c, r) for c in p.calls]
        analysis = sum(s for s, _ in an)
        typical = max(parts.values(), key=lambda x: x["training"]) if parts else {}
        rows.append({
            "notebook": p.notebook, "seeds": p.params.get("seeds"),
            "trainings called": len(p.trainings), "trainings distinct": len(distinct),
            "trainings new in workbook order": len(new),
            "variants": sorted({t.name for t in p.trainings}),
            "per training (longest)": typical,
            "short variants": {t.name: parts[k]["steps"] for k, t in distinct.items()
                               if parts[k]["training"] < typical["training"]},
            "training seconds": sec(distinct.values()), "training seconds in workbook order": sec(new),
            "analysis calls": [dict(kind=c["kind"], **d) for c, (_, d) in zip(p.calls, an)],
            "analysis seconds": analysis,
            "hours standalone": (sec(distinct.values()) + analysis) / 3600,
            "hours in workbook order": (sec(new) + analysis) / 3600,
            "non-default model shapes": sorted({t.name for t in distinct.values() if _shape(t.cfg) != _shape(None)}),
            "statements skipped": p.skipped,
        })
    return rows


def _shape(cfg) -> tuple:
    from golfkit.presets import get_preset

    m = (cfg or get_preset(CHALLENGE["preset"])).model
    return (m.num_layers, m.model_dim, m.mlp_mult, getattr(m, "num_loops", 0))


def cpu_wall(runs: Path) -> dict[str, tuple[str, float, float]]:
    """The latest `ok` cpu-trained run of each notebook in runs/index.jsonl: (run_id, duration_s, cached_s).

    cached_s: the training seconds of the trainings the run took from the cache, trained by another run or
    process (train/*/training.json names who trained each): a run whose trainings were prefilled took only
    its analysis time itself. A run of a variant subset (`-p variants`, e.g. notebook 02 recorded in two
    parts) is part of the notebook, not its wall time, and is skipped.
    """
    from golfkit.lab.runinfo import subset_variants

    out: dict[str, tuple[str, float, float]] = {}
    path = runs / "index.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else []:
        d = json.loads(line)
        subset = bool(subset_variants(d.get("parameters") or {}))
        if d.get("status") == "ok" and "cpu-trained" in d.get("run_id", "") and not subset:
            cached = 0.0
            for rec in sorted((runs / d["run_id"] / "train").glob("*/training.json")):
                t = json.loads(rec.read_text(encoding="utf-8"))
                if Path(str(t.get("run_dir", ""))).name != d["run_id"]:
                    cached += float(t.get("seconds") or 0.0)
            out[Path(d["notebook"]).stem] = (d["run_id"], float(d["duration_s"]), cached)
    return out


# ----------------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------------
def _cpu(c: tuple[str, float, float]) -> str:
    run_id, wall, cached = c
    return f"{wall:,.0f} s" + (f" + {cached:,.0f} s of cached trainings" if cached else "") + f" ({run_id})"


def markdown(rows: list[dict[str, Any]], r: Rates, i: dict[str, Input], cites: list[Input],
             cpu: dict[str, tuple[str, float, float]]) -> str:
    lines = ["| notebook | trainings: called / distinct / new in 00→05 order | one training, s: start-up+compile+export "
             "+ training + validation + final eval = total (min) | analysis on one GPU, min | 8xH100 node, h: alone | "
             "h: in 00→05 order | CPU, cpu-trained: run wall + trainings it took from the cache (run id) |", "|---|---|---|---:|---:|---:|---|"]
    for row in rows:
        t = row["per training (longest)"]
        per = (f"{t['start-up, compile, export']:.0f} + {t['training']:.0f} + {t['validation in training']:.1f} "
               f"+ {t['final roundtrip eval']:.1f} = {_total(t):.0f} ({_total(t) / 60:.1f})" if t else "–")
        c = cpu.get(row["notebook"])
        lines.append(f"| {row['notebook']} | {row['trainings called']} / {row['trainings distinct']} / "
                     f"{row['trainings new in workbook order']} | {per} | {row['analysis seconds'] / 60:.1f} | "
                     f"{row['hours standalone']:.2f} | {row['hours in workbook order']:.2f} | "
                     f"{_cpu(c) if c else 'no ok run'} |")
    total = sum(x["hours in workbook order"] for x in rows)
    lines += ["", f"All six notebooks in order on one node: **{total:.2f} h** (estimate, unmeasured on GPU).", "",
              "Counted per notebook (the notebook's own parameters and plan, `-p preset baseline -p protocol challenge "
              "-p nproc 8`):"]
    for row in rows:
        calls = {}
        for a in row["analysis calls"]:
            k = f"{a['kind']} (" + ", ".join(f"{n} {_fmt_dict(v)}" for n, v in a.items() if n != "kind") + ")"
            calls[k] = calls.get(k, 0) + 1
        short = ", ".join(f"{v} ({n:,} steps)" for v, n in row["short variants"].items())
        lines.append(f"- {row['notebook']}: variants {', '.join(row['variants'])} x seeds {row['seeds']}"
                     + (f"; shorter trainings: {short}" if short else "")
                     + (f"; analysis: " + "; ".join(f"{n} x {k}" for k, n in calls.items()) if calls else "")
                     + (f"; model shapes other than the baseline's (step time assumed the baseline's): "
                        f"{', '.join(row['non-default model shapes'])}" if row["non-default model shapes"] else ""))
    lines += ["", "Derived rates:",
              f"- golfkit's step on 8xH100 = the record's {i['ref_ms_per_step'].value:.2f} ms x golfkit/reference on one "
              f"H200 ({i['h200_golfkit_ms'].value:g} / {i['h200_ref_ms'].value:g}) = **{r.ms_per_step:.2f} ms**: "
              f"{steps_text(r)}.",
              f"- fixed cost per training = wall - training - warmup steps - 2 evals of golfkit's 1xH100 run = "
              f"**{r.fixed_s:.1f} s**, plus the record's torchrun launch ({r.launch_s:.0f} s) and the warmup steps at "
              f"the 8xH100 step time.",
              f"- full-split flat eval: {r.flat_eval_8gpu_s:.3f} s on 8 GPUs, {r.one_device * r.flat_eval_8gpu_s:.1f} s "
              f"on the kernel's one GPU; eval method / flat eval (median over the records' logs): "
              + ", ".join(f"{k} {v:.1f}x" for k, v in r.ratios.items()) + ".",
              "", "Inputs (measured; records' files under the --records folder, golfkit's under --runs):"]
    lines += [f"- {x.cite()}" for x in [*i.values(), *cites]]
    lines += ["", "Assumptions:"] + [f"- {a}" for a in ASSUMPTIONS]
    return "\n".join(lines) + "\n"


def _total(t: dict[str, float]) -> float:
    return sum(v for k, v in t.items() if k not in ("steps", "validation passes"))


def _fmt_dict(v: Any) -> str:
    if isinstance(v, dict):
        return "(" + ", ".join(f"{k} {x / 60:.1f} min" for k, x in v.items()) + ")"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def steps_text(r: Rates) -> str:
    from golfkit.presets import get_preset

    cfg = get_preset(CHALLENGE["preset"])
    n = steps_reached(cfg, r.ms_per_step)
    binds = "the 600 s cap binds" if n < cfg.schedule.iterations else "the iteration cap binds"
    return f"{n:,} steps of the baseline preset in its cap: {binds}"


ASSUMPTIONS = [
    "Analysis cells (tables, plots, findings, CPU-side statistics, the budget and byte tables of 00) are negligible.",
    "Every training reaches its wall-clock cap at golfkit's baseline step time whatever its shape (01's ablations, "
    "02's 4-layer and looped models): their own 8xH100 step times are unmeasured; a faster shape that hits the "
    "iteration cap first would end sooner.",
    "golfkit's step time on 8xH100 = the reference's (its log) x golfkit/reference measured on one H200 (same data, "
    "same machine); validation passes cost the record's full-split eval time whatever the model.",
    "The fixed cost per training (process start, preflight, compile, export, reload) is that of golfkit's 1xH100 "
    "baseline run; the data guard's one-time pass over the full data is cached after the first training and not "
    "counted; the record's torchrun launch time is added once per training.",
    "Analysis scoring (quant_depth.score, eval_methods.compare_methods) runs in the notebook's kernel at world size 1: "
    "one GPU of the node, 8x the 8-GPU eval time (linear scaling).",
    "Eval methods cost their ratio to flat eval of the same model in the record that ran them: sliding s64 and "
    "TTT-SGD from PR #1290 (its TTT: 3 epochs, 32,768-token chunks), doc s64 as sliding s64 (no record logs it), "
    "ttt-lora and ttt-phased as PRs #1801/#1855's phased LoRA TTT including its compile warmup (PR #2135 excluded: "
    "its TTT time holds the n-gram precompute); the notebook's own knobs (epochs, chunk sizes) are not corrected for.",
    "GPTQ: one full-Hessian GPTQ solve per bit width and training at golfkit's measured 1xH100 time (02 and 04 run "
    "it on CPU tensors in the kernel: unmeasured at 17M parameters, so this is a lower bound); RTN, Hessian "
    "collection, hidden-state traces and the compressors of 04 (counted above, not timed) are left out.",
    "Nothing else shares the node; trainings run one after another (the workbook trains sequentially).",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=Path, required=True, help="the records' folder (../shared/reference/records)")
    ap.add_argument("--runs", type=Path, default=Path("runs"))
    ap.add_argument("--notebooks", type=Path, default=Path("notebooks"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--md", type=Path)
    a = ap.parse_args(argv)
    for p in (a.records, a.runs, a.notebooks):
        if not p.is_dir():
            print(f"error: {p} is not a folder", file=sys.stderr)
            return 2
    i = {**baseline_inputs(a.records), **golfkit_inputs(a.runs)}
    ratios, cites = method_ratios(a.records)
    r = rates(i, ratios)
    paths = sorted(p for p in a.notebooks.glob("*.ipynb") if p.name.startswith(NOTEBOOK_ORDER))
    plans = [dry_run(p, lambda cfg: steps_reached(cfg, r.ms_per_step)) for p in paths]
    rows = estimate(plans, r)
    inputs = list(i.values()) + cites
    md = markdown(rows, r, i, cites, cpu_wall(a.runs))
    out = {"rates": asdict(r), "notebooks": rows, "inputs": [asdict(x) for x in inputs], "assumptions": ASSUMPTIONS,
           "protocol": CHALLENGE}
    if a.json:
        a.json.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")
    if a.md:
        a.md.write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
