"""`golfkit audit FOLDER`: the challenge's conditions, checked on a submission folder from its files.

    golfkit audit records/track_10min_16mb/2026-05-01_... [--previous 1855|FOLDER|LOSS] [--previous-bpb X]

(`golfkit audit RUN_DIR [RUN_DIR ...]` on golfkit run folders is golfkit/lab/run_audit.py; the command
dispatches on what the folders hold.)

Works on any submission folder: golfkit's export or another participant's. It reads README.md,
submission.json, train_gpt.py and the train logs (`*.log`, `train*.txt`; one per seed) and prints one
row per check: pass, fail or unknown, with the evidence (the log lines and numbers it used). It exits
1 when a check fails. Checks (openai/parameter-golf README and its record folders):

* files: README.md, submission.json, train_gpt.py and train logs present;
* submission.json against the logs: per-seed and mean scores (to the precision printed), artifact
  bytes and steps, the seeds;
* bytes: compressed model + code <= 16,000,000 (decimal) for every seed, from the logged "Total
  submission size". Several records log the size of a compressed code wrapper rather than the file in
  the folder; when the logged code size is 0 (PR #1801: "pyminify unavailable") the audit compresses
  train_gpt.py itself, as those records' wrapper does (brotli q11 + base85 + a two-line stub, without
  minification: an upper bound), and says so;
* data: `train_shards` and `val_tokens` as logged against the canonical export (golfkit.canonical;
  openai/parameter-golf issue #2127: 1499 train shards meant validation documents in training);
* time: training <= 600 s per seed as logged (the reference loop stops at the first step boundary after
  the cap, so an overshoot shorter than one step is the cap's own semantics, reported as such) and
  evaluation <= 600 s (the log's total_eval_time, else the eval_time of every evaluation after training
  up to the scored line); post-training work the log times (GPTQ calibration, AR generation) is listed;
* significance: >= 3 seeds, and the challenge's acceptance rule: beat the previous record by
  0.005 nats at p < 0.01, one-sided Welch t-test of the per-seed val_loss against the previous
  record's per-seed val_loss minus 0.005 (one-sample when only the previous mean is known).
  Non-record tracks are not bound by the time and significance rules.

This module belongs to the workbook layer: it imports nothing from training code.
"""

from __future__ import annotations

import argparse
import base64
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from golfkit import canonical
from golfkit.errors import GolfkitError

BUDGET_BYTES = 16_000_000
TRAIN_SECONDS = 600.0
EVAL_SECONDS = 600.0
MIN_SEEDS = 3
LOG_MAX_BYTES = 64 << 20  # a train log is a few KB per thousand steps; a bigger one is not a run's
MARGIN_NATS = 0.005
ALPHA = 0.01

# Previous records by PR number: per-seed val_loss (nats) of the scored line and the dataset variant,
# from each record folder's own train logs / submission.json (openai/parameter-golf).
KNOWN_RECORDS: dict[str, dict] = {
    "1290": {"variant": "sp1024", "val_loss": [1.87509706, 1.87314333, 1.87618346],
             "source": "PR #1290 submission.json seed_results (seeds 42, 314, 999)"},
    "1801": {"variant": "sp8192_lossless_caps_caseops_v1_reserved", "val_loss": [2.32767903, 2.32648401, 2.32368487],
             "source": "PR #1801 train logs, quantized_ttt_phased (seeds 42, 0, 1234)"},
    "1855": {"variant": "sp8192_lossless_caps_caseops_v1_reserved", "val_loss": [2.31944212, 2.32239991, 2.32423994],
             "source": "PR #1855 submission.json seed_results (seeds 42, 0, 1234)"},
    "2135": {"variant": "sp8192_lossless_caps_caseops_v1_reserved", "val_loss": [2.31227656, 2.31115900, 2.31265572],
             "source": "PR #2135 submission.json seed_results (seeds 314, 42, 0)"},
    "1019": {"variant": "sp1024", "mean_val_loss": 1.88217853,
             "source": "PR #1019's 3-seed mean as quoted by PR #1290 (per-seed values not known)"},
}

NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
SCORE = re.compile(rf"^(final_int8_zlib_roundtrip_exact|final_\w+_exact|quantized_ttt_phased|legal_ttt_exact)\s+"
                   rf"val_loss:\s*({NUM})\s+val_bpb:\s*({NUM})")
EVAL_TIME = re.compile(rf"eval_time:\s*({NUM})ms")
STOP = re.compile(r"stopping_early: wallclock_cap train_time:\s*(\d+)ms step:\s*(\d+)/(\d+)")
STEP_TIME = re.compile(r"^(?:step:)?(\d+)/(\d+)\s+(?:val_loss|train_loss):.*?train_time:\s*(" + NUM + r")(ms|m)\b")
SIZE = re.compile(r"^Total submission size(?: ([^:]+))?:\s*(\d+) bytes")
MODEL = re.compile(r"^Serialized model ([^:]+):\s*(\d+) bytes")
CODE = re.compile(r"^Code size(?: \(compressed\))?:\s*(\d+) bytes")
POST_WORK = re.compile(rf"^(gptq|GPTQ)[^\n]*?\b(?:in|time[:=])\s*({NUM})s\b")


@dataclass
class SeedLog:
    path: Path
    seed: int | None = None
    variant: str | None = None
    train_shards: int | None = None
    val_tokens: int | None = None
    world_size: int | None = None
    train_ms: float | None = None
    steps: int | None = None
    score_label: str | None = None
    val_loss: float | None = None
    val_bpb: float | None = None
    eval_seconds: float | None = None
    eval_note: str = ""
    total_bytes: int | None = None
    model_bytes: int | None = None
    code_bytes: int | None = None
    post_work: list[str] = field(default_factory=list)
    recent_step_ms: float | None = None  # time per step between the last two logged steps

    @property
    def name(self) -> str:
        return self.path.name


def _seed_from_name(path: Path) -> int | None:
    m = re.search(r"seed_?(\d+)", path.stem)
    return int(m.group(1)) if m else None


def parse_log(path: Path) -> SeedLog:
    """The numbers an audit needs from one train log, in either of the records' log dialects."""
    from golfkit import safeio

    text = safeio.read_bytes(path, "train log", LOG_MAX_BYTES).decode("utf-8", "replace")  # a 3 GiB log: MemoryError
    s = SeedLog(path, seed=_seed_from_name(path))
    lines = [ln.rstrip() for ln in text.splitlines()]
    scores: list[tuple[int, str, float, float]] = []
    stop_line = None
    last_time: tuple[float, int] | None = None
    for i, raw in enumerate(lines):
        ln = raw.strip()
        if s.seed is None and (m := re.match(r"^seed:\s*(\d+)$", ln)):
            s.seed = int(m.group(1))
        if s.variant is None and ("dataset" in ln or "train_files" in ln or "val_files" in ln) and (
                found := re.findall(r"fineweb10B_([A-Za-z0-9_]+?)(?=/|\s|$)", ln)):
            s.variant = found[-1]  # the innermost dataset folder (PR #1801 nests the download in another)
        if m := re.search(r"train_shards:\s*(\d+)", ln):
            s.train_shards = int(m.group(1))
        if (m := re.match(r"^val_loader:.*tokens:(\d+)", ln)) or (m := re.match(r"^val_tokens:\s*(\d+)$", ln)):
            s.val_tokens = int(m.group(1))
        if m := re.match(r"^world_size:\s*(\d+)", ln):
            s.world_size = int(m.group(1))
        if m := STOP.search(ln):
            s.train_ms, s.steps, stop_line = float(m.group(1)), int(m.group(2)), i
        elif m := STEP_TIME.match(ln):
            t = float(m.group(3)) * (60_000.0 if m.group(4) == "m" else 1.0)
            if last_time and int(m.group(1)) > last_time[1]:
                s.recent_step_ms = (t - last_time[0]) / (int(m.group(1)) - last_time[1])
            last_time = (t, int(m.group(1)))
        if m := SCORE.match(ln):
            scores.append((i, m.group(1), float(m.group(2)), float(m.group(3))))
        if m := SIZE.match(ln):
            s.total_bytes = int(m.group(2))
        if m := MODEL.match(ln):
            s.model_bytes = int(m.group(2))
        if m := CODE.match(ln):
            s.code_bytes = int(m.group(1))
        if m := re.match(rf"^total_eval_time:\s*({NUM})s", ln):
            s.eval_seconds, s.eval_note = float(m.group(1)), f"total_eval_time:{m.group(1)}s"
        if m := POST_WORK.match(ln):
            s.post_work.append(ln)
    if s.train_ms is None and last_time:
        s.train_ms, s.steps = last_time
    if s.variant is None and (m := re.search(r"tokenizers/fineweb_(\d+)_bpe\.model", text)):
        s.variant = f"sp{m.group(1)}"
    if scores:
        graded = [sc for sc in scores if sc[1] == "final_int8_zlib_roundtrip_exact"]
        i, s.score_label, s.val_loss, s.val_bpb = graded[-1] if graded else scores[-1]
        if s.eval_seconds is None:
            start = stop_line if stop_line is not None else 0
            timed = [(ln.split()[0], float(m.group(1)) / 1000.0) for ln in lines[start: i + 1]
                     if (m := EVAL_TIME.search(ln))]
            if timed:
                s.eval_seconds = sum(t for _, t in timed)
                s.eval_note = " + ".join(f"{n} {t:.1f}s" for n, t in timed)
            after = [(ln.split()[0], float(m.group(1)) / 1000.0) for ln in lines[i + 1:]
                     if (m := EVAL_TIME.search(ln) or re.search(r"ttt_time:\s*(\d+)ms", ln))]
            if after:
                s.eval_note += "; after the scored line (not scored): " + ", ".join(f"{n} {t:.1f}s" for n, t in after)
    return s


# ----------------------------------------------------------------------------------
# checks
# ----------------------------------------------------------------------------------
@dataclass
class Check:
    name: str
    status: str  # pass | fail | unknown
    evidence: str


def _decimals(x) -> int:
    r = repr(float(x))
    return len(r.split(".")[1]) if "." in r and "e" not in r else 8


def _close(claimed, logged: float) -> bool:
    """Equal to the precision the submission printed (half a unit of its last decimal)."""
    return abs(float(claimed) - logged) <= 0.5 * 10 ** -_decimals(claimed) + 1e-9


def _per_seed(sub: dict) -> dict[str, dict]:
    for key in ("seed_results", "per_seed"):
        if isinstance(sub.get(key), dict):
            return {str(k): v for k, v in sub[key].items() if isinstance(v, dict)}
    return {}


def _first(d: dict, *keys):
    for k in keys:
        if k in d and isinstance(d[k], (int, float)):
            return d[k]
    return None


def _wrapper_bytes(code: bytes) -> tuple[int, str]:
    """Size of the records' self-extracting code wrapper for `code` (no minification: an upper bound)."""
    try:
        import brotli

        blob, how = brotli.compress(code, quality=11), "brotli q11"
        stub = b'import brotli as B,base64 as b\nexec(B.decompress(b.b85decode("' + base64.b85encode(blob) + b'")))\n'
    except ImportError:  # the compress extra is optional: lzma is close and always there
        import lzma

        blob, how = lzma.compress(code, preset=9 | lzma.PRESET_EXTREME), "lzma (brotli not installed)"
        stub = b'import lzma,base64;exec(lzma.decompress(base64.b85decode("' + base64.b85encode(blob) + b'")))\n'
    return len(stub), how


def _is_non_record(sub: dict) -> bool:
    return "non" in str(sub.get("track", "")).lower()


def audit_folder(folder: str | Path, previous: str | None = None, previous_bpb: float | None = None) -> list[Check]:
    folder = Path(folder)
    if not folder.is_dir():
        raise GolfkitError(f"audit: {folder} is not a folder")
    checks: list[Check] = []
    add = lambda n, st, ev: checks.append(Check(n, st, ev))  # noqa: E731

    # -- files --
    for name in ("README.md", "submission.json", "train_gpt.py"):
        f = folder / name
        add(f"file {name}", "pass" if f.is_file() else "fail",
            f"{f.stat().st_size:,} bytes" if f.is_file() else "missing (the challenge requires it in every record folder)")
    log_files = sorted({*folder.glob("*.log"), *folder.glob("train*.txt")})
    add("train logs", "pass" if log_files else "fail",
        ", ".join(f.name for f in log_files) if log_files else "no *.log or train*.txt in the folder")
    sub: dict = {}
    if (folder / "submission.json").is_file():
        from golfkit import safeio

        try:  # bounded: a 3 GiB file or 100,000 nested brackets was a traceback
            sub = safeio.loads(safeio.read_bytes(folder / "submission.json", "submission", safeio.CONFIG_MAX_BYTES),
                               "submission.json")
            if not isinstance(sub, dict):
                raise GolfkitError("submission.json is not a JSON object")
        except GolfkitError as e:
            add("submission.json parses", "fail", str(e))
            sub = {}
    logs = [parse_log(f) for f in log_files]
    scored = [s for s in logs if s.val_bpb is not None]
    non_record = _is_non_record(sub)

    # -- submission.json against the logs --
    if not sub:
        for what in ("scores", "bytes", "seeds"):
            add(f"submission.json {what} = logs", "unknown", "no submission.json to compare")
    else:
        per = _per_seed(sub)
        by_seed = {str(s.seed): s for s in scored}
        bad, ok = [], []
        for seed, d in per.items():
            s = by_seed.get(seed)
            bpb = _first(d, "val_bpb", "post_ttt_bpb")
            if s is None:
                bad.append(f"seed {seed}: no log with a score")
                continue
            for key, claimed, logged in (("val_bpb", bpb, s.val_bpb), ("val_loss", _first(d, "val_loss"), s.val_loss)):
                if claimed is not None:
                    (ok if _close(claimed, logged) else bad).append(
                        f"seed {seed} {key} {claimed} vs {s.score_label} {logged:.8f}")
        mean_claim = _first(sub, "val_bpb")
        if mean_claim is not None and scored:
            mean_log = sum(s.val_bpb for s in scored) / len(scored)
            (ok if _close(mean_claim, mean_log) else bad).append(
                f"val_bpb {mean_claim} vs mean of {len(scored)} logs {mean_log:.8f}")
        add("submission.json scores = logs", "fail" if bad else ("pass" if ok else "unknown"),
            "; ".join(bad or ok) or "no scores to compare")
        bad, ok = [], []
        for seed, d in per.items():
            s = by_seed.get(seed) or next((x for x in logs if str(x.seed) == seed), None)
            claimed = _first(d, "artifact_bytes", "bytes_total")
            if s is None or claimed is None:
                continue
            if s.total_bytes is not None:
                (ok if int(claimed) == s.total_bytes else bad).append(
                    f"seed {seed} artifact_bytes {int(claimed):,} vs log total {s.total_bytes:,}")
            steps = _first(d, "steps")
            if steps is not None and s.steps is not None and int(steps) != s.steps:
                bad.append(f"seed {seed} steps {int(steps)} vs log {s.steps}")
        top = _first(sub, "bytes_total", "artifact_bytes_max")
        totals = [s.total_bytes for s in logs if s.total_bytes is not None]
        if top is not None and totals:
            (ok if int(top) == max(totals) else bad).append(
                f"bytes_total {int(top):,} vs largest logged total {max(totals):,}")
        add("submission.json bytes = logs", "fail" if bad else ("pass" if ok else "unknown"),
            "; ".join(bad or ok) or "no byte counts to compare")
        claimed_seeds = sorted(str(x) for x in sub.get("seeds", per.keys()))
        logged_seeds = sorted(str(s.seed) for s in scored)
        add("submission.json seeds = logs", ("pass" if claimed_seeds == logged_seeds else "fail") if claimed_seeds
            else "unknown", f"submission {', '.join(claimed_seeds) or 'lists no seeds'}; logs {', '.join(logged_seeds) or '-'}")

    # -- byte budget --
    code_file = folder / "train_gpt.py"
    rows, over, unknown = [], False, False
    for s in logs:
        if s.total_bytes is None:
            unknown = True
            rows.append(f"{s.name}: no 'Total submission size' line")
            continue
        total, note = s.total_bytes, ""
        if s.code_bytes == 0 and code_file.is_file() and s.model_bytes is not None:
            wrap, how = _wrapper_bytes(code_file.read_bytes())
            total = s.model_bytes + wrap
            note = (f" (logged code 0 bytes; train_gpt.py {code_file.stat().st_size:,} bytes as a {how} wrapper = "
                    f"{wrap:,}: model {s.model_bytes:,} + {wrap:,})")
        over |= total > BUDGET_BYTES
        rows.append(f"{s.name}: {total:,}{note}")
    add("bytes <= 16,000,000", "fail" if over else ("unknown" if unknown or not logs else "pass"),
        "; ".join(rows) or "no logs")

    # -- data --
    for what, judge in (("train_shards", lambda s: canonical.logged_train_shards(s.train_shards)),
                        ("val_tokens", lambda s: canonical.logged_val_tokens(s.variant or "?", s.val_tokens))):
        results = [(s, judge(s)) for s in logs if getattr(s, what) is not None]
        if not results:
            add(f"{what} canonical", "unknown", f"no {what} line in the logs")
            continue
        worst = next((r for r in results if r[1]["status"] == "fail"), None) or \
            next((r for r in results if r[1]["status"] == "unknown"), None) or results[0]
        values = sorted({getattr(s, what) for s, _ in results})
        add(f"{what} canonical", worst[1]["status"],
            f"{worst[1]['evidence']} ({worst[0].variant or 'variant ?'}; logs: {', '.join(f'{v:,}' for v in values)})")

    # -- time --
    rows, status = [], "pass" if logs else "unknown"
    for s in logs:
        if s.train_ms is None:
            rows.append(f"{s.name}: no train_time")
            status = "unknown" if status == "pass" else status
            continue
        sec = s.train_ms / 1000.0
        step = (s.recent_step_ms or (s.train_ms / s.steps if s.steps else 0.0)) / 1000.0
        over_ms = 1000 * (sec - TRAIN_SECONDS)
        extra = f"; post-loop: {' | '.join(s.post_work)}" if s.post_work else ""
        if sec <= TRAIN_SECONDS or non_record:
            rows.append(f"{s.name}: {sec:.3f}s{extra}")
        elif over_ms < 1000 * step:
            rows.append(f"{s.name}: {sec:.3f}s, over by {over_ms:.0f} ms < one step ({1000 * step:.1f} ms): "
                        f"the cap's stop-at-the-next-step-boundary semantics{extra}")
        elif over_ms < 2000 * step:
            rows.append(f"{s.name}: {sec:.3f}s, over by {over_ms:.0f} ms = {over_ms / (1000 * step):.2f} recent steps "
                        f"({1000 * step:.1f} ms): one step late, or a slow last step; the log cannot tell{extra}")
            status = "unknown" if status == "pass" else status
        else:
            rows.append(f"{s.name}: {sec:.3f}s, over by {over_ms:.0f} ms{extra}")
            status = "fail"
    if non_record:
        rows = [f"non-record track ({sub.get('track')}): no 600 s limit"] + rows
    add("training <= 600 s", status, "; ".join(rows) or "no logs")
    rows, status = [], "pass" if scored else "unknown"
    for s in logs:
        if s.eval_seconds is None:
            rows.append(f"{s.name}: no eval time")
            status = "unknown" if status == "pass" else status
            continue
        if s.eval_seconds > EVAL_SECONDS and not non_record:
            status = "fail"
        rows.append(f"{s.name}: {s.eval_seconds:.1f}s ({s.eval_note})")
    add("evaluation <= 600 s", status, "; ".join(rows) or "no logs")

    # -- significance --
    n = len(scored)
    add(f"seeds >= {MIN_SEEDS}", "pass" if n >= MIN_SEEDS or non_record else "fail",
        f"{n} scored log(s)" + (" (non-record track: not required)" if non_record and n < MIN_SEEDS else ""))
    checks.append(significance(scored, sub, previous, previous_bpb, non_record))
    return checks


def _previous(previous: str | None, previous_bpb: float | None, sub: dict, scored: list[SeedLog]):
    """(per-seed losses or None, mean loss or None, variant or None, description) of the previous record."""
    if previous is None and previous_bpb is None:  # what the submission names
        for key in ("comparison_baseline_pr", "base_pr", "comparison_baseline"):
            if key in sub and (m := re.search(r"(\d{3,5})", str(sub[key]))) and m.group(1) in KNOWN_RECORDS:
                previous = m.group(1)
                break
        else:
            if isinstance(sub.get("comparison_baseline_bpb"), (int, float)):
                previous_bpb = float(sub["comparison_baseline_bpb"])
    if previous_bpb is not None:
        ratio = [s.val_loss / s.val_bpb for s in scored if s.val_bpb]
        if not ratio:
            return None, None, None, "previous given in bpb, but no logged loss/bpb pair to convert it"
        r = sum(ratio) / len(ratio)
        return None, previous_bpb * r, None, (f"previous {previous_bpb} bpb x this submission's {r:.5f} nats/bpb "
                                              f"= {previous_bpb * r:.6f} nats")
    if previous is None:
        return None, None, None, "no previous record named (--previous PR|FOLDER|LOSS) or known from submission.json"
    key = previous.lstrip("#").removeprefix("PR").removeprefix("pr").strip()
    if key in KNOWN_RECORDS:
        k = KNOWN_RECORDS[key]
        return k.get("val_loss"), k.get("mean_val_loss"), k["variant"], k["source"]
    p = Path(previous)
    if p.is_dir():
        prev_logs = [s for s in (parse_log(f) for f in sorted({*p.glob("*.log"), *p.glob("train*.txt")}))
                     if s.val_loss is not None]
        if not prev_logs:
            raise GolfkitError(f"audit: --previous {p} holds no train log with a score")
        return [s.val_loss for s in prev_logs], None, prev_logs[0].variant, f"{p} ({len(prev_logs)} logs)"
    try:
        return None, float(previous), None, f"previous mean val_loss {float(previous)} (given)"
    except ValueError:
        raise GolfkitError(f"audit: --previous {previous!r} is not a known PR ({', '.join(KNOWN_RECORDS)}), "
                           f"a folder or a number") from None


def significance(scored: list[SeedLog], sub: dict, previous: str | None, previous_bpb: float | None,
                 non_record: bool) -> Check:
    name = "beats previous by 0.005 nats, p<0.01"
    if non_record and previous is None and previous_bpb is None:
        return Check(name, "pass", f"not required: track {sub.get('track')}")
    return significance_from(scored, *_previous(previous, previous_bpb, sub, scored))


def significance_from(scored: list[SeedLog], prev_losses: list[float] | None, prev_mean: float | None,
                      prev_variant: str | None, desc: str) -> Check:
    """The challenge's bar for `scored` against the previous per-seed losses (Welch) or mean (one-sample)."""
    name = "beats previous by 0.005 nats, p<0.01"
    if prev_losses is None and prev_mean is None:
        return Check(name, "unknown", desc)
    new = [s.val_loss for s in scored]
    variants = {s.variant for s in scored}
    if prev_variant and variants and variants != {prev_variant}:
        return Check(name, "unknown", f"{desc}: tokenizer {prev_variant} vs {', '.join(sorted(map(str, variants)))}: "
                                      f"nats per token are not comparable (give --previous-bpb)")
    if len(new) < 2:
        return Check(name, "fail", f"{len(new)} scored seed(s): no test possible; {desc}")
    try:
        from scipy import stats
    except ImportError:
        raise GolfkitError("audit's significance test needs scipy (pip install 'golfkit[notebooks]')") from None
    mean_new = sum(new) / len(new)
    if prev_losses is not None and len(prev_losses) >= 2:
        shifted = [x - MARGIN_NATS for x in prev_losses]
        t = stats.ttest_ind(new, shifted, equal_var=False, alternative="less")
        prev_m = sum(prev_losses) / len(prev_losses)
        how = f"Welch one-sided vs {len(prev_losses)} previous seeds - {MARGIN_NATS}"
        df = getattr(t, "df", float("nan"))
    else:
        prev_m = prev_mean if prev_mean is not None else prev_losses[0]
        t = stats.ttest_1samp(new, prev_m - MARGIN_NATS, alternative="less")
        how = f"one-sample one-sided vs previous mean - {MARGIN_NATS}"
        df = len(new) - 1
    p = float(t.pvalue)
    status = "pass" if p < ALPHA else "fail"
    return Check(name, status, f"mean {mean_new:.8f} vs previous {prev_m:.8f} (delta {prev_m - mean_new:+.5f} nats); "
                               f"{how}: t={float(t.statistic):.3f} df={float(df):.2f} p={p:.4f}; previous: {desc}")


# ----------------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------------
def format_table(folder: Path | str, checks: list[Check]) -> str:
    w = max(len(c.name) for c in checks)
    lines = [f"audit {folder}", f"{'check'.ljust(w)}  status   evidence"]
    lines += [f"{c.name.ljust(w)}  {c.status.ljust(7)}  {c.evidence}" for c in checks]
    fails = sum(c.status == "fail" for c in checks)
    unknown = sum(c.status == "unknown" for c in checks)
    lines.append(f"result: {'FAIL' if fails else 'pass'} ({fails} failed, {unknown} unknown, "
                 f"{len(checks) - fails - unknown} passed)")
    return "\n".join(lines)


def add_parser(sub) -> None:
    p = sub.add_parser("audit", help="check a submission folder, or golfkit run folders, against the challenge's "
                                     "conditions",
                       description="A submission folder: files, submission.json vs logs, bytes, canonical data, 600 s "
                                   "budgets and the significance bar. golfkit run folders (the seeds of one config): "
                                   "C1-C4 by the causality probe on the run's own artifact, bytes, train and eval "
                                   "time, the validation guard and train/val overlap, the split's fingerprint, seeds "
                                   "and the significance bar (golfkit/lab/run_audit.py). Exit 1 when a check fails.")
    p.add_argument("folder", nargs="+", help="a submission folder (README.md, submission.json, train_gpt.py, train "
                                             "logs), or one or more golfkit run folders (config.json, metrics.json)")
    p.add_argument("--previous", help=f"the record to beat: a PR number ({', '.join(KNOWN_RECORDS)}), "
                                      f"a record folder, or a mean val_loss in nats")
    p.add_argument("--previous-bpb", type=float, help="the record to beat as a val_bpb (converted with this "
                                                      "submission's own nats per bpb)")
    p.add_argument("--baseline", nargs="+", metavar="RUN_DIR", help="run folders: the seeds to beat (run folders only)")
    p.add_argument("--no-probe", action="store_true", help="skip the causality probe (run folders only)")
    p.add_argument("--probe-all", action="store_true", help="probe every run's artifact, not only the first's")
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
