"""Load benchmark: thirty students on one server at once, against one student alone.

    python benchmarks/bench_load.py [--sessions 30] [--alone 10]

Each simulated student is a Chromium session against one real ``streamlit run app.py`` on
loopback (see ``tests/helpers/load_sessions.py``): Train page, "Start training", then an upload on
the Look inside page of a trained run, while the real queue starts real workers one at a
time. Printed: the Train page's render time alone and under load (median, p95, ratio), the
time to a prediction after an upload, the server's memory, and the most runs running at once.
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
    parser.add_argument("--alone", type=int, default=5, help="renders measured alone")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cnnviz-load-") as folder:
        os.environ.update(CNNVIZ_RUNS_DIR=f"{folder}/runs", CNNVIZ_DATA_DIR=f"{folder}/data",
                          CNNVIZ_DATA_ROOTS=f"{folder}/data", CNNVIZ_MAX_CONCURRENT_RUNS="1")
        from tests.helpers.browser import running_app
        from tests.helpers.load_sessions import (
            SMALL_DATASET, end_every_run, percentile, server_megabytes, simulate_class, summary,
        )
        from tests.helpers.run_folders import make_trained_run

        trained = make_trained_run(SMALL_DATASET)
        started = time.perf_counter()
        try:
            with running_app({}) as url:
                alone, result = simulate_class(url, arguments.sessions, trained, arguments.alone)
                memory = server_megabytes()
        finally:
            end_every_run()
        seconds = time.perf_counter() - started
    loaded = result.render_seconds
    print(f"sessions: {result.sessions}, completed: {len(loaded)}, "
          f"failed: {len(result.errors)}, most running at once: {result.most_running}")
    print(f"Train page render alone:      {summary(alone)}")
    print(f"Train page render under load: {summary(loaded)}")
    if loaded:
        print(f"ratio under load / alone: median "
              f"{statistics.median(loaded) / statistics.median(alone):.1f}x, "
              f"p95 {percentile(loaded, 0.95) / percentile(alone, 0.95):.1f}x")
    print(f"prediction after an upload under load: {summary(result.prediction_seconds)}")
    print(f"server memory after the class: {memory:.0f} MB; whole visit {seconds:.0f} s")
    for problem in result.errors[:5]:
        print("problem:", problem.splitlines()[0])


if __name__ == "__main__":
    main()
