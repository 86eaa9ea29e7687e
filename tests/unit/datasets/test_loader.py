"""Loading end to end: preparation, the on-disk cache, memory versus streaming."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnnviz.datasets import DatasetSpec, load_dataset
from cnnviz.datasets import loader as loader_module
from cnnviz.errors import UnknownClassError
from tests.helpers.imagefiles import make_class_folder, write_image


@pytest.fixture
def art(data_dir: Path) -> Path:
    return make_class_folder(
        data_dir / "art", {"drawings": 12, "engraving": 8, "iconography": 10, "painting": 20}
    )


def test_folder_loads_into_three_stratified_splits(art: Path) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="art", test_fraction=0.2))
    assert dataset.class_names == ["drawings", "engraving", "iconography", "painting"]
    assert dataset.image_shape == (64, 64, 3)
    assert len(dataset.train) + len(dataset.validation) + len(dataset.test) == 50
    assert len(dataset.test) == 10
    assert set(dataset.test.labels.tolist()) == {0, 1, 2, 3}
    assert dataset.train.images.dtype == np.uint8
    assert dataset.train.images.shape[1:] == (64, 64, 3)
    assert dataset.storage == "memory"


def test_second_load_comes_from_the_cache(art: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = DatasetSpec(source="folder", path="art", image_size=(16, 16))
    first = load_dataset(spec)
    calls = []
    monkeypatch.setattr(loader_module, "read_source", lambda s: calls.append(s))
    second = load_dataset(spec)
    assert calls == []
    assert isinstance(second.train.images.base, np.memmap) or isinstance(
        second.train.images, np.memmap
    )
    assert np.array_equal(np.asarray(first.train.images), np.asarray(second.train.images))
    assert np.array_equal(first.test.labels, second.test.labels)


def test_changed_files_are_read_again(art: Path) -> None:
    spec = DatasetSpec(source="folder", path="art", image_size=(16, 16))
    before = load_dataset(spec)
    write_image(art / "painting" / "new.png", value=3)
    after = load_dataset(spec)
    total = lambda d: len(d.train) + len(d.validation) + len(d.test)  # noqa: E731
    assert total(after) == total(before) + 1


def test_streaming_gives_the_same_images_as_memory(art: Path) -> None:
    memory = load_dataset(DatasetSpec(source="folder", path="art", image_size=(24, 20),
                                      resize_mode="crop", storage="memory"))
    stream = load_dataset(DatasetSpec(source="folder", path="art", image_size=(24, 20),
                                      resize_mode="crop", storage="stream"))
    assert stream.storage == "stream" and stream.train.images is None
    assert np.array_equal(memory.train.labels, stream.train.labels)
    for index in (0, len(stream.train) - 1):
        assert np.array_equal(memory.train.image(index), stream.train.image(index))
    indices = np.array([3, 0, 2])
    assert np.array_equal(memory.train.batch(indices), stream.train.batch(indices))


def test_auto_streams_when_over_the_memory_budget(art: Path, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_MEMORY_BUDGET_MB", "0.01")
    assert load_dataset(DatasetSpec(source="folder", path="art")).storage == "stream"
    monkeypatch.setenv("CNNVIZ_MEMORY_BUDGET_MB", "100")
    assert load_dataset(DatasetSpec(source="folder", path="art")).storage == "memory"


def test_merge_select_and_cap(art: Path) -> None:
    merged = load_dataset(DatasetSpec(
        source="folder", path="art", image_size=(8, 8),
        merge=(("drawings", ("drawings", "engraving")),),
    ))
    assert merged.class_names == ["drawings", "iconography", "painting"]
    counts = np.bincount(np.concatenate([merged.train.labels, merged.validation.labels,
                                         merged.test.labels]))
    assert counts.tolist() == [20, 10, 20]
    chosen = load_dataset(DatasetSpec(source="folder", path="art", image_size=(8, 8),
                                      classes=("painting", "iconography"), max_per_class=6))
    assert chosen.class_names == ["iconography", "painting"]
    assert len(chosen.train) + len(chosen.validation) + len(chosen.test) == 12
    with pytest.raises(UnknownClassError, match="sculpture"):
        load_dataset(DatasetSpec(source="folder", path="art", classes=("sculpture", "painting")))


def test_truncated_image_is_skipped_when_decoded(art: Path) -> None:
    whole = write_image(art / "painting" / "big.jpg", size=(80, 80))
    whole.write_bytes(whole.read_bytes()[:400])
    dataset = load_dataset(DatasetSpec(source="folder", path="art", image_size=(8, 8)))
    assert any(Path(item.path).name == "big.jpg" for item in dataset.skipped)
    assert len(dataset.train) + len(dataset.validation) + len(dataset.test) == 50


def test_grayscale_output(art: Path) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="art", image_size=(10, 12), channels=1))
    assert dataset.train.images.shape[1:] == (10, 12, 1)
