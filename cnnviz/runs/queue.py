"""The run queue: start queued runs in worker processes while there is room, stop and resume.

A run is created ``queued``; the queue starts it in a worker process of its own (a fresh
interpreter, so TensorFlow never shares state with the web server) as soon as fewer than
``CNNVIZ_MAX_CONCURRENT_RUNS`` runs are running, or as a Ray job with ``CNNVIZ_RAY_ADDRESS``
set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path

from cnnviz import settings
from cnnviz.atomic import file_lock
from cnnviz.errors import CnnvizError, RunStateError
from cnnviz.runs import ray_queue
from cnnviz.runs.config import RunConfig
from cnnviz.runs.folder import RunFolder
from cnnviz.runs.liveness import WORKER_MODULE, worker_alive
from cnnviz.runs.state import RunState, RunStatus
from cnnviz.runs.store import (create_run, mark_interrupted, read_folder_status, read_status,
                               run_folder, runs_root, update_status)


def start_run(config: RunConfig, owner: str = "", owner_name: str = "") -> str:
    """Create a run and let the queue start it when there is room (``cnnviz.run_actions``
    decides who may, and with what limits)."""
    run_id = create_run(config, owner, owner_name)
    schedule()
    return run_id


def request_stop(run_id: str) -> RunStatus:
    """Ask a run to stop: a queued one never starts; a running one ends at its next batch,
    keeps its best model and is still evaluated."""
    folder = run_folder(run_id)
    status = read_status(run_id)
    if status.state == RunState.QUEUED:
        return mark_interrupted(run_id, CnnvizError("interrupted.before_start"))
    if not status.working:
        raise RunStateError("error.runs.run_only_queued_running", run_id=run_id,
                            state=status.state)
    folder.stop_request.write_text(str(time.time()))
    return update_status(run_id, state=RunState.STOPPING)


def kill_run(run_id: str, grace_seconds: float = 10.0) -> RunStatus:
    """Stop a worker that does not answer: SIGTERM, then SIGKILL after ``grace_seconds``
    (on a Ray cluster, Ray's own stop does both)."""
    status = read_status(run_id)
    pid = status.pid
    if not status.working:
        return status
    if status.ray_job:
        ray_queue.stop(status.ray_job)
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline and worker_alive(status):
            time.sleep(0.2)
        return read_status(run_id)
    if not pid:
        return status
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and worker_alive(status):
        time.sleep(0.2)
    if worker_alive(status):
        _signal(pid, signal.SIGKILL)
    return read_status(run_id)


def resume_run(run_id: str) -> RunStatus:
    """Queue a stopped or interrupted run again; its worker continues from the last saved
    epoch."""
    status = read_status(run_id)
    if not status.resumable:
        raise RunStateError(
            "error.runs.not_resumable", run_id=run_id, state=status.state)
    run_folder(run_id).stop_request.unlink(missing_ok=True)
    status = update_status(run_id, state=RunState.QUEUED, queued_at=time.time(), error=None,
                           resume=True)
    schedule()
    return status


def schedule() -> list[str]:
    """Start queued runs, oldest first, while the queue has room; return the ids started.

    Called after a run is created, when a worker ends, and when the server starts (which also
    marks the runs of workers that died with the server as interrupted). A file lock makes
    concurrent callers (several sessions, several workers) agree.
    """
    started = []
    with _queue_lock():
        statuses = {}
        for path in sorted(runs_root().iterdir()):
            folder = RunFolder(path)
            if folder.is_run():
                statuses[folder.run_id] = read_folder_status(folder)
        running = sum(1 for status in statuses.values() if status.working)
        queued = sorted(
            (status.get("queued_at", 0), run_id)
            for run_id, status in statuses.items() if status.state == RunState.QUEUED
        )
        for _, run_id in queued:
            if running >= settings.max_concurrent_runs():
                break
            _spawn_worker(run_id)
            started.append(run_id)
            running += 1
    return started


def _spawn_worker(run_id: str) -> None:
    """Start the worker in a new session so it outlives page reloads and server restarts; with
    ``CNNVIZ_RAY_ADDRESS`` set, as a job on the Ray cluster instead."""
    folder = run_folder(run_id)
    update_status(run_id, state=RunState.RUNNING, pid=None, spawned_at=time.time(), error=None,
                  ray_job=None)
    if ray_queue.ray_address():
        update_status(run_id, ray_job=ray_queue.submit(run_id, folder.path, child_environment()))
        return
    with open(folder.worker_log, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(folder.path)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env=child_environment(),
        )
    update_status(run_id, pid=process.pid)


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["CNNVIZ_RUNS_DIR"] = str(settings.runs_dir())
    environment["CNNVIZ_DATA_DIR"] = str(settings.data_dir())
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (root, environment.get("PYTHONPATH", "")) if part
    )
    return environment


def _signal(pid: int, number: int) -> None:
    try:
        os.killpg(pid, number)
    except (ProcessLookupError, PermissionError):
        pass


def _queue_lock() -> AbstractContextManager[None]:
    return file_lock(runs_root() / ".queue.lock")
