"""Training a DCGAN in the worker process: the same run folder, status, metric lines, stop and
resume as a classifier, plus a monitor that saves what the generator draws after every epoch.

Run folder of a GAN run, besides ``config.json``/``status.json``/``metrics.jsonl``:
    generator.keras, discriminator.keras   the latest weights (atomic writes)
    checkpoint.json                        the last finished epoch, to resume from
    samples/epoch_0001.png ...             a grid drawn from one fixed noise batch per epoch
    samples/noise.npy                      that noise batch, so the timeline is comparable
Both networks train with the configured optimiser and schedule (``training.compiling``).
Resuming restores both networks; the optimisers start afresh (their state is not saved).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.dataset import Dataset
from cnnviz.datasets.dropped import DroppedImages
from cnnviz.datasets.pipeline import make_tf_dataset
from cnnviz.gan.data import class_rows
from cnnviz.gan.networks import DCGAN, build_discriminator, build_generator
from cnnviz.gan.samples import monitor_noise, write_monitor
from cnnviz.models.saved import load_saved_model
from cnnviz.runs import RunConfig, RunFolder
from cnnviz.training.callbacks import DroppedImagesReporter, StopSignal, run_recorders, save_model
from cnnviz.training.compiling import compile_gan
from cnnviz.training.time_budget import run_time_budget


def gan_images(dataset: Dataset, class_name: str, batch_size: int, seed: int,
               dropped: DroppedImages | None = None) -> tuple[tf.data.Dataset, int]:
    """An endless stream of batches of training images in [0, 1] (all classes, or only
    ``class_name``), reshuffled at every pass, and how many batches make an epoch; images
    that fail to decode are recorded in ``dropped``."""
    count = len(class_rows(dataset, class_name))
    stream = make_tf_dataset(dataset, "train", batch_size, training=True, seed=seed,
                             dropped=dropped)
    if class_name:
        wanted = dataset.class_names.index(class_name)
        stream = (stream.unbatch().filter(lambda image, label: label == wanted)
                  .batch(batch_size))
    stream = stream.map(lambda images, *_: images / 255.0, num_parallel_calls=tf.data.AUTOTUNE)
    # Repeated, with the epoch length given to fit: a filtered stream has no known length.
    return stream.repeat().prefetch(2), max(1, math.ceil(count / batch_size))


class GanMonitor(keras.callbacks.Callback):
    """After every epoch: the monitor grid the generator draws from the fixed noise."""

    def __init__(self, run_dir: Path, noise: np.ndarray) -> None:
        super().__init__()
        self.run_dir = run_dir
        self.noise = noise  # (samples, latent_dim)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        gan: DCGAN = self.model
        images = keras.ops.convert_to_numpy(gan.generator(self.noise, training=False))
        write_monitor(self.run_dir, epoch + 1, images)


class GanCheckpoint(keras.callbacks.Callback):
    """After every epoch: both networks and the epoch, to sample from and to resume from."""

    def __init__(self, run_dir: Path) -> None:
        super().__init__()
        self.folder = RunFolder(run_dir)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        gan: DCGAN = self.model
        save_model(gan.generator, self.folder.generator)
        save_model(gan.discriminator, self.folder.discriminator)
        write_json_atomic(self.folder.checkpoint, {"epoch": epoch + 1})


def train_gan(run_dir: Path, config: RunConfig, dataset: Dataset, stop_signal: StopSignal,
              resume: bool, update: Callable[..., None], dropped: DroppedImages,
              report_dropped: Callable[[], dict]) -> dict:
    """Train (or resume) the GAN of ``config``; write ``metrics.json``; return a summary.

    Images that fail to decode go to ``dropped``; ``report_dropped`` writes them to the run
    after every epoch and returns the summary kept in ``metrics.json``."""
    training, spec, folder = config.training, config.model, RunFolder(run_dir)
    started = time.time()
    stream, steps_per_epoch = gan_images(dataset, spec.gan_class, training.batch_size,
                                         training.seed, dropped)
    checkpoint = read_json(folder.checkpoint) if resume else None
    if checkpoint and folder.generator.exists():
        generator = load_saved_model(folder.generator)
        discriminator = load_saved_model(folder.discriminator)
        initial_epoch = int(checkpoint["epoch"])
    else:
        generator = build_generator(spec, dataset.image_shape)
        discriminator = build_discriminator(dataset.image_shape)
        initial_epoch = 0
    gan = DCGAN(generator, discriminator, seed=training.seed)
    compile_gan(gan, training, steps_per_epoch)
    update(epochs_total=training.epochs, steps_per_epoch=steps_per_epoch, message=None,
           parameters=int(generator.count_params() + discriminator.count_params()))

    noise = monitor_noise(run_dir, training.seed, spec.latent_dim)
    stopper, recorders = run_recorders(run_dir, stop_signal,
                                       training.batches_between_lines(steps_per_epoch),
                                       training.batch_size, steps_per_epoch)
    callbacks = [*recorders, GanMonitor(run_dir, noise), GanCheckpoint(run_dir),
                 DroppedImagesReporter(report_dropped)]
    budget = run_time_budget(folder, training, initial_epoch, update)
    if budget is not None:
        callbacks.append(budget.start_phase(
            steps_per_epoch * training.epochs,
            training.learning_rate if training.cosine_follows_time else None,
            steps_per_epoch * initial_epoch))
    history = gan.fit(stream, epochs=training.epochs, initial_epoch=initial_epoch,
                      steps_per_epoch=steps_per_epoch, shuffle=False, callbacks=callbacks,
                      verbose=0)
    last = {name: float(values[-1]) for name, values in history.history.items() if values}
    epochs_done = read_json(folder.checkpoint, {}).get("epoch", 0)
    write_json_atomic(folder.final_metrics, {
        **last, "epochs_trained": epochs_done, "stopped_by_user": stopper.stopped_by_request,
        "stopped_by_time_budget": bool(budget and budget.ran_out),
        "seconds": time.time() - started, **report_dropped(),
    })
    return {"stopped_by_user": stopper.stopped_by_request, "best_epoch": None}
