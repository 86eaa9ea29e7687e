"""The dataset summary: counts per split, size statistics, samples, skipped files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnviz.datasets import DatasetSpec, load_dataset
from cnnviz.datasets.summary import summarize
from tests.helpers.imagefiles import make_class_folder, write_image


def test_summary_of_a_folder(data_dir: Path) -> None:
    root = make_class_folder(data_dir / "zoo", {"cat": 10, "dog": 20}, size=(20, 40))
    write_image(root / "dog" / "tall.png", size=(60, 30))
    (root / "dog" / "notes.txt").write_text("x")
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(16, 16)))
    summary = summarize(dataset, samples_per_class=4)
    counts = summary.class_counts
    assert counts.loc["cat", "total"] == 10 and counts.loc["dog", "total"] == 21
    assert counts[["train", "validation", "test"]].sum(axis=1).equals(counts["total"])
    sizes = summary.size_statistics
    assert sizes.loc["height", "min"] == 20 and sizes.loc["height", "max"] == 60
    assert sizes.loc["aspect", "max"] == 2.0
    assert set(summary.samples) == {"cat", "dog"}
    assert summary.samples["cat"].shape == (4, 16, 16, 3)
    assert summary.total_images == 31
    assert [Path(item.path).name for item in summary.skipped] == ["notes.txt"]


def test_samples_are_of_the_right_class(data_dir: Path) -> None:
    make_class_folder(data_dir / "zoo", {"cat": 5, "dog": 5})
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(20, 30)))
    samples = summarize(dataset).samples
    # make_class_folder paints the red channel 40 * class + index
    assert np.all(samples["cat"][..., 0] < 40)
    assert np.all(samples["dog"][..., 0] >= 40)
