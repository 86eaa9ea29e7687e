"""Settings read from environment variables, each with a default that works on a laptop.

Read at call time (not import time) so tests and the command line can point one process at
different folders.
"""

from __future__ import annotations

import os
from pathlib import Path

# Runs training at once on a CPU-only server in class mode (see ``max_concurrent_runs``).
CLASS_MODE_CPU_RUNS = 2


def data_dir() -> Path:
    """Where datasets, uploads and caches live (``CNNVIZ_DATA_DIR``, default ``./data``)."""
    return Path(os.environ.get("CNNVIZ_DATA_DIR", "data")).resolve()


def runs_dir() -> Path:
    """Where run folders live (``CNNVIZ_RUNS_DIR``, default ``./runs``)."""
    return Path(os.environ.get("CNNVIZ_RUNS_DIR", "runs")).resolve()


def uploads_dir() -> Path:
    """Where uploaded ZIPs and their extracted folders live: private to whoever uploaded them,
    so a path typed on the Dataset page may never point here."""
    return data_dir() / "uploads"


def cache_dir() -> Path:
    """Where prepared datasets are cached (uploads among them), also never a typed path."""
    return data_dir() / "cache"


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


def max_concurrent_runs() -> int:
    """Width of the training queue (``CNNVIZ_MAX_CONCURRENT_RUNS``).

    Defaults to one run per GPU, so a classroom server is not melted by thirty students
    pressing Start at once. On a CPU-only machine one, and ``CLASS_MODE_CPU_RUNS`` in class
    mode: a capped run lasts its time limit however many share the cores, and two at once
    finished about twice as many capped runs a minute as one at a time on 2 cores, each
    learning about as much (``benchmarks/RESULTS.md``, "Class mode's caps"). GPUs are counted
    with ``nvidia-smi`` so the web server never has to import TensorFlow.
    """
    raw = os.environ.get("CNNVIZ_MAX_CONCURRENT_RUNS")
    if raw:
        return max(1, int(raw))
    gpus = len(gpu_names())
    if gpus:
        return gpus
    from cnnviz.classroom import class_mode_on

    return CLASS_MODE_CPU_RUNS if class_mode_on() else 1


def worker_niceness() -> int:
    """How much a training worker yields the CPU to the web server (``CNNVIZ_WORKER_NICE``,
    default 10, added to the worker's nice value): on a class server two workers train on the
    cores the pages run on, and a student waiting for a page should not wait for an epoch. An
    idle server lends the workers every cycle all the same."""
    return int(os.environ.get("CNNVIZ_WORKER_NICE", 10))


def gpu_names() -> list[str]:
    """Names of the NVIDIA GPUs on this machine (empty without a driver)."""
    import shutil
    import subprocess

    if shutil.which("nvidia-smi") is None:
        return []
    try:
        listed = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in listed.splitlines() if line.strip()]
