"""t-SNE maps of feature vectors: quality on known clusters, reproducibility, the disk cache,
placing new points onto a finished map, and the errors a student sees."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors

from cnnviz.analysis import embedding
from cnnviz.analysis.embedding import (
    map_sizes,
    start_size,
    EmbeddingInputError,
    cached_tsne_map,
    place_points,
    sample_rows,
    tsne_map,
)
from cnnviz.errors import CnnvizError

BLOB_COUNT = 4


@pytest.fixture(scope="module")
def blobs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """600 points of 64 dims in 4 well-separated Gaussian blobs: features, labels, centres."""
    features, labels, centres = make_blobs(n_samples=600, n_features=64, centers=BLOB_COUNT,
                                           cluster_std=1.0, random_state=0, return_centers=True)
    return features, labels, centres


@pytest.fixture(scope="module")
def blob_map(blobs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    return tsne_map(blobs[0])


@pytest.fixture(scope="module")
def new_blob_points(blobs) -> tuple[np.ndarray, np.ndarray]:
    """200 new points drawn from the same 4 blobs: features and labels."""
    return make_blobs(n_samples=200, centers=blobs[2], cluster_std=1.0, random_state=1)[:2]


@pytest.fixture(scope="module")
def placed(blobs, blob_map, new_blob_points) -> np.ndarray:
    return place_points(blobs[0], blob_map, new_blob_points[0])


def small_features(count: int = 60, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(count, 16)).astype(np.float32)


def test_map_has_one_float32_point_per_row(blobs, blob_map) -> None:
    assert blob_map.shape == (600, 2)
    assert blob_map.dtype == np.float32
    assert np.isfinite(blob_map).all()


def test_same_seed_gives_the_same_map_and_another_seed_another() -> None:
    features = make_blobs(n_samples=100, n_features=64, centers=3, random_state=1)[0]
    first = tsne_map(features, seed=3)
    np.testing.assert_array_equal(tsne_map(features, seed=3), first)
    assert not np.allclose(tsne_map(features, seed=4), first)


def test_map_keeps_neighbourhoods_and_separates_the_blobs(blobs, blob_map) -> None:
    features, labels, _ = blobs
    assert trustworthiness(features, blob_map, n_neighbors=10) > 0.9
    # Leave-one-out 1-NN on the map: the nearest other point must carry the same blob label.
    _, nearest = NearestNeighbors(n_neighbors=2).fit(blob_map).kneighbors(blob_map)
    assert np.mean(labels[nearest[:, 1]] == labels) > 0.95


@pytest.mark.parametrize("count", [5, 20])
def test_perplexity_is_lowered_for_few_points_without_warnings(
    count: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        coordinates = tsne_map(small_features(count), perplexity=30.0)
    assert coordinates.shape == (count, 2) and np.isfinite(coordinates).all()
    assert [record.getMessage() for record in caplog.records] == []


@pytest.mark.parametrize("features", [
    small_features(3),
    np.array([[1.0, 2.0], [np.nan, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 2.0]]),
    np.ones((10, 4)) * np.array([1.0, 1.0, np.inf, 1.0]),
    np.arange(10.0),
    np.zeros((10, 0)),
    np.array([["a", "b"]] * 10),
], ids=["three points", "nan", "infinity", "one dimension", "no columns", "text"])
def test_unusable_features_raise_a_typed_error(features: np.ndarray) -> None:
    with pytest.raises(EmbeddingInputError):
        tsne_map(features)


def test_the_typed_error_is_one_pages_catch() -> None:
    assert issubclass(EmbeddingInputError, CnnvizError)


def test_non_positive_perplexity_is_refused() -> None:
    with pytest.raises(EmbeddingInputError, match="perplexity"):
        tsne_map(small_features(), perplexity=0)


def test_cache_returns_the_stored_map_without_recomputing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "maps" / "features.npz"
    features = small_features()
    first = cached_tsne_map(cache_file, features, seed=1)
    assert cache_file.exists()
    assert [path.name for path in cache_file.parent.iterdir()] == ["features.npz"]

    def must_not_run(*arguments, **keywords):
        raise AssertionError("the map was recomputed")

    monkeypatch.setattr(embedding, "tsne_map", must_not_run)
    second = cached_tsne_map(cache_file, features.copy(), seed=1)
    np.testing.assert_array_equal(second, first)
    assert second.dtype == np.float32


@pytest.mark.parametrize("change", ["features", "seed", "perplexity"])
def test_cache_recomputes_when_an_input_changes(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "map.npz"
    features = small_features()
    cached_tsne_map(cache_file, features, seed=1, perplexity=10.0)
    calls = []

    def counting_tsne_map(*arguments, **keywords):
        calls.append(arguments)
        return np.zeros((len(arguments[0]), 2), dtype=np.float32)

    monkeypatch.setattr(embedding, "tsne_map", counting_tsne_map)
    changed = {"features": features, "seed": 1, "perplexity": 10.0}
    changed[change] = {"features": features + 1e-3, "seed": 2, "perplexity": 12.0}[change]
    result = cached_tsne_map(cache_file, **changed)
    assert len(calls) == 1
    np.testing.assert_array_equal(result, np.zeros((60, 2)))
    # The new map replaced the old one: asking again reads it back.
    np.testing.assert_array_equal(cached_tsne_map(cache_file, **changed), np.zeros((60, 2)))
    assert len(calls) == 1


def test_a_damaged_cache_file_is_recomputed(tmp_path: Path) -> None:
    cache_file = tmp_path / "map.npz"
    cache_file.write_bytes(b"PK\x03\x04 not really a zip")
    coordinates = cached_tsne_map(cache_file, small_features())
    assert coordinates.shape == (60, 2)
    np.testing.assert_array_equal(cached_tsne_map(cache_file, small_features()), coordinates)


def nearest_blob(placed: np.ndarray, blob_map: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For each placed point, the blob whose centroid on the map is nearest."""
    centroids = np.stack([blob_map[labels == blob].mean(axis=0) for blob in range(BLOB_COUNT)])
    return np.linalg.norm(placed[:, None, :] - centroids[None, :, :], axis=2).argmin(axis=1)


def test_new_points_land_in_their_own_blob(blobs, blob_map, new_blob_points, placed) -> None:
    assert placed.shape == (200, 2) and placed.dtype == np.float32
    assert np.mean(nearest_blob(placed, blob_map, blobs[1]) == new_blob_points[1]) > 0.9


def test_points_of_a_single_blob_are_projected_with_the_reference_pca(blobs, blob_map) -> None:
    # A PCA fitted on these points alone would span within-blob noise, not the map's space.
    features, labels, centres = blobs
    new_features = make_blobs(n_samples=30, centers=centres[[2]], random_state=3)[0]
    placed = place_points(features, blob_map, new_features)
    assert np.mean(nearest_blob(placed, blob_map, labels) == 2) > 0.9


def test_placed_points_follow_the_reference_map_where_it_lies(
    blobs, blob_map, new_blob_points, placed
) -> None:
    offset = np.array([100.0, -50.0], dtype=np.float32)
    shifted = place_points(blobs[0], blob_map + offset, new_blob_points[0])
    np.testing.assert_allclose(shifted, placed + offset, atol=1e-2)


def test_place_points_refuses_features_from_another_layer(blobs, blob_map) -> None:
    with pytest.raises(EmbeddingInputError, match="same layer"):
        place_points(blobs[0], blob_map, np.zeros((3, 10)))


def test_place_points_refuses_a_map_of_other_points(blobs, blob_map) -> None:
    with pytest.raises(EmbeddingInputError, match="reference map"):
        place_points(blobs[0], blob_map[:-1], blobs[0][:3])


def test_sample_rows_keeps_every_row_up_to_the_limit() -> None:
    np.testing.assert_array_equal(sample_rows(7, limit=7), np.arange(7))
    np.testing.assert_array_equal(sample_rows(0), np.arange(0))


def test_sample_rows_draws_a_sorted_seeded_subset_beyond_the_limit() -> None:
    rows = sample_rows(50_000, limit=1_000, seed=5)
    assert len(rows) == 1_000 and len(np.unique(rows)) == 1_000
    assert np.all(np.diff(rows) > 0) and rows[0] >= 0 and rows[-1] < 50_000
    np.testing.assert_array_equal(sample_rows(50_000, limit=1_000, seed=5), rows)
    assert not np.array_equal(sample_rows(50_000, limit=1_000, seed=6), rows)
    assert len(sample_rows(embedding.MAX_POINTS + 1)) == embedding.MAX_POINTS


def test_the_map_offers_point_counts_below_the_embedded_images_and_starts_near_2000() -> None:
    assert map_sizes(3000) == [500, 1000, 2000, 3000]
    assert map_sizes(400) == [400]
    assert start_size(map_sizes(3000)) == 2000
    assert start_size([500, 1000, 1200]) == 1200
