"""t-SNE benchmark: the Embedding page's map (openTSNE, our settings) against scikit-learn's
t-SNE on the same data, in seconds and in trustworthiness.

    python benchmarks/bench_tsne.py [--points 10000]

The data imitate a network's penultimate layer: 128 values per image, 10 clusters of different
spreads, ReLU-clipped to non-negative values; fixed seed. Both maps start from the same PCA to
50 dimensions: ``tsne_map`` computes it itself, so its time includes it, and the PCA time is
added to scikit-learn's. Trustworthiness (10 neighbours, on the same 2,000-point subset of both
maps) shows that speed was not bought with quality. Both are measured in this one run; the
load average is printed because the figures depend on what else holds the cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DIMENSIONS = 128
CLUSTERS = 10
SUBSET = 2_000
NEIGHBOURS = 10


def make_features(points: int, seed: int = 0) -> np.ndarray:
    """``points`` ReLU-like feature vectors in 10 clusters of different spreads."""
    generator = np.random.default_rng(seed)
    centres = generator.normal(0.0, 3.0, size=(CLUSTERS, DIMENSIONS))
    spreads = generator.uniform(0.5, 2.0, size=CLUSTERS)
    labels = generator.integers(0, CLUSTERS, size=points)
    noise = generator.normal(size=(points, DIMENSIONS)) * spreads[labels, None]
    return np.maximum(centres[labels] + noise, 0.0).astype(np.float32)


def timed(function: Callable[..., np.ndarray],
          *arguments: object) -> tuple[np.ndarray, float, float]:
    """``function(*arguments)`` with its wall-clock and CPU (all threads) seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*arguments)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=10_000)
    arguments = parser.parse_args()

    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE, trustworthiness

    from cnnviz.analysis.embedding import PCA_COMPONENTS, sample_rows, tsne_map

    features = make_features(arguments.points)
    print(f"data: {arguments.points} points x {DIMENSIONS} dims, {CLUSTERS} clusters; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")

    ours, ours_wall, ours_cpu = timed(tsne_map, features)
    reduced, pca_wall, pca_cpu = timed(
        lambda rows: PCA(n_components=PCA_COMPONENTS, random_state=0).fit_transform(rows),
        features)
    sklearn_tsne = TSNE(n_components=2, init="pca", random_state=0, n_jobs=-1)
    theirs, theirs_wall, theirs_cpu = timed(sklearn_tsne.fit_transform, reduced)
    theirs_wall += pca_wall
    theirs_cpu += pca_cpu

    subset = sample_rows(arguments.points, SUBSET)
    ours_trust = trustworthiness(features[subset], ours[subset], n_neighbors=NEIGHBOURS)
    theirs_trust = trustworthiness(features[subset], theirs[subset], n_neighbors=NEIGHBOURS)

    print(f"{'':34} {'wall s':>8} {'CPU s':>8} {'trustworthiness':>16}")
    print(f"{'tsne_map (PCA + openTSNE)':34} {ours_wall:8.2f} {ours_cpu:8.2f} {ours_trust:16.4f}")
    print(f"{'PCA + scikit-learn TSNE':34} {theirs_wall:8.2f} {theirs_cpu:8.2f} "
          f"{theirs_trust:16.4f}")
    print(f"{'scikit-learn / ours':34} {theirs_wall / ours_wall:7.1f}x "
          f"{theirs_cpu / ours_cpu:7.1f}x")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
