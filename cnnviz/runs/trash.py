"""The runs' trash: a deleted run is moved here, not removed, so one click loses nothing.

The teacher restores a run from the class board (or ``python -m cnnviz runs restore ID``); the
trash is emptied by the teacher, or of runs older than ``CNNVIZ_TRASH_DAYS`` days (7 by
default) when the server starts. A run in the trash is out of every run list and of the queue.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.errors import RunNotFoundError, RunStateError
from cnnviz.runs.folder import RunFolder
from cnnviz.runs.store import read_status, run_folder, runs_root

TRASH_FOLDER = ".trash"  # hidden: the run list and the queue skip it
TRASH_NOTE = "trashed.json"  # inside a trashed run: when and by whom
DEFAULT_TRASH_DAYS = 7.0


@dataclass(frozen=True)
class TrashedRun:
    """A run in the trash, as the class board lists it."""

    run_id: str
    name: str
    owner: str
    owner_name: str
    trashed_at: float
    trashed_by: str


def trash_root() -> Path:
    return runs_root() / TRASH_FOLDER


def trash_days() -> float:
    """How long a run stays in the trash before the server empties it."""
    return float(os.environ.get("CNNVIZ_TRASH_DAYS", DEFAULT_TRASH_DAYS))


def move_to_trash(run_id: str, trashed_by: str, now: float | None = None) -> None:
    """Move a run that no worker holds into the trash."""
    folder = run_folder(run_id)
    if read_status(run_id).working:
        raise RunStateError("error.runs.stop_run_before_deleting")
    target = trash_root() / run_id
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # an older copy of the same id, restored and deleted again
        shutil.rmtree(target)
    os.replace(folder.path, target)
    write_json_atomic(target / TRASH_NOTE, {"trashed_at": time.time() if now is None else now,
                                            "trashed_by": trashed_by})


def trashed_runs() -> list[TrashedRun]:
    """The runs in the trash, most recently deleted first."""
    root = trash_root()
    found = []
    for path in root.iterdir() if root.is_dir() else ():
        folder = RunFolder(path)
        if not folder.is_run():
            continue
        config, note = read_json(folder.config, {}), read_json(path / TRASH_NOTE, {})
        found.append(TrashedRun(folder.run_id, config.get("name", ""), config.get("owner", ""),
                                config.get("owner_name", ""), float(note.get("trashed_at", 0)),
                                note.get("trashed_by", "")))
    return sorted(found, key=lambda run: run.trashed_at, reverse=True)


def restore_from_trash(run_id: str) -> None:
    """Put a trashed run back among the runs, as it was."""
    source = _trashed_path(run_id)
    target = runs_root() / run_id
    if target.exists():
        raise RunStateError("error.runs.restore_exists", run_id=run_id)
    (source / TRASH_NOTE).unlink(missing_ok=True)
    os.replace(source, target)


def remove_from_trash(run_id: str) -> None:
    """Delete a trashed run for good."""
    shutil.rmtree(_trashed_path(run_id))


def expired_runs(now: float, days: float) -> list[str]:
    """The ids of the runs trashed more than ``days`` days before ``now``."""
    return [run.run_id for run in trashed_runs() if now - run.trashed_at > days * 86400]


def _trashed_path(run_id: str) -> Path:
    path = trash_root() / run_id
    if not run_id or not all(ch.isalnum() or ch == "-" for ch in run_id) or not path.is_dir():
        raise RunNotFoundError("error.runs.not_in_trash", run_id=run_id)
    return path
