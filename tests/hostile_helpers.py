"""Harness for hostile-input tests: run the real CLI and check what a refusal may cost.

Each case runs `python -m golfkit ARGS` in a subprocess with its working directory in a scratch
folder (the checkout first on PYTHONPATH, so the subprocess imports this worktree's golfkit, as
`cwd=REPO` does elsewhere), OMP_NUM_THREADS=1, and asserts:

* a non-zero exit (2, the CLI's user-error code) and exactly one stderr line `golfkit: error: ...`
  matching the case's pattern, no traceback anywhere;
* bounded memory: the child runs under RLIMIT_AS = MEM_LIMIT (so an unchecked allocation fails
  there, never on the shared host) and its peak RSS (VmHWM, polled) must stay under RSS_BOUND: a
  refusal costs the interpreter and torch, nothing the input asked for;
* bounded time: killed (with its process group) after `timeout` seconds, reported as a hang;
* an unchanged file system: every entry under the scratch folder (and any extra folder given),
  byte for byte, before and after; nothing created, changed or removed.

`run_golfkit(..., fsize=N)` also caps the size of every file the child writes (RLIMIT_FSIZE): a
full disk as that process sees it (a write past the cap fails with EFBIG, where a full disk gives
ENOSPC; golfkit's handling is the same). `argv` runs another command (an exported train_gpt.py).

GOLFKIT_HOSTILE_PYTHONPATH (tests only) points the subprocess at another checkout, e.g. the
commit before these checks, to confirm every case fails there.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MEM_LIMIT = 2 << 30  # address space of the child: python + torch map ~0.7 GB before any work
RSS_BOUND = 800 << 20  # peak resident memory a refusal may reach (a refusal measures ~330 MB here)
ERROR_PREFIX = "golfkit: error: "


@dataclass
class Outcome:
    args: tuple[str, ...]
    rc: int | None  # None: killed after the timeout
    stdout: str
    stderr: str
    peak_rss: int  # bytes
    seconds: float

    @property
    def hung(self) -> bool:
        return self.rc is None

    def describe(self) -> str:
        return (f"golfkit {' '.join(self.args)}\n rc={self.rc} peak_rss={self.peak_rss >> 20} MiB "
                f"t={self.seconds:.1f}s\n--- stdout (tail)\n{self.stdout[-1500:]}\n--- stderr (tail)\n{self.stderr[-3000:]}")


def _limits(fsize: int | None):
    def apply() -> None:  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))
        if fsize is not None:  # every file the child writes stops at `fsize` bytes (EFBIG; Python ignores SIGXFSZ)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def _hwm_after_exec(pid: int, cmd: list[bytes]) -> int:
    """The child's peak RSS so far (VmHWM, bytes); 0 until it runs `cmd`.

    Not rusage: Linux carries a process's maxrss across fork and exec, so a child forked from a large
    pytest process reports the parent's RSS (3 GiB on CI after the records' tests). VmHWM belongs to
    the memory map, which exec replaces; the map before exec (the parent's copy) is told apart by its
    command line. Polled every 20 ms: growth in the last 20 ms before exit can be missed (RLIMIT_AS
    bounds it anyway)."""
    try:
        if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1] != cmd:
            return 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def user_folder(tmp_path: Path, project: bool = False) -> Path:
    """The user's folder: a file of theirs (with `project`, also a folder of their data) that no golfkit
    command may touch; snapshot() it before and fs_diff() it after."""
    d = tmp_path / "scratch"
    d.mkdir(parents=True)
    (d / "notes.txt").write_text("a file the user owns\n")
    if project:
        (d / "project").mkdir()
        (d / "project" / "data.bin").write_bytes(bytes(range(256)) * 4)
    return d


def run_golfkit(args, cwd: Path, timeout: float = 60.0, *, fsize: int | None = None, env: dict | None = None,
                argv: list[str] | None = None) -> Outcome:
    """Run the CLI (or `argv`, e.g. an exported script) under the memory limit; never blocks longer than `timeout`.

    `fsize`: RLIMIT_FSIZE for the child, a full disk as one process sees it (writes past it fail with EFBIG
    where a full disk gives ENOSPC: the same failed write, another errno). `env`: variables added.
    """
    pythonpath = os.environ.get("GOLFKIT_HOSTILE_PYTHONPATH", str(REPO))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (pythonpath, os.environ.get("PYTHONPATH", "")) if p),
           **(env or {})}
    args = tuple(str(a) for a in args)
    cmd = [sys.executable, "-m", "golfkit", *args] if argv is None else [*argv, *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # unlinked: not in any snapshot
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                             preexec_fn=_limits(fsize), start_new_session=True)
        rc, peak, want = None, 0, [os.fsencode(c) for c in cmd]
        while True:
            peak = max(peak, _hwm_after_exec(p.pid, want))
            pid, status, _ = os.wait4(p.pid, os.WNOHANG)
            if pid:
                rc = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - t0 > timeout:
                os.killpg(p.pid, signal.SIGKILL)
                os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = -1 if rc is None else rc  # reaped here: keep Popen from waiting again
        seconds = time.monotonic() - t0
        try:
            os.killpg(p.pid, signal.SIGKILL)  # anything it left behind in its group
        except ProcessLookupError:
            pass
        out.seek(0)
        err.seek(0)
        return Outcome(args, rc, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                       peak, seconds)


def snapshot(*roots: Path) -> dict[str, tuple]:
    """Every entry under `roots` (not following links): kind and content, byte for byte.

    Regular files are read whole unless larger than 64 MiB (a sparse file of 4 GiB is recorded by
    size, mtime and inode instead); FIFOs and devices are never opened.
    """
    snap: dict[str, tuple] = {}
    for root in roots:
        root = Path(root)
        snap[str(root)] = ("root", root.is_dir())
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            for name in dirnames + filenames:
                p = Path(dirpath) / name
                st = os.lstat(p)
                if stat.S_ISLNK(st.st_mode):
                    snap[str(p)] = ("link", os.readlink(p))
                elif stat.S_ISDIR(st.st_mode):
                    snap[str(p)] = ("dir",)
                elif stat.S_ISREG(st.st_mode):
                    if st.st_size > 64 << 20:
                        snap[str(p)] = ("big", st.st_size, st.st_mtime_ns, st.st_ino)
                    else:
                        snap[str(p)] = ("file", p.read_bytes())
                else:
                    snap[str(p)] = ("special", stat.S_IFMT(st.st_mode))
    return snap


def fs_diff(before: dict, after: dict) -> list[str]:
    out = [f"created {k}" for k in sorted(set(after) - set(before))]
    out += [f"removed {k}" for k in sorted(set(before) - set(after))]
    out += [f"changed {k}" for k in sorted(set(before) & set(after)) if before[k] != after[k]]
    return out


def one_line_error(o: Outcome, pattern: str, *, timeout: float = 60.0, rss_bound: int = RSS_BOUND,
                   prefix: str = ERROR_PREFIX) -> None:
    """Exit 2, exactly one stderr line `prefix...` matching `pattern`, no traceback, no hang, bounded memory."""
    assert not o.hung, f"hung: killed after {timeout:.0f}s\n{o.describe()}"
    assert "Traceback" not in o.stderr + o.stdout, f"traceback\n{o.describe()}"
    assert o.peak_rss < rss_bound, f"peak RSS {o.peak_rss >> 20} MiB over {rss_bound >> 20} MiB\n{o.describe()}"
    lines = [line for line in o.stderr.splitlines() if line.strip()]
    assert o.rc == 2 and len(lines) == 1 and lines[0].startswith(prefix), \
        f"expected exit 2 and one '{prefix}...' line\n{o.describe()}"
    assert re.search(pattern, lines[0]), f"message does not match {pattern!r}\n{o.describe()}"


def refused(args, cwd: Path, pattern: str, *, watch: tuple[Path, ...] = (), timeout: float = 60.0,
            rss_bound: int = RSS_BOUND, fsize: int | None = None, env: dict | None = None,
            argv: list[str] | None = None, prefix: str = ERROR_PREFIX) -> Outcome:
    """Run a hostile case and assert the refusal contract (see the module docstring)."""
    roots = (cwd, *watch)
    before = snapshot(*roots)
    o = run_golfkit(args, cwd, timeout, fsize=fsize, env=env, argv=argv)
    after = snapshot(*roots)
    one_line_error(o, pattern, timeout=timeout, rss_bound=rss_bound, prefix=prefix)
    diff = fs_diff(before, after)
    assert not diff, "file system changed:\n" + "\n".join(diff[:20]) + "\n" + o.describe()
    return o


def succeeded(args, cwd: Path, *, timeout: float = 120.0, rss_bound: int = RSS_BOUND) -> Outcome:
    """A control case: exit 0, no traceback, within the same memory bound."""
    o = run_golfkit(args, cwd, timeout)
    assert o.rc == 0 and "Traceback" not in o.stderr, o.describe()
    assert o.peak_rss < rss_bound, f"peak RSS {o.peak_rss >> 20} MiB over {rss_bound >> 20} MiB\n{o.describe()}"
    return o


TRAIN_TOKENS, VAL_TOKENS = 40_000, 4_097  # a tiny copy of the mini data keeps every old-code run short


def tiny_data(data_dir: Path, root: Path) -> Path:
    """A challenge-layout data folder at `root`: the first TRAIN_TOKENS train and VAL_TOKENS validation tokens."""
    import shutil

    from golfkit.data import read_shard, write_shard

    src = data_dir / "datasets" / "fineweb10B_sp1024"
    ds = root / "datasets" / "fineweb10B_sp1024"
    write_shard(ds / "fineweb_train_000000.bin", read_shard(src / "fineweb_train_000000.bin")[:TRAIN_TOKENS])
    write_shard(ds / "fineweb_val_000000.bin", read_shard(src / "fineweb_val_000000.bin")[:VAL_TOKENS])
    (root / "tokenizers").mkdir()
    shutil.copyfile(data_dir / "tokenizers" / "fineweb_1024_bpe.model", root / "tokenizers" / "fineweb_1024_bpe.model")
    return root


# ----------------------------------------------------------------------------------
# forging artifacts: an editable tensor table laid out into a container with a valid sha256
# ----------------------------------------------------------------------------------
def smoke_int8_artifact():
    """(model, state dict, int8 quantized tensors, config) of the smoke preset at a perturbed init (seed 0): an
    artifact to load, score and forge with no training."""
    import torch

    from golfkit import quant
    from golfkit.model import GPT
    from golfkit.presets import get_preset

    torch.manual_seed(0)
    cfg = get_preset("smoke")
    model = GPT(cfg.model)
    for p in model.parameters():
        p.data.add_(0.02 * torch.randn_like(p))
    sd = model.state_dict()
    return model, sd, quant.quantize_state_dict_int8(sd, set(model.tensor_names("scalar"))), cfg


def editable(art) -> tuple[dict, list[dict]]:
    """(header without tensors, entries) of an Artifact; each part carries its raw bytes."""
    entries = []
    for qt in art.tensors:
        tags = qt.meta.get("part_dtypes", {})
        parts = [{"key": k, "dtype": tags.get(k, a.dtype.name), "shape": list(a.shape), "raw": a.tobytes()}
                 for k, a in qt.parts.items()]
        meta = {k: v for k, v in qt.meta.items() if k != "part_dtypes"}
        entries.append({"name": qt.name, "format": qt.format, "shape": list(qt.shape), "dtype": qt.dtype,
                        "meta": meta, "parts": parts})
    return {"format_version": 1, "config": art.config, "extra": art.extra}, entries


def layout(entries: list[dict]) -> tuple[list[dict], bytes]:
    """The table (offsets and nbytes end to end, as the writer lays them out) and the data bytes."""
    table, blobs, offset = [], [], 0
    for e in entries:
        parts = []
        for p in e["parts"]:
            parts.append({"key": p["key"], "dtype": p["dtype"], "shape": p["shape"], "offset": offset,
                          "nbytes": len(p["raw"])})
            blobs.append(p["raw"])
            offset += len(p["raw"])
        table.append({**{k: v for k, v in e.items() if k != "parts"}, "parts": parts})
    return table, b"".join(blobs)


def body(header: dict, data: bytes, header_text: str | None = None) -> bytes:
    import json
    import struct

    text = (header_text if header_text is not None else json.dumps(header, separators=(",", ":"))).encode()
    return struct.pack("<I", len(text)) + text + data


def container(payload: bytes, codec: str = "zlib") -> bytes:
    """The file around a payload, with the sha256 recomputed (what a hostile editor does)."""
    import hashlib
    import struct

    name = codec.encode()
    return (b"GOLFKIT\0" + struct.pack("<I", 1) + struct.pack("<B", len(name)) + name
            + struct.pack("<Q", len(payload)) + hashlib.sha256(payload).digest() + payload)


def forge(header: dict, entries: list[dict], codec: str = "zlib") -> bytes:
    from golfkit.compress import get_codec

    table, data = layout(entries)
    return container(get_codec(codec)[0](body({**header, "tensors": table}, data)), codec)
