"""The run store: one folder per training run, the only thing pages read.

The worker writes its progress into the folder; any process — a page, a second tab, the command
line — reads the same files. Reading a running run's status also notices a dead worker and marks
the run ``interrupted``.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cnnviz import settings
from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import CnnvizError, RunNotFoundError
from cnnviz.i18n import languages
from cnnviz.models.spec import ModelSpec
from cnnviz.runs.config import RunConfig
from cnnviz.runs.folder import RunFolder
from cnnviz.runs.liveness import worker_alive
from cnnviz.runs.state import RunState, RunStatus
from cnnviz.specs import spec_from_dict, spec_to_dict
from cnnviz.training.config import TrainConfig


def runs_root() -> Path:
    root = settings.runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    return root


def run_folder(run_id: str) -> RunFolder:
    """The folder of ``run_id``; ids are checked so a crafted id cannot name another folder."""
    if not run_id or not all(ch.isalnum() or ch == "-" for ch in run_id):
        raise RunNotFoundError("error.runs.not_run_id", run_id=run_id)
    folder = RunFolder(runs_root() / run_id)
    if not folder.is_run():
        raise RunNotFoundError("error.runs.there_no_run", run_id=run_id)
    return folder


def run_path(run_id: str) -> Path:
    """The path of ``run_id``'s folder, for code that takes a directory (the worker, exports)."""
    return run_folder(run_id).path


def create_run(config: RunConfig, owner: str = "", owner_name: str = "") -> str:
    """Write a new queued run folder and return its id (newer ids sort after older ones).
    ``owner`` is the public id of the person who started it (the per-session limit and every
    stop, resume and delete check it; empty: the command line), ``owner_name`` the name the
    class board and the run lists show."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    run_id = f"{stamp}-{secrets.token_hex(3)}"
    folder = RunFolder(runs_root() / run_id)
    folder.path.mkdir()
    write_json_atomic(folder.config, {
        "run_id": run_id,
        "name": config.name,
        "kind": config.kind,
        "created": time.time(),
        "owner": owner,
        "owner_name": owner_name,
        "dataset": spec_to_dict(config.dataset),
        "model": spec_to_dict(config.model),
        "training": spec_to_dict(config.training),
        "versions": _versions(),
    })
    write_json_atomic(folder.status, {"state": RunState.QUEUED, "queued_at": time.time()})
    return run_id


def read_config(run_id: str) -> RunConfig:
    """The specs of a run, rebuilt from its ``config.json``."""
    data = read_json(run_folder(run_id).config, {})
    return RunConfig(
        dataset=spec_from_dict(DatasetSpec, data["dataset"]),
        model=spec_from_dict(ModelSpec, data["model"]),
        training=spec_from_dict(TrainConfig, data["training"]),
        name=data.get("name", ""),
        kind=data.get("kind", "classifier"),
    )


def read_owner(run_id: str) -> tuple[str, str]:
    """Who started the run: their public id ("" for the command line) and their name."""
    data = read_json(run_folder(run_id).config, {})
    return data.get("owner", ""), data.get("owner_name", "")


def read_status(run_id: str) -> RunStatus:
    """The run's status, with a dead worker noticed and marked ``interrupted``."""
    return read_folder_status(run_folder(run_id))


def read_folder_status(folder: RunFolder) -> RunStatus:
    """``read_status`` for a folder already found: the run list reads every run's status on
    every page of every session, and checking the id and resolving the root each time was a
    visible share of a busy server's time."""
    status = RunStatus(read_json(folder.status, {"state": RunState.QUEUED}))
    if status.working and not worker_alive(status):
        status = mark_interrupted(folder.run_id, CnnvizError("interrupted.worker_gone"))
    return status


def update_status(run_id: str, **changes: Any) -> RunStatus:
    """Merge ``changes`` into the run's status (atomic write)."""
    path = run_folder(run_id).status
    status = RunStatus(read_json(path, {}))
    status.update(changes)
    write_json_atomic(path, status)
    return status


def reason_fields(reason: CnnvizError) -> dict[str, Any]:
    """Why a run ended, for its status: ``error`` in English for the command line and the
    logs, ``error_messages`` in every catalogue language for the pages (a page may be in any
    language, and the run's process is gone by the time a page reads it)."""
    return {"error": str(reason),
            "error_messages": {code: reason.message(code) for code in languages()}}


def mark_interrupted(run_id: str, reason: CnnvizError) -> RunStatus:
    """Record that the worker is gone; what it wrote so far is kept for viewing and resuming."""
    return update_status(run_id, state=RunState.INTERRUPTED, ended=time.time(), pid=None,
                         **reason_fields(reason))


def read_metrics(run_id: str) -> list[dict[str, Any]]:
    """Every complete line of ``metrics.jsonl`` (a line being written is ignored)."""
    return read_folder_metrics(run_folder(run_id))


def read_folder_metrics(folder: RunFolder) -> list[dict[str, Any]]:
    """``read_metrics`` of a folder the caller already has (the worker, resuming its run)."""
    path = folder.metrics_log
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
    for path in sorted(runs_root().iterdir(), reverse=True):
        folder = RunFolder(path)
        if not folder.is_run():
            continue
        config = read_json(folder.config, {})
        runs.append({
            "run_id": folder.run_id,
            "name": config.get("name", ""),
            "kind": config.get("kind", "classifier"),
            "created": config.get("created"),
            "owner": config.get("owner", ""),
            "owner_name": config.get("owner_name", ""),
            "dataset": config.get("dataset", {}).get("source"),
            "model": config.get("model", {}).get("architecture"),
            "training": config.get("training", {}),
            "status": read_folder_status(folder),
            "metrics": read_json(folder.final_metrics),
        })
    return runs


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
    return read_json(run_folder(run_id).dropped_images, [])


def read_final_metrics(run_id: str) -> dict[str, Any] | None:
    """The test metrics written when the run ended (None before that)."""
    return read_json(run_folder(run_id).final_metrics)
