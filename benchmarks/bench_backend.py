"""The worker's training step on the JAX backend with TensorFlow absent: the GPU check (issue 18).

    python benchmarks/bench_backend.py [--steps 60] [--epochs 2] [--networks preset fashion_cnn]

The GPU machines we can reach have JAX but no TensorFlow, so this script runs Keras on JAX and
refuses TensorFlow's import, as that machine would. It prints the device JAX trains on and, for
each network, the images per second of the worker's compiled train step (``compile_classifier``
with the Fashion-MNIST preset's settings, batch 128) in float32 and with mixed precision
(float16 on a GPU, bfloat16 elsewhere), the second as a ratio of the first, both measured in this
run. With ``--epochs`` above zero and Fashion-MNIST on this machine (Debian's package or a copy in
the data folder), it then trains the preset's network for that many epochs in each precision and
prints the test accuracies, so a precision that speeds training up but spoils it shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.without_tensorflow import refuse_tensorflow

if TYPE_CHECKING:
    import keras

    from cnnviz.models.spec import ModelSpec

BATCH_SIZE = 128
NETWORKS = ("preset", "fashion_cnn", "resnet18")


def device_description() -> str:
    """The devices JAX trains on, e.g. ``gpu: NVIDIA H100 80GB HBM3``."""
    import jax

    return ", ".join(f"{device.platform}: {device.device_kind}" for device in jax.devices())


def mixed_policy() -> str:
    """Keras' mixed policy for this device: float16 where a GPU has tensor cores for it,
    bfloat16 on a CPU (float16 arithmetic there is emulated and slow)."""
    import jax

    return "mixed_float16" if jax.default_backend() == "gpu" else "mixed_bfloat16"


def model_spec(network: str) -> ModelSpec:
    """The ModelSpec of ``network``: the Fashion-MNIST preset's builder network or a registry
    architecture."""
    from cnnviz.models.spec import ModelSpec
    from cnnviz.presets import FASHION_MNIST_BEST

    return FASHION_MNIST_BEST.model if network == "preset" else ModelSpec(architecture=network)


def compiled_model(network: str, policy: str, steps_per_epoch: int) -> keras.Model:
    """``network`` for 28x28 grey images and ten classes, compiled as the worker compiles the
    preset, under the dtype policy ``policy``."""
    import keras

    from cnnviz.models.build import build_model
    from cnnviz.presets import FASHION_MNIST_BEST
    from cnnviz.training.compiling import compile_classifier

    keras.mixed_precision.set_global_policy(policy)
    built = build_model(model_spec(network), (28, 28, 1), 10, seed=0)
    training = FASHION_MNIST_BEST.training
    compile_classifier(built.model, training, 10, built.outputs_logits, steps_per_epoch)
    return built.model


def throughput(network: str, policy: str, steps: int) -> float:
    """Images per second of ``steps`` training steps on random images, after one warm-up fit
    that compiles the step."""
    import numpy as np

    generator = np.random.default_rng(0)
    images = generator.uniform(0, 255, (steps * BATCH_SIZE, 28, 28, 1)).astype("float32")
    labels = generator.integers(0, 10, steps * BATCH_SIZE)
    model = compiled_model(network, policy, steps)
    model.fit(images[:BATCH_SIZE * 2], labels[:BATCH_SIZE * 2], batch_size=BATCH_SIZE,
              epochs=1, verbose=0)
    started = time.perf_counter()
    model.fit(images, labels, batch_size=BATCH_SIZE, epochs=1, verbose=0, shuffle=False)
    return len(images) / (time.perf_counter() - started)


def fashion_accuracy(policy: str, epochs: int) -> float | None:
    """Test accuracy of the preset's network after ``epochs`` epochs on Fashion-MNIST in
    ``policy``; None when Fashion-MNIST is not on this machine."""
    from cnnviz.datasets.builtin import has_local_fashion_mnist, read_fashion_mnist
    from cnnviz.datasets.raw import SPLIT_CODES
    from cnnviz.datasets.spec import DatasetSpec

    if not has_local_fashion_mnist():
        return None
    raw = read_fashion_mnist(DatasetSpec(source="fashion_mnist"))
    train = raw.given_split == SPLIT_CODES["train"]
    x_train, y_train = raw.arrays[train].astype("float32"), raw.labels[train]
    x_test, y_test = raw.arrays[~train].astype("float32"), raw.labels[~train]
    model = compiled_model("preset", policy, len(x_train) // BATCH_SIZE)
    model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=epochs, verbose=0)
    return float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0, return_dict=True)
                 ["accuracy"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60, help="timed training steps")
    parser.add_argument("--epochs", type=int, default=2,
                        help="epochs of Fashion-MNIST per precision (0: no accuracy check)")
    parser.add_argument("--networks", nargs="+", default=list(NETWORKS), choices=NETWORKS)
    arguments = parser.parse_args()
    os.environ["KERAS_BACKEND"] = "jax"
    refuse_tensorflow()

    import keras

    mixed = mixed_policy()
    print(f"backend {keras.backend.backend()}; TensorFlow loaded: {'tensorflow' in sys.modules}")
    print(f"device {device_description()}; mixed precision is {mixed}")
    print(f"{'network':<12} {'float32 img/s':>14} {mixed + ' img/s':>22} {'ratio':>6}")
    for network in arguments.networks:
        single = throughput(network, "float32", arguments.steps)
        half = throughput(network, mixed, arguments.steps)
        print(f"{network:<12} {single:>14,.0f} {half:>22,.0f} {half / single:>6.2f}", flush=True)
    if arguments.epochs > 0:
        for policy in ("float32", mixed):
            accuracy = fashion_accuracy(policy, arguments.epochs)
            if accuracy is None:
                print("Fashion-MNIST is not on this machine: no accuracy check")
                break
            print(f"preset, {arguments.epochs} epochs, {policy}: test accuracy {accuracy:.4f}",
                  flush=True)


if __name__ == "__main__":
    main()
