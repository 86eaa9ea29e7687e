"""Atomic file writes: a reader (another page, another student, a resumed worker) sees either
the previous file or the new one, never half of it — even if the writer is killed mid-save."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename."""
    write_with_atomic(path, lambda temporary: temporary.write_bytes(data))


def write_json_atomic(path: Path, value: Any) -> None:
    """``value`` as JSON, atomically."""
    write_bytes_atomic(path, json.dumps(value, indent=1, sort_keys=True).encode())


def write_with_atomic(path: Path, writer: Callable[[Path], object]) -> None:
    """Let ``writer`` fill a temporary path with the same suffix, then move it over ``path``.

    The suffix is kept because some writers choose the format from it (``model.save`` needs
    ``.keras``). On failure the temporary file is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        writer(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_json(path: Path, default: Any = None) -> Any:
    """The JSON in ``path``, or ``default`` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block: every
    process of the server, and every worker, that asks for the same file waits its turn."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
