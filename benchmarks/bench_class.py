"""A class on one server: N protocol students (Locust) against one student alone.

    python benchmarks/bench_class.py --students 30 [--ramp 0] [--watch 5] [--port 8641]
                                     [--json out.json] [--profile stacks.txt] [--browser]

Starts a real ``streamlit run app.py`` on 127.0.0.1 with private folders and the real queue
(one run at a time) and workers, writes one trained run, then: one student alone (the first
visit, which loads the model), one student alone again (the baseline), and the class, all at
once (``--ramp 0``) or started evenly over ``--ramp`` seconds. Every student walks the
journey of ``tests/helpers/class_journey.py`` once, speaking Streamlit's websocket protocol; no
browser runs. Printed: p50/p95/max per step beside the student alone (a ratio), errors,
server RSS and CPU over time, runs created and lost. ``--profile`` records the server's
stacks with py-spy during the class (collapsed stacks, one line per stack); ``--browser``
keeps one real Chromium student beside the class (``tests/helpers/browser_beside.py``) and prints
its page times: what a student sees while the class is on.
"""

from __future__ import annotations

import locust  # noqa: F401  (first: Locust patches the standard library for gevent)

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TRAINED_RUN_CODE = ("from tests.helpers.load_sessions import SMALL_DATASET\n"
                    "from tests.helpers.run_folders import make_trained_run\n"
                    "print(make_trained_run(SMALL_DATASET))")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds to start them all")
    parser.add_argument("--watch", type=float, default=5.0,
                        help="seconds each student watches the live charts after Start")
    parser.add_argument("--port", type=int, default=8641)
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--profile", type=Path, help="py-spy stacks of the server under load")
    parser.add_argument("--browser", action="store_true",
                        help="one Chromium student beside the class (its page times)")
    arguments = parser.parse_args()
    if not 1 <= arguments.students <= 100:
        parser.error("--students must be between 1 and 100 (loopback load, bounded)")
    with tempfile.TemporaryDirectory(prefix="cnnviz-class-", ignore_cleanup_errors=True) as folder:
        environment = {"CNNVIZ_RUNS_DIR": f"{folder}/runs", "CNNVIZ_DATA_DIR": f"{folder}/data",
                       "CNNVIZ_DATA_ROOTS": f"{folder}/data", "CNNVIZ_MAX_CONCURRENT_RUNS": "1"}
        os.environ.update(environment)
        report = measure(arguments, environment, Path(folder))
    print_report(report, arguments.students)
    if arguments.profile:
        print("server profile under load (share of samples, frame):")
        for share, frame in hot_spots(arguments.profile):
            print(f"  {share:6.1%} {frame}")
    if arguments.json:
        from tests.helpers.class_load import write_json

        write_json(arguments.json, report)


def measure(arguments, environment: dict[str, str], folder: Path) -> dict:
    from tests.helpers.class_load import (run_class, runs_outcome, start_server, stop_server,
                                          step_table)
    from tests.helpers.load_sessions import end_every_run

    Path(environment["CNNVIZ_RUNS_DIR"]).mkdir(parents=True)
    trained = subprocess.run([sys.executable, "-c", TRAINED_RUN_CODE], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()[-1]
    load_before = os.getloadavg()
    server = start_server(arguments.port, environment, folder / "server.log")
    url = f"http://127.0.0.1:{arguments.port}"
    try:
        first = run_class(url, trained, 1, watch_seconds=arguments.watch)
        alone = run_class(url, trained, 1, watch_seconds=arguments.watch)
        before = {path.name for path in Path(environment["CNNVIZ_RUNS_DIR"]).iterdir()}
        browser_output = folder / "browser.json"
        browser = start_browser(url, trained, arguments, browser_output)
        profiler = start_profiler(server.pid, arguments.profile)
        loaded = run_class(url, trained, arguments.students, arguments.ramp, arguments.watch,
                           arguments.time_limit, server_pid=server.pid,
                           runs_dir=environment["CNNVIZ_RUNS_DIR"])
        stop_profiler(profiler)
        browser_pages = stop_browser(browser, browser_output)
        outcome = runs_outcome(loaded.visits, before)
    finally:  # the server first: its queue would start the next waiting run meanwhile
        stop_server(server)
        end_every_run()
    return {"students": arguments.students, "ramp_seconds": arguments.ramp,
            "watch_seconds": arguments.watch, "load_before": load_before,
            "load_after": os.getloadavg(), "first_visit": first.to_json(),
            "alone": alone.to_json(), "class": loaded.to_json(), "runs": outcome,
            "browser": browser_pages, "steps": step_table(alone, loaded), "errors": first.errors + alone.errors
            + loaded.errors}


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
    return subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw",
                             "--rate", "20", "--output", str(output), "--nonblocking"],
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
    print(f"{students} students (ramp {report['ramp_seconds']:.0f} s), load average "
          f"{report['load_before'][0]:.1f} before, {report['load_after'][0]:.1f} after; "
          f"class took {report['class']['wall_seconds']:.0f} s")
    print(f"{'step':<22}{'first':>7}{'alone':>7}{'n':>5}{'p50':>7}{'p95':>7}{'max':>7}"
          f"{'ratio':>7}")
    for row in report["steps"]:
        print(f"{row['step']:<22}{first.get(row['step'], float('nan')):>7.2f}"
              f"{row['alone_p50']:>7.2f}{row['n']:>5}{row['p50']:>7.2f}{row['p95']:>7.2f}"
              f"{row['max']:>7.2f}{row['ratio']:>6.1f}x")
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
    print(f"runs: Start pressed {runs['pressed_start']}, created {runs['created']}, "
          f"lost {len(runs['lost'])}, states {runs['states']}")
    print(f"errors: {len(report['errors'])}")
    for problem in report["errors"][:8] + runs["lost"][:4]:
        print("  ", problem)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"whole benchmark {time.perf_counter() - started:.0f} s")
