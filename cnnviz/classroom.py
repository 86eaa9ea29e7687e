"""A fair queue for a class on one CPU server.

Thirty presses of Start must not mean the last student waits half an hour, so:

- every browser session may have only so many runs queued or running at once
  (``CNNVIZ_RUNS_PER_SESSION``; 1 in class mode, 3 otherwise);
- class mode (``CNNVIZ_CLASS_MODE=1``, or the teacher's switch, which is kept in the runs
  folder so every session and process sees it) caps the training time of student runs (and
  the size of what the time does not bound), so a run ends in about a minute on CPU and
  still learns;
- each queued run knows its place in the queue and when it is expected to start, from the
  expected durations of the runs ahead of it (a capped run's is known: its time limit).

The teacher unlocks the switch and the class board with ``CNNVIZ_TEACHER_PASSWORD``; without
that variable there is no teacher switch (class mode then comes from the environment only).
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import os
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cnnviz import identity, runs, settings
from cnnviz.analysis.progress import run_progress
from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.spec import DEFAULT_FILE_IMAGE_SIZE, FILE_SOURCES, DatasetSpec
from cnnviz.errors import CnnvizError
from cnnviz.runs import RunConfig, RunState
from cnnviz.training.config import TrainConfig

if TYPE_CHECKING:
    from cnnviz.presets import QuickStart

SWITCH_FILE = "class_mode.json"
TRUTHY = ("1", "true", "yes", "on")
# How long a run without a time budget is expected to take before one has finished here.
UNMEASURED_RUN_SECONDS = 60.0
# Finished runs a duration is measured over: the newest, so it follows the server's load.
MEASURED_RUNS = 15


@dataclass(frozen=True)
class ClassLimits:
    """What class mode allows a student run, sized so that it ends in about a minute from
    Start on a 2-core server and still learns (``benchmarks/bench_class_caps.py``).

    The cap is on training time (``TrainConfig.time_budget_minutes``), never on epochs: a
    time-budgeted run's cosine schedule follows the time, so it ends with its rate at zero
    whatever the machine's speed that day, having learnt what the time allows (capping the
    epochs instead left a run at chance). Its epochs stay the most it trains. Each kind gets
    the training time that, with its start and end around it (worker start, loading,
    building, and a classifier's test pass, which a GAN has not), ends in about a minute.

    What the time does not bound is capped by size: the image side, for every source (loading,
    memory and the test pass grow with the pixels; the built-in sources keep their own 28 or 32
    pixels), and the images per class of file sources only (the first load decodes every photo
    of a folder; a built-in source loads in a second or two at any count the pages offer).
    """

    classifier_minutes: float = 0.7  # training time of a classifier run
    gan_minutes: float = 0.8  # training time of a GAN run (no test pass after it)
    max_image_side: int = 64  # pixels, height and width
    max_per_class: int = 200  # images per class of a file source
    # A budgeted run's start and end around its training time, until finished runs have
    # measured it on this server (worker start, loading, building, the test pass).
    allowance_seconds: float = 15.0

    def minutes_for(self, kind: str) -> float:
        """The training time class mode allows a run of ``kind`` ("classifier" or "gan")."""
        return self.gan_minutes if kind == "gan" else self.classifier_minutes


@dataclass(frozen=True)
class QueuePlace:
    """A queued run's place (1 = next to start) and the seconds until it should start."""

    position: int
    expected_start_seconds: float


@dataclass(frozen=True)
class QueueForecast:
    """Where the queue is expected to go, in seconds from the moment it was forecast."""

    places: dict[str, QueuePlace]  # every queued run's
    drain_seconds: float  # until the last running or queued run ends (the queue is empty)


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
        classifier_minutes=float(os.environ.get("CNNVIZ_CLASS_MAX_MINUTES",
                                                defaults.classifier_minutes)),
        gan_minutes=float(os.environ.get("CNNVIZ_CLASS_MAX_GAN_MINUTES", defaults.gan_minutes)),
        max_image_side=int(os.environ.get("CNNVIZ_CLASS_MAX_IMAGE_SIDE",
                                          defaults.max_image_side)),
        max_per_class=int(os.environ.get("CNNVIZ_CLASS_MAX_PER_CLASS", defaults.max_per_class)),
    )


def capped_in_class(teacher: bool) -> bool:
    """Whether class mode's caps apply to a run started by this person: a student's, in class
    mode (the teacher's runs are never capped)."""
    return class_mode_on() and not teacher


def capped_for_class(dataset: DatasetSpec, training: TrainConfig, limits: ClassLimits,
                     kind: str = "classifier") -> tuple[DatasetSpec, TrainConfig, list[str]]:
    """A student's run of ``kind`` within the class limits, and the names of what was capped
    (``time_budget``, ``image_size``, ``max_per_class``) to tell the student. A student's own
    shorter time budget is kept; capping twice changes nothing."""
    capped = []
    minutes = limits.minutes_for(kind)
    if training.time_budget_minutes is None or training.time_budget_minutes > minutes:
        training = dataclasses.replace(training, time_budget_minutes=minutes)
        capped.append("time_budget")
    size = capped_image_size(dataset, limits.max_image_side)
    if size != dataset.image_size:
        dataset = dataclasses.replace(dataset, image_size=size)
        capped.append("image_size")
    if dataset.source in FILE_SOURCES and (dataset.max_per_class is None
                                           or dataset.max_per_class > limits.max_per_class):
        dataset = dataclasses.replace(dataset, max_per_class=limits.max_per_class)
        capped.append("max_per_class")
    return dataset, training, capped


def capped_image_size(dataset: DatasetSpec, side: int) -> tuple[int, int] | None:
    """The image size of ``dataset`` with neither side above ``side``, the aspect ratio kept
    (a file source without a size is brought to ``DEFAULT_FILE_IMAGE_SIZE``, so that is what
    is capped); a built-in source keeps its own size."""
    size = dataset.image_size
    if size is None and dataset.source in FILE_SOURCES:
        size = DEFAULT_FILE_IMAGE_SIZE
    if size is None or max(size) <= side:
        return dataset.image_size
    scale = side / max(size)
    return (max(4, round(size[0] * scale)), max(4, round(size[1] * scale)))


def capped_run(config: RunConfig, limits: ClassLimits) -> tuple[RunConfig, list[str]]:
    """``config`` within the class limits for its kind, and the names of what was capped."""
    dataset, training, capped = capped_for_class(config.dataset, config.training, limits,
                                                 config.kind)
    return dataclasses.replace(config, dataset=dataset, training=training), capped


def capped_run_seconds(config: RunConfig, limits: ClassLimits) -> float:
    """How long a student's capped ``config`` takes from the start of its worker to its end:
    its time limit and the start and end around it (the longest it takes; a run that trains
    all its epochs sooner ends sooner)."""
    capped, _ = capped_run(config, limits)
    return capped.training.time_budget_minutes * 60.0 + limits.allowance_seconds


def quick_start_minutes(quick: QuickStart, capped: bool) -> int:
    """The minutes on a quick start's button: the ones measured for it (``quick.minutes``),
    or, when ``capped`` (``capped_in_class``), its capped run's, whichever is fewer."""
    if not capped:
        return quick.minutes
    capped_minutes = round(capped_run_seconds(quick.config, class_limits()) / 60.0)
    return max(1, min(quick.minutes, capped_minutes))


def ended_by_class_time(config: RunConfig, metrics: dict[str, Any] | None) -> bool:
    """Whether class mode's time limit is what ended this run: class mode is on and the run
    spent a time budget no longer than class mode allows, so training it for more epochs
    would not train it longer (advice must name what the cap allows instead)."""
    minutes = config.training.time_budget_minutes
    return (class_mode_on() and bool((metrics or {}).get("stopped_by_time_budget"))
            and minutes is not None and minutes <= class_limits().minutes_for(config.kind))


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


def queue_places(listed: list[dict[str, Any]], now: float, width: int, limits: ClassLimits,
                 seconds_left: Mapping[str, float] | None = None) -> dict[str, QueuePlace]:
    """Place and expected start of every queued run (``queue_forecast``)."""
    return queue_forecast(listed, now, width, limits, seconds_left).places


def queue_drain_seconds(listed: list[dict[str, Any]], now: float, width: int,
                        limits: ClassLimits,
                        seconds_left: Mapping[str, float] | None = None) -> float:
    """Seconds from ``now`` until the last run, running or queued, is expected to end (the
    queue is empty then); 0 when none is (``queue_forecast``)."""
    return queue_forecast(listed, now, width, limits, seconds_left).drain_seconds


def queue_forecast(listed: list[dict[str, Any]], now: float, width: int, limits: ClassLimits,
                   seconds_left: Mapping[str, float] | None = None) -> QueueForecast:
    """When each queued run is expected to start, and the queue to be empty, from the expected
    durations of the runs ahead (``RunDurations``).

    A running run ends at its expected end (``expected_seconds_left``); the queue starts the
    oldest queued run whenever fewer than ``width`` runs are working, and that run holds its
    slot for its own expected duration. Between two events (a run starting or ending, a
    finished run changing what runs are measured to take, a run running late) every expected
    start stays at the same moment, so the seconds until it only count down.
    ``seconds_left``: a running run's time left measured from its progress, used for runs
    without a time budget only.
    """
    durations = run_durations(listed, limits)
    ends = [expected_seconds_left(run, now, durations, seconds_left or {})
            for run in listed if run["status"].get("state") in RunState.WORKING]
    slots = list(ends)
    heapq.heapify(slots)
    clock, last_end, places = 0.0, max(ends, default=0.0), {}
    queued = sorted((run for run in listed if run["status"].get("state") == RunState.QUEUED),
                    key=lambda run: (run["status"].get("queued_at", now), run["run_id"]))
    for position, run in enumerate(queued, start=1):
        while len(slots) >= max(1, width):
            clock = max(clock, heapq.heappop(slots))
        places[run["run_id"]] = QueuePlace(position, clock)
        end = clock + durations.expected(run)
        heapq.heappush(slots, end)
        last_end = max(last_end, end)
    return QueueForecast(places, last_end)


@dataclass(frozen=True)
class RunDurations:
    """How long runs take on this server, from its worker's start to its end, as measured
    from the finished runs."""

    allowance: float  # around a budgeted run's training (``run_allowance_seconds``)
    typical: float  # a run without a budget, nothing alike finished (``typical_run_seconds``)
    alike: dict[tuple[str, ...], float]  # by ``run_setting``: the median of the newest finished

    def expected(self, run: dict[str, Any]) -> float:
        """A listed run's expected duration. With a time budget (every capped run) it is known:
        at most the budget and the allowance around it, and less when runs alike ended
        sooner (a class pressing the same button runs the same run, and a capped run that
        trains all its epochs ends before its time). Without one: the runs alike, else the
        typical run."""
        budget = budget_seconds(run)
        measured = self.alike.get(run_setting(run))
        if budget is None:
            return self.typical if measured is None else measured
        limit = budget + self.allowance
        return limit if measured is None else min(measured, limit)


def run_durations(listed: list[dict[str, Any]], limits: ClassLimits) -> RunDurations:
    """What the finished runs of ``listed`` say runs take here."""
    walls: dict[tuple[str, ...], list[float]] = {}
    for run, wall in _finished_walls(listed):
        walls.setdefault(run_setting(run), []).append(wall)
    alike = {setting: statistics.median(values[:MEASURED_RUNS])
             for setting, values in walls.items()}
    return RunDurations(run_allowance_seconds(listed, limits), typical_run_seconds(listed), alike)


def run_setting(run: dict[str, Any]) -> tuple[str, ...]:
    """What makes two listed runs take about the same time: their kind, data source, network
    and training settings."""
    return (str(run.get("kind")), str(run.get("dataset")), str(run.get("model")),
            json.dumps(run.get("training") or {}, sort_keys=True))


def expected_seconds_left(run: dict[str, Any], now: float, durations: RunDurations,
                          seconds_left: Mapping[str, float]) -> float:
    """Seconds until a working run is expected to end: its expected end (its worker's start
    plus its expected duration) minus ``now``, not an extrapolation of its first batches,
    which jumps. A run without a time budget has no known duration: once it has progressed,
    ``seconds_left`` from its speed is the better figure."""
    if budget_seconds(run) is None and run["run_id"] in seconds_left:
        return max(0.0, seconds_left[run["run_id"]])
    started = _worker_start(run["status"])
    started = now if started is None else started
    return max(0.0, started + durations.expected(run) - now)


def budget_seconds(run: dict[str, Any]) -> float | None:
    """A listed run's time budget in seconds, None without one."""
    minutes = (run.get("training") or {}).get("time_budget_minutes")
    return None if minutes is None else float(minutes) * 60.0


def run_allowance_seconds(listed: list[dict[str, Any]], limits: ClassLimits) -> float:
    """The start and end around a budgeted run's training on this server: the median, over
    the newest finished runs that spent their whole budget, of their worker's wall time less
    the budget (it grows with the server's load); ``limits.allowance_seconds`` before any."""
    overheads = [wall - budget_seconds(run) for run, wall in _finished_walls(listed)
                 if budget_seconds(run) is not None
                 and (run.get("metrics") or {}).get("stopped_by_time_budget")]
    return _median(overheads[:MEASURED_RUNS], limits.allowance_seconds)


def typical_run_seconds(listed: list[dict[str, Any]]) -> float:
    """How long a run without a time budget takes here: the median worker wall time of the
    newest such finished runs, else ``UNMEASURED_RUN_SECONDS``."""
    walls = [wall for run, wall in _finished_walls(listed) if budget_seconds(run) is None]
    return _median(walls[:MEASURED_RUNS], UNMEASURED_RUN_SECONDS)


def progress_seconds_left(listed: list[dict[str, Any]], now: float) -> dict[str, float]:
    """The time left of every working run without a time budget, from its speed so far (its
    metrics lines); the runs with a budget have a known end instead."""
    left = {}
    for run in listed:
        if run["status"].get("state") in RunState.WORKING and budget_seconds(run) is None:
            progress = run_progress(run["status"], runs.read_metrics(run["run_id"]), now)
            if progress.seconds_left is not None:
                left[run["run_id"]] = progress.seconds_left
    return left


def queue_forecast_now(listed: list[dict[str, Any]]) -> QueueForecast:
    """``queue_forecast`` of the listed runs at this moment, with this server's queue width and
    class limits: what the pages show."""
    now = time.time()
    return queue_forecast(listed, now, settings.max_concurrent_runs(), class_limits(),
                          progress_seconds_left(listed, now))


def _finished_walls(listed: list[dict[str, Any]]) -> list[tuple[dict[str, Any], float]]:
    """Each finished run, newest first, with its worker's wall time (start to end)."""
    walls = []
    for run in listed:
        status = run["status"]
        started = _worker_start(status)
        if (status.get("state") == RunState.FINISHED and started is not None
                and status.get("ended") is not None):
            walls.append((run, status["ended"] - started))
    return walls


def _worker_start(status: dict[str, Any]) -> float | None:
    """When the queue started the run's worker (when it began training, for a run from before
    the queue recorded that), None before."""
    spawned = status.get("spawned_at")
    return status.get("started") if spawned is None else spawned


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default
