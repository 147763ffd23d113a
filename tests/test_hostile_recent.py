"""Hostile input, part 3: the surfaces added last (CaseOps data build and sidecar, packed documents, the runs
site/list/compare/render commands, the audit of run and submission folders, the exported script's
environment).

Each CLI case runs the real command in a subprocess through tests/hostile_helpers.py: a refusal is exit 2 with
one `golfkit: error:` line, no traceback, bounded memory and not one byte changed under the scratch folder; a
case that must work (a bad index line skipped with its one warning, an audit that reports) exits as the command
does, without a traceback. Every case here failed before its fix: a traceback (MemoryError, OverflowError,
ValueError, TypeError, IndexError, RecursionError), a hang on a FIFO, a file outside runs/ overwritten, a
check passed on a NaN, a score from a split with no bytes, or a run folder left behind by a refusal that came
after it was written.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from golfkit import dataprep, safeio
from golfkit.data import read_shard, write_shard
from golfkit.errors import GolfkitError
from hostile_helpers import fs_diff, refused, run_golfkit, snapshot, tiny_data, user_folder

CASEOPS = "sp8192_lossless_caps_caseops_v1_reserved"


@pytest.fixture(scope="module")
def tiny(data_dir, tmp_path_factory) -> Path:
    return tiny_data(data_dir, tmp_path_factory.mktemp("tiny_data"))


@pytest.fixture()
def scratch(tmp_path) -> Path:
    return user_folder(tmp_path)


def _ran(o, rc: int) -> None:
    """A command that works through hostile input: its own exit status, no traceback."""
    assert not o.hung and o.rc == rc and "Traceback" not in o.stderr + o.stdout, o.describe()


# ----------------------------------------------------------------------------------
# JSON: a long string, a long integer
# ----------------------------------------------------------------------------------
def test_a_long_json_string_costs_no_memory_per_character(scratch):
    # the depth scan's regex kept a backtracking frame per character of a string: 1.6 GB, then a MemoryError
    (scratch / "big.json").write_text(json.dumps({"note": "a" * (15 << 20)}))
    refused(["train", "--config", "big.json", "--print-config"], scratch, r"unknown config key 'note'")


def test_depth_scan_reads_escapes_across_its_blocks():
    for pad in range(6):  # backslash runs and escaped quotes straddling the scan's 256 KiB blocks
        text = json.dumps({"a": "x" * ((1 << 18) - 8 - pad) + '\\\\"[[[' + "\\" * 7 + '"', "b": [[{"c": "]]"}]]})
        assert safeio.json_depth(text.encode(), 64) == 4 and safeio.loads(text, "t")["b"] == [[{"c": "]]"}]]


def test_long_json_integers_are_refused_in_one_line():
    assert safeio.loads("[" + "9" * 308 + "]", "t") == [int("9" * 308)]  # float() of it still works
    for digits in (309, 5000):  # OverflowError in every float() of it; ValueError in int() past 4,300 digits
        with pytest.raises(GolfkitError, match=rf"t holds an integer of {digits:,} digits"):
            safeio.loads('{"val_bpb": -' + "9" * digits + "}", "t")


# ----------------------------------------------------------------------------------
# data build: an enormous line, an enormous file, lines JSON does not end
# ----------------------------------------------------------------------------------
def _build(scratch: Path, data_dir: Path, text: str, pattern: str) -> None:
    tok = data_dir / "tokenizers" / "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"
    refused(["data", "build", "--text", text, "--tokenizer", tok, "--out", "out", "--val-docs", "1",
             "--transform", "lossless_caps_caseops_v1"], scratch, pattern, watch=(data_dir / "tokenizers",))


def test_an_enormous_document_is_refused_before_tokenizing(scratch, data_dir):
    # one 30 MB line: MemoryError in the depth scan, then SentencePiece's std::bad_alloc
    with open(scratch / "docs.jsonl", "w") as f:
        f.write('{"text": "A first Document"}\n{"text": "' + "The Quick BROWN fox. " * (30 << 20 >> 4) + '"}\n')
    _build(scratch, data_dir, "docs.jsonl", r"docs.jsonl:2: a JSON line of more than [\d,]+ bytes is over the "
                                            r"4,194,304 bytes one document may have")


def test_an_enormous_text_file_is_not_read_whole(scratch, data_dir):
    with open(scratch / "big.txt", "wb") as f:
        f.truncate(3 << 30)  # 3 GiB of holes, no newline: read whole, a MemoryError
    _build(scratch, data_dir, "big.txt", r"big.txt:1: document 1 is over the 4,194,304 bytes one document may have")


def test_documents_are_cut_at_newlines_only(tmp_path):
    docs = ["one\u2028line separator", "next\u0085line", "a\u2029paragraph", "x" * 100]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps({"text": d}, ensure_ascii=False) + "\r\n" for d in docs),
                                      encoding="utf-8")  # as HF datasets writes JSON lines: U+2028 raw
    assert dataprep.read_documents(tmp_path / "d.jsonl") == docs  # splitlines() cut line 1 in two: "not JSON"
    text = "a\n\nb\n \nc\n\n\n\nd\r\n\r\ne\n\n \n\n\nf"  # the .txt reading is blank-line splitting, as before
    (tmp_path / "d.txt").write_text(text)
    assert dataprep.read_documents(tmp_path / "d.txt") == [d.strip("\n") for d in text.split("\n\n") if d.strip()]
    (tmp_path / "e.jsonl").write_text('{"text": "' + "y" * (dataprep.MAX_DOC_BYTES + 1) + '"}\n')
    with pytest.raises(GolfkitError, match=r"e.jsonl:1: a document of 4,194,305 bytes is over the 4,194,304"):
        dataprep.read_documents(tmp_path / "e.jsonl")


def test_a_json_array_or_a_compressed_file_is_not_read_as_one_text_document(tmp_path, scratch, data_dir):
    # any suffix but .jsonl was read as blank-line text: a JSON array of 3 documents became 1 document of
    # JSON syntax, trained on without a word
    (tmp_path / "d.json").write_text(json.dumps([{"text": "a"}, {"text": "b"}, {"text": "c"}]))
    with pytest.raises(GolfkitError, match=r"d.json: a .json file is one JSON value, not one document per line "
                                           r"\(convert it to .jsonl\); data build reads .jsonl"):
        dataprep.read_documents(tmp_path / "d.json")
    (tmp_path / "d.JSONL").write_text('{"text": "a"}\n{"text": "b"}\n')
    assert dataprep.read_documents(tmp_path / "d.JSONL") == ["a", "b"]
    import gzip
    (scratch / "t.txt.gz").write_bytes(gzip.compress(b"some text\n\nmore text\n"))
    _build(scratch, data_dir, "t.txt.gz", r"t.txt.gz: a .gz file is compressed or binary \(unpack it first\)")


# ----------------------------------------------------------------------------------
# validation splits with no bytes to score
# ----------------------------------------------------------------------------------
def _caseops_copy(data_dir: Path, root: Path, fill: int = 0) -> Path:
    """A CaseOps data folder whose byte sidecar is all `fill` (0 at each BOS, as an aligned sidecar has)."""
    src = data_dir / "datasets" / f"fineweb10B_{CASEOPS}"
    if not src.is_dir():
        pytest.skip("CaseOps mini data not found")
    ds = root / "datasets" / f"fineweb10B_{CASEOPS}"
    ds.mkdir(parents=True)
    val = read_shard(src / "fineweb_val_000000.bin")[:4097]
    write_shard(ds / "fineweb_val_000000.bin", val)
    write_shard(ds / "fineweb_val_bytes_000000.bin", np.where(val == 1, 0, fill).astype(val.dtype))
    write_shard(ds / "fineweb_train_000000.bin", read_shard(src / "fineweb_train_000000.bin")[:20_000])
    (root / "tokenizers").mkdir()
    name = "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"
    shutil.copyfile(data_dir / "tokenizers" / name, root / "tokenizers" / name)
    return root


def test_a_sidecar_of_zeros_is_refused(scratch, data_dir):
    # val_bpb divided by max(0 bytes, 1): a 4,096-token split scored 52,554 bits per byte, exit 0
    root = _caseops_copy(data_dir, scratch / "data")
    refused(["data", "verify", root, "--variant", CASEOPS], scratch, r"fineweb_val_bytes_000000.bin counts 0 bytes "
                                                                     r"for every validation target: nothing to score")


def test_a_forged_sidecar_is_refused_by_its_spelling(scratch, data_dir):
    # 65,535 bytes per target, 0 at each BOS: aligned and in range, it passed every check and scored val_bpb 0.0002
    root = _caseops_copy(data_dir, scratch / "data", fill=65535)
    refused(["data", "verify", root, "--variant", CASEOPS], scratch,
            r"fineweb_val_bytes_000000.bin charges 26[0-9,]+ bytes where the tokenizer's pieces spell [0-9,]+ "
            r"\(\+[0-9.]+%, over the 0.1% Unicode normalisation and whitespace folding allow\): a sidecar like it would "
            r"move val_bpb by -[0-9.]+%, so golfkit refuses it$")
    refused(["train", "--preset", "smoke", "--data", root, "--run-dir", "run", "--set", f"data.variant={CASEOPS}",
             "--set", "model.vocab_size=8192", "--set", "data.guard=off"], scratch,
            r"fineweb_val_bytes_000000.bin charges 26[0-9,]+ bytes where the tokenizer's pieces spell")


def test_a_sidecar_inflated_by_half_a_percent_and_a_foreign_tokenizer_are_refused(tmp_path, data_dir):
    # 0.95% more bytes on the real sidecar passed at the first (1%) tolerance: val_bpb 0.94% low, several times a
    # record's margin. A 4096-piece tokenizer under the sp1024 name passed `data verify` (3.16 bytes per token
    # where the split has 2.44) and would score sp1024 ids with the wrong piece bytes.
    import sentencepiece as spm
    import torch

    from golfkit.data import check_sidecar_spelling, check_tokenizer_variant

    src = data_dir / "datasets" / f"fineweb10B_{CASEOPS}"
    if not src.is_dir():
        pytest.skip("CaseOps mini data not found")
    sp = spm.SentencePieceProcessor(model_file=str(data_dir / "tokenizers" /
                                                   "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"))
    val = torch.from_numpy(read_shard(src / "fineweb_val_000000.bin").astype(np.int64))
    side = read_shard(src / "fineweb_val_bytes_000000.bin").astype(np.int64)
    assert check_sidecar_spelling(sp, val, torch.from_numpy(side), "real")["excess"] == 0.0
    forged = side.copy()
    pick = np.flatnonzero(forged > 0)[::200]  # one byte more on every 200th target: +0.5%
    forged[pick] += 1
    with pytest.raises(GolfkitError, match=r"forged charges .* \(\+0.[0-9]+%, over the 0.1% Unicode normalisation"):
        check_sidecar_spelling(sp, val, torch.from_numpy(forged), "forged")
    sp4096 = spm.SentencePieceProcessor(model_file=str(data_dir / "tokenizers" / "fineweb_4096_bpe.model"))
    with pytest.raises(GolfkitError, match=r"has vocab 4096 but the dataset sp1024 was tokenized with 1024 pieces"):
        check_tokenizer_variant(sp4096, "sp1024", "fineweb_1024_bpe.model")
    data = tmp_path / "data"
    shutil.copytree(data_dir / "datasets" / "fineweb10B_sp1024", data / "datasets" / "fineweb10B_sp1024")
    (data / "tokenizers").mkdir()
    shutil.copyfile(data_dir / "tokenizers" / "fineweb_4096_bpe.model", data / "tokenizers" / "fineweb_1024_bpe.model")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    refused(["data", "verify", data], scratch, r"fineweb_1024_bpe.model has vocab 4096 but the dataset sp1024 was "
                                               r"tokenized with 1024 pieces: not its tokenizer$")


def test_a_validation_split_of_document_starts_is_refused(scratch, tiny):
    data = scratch / "data"
    shutil.copytree(tiny, data)
    write_shard(data / "datasets" / "fineweb10B_sp1024" / "fineweb_val_000000.bin", np.ones(4097, np.uint16))
    refused(["train", "--preset", "smoke", "--data", data, "--run-dir", "run", "--set", "data.guard=off"], scratch,
            r"holds only document starts \(BOS\): nothing to score")


def test_packed_documents_need_room_after_the_first_bos_before_the_run_folder(scratch, tiny):
    # the shard's only BOS is its last token: the preflight counted the whole shard, the loader refused mid-run
    data = scratch / "data"
    shutil.copytree(tiny, data)
    train = np.random.default_rng(0).integers(2, 1024, 40_000).astype(np.uint16)
    write_shard(data / "datasets" / "fineweb10B_sp1024" / "fineweb_train_000000.bin", np.append(train, 1))
    refused(["train", "--preset", "smoke", "--data", data, "--run-dir", "run", "--set", "data.packing=documents",
             "--set", "model.doc_mask=true", "--set", "data.guard=off"], scratch,
            r"longest training shard holds 1 from its first BOS")


# ----------------------------------------------------------------------------------
# runs list / site / compare / render
# ----------------------------------------------------------------------------------
def _hostile_runs(root: Path) -> None:
    good = {"run_id": "good1", "notebook": "nb.ipynb", "parameters": {"val_tokens": 8}, "status": "ok", "val_bpb": 1.5}
    lines = [json.dumps(good),
             json.dumps({**good, "run_id": "x1", "started": 5}),  # the site sliced it: TypeError
             json.dumps({**good, "run_id": "x2", "status": "failed", "error": 7}),  # truncate(): TypeError
             '{"run_id": "x3", "status": "ok", "val_bpb": ' + "9" * 5000 + "}",  # int(): ValueError
             json.dumps({**good, "run_id": "good2", "val_bpb": float("nan")})]
    (root / "good1" / "train" / "a_s1").mkdir(parents=True)
    (root / "good2").mkdir()
    (root / "index.jsonl").write_text("\n".join(lines) + "\n")
    # 400-digit integers: math.isfinite(int) overflows
    (root / "good1" / "metrics.json").write_text('{"val_bpb": 1.5, "seed_values": {"val_bpb": [1.5]}, "runs": '
                                                 '[{"name": "a", "steps": ' + "9" * 400 + "}]}")
    (root / "good1" / "train" / "a_s1" / "metrics.json").write_text('{"val_tokens": ' + "9" * 400 + "}")
    (root / "good1" / "train" / "a_s1" / "metrics.jsonl").write_text(
        '{"kind": "val", "step": ' + "9" * 400 + ', "val_loss": 1.0}\n')
    (root / "good1" / "params.yaml").write_text("overrides: {when: 2001-01-01}\n")  # json.dumps(date): TypeError
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    (root / "good2" / "params.yaml").write_text("overrides:\n  " + bomb.replace("\n", "\n  ").rstrip() + "\n")
    (root / "good2" / "metrics.json").write_text('{"val_bpb": NaN, "seed_values": {"val_bpb": [NaN, 1.5]}}')


@pytest.mark.parametrize("cmd", [["runs", "site"], ["runs", "list"], ["runs", "compare", "good*"]])
def test_runs_commands_read_hostile_records_and_index_lines(tmp_path, cmd):
    """Wrong-typed index fields, a 5,000-digit number, 400-digit integers in metrics, a params.yaml with a date
    and one with a billion-value alias bomb (json.dumps of it: a MemoryError after 27 s)."""
    root = tmp_path / "runs"
    _hostile_runs(root)
    before = snapshot(tmp_path)
    o = run_golfkit(cmd, tmp_path)
    _ran(o, 0)
    err = [x for x in o.stderr.splitlines() if x.strip()]
    warning = "golfkit: warning: runs/index.jsonl: skipped line 2 (started or error is not a string) and 2 more"
    assert err == [warning], o.describe()
    assert o.peak_rss < 800 << 20 and o.seconds < 30, o.describe()
    diff = fs_diff(before, snapshot(tmp_path))
    assert diff == ([f"created {root / 'index.html'}"] if cmd[1] == "site" else []), diff


def test_runs_render_writes_nothing_through_a_linked_run_folder(tmp_path):
    import nbformat

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), elsewhere / "executed.ipynb")
    (elsewhere / "executed.html").write_text("<p>the user's own page</p>")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "x1").symlink_to(elsewhere)
    (tmp_path / "runs" / "index.jsonl").write_text(json.dumps({"run_id": "x1", "status": "ok"}) + "\n")
    before = snapshot(tmp_path)
    o = run_golfkit(["runs", "render", "x1"], tmp_path)
    _ran(o, 0)
    assert "skip x1: the run folder is a symbolic link" in o.stdout, o.describe()
    assert not fs_diff(before, snapshot(tmp_path))  # it replaced the user's executed.html before


# ----------------------------------------------------------------------------------
# golfkit audit on a run folder with a cut log or a damaged record
# ----------------------------------------------------------------------------------
LOG = ("run_dir:runs/r\nrun_id:r1\nval_loader:shards pattern=data/datasets/fineweb10B_sp1024/fineweb_val_*.bin "
       "tokens:4096\nstep:20/20 val_loss:5.4 val_bpb:3.1 train_time:3416ms step_avg:170.78ms\n")
METRICS = {"val_loss": 5.4, "val_bpb": 3.1, "bytes_model": 232_118, "bytes_code": 40_084, "bytes_total": 272_202,
           "eval_seconds": 0.1, "score_book": {"method": "flat", "scored_targets": 4096, "split_targets": 4096},
           "timing": {"loop_ms": 3416.0, "final_hooks_ms": 0.0, "calib_ms": 0.0, "quantize_ms": 0.0,
                      "export_ms": 17.0, "train_total_ms": 3416.0},
           "data_guard": {"guard": "off", "what": "training", "shards": 1, "reason": "(data.guard=off)"}}


def _run_folder(scratch: Path, log: str | None = LOG, **metrics) -> str:
    from golfkit.presets import get_preset

    run = scratch / "run"
    run.mkdir()
    (run / "config.json").write_text(get_preset("smoke").override({"data.dir": str(scratch / "nodata")}).to_json())
    (run / "metrics.json").write_text(json.dumps({**METRICS, **metrics}))
    if log is not None:
        (run / "train.log").write_text(log)
    return "run"


def test_audit_reads_a_log_cut_in_its_val_loader_line(scratch):
    # int(line.rsplit("tokens:")[1].split()[0]): IndexError on a line cut after "tokens:"
    o = run_golfkit(["audit", _run_folder(scratch, LOG[: LOG.index("tokens:") + 7]), "--no-probe"], scratch)
    _ran(o, 1)  # 1: checks fail (no artifact, one seed), reported in the table
    assert "validation split canonical" in o.stdout and o.stderr == "", o.describe()


@pytest.mark.parametrize("metrics,pattern", [
    ({"timing": {**METRICS["timing"], "train_total_ms": float("nan")}},
     r"'timing.train_total_ms' must be a finite number, got nan"),  # "training <= 600 s: pass" before
    ({"bytes_model": float("nan")}, r"'bytes_model' must be a finite number, got nan"),  # int(nan): ValueError
    ({"timing": {**METRICS["timing"], "loop_ms": "slow"}}, r"'timing.loop_ms' must be a finite number"),
    ({"score_book": [1, 2]}, r"'score_book' must be a JSON object, got \[1, 2\]"),  # .get: AttributeError
])
def test_audit_refuses_a_damaged_record_in_one_line(scratch, metrics, pattern):
    refused(["audit", _run_folder(scratch, **metrics), "--no-probe"], scratch,
            r"audit: run record run/metrics.json is malformed: " + pattern)


def test_audit_refuses_an_enormous_log_before_reading_it(scratch):
    run = _run_folder(scratch, log=None)
    with open(scratch / run / "train.log", "wb") as f:
        f.truncate(3 << 30)  # read whole: a MemoryError
    refused(["audit", run, "--no-probe"], scratch, r"train.log is 3,221,225,472 bytes, over the [\d,]+-byte limit")


def _submission(scratch: Path) -> str:
    sub = scratch / "sub"
    sub.mkdir()
    for name in ("README.md", "train_gpt.py"):
        (sub / name).write_text("x\n")
    (sub / "train_seed1.log").write_text("seed:1\nstep:10/10 val_loss:2.0 val_bpb:1.2 train_time:1000ms\n")
    return "sub"


def test_audit_of_a_submission_reads_no_fifo_and_no_deep_json(scratch):
    sub = _submission(scratch)
    (scratch / sub / "submission.json").write_text("[" * 100_000)  # json.loads: RecursionError
    o = run_golfkit(["audit", sub], scratch)
    _ran(o, 1)
    assert "submission.json parses" in o.stdout and "nests deeper than 64" in o.stdout, o.describe()
    os.mkfifo(scratch / sub / "train_seed2.log")  # read_text() blocked forever on it
    refused(["audit", sub], scratch, r"train log sub/train_seed2.log is a FIFO \(named pipe\)", timeout=30)


# ----------------------------------------------------------------------------------
# the exported script's environment
# ----------------------------------------------------------------------------------
def test_a_batch_whose_activations_cannot_fit_is_refused_by_golfkit_and_the_exported_script(tmp_path, tiny):
    # schedule.train_batch_tokens is in range up to 2**31; at 2**31 the first micro-step raised MemoryError (a
    # traceback, after the run folder was written) in `golfkit train` and in the exported script alike
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    big = r"^error: each micro-step holds 1,073,741,824 tokens per rank \(schedule.train_batch_tokens=2147483648 " \
          r"over 2 micro-batches\): at least [0-9,.]+ GiB of activations, more than this device's [0-9,.]+ GiB; " \
          r"raise schedule.micro_batches or lower the batch$"
    refused(["train", "--preset", "smoke", "--set", f"data.dir={tiny}", "--set", "schedule.train_batch_tokens=2147483648",
             "--run-dir", "r"], scratch, big.replace("^error: ", "^golfkit: error: "))
    sub = tmp_path / "sub"
    _ran(run_golfkit(["export", "--preset", "smoke", "--out", sub], tmp_path), 0)
    refused([], scratch, big, env={"TRAIN_BATCH_TOKENS": "2147483648", "RUN_ID": "r"},
            argv=[sys.executable, str(sub / "train_gpt.py")], prefix="error: ")


def test_exported_script_refuses_a_model_over_the_ceiling_as_golfkit_does(tmp_path):
    # MODEL_DIM is in range (2..65,536) but makes a 15-billion-parameter model: `golfkit train --set
    # model.model_dim=32768` refuses it in one line; the script's no-op ceiling built it until torch failed
    # ("DefaultCPUAllocator: can't allocate memory", a traceback), after its run folder was written
    sub = tmp_path / "sub"
    _ran(run_golfkit(["export", "--preset", "smoke", "--out", sub], tmp_path), 0)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    refused([], scratch, r"^error: the config declares a model of about 15,066,596,420 parameters .* over the "
                         r"ceiling of 250,000,000 \(an exported script keeps golfkit's ceiling: train it with `golfkit train "
                         r"--max-params 15066596420`\)$", env={"MODEL_DIM": "32768", "RUN_ID": "r"},
            argv=[sys.executable, str(sub / "train_gpt.py")], prefix="error: ")
