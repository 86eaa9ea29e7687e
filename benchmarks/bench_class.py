"""A class on one server: N protocol students (Locust) against one student alone.

    python benchmarks/bench_class.py --students 30 [--class-mode [--no-drain]] [--ramp 0]
                                     [--watch 5] [--port 8641] [--time-limit 2400]
                                     [--json out.json] [--profile stacks.txt] [--browser]

Starts a real ``streamlit run app.py`` on 127.0.0.1 with private folders and the real queue
(one run at a time; class mode's own width with ``--class-mode``) and workers, writes one
trained run, then: one student alone (the first visit, which loads the model), one student
alone again (the baseline), and the class, all at once (``--ramp 0``) or started evenly over
``--ramp`` seconds. Every student walks the journey of ``tests/helpers/class_journey.py``
once, speaking Streamlit's websocket protocol; no browser runs. Printed: p50/p95/max per step
beside the student alone (a ratio) and the p95 target, errors, server RSS and CPU over time,
runs created and lost, each run's worker starts. ``--profile`` records the server's stacks
with py-spy during the class (collapsed stacks, one line per stack); ``--browser`` keeps one
real Chromium student beside the class (``tests/helpers/browser_beside.py``) and prints its
page times: what a student sees while the class is on.

``--class-mode`` runs the server in class mode (``CNNVIZ_CLASS_MODE=1``, a teacher password,
the queue's width class mode's own): every student first joins the class with a name, and
every run is capped. Then the benchmark waits until the queue has drained (at most
``--time-limit`` seconds after the class) and prints the drain, from the last press of Start
to the end of the last run, against the forecast the class board showed at that press
(``classroom.queue_forecast_now`` on the run folders then); every press must have exactly one
run, finished, whose worker started once. ``--no-drain`` leaves the queue when the class ends
(the slow test: a drain of capped runs takes about a minute per run on two cores).
"""

from __future__ import annotations

import locust  # noqa: F401  (first: Locust patches the standard library for gevent)

import argparse
import collections
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.helpers.class_load import ForecastAtStart

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TRAINED_RUN_CODE = ("from tests.helpers.load_sessions import SMALL_DATASET\n"
                    "from tests.helpers.run_folders import make_trained_run\n"
                    "print(make_trained_run(SMALL_DATASET))")
P95_TARGET_SECONDS = 3.0  # every page step but the first model load (issue 29)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds to start them all")
    parser.add_argument("--watch", type=float, default=5.0,
                        help="seconds each student watches the live charts after Start")
    parser.add_argument("--port", type=int, default=8641)
    parser.add_argument("--time-limit", type=float, default=2400.0,
                        help="seconds for the class's journeys, and again for the drain")
    parser.add_argument("--class-mode", action="store_true",
                        help="class mode: students join by name, capped runs, the queue "
                             "waited for until it drains")
    parser.add_argument("--no-drain", action="store_true",
                        help="with --class-mode: leave the queue when the class ends")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--profile", type=Path, help="py-spy stacks of the server under load")
    parser.add_argument("--browser", action="store_true",
                        help="one Chromium student beside the class (its page times)")
    arguments = parser.parse_args()
    if not 1 <= arguments.students <= 100:
        parser.error("--students must be between 1 and 100 (loopback load, bounded)")
    with tempfile.TemporaryDirectory(prefix="cnnviz-class-", ignore_cleanup_errors=True) as folder:
        environment = server_environment(Path(folder), arguments.class_mode)
        os.environ.update(environment)  # the forecast here reads the server's settings
        report = measure(arguments, environment, Path(folder))
    if arguments.json:  # first: the figures of a long run survive a failed print
        from tests.helpers.class_load import write_json

        write_json(arguments.json, report)
    print_report(report, arguments.students)
    if arguments.profile:
        print("server profile under load (share of samples, frame):")
        for share, frame in hot_spots(arguments.profile):
            print(f"  {share:6.1%} {frame}")


def server_environment(folder: Path, class_mode: bool) -> dict[str, str]:
    """Private run and data folders; outside class mode the queue runs one run at a time (a
    CPU server's default), in class mode at class mode's own width, with a teacher password
    set as a class server has."""
    environment = {"CNNVIZ_RUNS_DIR": f"{folder}/runs", "CNNVIZ_DATA_DIR": f"{folder}/data",
                   "CNNVIZ_DATA_ROOTS": f"{folder}/data"}
    if class_mode:
        environment.update(CNNVIZ_CLASS_MODE="1",
                           CNNVIZ_TEACHER_PASSWORD=secrets.token_urlsafe(16))
    else:
        environment["CNNVIZ_MAX_CONCURRENT_RUNS"] = "1"
    return environment


def measure(arguments, environment: dict[str, str], folder: Path) -> dict:
    from tests.helpers.class_load import (ForecastAtStart, ResourceSampler, run_class,
                                          runs_outcome, start_server, stop_server, step_table,
                                          worker_starts, worker_walls)
    from tests.helpers.load_sessions import end_every_run

    Path(environment["CNNVIZ_RUNS_DIR"]).mkdir(parents=True)
    trained = subprocess.run([sys.executable, "-c", TRAINED_RUN_CODE], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()[-1]
    load_before = os.getloadavg()
    server = start_server(arguments.port, environment, folder / "server.log")
    url = f"http://127.0.0.1:{arguments.port}"
    try:
        first = run_class(url, trained, 1, watch_seconds=arguments.watch, group="First")
        alone = run_class(url, trained, 1, watch_seconds=arguments.watch, group="Alone")
        before = {path.name for path in Path(environment["CNNVIZ_RUNS_DIR"]).iterdir()}
        browser_output = folder / "browser.json"
        browser = start_browser(url, trained, arguments, browser_output)
        profiler = start_profiler(server.pid, arguments.profile)
        forecast = ForecastAtStart()
        with ResourceSampler(server.pid, environment["CNNVIZ_RUNS_DIR"]) as sampler:
            loaded = run_class(url, trained, arguments.students, arguments.ramp,
                               arguments.watch, arguments.time_limit, sampler,
                               forecast=forecast)
            stop_profiler(profiler)
            browser_pages = stop_browser(browser, browser_output)
            load_after = os.getloadavg()
            waits = arguments.class_mode and not arguments.no_drain
            queue = drain(forecast, arguments.time_limit) if waits else None
        outcome = runs_outcome(loaded.visits, before, settled=bool(queue and queue["drained"]))
        outcome["worker_pids"] = worker_starts(outcome["new_runs"], sampler.worker_pids)
        outcome["worker_walls"] = worker_walls(outcome["new_runs"])
    finally:  # the server first: its queue would start the next waiting run meanwhile
        stop_server(server)
        end_every_run()
    return {"students": arguments.students, "class_mode": arguments.class_mode,
            "ramp_seconds": arguments.ramp, "watch_seconds": arguments.watch,
            "load_before": load_before, "load_after": load_after,
            "load_after_drain": os.getloadavg(), "first_visit": first.to_json(),
            "alone": alone.to_json(), "class": loaded.to_json(), "runs": outcome,
            "queue": queue, "browser": browser_pages, "steps": step_table(alone, loaded),
            "errors": first.errors + alone.errors + loaded.errors}


def drain(forecast: ForecastAtStart, time_limit: float) -> dict:
    """Wait for the queue to drain (at most ``time_limit`` seconds) and compare the drain, from
    the last press of Start to the end of the last run, with the board's forecast at that
    press (``ForecastAtStart``)."""
    from cnnviz import classroom
    from tests.helpers.class_load import wait_for_drain

    last_ended = wait_for_drain(time.monotonic() + time_limit)
    pressed = forecast.taken_at > 0
    measured = last_ended - forecast.taken_at if pressed and last_ended else None
    return {"drained": last_ended is not None, "width": forecast.width,
            "queued_at_last_start": forecast.queued, "working_at_last_start": forecast.working,
            "run_limit_seconds": classroom.class_limits().classifier_minutes * 60.0,
            "expected_run_seconds": forecast.run_seconds,
            "forecast_seconds": forecast.drain_seconds if pressed else None,
            "measured_seconds": measured,
            "ratio": measured / forecast.drain_seconds
            if measured is not None and forecast.drain_seconds > 0 else None}


def start_browser(url: str, trained: str, arguments,
                  output: Path) -> subprocess.Popen | None:
    """The Chromium student, in a process of its own, for as long as the class may last."""
    if not arguments.browser:
        return None
    return subprocess.Popen([sys.executable, "-m", "tests.helpers.browser_beside", url, trained,
                             str(arguments.time_limit), str(output)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_browser(browser: subprocess.Popen | None, output: Path) -> list:
    if browser is None:
        return []
    os.killpg(browser.pid, signal.SIGTERM)
    browser.wait(timeout=60)
    return json.loads(output.read_text()) if output.exists() else []


def start_profiler(pid: int, output: Path | None) -> subprocess.Popen | None:
    if output is None:
        return None
    return subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid",
                             str(pid), "--format", "raw", "--rate", "20", "--output",
                             str(output), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_profiler(profiler: subprocess.Popen | None) -> None:
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(timeout=60)


def hot_spots(stacks: Path, top: int = 15) -> list[tuple[float, str]]:
    """The frames that hold the most of the server's samples (counted once per stack), from
    py-spy's collapsed stacks: (share, frame) for the app's code and Streamlit's runner."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        frames = {re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")}
        for frame in frames:
            if re.search(r"\((cnnviz/|pages/|app\.py|.*\.py)\)$", frame) is None:
                continue
            inclusive[frame] += int(count)
    interesting = [(count / total, frame) for frame, count in inclusive.most_common()
                   if any(part in frame for part in ("cnnviz/", "pages/", "app.py", ".py)"))
                   and not re.search(r"threading|asyncio|selectors|uvicorn|click/|bootstrap|"
                                     r"cli\.py|__main__|concurrent/", frame)]
    return interesting[:top]


def print_report(report: dict, students: int) -> None:
    first = {name: seconds for name, seconds in
             (tuple(timing) for visit in report["first_visit"]["visits"]
              for timing in visit["timings"])}
    mode = "class mode" if report["class_mode"] else "class mode off"
    print(f"{students} students ({mode}, ramp {report['ramp_seconds']:.0f} s), load average "
          f"{report['load_before'][0]:.1f} before, {report['load_after'][0]:.1f} after; "
          f"class took {report['class']['wall_seconds']:.0f} s")
    print(f"{'step':<22}{'first':>7}{'alone':>7}{'n':>5}{'p50':>7}{'p95':>7}{'max':>7}"
          f"{'ratio':>7}")
    for row in report["steps"]:
        print(f"{row['step']:<22}{first.get(row['step'], float('nan')):>7.2f}"
              f"{row['alone_p50']:>7.2f}{row['n']:>5}{row['p50']:>7.2f}{row['p95']:>7.2f}"
              f"{row['max']:>7.2f}{row['ratio']:>6.1f}x")
    print_target(report["steps"])
    samples = report["class"]["samples"]
    if samples:
        print("server over time (s: RSS MB, CPU %, workers, workers CPU %):")
        stride = max(1, len(samples) // 12)
        print("  " + "; ".join(f"{s['seconds']:.0f}: {s['server_megabytes']:.0f}, "
                               f"{s['server_cpu_percent']:.0f}, {s['workers']}, "
                               f"{s['workers_cpu_percent']:.0f}" for s in samples[::stride]))
        print(f"server RSS max {max(s['server_megabytes'] for s in samples):.0f} MB, "
              f"CPU mean {sum(s['server_cpu_percent'] for s in samples) / len(samples):.0f} %")
    if report["browser"]:
        print("Chromium beside the class (page: median, max seconds, problems):")
        for name in dict.fromkeys(page for page, _, _ in report["browser"]):
            seconds = sorted(spent for page, spent, _ in report["browser"] if page == name)
            problems = sum(1 for page, _, problem in report["browser"]
                           if page == name and problem)
            print(f"  {name}: {seconds[len(seconds) // 2]:.2f}, {seconds[-1]:.2f}, "
                  f"{problems} (n={len(seconds)})")
    runs = report["runs"]
    if report["queue"]:
        print_queue(report["queue"], report["load_after_drain"],
                    list(runs["worker_walls"].values()))
    starts = [len(pids) for pids in runs["worker_pids"].values()]
    print(f"runs: Start pressed {runs['pressed_start']}, created {runs['created']}, "
          f"lost {len(runs['lost'])}, students with two runs {len(runs['doubled'])}, "
          f"states {runs['states']}; workers started once {starts.count(1)}, "
          f"more than once {sum(1 for count in starts if count > 1)}, never {starts.count(0)}")
    print(f"errors: {len(report['errors'])}")
    for problem in report["errors"][:8] + runs["lost"][:4]:
        print("  ", problem)


def print_target(steps: list[dict]) -> None:
    """The target: p95 at most 3 s for every step but the first model load."""
    from tests.helpers.class_journey import FIRST_MODEL_LOAD

    over = [f"{row['step']} {row['p95']:.2f}" for row in steps
            if row["step"] != FIRST_MODEL_LOAD and row["p95"] > P95_TARGET_SECONDS]
    print(f"p95 <= {P95_TARGET_SECONDS:.0f} s on every step but {FIRST_MODEL_LOAD}: "
          + (f"missed ({', '.join(over)})" if over else "holds"))


def print_queue(queue: dict, load_after_drain: tuple[float, float, float],
                walls: list[float]) -> None:
    """The drain measured against the board's forecast at the last press of Start, and the
    class's runs' worker wall times against the duration it expected of a queued run."""
    print(f"queue (width {queue['width']}) at the last Start: {queue['working_at_last_start']} "
          f"working, {queue['queued_at_last_start']} queued; a queued run expected to take "
          f"{queue['expected_run_seconds']:.0f} s (class time limit "
          f"{queue['run_limit_seconds']:.0f} s), worker start to end")
    if walls:
        print(f"  the class's runs, worker start to end: median {statistics.median(walls):.0f} "
              f"s, min {min(walls):.0f} s, max {max(walls):.0f} s (n={len(walls)})")
    if queue["forecast_seconds"] is None:
        print("  no forecast: no student's Start created a run")
        return
    if not queue["drained"]:
        print(f"  not drained within the time limit (forecast "
              f"{queue['forecast_seconds']:.0f} s)")
        return
    print(f"  drain: forecast {queue['forecast_seconds']:.0f} s, measured "
          f"{queue['measured_seconds']:.0f} s (measured / forecast {queue['ratio']:.2f}); "
          f"load average {load_after_drain[0]:.1f} once drained")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"whole benchmark {time.perf_counter() - started:.0f} s")
