"""The one exception type for user mistakes.

Anything a user can cause (a bad shard, a wrong vocab, an unknown config key, an
artifact over budget or altered on disk) raises `GolfkitError` with a message that
names the problem. The CLI prints that message as one line and exits non-zero;
everything else is a bug and keeps its traceback.
"""


class GolfkitError(Exception):
    """A user-facing error: the message alone must tell the user what to fix."""


class WriteError(GolfkitError, OSError):
    """A failed write (disk full, permissions, read-only), as one line; still an OSError (errno and
    strerror kept), so code that records a run's disk errors (a notebook run's `failed` index line)
    handles it as it handles any OSError."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def one_line(e: BaseException, limit: int = 1000) -> str:
    """The message as the one line a user sees: newlines escaped (a path holding one split the line), and at most
    `limit` characters (a 5,000-digit value was echoed whole)."""
    msg = str(e).replace("\r", "\\r").replace("\n", "\\n")
    return msg if len(msg) <= limit else msg[:limit] + f"... ({len(msg) - limit:,} more characters)"
