"""t-SNE maps of a network's feature vectors, for the Embedding page.

A student looks at where images fall on a 2-D map of the penultimate layer: do the classes form
islands, which images sit in the wrong island? The map must appear in seconds for up to
:data:`MAX_POINTS` images on a 2-core machine, come out the same every time it is reopened
(same seed, cached on disk), and let new images (the test set, an upload) be placed onto an
existing map without moving the points the student has already studied.

openTSNE is used rather than scikit-learn because its FFT-accelerated gradient is several times
faster at 10,000 points and because it can add points to a finished map (``transform``).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnnviz.atomic import write_with_atomic
from cnnviz.errors import EmbeddingInputError

MAX_POINTS = 10_000  # larger sets are sampled (sample_rows): the map then takes seconds
MIN_POINTS = 5  # below this, neighbourhoods (what t-SNE preserves) do not exist
# The map's point counts offered, and the one it starts with.
MAP_SIZES = (500, 1000, 2000, 5000, 10_000)
START_POINTS = 2000
PCA_COMPONENTS = 50  # the usual t-SNE preprocessing: drops noise, speeds up neighbour search

# Thresholds measured on the 2-core development machine while a training run shared the cores.
# Barnes-Hut costs grow with the points, the FFT gradient costs a fixed grid (one thread:
# 1,000 points BH 1.9 s / FFT 4.3 s, 3,000 points 6.4 s / 6.1 s, 4,000 points 9.8 s / 6.9 s).
FFT_FROM = 3_000
# Threads: one core is always left to the app and to any training run. Each iteration waits at
# a thread barrier, so a thread whose core is taken stalls all: with training running, 10,000
# points took 11 s on one thread and 18 s on two (interleaved runs). Small maps gain little
# from threads and lose most to a stall (600 points: 1.4 s on one thread, 6.5 s on two).
THREADS_FROM = 5_000

# Half of openTSNE's default 250 + 500 iterations: with its learning rate (n / exaggeration)
# the map has converged by then, and it keeps 10,000 points well under 20 s on 2 cores.
# Two FFT grid intervals per map unit halve the grid of wide maps. Neither changes the maps'
# trustworthiness (benchmarks/bench_tsne.py measures it against scikit-learn).
ITERATION_SETTINGS = {"early_exaggeration_iter": 125, "n_iter": 250}
FFT_SETTINGS = {"ints_in_interval": 2}


def tsne_map(features: np.ndarray, seed: int = 0, perplexity: float = 30.0) -> np.ndarray:
    """2-D t-SNE coordinates, shape (n, 2) float32, of the rows of ``features`` (n, dims).

    The same features, seed and perplexity give the same map, so a reopened page shows the
    picture the student saw before. Perplexity is lowered for small sets, where it must stay
    below a third of the points.
    """
    from openTSNE import TSNE

    checked = _checked_features(features, "features", MIN_POINTS)
    reduced = _fit_reduction(checked, seed)(checked)
    tsne = TSNE(
        perplexity=_usable_perplexity(perplexity, len(checked)),
        initialization="pca",
        neighbors=_neighbor_method(len(checked)),
        random_state=seed,
        **_gradient_settings(len(checked)),
        **ITERATION_SETTINGS,
    )
    return np.asarray(tsne.fit(reduced), dtype=np.float32)


def place_points(
    reference_features: np.ndarray,
    reference_map: np.ndarray,
    new_features: np.ndarray,
    seed: int = 0,
    perplexity: float = 30.0,
) -> np.ndarray:
    """Coordinates, shape (m, 2) float32, of ``new_features`` on a finished map.

    ``reference_map`` is the map of ``reference_features`` (e.g. from :func:`tsne_map` with the
    same seed and perplexity); its points do not move, so the student keeps their bearings.
    Each new point is optimised against the reference points only, after the reference PCA
    projects it into the same reduced space the map was built from.
    """
    from openTSNE import TSNEEmbedding
    from openTSNE.affinity import PerplexityBasedNN

    reference = _checked_features(reference_features, "reference_features", MIN_POINTS)
    coordinates = _checked_map(reference_map, len(reference))
    new = _checked_features(new_features, "new_features", 1)
    if new.shape[1] != reference.shape[1]:
        raise EmbeddingInputError(
            "error.embedding.new_feature_vectors_values", new_size=new.shape[1],
            mapped_size=reference.shape[1])
    project = _fit_reduction(reference, seed)
    affinities = PerplexityBasedNN(
        project(reference),
        perplexity=_usable_perplexity(perplexity, len(reference)),
        method=_neighbor_method(len(reference)),
        n_jobs=_threads(len(reference)),
        random_state=seed,
    )
    embedding = TSNEEmbedding(
        coordinates, affinities, random_state=seed, **_gradient_settings(len(reference))
    )
    # transform() centres the reference map before placing points; shift them back onto it.
    centre = (coordinates.max(axis=0) + coordinates.min(axis=0)) / 2
    placed = np.asarray(embedding.transform(project(new))) + centre
    return placed.astype(np.float32)


def cached_tsne_map(
    cache_file: Path, features: np.ndarray, seed: int = 0, perplexity: float = 30.0
) -> np.ndarray:
    """:func:`tsne_map` of ``features``, read from ``cache_file`` (.npz) when it is up to date.

    The file stores a fingerprint of the inputs and settings, so reopening the page is instant
    while any change of features, seed, perplexity or t-SNE settings recomputes the map. The
    file is replaced atomically: another page reading it sees the old map or the new one.
    """
    fingerprint = _fingerprint(_checked_features(features, "features", MIN_POINTS), seed,
                               perplexity)
    stored = _read_cached_map(cache_file, fingerprint)
    if stored is not None:
        return stored
    coordinates = tsne_map(features, seed=seed, perplexity=perplexity)
    write_with_atomic(cache_file, lambda temporary: _write_map(temporary, coordinates,
                                                               fingerprint))
    return coordinates


def sample_rows(count: int, limit: int = MAX_POINTS, seed: int = 0) -> np.ndarray:
    """Sorted indices of at most ``limit`` of ``count`` rows: all of them, or a seeded sample.

    Sorted so that the sampled rows keep the order of the data set (and of any labels aligned
    with it); seeded so that the same images are mapped every time.
    """
    if count <= limit:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, size=limit, replace=False))


def _checked_features(features: np.ndarray, name: str, minimum_rows: int) -> np.ndarray:
    """``features`` as a float32 table, or an error a student can act on.

    float32 because networks produce it (no copy of up to 10,000 x 3,072 pixel values) and
    t-SNE needs no more precision.
    """
    try:
        table = np.asarray(features, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise EmbeddingInputError("error.embedding.must_hold_numbers_only", name=name) from error
    if table.ndim != 2 or table.shape[1] == 0:
        raise EmbeddingInputError(
            "error.embedding.must_table_feature_vector", name=name, shape=table.shape)
    if len(table) < minimum_rows:
        raise EmbeddingInputError(
            "error.embedding.map_needs_least_images", minimum_rows=minimum_rows, name=name,
            rows=len(table))
    if not np.isfinite(table).all():
        raise EmbeddingInputError("error.embedding.contain_nan_infinite_values", name=name)
    return table


def _checked_map(reference_map: np.ndarray, rows: int) -> np.ndarray:
    """``reference_map`` as float64 (rows, 2) coordinates, or an error."""
    coordinates = np.asarray(reference_map, dtype=np.float64)
    if coordinates.shape != (rows, 2) or not np.isfinite(coordinates).all():
        raise EmbeddingInputError(
            "error.embedding.reference_map_must_hold", rows=rows, shape=coordinates.shape)
    return coordinates


def _fit_reduction(features: np.ndarray, seed: int) -> Callable[[np.ndarray], np.ndarray]:
    """A projection onto at most 50 principal components of ``features``.

    Returned as a function so that :func:`place_points` projects new rows with the PCA of the
    reference rows: the map lives in that space, a PCA refitted on new rows would not match.
    """
    if features.shape[1] <= PCA_COMPONENTS:
        return np.asarray
    from sklearn.decomposition import PCA

    components = min(PCA_COMPONENTS, len(features))
    return PCA(n_components=components, random_state=seed).fit(features).transform


def _usable_perplexity(perplexity: float, count: int) -> float:
    """``perplexity`` lowered to what ``count`` points allow: openTSNE needs 3 x perplexity
    <= n - 1 and otherwise lowers it itself, with a warning in the log."""
    if not perplexity > 0:
        raise EmbeddingInputError(
            "error.embedding.perplexity_must_positive_got", perplexity=perplexity)
    return min(float(perplexity), (count - 1) / 3)


def _neighbor_method(count: int) -> str:
    """Exact neighbours up to MAX_POINTS: there they are both exact and faster than building an
    Annoy index (about 1 s against 6 s for 10,000 x 50 on 2 cores); Annoy beyond."""
    return "exact" if count <= MAX_POINTS else "annoy"


def _gradient_settings(count: int) -> dict[str, object]:
    """Gradient method and threads for a map of ``count`` points (see FFT_FROM)."""
    if count < FFT_FROM:
        return {"negative_gradient_method": "bh", "n_jobs": _threads(count)}
    return {"negative_gradient_method": "fft", "n_jobs": _threads(count), **FFT_SETTINGS}


def _threads(count: int) -> int:
    """One thread for small maps, all cores but one for large ones (see THREADS_FROM)."""
    return 1 if count < THREADS_FROM else max(1, (os.cpu_count() or 1) - 1)


def _fingerprint(features: np.ndarray, seed: int, perplexity: float) -> str:
    """SHA-1 of everything the map depends on, settings included, so changing them recomputes."""
    digest = hashlib.sha1(np.ascontiguousarray(features).tobytes())
    digest.update(repr((features.shape, seed, float(perplexity), FFT_FROM, FFT_SETTINGS,
                        ITERATION_SETTINGS)).encode())
    return digest.hexdigest()


def _read_cached_map(cache_file: Path, fingerprint: str) -> np.ndarray | None:
    """The map stored in ``cache_file`` if it was made from the same fingerprint, else None.

    A missing, damaged or foreign file is not an error: the map is just computed again.
    """
    try:
        with np.load(cache_file, allow_pickle=False) as stored:
            if str(stored["fingerprint"]) == fingerprint:
                return stored["map"].astype(np.float32)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return None


def _write_map(path: Path, coordinates: np.ndarray, fingerprint: str) -> None:
    # Through a handle: given a path, numpy appends ".npz" when the suffix differs.
    with open(path, "wb") as handle:
        np.savez(handle, map=coordinates, fingerprint=np.array(fingerprint))


def map_sizes(available: int, sizes: tuple[int, ...] = MAP_SIZES) -> list[int]:
    """The point counts offered for ``available`` embedded images: those below it, then all."""
    return [size for size in sizes if size < available] + [available]


def start_size(sizes: list[int], target: int = START_POINTS) -> int:
    """The offered count nearest to ``target`` (the first of two as near)."""
    return min(sizes, key=lambda size: abs(size - target))
