"""CaseOps (golfkit/caseops.py, data.py's sidecar, dataprep's build/verify) against the records' own code.

The records (PR #2135's folder under ../shared/reference/records) are fixtures: their
`lossless_caps.py` is imported from there, their `prepare_caseops_data.py` runs unchanged in a
subprocess, and the data/eval pieces of their `train_gpt.py` (Hyperparameters, ValidationData,
the loaders, eval_val) are executed from their source text without the GPU-only imports.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from golfkit import caseops, dataprep
from golfkit.data import (BOS_ID, CASE_OPERATORS, MAGIC, SidecarBytes, build_byte_luts, find_dataset, load_tokenizer,
                          load_val_bytes, load_val_tokens, read_shard, tokenizer_path, val_byte_counts, write_shard)
from golfkit.dist import DistContext
from golfkit.errors import GolfkitError
from golfkit.eval import evaluate_flat

from conftest import _data_dir, golfkit_cli

# beside the data: ../shared/reference/records (GOLFKIT_TEST_DATA points at ../shared/data)
RECORD = _data_dir().parent / "reference" / "records" / "pr2135"
VARIANT = "sp8192_lossless_caps_caseops_v1_reserved"
MINI_VAL_TOKENS, MINI_VAL_DOCS, MINI_VAL_BYTES = 201_270, 234, 638_651  # ../shared/data/README.md


def _record_file(name: str) -> Path:
    f = RECORD / name
    if not f.is_file():
        pytest.skip(f"record fixture {f} not found")
    return f


@pytest.fixture(scope="module")
def ref():
    """The records' lossless_caps.py, imported from the record folder as it is."""
    spec = importlib.util.spec_from_file_location("record_pr2135_lossless_caps", _record_file("lossless_caps.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def caseops_dir(data_dir) -> Path:
    if not (data_dir / "datasets" / f"fineweb10B_{VARIANT}").is_dir():
        pytest.skip("CaseOps mini data not found")
    return data_dir


@pytest.fixture(scope="module")
def sp(caseops_dir):
    return load_tokenizer(tokenizer_path(caseops_dir, VARIANT), 8192)


def _texts(data_dir: Path) -> list[str]:
    return [json.loads(line)["text"] for name in ("fineweb_docs_200_raw.jsonl", "c4_en_validation_2k.jsonl")
            for line in (data_dir / "text" / name).open(encoding="utf-8")]


ADVERSARIAL = [
    "", "A", "a", "AB", "Ab", "aB", "ABc", "aBC", "McDonald", "iPhone", "NASA's", "HTTPServer", "x1Y2z", "ÀB Ça",
    "HELLO World", "ﬁ ＡＢＣ ǅ", "Straße STRASSE", "İstanbul", "Ωmega ΣΑΣ", "中文 ABC 日本語", "مرحبا World",
    "\ue000", "\ue001", "\ue002A", "\ue003\ue004", "\ue004\ue004A", "A\ue001B", "\uf8ff\ue005", "\U0001F600ABC",
    "tab\tNL\nCR\r\n  spaces  ", "\x00\x01A\x7f", "A" * 1000, "aB" * 500, "\ue001the", "The \ue001 THE",
]


# ---------------------------------------------------------------------------------- the transform
def test_transform_equals_records_on_every_document(data_dir, ref):
    docs = _texts(data_dir)
    assert len(docs) == 2200
    for i, doc in enumerate(docs):
        enc = caseops.encode(doc)
        assert enc == ref.encode_lossless_caps_v2(doc), i
        assert caseops.decode(enc) == doc == ref.decode_lossless_caps_v2(enc), i
    # caseops_v1 is the records' name for this transform; their registry maps it to the v2 functions
    assert ref.get_text_transform(caseops.NAME) is ref.encode_lossless_caps_v2
    assert list(caseops.OPERATORS) == ref.get_text_transform_control_symbols(caseops.NAME) == list(CASE_OPERATORS)


def test_transform_equals_records_on_adversarial_strings(ref):
    for s in ADVERSARIAL:
        enc = caseops.encode(s)
        assert enc == ref.encode_lossless_caps_v2(s), repr(s)
        assert caseops.decode(enc) == s, repr(s)
    assert caseops.encode("The NASA iPhone \ue001") == "\ue001the \ue002nasa i\ue003phone \ue004\ue001"


def _outcome(fn, s):
    try:
        return "ok", fn(s)
    except (ValueError, GolfkitError):  # the records raise LosslessCapsError(ValueError), golfkit CaseOpsError
        return "refused", None


def test_inverse_accepts_and_refuses_what_the_records_do(ref):
    """Random strings over letters, digits, operators and others: same output or both refuse; and the
    per-piece byte counts of every accepted string, cut anywhere, equal the records' exporter's."""
    rng = random.Random(0)
    alphabet = ["a", "z", "A", "Q", "1", " ", "é", "-", "\ue000", *CASE_OPERATORS]
    refused = 0
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        mine, theirs = _outcome(caseops.decode, s), _outcome(ref.decode_lossless_caps_v2, s)
        assert mine == theirs, repr(s)
        assert caseops.encode(s) == ref.encode_lossless_caps_v2(s) and caseops.decode(caseops.encode(s)) == s
        refused += mine[0] == "refused"
        if mine[0] == "ok":
            cuts = sorted(rng.sample(range(len(s) + 1), min(3, len(s) + 1)))
            parts = [s[a:b] for a, b in zip([0, *cuts], [*cuts, len(s)])]
            assert caseops.original_byte_counts(parts) == ref.surface_piece_original_byte_counts(
                parts, text_transform_name=caseops.NAME), repr(parts)
    assert 0 < refused < 20_000  # both kinds were exercised


def test_byte_counts_of_real_tokenizations_equal_the_records(data_dir, sp, ref):
    for doc in _texts(data_dir)[:200]:
        ids, surfaces = caseops.encode_pieces(sp, caseops.encode(doc))
        assert ids == sp.encode(caseops.encode(doc))
        counts = caseops.original_byte_counts(surfaces)
        assert counts == ref.surface_piece_original_byte_counts(surfaces, text_transform_name=caseops.NAME)
        assert sum(counts) == len(doc.encode("utf-8"))  # the 200 FineWeb documents lose no byte to normalisation


# ---------------------------------------------------------------------------------- reading the layout
def test_validation_glob_skips_the_byte_sidecar(tmp_path):
    """`fineweb_val_*.bin` matches `fineweb_val_bytes_*.bin`; the old glob read the sidecar as tokens."""
    ds = tmp_path / "datasets" / f"fineweb10B_{VARIANT}"
    write_shard(ds / "fineweb_train_000000.bin", np.array([1, 5, 6, 7], dtype=np.uint16))
    write_shard(ds / "fineweb_val_000000.bin", np.array([1, 9, 10, 1, 11], dtype=np.uint16))
    write_shard(ds / "fineweb_val_bytes_000000.bin", np.array([0, 3, 2, 0, 4], dtype=np.uint16))
    (tmp_path / "tokenizers").mkdir()
    (tmp_path / "tokenizers" / f"fineweb_8192_bpe{caseops.VARIANT_SUFFIX}.model").write_bytes(b"x")
    d = find_dataset(tmp_path, VARIANT)
    assert [f.name for f in d.val_files] == ["fineweb_val_000000.bin"]
    assert [f.name for f in d.val_bytes_files] == ["fineweb_val_bytes_000000.bin"]
    assert load_val_tokens(d).tolist() == [1, 9, 10, 1, 11]
    assert d.byte_source == "sidecar" and d.vocab_size_hint == 8192
    assert d.tokenizer.name == "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"
    assert load_val_bytes(d, load_val_tokens(d)).tolist() == [0, 3, 2, 0, 4]
    assert find_dataset(tmp_path, VARIANT, byte_source="pieces").byte_source == "pieces"


def test_mini_caseops_folder_reads_and_counts_638651_bytes(caseops_dir, sp):
    d = find_dataset(caseops_dir, VARIANT)
    val = load_val_tokens(d)
    assert val.numel() == MINI_VAL_TOKENS and int((val == BOS_ID).sum()) == MINI_VAL_DOCS
    counts = val_byte_counts(d, sp, 8192, val)
    assert isinstance(counts, SidecarBytes) and int(counts.counts.sum()) == MINI_VAL_BYTES
    assert int(counts.counts[1:].sum()) == MINI_VAL_BYTES  # what the scored targets are charged
    rep = dataprep.verify(caseops_dir, VARIANT)
    v, t = rep["splits"]["val"], rep["splits"]["train"]
    assert (v["tokens"], v["documents"], v["bytes"], v["byte_source"]) == (MINI_VAL_TOKENS, MINI_VAL_DOCS,
                                                                           MINI_VAL_BYTES, "sidecar")
    assert round(v["bytes_per_token"], 3) == 3.173
    assert (t["tokens"], t["documents"], t["bytes"]) == (813_598, 971, None)
    r = golfkit_cli("data", "verify", str(caseops_dir), "--variant", VARIANT)
    assert r.returncode == 0, r.stderr
    assert "val: shards:1 tokens:201270 documents:234 bytes:638651 bytes_per_token:3.1731 byte_source:sidecar" \
        in r.stdout


def test_piece_tables_are_refused_for_a_caseops_tokenizer(caseops_dir, sp):
    with pytest.raises(GolfkitError, match="CaseOps tokenizer .* needs the byte sidecar"):
        build_byte_luts(sp, 8192)
    d = find_dataset(caseops_dir, VARIANT, byte_source="pieces")
    with pytest.raises(GolfkitError, match="needs the byte sidecar"):
        val_byte_counts(d, sp, 8192, load_val_tokens(d))


# ---------------------------------------------------------------------------------- val_bpb vs the records
_RECORD_DEFS = {"Hyperparameters", "ValidationData", "build_sentencepiece_luts", "load_validation_tokens",
                "load_validation_byte_sidecar", "load_data_shard", "BOS_ID", "get_next_multiple_of_n",
                "_build_cu_seqlens", "_loss_bpb", "eval_val", "_find_docs"}


def _record_data_pieces(env: dict[str, str], monkeypatch) -> dict:
    """The named top-level definitions of the record's train_gpt.py, executed from its source unchanged.
    Only the imports of flash_attn_interface and triton (GPU kernels these pieces never call) are left out."""
    src = _record_file("train_gpt.py").read_text(encoding="utf-8")
    tree = ast.parse(src)
    keep = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if not any(m and (m.startswith("triton") or m.startswith("flash_attn")) for m in mods):
                keep.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in _RECORD_DEFS:
            keep.append(node)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) in _RECORD_DEFS for t in node.targets):
            keep.append(node)
    for k, v in env.items():
        monkeypatch.setenv(k, v)  # Hyperparameters reads the environment when its class body runs
    ns: dict = {"__name__": "record_pr2135_train_gpt"}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(RECORD / "train_gpt.py"), "exec"), ns)
    assert _RECORD_DEFS <= set(ns)
    return ns


class _TableLM(nn.Module):
    """Logits that depend only on the input token (a lookup), so that both evaluators see identical logits
    whatever their batch shapes: the records pack a batch into one row, golfkit uses (B, T) rows."""

    def __init__(self, vocab: int = 8192, rows: int = 512):
        super().__init__()
        self.table = nn.Parameter(torch.randn(rows, vocab, generator=torch.Generator().manual_seed(0)) * 3)

    def forward(self, x):  # golfkit's evaluator
        return self.table[x % self.table.size(0)]

    def forward_logits(self, x, cu_seqlens=None, max_seqlen=None):  # the record's eval_val
        return self.forward(x)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:CUDA is not available")  # the record's eval_val asks for CUDA autocast
def test_val_bpb_equals_the_records_validation_data_and_eval_val(caseops_dir, monkeypatch):
    ds_dir = caseops_dir / "datasets" / f"fineweb10B_{VARIANT}"
    seq = 1024
    env = {"CASEOPS_ENABLED": "1", "VOCAB_SIZE": "8192", "DATA_PATH": str(ds_dir), "EVAL_SEQ_LEN": str(seq),
           "TOKENIZER_PATH": str(tokenizer_path(caseops_dir, VARIANT)), "VAL_BATCH_TOKENS": str(8 * 4 * seq)}
    rec = _record_data_pieces(env, monkeypatch)
    h = rec["Hyperparameters"]()
    assert h.caseops_enabled and h.grad_accum_steps == 8 and h.world_size == 1
    vd = rec["ValidationData"](h, torch.device("cpu"))

    # golfkit's reading of the same folder
    d = find_dataset(caseops_dir, VARIANT, need_train=False)
    val = load_val_tokens(d)
    side = val_byte_counts(d, load_tokenizer(d.tokenizer, 8192), 8192, val)
    n = vd.val_tokens.numel()  # the record keeps (N - 1) // seq * seq targets, golfkit all N - 1
    assert n == (MINI_VAL_TOKENS - 1) // seq * seq + 1
    assert torch.equal(vd.val_tokens.long(), val[:n].long())
    assert torch.equal(vd.val_bytes, side.counts[:n])
    # the record's full loaders agree too: every token, every sidecar count, the documents
    full_tokens = rec["load_data_shard"](d.val_files[0])
    assert torch.equal(full_tokens.long(), val.long())
    assert int(rec["load_data_shard"](d.val_bytes_files[0]).to(torch.int64).sum()) == MINI_VAL_BYTES
    rec["BOS_ID"] = BOS_ID
    assert len(rec["_find_docs"](full_tokens)) == MINI_VAL_DOCS

    model = _TableLM()
    with torch.no_grad():
        rec_loss, rec_bpb = rec["eval_val"](h, torch.device("cpu"), vd, model)
        mine = evaluate_flat(model, val[:n], SidecarBytes(side.counts[:n]), seq, 4 * seq, DistContext())
    assert mine.val_tokens == n - 1 and mine.val_bytes == int(vd.val_bytes[1:].sum())
    assert mine.val_loss == pytest.approx(rec_loss, rel=1e-12, abs=0)
    assert mine.val_bpb == pytest.approx(rec_bpb, rel=1e-12, abs=0)
    print(f"record eval_val: val_loss {rec_loss!r} val_bpb {rec_bpb!r}; golfkit: {mine.val_loss!r} {mine.val_bpb!r}")


def test_every_eval_method_charges_the_sidecar_bytes(caseops_dir):
    """Sliding and per-document windows score each target once, so they charge exactly the sidecar's total."""
    from golfkit.eval.score import Clock, Scorer
    from golfkit.eval.windows import evaluate_docs, evaluate_sliding

    from eval_helpers import tiny_cfg, tiny_model

    d = find_dataset(caseops_dir, VARIANT, need_train=False)
    val = load_val_tokens(d)[:6001]
    side = SidecarBytes(load_val_bytes(d, load_val_tokens(d)).clone()[:6001])
    val = val % 64  # tiny_model's vocabulary; the byte counts stay the sidecar's, by position
    val[load_val_tokens(d)[:6001] == BOS_ID] = BOS_ID
    cfg = tiny_cfg()
    model, scorer = tiny_model(), Scorer(64, 1.0, None)
    clock = Clock(0.0, "warn", "sliding", torch.device("cpu"))
    want = int(side.counts[1:].sum())
    for res in (evaluate_sliding(model, val, side, DistContext(), 32, 8, scorer, 512, clock),
                evaluate_docs(model, val, side, DistContext(), 32, 8, scorer, 512, clock),
                evaluate_flat(model, val, side, cfg.schedule.train_seq_len, 512, DistContext())):
        assert (res.val_tokens, res.val_bytes) == (6000, want)
    with pytest.raises(ValueError, match="position"):
        side.token_bytes(val[:-1], val[1:])


# ---------------------------------------------------------------------------------- building the layout
def _run_records_prepare(docs: Path, out: Path, model: Path, val_docs: int) -> None:
    """prepare_caseops_data.py, unchanged, in its own process. It calls sentencepiece's
    encode_as_immutable_proto, which sentencepiece 0.2.3 removed; the harness supplies it: the real
    SentencePieceText (out_type="proto") where protobuf is installed, else the same pieces' surfaces
    from out_type="offset_mapping" (equal on 2,207 documents / 1.8M tokens when measured, LOG.md)."""
    harness = (
        "import runpy, sys, types, sentencepiece as spm\n"
        "P = spm.SentencePieceProcessor\n"
        "if not hasattr(P, 'encode_as_immutable_proto'):\n"
        "    try:\n"
        "        import google.protobuf\n"
        "        P.encode_as_immutable_proto = lambda self, t: self.encode(t, out_type='proto')\n"
        "    except ImportError:\n"
        "        def _proto(self, t):\n"
        "            r = self.encode(t, out_type='offset_mapping')\n"
        "            return types.SimpleNamespace(pieces=[types.SimpleNamespace(id=i, surface=t[b:e])\n"
        "                                                 for i, (b, e) in zip(r['ids'], r['offsets'])])\n"
        "        P.encode_as_immutable_proto = _proto\n"
        "script = sys.argv[1]\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(script, run_name='__main__')\n")
    r = subprocess.run([sys.executable, "-c", harness, str(_record_file("prepare_caseops_data.py")), "--docs",
                        str(docs), "--out", str(out), "--sp", str(model), "--val-docs", str(val_docs)],
                       capture_output=True, text=True, timeout=600, cwd=out)
    assert r.returncode == 0, r.stderr[-3000:]


@pytest.mark.slow
def test_build_equals_the_records_prepare_caseops_data(data_dir, sp, tmp_path):
    src = data_dir / "text" / "fineweb_docs_200_raw.jsonl"
    model = tokenizer_path(data_dir, VARIANT)
    val_docs = 199  # golfkit keeps at least one training document
    rep = dataprep.build(src, model, tmp_path / "gk", val_docs=val_docs, transform=caseops.NAME)
    (tmp_path / "rec").mkdir()
    _run_records_prepare(src, tmp_path / "rec", model, val_docs)
    gk = tmp_path / "gk" / "datasets" / f"fineweb10B_{VARIANT}"
    rec = tmp_path / "rec" / "datasets" / f"fineweb10B_{VARIANT}"
    names = ["fineweb_train_000000.bin", "fineweb_val_000000.bin", "fineweb_val_bytes_000000.bin"]
    # golfkit's build also writes its manifest (what it wrote, so a rebuild replaces only its own output);
    # the data files are the records' own, and the manifest lists exactly those
    assert sorted(p.name for p in rec.iterdir()) == names
    assert sorted(p.name for p in gk.iterdir()) == sorted([*names, dataprep.BUILD_MANIFEST])
    assert sorted(json.loads((gk / dataprep.BUILD_MANIFEST).read_text())["files"]) == names
    for name in names:
        assert (gk / name).read_bytes() == (rec / name).read_bytes(), name
    # the sidecar sums, document by document, to the UTF-8 bytes of the text before the transform
    docs = dataprep.read_documents(src)
    toks, side = read_shard(gk / names[1]).astype(np.int64), read_shard(gk / names[2]).astype(np.int64)
    starts = [*np.flatnonzero(toks == BOS_ID), toks.size]
    assert [int(side[a:b].sum()) for a, b in zip(starts, starts[1:])] == [len(x.encode()) for x in docs[:val_docs]]
    _, all_bytes = dataprep._encode_docs(sp, docs, caseops.NAME, byte_counts=True)  # all 200, as the build does
    assert int(all_bytes.sum()) == sum(len(x.encode()) for x in docs)
    assert rep["splits"]["val"]["bytes"] == int(side[1:].sum()) and rep["splits"]["val"]["byte_source"] == "sidecar"
    assert (tmp_path / "gk" / "tokenizers" / model.name).read_bytes() == model.read_bytes()
    # and the folder reads back through golfkit: each document's tokens decode, through the inverse
    # transform, to that document as the tokenizer's normaliser (nmt_nfkc) leaves it
    d = find_dataset(tmp_path / "gk", VARIANT)
    val = load_val_tokens(d).numpy()
    for i, (a, b) in enumerate(zip(starts[:5], starts[1:6])):
        text = caseops.decode(sp.decode([int(t) for t in val[a + 1: b]]))
        assert text == sp.normalize(docs[i]).replace("\u2581", " "), i


# ---------------------------------------------------------------------------------- hostile inputs
def _copy_caseops(caseops_dir: Path, dest: Path) -> Path:
    ds = dest / "datasets" / f"fineweb10B_{VARIANT}"
    ds.mkdir(parents=True)
    src = caseops_dir / "datasets" / f"fineweb10B_{VARIANT}"
    for name in ("fineweb_val_000000.bin", "fineweb_val_bytes_000000.bin"):
        (ds / name).write_bytes((src / name).read_bytes())
    (dest / "tokenizers").mkdir()
    tok = tokenizer_path(caseops_dir, VARIANT)
    (dest / "tokenizers" / tok.name).write_bytes(tok.read_bytes())
    return ds


def _sidecar_cases(side: np.ndarray):
    yield "shorter", lambda p: write_shard(p, side[:-5]), "has 201265 counts but fineweb_val_000000.bin has 201270"
    yield "longer", lambda p: write_shard(p, np.concatenate([side, side[:3]])), "has 201273 counts"
    yield "magic", lambda p: p.write_bytes(np.int32(MAGIC + 1).tobytes() + p.read_bytes()[4:]), "wrong magic"
    yield "truncated", lambda p: p.write_bytes(p.read_bytes()[:-7]), "is truncated"
    yield "header only", lambda p: p.write_bytes(p.read_bytes()[:100]), "truncated"
    yield "misaligned", lambda p: write_shard(p, np.roll(side, 1)), "not aligned with the validation tokens"


def test_hostile_sidecars_are_one_clear_error(caseops_dir, sp, tmp_path):
    side = read_shard(caseops_dir / "datasets" / f"fineweb10B_{VARIANT}" / "fineweb_val_bytes_000000.bin")
    for i, (what, spoil, msg) in enumerate(_sidecar_cases(side)):
        root = tmp_path / f"c{i}"
        ds = _copy_caseops(caseops_dir, root)
        spoil(ds / "fineweb_val_bytes_000000.bin")
        d = find_dataset(root, VARIANT, need_train=False)
        with pytest.raises(GolfkitError, match=msg):
            val_byte_counts(d, sp, 8192, load_val_tokens(d))
        if what in ("shorter", "magic"):  # and through the CLI: one line, exit 2
            r = golfkit_cli("data", "verify", str(root), "--variant", VARIANT)
            assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
            assert r.stderr.startswith("golfkit: error: ") and msg.split()[0] in r.stderr
    # a sidecar without its validation shard's number, and no sidecar at all
    root = tmp_path / "renamed"
    ds = _copy_caseops(caseops_dir, root)
    (ds / "fineweb_val_bytes_000000.bin").rename(ds / "fineweb_val_bytes_000001.bin")
    with pytest.raises(GolfkitError, match="does not pair"):
        d = find_dataset(root, VARIANT, need_train=False)
        val_byte_counts(d, sp, 8192, load_val_tokens(d))
    (ds / "fineweb_val_bytes_000001.bin").unlink()
    with pytest.raises(GolfkitError, match="needs the byte sidecar"):
        val_byte_counts(find_dataset(root, VARIANT, need_train=False), sp, 8192, load_val_tokens(d))
    with pytest.raises(GolfkitError, match="byte_source=sidecar but"):
        find_dataset(root, VARIANT, need_train=False, byte_source="sidecar")
    with pytest.raises(GolfkitError, match="no byte sidecar"):
        dataprep.verify(root, VARIANT)


@pytest.mark.parametrize("content,msg", [
    (b'{"text": "ok"}\n{"text": "caf\xe9"}\n', r"bad.jsonl:2: not UTF-8 text \(byte 0xe9"),
    (b'{"text": "ok"}\n{"text": 5}\n', "bad.jsonl:2: 'text' must be a string, got int"),
    (b'{"text": null}\n', "bad.jsonl:1: 'text' must be a string, got NoneType"),
    (b'{"text": ["a"]}\n', "'text' must be a string, got list"),
    (b'{"text": "lone \\ud800 surrogate"}\n', "bad.jsonl:1: text holds U\\+D800, which has no UTF-8 encoding"),
    (b'["text"]\n', "expected a JSON object with a 'text' field"),
    (json.dumps({"text": "A" + " " * 70_000 + "b"}).encode() + b"\n", "stands for 70001 bytes, more than the sidecar"),
])
def test_hostile_text_is_refused_before_anything_is_written(caseops_dir, tmp_path, content, msg):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content + b'{"text": "a training document"}\n')
    out = tmp_path / "out"
    with pytest.raises(GolfkitError, match=msg):
        dataprep.build(bad, tokenizer_path(caseops_dir, VARIANT), out, val_docs=1, transform=caseops.NAME)
    assert not out.exists()


def test_build_cli_refusals_are_one_line_and_write_nothing(caseops_dir, tmp_path):
    tok8k, tok1k = tokenizer_path(caseops_dir, VARIANT), tokenizer_path(caseops_dir, "sp1024")
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "The One"}\n{"text": "And ANOTHER"}\n')
    txt = tmp_path / "bad.txt"
    txt.write_bytes(b"first doc\n\nsecond \xff doc\n")
    cases = [
        (["--text", str(txt), "--tokenizer", str(tok8k), "--transform", caseops.NAME], "bad.txt:3: not UTF-8"),
        (["--text", str(good), "--tokenizer", str(tok8k)], "is a CaseOps tokenizer"),
        (["--text", str(good), "--tokenizer", str(tok1k), "--transform", caseops.NAME], "lacks U+E001"),
        (["--text", str(good), "--tokenizer", str(tok8k), "--transform", caseops.NAME, "--variant", "../x"],
         "is not a dataset name"),
        (["--text", str(good), "--tokenizer", str(tmp_path / "none.model"), "--transform", caseops.NAME],
         "not found"),
    ]
    for args, msg in cases:
        out = tmp_path / "out"
        r = golfkit_cli("data", "build", *args, "--out", str(out), "--val-docs", "1")
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and msg in r.stderr, (args, r.stderr)
        assert not out.exists()
    r = golfkit_cli("data", "build", "--text", str(good), "--tokenizer", str(tok8k), "--transform", caseops.NAME,
                    "--out", str(tmp_path / "ok"), "--val-docs", "1")
    assert r.returncode == 0 and "byte_source:sidecar" in r.stdout, r.stderr
    assert caseops.decode(load_tokenizer(tok8k, 8192).decode(
        [int(t) for t in read_shard(tmp_path / "ok" / "datasets" / f"fineweb10B_{VARIANT}" /
                                    "fineweb_val_000000.bin")[1:]])) == "The One"


def test_train_refuses_piece_bytes_on_caseops_data_before_allocating(caseops_dir, tmp_path):
    run_dir = tmp_path / "run"
    base = ["train", "--preset", "smoke", "--data", str(caseops_dir), "--run-dir", str(run_dir),
            "--set", f"data.variant={VARIANT}", "--set", "model.vocab_size=8192"]
    r = golfkit_cli(*base, "--set", "data.byte_source=pieces")
    assert r.returncode == 2 and "needs the byte sidecar" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = golfkit_cli(*base, "--set", "data.byte_source=tokens")
    assert r.returncode == 2 and "data.byte_source' must be one of" in r.stderr, r.stderr
    r = golfkit_cli(*base, "--set", "data.variant=../sp1024")
    assert r.returncode == 2 and "is not a dataset name" in r.stderr, r.stderr
    assert not run_dir.exists()


def test_training_scores_caseops_data_with_the_sidecar(caseops_dir):
    """`golfkit train`'s preflight (what its in-training val and its roundtrip score use) picks the sidecar."""
    from golfkit import dist
    from golfkit.presets import get_preset
    from golfkit.train import preflight

    cfg = get_preset("smoke").override({"data.dir": str(caseops_dir), "data.variant": VARIANT,
                                        "model.vocab_size": 8192})
    _, ds, counts, val = preflight(cfg, dist.DistContext())
    assert ds.byte_source == "sidecar" and isinstance(counts, SidecarBytes)
    assert val.numel() == MINI_VAL_TOKENS and int(counts.counts[1:].sum()) == MINI_VAL_BYTES
