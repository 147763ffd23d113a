"""`golfkit audit RUN_DIR [RUN_DIR ...]`: the challenge's conditions, checked on golfkit run folders.

    golfkit audit runs/a_s1337 runs/a_s42 runs/a_s2025 [--baseline runs/b_s1 runs/b_s2 ...] [--previous PR|LOSS]

A run folder is what `golfkit train` writes (config.json, metrics.json, train.log, the artifact). Several
folders are the seeds of one config. One row per check: pass, fail or unknown, with the evidence:

* C1-C4 (openai/parameter-golf issue #1017): the causality probe (golfkit/causality.py) on the run's own
  artifact, for the method that produced its score (flat: the reloaded artifact, what `golfkit train`
  reports) and its configured `eval.method`, at probe scale (`causality.probe_config`); the document
  order rule of golfkit.eval.ttt.stream_causal; and the run's score-book record (targets scored vs the
  split's targets). The probe runs on the first folder's artifact (the seeds share the config) unless
  --probe-all;
* bytes: model (the artifact file on disk, checked against the record) + code (the exported
  train_gpt.py, as logged; recomputed with this checkout as evidence) <= 16,000,000 for every seed;
* training <= 600 s: the run record's train budget (golfkit.train.train_budget: the loop's train_time,
  final hooks, GPTQ calibration and quantization) for every seed;
* evaluation <= 600 s: the scored evaluation's seconds, for every seed;
* data: the validation guard as the run logged it (data.guard, what it checked, cached or computed),
  the train/val overlap recomputed here when the run's data folder is present (golfkit.overlap), and
  the validation split's fingerprint against the canonical split (golfkit.canonical);
* seeds: at least 3 runs of one config (configs equal but for the seed);
* significance: the challenge's bar, 0.005 nats at p < 0.01 (one-sided Welch t-test, scipy.stats; the
  same computation as `golfkit audit FOLDER`) against --baseline run folders, or a record or score
  named with --previous / --previous-bpb.

Exits 1 when a check fails. Workbook layer: imports no training code (golfkit.train, session, optim); the
recomputed code size reads the builders' tables through golfkit.export, which loads golfkit.train's
TRAINING_HOOKS table as the exporter always does.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from golfkit.errors import GolfkitError
from golfkit.lab.audit import (BUDGET_BYTES, EVAL_SECONDS, LOG_MAX_BYTES, MIN_SEEDS, TRAIN_SECONDS, Check, SeedLog,
                               add_parser, audit_folder, format_table, significance, significance_from)

ARTIFACT = "final_model.int8.golf"  # golfkit.train.ARTIFACT_NAME (not imported: training code)
# metrics.json fields the checks read, where present: sections are JSON objects (lists where said), numbers are
# finite. Absent fields are each check's "unknown" (a run before golfkit recorded them); another type is a
# damaged or edited record, refused in one line instead of read as a number it is not (a NaN time passed 600 s).
RECORD_SECTIONS = {"timing": dict, "score_book": dict, "method_score_book": dict, "data_guard": dict,
                   "data_guard.sources": list, "data_guard.contained_docs": dict, "data_guard.work": dict}
RECORD_NUMBERS = ("bytes_model", "bytes_code", "bytes_total", "val_loss", "val_bpb", "eval_seconds",
                  "method_eval_seconds", "train_time_ms", "diverged_step", "timing.*", "score_book.scored_targets",
                  "score_book.split_targets", "method_score_book.scored_targets", "method_score_book.split_targets",
                  "data_guard.shards", "data_guard.worst_fraction", "data_guard.contained_docs.*")
RUN_FIELDS = ("seed",)  # config fields that may differ between the seeds of one config
PATH_FIELDS = ("data.dir", "data.tokenizer", "data.guard_cache")  # where, not what


def _record_values(m: dict, dotted: str) -> list[tuple[str, Any]]:
    """(key, value) of each present field a RECORD_* key names (`section.*`: every value of the section); a null
    counts as absent at the top level (golfkit writes method_score_book: null), as a value inside a section."""
    *head, leaf = dotted.split(".")
    section: Any = m
    for h in head:
        section = section.get(h) if isinstance(section, dict) else None
    if not isinstance(section, dict):
        return []
    prefix = ".".join(head) + "." if head else ""
    items = section.items() if leaf == "*" else [(leaf, section[leaf])] if leaf in section else []
    return [(prefix + str(k), v) for k, v in items if v is not None or head]


def check_record(m: dict, path: Path) -> None:
    """Refuse a metrics.json whose fields the audit reads have other JSON types (RECORD_SECTIONS, RECORD_NUMBERS)."""
    import math

    for dotted, typ in RECORD_SECTIONS.items():
        for key, v in _record_values(m, dotted):
            if not isinstance(v, typ):
                kind = "a JSON object" if typ is dict else "a JSON list"
                raise GolfkitError(f"audit: run record {path} is malformed: '{key}' must be {kind}, got {v!r:.60}")
    for dotted in RECORD_NUMBERS:
        for key, v in _record_values(m, dotted):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise GolfkitError(f"audit: run record {path} is malformed: '{key}' must be a finite number, "
                                   f"got {v!r:.60}")


def is_run_folder(folder: str | Path) -> bool:
    f = Path(folder)
    return (f / "config.json").is_file() and (f / "metrics.json").is_file()


class Run:
    """One run folder, read and validated (config through RunConfig, the record as JSON)."""

    def __init__(self, folder: str | Path):
        from golfkit import safeio
        from golfkit.config import RunConfig

        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise GolfkitError(f"audit: {self.folder} is not a folder")
        if not is_run_folder(self.folder):
            raise GolfkitError(f"audit: {self.folder} is not a golfkit run folder (config.json and metrics.json)")
        try:
            self.cfg = RunConfig.from_json(safeio.read_bytes(self.folder / "config.json", "config", safeio.CONFIG_MAX_BYTES),
                                           f"config {self.folder / 'config.json'}")
        except GolfkitError as e:
            raise GolfkitError(f"audit: {e}") from None
        m = safeio.loads(safeio.read_bytes(self.folder / "metrics.json", "run record", safeio.CONFIG_MAX_BYTES),
                         f"run record {self.folder / 'metrics.json'}")
        if not isinstance(m, dict):
            raise GolfkitError(f"audit: {self.folder / 'metrics.json'} is not a JSON object")
        check_record(m, self.folder / "metrics.json")
        self.m: dict[str, Any] = m
        log = self.folder / "train.log"
        self.log = safeio.read_bytes(log, "train log", LOG_MAX_BYTES).decode("utf-8", "replace").splitlines() \
            if log.is_file() else []
        self.artifact = self.folder / Path(str(m.get("artifact") or ARTIFACT)).name

    @property
    def name(self) -> str:
        return self.folder.name

    def num(self, key: str) -> float | None:
        v = self.m.get(key)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def logged(self, prefix: str) -> str | None:
        return next((ln for ln in self.log if ln.startswith(prefix)), None)

    def seedlog(self) -> SeedLog:
        s = SeedLog(self.folder / "train.log", seed=self.cfg.seed, variant=self.cfg.data.variant)
        s.val_loss, s.val_bpb = self.num("val_loss"), self.num("val_bpb")
        s.score_label = "metrics.json val_loss (the reloaded artifact's score)"
        return s


def _config_key(run: Run) -> dict:
    d = run.cfg.to_dict()
    for dotted in RUN_FIELDS + PATH_FIELDS:
        parent = d
        *head, leaf = dotted.split(".")
        for h in head:
            parent = parent[h]
        parent.pop(leaf, None)
    return d


def _diff(a: dict, b: dict, prefix: str = "") -> list[str]:
    out = []
    for k in sorted(set(a) | set(b)):
        va, vb = a.get(k), b.get(k)
        if isinstance(va, dict) and isinstance(vb, dict):
            out += _diff(va, vb, f"{prefix}{k}.")
        elif va != vb:
            out.append(f"{prefix}{k}: {va!r} vs {vb!r}")
    return out


# ----------------------------------------------------------------------------------
# the checks
# ----------------------------------------------------------------------------------
def scored_book(m: dict) -> dict | None:
    """The score book of the score a run reports: its eval method's when that is not the flat roundtrip."""
    return m.get("method_score_book") or m.get("score_book")


def legality_checks(runs: list[Run], probe_all: bool) -> list[Check]:
    """C1-C4 from the probe on the runs' artifacts, the queue-order rule and the score-book records."""
    from golfkit import causality
    from golfkit.eval.ttt import stream_causal

    first = runs[0]
    scored_by = str((scored_book(first.m) or {}).get("method") or "flat")
    methods = list(dict.fromkeys([scored_by, first.cfg.eval.method]))
    reports: dict[str, list] = {}  # check name -> [(run, method, Check)]
    errors = []
    for run in runs if probe_all else runs[:1]:
        if not run.artifact.is_file():
            errors.append(f"{run.name}: no artifact {run.artifact.name}")
            continue
        try:
            reps = causality.probe_artifact(run.artifact, run.cfg, methods)
        except GolfkitError as e:
            errors.append(f"{run.name}: {e}")
            continue
        for rep in reps:
            for c in rep.checks:
                reports.setdefault(c.name, []).append((run, rep.label, c))
    out = []
    scale = next((c.evidence for _, _, c in reports.get("probe scale", [])), "")
    probed = f"probe on {', '.join(r.name for r in (runs if probe_all else runs[:1]))}'s artifact, methods " \
             f"{', '.join(methods)} ({scale})"
    rule = stream_causal(first.cfg.eval)
    for cname, title in (("C1", "C1 strict causal dependence"), ("C2", "C2 full normalised distribution"),
                         ("C3", "C3 score before update"), ("C4", "C4 one pass, each target once")):
        rows = [(run, m, c) for name, rs in reports.items() if name.startswith(cname) for run, m, c in rs]
        bad = [f"{m} {c.name}: {c.evidence}" for _, m, c in rows if not c.ok]
        good = [f"{m} {c.name}: {c.evidence}" for _, m, c in rows if c.ok]
        extra = []
        status = "fail" if bad else ("pass" if rows else "unknown")
        if cname == "C1" and rule:
            status, extra = "fail", [f"eval config: {rule}"]
        if cname == "C4":
            for run in runs:
                books = [b for b in (run.m.get("score_book"), run.m.get("method_score_book")) if b is not None]
                for sb in books or [None]:
                    if isinstance(sb, dict) and isinstance(sb.get("scored_targets"), int) \
                            and isinstance(sb.get("split_targets"), int):
                        ok = sb["scored_targets"] == sb.get("split_targets")
                        extra.append(f"{run.name} score book: {sb['scored_targets']:,} targets scored by "
                                     f"{sb.get('method')} of the split's {sb.get('split_targets'):,}")
                        status = "fail" if not ok else status
                    else:
                        extra.append(f"{run.name}: no score-book record (a run before golfkit logged one)")
        ev = "; ".join(bad + extra + ([] if bad else good[:2])) + f" [{probed}]"
        if errors:
            ev += f"; not probed: {'; '.join(errors)}"
            status = "fail" if status == "fail" else "unknown"
        out.append(Check(title, status, ev))
    return out


def byte_check(runs: list[Run]) -> Check:
    from golfkit.export import bundle, wrap

    rows, status = [], "pass"
    recomputed: dict[str, int] = {}
    for run in runs:
        model, code, total = run.num("bytes_model"), run.num("bytes_code"), run.num("bytes_total")
        if model is None or code is None:
            rows.append(f"{run.name}: no byte counts in metrics.json")
            status = "unknown" if status == "pass" else status
            continue
        note = []
        if run.artifact.is_file():
            disk = run.artifact.stat().st_size
            if disk != int(model):
                note.append(f"artifact on disk {disk:,} != recorded {int(model):,}")
                status = "fail"
            model = disk
        key = json.dumps(_config_key(run), sort_keys=True)
        if key not in recomputed:
            recomputed[key] = len(wrap(bundle(run.cfg), "lzma").encode())
        now = recomputed[key]
        t = int(model) + int(code)
        if t > BUDGET_BYTES or int(model) + now > BUDGET_BYTES:
            status = "fail"
        note.append(f"code exported by this checkout {now:,}" + (f" (total {int(model) + now:,})" if now != code else ""))
        rows.append(f"{run.name}: model {int(model):,} + code {int(code):,} = {t:,} ({'; '.join(note)})")
    return Check(f"bytes <= {BUDGET_BYTES:,}", status, "; ".join(rows))


def time_checks(runs: list[Run]) -> list[Check]:
    rows, status = [], "pass"
    for run in runs:
        t = run.m.get("timing")
        if isinstance(t, dict) and isinstance(t.get("train_total_ms"), (int, float)):
            sec = t["train_total_ms"] / 1000.0
            parts = " + ".join(f"{k.removesuffix('_ms').replace('_', ' ')} {t[k] / 1000:.3f}s"
                               for k in ("loop_ms", "final_hooks_ms", "calib_ms", "quantize_ms") if k in t)
            rows.append(f"{run.name}: {sec:.3f}s = {parts} (export incl. serialisation {t.get('export_ms', 0) / 1000:.3f}s)")
            if sec > TRAIN_SECONDS:
                status = "fail"
        elif run.num("train_time_ms") is not None:
            rows.append(f"{run.name}: loop {run.num('train_time_ms') / 1000:.3f}s only (no train-budget record: a run "
                        f"before golfkit logged calibration and post-loop work)")
            status = "fail" if run.num("train_time_ms") / 1000 > TRAIN_SECONDS else ("unknown" if status == "pass" else status)
        else:
            rows.append(f"{run.name}: no training time")
            status = "unknown" if status == "pass" else status
    train = Check(f"training <= {TRAIN_SECONDS:.0f} s", status, "; ".join(rows))
    rows, status = [], "pass"
    for run in runs:
        book = scored_book(run.m) or {}
        method = book.get("method", "flat")
        # the scored evaluation's time: the eval method's when it is not the flat roundtrip
        sec = run.num("method_eval_seconds") if run.m.get("method_score_book") else run.num("eval_seconds")
        if sec is None:
            rows.append(f"{run.name}: no eval seconds for {method}")
            status = "unknown" if status == "pass" else status
            continue
        if sec > EVAL_SECONDS:
            status = "fail"
        rows.append(f"{run.name}: {sec:.1f}s ({method}, the scored evaluation)")
    return [train, Check(f"evaluation <= {EVAL_SECONDS:.0f} s", status, "; ".join(rows))]


def data_checks(runs: list[Run]) -> list[Check]:
    import numpy as np

    from golfkit import canonical, overlap
    from golfkit.data import find_dataset
    from golfkit.shards import read_shard

    rows, status = [], "pass"
    for run in runs:
        g = run.m.get("data_guard")
        line = run.logged("data_guard:")
        if isinstance(g, dict) and g.get("guard") == "on":
            rows.append(f"{run.name}: on, {g.get('shards')} shard(s) vs {len(g.get('sources', []))} source(s), worst "
                        f"{float(g.get('worst_fraction', 0)):.4%}, {sum(g.get('contained_docs', {}).values())} val docs; "
                        f"{' '.join(f'{k}:{v}' for k, v in (g.get('work') or {}).items())}")
        elif isinstance(g, dict):
            rows.append(f"{run.name}: OFF during training ({g.get('reason', 'data.guard=off')})")
            status = "fail"
        else:
            rows.append(f"{run.name}: no guard record" + (f" (log: {line[:120]})" if line else ""))
            status = "unknown" if status == "pass" else status
    guard = Check("data guard during training", status, "; ".join(rows))

    rows, status, fp_rows, fp_status = [], "pass", [], "pass"
    seen: dict[tuple, tuple] = {}
    for run in runs:
        d = run.cfg.data
        key = (d.dir, d.variant)
        if key not in seen:
            try:
                ds = find_dataset(d.dir, d.variant, d.tokenizer, need_train=True, byte_source=d.byte_source)
            except GolfkitError as e:
                seen[key] = ("unknown", f"data folder not available here ({e})", "unknown", "")
            else:
                policy = overlap.Policy(tuple(d.guard_extra), d.guard_cache, d.guard_max_overlap, d.guard_max_val_docs)
                rep = overlap.inspect(ds.train_files, ds.val_files, policy)
                over = []
                for k, src in enumerate(rep.sources):
                    worst = max((per[k] for per in rep.shards), key=lambda o: o.fraction)
                    docs = rep.contained[src["label"]]
                    bad = worst.fraction > policy.max_overlap or (src["docs"] and docs / src["docs"] > policy.max_val_docs)
                    over.append((bad, f"vs {src['label']}: worst shard {Path(worst.file).name} {worst.fraction:.4%} of "
                                      f"its sampled windows, {docs:,} of {src['docs']:,} documents contained"))
                st = "fail" if any(b for b, _ in over) else "pass"
                val = np.concatenate([read_shard(f) for f in ds.val_files])
                fp = overlap.split_fingerprint(ds.val_files)
                ev = canonical.head_evidence(d.variant, "val", val)
                fst = {"canonical": "pass", "consistent": "pass", "head": "unknown", "differs": "fail"}.get(ev["status"],
                                                                                                          "unknown")
                fev = (f"val tokens {fp['tokens']:,}, documents {fp['docs']:,}, blake2b {fp['blake2b']}; "
                       f"{ev['status']}: {ev['evidence']}" + ("; not the challenge's whole split: its scores are not "
                                                              "challenge scores" if ev["status"] == "head" else ""))
                seen[key] = (st, f"{len(ds.train_files)} train shard(s) " + "; ".join(e for _, e in over), fst, fev)
        st, ev, fst, fev = seen[key]
        rows.append(f"{run.name}: {ev}")
        fp_rows.append(f"{run.name}: {fev}" if fev else f"{run.name}: unknown")
        status = st if st == "fail" or (st == "unknown" and status == "pass") else status
        fp_status = fst if fst == "fail" or (fst == "unknown" and fp_status == "pass") else fp_status
        logged = re.search(r"tokens:(\d{1,18})\b", run.logged("val_loader:") or "")  # a log cut mid-line has none
        if logged:
            judged = canonical.logged_val_tokens(d.variant, int(logged.group(1)))
            fp_rows[-1] += f"; logged {judged['evidence']}"
    return [guard, Check("train/val overlap (recomputed)", status, "; ".join(dict.fromkeys(rows))),
            Check("validation split canonical", fp_status, "; ".join(dict.fromkeys(fp_rows)))]


def seed_checks(runs: list[Run], baseline: list[Run], previous: str | None, previous_bpb: float | None) -> list[Check]:
    keys = [_config_key(r) for r in runs]
    diffs = [f"{r.name}: {'; '.join(_diff(keys[0], k)[:3])}" for r, k in zip(runs[1:], keys[1:]) if k != keys[0]]
    one = Check("one config", "fail" if diffs else "pass",
                "; ".join(diffs) if diffs else f"{len(runs)} run(s), configs equal but for {', '.join(RUN_FIELDS)} "
                                               f"(preset {runs[0].cfg.preset})")
    seeds = sorted({r.cfg.seed for r in runs})
    scored = [r for r in runs if r.num("val_loss") is not None]
    n = len({r.cfg.seed for r in scored})
    # golfkit writes a NaN score as null (golfkit.atomic.write_json): a diverged run, or an eval method that failed
    unscored = [f"{r.name} (seed {r.cfg.seed}" + (f", diverged at step {r.num('diverged_step'):.0f})"
                                                  if r.num("diverged_step") is not None else ")")
                for r in runs if r.num("val_loss") is None]
    enough = Check(f"seeds >= {MIN_SEEDS}", "pass" if n >= MIN_SEEDS and not diffs else "fail",
                   f"{n} distinct scored seed(s): {', '.join(map(str, seeds))}"
                   + (" (runs of different configs are not seeds of one)" if diffs else "")
                   + (f"; no score in {', '.join(unscored)}: metrics.json val_loss is null (the run diverged or its "
                      f"eval failed; train.log says which)" if unscored else ""))
    logs = [r.seedlog() for r in scored]
    if baseline:
        prev_logs = [b.seedlog() for b in baseline if b.num("val_loss") is not None]
        if not prev_logs:
            raise GolfkitError("audit: --baseline runs hold no score (metrics.json val_loss)")
        tmp = Path(baseline[0].folder)
        sig = _significance_vs_runs(logs, prev_logs, tmp)
    else:
        sig = significance(logs, {}, previous, previous_bpb, False)
    return [one, enough, sig]


def _significance_vs_runs(logs: list[SeedLog], prev: list[SeedLog], where: Path) -> Check:
    """The challenge's bar against baseline run folders: Welch one-sided, new vs previous - 0.005 nats."""
    variants = {s.variant for s in prev}
    desc = f"baseline runs {', '.join(s.path.parent.name for s in prev)}"
    return significance_from(logs, [s.val_loss for s in prev], None, variants.pop() if len(variants) == 1 else "?",
                             desc)


def audit_runs(folders: list[str | Path], baseline: list[str | Path] | None = None, previous: str | None = None,
               previous_bpb: float | None = None, probe: bool = True, probe_all: bool = False) -> list[Check]:
    runs = [Run(f) for f in folders]
    base = [Run(f) for f in baseline or []]
    from golfkit import artifact

    checks: list[Check] = []
    rec, bad = [], False
    for r in runs:
        problems = [f"no {n}" for n in ("train.log", r.artifact.name) if not (r.folder / n).is_file()]
        sha = r.m.get("artifact_sha256")
        if r.artifact.is_file() and isinstance(sha, str) and artifact.file_sha256(r.artifact) != sha:
            problems.append(f"{r.artifact.name} changed after the run wrote it (sha256 differs from metrics.json)")
        bad |= bool(problems)
        rec.append(f"{r.name}: " + ("; ".join(problems) if problems else
                                    f"config.json, metrics.json, train.log, {r.artifact.name} (sha256 as recorded)"))
    checks.append(Check("run record", "fail" if bad else "pass", "; ".join(rec)))
    if probe:
        checks += legality_checks(runs, probe_all)
    else:
        checks += [Check(t, "unknown", "probe skipped (--no-probe)") for t in
                   ("C1 strict causal dependence", "C2 full normalised distribution", "C3 score before update",
                    "C4 one pass, each target once")]
    checks.append(byte_check(runs))
    checks += time_checks(runs)
    checks += data_checks(runs)
    checks += seed_checks(runs, base, previous, previous_bpb)
    return checks


# ---------------------------------------------------------------------------------- the command
def cmd_audit(args) -> int:
    runs = [is_run_folder(f) for f in args.folder]
    if all(runs):
        checks = audit_runs(args.folder, args.baseline, args.previous, args.previous_bpb,
                                      probe=not args.no_probe, probe_all=args.probe_all)
    elif len(args.folder) == 1:
        if args.baseline or args.no_probe or args.probe_all:
            raise GolfkitError("audit: --baseline, --no-probe and --probe-all apply to golfkit run folders "
                               "(config.json + metrics.json)")
        checks = audit_folder(args.folder[0], args.previous, args.previous_bpb)
    else:
        bad = [f for f, r in zip(args.folder, runs) if not r]
        raise GolfkitError(f"audit: several folders must all be golfkit run folders (config.json + metrics.json); "
                           f"{bad[0]} is not")
    where = " ".join(args.folder)
    if args.json:
        print(json.dumps([c.__dict__ for c in checks], indent=1))
    else:
        print(format_table(where, checks))
    return 1 if any(c.status == "fail" for c in checks) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="golfkit")
    add_parser(parser.add_subparsers(dest="cmd", required=True))
    return cmd_audit(parser.parse_args(argv if argv is not None else sys.argv[1:]))
