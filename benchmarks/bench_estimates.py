"""How close the Reproduce page's expected durations come to real runs on this machine.

    python benchmarks/bench_estimates.py [--report D] [--runs 2]

For the first ``--runs`` runs of a report's stand-in preset, the expected duration is computed
as the page computes it (a training step timed on the real network by
``cnnviz.training.timing.step_seconds``, times the steps of the run, plus the forward passes
and the start-up allowance), then the run is created with ``runs.create_run`` and trained in a
fresh worker process (``python -m cnnviz.training.worker``, as the queue starts it). Printed per
run: expected seconds, measured seconds (process start to end, the wall time a teacher waits),
and their ratio measured / expected (1.0 = exact; under 1 the estimate was generous).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="D")
    parser.add_argument("--runs", type=int, default=2)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-estimates-"))
    os.environ.update(CNNVIZ_RUNS_DIR=str(folder / "runs"), CNNVIZ_DATA_DIR=str(folder / "data"),
                      CNNVIZ_DATA_ROOTS=str(folder / "data"))
    (folder / "data").mkdir()

    from cnnviz import runs
    from cnnviz.datasets import load_dataset
    from cnnviz.reports.experiments import EXPERIMENTS
    from cnnviz.reports.plan import experiment_configs, plan
    from cnnviz.training.timing import step_seconds

    experiment = EXPERIMENTS[arguments.report]
    configs = experiment_configs(experiment, None)[:arguments.runs]
    chosen = experiment.runs[:arguments.runs]
    seconds, counted = [], []
    for config, run in zip(configs, chosen):
        seconds.append(step_seconds(config, run.input_shape or experiment.input_shape,
                                    experiment.num_classes))
        dataset = load_dataset(config.dataset)
        counted.append((len(dataset.train), len(dataset.validation), len(dataset.test)))
    trimmed = type(experiment)(**{**experiment.__dict__, "runs": tuple(chosen)})
    rows = plan(trimmed, configs, seconds, counted)
    print(f"load average {os.getloadavg()[0]:.2f}; report {arguments.report} stand-in")
    for config, row in zip(configs, rows):
        run_id = runs.create_run(config)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cnnviz.training.worker",
                        str(runs.run_path(run_id))], check=True, env=os.environ.copy(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        measured = time.perf_counter() - started
        state = runs.read_status(run_id).get("state")
        print(f"{config.name}: expected {row.expected_seconds:.0f} s, measured {measured:.0f} s "
              f"({state}), measured/expected {measured / row.expected_seconds:.2f}")


if __name__ == "__main__":
    main()
