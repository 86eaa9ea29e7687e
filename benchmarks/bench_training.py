"""Training-engine benchmark on the real Fashion-MNIST.

    python benchmarks/bench_training.py [--epochs 2] [--skip-preset]

Prints, all measured in this one run:
1. the engine's training throughput (images/s of the worker, from its epoch lines) divided by
   a bare ``model.fit`` of the same model, data and batch size, measured in this run
   (also run in a fresh interpreter, so both start from the same state);
2. seconds from ``start_run`` to the first metrics line;
3. images/s the training input pipeline delivers alone (``make_tf_dataset``: shuffled batches
   gathered in parallel and prefetched, no model), as a multiple of the engine's throughput: a
   pipeline many times faster than training never keeps the train step waiting;
4. test accuracy and wall time of the Fashion-MNIST preset (``FASHION_MNIST_BEST``).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH_SIZE = 64


def wait_for_end(run_id: str) -> dict:
    from cnnviz import runs

    while True:
        status = runs.read_status(run_id)
        if status.get("state") in runs.RunState.ENDED:
            if status["state"] != runs.RunState.FINISHED:
                raise SystemExit(f"run {run_id} {status['state']}: {status.get('error')}")
            return status
        time.sleep(0.5)


def engine_throughput(epochs: int) -> tuple[float, float, int]:
    """(images/s of the last epoch, seconds to the first metrics line, training images)."""
    from cnnviz import runs
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.spec import ModelSpec
    from cnnviz.training.config import TrainConfig

    config = runs.RunConfig(
        dataset=DatasetSpec(source="fashion_mnist"),
        model=ModelSpec(architecture="fashion_cnn"),
        training=TrainConfig(epochs=epochs, batch_size=BATCH_SIZE, log_every_batches=50),
        name="benchmark: engine throughput",
    )
    started = time.perf_counter()
    run_id = runs.start_run(config)
    while not runs.read_metrics(run_id):
        time.sleep(0.05)
    first_line = time.perf_counter() - started
    wait_for_end(run_id)
    last_epoch = [row for row in runs.read_metrics(run_id) if row["type"] == "epoch"][-1]
    images = len(_fashion().train)
    return images / last_epoch["seconds"], first_line, images


def bare_fit(epochs: int) -> float:
    """images/s of ``model.fit`` in a fresh interpreter, like the worker: same tf.data stream,
    model, metrics, batch size and validation pass (the engine's epoch seconds include it)."""
    output = subprocess.run([sys.executable, __file__, "--bare", str(epochs)], check=True,
                            capture_output=True, text=True, env=os.environ.copy()).stdout
    return float(output.strip().splitlines()[-1])


def bare_fit_here(epochs: int) -> float:
    import keras

    from cnnviz.datasets.pipeline import make_tf_dataset
    from cnnviz.models.build import build_model
    from cnnviz.models.spec import ModelSpec

    dataset = _fashion()
    keras.utils.set_random_seed(0)
    model = build_model(ModelSpec(architecture="fashion_cnn"), dataset.image_shape,
                        dataset.num_classes, seed=0).model
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
                           keras.metrics.SparseTopKCategoricalAccuracy(3, name="top3_accuracy")])
    train = make_tf_dataset(dataset, "train", BATCH_SIZE, training=True)
    validation = make_tf_dataset(dataset, "validation", BATCH_SIZE)
    seconds = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.started)

    model.fit(train, validation_data=validation, epochs=epochs, verbose=0,
              callbacks=[EpochTimer()])
    return len(dataset.train) / seconds[-1]


def pipeline_throughput(epochs: int) -> float:
    """images/s of the training pipeline alone, over its ``epochs``-th pass (the first passes
    warm it up as the engine's first epochs do)."""
    from cnnviz.datasets.pipeline import make_tf_dataset

    dataset = _fashion()
    stream = make_tf_dataset(dataset, "train", BATCH_SIZE, training=True)
    for _ in range(epochs):
        started, images = time.perf_counter(), 0
        for batch_images, _labels in stream:
            images += int(batch_images.shape[0])
    return images / (time.perf_counter() - started)


def preset_accuracy() -> tuple[float, float, int]:
    """(test accuracy, wall seconds from start_run to finished, epochs) of the preset."""
    from cnnviz import runs
    from cnnviz.atomic import read_json
    from cnnviz.presets import FASHION_MNIST_BEST

    started = time.perf_counter()
    run_id = runs.start_run(FASHION_MNIST_BEST)
    wait_for_end(run_id)
    metrics = read_json(runs.run_folder(run_id).final_metrics)
    return metrics["accuracy"], time.perf_counter() - started, metrics["epochs_trained"]


_cached = None


def _fashion():
    global _cached
    if _cached is None:
        from cnnviz.datasets import DatasetSpec, load_dataset

        _cached = load_dataset(DatasetSpec(source="fashion_mnist"))
    return _cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--skip-preset", action="store_true")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.bare:
        print(bare_fit_here(arguments.bare))
        return
    work = Path(tempfile.mkdtemp(prefix="cnnviz-bench-training-"))
    os.environ.setdefault("CNNVIZ_RUNS_DIR", str(work / "runs"))
    os.environ.setdefault("CNNVIZ_DATA_DIR", str(work / "data"))
    os.environ["CNNVIZ_MAX_CONCURRENT_RUNS"] = "1"

    engine, first_line, images = engine_throughput(arguments.epochs)
    bare = bare_fit(arguments.epochs)
    print(f"training images:                     {images}")
    print(f"engine throughput (epoch {arguments.epochs}):        {engine:8.0f} images/s")
    print(f"bare model.fit throughput (epoch {arguments.epochs}): {bare:8.0f} images/s")
    print(f"engine / bare fit:                   {engine / bare:8.3f}")
    print(f"start_run -> first metrics line:     {first_line:8.1f} s")
    pipeline = pipeline_throughput(arguments.epochs)
    print(f"input pipeline alone (pass {arguments.epochs}):      {pipeline:8.0f} images/s")
    print(f"input pipeline / engine:             {pipeline / engine:8.1f}")
    if not arguments.skip_preset:
        accuracy, seconds, epochs = preset_accuracy()
        print(f"preset test accuracy:                {accuracy:8.4f} "
              f"({epochs} epochs, {seconds / 60:.1f} min wall, start to finished)")
    assert math.isfinite(engine)


if __name__ == "__main__":
    main()
