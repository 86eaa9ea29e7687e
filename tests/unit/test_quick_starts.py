"""The home page's quick starts end with a network that is clearly right (issue 20): the
shapes one, which is also the Train page's default, trained for real by the worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.analysis.chance import chance_check
from cnnviz.datasets.builtin import DEBIAN_FASHION_MNIST
from cnnviz.presets import (
    FASHION_MNIST_BEST,
    QUICK_START_FASHION,
    QUICK_START_FASHION_BEST,
    QUICK_START_SHAPES,
    run_to_offer,
)
from cnnviz.ui.state import DEFAULT_DATASET, DEFAULT_MODEL, DEFAULT_TRAINING


def test_the_train_page_defaults_are_the_shapes_quick_start() -> None:
    config = QUICK_START_SHAPES.config
    assert (DEFAULT_DATASET, DEFAULT_MODEL, DEFAULT_TRAINING) == (
        config.dataset, config.model, config.training)
    assert QUICK_START_SHAPES.minutes == 1
    assert QUICK_START_FASHION.config.dataset.source == "fashion_mnist"


def test_the_best_fashion_quick_start_is_the_ten_minute_preset() -> None:
    config = QUICK_START_FASHION_BEST.config
    assert config.dataset.source == "fashion_mnist"
    assert config.training.time_budget_minutes < QUICK_START_FASHION_BEST.minutes == 10


def test_the_ten_minute_preset_offers_its_run_only_where_the_choices_differ() -> None:
    own = FASHION_MNIST_BEST
    assert run_to_offer("fashion_best", DEFAULT_DATASET, DEFAULT_MODEL) == own
    assert run_to_offer("fashion_best", own.dataset, DEFAULT_MODEL) == own
    assert run_to_offer("fashion_best", own.dataset, own.model) is None
    assert run_to_offer("quick", DEFAULT_DATASET, DEFAULT_MODEL) is None
    assert run_to_offer(None, DEFAULT_DATASET, DEFAULT_MODEL) is None


def finished_metrics(config: runs.RunConfig, timeout: float) -> dict:
    """Train ``config`` in a real worker and return its test metrics. The timeout is generous:
    the stated times are measured by benchmarks/bench_quick_starts.py, on a quiet machine."""
    run_id = runs.start_run(config)
    deadline = time.time() + timeout
    while runs.read_status(run_id).get("state") not in runs.RunState.ENDED:
        assert time.time() < deadline, runs.read_status(run_id)
        time.sleep(0.5)
    status = runs.read_status(run_id)
    assert status["state"] == "finished", status.get("error_detail")
    return runs.read_final_metrics(run_id)


@pytest.fixture
def run_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.slow
def test_the_shapes_quick_start_reaches_95_percent(run_folders) -> None:
    metrics = finished_metrics(QUICK_START_SHAPES.config, timeout=600)
    assert metrics["accuracy"] >= 0.95
    assert not chance_check(metrics).near_chance


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.skipif(not DEBIAN_FASHION_MNIST.is_dir(),
                    reason="dataset-fashion-mnist is not installed")
@pytest.mark.parametrize(("quick", "accuracy"), [
    (QUICK_START_FASHION, 0.88), (QUICK_START_FASHION_BEST, 0.935)], ids=["4-minute", "best"])
def test_a_fashion_mnist_quick_start_reaches_its_accuracy(run_folders, quick, accuracy) -> None:
    metrics = finished_metrics(quick.config, timeout=1800)
    assert metrics["accuracy"] >= accuracy
