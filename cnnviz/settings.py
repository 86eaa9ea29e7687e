"""Settings read from environment variables, each with a default that works on a laptop.

Read at call time (not import time) so tests and the command line can point one process at
different folders.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Where datasets, uploads and caches live (``CNNVIZ_DATA_DIR``, default ``./data``)."""
    return Path(os.environ.get("CNNVIZ_DATA_DIR", "data")).resolve()


def runs_dir() -> Path:
    """Where run folders live (``CNNVIZ_RUNS_DIR``, default ``./runs``)."""
    return Path(os.environ.get("CNNVIZ_RUNS_DIR", "runs")).resolve()


def data_roots() -> list[Path]:
    """Folders a user may point the app at (``CNNVIZ_DATA_ROOTS``, ``os.pathsep``-separated).

    Defaults to the data folder alone, so a shared server exposes nothing else unless the
    administrator says so.
    """
    raw = os.environ.get("CNNVIZ_DATA_ROOTS", "")
    roots = [Path(part).resolve() for part in raw.split(os.pathsep) if part.strip()]
    return roots or [data_dir()]


def memory_budget_bytes() -> int:
    """Largest decoded dataset kept in memory before loading switches to streaming.

    ``CNNVIZ_MEMORY_BUDGET_MB`` overrides; the default is a quarter of the machine's memory, so
    a classroom server holding a few datasets at once still has room to train.
    """
    raw = os.environ.get("CNNVIZ_MEMORY_BUDGET_MB")
    if raw:
        return int(float(raw) * 1024 * 1024)
    import psutil

    return psutil.virtual_memory().total // 4
