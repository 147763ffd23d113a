"""The content-based validation guard (golfkit/overlap.py) against hostile data folders.

Each case is a way to get validation tokens into training that file names and byte-identity
do not catch: one token changed, val plus one token, a truncated/shifted copy, the holdout tail,
a hard link to another folder's val shard, validation documents spread thinly over a train shard,
and GPTQ calibration from such data. Every one must be refused with one line naming the file;
the real train heads (sp1024, sp4096, CaseOps) must be accepted.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from golfkit import overlap
from golfkit.quant.calib import check_train_files, train_batches
from golfkit.data import read_shard, refuse_non_train, write_shard
from golfkit.errors import GolfkitError
from conftest import golfkit_cli, smoke_config

SP1024 = "fineweb10B_sp1024"


def make_folder(root: Path, data_dir: Path, train: np.ndarray | None = None, val: np.ndarray | None = None,
                holdout: bool = False) -> Path:
    """A challenge-layout folder: given train/val tokens (default: the real heads), tokenizers linked."""
    ds = root / "datasets" / SP1024
    ds.mkdir(parents=True)
    real = data_dir / "datasets" / SP1024
    write_shard(ds / "fineweb_train_000000.bin", read_shard(real / "fineweb_train_000000.bin") if train is None else train)
    write_shard(ds / "fineweb_val_000000.bin", read_shard(real / "fineweb_val_000000.bin") if val is None else val)
    (root / "tokenizers").symlink_to(data_dir / "tokenizers")
    if holdout:
        (root / "holdout").symlink_to(data_dir / "holdout")
    return root


def val_head(data_dir: Path) -> np.ndarray:
    return read_shard(data_dir / "datasets" / SP1024 / "fineweb_val_000000.bin").copy()


def holdout_tail(data_dir: Path) -> np.ndarray:
    return read_shard(data_dir / "holdout" / "fineweb_val_tail_sp1024.bin").copy()


def train_files(root: Path) -> list[Path]:
    return sorted((root / "datasets" / SP1024).glob("fineweb_train_*.bin"))


@pytest.fixture
def policy(tmp_path):
    return overlap.Policy(cache=str(tmp_path / "cache"))


def as_data_cfg(policy: overlap.Policy):
    from golfkit.config import DataConfig

    return DataConfig(guard_extra=list(policy.extra), guard_cache=policy.cache, guard_max_overlap=policy.max_overlap,
                      guard_max_val_docs=policy.max_val_docs, guard_workers=policy.workers)


def refused(root: Path, policy, val_files=True, match=r"refuses .*fineweb_train_000000\.bin"):
    files = train_files(root)
    vals = sorted((root / "datasets" / SP1024).glob("fineweb_val_*.bin")) if val_files else None
    with pytest.raises(GolfkitError, match=match) as e:
        refuse_non_train(files, vals, guard=as_data_cfg(policy))
    msg = str(e.value)
    assert "\n" not in msg and "validation" in msg
    return msg


def one_token_changed(data_dir):
    v = val_head(data_dir)
    v[1000] = (int(v[1000]) + 1) % 1024
    return v


# ---------------------------------------------------------------------------------- hostile cases
def test_val_with_one_token_changed_is_refused(data_dir, tmp_path, policy):
    root = make_folder(tmp_path / "d", data_dir, train=one_token_changed(data_dir))
    msg = refused(root, policy)
    assert "99." in msg or "100.00%" in msg  # nearly all of it


def test_val_plus_one_token_truncated_and_shifted_copies_are_refused(data_dir, tmp_path, policy):
    v = val_head(data_dir)
    for i, t in enumerate([np.append(v, 5), v[: v.size // 3], v[777: 200_000]]):
        root = make_folder(tmp_path / f"d{i}", data_dir, train=t)
        refused(root, policy)


def test_holdout_tail_is_refused_via_the_folder_holdout_or_guard_extra(data_dir, tmp_path, policy):
    tail = holdout_tail(data_dir)
    with_holdout = make_folder(tmp_path / "a", data_dir, train=tail, holdout=True)
    assert "holdout" in refused(with_holdout, policy)
    bare = make_folder(tmp_path / "b", data_dir, train=tail)  # no holdout/: the guard must be told
    extra = overlap.Policy(extra=(str(data_dir),), cache=policy.cache)
    assert "holdout" in refused(bare, extra)


def test_hard_link_to_another_folders_val_shard_is_refused(data_dir, tmp_path, policy):
    other = make_folder(tmp_path / "other", data_dir, val=one_token_changed(data_dir))  # another export of val
    root = make_folder(tmp_path / "run", data_dir)
    target = train_files(root)[0]
    target.unlink()
    os.link(other / "datasets" / SP1024 / "fineweb_val_000000.bin", target)
    assert target.stat().st_nlink == 2 and target.resolve().name == target.name  # not a symlink: names pass
    refused(root, policy)
    # another folder whose val is data this run's val does not hold (the tail): named in guard_extra
    tail_dir = make_folder(tmp_path / "tail_export", data_dir, val=holdout_tail(data_dir))
    run2 = make_folder(tmp_path / "run2", data_dir)
    t2 = train_files(run2)[0]
    t2.unlink()
    os.link(tail_dir / "datasets" / SP1024 / "fineweb_val_000000.bin", t2)
    refused(run2, overlap.Policy(extra=(str(tail_dir),), cache=policy.cache))


def test_validation_documents_spread_into_a_real_train_shard_are_refused(data_dir, tmp_path, policy):
    """Issue #2127's shape: a few whole val documents among many train documents: under the per-shard
    threshold, caught by the document count."""
    v = val_head(data_dir)
    starts = np.flatnonzero(v == 1)
    docs = [v[a:b] for a, b in zip(starts[:-1], starts[1:]) if 300 < b - a < 1500][:6]  # 6 of 234 documents (2.6%)
    train = read_shard(data_dir / "datasets" / SP1024 / "fineweb_train_000000.bin")
    ts = np.flatnonzero(train == 1)
    pieces, prev = [], 0
    for k, d in enumerate(docs):  # between train documents, spread over the shard
        cut = int(ts[(k + 1) * 150])
        pieces += [train[prev:cut], d]
        prev = cut
    root = make_folder(tmp_path / "d", data_dir, train=np.concatenate(pieces + [train[prev:]]))
    r = overlap.inspect(train_files(root), policy=policy)
    o = r.shards[0][0]
    assert o.fraction < policy.max_overlap and len(o.val_docs) == 6, (o.fraction, o.val_docs)
    msg = refused(root, policy, match=r"contain 6 of the 234 documents")
    assert "#2127" in msg


def test_calibration_from_such_data_is_refused(data_dir, tmp_path):
    root = make_folder(tmp_path / "d", data_dir, train=np.append(val_head(data_dir), 5))
    with pytest.raises(GolfkitError, match=r"^calibration refuses .*fineweb_train_000000\.bin.*validation") as e:
        next(train_batches(train_files(root), 1, 256, 128, torch.device("cpu")))
    assert "\n" not in str(e.value)
    with pytest.raises(GolfkitError, match="calibration refuses"):
        check_train_files(train_files(root))


def test_training_refuses_before_writing_anything(data_dir, tmp_path):
    """Through the CLI, as a user: exit 2, one line naming the shard and the overlap, no run folder."""
    root = make_folder(tmp_path / "d", data_dir, train=one_token_changed(data_dir))
    run_dir = tmp_path / "run"
    r = golfkit_cli("train", "--preset", "smoke", "--data", str(root), "--run-dir", str(run_dir),
                    "--set", f"data.guard_cache={tmp_path / 'cache'}")
    assert r.returncode == 2, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "training refuses" in lines[0] and "fineweb_train_000000.bin" in lines[0], lines
    assert "% of it is validation data" in lines[0] and not run_dir.exists()


def test_config_refuses_out_of_range_guard_values(data_dir):
    from golfkit.train import preflight
    from golfkit import dist

    ctx = dist.init("cpu")
    for key, value in (("data.guard_max_overlap", 1.5), ("data.guard_max_val_docs", -0.1), ("data.guard_workers", -2),
                       ("data.guard_extra", ["/nonexistent/golfkit/val"])):
        with pytest.raises(GolfkitError, match=key.split(".")[1]):
            preflight(smoke_config(data_dir, **{key: value}), ctx)


# ---------------------------------------------------------------------------------- no false positives
@pytest.mark.parametrize("variant", ["sp1024", "sp4096", "sp8192_lossless_caps_caseops_v1_reserved"])
def test_real_train_heads_are_accepted(data_dir, policy, variant):
    ds = data_dir / "datasets" / f"fineweb10B_{variant}"
    files = sorted(ds.glob("fineweb_train_*.bin"))
    report = overlap.check(files, policy=policy)
    labels = [s["label"] for s in report.sources]
    assert any(lab.startswith("validation split") for lab in labels)
    assert all(not s["label"].endswith("_bytes_000000.bin") for s in report.sources)  # CaseOps sidecar is not tokens
    for o in report.shards[0]:
        assert o.fraction < 1e-4 and o.windows > 40_000, (o.source, o.fraction, o.windows)
    assert all(n == 0 for n in report.contained.values()), report.contained


def test_copy_with_symlinked_train_shards_is_accepted_and_knows_the_original_split(data_dir, tmp_path, policy):
    """Val-head copies (the workbook's smoke data) link the real train shards: the guard also indexes
    the split and the holdout of the folder the links resolve to."""
    root = make_folder(tmp_path / "copy", data_dir, val=val_head(data_dir)[:4097])
    shard = train_files(root)[0]
    shard.unlink()
    shard.symlink_to(data_dir / "datasets" / SP1024 / "fineweb_train_000000.bin")
    report = overlap.check([shard], policy=policy)
    labels = " ".join(s["label"] for s in report.sources)
    assert str(root) in labels and str(data_dir / "datasets" / SP1024) in labels and "holdout" in labels


# ---------------------------------------------------------------------------------- hashing and cache
def test_windows_are_content_sampled_so_shifted_copies_sample_the_same_windows():
    rng = np.random.default_rng(0)
    t = rng.integers(2, 1024, 20_000).astype(np.uint16)
    h, pos = overlap.sampled_windows(t)
    h2, pos2 = overlap.sampled_windows(np.concatenate([rng.integers(2, 1024, 37).astype(np.uint16), t]))
    keep = pos2 >= 37  # windows that start inside the copy (a few more straddle the junction)
    assert np.array_equal(h, h2[keep]) and np.array_equal(pos + 37, pos2[keep])
    assert 0.04 < h.size / (t.size - overlap.WINDOW + 1) < 0.085  # about 1 in 16
    full = overlap.window_hashes(t)  # the doubling construction equals the direct polynomial
    direct = 0
    for j in range(overlap.WINDOW):
        direct = (direct * overlap._BASE + int(overlap._TABLE[int(t[5 + j])])) & ((1 << 64) - 1)
    assert int(overlap._mix(np.array([direct], dtype=np.uint64))[0]) == int(full[5])


def test_index_and_shard_results_are_cached_and_a_corrupt_cache_is_rebuilt(data_dir, tmp_path, policy, monkeypatch):
    files = sorted((data_dir / "datasets" / SP1024).glob("fineweb_train_*.bin"))
    monkeypatch.setattr(overlap, "_INDEXES", {})  # this process's memory of earlier tests
    monkeypatch.setattr(overlap, "_RESULTS", {})
    first = overlap.inspect(files, policy=policy)
    cache = Path(policy.cache)
    indexes = sorted(cache.glob("index-*.npz"))
    assert len(indexes) == len(first.sources) and len(list((cache / "shards").glob("*.json"))) == len(first.sources)
    monkeypatch.setattr(overlap, "_INDEXES", {})
    monkeypatch.setattr(overlap, "_RESULTS", {})
    built = []
    monkeypatch.setattr(overlap.ValIndex, "build", classmethod(lambda cls, s, k: built.append(k)))
    monkeypatch.setattr(overlap, "scan_shard", lambda *a: pytest.fail("shard rescanned despite the cache"))
    again = overlap.inspect(files, policy=policy)
    assert not built and [o.matched for o in again.shards[0]] == [o.matched for o in first.shards[0]]
    indexes[0].write_bytes(b"not an npz")
    monkeypatch.setattr(overlap, "_INDEXES", {})
    assert overlap.ValIndex.from_file(indexes[0], first.sources[0]["key"]) is None


def test_exported_submissions_ship_without_the_guard(tmp_path):
    """A submission trains on the graders' canonical data: the guard would only cost its bytes. It is
    switched off in the submission's config (explicit wiring, data.DATA_GUARDS), and the README says why."""
    import inspect
    import json
    import re

    from golfkit import data
    from golfkit.export import bundle, export_submission, module_closure
    from golfkit.presets import get_preset

    names = module_closure()
    assert "golfkit.data" in names and "golfkit.overlap" not in names
    cfg = get_preset("smoke")
    assert cfg.data.guard == "on"
    plain = bundle(cfg, minified=False)
    baked = json.loads(re.search(r"^_CONFIG = '(.*)'$", plain, re.M).group(1))
    assert baked["data"]["guard"] == "off" and "'golfkit.overlap'" not in plain
    export_submission(tmp_path / "sub", cfg=cfg)
    assert json.loads((tmp_path / "sub" / "config.json").read_text())["data"]["guard"] == "off"
    assert "data.guard=off" in (tmp_path / "sub" / "README.md").read_text()
    assert "__file__" not in inspect.getsource(data.refuse_non_train)  # no sniffing of how golfkit was loaded


def test_data_guard_off_checks_names_only_and_says_so(data_dir, tmp_path, policy):
    from golfkit.config import DataConfig

    root = make_folder(tmp_path / "d", data_dir, train=np.append(val_head(data_dir), 5))
    rec = refuse_non_train(train_files(root), None, guard=DataConfig(guard="off"))
    assert rec["guard"] == "off" and "content not" in rec["reason"]
    refused(root, policy)
    with pytest.raises(GolfkitError, match="only fineweb_train"):  # names are checked whatever the setting
        refuse_non_train(sorted((root / "datasets" / SP1024).glob("fineweb_val_*.bin")), guard=DataConfig(guard="off"))
    good = make_folder(tmp_path / "g", data_dir)
    rec = refuse_non_train(train_files(good), None, guard=as_data_cfg(policy))
    line = overlap.format_summary(rec)
    assert line.startswith("data_guard:on checked 1 training shard(s)") and "shard_scanned:1" in line, line
    again = overlap.format_summary(refuse_non_train(train_files(good), None, guard=as_data_cfg(policy)))
    assert "index_memory:1" in again and "shard_memory:1" in again  # computed once, then read back


def test_two_ranks_share_the_first_pass_and_both_refuse(data_dir, tmp_path):
    """Under torchrun, rank 0 builds the index and the ranks split the shards (cached); every rank
    then judges all of them, so all refuse together (no rank left waiting in a collective)."""
    import subprocess
    import sys

    from conftest import REPO

    train = read_shard(data_dir / "datasets" / SP1024 / "fineweb_train_000000.bin")
    root = make_folder(tmp_path / "d", data_dir, train=train[: train.size // 2])
    write_shard(root / "datasets" / SP1024 / "fineweb_train_000001.bin", np.append(val_head(data_dir), 9))
    cache = tmp_path / "cache"
    r = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                        "-m", "golfkit", "train", "--preset", "smoke", "--data", str(root), "--run-dir",
                        str(tmp_path / "run"), "--set", f"data.guard_cache={cache}"],
                       capture_output=True, text=True, timeout=600, cwd=REPO, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert r.returncode != 0
    assert r.stderr.count("golfkit: error: training refuses") == 2 and "fineweb_train_000001.bin" in r.stderr
    assert len(list((cache / "shards").glob("*.json"))) == 2  # 2 shards x 1 source (the val split)
    assert not (tmp_path / "run").exists()


def test_a_stream_without_bos_is_cut_into_bounded_chunks(monkeypatch):
    monkeypatch.setattr(overlap, "CHUNK_TOKENS", 1000)
    t = np.random.default_rng(0).integers(2, 1024, 10_000).astype(np.uint16)  # no BOS at all
    spans = overlap._chunks(t, overlap.doc_starts(t))
    assert spans[0] == (0, 1000) and spans[-1][1] == t.size and max(b - a for a, b in spans) <= 4000
    full = overlap.window_hashes(t)
    got = np.concatenate([h for h, *_ in overlap._scan(t, index=True)])  # windows across cuts are all there
    assert np.array_equal(np.sort(got), np.sort(full[(full >> overlap._SHIFT) == 0]))
