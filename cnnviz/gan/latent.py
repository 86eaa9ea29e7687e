"""The latent space of a GAN generator, in pure NumPy: the noise it draws from and the walks
between two points of it.

The sampler page draws latent vectors (with or without truncation) and walks between two of
them; the monitor grid of every epoch is drawn from one fixed batch. Nothing here knows Keras:
these are the latents (k, latent_dim) float32 that go into ``generate``.
"""

from __future__ import annotations

import numpy as np

_PARALLEL_SINE = 1e-6  # below this sine of the angle, slerp falls back to lerp
SLIDER_LIMIT = 3.0  # a latent slider spans [-3, 3]: a standard normal value lies outside 1 in 370


def latent_batch(seed: int, count: int, latent_dim: int,
                 truncation: float | None = None) -> np.ndarray:
    """``count`` standard normal latent vectors (count, latent_dim) float32; same seed, same batch.

    With ``truncation`` t, every value with |z| > t is drawn again until it lies inside
    [-t, t] (the "truncation trick"): the generator then only sees latents near the centre
    of its training distribution, trading variety for cleaner images. Values already inside
    are kept, so a truncated batch agrees with the untruncated one wherever |z| <= t.
    """
    if count < 0 or latent_dim < 1:
        raise ValueError(f"need count >= 0 and latent_dim >= 1, got {count} and {latent_dim}")
    if truncation is not None and not truncation > 0:
        raise ValueError(f"truncation must be positive or None, got {truncation}")
    generator = np.random.default_rng(seed)
    latents = generator.standard_normal((count, latent_dim))  # (count, latent_dim) float64
    if truncation is not None:
        outside = np.abs(latents) > truncation
        while outside.any():  # each round keeps a share of at least erf(t / sqrt 2) of the rest
            latents[outside] = generator.standard_normal(int(outside.sum()))
            outside = np.abs(latents) > truncation
    return latents.astype(np.float32)


def interpolate(start: np.ndarray, end: np.ndarray, steps: int,
                mode: str = "linear") -> np.ndarray:
    """``steps`` latents (steps, latent_dim) float32 from ``start`` to ``end``, both included
    exactly (as float32).

    "linear" moves along the straight line. "spherical" turns the direction along the great
    circle (slerp) while the length changes linearly: Gaussian latents of high dimension all
    have a length near sqrt(latent_dim), and the straight line between two of them passes
    through shorter vectors the generator rarely saw, which often gives washed-out middle
    images. Nearly parallel or opposite directions (or a zero vector) have no single great
    circle; there spherical falls back to linear.
    """
    if steps < 2:
        raise ValueError(f"an interpolation needs steps >= 2, got {steps}")
    if mode not in ("linear", "spherical"):
        raise ValueError(f"mode must be 'linear' or 'spherical', got {mode!r}")
    start = np.asarray(start, dtype=np.float32)
    end = np.asarray(end, dtype=np.float32)
    if start.ndim != 1 or start.shape != end.shape:
        raise ValueError(f"start and end must be vectors of one length, got shapes "
                         f"{start.shape} and {end.shape}")
    start64, end64 = start.astype(np.float64), end.astype(np.float64)
    fractions = np.linspace(0.0, 1.0, steps)[:, None]  # (steps, 1)
    path = (1 - fractions) * start64 + fractions * end64  # (steps, latent_dim)
    if mode == "spherical":
        path = _slerp(start64, end64, fractions, fallback=path)
    path = path.astype(np.float32)
    path[0], path[-1] = start, end
    return path


def _slerp(start: np.ndarray, end: np.ndarray, fractions: np.ndarray,
           fallback: np.ndarray) -> np.ndarray:
    """Great-circle direction times linearly changing length; ``fallback`` where undefined."""
    start_norm, end_norm = np.linalg.norm(start), np.linalg.norm(end)
    if start_norm == 0 or end_norm == 0:
        return fallback
    start_unit, end_unit = start / start_norm, end / end_norm
    angle = np.arccos(np.clip(start_unit @ end_unit, -1.0, 1.0))
    sine = np.sin(angle)
    if sine < _PARALLEL_SINE:
        return fallback
    directions = (np.sin((1 - fractions) * angle) * start_unit
                  + np.sin(fractions * angle) * end_unit) / sine  # (steps, latent_dim), unit
    lengths = (1 - fractions) * start_norm + fractions * end_norm  # (steps, 1)
    return directions * lengths


def slider_start(value: float, limit: float = SLIDER_LIMIT) -> float:
    """Where a latent slider starts for a drawn ``value``: rounded to hundredths and held inside
    [-limit, limit], since a slider refuses a start outside its range."""
    return float(np.clip(round(float(value), 2), -limit, limit))
