"""A finished (or running) GAN run's generator, ready to draw: the sampler page's only model.

The generator is saved after every epoch, so a running GAN can be sampled too; the page
re-reads it when the file changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from cnnviz import runs
from cnnviz.models.saved import load_saved_model
from cnnviz.errors import NoEvaluationError


@dataclass(frozen=True)
class Generator:
    """A generator network: noise (k, latent_dim) -> images (k, height, width, channels)."""

    model: keras.Model

    @property
    def latent_dim(self) -> int:
        return int(self.model.input_shape[-1])

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(int(side) for side in self.model.output_shape[1:])

    def generate(self, latents: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Images (k, height, width, channels) float32 in [0, 1] for latents (k, latent_dim)."""
        latents = np.asarray(latents, dtype=np.float32).reshape(-1, self.latent_dim)
        parts = [keras.ops.convert_to_numpy(self.model(latents[start:start + batch_size],
                                                       training=False))
                 for start in range(0, len(latents), batch_size)]
        return np.concatenate(parts).astype(np.float32)


def load_generator(run_id: str) -> Generator:
    """The latest ``generator.keras`` of a GAN run (safe mode: a run folder may come from
    elsewhere)."""
    path = runs.run_folder(run_id).generator
    if not path.exists():
        raise NoEvaluationError("error.generator.run_no_generator_yet", run_id=run_id)
    return Generator(load_saved_model(path))
