"""CaseOps: the lossless case transform of the SP8192 CaseOps records, its inverse, and byte counts.

The records from PR #1729 on (PR #1855, PR #2135: `lossless_caps_caseops_v1`) tokenize text
whose ASCII capitals have been replaced by lowercase letters plus operator characters, so that
"The", "the" and "THE" share subword pieces. Four private-use code points are the operators;
the CaseOps SentencePiece model reserves each as one piece (ids 4-7):

    TITLE   U+E001  the next ASCII word starts with a capital ("Paris" -> TITLE "paris")
    ALLCAPS U+E002  the next ASCII word is all capitals, 2+ letters ("NASA" -> ALLCAPS "nasa")
    CAPNEXT U+E003  the next letter of the current word is a capital ("iPhone" -> "i" CAPNEXT "phone")
    ESC     U+E004  the next character is literal (an operator code point in the input text)

Forward rules, over maximal runs of ASCII letters [A-Za-z] (a "word"; digits, accents and
every other character end a word and pass through unchanged):
  * all lowercase: unchanged;
  * two or more letters, all capitals: ALLCAPS + the word in lowercase;
  * otherwise TITLE if the first letter is a capital, then the first letter in lowercase, then
    each later letter in lowercase, preceded by CAPNEXT where it was a capital
    ("McDonald" -> TITLE "mc" CAPNEXT "donald"; a lone "A" -> TITLE "a");
  * an operator code point in the input becomes ESC + itself.

The inverse is a left-to-right state machine; it refuses what the forward transform cannot
produce in the same places the records' decoder does (a marker that is not followed by a
letter, TITLE/ALLCAPS inside a word, a doubled CAPNEXT, a dangling ESC or marker at the end).

val_bpb on CaseOps data is charged the bytes of the text *before* the transform: each token
is charged the UTF-8 bytes that the inverse emits for the characters the token covers in the
transformed text (operators and ESC: 0; a letter: 1; an escaped operator: 3; anything else:
its UTF-8 length). Those counts are the byte sidecar `fineweb_val_bytes_*.bin` written next to
the validation shards. Which characters a token covers comes from SentencePiece itself (the
pieces' surfaces), so that characters the tokenizer's normaliser folds (runs of spaces,
newlines) are charged to the token that absorbed them, as in the records' exporter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from golfkit.errors import GolfkitError

NAME = "lossless_caps_caseops_v1"  # the records' transform name (their text_transform setting)
TITLE, ALLCAPS, CAPNEXT, ESC = "\ue001", "\ue002", "\ue003", "\ue004"
OPERATORS = (TITLE, ALLCAPS, CAPNEXT, ESC)
# the records' dataset folder and tokenizer suffix (PR #1855 / #2135 prepare_caseops_data.py layout)
VARIANT_SUFFIX = "_lossless_caps_caseops_v1_reserved"


class CaseOpsError(GolfkitError):
    """Text that is not a valid CaseOps encoding."""


# ---------------------------------------------------------------------------------- forward
_WORD_OR_OPERATOR = re.compile("[A-Za-z]+|[\ue001-\ue004]")


def _encode_run(m: re.Match) -> str:
    run = m.group()
    if run in OPERATORS:
        return ESC + run
    if run.islower():  # the common case: nothing to mark
        return run
    low = run.lower()
    if len(run) > 1 and run.isupper():
        return ALLCAPS + low
    marked = [low[0]]
    for orig, lc in zip(run[1:], low[1:]):
        marked.append(CAPNEXT + lc if orig != lc else lc)
    return (TITLE if run[0] != low[0] else "") + "".join(marked)


def encode(text: str) -> str:
    """The forward transform (lossless_caps_caseops_v1)."""
    return _WORD_OR_OPERATOR.sub(_encode_run, text)


# ---------------------------------------------------------------------------------- inverse
def _letter(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


class Inverse:
    """Incremental inverse: `feed(chunk)` returns the original text of `chunk`, `finish()` checks the end.

    State: after ESC (`escaped`), a pending word marker (`word_mark`: TITLE or ALLCAPS), a pending
    CAPNEXT, whether the last emitted character was inside an ASCII word, and whether the current
    word is in ALLCAPS mode.
    """

    def __init__(self) -> None:
        self.escaped = False
        self.word_mark = ""
        self.capnext = False
        self.in_word = False
        self.caps_word = False

    def feed(self, chunk: str) -> str:
        out: list[str] = []
        for c in chunk:
            if self.escaped:  # a literal character, whatever it is
                if self.word_mark and not _letter(c):
                    raise CaseOpsError("an escaped character cannot take the pending word marker")
                self.escaped = False
                if _letter(c):
                    self.in_word = True
                else:
                    self.in_word = self.caps_word = False
                out.append(c)
            elif c == ESC:
                self.escaped = True
            elif c == TITLE or c == ALLCAPS:
                if self.word_mark or self.in_word or self.capnext:
                    raise CaseOpsError(f"word marker U+{ord(c):04X} inside a word or after another marker")
                self.word_mark = c
            elif c == CAPNEXT:
                if self.capnext:
                    raise CaseOpsError("CAPNEXT twice in a row")
                self.capnext = True
            elif _letter(c):
                if not self.in_word:  # first letter of a word
                    up = bool(self.word_mark) or self.capnext
                    self.caps_word = self.word_mark == ALLCAPS
                    self.word_mark, self.in_word = "", True
                else:
                    if self.word_mark:
                        raise CaseOpsError("a word marker inside a word")
                    up = self.caps_word or self.capnext
                self.capnext = False
                out.append(c.upper() if up else c)
            else:
                if self.word_mark or self.capnext:
                    raise CaseOpsError(f"a case marker before {c!r}, which is not an ASCII letter")
                self.in_word = self.caps_word = False
                out.append(c)
        return "".join(out)

    def finish(self) -> None:
        if self.escaped:
            raise CaseOpsError("ESC at the end of the text")
        if self.word_mark or self.capnext:
            raise CaseOpsError("a case marker at the end of the text")


def decode(text: str) -> str:
    """The inverse transform: decode(encode(x)) == x for every string x."""
    if not any(op in text for op in OPERATORS):  # no marker, nothing to undo (and nothing to refuse)
        return text
    inv = Inverse()
    out = inv.feed(text)
    inv.finish()
    return out


def original_byte_counts(surfaces: Iterable[str]) -> list[int]:
    """UTF-8 bytes of the original text behind each piece of a transformed document, in order.

    `surfaces` are the consecutive slices of the transformed text that the tokens cover.
    """
    inv = Inverse()
    counts = [len(inv.feed(s).encode("utf-8")) for s in surfaces]
    inv.finish()
    return counts


# ---------------------------------------------------------------------------------- tokenizer side
def is_caseops_tokenizer(sp) -> bool:
    """Whether a SentencePiece model reserves the four operators as pieces of their own."""
    return all(sp.piece_to_id(op) != sp.unk_id() for op in OPERATORS)


def encode_pieces(sp, text: str) -> tuple[list[int], list[str]]:
    """Token ids of `text` and the slice of `text` each token covers (its surface).

    sentencepiece >= 0.2.3 gives character offsets (`out_type="offset_mapping"`); older releases
    give the same surfaces through `encode_as_immutable_proto` (removed in 0.2.3).
    """
    try:
        r = sp.encode(text, out_type="offset_mapping")
    except (ValueError, TypeError, RuntimeError):
        proto = sp.encode_as_immutable_proto(text)
        return [p.id for p in proto.pieces], [p.surface for p in proto.pieces]
    return list(r["ids"]), [text[b:e] for b, e in r["offsets"]]
