"""Whether a run's worker still lives: its process is there and its heartbeat is recent.

A running worker rewrites its heartbeat every ``HEARTBEAT_SECONDS``; one silent for longer than
``STALE_SECONDS`` (or whose process is gone) is taken for dead, and the store marks its run
``interrupted``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from cnnviz.runs import ray_queue

HEARTBEAT_SECONDS = 2.0
STALE_SECONDS = 60.0
# A spawned worker must announce its process id within this time.
SPAWN_GRACE_SECONDS = 60.0
WORKER_MODULE = "cnnviz.training.worker"


def worker_alive(status: Mapping[str, Any]) -> bool:
    """Whether the worker of a running run still lives (process present and beating).

    A Ray job's worker runs on another node, where its pid means nothing: Ray says whether the
    job lives (it may wait ``PENDING`` for a free node, with no heartbeat yet for as long as
    that takes), and the heartbeat whether its worker still works.
    """
    pid = status.get("pid")
    now = time.time()
    if status.get("ray_job"):
        beat = status.get("heartbeat")
        return ray_queue.job_alive(status["ray_job"]) and (not beat or now - beat < STALE_SECONDS)
    if not pid:
        return now - status.get("spawned_at", now) < SPAWN_GRACE_SECONDS
    starting = now - status.get("spawned_at", 0) < SPAWN_GRACE_SECONDS
    if not _is_worker_process(int(pid), starting):
        return False
    beat = status.get("heartbeat") or status.get("spawned_at") or now
    return now - beat < STALE_SECONDS


def _is_worker_process(pid: int, starting: bool = False) -> bool:
    """A live, non-zombie process whose command line is our worker (pids get reused).

    While ``starting`` (just spawned), any live process of that pid counts: between fork and
    exec the child still shows the server's command line, and a page reading the status in
    that instant must not take the new worker for dead.
    """
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return _pid_exists(pid)
    return state != "Z" and (starting or WORKER_MODULE in command)


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
