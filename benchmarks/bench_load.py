"""Load benchmark: thirty students on one server at once, against one student alone.

    python benchmarks/bench_load.py [--sessions 30] [--alone 10]

Each simulated student (an AppTest session in a thread of this process, which plays the
server) opens the home, Dataset and Train pages, presses "Start training" on a small run and
uploads an image on the Look inside page of a trained run, while the real run queue starts
real training workers one at a time. Printed: the Train page's render time alone and under
load (median, p95, and their ratio), this process's memory before and after, the runs started
and the most that ran at once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--alone", type=int, default=10, help="renders measured alone")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cnnviz-load-") as folder:
        os.environ.update(CNNVIZ_RUNS_DIR=f"{folder}/runs", CNNVIZ_DATA_DIR=f"{folder}/data",
                          CNNVIZ_DATA_ROOTS=f"{folder}/data", CNNVIZ_MAX_CONCURRENT_RUNS="1")
        from tests.load_sessions import (
            SMALL_DATASET, end_every_run, page_render_seconds, percentile,
            resident_megabytes, simulate_class, summary,
        )
        from tests.run_folders import make_trained_run

        trained = make_trained_run(SMALL_DATASET)
        page_render_seconds()  # warm-up: imports and caches, as on a server already serving
        alone = [page_render_seconds() for _ in range(arguments.alone)]
        memory_before = resident_megabytes()
        started = time.perf_counter()
        try:
            result = simulate_class(arguments.sessions, trained)
        finally:
            end_every_run()
        seconds = time.perf_counter() - started
        memory_after = resident_megabytes()
    loaded = result.render_seconds
    print(f"sessions: {result.sessions}, runs started: {len(result.started_runs)}, "
          f"lost: {len(result.lost_runs)}, most running at once: {result.most_running}, "
          f"problems: {len(result.errors)}")
    print(f"Train page render alone:      {summary(alone)}")
    print(f"Train page render under load: {summary(loaded)}")
    print(f"ratio under load / alone: median "
          f"{statistics.median(loaded) / statistics.median(alone):.1f}x, "
          f"p95 {percentile(loaded, 0.95) / percentile(alone, 0.95):.1f}x")
    print(f"server process memory: {memory_before:.0f} MB before, {memory_after:.0f} MB after "
          f"({memory_after - memory_before:+.0f} MB); whole class visit {seconds:.0f} s")
    for problem in result.errors[:10]:
        print("problem:", problem)


if __name__ == "__main__":
    main()
