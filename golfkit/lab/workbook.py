"""What the numbered notebooks call: plan runs, train through the launcher (cached), record.

Notebooks hold no library code: a cell is a call into here (or golfkit.lab.pages for tables and
figures) plus a display. The pattern of every notebook:

    p = workbook.plan(smoke=smoke, preset=preset, protocol=protocol, seeds=seeds, data_dir=data_dir, run_dir=run_dir)
    results = p.train_variants({"baseline": {}, "untied": {"model.tie_embeddings": False}})
    pages.plot_curves(results)                         # train and validation loss of every training
    rows = findings.compare(results, "baseline")       # one labelled test per comparison (golfkit.lab.findings)
    p.record(results, headline="baseline", findings=...)   # -> run_dir/metrics.json, read by the runner

Paths. Relative paths (data_dir, run_dir) are relative to the repository root when the kernel
runs inside a golfkit checkout (JupyterLab starts it in notebooks/), else to the working
directory; the default data folder is `data/`, what `golfkit data fetch` writes.

Protocols. A named protocol (`PROTOCOLS`) is the overrides and validation size that define how
models are trained for the workbook's recorded runs; `cpu-trained` trains to a flattened
validation curve on the mini data, `challenge` is the 10-minute 8xH100 setting. Smoke mode
(CI, `-p smoke True`) swaps in the `smoke` preset, a few steps, the first `smoke_seeds` seeds,
and a copy of the data whose validation split is cut to `SMOKE_VAL_TARGETS` targets. Smoke
numbers only show that the path works; they mean nothing.

Trainings are cached by a hash of what decides their result (the resolved config with its seed,
the data files' contents, the training code, the process count): a finished training is linked
into the run folder from `<runs>/.cache/<key>/` instead of being trained again, so a rerun of a
killed notebook run resumes, and notebooks that train the same model share it. With `jobs` > 1
(iteration-capped trainings only) train_variants first fills the cache that many trainings at a time,
each in its own process, then reads every result from it in order, as a one-at-a-time run would.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.lab import launch, stats
from golfkit.lab.pages import curve_summary, figure_alt, show_figure, summary_line

SMOKE_VAL_TARGETS = 16_384  # 128 smoke-length sequences
SMOKE_STEPS = 4
CACHE_DIR = ".cache"  # under the runs root: finished trainings by key (git-ignored)
TRAINING_RECORD = "training.json"  # written into a finished training folder: its key and provenance

# The challenge's scale, from the NaiveBaseline record's train log (openai/parameter-golf
# records/track_10min_16mb/2026-03-17_NaiveBaseline): 13,780 steps of 524,288 tokens in the
# 600 s cap on 8xH100, validation on the whole split (val_loader ... tokens:63779840).
CHALLENGE_STEPS = 13_780
CHALLENGE_BATCH_TOKENS = 524_288
CHALLENGE_TRAIN_TOKENS = CHALLENGE_STEPS * CHALLENGE_BATCH_TOKENS
CHALLENGE_VAL_TOKENS = 63_779_840
CHALLENGE_SECONDS = 600


@dataclass(frozen=True)
class Protocol:
    """How the workbook trains a notebook's models: a preset, overrides on every training, a validation size."""

    name: str
    preset: str
    overrides: dict[str, Any]
    val_tokens: int  # >0: the first val_tokens validation targets are scored (in training and after)
    about: str


# cpu-trained: chosen from calibration runs on the mini data (1,048,576 train tokens; LOG.md 2026-11-29 and
# 2026-11-30): at 8,192 tokens/step a 4 x 128 model's validation loss levels off at constant learning rate
# after ~650 steps (4,096 tokens/step plateaus higher: gradient noise); a 30% fraction warmdown then anneals
# it. At 600 steps the constant phase ended at step 420, still falling 1.8% over its last 20%; at 1,200
# steps (notebook 00's 2x horizon run) it fell 0.7% there and the end validation loss was 1.4% lower, so
# 1,200 steps (9.4 epochs) is the protocol. 2,400 steps ended worse than 1,200 (overfitting).
CPU_TRAINED = {
    "model.num_layers": 4, "model.model_dim": 128, "model.num_heads": 4, "model.num_kv_heads": 2,
    "schedule.train_batch_tokens": 8192, "schedule.micro_batches": 1, "schedule.iterations": 1200,
    "schedule.max_wallclock_seconds": 0.0, "schedule.warmup_steps": 0,
    "schedule.warmdown_kind": "fraction", "schedule.warmdown_frac": 0.3,
    "schedule.val_loss_every": 50, "schedule.train_log_every": 10, "schedule.save_checkpoint": True,
}
PROTOCOLS = {
    "cpu-trained": Protocol("cpu-trained", "cpu-small", CPU_TRAINED, 65_536,
                            "4 layers x 128, seq 256, 8,192 tokens/step, 1,200 steps, fraction warmdown 0.3; "
                            "val on the first 65,536 targets (CPU, mini data)"),
    "challenge": Protocol("challenge", "baseline", {}, 0,
                          "the baseline preset as the challenge runs it: 10-minute cap, whole validation split "
                          "(8xH100: -p nproc 8)"),
}


# ----------------------------------------------------------------------------------
# paths
# ----------------------------------------------------------------------------------
def repo_root(start: Path | None = None) -> Path | None:
    """The golfkit checkout around `start` (default the working directory), or None outside one."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file() and (d / "golfkit").is_dir() and (d / "notebooks").is_dir():
            return d
    return None


def resolve_path(path: str | Path) -> Path:
    """An absolute path for a notebook parameter.

    Relative paths mean the repository root inside a checkout (the kernel of JupyterLab runs in
    notebooks/, a `golfkit run` kernel in the directory it was started from), else the working
    directory. A folder that exists only relative to the working directory (a run folder the
    runner made from a subdirectory) is taken from there.
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    root = repo_root()
    here = Path.cwd() / p
    if root is None:
        return here.resolve()
    there = root / p
    return (here if not there.exists() and here.exists() else there).resolve()


def shown_path(path: str | Path) -> str:
    """A path as a record states it: relative to the repository root when inside it (no machine paths in runs/)."""
    p, root = Path(path), repo_root()
    if root is not None and p.is_absolute() and p.is_relative_to(root):
        return str(p.relative_to(root))
    return str(p)


def data_hint(data_dir: Path) -> str:
    return (f"data: {data_dir}  (set data_dir in the parameters cell or `golfkit run NOTEBOOK -p data_dir PATH`; "
            f"`golfkit data fetch --dir data` writes the default data/)")


# ----------------------------------------------------------------------------------
# the plan of one notebook run
# ----------------------------------------------------------------------------------
@dataclass
class Plan:
    """Resolved settings of one notebook run, and the training runs it launched."""

    smoke: bool
    preset: str
    seeds: list[int]
    data_dir: Path
    run_dir: Path
    nproc: int = 1
    base: dict[str, Any] = field(default_factory=dict)  # overrides applied to every training run
    timeout: float | None = None  # seconds per training run; None = the preset's own cap decides
    val_tokens: int = 0  # >0: only the first val_tokens validation targets are scored (stated in metrics)
    protocol: str = ""  # the PROTOCOLS name, "smoke", or "" (preset + overrides as given)
    results: list[dict[str, Any]] = field(default_factory=list)
    train_seconds: float = 0.0  # wall time spent inside training subprocesses (this run, not reused ones)
    cache_dir: Path | None = None
    jobs: int = 1  # trainings run side by side by train_variants (iteration-capped trainings only: see plan())
    _fingerprints: dict[str, str] = field(default_factory=dict, repr=False)

    # -- one training ----------------------------------------------------------------
    def overrides_for(self, overrides: dict[str, Any] | None, seed: int) -> dict[str, Any]:
        """What one training sets on the preset: the plan's base, its own overrides, its seed."""
        return {**self.base, **(overrides or {}), "seed": seed}

    def config_for(self, overrides: dict[str, Any] | None, seed: int):
        """The resolved RunConfig of one training (preset + base + overrides + seed)."""
        from golfkit.presets import get_preset

        return get_preset(self.preset).override(self.overrides_for(overrides, seed))

    def training_key(self, overrides: dict[str, Any] | None, seed: int) -> str:
        """Hash of what decides a training's result: config, data contents, training code, processes."""
        cfg = self.config_for(overrides, seed).to_dict()
        cfg["data"] = {k: v for k, v in cfg["data"].items() if k != "dir"}  # where the data lies is not what it is
        variant = f"{cfg['data'].get('variant')}|{cfg['data'].get('tokenizer')}"
        if variant not in self._fingerprints:
            self._fingerprints[variant] = data_fingerprint(self.data_dir, cfg["data"].get("variant"),
                                                           cfg["data"].get("tokenizer"))
        if "code" not in self._fingerprints:
            self._fingerprints["code"] = code_fingerprint()
        blob = json.dumps({"config": cfg, "data": self._fingerprints[variant], "code": self._fingerprints["code"],
                           "nproc": self.nproc, "timeout": self.timeout}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    def train(self, name: str, overrides: dict[str, Any] | None = None, seed: int | None = None,
              progress: tuple[int, int] | None = None) -> dict[str, Any]:
        """One training into run_dir/train/<name>_s<seed> (reused when finished before); its metrics plus labels.

        progress: (i, n) of this training in the notebook's list, for the progress line.
        """
        seed = self.seeds[0] if seed is None else seed
        sub = self.run_dir / "train" / f"{name}_s{seed}"
        ov = self.overrides_for(overrides, seed)
        key = self.training_key(overrides, seed)
        tag = f"training {progress[0]}/{progress[1]} ({name}, seed {seed})" if progress else f"training ({name}, seed {seed})"
        src, reused = _finished(sub, key), key not in self._filled
        if src is None:
            src, trained = self._ensure(key, name, seed, ov, tag)
            reused = reused and not trained
        if src != sub:
            _materialize(src, sub)
        rec = json.loads((sub / TRAINING_RECORD).read_text(encoding="utf-8"))
        metrics = json.loads((sub / "metrics.json").read_text(encoding="utf-8"))
        curve = curve_summary(sub, metrics)
        out = {**metrics, "name": name, "seed": seed, "dir": str(sub), "overrides": overrides or {},
               "artifact": str(sub / Path(metrics.get("artifact", "final_model.golf")).name),
               "key": key, "reused": reused, "trained_by": rec.get("run_dir"), "train_wall_s": rec.get("seconds"),
               **curve}
        if not reused:
            self.train_seconds += rec.get("seconds") or 0.0
            if key not in self._filled:  # a training of the parallel phase is counted when it ended
                self._trained.append(rec.get("seconds") or 0.0)
        self.results.append(out)
        print(f"{tag}: {'reused ' + key[:8] if reused else 'trained'}; {summary_line(out)}", flush=True)
        return out

    def _ensure(self, key: str, name: str, seed: int, ov: dict[str, Any], tag: str) -> tuple[Path, bool]:
        """The cached training of `key`, trained now unless finished before (another process may hold
        its lock: then this waits and reuses it); (its folder, whether this call trained it)."""
        cache = self.cache_dir / key
        cache.parent.mkdir(parents=True, exist_ok=True)
        with _locked(cache.with_name(key + ".lock")):
            src = _finished(cache, key)
            if src is not None:
                return src, False
            print(f"{tag}: training ({_clock(self)})", flush=True)
            return self._train_into(cache, key, name, seed, ov), True

    def _fill(self, jobs: list[tuple[str, dict[str, Any], int]]) -> None:
        """Train the jobs' missing trainings into the cache, `self.jobs` at a time (each its own subprocess).

        Only the cache is filled here; train_variants then takes every training from it in the notebook's
        order, so results, tables and records come out as a one-at-a-time run would make them.
        """
        todo, seen = [], set()
        for name, ov, seed in jobs:
            key = self.training_key(ov, seed)
            sub = self.run_dir / "train" / f"{name}_s{seed}"
            if key not in seen and _finished(sub, key) is None and _finished(self.cache_dir / key, key) is None:
                seen.add(key)
                todo.append((key, name, ov, seed))
        if len(todo) < 2:
            return
        print(f"{len(todo)} trainings to run, {min(self.jobs, len(todo))} at a time ({_clock(self)})", flush=True)

        def one(i: int, key: str, name: str, ov: dict[str, Any], seed: int) -> None:
            ov = self.overrides_for(ov, seed)
            _, trained = self._ensure(key, name, seed, ov, f"training {i}/{len(todo)} ({name}, seed {seed}, side by side)")
            with self._lock:  # finished either way (another process may have trained it): one less to wait for
                self._pending -= 1  # trainings not finished, less one (_clock's count)
            if trained:
                rec = json.loads((self.cache_dir / key / TRAINING_RECORD).read_text(encoding="utf-8"))
                with self._lock:
                    self._filled.add(key)
                    self._trained.append(rec.get("seconds") or 0.0)
                print(f"training {i}/{len(todo)} ({name}, seed {seed}): trained in {rec.get('seconds')} s "
                      f"({_clock(self)})", flush=True)

        self._pending = len(todo) - 1
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(one, i, *job) for i, job in enumerate(todo, 1)]
            for f in as_completed(futures):
                if f.exception() is not None:  # stop starting new ones; the running ones finish
                    for g in futures:
                        g.cancel()
        for f in futures:
            if not f.cancelled() and f.exception() is not None:
                raise f.exception()

    def _train_into(self, cache: Path, key: str, name: str, seed: int, ov: dict[str, Any]) -> Path:
        part = cache.with_name(key + ".part")
        if part.exists():  # a killed training: golfkit wrote it, under its own key
            shutil.rmtree(part)
        t0 = time.monotonic()
        try:
            launch.train_subprocess(part, self.preset, ov, self.data_dir, self.nproc, timeout=self.timeout,
                                    echo=lambda line: None)
        except launch.TrainingFailed:
            log = part / launch.CONSOLE_LOG
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:] if log.is_file() else []
            print("\n".join(tail))
            raise
        rec = {"key": key, "name": name, "seed": seed, "preset": self.preset, "overrides": ov,
               "nproc": self.nproc, "seconds": round(time.monotonic() - t0, 2), "run_dir": shown_path(self.run_dir),
               "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        atomic_write(part / TRAINING_RECORD, json.dumps(rec, indent=2) + "\n")
        part.rename(cache)
        return cache

    def train_variants(self, variants: dict[str, dict[str, Any]], seeds: list[int] | None = None) -> list[dict]:
        """Every variant x every seed (seed-major, so a cut-short run still has every variant once)."""
        jobs = [(name, ov, seed) for seed in (seeds or self.seeds) for name, ov in variants.items()]
        if self.jobs > 1:
            self._fill(jobs)
        self._pending = len(jobs)
        out = []
        for i, (name, ov, seed) in enumerate(jobs, 1):
            self._pending = len(jobs) - i
            out.append(self.train(name, ov, seed, progress=(i, len(jobs))))
        return out

    # -- small helpers the notebooks use ------------------------------------------------
    def pick(self, items: list, smoke_count: int) -> list:
        """`items`, or only the first `smoke_count` of them in smoke mode (CI time)."""
        return list(items)[:smoke_count] if self.smoke else list(items)

    def smoke_or(self, value: Any, smoke_value: Any) -> Any:
        """`value`, or `smoke_value` in smoke mode (e.g. fewer calibration batches)."""
        return smoke_value if self.smoke else value

    def variants(self, ablations: dict[str, dict[str, Any]], baseline: str | None = "baseline",
                 smoke_count: int = 1) -> dict[str, dict]:
        """{baseline: {}, **ablations}; in smoke mode only the first `smoke_count` ablations (CI time)."""
        items = list(ablations.items())[: smoke_count if self.smoke else None]
        return {**({baseline: {}} if baseline else {}), **dict(items)}

    def figure(self, fig, name: str, alt: str | None = None) -> None:
        """Save a figure as figures/<name>.png and show that image in the notebook with alt text (`alt`, or one
        made from the figure's titles, axis labels and legends: golfkit.lab.pages.figure_alt); the figure is
        then closed, so a notebook needs no plt.show(). Returns None: as a cell's last line it adds no output."""
        path = self.run_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        show_figure(fig, path, alt or figure_alt(fig, name))

    def scale(self, results: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """This run's scale against the challenge's: tokens and steps per training, val targets, seeds."""
        results = self.results if results is None else results
        r = results[0] if results else {}
        steps, tokens = int(r.get("steps") or 0), int(r.get("train_tokens") or 0)
        val = int(r.get("val_tokens") or 0)
        return {"protocol": self.protocol or "custom", "steps": steps, "tokens_per_step": tokens // max(steps, 1),
                "train_tokens": tokens, "epochs": r.get("epochs"),
                "challenge_steps": CHALLENGE_STEPS, "challenge_seconds": CHALLENGE_SECONDS, "challenge_train_tokens": CHALLENGE_TRAIN_TOKENS,
                "steps_pct_of_challenge": 100.0 * steps / CHALLENGE_STEPS,
                "tokens_pct_of_challenge": 100.0 * tokens / CHALLENGE_TRAIN_TOKENS,
                "val_targets": val, "challenge_val_tokens": CHALLENGE_VAL_TOKENS,
                "val_pct_of_challenge": 100.0 * val / CHALLENGE_VAL_TOKENS,
                "seeds": list(self.seeds), "n_seeds": len(self.seeds), "model_params": r.get("model_params"),
                "trainings": len({x["key"] for x in results if "key" in x}),
                "trainings_reused": len({x["key"] for x in results if x.get("reused")})}

    def record(self, results: list[dict[str, Any]] | None = None, headline: str | None = None,
               findings: list[str] | None = None, **extra: Any) -> dict[str, Any]:
        """Write run_dir/metrics.json: the headline variant's per-seed numbers, every training, the findings."""
        results = self.results if results is None else results
        head = [r for r in results if headline is None or r["name"] == headline] or results
        summary: dict[str, Any] = {"smoke": self.smoke, "preset": self.preset, "protocol": self.protocol,
                                   "nproc": self.nproc, "train_seconds": round(self.train_seconds, 2),
                                   "headline": headline, "base_overrides": self.base, "val_tokens_cap": self.val_tokens}
        if head:
            bpb, loss = [r["val_bpb"] for r in head], [r["val_loss"] for r in head]
            summary.update(val_bpb=float(sum(bpb) / len(bpb)), val_loss=float(sum(loss) / len(loss)),
                           val_bpb_summary=stats.summarize(bpb).to_dict(),
                           bytes_total=max(r["bytes_total"] for r in head),
                           seeds=[r["seed"] for r in head], seed_values={"val_bpb": bpb, "val_loss": loss})
            summary["scale"] = self.scale(results)
        summary["runs"] = [{k: (shown_path(r[k]) if k == "dir" and r.get(k) else r.get(k)) for k in RUN_FIELDS}
                           for r in results]
        summary.update(extra)
        if findings is not None:
            summary["findings"] = list(findings)
        atomic_write(self.run_dir / "metrics.json", json.dumps(_clean(summary), indent=2) + "\n")
        return summary

    def __post_init__(self):
        self._filled: set[str] = set()  # keys trained by this run's parallel phase (_fill)
        self._lock = threading.Lock()
        self._trained: list[float] = []
        self._pending = 0
        self._t0 = time.monotonic()


RUN_FIELDS = ("name", "seed", "dir", "key", "reused", "val_bpb", "val_loss", "bytes_total", "bytes_model", "bytes_code",
              "model_params", "pre_quant_val_bpb",
              "pre_quant_val_loss", "train_loss_end", "train_val_gap", "val_last20_pct", "val_plateau_pct", "val_best",
              "val_best_step", "epochs",
              "steps", "train_tokens", "train_time_ms", "train_wall_s")


def _clock(p: Plan) -> str:
    """'elapsed 12m03s, ETA 41m' from this run's trainings so far (ETA: mean trained time x trainings left)."""
    elapsed = time.monotonic() - p._t0
    eta = "unknown"
    if p._trained:  # _pending + 1 trainings left, `jobs` at a time
        eta = _dur(sum(p._trained) / len(p._trained) * math.ceil((p._pending + 1) / max(p.jobs, 1)))
    return f"elapsed {_dur(elapsed)}, ETA {eta}"


def _dur(s: float) -> str:
    s = int(round(s))
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def _finished(folder: Path, key: str) -> Path | None:
    """`folder` if it holds a finished training under `key` (its record, metrics and artifact), else None."""
    rec_path = folder / TRAINING_RECORD
    if not rec_path.is_file() or not (folder / "metrics.json").is_file():
        return None
    try:
        rec = json.loads(rec_path.read_text(encoding="utf-8"))
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if rec.get("key") != key:
        return None
    if not (folder / Path(metrics.get("artifact", "final_model.golf")).name).is_file():
        return None  # e.g. a committed run folder on a fresh clone: logs only, the model was not committed
    ov = rec.get("overrides") or {}
    if ov.get("schedule.save_checkpoint") and not (folder / "checkpoint.golf").is_file():
        return None
    return folder


def _materialize(src: Path, dest: Path) -> None:
    """Link (or copy) a finished training's files into the run folder's train/<name>_s<seed>."""
    if dest.exists():
        if not ((dest / TRAINING_RECORD).is_file() or (dest / "config.json").is_file()):
            raise GolfkitError(f"{dest} exists and is not a golfkit training folder; move it away")
        shutil.rmtree(dest)  # an older training of another config under the same name: golfkit wrote it
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file():
            try:
                os.link(f, tmp / f.name)
            except OSError:
                shutil.copy2(f, tmp / f.name)
    tmp.rename(dest)


class _locked:
    """An exclusive flock on `path` (released when the process dies): two runs never train one key at once."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.f = open(self.path, "a+")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()


def data_fingerprint(data_dir: Path, variant: str | None, tokenizer: str | None) -> str:
    """sha256 over the contents of the dataset's shards and tokenizer a training reads."""
    from golfkit.data import find_dataset

    ds = find_dataset(data_dir, variant, tokenizer)
    h = hashlib.sha256()
    for f in [*ds.train_files, *ds.val_files, Path(ds.tokenizer)]:
        h.update(Path(f).name.encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def code_fingerprint() -> str:
    """sha256 over golfkit's sources outside lab/ (what trains, exports and scores a model)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        if rel.parts[0] == "lab":
            continue
        h.update(str(rel).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _clean(obj: Any) -> Any:
    """JSON-safe: NaN/inf -> None (strict JSON readers reject NaN)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    return obj


def plan(smoke: bool, preset: str, seeds: list[int], data_dir: str | Path, run_dir: str | Path, nproc: int = 1,
         wallclock_seconds: float = 0.0, smoke_seeds: int = 1, smoke_steps: int = SMOKE_STEPS,
         timeout: float | None = None, save_checkpoint: bool = True, overrides: dict[str, Any] | None = None,
         val_tokens: int = 0, protocol: str = "", cache_dir: str | Path | None = None, jobs: int = 1) -> Plan:
    """Resolve a notebook's parameters into a Plan (and, with a validation cap, a trimmed data copy).

    protocol: a PROTOCOLS name: its overrides go under `overrides` and its validation size applies
      unless `val_tokens` is given; "" uses preset + overrides as they are.
    save_checkpoint: every training run also writes its float weights (for later analysis; on by default,
      so that every notebook trains the same config, and the cache serves them all).
    overrides: dotted config overrides applied to every training run, after the protocol and the
      smoke/wallclock settings; checked against the preset now, so a typo fails before any training starts.
    val_tokens: >0 scores only the first val_tokens targets of the validation split (a data copy like smoke mode's):
      faster analyses, noisier numbers; metrics.json records the cap. Not a challenge score.
    cache_dir: where finished trainings are kept by key (default <run_dir's parent>/.cache).
    jobs: trainings run side by side, each in its own process (a machine with more cores than one
      training uses). Only for iteration-capped trainings: under a wall-clock cap a training's steps, and so
      its result, would depend on what runs beside it.
    """
    preset, seeds, protocol, val_tokens, base = check_plan(smoke, preset, seeds, data_dir, nproc, wallclock_seconds,
                                                          smoke_seeds, smoke_steps, save_checkpoint, overrides,
                                                          val_tokens, protocol, jobs)
    run_dir, data_dir = resolve_path(run_dir), resolve_path(data_dir)
    (run_dir / "figures").mkdir(parents=True, exist_ok=True)
    given_data = data_dir
    if val_tokens > 0:
        data_dir = val_head_copy(data_dir, run_dir / ("smoke_data" if smoke else "val_head_data"), val_tokens)
    cache = resolve_path(cache_dir) if cache_dir else run_dir.parent / CACHE_DIR
    p = Plan(smoke, preset, list(seeds), data_dir, run_dir, nproc, base, timeout, max(val_tokens, 0), protocol,
             cache_dir=cache, jobs=jobs)
    mode = "SMOKE (tiny model, a few steps: numbers are meaningless)" if smoke else "full"
    print(f"mode: {mode}\npreset: {preset}  protocol: {protocol or 'none'}  nproc: {nproc}  seeds: {p.seeds}"
          + (f"  jobs: {jobs} side by side" if jobs > 1 else ""))
    print(data_hint(given_data))
    print(f"run_dir: {run_dir}")
    if overrides:
        print(f"overrides on every run: {overrides}")
    if val_tokens > 0 and not smoke:
        print(f"scoring the first {val_tokens:,} validation targets only (not a challenge score)")
    return p


PLAN_PARAMETERS = ("smoke", "preset", "seeds", "data_dir", "nproc", "wallclock_seconds", "overrides", "val_tokens",
                   "protocol", "jobs")  # the notebook parameters `golfkit run` checks through check_plan


def check_plan(smoke: bool, preset: str, seeds: list[int], data_dir: str | Path, nproc: int = 1,
               wallclock_seconds: float = 0.0, smoke_seeds: int = 1, smoke_steps: int = SMOKE_STEPS,
               save_checkpoint: bool = True, overrides: dict[str, Any] | None = None, val_tokens: int = 0,
               protocol: str = "", jobs: int = 1) -> tuple[str, list[int], str, int, dict[str, Any]]:
    """Every check of `plan`, writing nothing: (preset, seeds, protocol, val_tokens, overrides) as plan uses them.

    `golfkit run` calls it before the run folder exists, so that `-p seeds []` or an unknown protocol is one
    line, not a recorded failed run."""
    if not seeds:
        raise GolfkitError("seeds is empty: give at least one seed")
    if isinstance(nproc, bool) or not isinstance(nproc, int) or not 1 <= nproc <= 1024:
        raise GolfkitError(f"nproc must be an integer from 1 to 1024 (processes per training), got {nproc!r}")
    if isinstance(val_tokens, bool) or not isinstance(val_tokens, int) or val_tokens < 0:
        raise GolfkitError(f"val_tokens must be an integer >= 0 (0 = the whole split), got {val_tokens!r}")
    if not math.isfinite(wallclock_seconds) or wallclock_seconds < 0:
        raise GolfkitError(f"wallclock_seconds must be a finite number >= 0 (0 = no cap), got {wallclock_seconds!r}")
    data_dir = resolve_path(data_dir)
    if not (data_dir / "datasets").is_dir():
        raise GolfkitError(f"no datasets/ under {data_dir}: {data_hint(data_dir).split('  ', 1)[1]}")
    base: dict[str, Any] = {}
    if smoke:
        preset, seeds, protocol = "smoke", list(seeds[:smoke_seeds]), "smoke"
        base = {"schedule.iterations": smoke_steps, "schedule.train_log_every": 1, "schedule.val_loss_every": 2}
        val_tokens = SMOKE_VAL_TARGETS
    elif protocol:
        if protocol not in PROTOCOLS:
            raise GolfkitError(f"unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)}; '' for none)")
        proto = PROTOCOLS[protocol]
        if preset != proto.preset:
            raise GolfkitError(f"protocol {protocol} is defined on preset {proto.preset}, not {preset} "
                               f"(pass -p protocol '' to train {preset} with your own overrides)")
        base.update(proto.overrides)
        val_tokens = val_tokens or proto.val_tokens
    if not smoke and wallclock_seconds > 0:
        base["schedule.max_wallclock_seconds"] = float(wallclock_seconds)
    if save_checkpoint:
        base["schedule.save_checkpoint"] = True
    base.update(overrides or {})
    cfg = _check_overrides(preset, base)
    _check_jobs(jobs, nproc, cfg)
    return preset, list(seeds), protocol, val_tokens, base


def _check_overrides(preset: str, base: dict[str, Any]):
    """Apply `base` to the preset once, so an unknown key or bad value fails before training; the config."""
    from golfkit.presets import get_preset

    return get_preset(preset).override({k: v for k, v in base.items() if k != "seed"})


def _check_jobs(jobs: Any, nproc: int, cfg) -> None:
    """jobs > 1 only where side-by-side trainings give the results one-at-a-time trainings give."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise GolfkitError(f"jobs must be an integer from 1 to 64, got {jobs!r}")
    if jobs == 1:
        return
    if nproc > 1:
        raise GolfkitError(f"jobs {jobs} with nproc {nproc}: a torchrun training already takes the machine; "
                           "run side by side only single-process trainings (nproc 1)")
    if cfg.schedule.max_wallclock_seconds > 0:
        raise GolfkitError(f"jobs {jobs} under a {cfg.schedule.max_wallclock_seconds:g} s wall-clock cap: a capped "
                           "training's steps depend on what runs beside it; use jobs 1, or cap by iterations "
                           "(schedule.max_wallclock_seconds 0)")


def val_head_copy(data_dir: Path, dest: Path, targets: int) -> Path:
    """A copy of `data_dir` whose validation split keeps its first `targets` targets (train shards linked)."""
    from golfkit.data import read_shard, write_shard

    if not (data_dir / "datasets").is_dir():
        raise GolfkitError(f"no datasets/ under {data_dir}: {data_hint(data_dir).split('  ', 1)[1]}")
    if dest.exists():
        shutil.rmtree(dest)
    for src in sorted((data_dir / "datasets").glob("*/*.bin")):
        out = dest / "datasets" / src.parent.name / src.name
        out.parent.mkdir(parents=True, exist_ok=True)
        if "_val_" in src.name:
            if src.name.endswith("000000.bin"):  # the head of the split is enough
                write_shard(out, read_shard(src)[: targets + 1])  # + the first context token
        else:
            out.symlink_to(src.resolve())
    shutil.copytree(data_dir / "tokenizers", dest / "tokenizers", symlinks=True)
    return dest


def timed(fn, *args, **kwargs) -> tuple[Any, float]:
    """(fn(*args, **kwargs), seconds): for eval-time columns."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def export_submission(results: list[dict[str, Any]], dest: str | Path, name: str, blurb: str = "",
                      author: str = "", github_id: str = "") -> Path:
    """A records/-style folder for the candidate's seeds (golfkit/export.py).

    train_gpt.py (the standalone bundle of the first seed's config; `SEED=...` selects the
    others), its readable twin, README.md, requirements.txt, one train_seed<N>.log per seed, and
    submission.json with the challenge's fields: val_loss/val_bpb are the seed means (the README
    reports the mean of the seeds run), bytes_total the largest model over seeds + the exported
    train_gpt.py. Refused (GolfkitError) when that total is over the budget.
    """
    from datetime import date

    from golfkit.export import export_submission as export_run

    dest = Path(dest)
    info = export_run(dest, run_dir=results[0]["dir"], name=name, github_id=github_id, force=True)
    n, code = len(results), info["bytes_code"]
    sub = {"author": author, "github_id": github_id, "name": name, "blurb": blurb, "date": date.today().isoformat(),
           "val_loss": sum(r["val_loss"] for r in results) / n, "val_bpb": sum(r["val_bpb"] for r in results) / n,
           "bytes_total": max(r["bytes_model"] for r in results) + code, "bytes_code": code,
           "seeds": [r["seed"] for r in results], "seed_val_bpb": [r["val_bpb"] for r in results]}
    atomic_write(dest / "submission.json", json.dumps(sub, indent=2) + "\n")
    for r in results:
        shutil.copyfile(Path(r["dir"]) / "train.log", dest / f"train_seed{r['seed']}.log")
    return dest
