"""The home page's quick starts, trained for real: test accuracy and wall time.

    python benchmarks/bench_quick_starts.py [--skip-fashion]

Prints, all measured in this one run, from ``start_run`` to the run's end (worker start, data,
training, evaluation), the way a student waits for it:
1. the old defaults (shapes, report D's Fashion CNN, 3 epochs, 300 images a class), the
   baseline that sat at chance in issue 20;
2. the shapes quick start (also the Train page's defaults): target at least 95 % within 60 s;
3. the Fashion-MNIST quick start: target at least 88 % within the minutes on its button.
The load average of the machine is printed with every figure: on a shared machine the wall
times grow with it, the accuracies do not (training is deterministic).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def trained(config) -> tuple[float, float, int]:
    """(test accuracy, wall seconds from start_run to the end, epochs) of one real run."""
    from cnnviz import runs
    from cnnviz.atomic import read_json

    started = time.perf_counter()
    run_id = runs.start_run(config)
    while (status := runs.read_status(run_id)).get("state") not in runs.RunState.ENDED:
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if status["state"] != runs.RunState.FINISHED:
        raise SystemExit(f"run {run_id} {status['state']}: {status.get('error')}")
    metrics = read_json(runs.run_folder(run_id).final_metrics)
    return metrics["accuracy"], seconds, metrics["epochs_trained"]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-fashion", action="store_true")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cnnviz-bench-quick-"))
    os.environ.setdefault("CNNVIZ_RUNS_DIR", str(work / "runs"))
    os.environ.setdefault("CNNVIZ_DATA_DIR", str(work / "data"))
    os.environ["CNNVIZ_MAX_CONCURRENT_RUNS"] = "1"

    from cnnviz import runs
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.spec import ModelSpec
    from cnnviz.presets import QUICK_START_FASHION, QUICK_START_SHAPES
    from cnnviz.training.config import TrainConfig

    old_defaults = runs.RunConfig(
        DatasetSpec(source="shapes", shapes_per_class=300, image_size=(32, 32)),
        ModelSpec(architecture="fashion_cnn"), TrainConfig(epochs=3, batch_size=64),
        name="benchmark: the old defaults")
    print(f"start: {load()}", flush=True)
    baseline, baseline_seconds, _ = trained(old_defaults)
    print(f"old defaults (baseline):   {baseline:7.2%} in {baseline_seconds:6.1f} s   ({load()})",
          flush=True)
    accuracy, seconds, epochs = trained(QUICK_START_SHAPES.config)
    print(f"shapes quick start:        {accuracy:7.2%} in {seconds:6.1f} s   ({load()}), "
          f"{epochs} epochs; target >= 95 % within 60 s: "
          f"{'met' if accuracy >= 0.95 and seconds <= 60 else 'NOT met'}", flush=True)
    print(f"shapes / baseline accuracy: {accuracy / baseline:6.2f}x", flush=True)
    if not arguments.skip_fashion:
        stated = QUICK_START_FASHION.minutes * 60
        accuracy, seconds, epochs = trained(QUICK_START_FASHION.config)
        print(f"Fashion-MNIST quick start: {accuracy:7.2%} in {seconds:6.1f} s   ({load()}), "
              f"{epochs} epochs; target >= 88 % within the stated {stated // 60} min: "
              f"{'met' if accuracy >= 0.88 and seconds <= stated else 'NOT met'}", flush=True)


if __name__ == "__main__":
    main()
