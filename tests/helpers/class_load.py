"""A class of protocol students against one real ``streamlit run app.py``, driven by Locust.

The harness behind ``benchmarks/bench_class.py`` and ``tests/load/test_class_load.py``: it starts
the server on loopback with private run and data folders, the real queue (one run at a time,
a CPU server) and real workers; a Locust ``User`` per student walks the journey of
``tests/helpers/class_journey.py`` once; a sampler records the server's memory and CPU (and the
workers') every second. Traffic goes to 127.0.0.1 only, bounded in students and in time.

For a class in class mode it also takes the class board's queue forecast whenever a student's
Start has created their run (``ForecastAtStart``), waits until the queue has drained
(``wait_for_drain``) and checks that every run's worker started once (``worker_starts``).

Locust patches the standard library for gevent when imported, so a process that uses this
module imports ``locust`` before anything else (``bench_class.py`` does).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import gevent
import numpy as np
import psutil
from locust import User, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

from tests.helpers.class_journey import STEPS, StudentVisit, visit

ROOT = Path(__file__).resolve().parents[2]
WORKER_MODULE = "cnnviz.training.worker"
# The line TensorFlow's import writes into worker.log, with the importing thread's id: the
# worker's main thread, so its pid.
TENSORFLOW_IMPORT_LINE = re.compile(r"^I\d{4} \S+\s+(\d+) port\.cc:\d+\] oneDNN", re.MULTILINE)


@dataclass
class Sample:
    """The server and its training workers at one moment."""

    seconds: float  # since the sampler started
    server_megabytes: float
    server_cpu_percent: float  # 100 = one core busy
    workers: int
    workers_cpu_percent: float


@dataclass
class ClassResult:
    """One class's visit: every student's timings and errors, resources over time."""

    students: int
    visits: list[StudentVisit]
    samples: list[Sample] = field(default_factory=list)
    wall_seconds: float = 0.0

    def seconds(self, step: str) -> list[float]:
        return [seconds for one in self.visits for name, seconds in one.timings if name == step]

    @property
    def errors(self) -> list[str]:
        return [error for one in self.visits for error in one.errors]

    def to_json(self) -> dict:
        return {"students": self.students, "wall_seconds": self.wall_seconds,
                "visits": [asdict(one) for one in self.visits],
                "samples": [asdict(sample) for sample in self.samples]}


def start_server(port: int, environment: dict[str, str], log: Path) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:``port`` in its own process group; returns once
    the health endpoint answers (or raises after a minute)."""
    with open(log, "ab") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, **environment}, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"the server did not answer on port {port}; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait()


@dataclass
class ForecastAtStart:
    """The class board's queue forecast (``classroom.queue_forecast_now``, from the run
    folders), taken each time a student's Start has created their run: the last one taken is
    the forecast at the class's last press, which the measured drain is compared with."""

    taken_at: float = 0.0  # time.time(), the clock of the runs' status files
    drain_seconds: float = float("nan")
    width: int = 0  # the queue's width the forecast used
    run_seconds: float = float("nan")  # the median queued run's expected duration in it
    queued: int = 0
    working: int = 0

    def take(self) -> None:
        from cnnviz import classroom, runs, settings
        from cnnviz.runs import RunState

        listed = runs.list_runs()
        self.taken_at = time.time()
        self.drain_seconds = classroom.queue_forecast_now(listed).drain_seconds
        self.width = settings.max_concurrent_runs()
        durations = classroom.run_durations(listed, classroom.class_limits())
        queued = [run for run in listed if run["status"].get("state") == RunState.QUEUED]
        self.run_seconds = float(np.median([durations.expected(run) for run in queued])
                                 if queued else float("nan"))
        self.queued = len(queued)
        self.working = sum(1 for run in listed if run["status"].get("state") in RunState.WORKING)


class ResourceSampler:
    """Samples the server process and the workers of its runs every ``interval`` seconds. A
    worker is told by its command line (the worker module and a folder in ``runs_dir``): the
    next run's worker is started by the one that ends, so it is not the server's child. It
    also keeps every worker pid seen per run (``worker_pids``), to tell a run started twice;
    a child with its parent's command line is a worker forking the next run's worker (the
    moment before its exec), not a second worker of its run."""

    def __init__(self, server_pid: int, runs_dir: str, interval: float = 1.0) -> None:
        self.server = psutil.Process(server_pid)
        self.runs_dir = runs_dir
        self.interval = interval
        self.samples: list[Sample] = []
        self._greenlet = None
        self._workers: dict[int, psutil.Process] = {}
        self.worker_pids: dict[str, set[int]] = {}  # run id -> pids of its workers

    def __enter__(self) -> ResourceSampler:
        self.server.cpu_percent()
        self._greenlet = gevent.spawn(self._loop)
        return self

    def __exit__(self, *exc) -> None:
        self._greenlet.kill()

    def _loop(self) -> None:
        started = time.monotonic()
        while True:
            gevent.sleep(self.interval)
            try:
                self.samples.append(self._sample(time.monotonic() - started))
            except psutil.Error:
                continue

    def _sample(self, seconds: float) -> Sample:
        workers_cpu = 0.0
        alive = set()
        processes = list(psutil.process_iter(["pid", "ppid", "cmdline"]))
        commands = {child.pid: " ".join(child.info["cmdline"] or []) for child in processes}
        for child in processes:
            command = commands[child.pid]
            if command == commands.get(child.info["ppid"]):
                continue  # a worker's fork before its exec: the next run's worker starting
            if WORKER_MODULE in command and self.runs_dir in command:
                alive.add(child.pid)
                run_id = Path(command.split()[-1]).name
                self.worker_pids.setdefault(run_id, set()).add(child.pid)
                known = self._workers.setdefault(child.pid, child)
                try:
                    workers_cpu += known.cpu_percent()
                except psutil.Error:
                    continue
        self._workers = {pid: process for pid, process in self._workers.items() if pid in alive}
        return Sample(round(seconds, 1), self.server.memory_info().rss / 2**20,
                      self.server.cpu_percent(), len(alive), workers_cpu)


def run_class(url: str, trained_run: str, students: int, ramp_seconds: float = 0.0,
              watch_seconds: float = 5.0, time_limit: float = 900.0,
              sampler: ResourceSampler | None = None, group: str = "Student",
              forecast: ForecastAtStart | None = None) -> ClassResult:
    """``students`` Locust users, each walking the journey once: all at once when
    ``ramp_seconds`` is 0, otherwise started evenly over that time. They join a class as
    ``<group> <number>``; ``sampler`` (running) gives the class's samples; ``forecast`` is
    taken after every Start that created a run."""
    visits: list[StudentVisit] = []
    numbers = itertools.count()

    class Student(User):
        host = url
        wait_time = constant(0)

        @task
        def journey(self) -> None:
            def record(step: str, seconds: float, problem: str) -> None:
                self.environment.events.request.fire(
                    request_type="streamlit", name=step, response_time=seconds * 1000,
                    response_length=0, exception=RuntimeError(problem) if problem else None,
                    context={})
                if forecast is not None and step == "start" and not problem:
                    forecast.take()

            index = next(numbers)
            if index < students:  # Locust replaces a user that stopped while it still ramps up
                visits.append(visit(url, trained_run, index, watch_seconds, record,
                                    f"{group} {index}"))
            raise StopUser()

    environment = Environment(user_classes=[Student], events=events)
    runner = environment.create_local_runner()
    rate = students / ramp_seconds if ramp_seconds > 0 else students
    started = time.monotonic()
    first_sample = len(sampler.samples) if sampler else 0
    try:
        runner.start(students, spawn_rate=rate)
        while len(visits) < students and time.monotonic() - started < time_limit:
            gevent.sleep(0.5)
    finally:
        runner.quit()
    unfinished = students - len(visits)
    visits += [StudentVisit(-1, errors=["journey not finished within the time limit"])
               for _ in range(unfinished)]
    return ClassResult(students, visits, sampler.samples[first_sample:] if sampler else [],
                       time.monotonic() - started)


def wait_for_drain(deadline: float, poll_seconds: float = 2.0) -> float | None:
    """Wait until no run is queued or running, or until ``deadline`` (``time.monotonic``);
    when the last run ended (its status's ``ended``, ``time.time``), None if the queue had not
    drained by then."""
    from cnnviz import runs

    while True:
        listed = runs.list_runs()
        if not any(run["status"].get("state") in runs.RunState.ACTIVE for run in listed):
            return max((run["status"].get("ended") or 0.0 for run in listed), default=None)
        if time.monotonic() > deadline:
            return None
        gevent.sleep(poll_seconds)


def worker_starts(run_ids: list[str], sampled: dict[str, set[int]]) -> dict[str, list[int]]:
    """Every worker process each run had, by pid: the one its status names, the ones whose
    TensorFlow import its worker.log records, and the ones ``sampled`` saw. One pid per run
    that started; two or more would be a run started twice."""
    from cnnviz import runs

    starts = {}
    for run_id in run_ids:
        folder = runs.run_folder(run_id)
        pids = set(sampled.get(run_id, set()))
        pid = runs.read_status(run_id).pid
        if pid:
            pids.add(pid)
        if folder.worker_log.exists():
            log = folder.worker_log.read_text(errors="replace")
            pids.update(int(found) for found in TENSORFLOW_IMPORT_LINE.findall(log))
        starts[run_id] = sorted(pids)
    return starts


def worker_walls(run_ids: list[str]) -> dict[str, float]:
    """Each ended run's worker wall time, from the queue's spawn to its end (seconds), to set
    beside the duration the forecast expected of it."""
    from cnnviz import runs

    walls = {}
    for run_id in run_ids:
        status = runs.read_status(run_id)
        if status.spawned_at is not None and status.get("ended") is not None:
            walls[run_id] = status["ended"] - status.spawned_at
    return walls


def runs_outcome(visits: list[StudentVisit], created_before: set[str],
                 settled: bool = False) -> dict:
    """Runs the students started, read back from the store: how many exist, in which states,
    and which were lost (pressed, but not in the store, or failed or interrupted; once the
    queue has ``settled``, anything but finished). ``doubled``: students with two runs."""
    from cnnviz import runs

    listed = runs.list_runs()
    store = {run["run_id"]: run["status"].get("state") for run in listed}
    kept = {runs.RunState.FINISHED} | (set() if settled else set(runs.RunState.ACTIVE))
    pressed = [one for one in visits if one.pressed_start]
    lost = [f"student {one.index}: " + (f"run {one.run_id} is {store.get(one.run_id)}"
                                         if one.run_id else "no run shown after Start")
            for one in pressed if store.get(one.run_id) not in kept]
    new = [run_id for run_id in store if run_id not in created_before]
    owners = Counter(run["owner"] for run in listed if run["run_id"] in new)
    return {"pressed_start": len(pressed), "created": len(new), "lost": lost,
            "doubled": sorted(owner for owner, count in owners.items() if count > 1),
            "new_runs": new,
            "states": {state: list(store[run_id] for run_id in new).count(state)
                       for state in sorted({store[run_id] for run_id in new})}}


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100)) if values else float("nan")


def step_table(alone: ClassResult, loaded: ClassResult) -> list[dict]:
    """Per step: one student alone (median) and the class (p50, p95, max, ratio of medians)."""
    table = []
    for step in STEPS:
        quiet, busy = alone.seconds(step), loaded.seconds(step)
        if not busy and not quiet:
            continue
        alone_p50 = percentile(quiet, 0.5)
        table.append({"step": step, "n": len(busy), "alone_p50": alone_p50,
                      "p50": percentile(busy, 0.5), "p95": percentile(busy, 0.95),
                      "max": max(busy) if busy else float("nan"),
                      "ratio": percentile(busy, 0.5) / alone_p50 if quiet else float("nan")})
    return table


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, default=str))
