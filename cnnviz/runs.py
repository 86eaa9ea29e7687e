"""The run store: one folder per training run, the only thing pages read.

A run is created ``queued``; the queue starts it in a worker process of its own (a fresh
interpreter, so TensorFlow never shares state with the web server) as soon as fewer than
``CNNVIZ_MAX_CONCURRENT_RUNS`` runs are running. The worker writes its progress into the
folder; any process — a page, a second tab, the command line — reads the same files.

States: queued -> running -> (stopping ->) finished | failed | interrupted. A run whose worker
died (its process is gone, or it stopped beating) is marked ``interrupted`` and can be resumed
from its last saved epoch.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cnnviz import ray_queue, settings
from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import CnnvizError
from cnnviz.i18n import languages
from cnnviz.models.spec import ModelSpec
from cnnviz.specs import spec_from_dict, spec_to_dict
from cnnviz.training.config import TrainConfig

ACTIVE_STATES = ("queued", "running", "stopping")
ENDED_STATES = ("finished", "failed", "interrupted")
# A running worker rewrites its heartbeat every HEARTBEAT_SECONDS; one silent for longer than
# STALE_SECONDS (or whose process is gone) is taken for dead.
HEARTBEAT_SECONDS = 2.0
STALE_SECONDS = 60.0
# A spawned worker must announce its process id within this time.
SPAWN_GRACE_SECONDS = 60.0
WORKER_MODULE = "cnnviz.training.worker"
# A run's list of the images a streamed split could not decode, written when one is found.
DROPPED_FILE_NAME = "dropped.json"


class RunNotFoundError(CnnvizError):
    """No run has this id."""


class RunStateError(CnnvizError):
    """The action does not fit the run's state (e.g. deleting a running run)."""


@dataclass(frozen=True)
class RunConfig:
    """Everything needed to rebuild a run's dataset, model and training, on any machine."""

    dataset: DatasetSpec
    model: ModelSpec
    training: TrainConfig
    name: str = ""
    kind: str = "classifier"


def runs_root() -> Path:
    root = settings.runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    return root


def run_path(run_id: str) -> Path:
    """The folder of ``run_id``; ids are checked so a crafted id cannot name another folder."""
    if not run_id or not all(ch.isalnum() or ch == "-" for ch in run_id):
        raise RunNotFoundError("error.runs.not_run_id", run_id=run_id)
    path = runs_root() / run_id
    if not (path / "config.json").is_file():
        raise RunNotFoundError("error.runs.there_no_run", run_id=run_id)
    return path


def create_run(config: RunConfig, owner: str = "") -> str:
    """Write a new queued run folder and return its id (newer ids sort after older ones).
    ``owner`` names the browser session that started it (the class queue's per-session
    limit and the class board read it)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    run_id = f"{stamp}-{secrets.token_hex(3)}"
    folder = runs_root() / run_id
    folder.mkdir()
    write_json_atomic(folder / "config.json", {
        "run_id": run_id,
        "name": config.name,
        "kind": config.kind,
        "created": time.time(),
        "owner": owner,
        "dataset": spec_to_dict(config.dataset),
        "model": spec_to_dict(config.model),
        "training": spec_to_dict(config.training),
        "versions": _versions(),
    })
    write_json_atomic(folder / "status.json", {"state": "queued", "queued_at": time.time()})
    return run_id


def start_run(config: RunConfig, owner: str = "") -> str:
    """Create a run and let the queue start it when there is room."""
    run_id = create_run(config, owner)
    schedule()
    return run_id


def read_config(run_id: str) -> RunConfig:
    """The specs of a run, rebuilt from its ``config.json``."""
    data = read_json(run_path(run_id) / "config.json", {})
    return RunConfig(
        dataset=spec_from_dict(DatasetSpec, data["dataset"]),
        model=spec_from_dict(ModelSpec, data["model"]),
        training=spec_from_dict(TrainConfig, data["training"]),
        name=data.get("name", ""),
        kind=data.get("kind", "classifier"),
    )


def read_status(run_id: str) -> dict[str, Any]:
    """The run's status, with a dead worker noticed and marked ``interrupted``."""
    return _status_in(run_path(run_id))


def _status_in(folder: Path) -> dict[str, Any]:
    """``read_status`` for a folder already found: the run list reads every run's status on
    every page of every session, and checking the id and resolving the root each time was a
    visible share of a busy server's time."""
    status = read_json(folder / "status.json", {"state": "queued"})
    if status.get("state") in ("running", "stopping") and not _worker_alive(status):
        status = mark_interrupted(folder.name, CnnvizError("interrupted.worker_gone"))
    return status


def update_status(run_id: str, **changes: Any) -> dict[str, Any]:
    """Merge ``changes`` into the run's status (atomic write)."""
    path = run_path(run_id) / "status.json"
    status = read_json(path, {})
    status.update(changes)
    write_json_atomic(path, status)
    return status


def reason_fields(reason: CnnvizError) -> dict[str, Any]:
    """Why a run ended, for its status: ``error`` in English for the command line and the
    logs, ``error_messages`` in every catalogue language for the pages (a page may be in any
    language, and the run's process is gone by the time a page reads it)."""
    return {"error": str(reason),
            "error_messages": {code: reason.message(code) for code in languages()}}


def mark_interrupted(run_id: str, reason: CnnvizError) -> dict[str, Any]:
    """Record that the worker is gone; what it wrote so far is kept for viewing and resuming."""
    return update_status(run_id, state="interrupted", ended=time.time(), pid=None,
                         **reason_fields(reason))


def read_metrics(run_id: str) -> list[dict[str, Any]]:
    """Every complete line of ``metrics.jsonl`` (a line being written is ignored)."""
    path = run_path(run_id) / "metrics.jsonl"
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    rows = []
    for line in text.splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue
    return rows


def list_runs() -> list[dict[str, Any]]:
    """All runs, newest first: id, name, kind, dataset, model, training settings, status, and
    the final metrics when present."""
    runs = []
    for folder in sorted(runs_root().iterdir(), reverse=True):
        if not (folder / "config.json").is_file():
            continue
        config = read_json(folder / "config.json", {})
        runs.append({
            "run_id": folder.name,
            "name": config.get("name", ""),
            "kind": config.get("kind", "classifier"),
            "created": config.get("created"),
            "owner": config.get("owner", ""),
            "dataset": config.get("dataset", {}).get("source"),
            "model": config.get("model", {}).get("architecture"),
            "training": config.get("training", {}),
            "status": _status_in(folder),
            "metrics": read_json(folder / "metrics.json"),
        })
    return runs


def request_stop(run_id: str) -> dict[str, Any]:
    """Ask a run to stop: a queued one never starts; a running one ends at its next batch,
    keeps its best model and is still evaluated."""
    folder = run_path(run_id)
    status = read_status(run_id)
    state = status.get("state")
    if state == "queued":
        return mark_interrupted(run_id, CnnvizError("interrupted.before_start"))
    if state not in ("running", "stopping"):
        raise RunStateError("error.runs.run_only_queued_running", run_id=run_id, state=state)
    (folder / "stop.request").write_text(str(time.time()))
    return update_status(run_id, state="stopping")


def kill_run(run_id: str, grace_seconds: float = 10.0) -> dict[str, Any]:
    """Stop a worker that does not answer: SIGTERM, then SIGKILL after ``grace_seconds``
    (on a Ray cluster, Ray's own stop does both)."""
    status = read_status(run_id)
    pid = status.get("pid")
    if status.get("state") not in ("running", "stopping"):
        return status
    if status.get("ray_job"):
        ray_queue.stop(status["ray_job"])
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline and _worker_alive(status):
            time.sleep(0.2)
        return read_status(run_id)
    if not pid:
        return status
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and _worker_alive(status):
        time.sleep(0.2)
    if _worker_alive(status):
        _signal(pid, signal.SIGKILL)
    return read_status(run_id)


def resume_run(run_id: str) -> dict[str, Any]:
    """Queue an interrupted run again; its worker continues from the last saved epoch."""
    status = read_status(run_id)
    if status.get("state") != "interrupted":
        raise RunStateError(
            "error.runs.only_interrupted_runs_can", run_id=run_id, state=status.get('state'))
    (run_path(run_id) / "stop.request").unlink(missing_ok=True)
    status = update_status(run_id, state="queued", queued_at=time.time(), error=None, resume=True)
    schedule()
    return status


def delete_run(run_id: str) -> None:
    """Remove a run that is not running."""
    if read_status(run_id).get("state") in ("running", "stopping"):
        raise RunStateError("error.runs.stop_run_before_deleting")
    shutil.rmtree(run_path(run_id))


def schedule() -> list[str]:
    """Start queued runs, oldest first, while the queue has room; return the ids started.

    Called after a run is created, when a worker ends, and when the server starts (which also
    marks the runs of workers that died with the server as interrupted). A file lock makes
    concurrent callers (several sessions, several workers) agree.
    """
    started = []
    with _queue_lock():
        statuses = {}
        for folder in sorted(runs_root().iterdir()):
            if (folder / "config.json").is_file():
                statuses[folder.name] = _status_in(folder)
        running = sum(1 for status in statuses.values()
                      if status.get("state") in ("running", "stopping"))
        queued = sorted(
            (status.get("queued_at", 0), run_id)
            for run_id, status in statuses.items() if status.get("state") == "queued"
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
    folder = run_path(run_id)
    update_status(run_id, state="running", pid=None, spawned_at=time.time(), error=None,
                  ray_job=None)
    if ray_queue.ray_address():
        update_status(run_id, ray_job=ray_queue.submit(run_id, folder, child_environment()))
        return
    with open(folder / "worker.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(folder)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env=child_environment(),
        )
    update_status(run_id, pid=process.pid)


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["CNNVIZ_RUNS_DIR"] = str(settings.runs_dir())
    environment["CNNVIZ_DATA_DIR"] = str(settings.data_dir())
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (root, environment.get("PYTHONPATH", "")) if part
    )
    return environment


def _worker_alive(status: dict[str, Any]) -> bool:
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


def _signal(pid: int, number: int) -> None:
    try:
        os.killpg(pid, number)
    except (ProcessLookupError, PermissionError):
        pass


@contextmanager
def _queue_lock() -> Iterator[None]:
    with open(runs_root() / ".queue.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _versions() -> dict[str, str]:
    """Library versions, so a run can be compared and rebuilt later (no TensorFlow import)."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": sys.version.split()[0]}
    for package in ("tensorflow", "keras", "numpy", "scikit-learn"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            continue
    return versions


def read_dropped_images(run_id: str) -> list[dict[str, Any]]:
    """The images a streamed split could not decode (split, index, label, path, reason)."""
    return read_json(run_path(run_id) / DROPPED_FILE_NAME, [])


def read_final_metrics(run_id: str) -> dict[str, Any] | None:
    """The test metrics written when the run ended (None before that)."""
    return read_json(run_path(run_id) / "metrics.json")
