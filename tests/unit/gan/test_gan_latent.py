"""The latent-space tools of the GAN sampler: latent batches and truncation, interpolation,
image grids, nearest real images, diversity against the real data and class balance."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.gan import checks
from cnnviz.gan.checks import (class_balance, class_balance_distance, diversity,
                               diversity_report, nearest_images)
from cnnviz.gan.latent import SLIDER_LIMIT, interpolate, latent_batch, slider_start
from cnnviz.gan.samples import SEPARATOR_LEVEL, image_grid, square_columns


def random_images(count: int, seed: int, shape: tuple[int, int, int] = (8, 8, 1)) -> np.ndarray:
    return np.random.default_rng(seed).random((count, *shape), dtype=np.float32)


def brute_force_nearest(samples: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (k, n, pixels) computation nearest_images avoids."""
    differences = (samples.reshape(len(samples), 1, -1).astype(np.float64)
                   - real.reshape(1, len(real), -1))
    distances = np.sqrt(np.mean(differences ** 2, axis=2))  # (k, n)
    indices = distances.argmin(axis=1)
    return indices, distances[np.arange(len(samples)), indices]


# --- latent batches -----------------------------------------------------------------------------

def test_a_latent_batch_is_float32_standard_normal_and_repeats_with_its_seed() -> None:
    batch = latent_batch(seed=3, count=500, latent_dim=64)
    assert batch.shape == (500, 64) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch, latent_batch(seed=3, count=500, latent_dim=64))
    assert not np.array_equal(batch, latent_batch(seed=4, count=500, latent_dim=64))
    assert abs(batch.mean()) < 0.02 and abs(batch.std() - 1) < 0.02


@pytest.mark.parametrize("truncation", [0.1, 0.5, 2.0])
def test_truncation_bounds_the_values_and_keeps_those_already_inside(truncation) -> None:
    plain = latent_batch(seed=7, count=200, latent_dim=64)
    truncated = latent_batch(seed=7, count=200, latent_dim=64, truncation=truncation)
    assert truncated.dtype == np.float32
    assert np.abs(truncated).max() <= truncation
    np.testing.assert_array_equal(truncated, latent_batch(7, 200, 64, truncation=truncation))
    inside = np.abs(plain) <= truncation
    np.testing.assert_array_equal(truncated[inside], plain[inside])
    assert not np.array_equal(truncated, plain)  # some values were drawn again
    # the redrawn values are drawn again, not clipped: few lie in the outer tenth
    assert np.mean(np.abs(truncated) > 0.9 * truncation) < 0.15


@pytest.mark.parametrize("arguments", [
    dict(seed=0, count=-1, latent_dim=4), dict(seed=0, count=2, latent_dim=0),
    dict(seed=0, count=2, latent_dim=4, truncation=0.0),
    dict(seed=0, count=2, latent_dim=4, truncation=-1.0),
])
def test_bad_latent_batch_arguments_are_refused(arguments) -> None:
    with pytest.raises(ValueError):
        latent_batch(**arguments)


# --- interpolation ------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["linear", "spherical"])
def test_interpolation_starts_and_ends_exactly_at_its_end_points(mode) -> None:
    start, end = latent_batch(seed=1, count=2, latent_dim=64)
    path = interpolate(start, end, steps=9, mode=mode)
    assert path.shape == (9, 64) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], start)
    np.testing.assert_array_equal(path[-1], end)


def test_linear_interpolation_is_evenly_spaced_with_the_mean_in_the_middle() -> None:
    start, end = latent_batch(seed=2, count=2, latent_dim=16)
    path = interpolate(start, end, steps=5)
    np.testing.assert_allclose(path[2], (start + end) / 2, rtol=1e-6, atol=1e-7)
    steps = np.diff(path, axis=0)  # (4, 16)
    np.testing.assert_allclose(steps, np.broadcast_to((end - start) / 4, steps.shape),
                               atol=1e-6)


def test_spherical_interpolation_stays_on_the_sphere_of_equal_norm_ends() -> None:
    start, end = latent_batch(seed=5, count=2, latent_dim=64)
    end = end * (np.linalg.norm(start) / np.linalg.norm(end))
    radius = np.linalg.norm(start)
    path = interpolate(start, end, steps=11, mode="spherical")
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), radius, rtol=1e-5)
    # while the straight line cuts through the inside of the sphere
    assert np.linalg.norm(interpolate(start, end, steps=11)[5]) < 0.9 * radius
    # and it turns by equal angles
    cosines = np.sum(path[:-1] * path[1:], axis=1) / radius ** 2
    np.testing.assert_allclose(cosines, cosines[0], rtol=1e-5)


def test_spherical_interpolation_keeps_the_norm_between_unequal_end_norms() -> None:
    start, end = latent_batch(seed=6, count=2, latent_dim=64)
    end = 3 * end
    norms = np.linalg.norm(interpolate(start, end, steps=21, mode="spherical"), axis=1)
    low, high = sorted([np.linalg.norm(start), np.linalg.norm(end)])
    assert np.all(norms >= low * (1 - 1e-6)) and np.all(norms <= high * (1 + 1e-6))
    # the length changes evenly from one end to the other
    np.testing.assert_allclose(norms, np.linspace(norms[0], norms[-1], 21), rtol=1e-5)


@pytest.mark.parametrize("scale", [2.0, -1.0, 0.0])
def test_spherical_interpolation_falls_back_to_linear_without_a_great_circle(scale) -> None:
    start = np.array([1.0, 2.0, -0.5], dtype=np.float32)
    end = (scale * start).astype(np.float32)  # parallel, opposite, or the zero vector
    spherical = interpolate(start, end, steps=6, mode="spherical")
    assert np.isfinite(spherical).all()
    np.testing.assert_allclose(spherical, interpolate(start, end, steps=6), atol=1e-6)


@pytest.mark.parametrize("arguments", [
    dict(steps=1), dict(steps=0), dict(steps=5, mode="cubic"),
])
def test_bad_interpolation_arguments_are_refused(arguments) -> None:
    with pytest.raises(ValueError):
        interpolate(np.zeros(4), np.ones(4), **arguments)


def test_interpolation_refuses_end_points_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        interpolate(np.zeros(4), np.ones(5), steps=3)


@pytest.mark.parametrize("value, start", [(0.123, 0.12), (-1.005, -1.0), (2.996, 3.0),
                                          (3.7, SLIDER_LIMIT), (-4.2, -SLIDER_LIMIT)])
def test_a_latent_slider_starts_at_the_value_rounded_and_inside_its_range(value, start) -> None:
    assert slider_start(np.float32(value)) == pytest.approx(start)
    assert isinstance(slider_start(np.float32(value)), float)


def test_a_drawn_latent_vector_starts_its_sliders_inside_the_range() -> None:
    latent = latent_batch(seed=3, count=1, latent_dim=5000)[0]
    starts = [slider_start(value) for value in latent]
    assert max(abs(start) for start in starts) == SLIDER_LIMIT  # some draws lie beyond 3
    assert all(abs(start - value) <= 0.005 + 1e-6 for start, value in zip(starts, latent)
               if abs(value) < SLIDER_LIMIT)


# --- image grid ---------------------------------------------------------------------------------

@pytest.mark.parametrize("count, columns", [(1, 1), (16, 4), (36, 6), (64, 8), (10, 3)])
def test_a_sampler_grid_is_as_square_as_its_count_allows(count: int, columns: int) -> None:
    assert square_columns(count) == columns


def test_a_grid_of_no_images_has_no_columns_to_choose() -> None:
    with pytest.raises(ValueError):
        square_columns(0)


def test_the_grid_places_each_image_in_its_cell_between_light_separators() -> None:
    images = np.stack([np.full((3, 4, 1), level / 10) for level in range(5)])  # (5, 3, 4, 1)
    grid = image_grid(images, columns=3)
    assert grid.dtype == np.uint8
    assert grid.shape == (2 * 3 + 1, 3 * 4 + 2, 1)
    for index in range(5):
        row, column = divmod(index, 3)
        cell = grid[row * 4:row * 4 + 3, column * 5:column * 5 + 4]
        assert np.all(cell == round(index / 10 * 255)), index
    assert np.all(grid[3, :, 0] == SEPARATOR_LEVEL)  # the line between the two rows
    assert np.all(grid[:, 4, 0] == SEPARATOR_LEVEL)  # and between the first two columns
    assert np.all(grid[4:, 10:, 0] == SEPARATOR_LEVEL)  # the empty sixth cell


def test_the_grid_keeps_colour_and_pixel_detail_and_clips() -> None:
    images = random_images(64, seed=0, shape=(5, 6, 3))
    images[0, 0, 0] = [-0.5, 1.5, 0.5]
    grid = image_grid(images, columns=8, gap=2)
    assert grid.shape == (8 * 5 + 7 * 2, 8 * 6 + 7 * 2, 3)
    expected = np.rint(np.clip(images[11], 0, 1) * 255).astype(np.uint8)  # row 1, column 3
    np.testing.assert_array_equal(grid[7:12, 24:30], expected)
    np.testing.assert_array_equal(grid[0, 0], [0, 255, 128])


def test_a_grid_without_gaps_is_the_images_side_by_side() -> None:
    images = random_images(2, seed=1, shape=(3, 3, 1))
    grid = image_grid(images, columns=2, gap=0)
    np.testing.assert_array_equal(grid, np.rint(np.concatenate(list(images), axis=1) * 255))


@pytest.mark.parametrize("images, columns, gap", [
    (np.zeros((0, 3, 3, 1)), 2, 1), (np.zeros((3, 3, 1)), 2, 1), (np.zeros((2, 3, 3, 1)), 0, 1),
    (np.zeros((2, 3, 3, 1)), 2, -1), (np.full((2, 3, 3, 1), np.nan), 2, 1),
])
def test_bad_grid_arguments_are_refused(images, columns, gap) -> None:
    with pytest.raises(ValueError):
        image_grid(images, columns, gap)


# --- nearest real images ------------------------------------------------------------------------

@pytest.mark.parametrize("chunk", [1, 7, 2048])
def test_nearest_images_match_a_brute_force_search(chunk) -> None:
    samples = random_images(23, seed=10, shape=(6, 5, 2))
    real = random_images(101, seed=11, shape=(6, 5, 2))
    indices, distances = nearest_images(samples, real, chunk=chunk)
    expected_indices, expected_distances = brute_force_nearest(samples, real)
    assert indices.shape == (23,) and distances.shape == (23,)
    np.testing.assert_array_equal(indices, expected_indices)
    np.testing.assert_allclose(distances, expected_distances, rtol=1e-12)


def test_a_copied_training_image_is_found_at_distance_zero() -> None:
    real = random_images(500, seed=12, shape=(28, 28, 1))
    samples = random_images(20, seed=13, shape=(28, 28, 1))
    samples[4] = real[321]
    real[400] = real[321]  # a duplicate in a later chunk: the first index wins, as in argmin
    samples[9] = np.clip(real[42] + 0.001, 0, 1)  # nearly a copy
    indices, distances = nearest_images(samples, real, chunk=64)
    assert indices[4] == 321 and distances[4] == 0.0
    assert indices[9] == 42 and distances[9] < 0.001 + 1e-7
    assert np.all(np.delete(distances, [4, 9]) > 0.3)  # random images are far from the rest


def test_nearest_images_tell_apart_neighbours_closer_than_float32_cancellation() -> None:
    sample = np.full((1, 28, 28, 1), 0.9, dtype=np.float32)
    offsets = [0.004, 0.003, 0.001, 0.002, 0.005]  # each real image differs in one pixel
    real = np.repeat(sample, len(offsets), axis=0)
    real[:, 0, 0, 0] += np.array(offsets, dtype=np.float32)
    indices, distances = nearest_images(sample, real)
    assert indices[0] == 2
    np.testing.assert_allclose(distances, brute_force_nearest(sample, real)[1], rtol=1e-9)


def test_nearest_images_refuse_images_of_another_shape() -> None:
    with pytest.raises(ValueError):
        nearest_images(random_images(2, 0, (4, 4, 1)), random_images(3, 1, (4, 5, 1)))
    with pytest.raises(ValueError):
        nearest_images(random_images(2, 0), random_images(0, 1))


# --- diversity ----------------------------------------------------------------------------------

def collapsed_generator(latents: np.ndarray) -> np.ndarray:
    """A toy generator that ignores its latents: one image plus a little noise."""
    rng = np.random.default_rng(len(latents))
    image = random_images(1, seed=99, shape=(10, 10, 1))
    noise = rng.normal(0, 0.01, (len(latents), 10, 10, 1))
    return np.clip(image + noise, 0, 1).astype(np.float32)


def diverse_generator(latents: np.ndarray) -> np.ndarray:
    """A toy generator with as much variety as the toy real data: a new random image per
    latent."""
    return random_images(len(latents), seed=int(abs(latents[0, 0]) * 1e6), shape=(10, 10, 1))


def test_diversity_over_all_pairs_is_the_mean_pairwise_distance() -> None:
    images = random_images(12, seed=20, shape=(4, 4, 3))
    flat = images.reshape(12, -1).astype(np.float64)
    expected = np.mean([np.sqrt(np.mean((flat[i] - flat[j]) ** 2))
                        for i in range(12) for j in range(i + 1, 12)])
    assert diversity(images) == pytest.approx(expected, rel=1e-10)


def test_sampled_pairs_estimate_the_all_pairs_mean_and_repeat_with_their_seed() -> None:
    images = random_images(300, seed=21, shape=(6, 6, 1))
    images[:150] *= 0.2  # two groups, so pair distances vary
    exact = diversity(images)
    sampled = diversity(images, pairs=20_000, seed=1)
    assert sampled == pytest.approx(exact, rel=0.02)
    assert sampled == diversity(images, pairs=20_000, seed=1)
    assert sampled != diversity(images, pairs=20_000, seed=2)


def test_sampled_pairs_never_pair_an_image_with_itself() -> None:
    images = random_images(2, seed=26)
    distance = np.sqrt(np.mean((images[0].astype(np.float64) - images[1]) ** 2))
    assert diversity(images, pairs=100) == pytest.approx(distance, rel=1e-12)


def test_images_all_alike_have_no_diversity_even_by_sampling() -> None:
    images = np.repeat(random_images(1, seed=22), 5, axis=0)
    assert diversity(images) == pytest.approx(0.0, abs=1e-7)
    assert diversity(images, pairs=50) == 0.0  # never a pair of an image with itself


def test_a_collapsed_generator_scores_near_zero_and_a_diverse_one_near_one() -> None:
    real = random_images(2000, seed=23, shape=(10, 10, 1))
    latents = latent_batch(seed=0, count=400, latent_dim=64)
    collapsed = diversity_report(collapsed_generator(latents), real, seed=0)
    healthy = diversity_report(diverse_generator(latents), real, seed=0)
    assert set(collapsed) == {"generated", "real", "ratio"}
    assert collapsed["ratio"] < 0.05
    assert healthy["ratio"] == pytest.approx(1.0, abs=0.03)
    assert collapsed["ratio"] == pytest.approx(collapsed["generated"] / collapsed["real"])


def test_the_report_takes_the_real_diversity_on_as_many_real_images_as_samples(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    original = checks.diversity
    monkeypatch.setattr(checks, "diversity",
                        lambda images, **keywords: seen.append(len(images))
                        or original(images, **keywords))
    diversity_report(random_images(30, seed=24), random_images(500, seed=25), seed=3)
    assert seen == [30, 30]


@pytest.mark.parametrize("samples, real", [
    (random_images(1, 0), random_images(5, 1)),
    (random_images(5, 0), random_images(5, 1, (8, 7, 1))),
    (random_images(5, 0), np.zeros((5, 8, 8, 1), dtype=np.float32)),  # identical real images
])
def test_bad_diversity_report_arguments_are_refused(samples, real) -> None:
    with pytest.raises(ValueError):
        diversity_report(samples, real)


# --- class balance ------------------------------------------------------------------------------

def test_class_balance_gives_each_class_its_share_of_generated_and_real_images() -> None:
    predicted = np.array([0, 0, 0, 2])
    real = np.array([0, 1, 2, 3, 0, 1, 2, 3], dtype=np.uint8)
    table = class_balance(predicted, real, num_classes=4)
    assert list(table["class"]) == [0, 1, 2, 3]
    assert list(table["generated_images"]) == [3, 0, 1, 0]
    np.testing.assert_allclose(table["generated_share"], [0.75, 0, 0.25, 0])
    np.testing.assert_allclose(table["real_share"], [0.25] * 4)
    assert table["generated_share"].sum() == pytest.approx(1)
    assert table["real_share"].sum() == pytest.approx(1)


@pytest.mark.parametrize("predicted, real, expected", [
    ([0, 1, 2, 3], [3, 2, 1, 0, 0, 1, 2, 3], 0.0),  # the same balance
    ([0, 0, 1, 1], [2, 3, 3, 2], 1.0),  # no class in common
    ([0, 0, 0, 2], [0, 1, 2, 3], 0.5),  # |0.75-0.25| + 0.25 + 0 + 0.25, halved
    ([5] * 10, list(range(10)) * 3, 0.9),  # stuck on one of ten balanced classes
])
def test_class_balance_distance_is_the_total_variation_distance(predicted, real,
                                                                 expected) -> None:
    distance = class_balance_distance(np.array(predicted), np.array(real), num_classes=10)
    assert distance == pytest.approx(expected)


@pytest.mark.parametrize("predicted, num_classes", [
    (np.array([0, 4]), 4), (np.array([-1, 0]), 4), (np.array([0.0, 1.0]), 4),
    (np.array([], dtype=int), 4), (np.array([[0, 1]]), 4), (np.array([0, 1]), 0),
])
def test_bad_labels_are_refused(predicted, num_classes) -> None:
    with pytest.raises(ValueError):
        class_balance(predicted, np.array([0, 1, 2, 3]), num_classes)
