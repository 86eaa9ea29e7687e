"""Class mode's caps, trained for real: does a capped student run still learn, and in how long?

    python benchmarks/bench_class_caps.py [--skip-quick] [--skip-width] [--runs 4]
                                          [--width-start shapes|fashion|fashion_best]

Prints, every run real (``start_run``, the queue, the worker) in a private runs and data
folder, with the machine's load average beside every figure:
1. each Home quick start capped as a student's run in class mode (``classroom.capped_run``):
   test accuracy and seconds from start to end (worker start, data, training, test pass);
   targets: shapes >= 95 %, both Fashion-MNIST ones >= 85 %, each ending in about a minute;
   and a GAN with the GAN page's defaults on Fashion-MNIST, capped: seconds and epochs;
2. ``--runs`` capped quick starts (``--width-start``, shapes by default) pressed at once, the
   queue one run wide and then two: runs finished per minute, their accuracies (two at once
   share the cores, so each trains fewer steps in its time), and the queue's drain forecast
   at the press (``classroom.queue_drain_seconds``) against when the last run really ended.
Fashion-MNIST is read from Debian's ``dataset-fashion-mnist`` (or the Keras cache); its first
run prepares the data folder's cache, as the first run of a lesson does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.folders import private_folders  # noqa: E402

TARGETS = {"shapes": 0.95, "fashion": 0.85, "fashion_best": 0.85}
ABOUT_A_MINUTE = 75.0  # seconds from start to end still read as "about a minute"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def wait_for(run_ids: list[str]) -> dict[str, float]:
    """Block until every run has ended; each run's end time (a failed run stops the script)."""
    from cnnviz import runs

    ended: dict[str, float] = {}
    while len(ended) < len(run_ids):
        for run_id in run_ids:
            status = runs.read_status(run_id)
            if run_id not in ended and status.ended:
                if status.state != runs.RunState.FINISHED:
                    raise SystemExit(f"run {run_id} {status.state}: {status.get('error')}")
                ended[run_id] = time.time()
        time.sleep(0.2)
    return ended


def result(run_id: str) -> tuple[float, int]:
    """(test accuracy, epochs trained) of a finished run."""
    from cnnviz import runs

    metrics = runs.read_final_metrics(run_id)
    return metrics["accuracy"], metrics["epochs_trained"]


def capped(config):
    from cnnviz import classroom

    return classroom.capped_run(config, classroom.class_limits())[0]


def quick_start_configs() -> dict:
    """Home's quick starts by name."""
    from cnnviz.presets import QUICK_START_FASHION, QUICK_START_FASHION_BEST, QUICK_START_SHAPES

    return {"shapes": QUICK_START_SHAPES.config, "fashion": QUICK_START_FASHION.config,
            "fashion_best": QUICK_START_FASHION_BEST.config}


def quick_starts() -> None:
    """Each quick start capped, alone on the queue."""
    from cnnviz import runs

    os.environ["CNNVIZ_MAX_CONCURRENT_RUNS"] = "1"
    for name, config in quick_start_configs().items():
        config = capped(config)
        started = time.time()
        run_id = runs.start_run(config)
        seconds = wait_for([run_id])[run_id] - started
        accuracy, epochs = result(run_id)
        met = accuracy >= TARGETS[name] and seconds <= ABOUT_A_MINUTE
        print(f"{name:13s} capped to {config.training.time_budget_minutes:g} min of training: "
              f"{accuracy:7.2%} in {seconds:5.1f} s, {epochs} epoch(s)   ({load()}); target "
              f">= {TARGETS[name]:.0%} in about a minute: {'met' if met else 'NOT met'}",
              flush=True)


def capped_gan() -> None:
    """The GAN page's defaults on Fashion-MNIST, capped as a student's GAN."""
    from cnnviz import runs
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.spec import ModelSpec
    from cnnviz.training.config import TrainConfig

    config = capped(runs.RunConfig(
        DatasetSpec(source="fashion_mnist"), ModelSpec(architecture="dcgan", latent_dim=64),
        TrainConfig(epochs=10, batch_size=32, learning_rate=1e-4), kind="gan"))
    started = time.time()
    run_id = runs.start_run(config)
    seconds = wait_for([run_id])[run_id] - started
    epochs = runs.read_final_metrics(run_id)["epochs_trained"]
    print(f"gan           capped to {config.training.time_budget_minutes:g} min of training: "
          f"{seconds:5.1f} s, {epochs} epoch(s)   ({load()}); target about a minute: "
          f"{'met' if seconds <= ABOUT_A_MINUTE else 'NOT met'}", flush=True)


def width_trial(start: str, width: int, count: int) -> float:
    """``count`` capped quick starts ``start`` pressed at once on a queue ``width`` wide:
    prints and returns the runs finished per minute."""
    from cnnviz import classroom, runs

    os.environ["CNNVIZ_MAX_CONCURRENT_RUNS"] = str(width)
    config = capped(quick_start_configs()[start])
    pressed = time.time()
    run_ids = [runs.start_run(config) for _ in range(count)]
    forecast = classroom.queue_drain_seconds(runs.list_runs(), time.time(), width,
                                             classroom.class_limits())
    drained = max(wait_for(run_ids).values()) - pressed
    accuracies = [result(run_id)[0] for run_id in run_ids]
    per_minute = count / (drained / 60.0)
    print(f"{start}, width {width}: {count} runs in {drained:5.1f} s = {per_minute:4.2f} runs/min; "
          f"accuracy {min(accuracies):.2%} to {max(accuracies):.2%} "
          f"(mean {statistics.mean(accuracies):.2%}); drain forecast at the press "
          f"{forecast:5.1f} s   ({load()})", flush=True)
    return per_minute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-quick", action="store_true")
    parser.add_argument("--skip-width", action="store_true")
    parser.add_argument("--runs", type=int, default=4, help="runs pressed at once per width")
    parser.add_argument("--width-start", choices=sorted(TARGETS), default="shapes",
                        help="the quick start pressed at once")
    arguments = parser.parse_args()
    work, _ = private_folders("cnnviz-bench-class-caps-")
    from cnnviz import classroom

    print(f"start: {load()}; class limits {classroom.class_limits()}; folders in {work}",
          flush=True)
    if not arguments.skip_quick:
        quick_starts()
        capped_gan()
    if not arguments.skip_width:
        one = width_trial(arguments.width_start, 1, arguments.runs)
        two = width_trial(arguments.width_start, 2, arguments.runs)
        print(f"two at once / one at a time: {two / one:4.2f}x runs per minute", flush=True)


if __name__ == "__main__":
    main()
