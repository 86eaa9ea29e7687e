"""A class of protocol students against one real ``streamlit run app.py``, driven by Locust.

The harness behind ``benchmarks/bench_class.py`` and ``tests/load/test_class_load.py``: it starts
the server on loopback with private run and data folders, the real queue (one run at a time,
a CPU server) and real workers; a Locust ``User`` per student walks the journey of
``tests/helpers/class_journey.py`` once; a sampler records the server's memory and CPU (and the
workers') every second. Traffic goes to 127.0.0.1 only, bounded in students and in time.

Locust patches the standard library for gevent when imported, so a process that uses this
module imports ``locust`` before anything else (``bench_class.py`` does).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
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


class ResourceSampler:
    """Samples the server process and the workers of its runs every ``interval`` seconds. A
    worker is told by its command line (the worker module and a folder in ``runs_dir``): the
    next run's worker is started by the one that ends, so it is not the server's child."""

    def __init__(self, server_pid: int, runs_dir: str, interval: float = 1.0) -> None:
        self.server = psutil.Process(server_pid)
        self.runs_dir = runs_dir
        self.interval = interval
        self.samples: list[Sample] = []
        self._greenlet = None
        self._workers: dict[int, psutil.Process] = {}

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
        for child in psutil.process_iter(["pid", "cmdline"]):
            command = " ".join(child.info["cmdline"] or [])
            if WORKER_MODULE in command and self.runs_dir in command:
                alive.add(child.pid)
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
              server_pid: int | None = None, runs_dir: str = "") -> ClassResult:
    """``students`` Locust users, each walking the journey once: all at once when
    ``ramp_seconds`` is 0, otherwise started evenly over that time."""
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

            index = next(numbers)
            if index < students:  # Locust replaces a user that stopped while it still ramps up
                visits.append(visit(url, trained_run, index, watch_seconds, record))
            raise StopUser()

    environment = Environment(user_classes=[Student], events=events)
    runner = environment.create_local_runner()
    rate = students / ramp_seconds if ramp_seconds > 0 else students
    started = time.monotonic()
    sampler = ResourceSampler(server_pid, runs_dir) if server_pid else None
    if sampler:
        sampler.__enter__()
    try:
        runner.start(students, spawn_rate=rate)
        while len(visits) < students and time.monotonic() - started < time_limit:
            gevent.sleep(0.5)
    finally:
        runner.quit()
        if sampler:
            sampler.__exit__()
    unfinished = students - len(visits)
    visits += [StudentVisit(-1, errors=["journey not finished within the time limit"])
               for _ in range(unfinished)]
    return ClassResult(students, visits, sampler.samples if sampler else [],
                       time.monotonic() - started)


def runs_outcome(visits: list[StudentVisit], created_before: set[str]) -> dict:
    """Runs the students started, read back from the store: how many exist in a live or
    finished state, and which were lost (pressed, but not in the store or failed)."""
    from cnnviz import runs

    store = {run["run_id"]: run["status"].get("state") for run in runs.list_runs()}
    pressed = [one for one in visits if one.pressed_start]
    lost = [f"student {one.index}: " + (f"run {one.run_id} is {store.get(one.run_id)}"
                                         if one.run_id else "no run shown after Start")
            for one in pressed
            if store.get(one.run_id) not in runs.RunState.ACTIVE | {runs.RunState.FINISHED}]
    new = [run_id for run_id in store if run_id not in created_before]
    return {"pressed_start": len(pressed), "created": len(new), "lost": lost,
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
