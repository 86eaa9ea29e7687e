"""Probe recording benchmark: seconds per training epoch with the probe recorder (the maps of
every conv layer for one image per class and the first filters, written to the run folder
after each epoch) against the same training without it, as a ratio.

    python benchmarks/bench_probes.py [--epochs 3] [--per-class 500]

Two identical models (same seed) train in turns, one epoch each per round, so a change of load
on the shared machine weighs on both alike; the first round (graph tracing) is left out. The
Fashion CNN trains on Fashion-MNIST (28x28, the shapes generator when it is not installed),
ResNet-18 on 32x32 shapes. The median epoch of each is printed with the load average, the
size of one epoch's file and the recording's own time.
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


def measure(architecture: str, dataset_spec, epochs: int, batch_size: int = 64) -> None:
    import keras

    from cnnviz.datasets import load_dataset
    from cnnviz.datasets.pipeline import make_tf_dataset
    from cnnviz.inside.probe_files import read_epoch
    from cnnviz.inside.probes import ProbeRecorder, prepared_probes
    from cnnviz.models.build import build_model
    from cnnviz.models.registry import ARCHITECTURES
    from cnnviz.models.spec import ModelSpec
    from cnnviz.runs import RunFolder

    dataset = load_dataset(dataset_spec)
    stream = make_tf_dataset(dataset, "train", batch_size, training=True, seed=0)
    logits = ARCHITECTURES[architecture].outputs_logits

    def compiled():
        model = build_model(ModelSpec(architecture=architecture), dataset.image_shape,
                            dataset.num_classes, seed=0).model
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=logits))
        return model

    with tempfile.TemporaryDirectory() as folder:
        run_dir = Path(folder)
        with_probes, without = compiled(), compiled()
        recorder = ProbeRecorder(run_dir, prepared_probes(run_dir, dataset, with_probes))
        recorder.set_model(with_probes)
        recorder.on_train_begin()  # epoch 0 before timing: the rounds compare epochs alike
        timed_with, timed_without = [], []
        for epoch in range(epochs + 1):
            timed_with += epoch_seconds_at(with_probes, stream, [recorder], epoch)
            timed_without += epoch_seconds_at(without, stream, [], epoch)
        record = read_epoch(run_dir, epochs + 1)
        size_kb = RunFolder(run_dir).probe_epoch(epochs + 1).stat().st_size / 1024
    plain, probed = statistics.median(timed_without[1:]), statistics.median(timed_with[1:])
    print(f"{architecture:12s} {dataset.image_shape} {len(dataset.train)} images: "
          f"{plain:.2f} s/epoch without probes, {probed:.2f} s with "
          f"(ratio {probed / plain:.3f}); recording {record.seconds * 1000:.0f} ms "
          f"({record.seconds / plain:.1%} of an epoch), "
          f"{len(record.layers)} layers, {size_kb:.0f} KiB per epoch; "
          f"load {os.getloadavg()[0]:.1f}")


def epoch_seconds_at(model, stream, callbacks, epoch: int) -> list[float]:
    """Wall-clock seconds of one ``fit`` of epoch ``epoch`` (a list, to add up)."""
    started = time.perf_counter()
    model.fit(stream, epochs=epoch + 1, initial_epoch=epoch, callbacks=callbacks, verbose=0)
    return [time.perf_counter() - started]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (after a warm-up)")
    parser.add_argument("--per-class", type=int, default=500, help="training images per class")
    arguments = parser.parse_args()
    from cnnviz.datasets.spec import DatasetSpec

    fashion = Path("/usr/share/datasets/fashion-mnist").is_dir()
    measure("fashion_cnn", DatasetSpec(source="fashion_mnist" if fashion else "shapes",
                                       max_per_class=arguments.per_class,
                                       shapes_per_class=arguments.per_class,
                                       image_size=(28, 28), channels=1), arguments.epochs)
    measure("resnet18", DatasetSpec(source="shapes", shapes_per_class=arguments.per_class // 2,
                                    image_size=(32, 32), channels=1), arguments.epochs)


if __name__ == "__main__":
    main()
