"""A fair queue for a class on one CPU server.

Thirty presses of Start must not mean the last student waits half an hour, so:

- every browser session may have only so many runs queued or running at once
  (``CNNVIZ_RUNS_PER_SESSION``; 1 in class mode, 3 otherwise);
- class mode (``CNNVIZ_CLASS_MODE=1``, or the teacher's switch, which is kept in the runs
  folder so every session and process sees it) caps the epochs, the image size and the images
  per class of student runs, so a run ends in about a minute on CPU;
- each queued run knows its place in the queue and when it is expected to start.

The teacher unlocks the switch and the class board with ``CNNVIZ_TEACHER_PASSWORD``; without
that variable there is no teacher switch (class mode then comes from the environment only).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

from cnnviz import identity, settings
from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.spec import FILE_SOURCES, DatasetSpec
from cnnviz.errors import CnnvizError
from cnnviz.runs import RunConfig, RunState
from cnnviz.training.config import TrainConfig

SWITCH_FILE = "class_mode.json"
TRUTHY = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ClassLimits:
    """What class mode allows a student run (sized so one ends in about a minute on CPU)."""

    max_epochs: int = 2
    max_image_side: int = 32  # pixels, height and width
    max_per_class: int = 500  # training images per class
    typical_run_seconds: float = 60.0  # a capped run, before the store has measured one


@dataclass(frozen=True)
class QueuePlace:
    """A queued run's place (1 = next to start) and the seconds until it should start."""

    position: int
    expected_start_seconds: float


class SessionRunLimitError(CnnvizError):
    """This session already has as many runs waiting or running as it may."""


def class_mode_on() -> bool:
    """Class mode from the environment, or the teacher's switch."""
    if os.environ.get("CNNVIZ_CLASS_MODE", "").strip().lower() in TRUTHY:
        return True
    return bool(read_json(settings.runs_dir() / SWITCH_FILE, {}).get("on", False))


def set_class_mode(on: bool) -> None:
    """The teacher's switch, shared by every session through the runs folder."""
    settings.runs_dir().mkdir(parents=True, exist_ok=True)
    write_json_atomic(settings.runs_dir() / SWITCH_FILE, {"on": bool(on)})


def teacher_password_set() -> bool:
    return bool(identity.teacher_password())


def is_teacher_password(text: str) -> bool:
    """Whether ``text`` is the teacher password (compared in constant time; the sidebar's
    login goes through ``identity.check_teacher_password``, which also slows guessing)."""
    return identity.password_matches(text)


def runs_per_session() -> int:
    """How many runs one session may have queued or running at once."""
    raw = os.environ.get("CNNVIZ_RUNS_PER_SESSION")
    if raw:
        return max(1, int(raw))
    return 1 if class_mode_on() else 3


def class_limits() -> ClassLimits:
    """The caps, each overridable by the teacher's environment."""
    defaults = ClassLimits()
    return ClassLimits(
        max_epochs=int(os.environ.get("CNNVIZ_CLASS_MAX_EPOCHS", defaults.max_epochs)),
        max_image_side=int(os.environ.get("CNNVIZ_CLASS_MAX_IMAGE_SIDE",
                                          defaults.max_image_side)),
        max_per_class=int(os.environ.get("CNNVIZ_CLASS_MAX_PER_CLASS", defaults.max_per_class)),
    )


def capped_for_class(dataset: DatasetSpec, training: TrainConfig,
                     limits: ClassLimits) -> tuple[DatasetSpec, TrainConfig, list[str]]:
    """The student's choices within the class limits, and the names of what was capped
    (``epochs``, ``image_size``, ``max_per_class``) to tell the student."""
    capped = []
    epochs = min(training.epochs, limits.max_epochs)
    if epochs != training.epochs:
        capped.append("epochs")
    side = limits.max_image_side
    if dataset.image_size is None:
        # Built-in sources are small already; a folder of photos may be any size.
        size = (side, side) if dataset.source in FILE_SOURCES else None
    else:
        size = (min(dataset.image_size[0], side), min(dataset.image_size[1], side))
    if size != dataset.image_size:
        capped.append("image_size")
    per_class = min(dataset.max_per_class or limits.max_per_class, limits.max_per_class)
    if dataset.source == "shapes":
        per_class_changes = {"shapes_per_class": min(dataset.shapes_per_class,
                                                     limits.max_per_class)}
        if per_class_changes["shapes_per_class"] != dataset.shapes_per_class:
            capped.append("max_per_class")
    else:
        per_class_changes = {"max_per_class": per_class}
        if per_class != dataset.max_per_class:
            capped.append("max_per_class")
    return (dataclasses.replace(dataset, image_size=size, **per_class_changes),
            dataclasses.replace(training, epochs=epochs), capped)


def capped_run(config: RunConfig, limits: ClassLimits) -> tuple[RunConfig, list[str]]:
    """``config`` within the class limits, and the names of what was capped."""
    dataset, training, capped = capped_for_class(config.dataset, config.training, limits)
    return dataclasses.replace(config, dataset=dataset, training=training), capped


def active_runs_of(owner: str, listed: list[dict[str, Any]]) -> list[str]:
    """Ids of ``owner``'s runs that are queued or running."""
    return [run["run_id"] for run in listed if run.get("owner") == owner
            and run["status"].get("state") in RunState.ACTIVE]


def check_session_limit(owner: str, listed: list[dict[str, Any]], limit: int) -> None:
    """Raise ``SessionRunLimitError`` when ``owner`` may not queue one more run."""
    active = active_runs_of(owner, listed)
    if len(active) >= limit:
        raise SessionRunLimitError(
            "error.classroom.session_already_run_s", active=len(active), limit=limit)


def queue_places(listed: list[dict[str, Any]], now: float, width: int,
                 run_seconds: dict[str, float], typical_seconds: float) -> dict[str, QueuePlace]:
    """Place and expected start of every queued run, oldest first.

    The ``width`` running slots free up as the running runs end (their seconds left in
    ``run_seconds``, else ``typical_seconds``); each queued run takes the first free slot and
    holds it for its own expected duration (``run_seconds`` or ``typical_seconds``).
    """
    slots = sorted(run_seconds.get(run["run_id"], typical_seconds) for run in listed
                   if run["status"].get("state") in RunState.WORKING)[:width]
    slots += [0.0] * (width - len(slots))
    queued = sorted((run for run in listed if run["status"].get("state") == RunState.QUEUED),
                    key=lambda run: (run["status"].get("queued_at", now), run["run_id"]))
    places = {}
    for position, run in enumerate(queued, start=1):
        slots.sort()
        start = slots[0]
        places[run["run_id"]] = QueuePlace(position, start)
        slots[0] = start + run_seconds.get(run["run_id"], typical_seconds)
    return places


def typical_run_seconds(listed: list[dict[str, Any]], limits: ClassLimits) -> float:
    """How long a run takes here: the median of the finished runs' wall times, else the
    class-mode guess."""
    durations = sorted(run["status"]["ended"] - run["status"]["started"] for run in listed
                       if run["status"].get("state") == RunState.FINISHED
                       and run["status"].get("ended") is not None
                       and run["status"].get("started") is not None)
    return durations[len(durations) // 2] if durations else limits.typical_run_seconds
