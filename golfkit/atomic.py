"""Atomic file writes: a reader sees the old file or the whole new one, never half of one.

Write to a hidden temp file beside the target (`.<name>.<pid>-<random>.golfkit-tmp`, created
exclusively, so it can never be a file someone else owns), fsync, then `os.replace` (atomic on
POSIX). On any failure the temp file is removed, so nothing half-written is left behind; a
write that fails for the disk (full, read-only, no permission, over a file-size limit) is one
GolfkitError line naming the file. Only a process killed mid-write (SIGKILL) can leave its temp
file; the name says who wrote it and no reader looks at it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from golfkit.errors import WriteError

TEMP_SUFFIX = ".golfkit-tmp"


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")


def write_error(path: str | Path, e: OSError) -> WriteError:
    """One line for a failed write (disk full, permissions, ...), keeping the OSError's errno and strerror."""
    err = WriteError(f"cannot write {path}: {e.strerror or e}")
    err.errno, err.strerror, err.filename = e.errno, e.strerror, str(path)
    return err


def atomic_write(path: str | Path, data: bytes | str) -> None:
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(path)
        f = open(tmp, "xb")
    except OSError as e:
        raise write_error(path, e) from None
    try:
        with f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise write_error(path, e) from None
        raise


def swap_dir_in(tmp: Path, dest: Path, aside: Path | None) -> Path | None:
    """Move the finished folder `tmp` to `dest`, an existing `dest` first renamed to `aside` (returned: the
    caller deletes it once everything else has succeeded, or renames it back). On failure the earlier `dest`
    is put back and the OSError raised; the rename onto `dest` changes nothing if anything appeared there."""
    if aside is not None:
        os.rename(dest, aside)
    try:
        os.rename(tmp, dest)
    except OSError:
        if aside is not None:
            os.rename(aside, dest)
        raise
    return aside

