"""Byte accounting: golfkit's per-token bytes must sum to the UTF-8 size of the decoded text.

The challenge charges, per target token: the piece's UTF-8 bytes without a leading "▁";
+1 for a leading "▁" unless the previous token is a boundary (BOS/control); 1 byte for a
byte-fallback piece <0xNN>; 0 for control/unknown/unused pieces. Summed over a document
that starts after BOS, that must equal len(decoded.encode("utf-8")).
"""

import math

import pytest
import sentencepiece as spm
import torch

from golfkit.data import BOS_ID, build_byte_luts
from golfkit.eval import BpbAccumulator

TEXTS = [
    "Hello world, this is a test.",
    "Leading words and   multiple   spaces; numbers 12345 split into digits.",
    "Non-ASCII: café, naïve, Straße, 東京, emoji 🙂 and ☃ fall back to bytes.",
    "Line one\nLine two\n\nTabs\tand trailing space ",
]


def bytes_of(sp, luts, docs):
    """Sum golfkit's per-target bytes over BOS doc1 BOS doc2 ... (the challenge's stream)."""
    ids = []
    for d in docs:
        ids += [BOS_ID] + sp.encode(d)
    t = torch.tensor(ids)
    return int(luts.token_bytes(t[:-1], t[1:]).sum())


@pytest.fixture(scope="module")
def tiny_sp(tmp_path_factory):
    """A hand-built SentencePiece BPE with the challenge's options: byte fallback, no dummy prefix."""
    d = tmp_path_factory.mktemp("sp")
    corpus = d / "corpus.txt"
    corpus.write_text("\n".join(["the quick brown fox jumps over the lazy dog"] * 50 + ["hello world again"] * 20))
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(d / "tiny"), vocab_size=300, model_type="bpe",
        byte_fallback=True, split_digits=True, add_dummy_prefix=False, normalization_rule_name="nmt_nfkc",
        pad_id=0, bos_id=1, eos_id=2, unk_id=3, character_coverage=1.0, minloglevel=2)
    return spm.SentencePieceProcessor(model_file=str(d / "tiny.model"))


def test_tiny_tokenizer_cases(tiny_sp):
    sp, luts = tiny_sp, build_byte_luts(tiny_sp, tiny_sp.vocab_size())
    ids = sp.encode(TEXTS[2])
    assert any(sp.is_byte(i) for i in ids), "the example must exercise byte fallback"
    assert any(sp.id_to_piece(i).startswith("\u2581") for i in ids), "and leading-space pieces"
    for text in TEXTS:
        assert bytes_of(sp, luts, [text]) == len(sp.decode(sp.encode(text)).encode("utf-8"))
    # several documents: the "▁" right after each BOS costs nothing, the next BOS costs 0 bytes
    assert bytes_of(sp, luts, TEXTS) == sum(len(sp.decode(sp.encode(t)).encode()) for t in TEXTS)


def test_control_pieces_cost_nothing(tiny_sp):
    luts = build_byte_luts(tiny_sp, 320)  # table padded past the tokenizer's vocab
    for i in (0, 1, 2, 3):
        assert luts.base_bytes[i] == 0 and luts.is_boundary[i]
    assert luts.is_boundary[310] and luts.base_bytes[310] == 0
    byte_ids = [i for i in range(tiny_sp.vocab_size()) if tiny_sp.is_byte(i)]
    assert byte_ids and all(luts.base_bytes[i] == 1 for i in byte_ids)


def test_official_tokenizer_cases(tokenizer_path):
    sp = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
    luts = build_byte_luts(sp, 1024)
    assert sp.piece_to_id("\u2581") == 939
    for text in TEXTS:
        assert bytes_of(sp, luts, [text]) == len(sp.decode(sp.encode(text)).encode("utf-8"))
    assert bytes_of(sp, luts, TEXTS) == sum(len(sp.decode(sp.encode(t)).encode()) for t in TEXTS)


def test_accumulator_formula():
    sp_luts = build_byte_luts(_FakeSP(), 4)
    acc = BpbAccumulator(sp_luts, torch.device("cpu"))
    prev = torch.tensor([1, 2, 3])
    tgt = torch.tensor([2, 3, 2])
    nll = torch.tensor([1.0, 2.0, 3.0])
    acc.add(nll, prev, tgt)
    r = acc.result(0.0)
    # piece 2 = "▁ab" (2 bytes + space unless after BOS id 1), piece 3 = "c" (1 byte)
    nbytes = 2 + 1 + 3
    assert r.val_tokens == 3 and r.val_bytes == nbytes
    assert r.val_loss == pytest.approx(2.0)
    assert r.val_bpb == pytest.approx(6.0 / (math.log(2) * nbytes))


class _FakeSP:
    """Minimal SentencePiece stand-in: 0 pad, 1 BOS (control), 2 "▁ab", 3 "c"."""

    pieces = ["<pad>", "<s>", "\u2581ab", "c"]

    def vocab_size(self):
        return 4

    def is_control(self, i):
        return i in (0, 1)

    def is_unknown(self, i):
        return False

    def is_unused(self, i):
        return False

    def is_byte(self, i):
        return False

    def id_to_piece(self, i):
        return self.pieces[i]
