"""The files of one run folder: the contract between the worker that writes them and every page,
command and export that reads them, so each name is spelled here and nowhere else.

    config.json          specs, versions, owner (written once, when the run is created)
    status.json          state, pid, heartbeat, progress, why it ended
    metrics.jsonl        one line per logged batch and per epoch, appended while training
    metrics.json         the final test metrics (classifier) or the last losses (GAN)
    model.keras          a classifier's best weights; checkpoint.keras its latest, to resume
    checkpoint.json      the last finished epoch (and best value) to resume from
    evaluation.npz       test labels, probabilities, embeddings, sample indices
    dropped.json         images a streamed split could not decode
    stop.request         present while a stop is asked for
    worker.log           the worker process's output
    probes/              probes.npz and epoch-NNN.npz: maps recorded after every epoch
    generator.keras, discriminator.keras   a GAN's latest networks
    samples/             a GAN's noise.npy and epoch_NNNN.png monitor grids
Caches the pages write, rebuilt when missing:
    tsne-features-N.npz, tsne-pixels-N.npz   t-SNE maps of N test images
    features-<layer>.npz                     the feature visualisations of one layer
    exports/<model stamp>/                   models converted for download
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunFolder:
    """One run's folder; each property is the path of one of its files."""

    path: Path

    CONFIG = "config.json"
    STATUS = "status.json"
    METRICS_LOG = "metrics.jsonl"
    FINAL_METRICS = "metrics.json"
    MODEL = "model.keras"
    CHECKPOINT_MODEL = "checkpoint.keras"
    CHECKPOINT = "checkpoint.json"
    EVALUATION = "evaluation.npz"
    DROPPED_IMAGES = "dropped.json"
    STOP_REQUEST = "stop.request"
    WORKER_LOG = "worker.log"
    PROBES = "probes"
    PROBE_SET = "probes.npz"
    GENERATOR = "generator.keras"
    DISCRIMINATOR = "discriminator.keras"
    SAMPLES = "samples"
    SAMPLE_NOISE = "noise.npy"
    EXPORTS = "exports"
    # The epoch files inside probes/ and samples/, and their numbers read back from a name.
    PROBE_EPOCH = re.compile(r"epoch-(\d{3,})\.npz")
    SAMPLE_GRID = re.compile(r"epoch_(\d{4,})\.png")

    @property
    def run_id(self) -> str:
        return self.path.name

    def is_run(self) -> bool:
        """Whether the folder holds a run (its ``config.json`` is written first)."""
        return self.config.is_file()

    @property
    def config(self) -> Path:
        return self.path / self.CONFIG

    @property
    def status(self) -> Path:
        return self.path / self.STATUS

    @property
    def metrics_log(self) -> Path:
        return self.path / self.METRICS_LOG

    @property
    def final_metrics(self) -> Path:
        return self.path / self.FINAL_METRICS

    @property
    def model(self) -> Path:
        return self.path / self.MODEL

    @property
    def checkpoint_model(self) -> Path:
        return self.path / self.CHECKPOINT_MODEL

    @property
    def checkpoint(self) -> Path:
        return self.path / self.CHECKPOINT

    @property
    def evaluation(self) -> Path:
        return self.path / self.EVALUATION

    @property
    def dropped_images(self) -> Path:
        return self.path / self.DROPPED_IMAGES

    @property
    def stop_request(self) -> Path:
        return self.path / self.STOP_REQUEST

    @property
    def worker_log(self) -> Path:
        return self.path / self.WORKER_LOG

    @property
    def probes(self) -> Path:
        return self.path / self.PROBES

    @property
    def probe_set(self) -> Path:
        return self.probes / self.PROBE_SET

    def probe_epoch(self, epoch: int) -> Path:
        """The maps recorded after ``epoch`` (0: the untrained network)."""
        return self.probes / f"epoch-{epoch:03d}.npz"

    @property
    def generator(self) -> Path:
        return self.path / self.GENERATOR

    @property
    def discriminator(self) -> Path:
        return self.path / self.DISCRIMINATOR

    @property
    def samples(self) -> Path:
        return self.path / self.SAMPLES

    @property
    def sample_noise(self) -> Path:
        """The fixed noise batch every monitor grid is drawn from."""
        return self.samples / self.SAMPLE_NOISE

    def sample_grid(self, epoch: int) -> Path:
        """The monitor grid the generator drew after ``epoch``."""
        return self.samples / f"epoch_{epoch:04d}.png"

    def feature_map(self, count: int) -> Path:
        """The t-SNE map of ``count`` test images' learned features."""
        return self.path / f"tsne-features-{count}.npz"

    def pixel_map(self, count: int) -> Path:
        """The t-SNE map of ``count`` test images' raw pixels."""
        return self.path / f"tsne-pixels-{count}.npz"

    def feature_pictures(self, layer: str) -> Path:
        """The feature visualisations of ``layer`` (the caller checks that the name is safe)."""
        return self.path / f"features-{layer}.npz"

    @property
    def exports(self) -> Path:
        return self.path / self.EXPORTS
