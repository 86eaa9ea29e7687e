"""Image folders: class folders, train/test folders, skipped files and bad layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnnviz.datasets import DatasetSpec, load_dataset
from cnnviz.datasets.folder import read_folder_at
from cnnviz.datasets.raw import SPLIT_CODES
from cnnviz.errors import EmptyClassError, EmptyDatasetError, SingleClassError, UnsafePathError
from tests.helpers.imagefiles import make_class_folder, write_image


def test_class_folders_with_skipped_files(data_dir: Path) -> None:
    root = make_class_folder(data_dir / "art", {"drawings": 3, "painting": 4})
    (root / "painting" / "readme.txt").write_text("notes")
    (root / "painting" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    write_image(root / "stray.png")
    (root / ".DS_Store").write_bytes(b"junk")
    raw = read_folder_at(root)
    assert raw.class_names == ["drawings", "painting"]
    assert raw.labels.tolist().count(0) == 3 and raw.labels.tolist().count(1) == 4
    reasons = {Path(item.path).name: item.reason for item in raw.skipped}
    assert reasons["readme.txt"] == "not an image file"
    assert "broken.jpg" in reasons
    assert reasons["stray.png"] == "not inside a class folder"
    assert raw.given_split is None
    assert raw.sizes.tolist()[0] == [20, 30]


def test_train_and_test_folders_keep_their_split(data_dir: Path) -> None:
    make_class_folder(data_dir / "zoo" / "train", {"cat": 4, "dog": 4})
    make_class_folder(data_dir / "zoo" / "test", {"cat": 2, "dog": 2})
    raw = read_folder_at(data_dir / "zoo")
    assert raw.class_names == ["cat", "dog"]
    assert (raw.given_split == SPLIT_CODES["test"]).sum() == 4
    assert (raw.given_split == SPLIT_CODES["train"]).sum() == 8


def test_single_wrapper_folder_is_unwrapped(data_dir: Path) -> None:
    make_class_folder(data_dir / "download" / "animals", {"cat": 2, "dog": 2})
    assert read_folder_at(data_dir / "download").class_names == ["cat", "dog"]


def test_nested_images_and_many_formats(data_dir: Path) -> None:
    root = data_dir / "mixed"
    for index, suffix in enumerate([".jpg", ".png", ".bmp", ".webp", ".tiff", ".gif"]):
        write_image(root / "a" / "deeper" / f"{index}{suffix}")
        write_image(root / "b" / f"{index}{suffix}", mode="L")
    raw = read_folder_at(root)
    assert len(raw) == 12 and not raw.skipped


def test_bad_layouts_give_typed_errors(data_dir: Path) -> None:
    (data_dir / "empty").mkdir()
    with pytest.raises(EmptyDatasetError, match="one sub-folder per class"):
        load_dataset(DatasetSpec(source="folder", path="empty"))
    make_class_folder(data_dir / "one", {"cat": 3})
    with pytest.raises(SingleClassError):
        load_dataset(DatasetSpec(source="folder", path="one"))
    root = make_class_folder(data_dir / "hollow", {"cat": 3, "dog": 3})
    (root / "bird").mkdir()
    (root / "bird" / "bird.jpg").write_text("text pretending to be a bird")
    with pytest.raises(EmptyClassError, match="bird"):
        load_dataset(DatasetSpec(source="folder", path="hollow"))


def test_paths_outside_the_data_roots_are_refused(data_dir: Path, tmp_path: Path) -> None:
    make_class_folder(tmp_path / "elsewhere", {"cat": 2, "dog": 2})
    for path in (str(tmp_path / "elsewhere"), "../elsewhere", "http://example.com/x"):
        with pytest.raises(UnsafePathError):
            load_dataset(DatasetSpec(source="folder", path=path))
    (data_dir / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError):
        load_dataset(DatasetSpec(source="folder", path="link"))
