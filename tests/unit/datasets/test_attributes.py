"""CelebA-style attribute tables: a fake 300-face CelebA written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnviz.datasets import attributes
from cnnviz.datasets.attributes import list_attributes, read_attributes
from cnnviz.datasets.raw import SPLIT_CODES, RawImages
from cnnviz.datasets.scan import ScanResult
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (
    DatasetError,
    SplitError,
    UnknownAttributeError,
    UnsafePathError,
)

IMAGE_COUNT = 300
# Row i (0-based) has each attribute when the rule holds; the partition is rows 0-199 train,
# 200-249 validation, 250-299 test.
RULES = {
    "Male": lambda row: row % 2 == 0,  # 150 / 150
    "Smiling": lambda row: row % 3 == 0,  # 100 / 200
    "Eyeglasses": lambda row: row % 10 == 0,  # 30 / 270
    "Bald": lambda row: row < 2,  # 2 / 298, both in the train partition
}


def partition_of(row: int) -> int:
    return 0 if row < 200 else 1 if row < 250 else 2


def file_name(row: int) -> str:
    return f"{row + 1:06d}.jpg"


def row_of(path: str) -> int:
    return int(Path(path).stem) - 1


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", str(root))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(root))
    return root


@pytest.fixture
def celeba(data_root: Path) -> Path:
    """The CelebA layout with 300 small RGB JPEGs, 4 attributes and a partition file."""
    root = data_root / "celeba"
    images = root / "img_align_celeba"
    images.mkdir(parents=True)
    rng = np.random.default_rng(1)
    for row in range(IMAGE_COUNT):
        pixels = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(images / file_name(row))
    lines = [str(IMAGE_COUNT), " ".join(RULES) + " "]
    for row in range(IMAGE_COUNT):
        values = "".join(f" {1 if rule(row) else -1:2d}" for rule in RULES.values())
        lines.append(file_name(row) + values)
    (root / "list_attr_celeba.txt").write_text("\n".join(lines) + "\n")
    partition = [f"{file_name(row)} {partition_of(row)}" for row in range(IMAGE_COUNT)]
    (root / "list_eval_partition.txt").write_text("\n".join(partition) + "\n")
    return root


def spec_for(root: Path, attribute: str = "Male", **changes: object) -> DatasetSpec:
    return DatasetSpec(source="attributes", path=str(root), attribute=attribute, **changes)


def counts_per_split(raw: RawImages) -> dict[str, list[int]]:
    """[without, with] image counts of every split."""
    return {
        name: np.bincount(raw.labels[raw.given_split == code], minlength=2).tolist()
        for name, code in SPLIT_CODES.items()
    }


def test_list_attributes_reads_the_header(celeba: Path) -> None:
    assert list_attributes(celeba) == list(RULES)


def test_requested_sizes_are_balanced_in_every_split(celeba: Path) -> None:
    raw = read_attributes(spec_for(celeba, attribute_split_sizes=(40, 10, 10)))
    assert raw.class_names == ["not Male", "Male"]
    assert counts_per_split(raw) == {"train": [20, 20], "validation": [5, 5], "test": [5, 5]}
    assert raw.native_channels == 3
    assert raw.skipped == []
    assert raw.sizes.tolist() == [[16, 16]] * 60
    for path, label in zip(raw.paths, raw.labels, strict=True):
        assert Path(path).parent == celeba / "img_align_celeba"
        assert label == RULES["Male"](row_of(path))


def test_odd_sizes_round_down_to_balanced_ones(celeba: Path) -> None:
    raw = read_attributes(spec_for(celeba, attribute_split_sizes=(5, 3, 1)))
    assert counts_per_split(raw) == {"train": [2, 2], "validation": [1, 1], "test": [1, 1]}


def test_each_split_is_drawn_from_its_own_partition(celeba: Path) -> None:
    raw = read_attributes(spec_for(celeba, attribute="Smiling"))
    for path, split in zip(raw.paths, raw.given_split, strict=True):
        assert partition_of(row_of(path)) == split
    # Fewer smiling faces than asked: every one of them in each partition is used, balanced.
    smiling = {
        code: sum(RULES["Smiling"](row) for row in range(IMAGE_COUNT) if partition_of(row) == code)
        for code in SPLIT_CODES.values()
    }
    assert counts_per_split(raw) == {
        name: [smiling[code], smiling[code]] for name, code in SPLIT_CODES.items()
    }


def test_fewer_images_than_asked_in_a_partition(celeba: Path) -> None:
    raw = read_attributes(spec_for(celeba, "Eyeglasses", attribute_split_sizes=(100, 4, 4)))
    assert counts_per_split(raw) == {"train": [20, 20], "validation": [2, 2], "test": [2, 2]}


def test_without_partition_the_splits_are_disjoint_and_balanced(celeba: Path) -> None:
    (celeba / "list_eval_partition.txt").unlink()
    raw = read_attributes(spec_for(celeba, attribute_split_sizes=(40, 10, 10)))
    assert counts_per_split(raw) == {"train": [20, 20], "validation": [5, 5], "test": [5, 5]}
    assert len(set(raw.paths)) == 60
    test_rows = [row_of(path) for path, split in zip(raw.paths, raw.given_split) if split == 2]
    assert any(partition_of(row) != 2 for row in test_rows)  # the partition file was not used


def test_without_partition_a_small_table_shrinks_every_split(celeba: Path) -> None:
    (celeba / "list_eval_partition.txt").unlink()
    raw = read_attributes(spec_for(celeba, "Eyeglasses"))  # default 10000/2000/1000
    counts = counts_per_split(raw)
    assert all(without == with_ and with_ > 0 for without, with_ in counts.values())
    assert sum(with_ for _, with_ in counts.values()) == 30  # every face with eyeglasses
    assert counts["train"][1] > counts["validation"][1] >= counts["test"][1]
    assert len(set(raw.paths)) == len(raw)


def test_partition_without_the_attribute_is_a_split_error(celeba: Path) -> None:
    with pytest.raises(SplitError, match="validation partition.*0 image"):
        read_attributes(spec_for(celeba, "Bald"))


def test_table_too_small_for_three_splits_is_a_split_error(celeba: Path) -> None:
    (celeba / "list_eval_partition.txt").unlink()
    with pytest.raises(SplitError, match="2 image.* with Bald"):
        read_attributes(spec_for(celeba, "Bald"))


def test_same_seed_same_sample_other_seed_other_sample(celeba: Path) -> None:
    spec = spec_for(celeba, attribute_split_sizes=(40, 10, 10), seed=3)
    first, again = read_attributes(spec), read_attributes(spec)
    other = read_attributes(spec_for(celeba, attribute_split_sizes=(40, 10, 10), seed=4))
    assert first.paths == again.paths
    assert np.array_equal(first.given_split, again.given_split)
    assert first.paths != other.paths


def test_only_sampled_files_are_scanned(celeba: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[int] = []
    real_scan = attributes.scan_images

    def counting_scan(paths: list[str]) -> ScanResult:
        scanned.append(len(paths))
        return real_scan(paths)

    monkeypatch.setattr(attributes, "scan_images", counting_scan)
    read_attributes(spec_for(celeba, attribute_split_sizes=(40, 10, 10)))
    assert scanned == [60]


def test_unreadable_and_missing_sampled_files_are_skipped(celeba: Path) -> None:
    images = celeba / "img_align_celeba"
    (images / file_name(0)).write_bytes(b"not a jpeg")
    (images / file_name(2)).unlink()
    raw = read_attributes(spec_for(celeba, attribute_split_sizes=(200, 50, 50)))
    assert len(raw) == IMAGE_COUNT - 2
    damaged, missing_path = str(images / file_name(0)), str(images / file_name(2))
    assert {skip.path for skip in raw.skipped} == {damaged, missing_path}
    missing = next(skip for skip in raw.skipped if skip.path == missing_path)
    assert "not found in img_align_celeba" in missing.reason
    assert damaged not in raw.paths


def test_unknown_attribute_suggests_a_close_name(celeba: Path) -> None:
    with pytest.raises(UnknownAttributeError, match="no attribute 'male'.*Did you mean 'Male'"):
        read_attributes(spec_for(celeba, "male"))


def test_unknown_attribute_lists_the_available_names(celeba: Path) -> None:
    with pytest.raises(UnknownAttributeError, match="Available: Male, Smiling, Eyeglasses, Bald"):
        read_attributes(spec_for(celeba, "Wearing_Hat"))


def test_line_with_a_wrong_column_count_is_named(celeba: Path) -> None:
    table = celeba / "list_attr_celeba.txt"
    lines = table.read_text().splitlines()
    lines[6] += " 1"
    table.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match="line 7: expected a file name and 4 values.*found 6"):
        read_attributes(spec_for(celeba))


def test_value_other_than_one_or_minus_one_is_named(celeba: Path) -> None:
    table = celeba / "list_attr_celeba.txt"
    lines = table.read_text().splitlines()
    lines[4] = f"{file_name(2)}  2  1  1 -1"
    table.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"line 5: the Male value of 000003\.jpg is '2'"):
        read_attributes(spec_for(celeba))


def test_windows_line_endings_and_byte_order_mark(celeba: Path) -> None:
    table = celeba / "list_attr_celeba.txt"
    text = table.read_text().replace("\n", "\r\n")
    table.write_bytes("\ufeff".encode() + text.encode())
    assert list_attributes(celeba) == list(RULES)
    raw = read_attributes(spec_for(celeba, attribute_split_sizes=(40, 10, 10)))
    assert len(raw) == 60


def test_first_line_must_be_the_image_count(celeba: Path) -> None:
    table = celeba / "list_attr_celeba.txt"
    lines = table.read_text().splitlines()
    table.write_text("\n".join(lines[1:]) + "\n")
    with pytest.raises(DatasetError, match="line 1 should hold the number of images"):
        list_attributes(celeba)


def test_malformed_partition_line_is_named(celeba: Path) -> None:
    partition = celeba / "list_eval_partition.txt"
    lines = partition.read_text().splitlines()
    lines[9] = f"{file_name(9)} train"
    partition.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"list_eval_partition\.txt line 10"):
        read_attributes(spec_for(celeba))


def test_missing_attribute_table_explains_the_layout(celeba: Path) -> None:
    (celeba / "list_attr_celeba.txt").unlink()
    with pytest.raises(DatasetError, match="list_attr_celeba.txt is missing.*CelebA layout"):
        read_attributes(spec_for(celeba))


def test_missing_image_folder_is_named(celeba: Path) -> None:
    with pytest.raises(DatasetError, match="image folder 'faces' is missing"):
        read_attributes(spec_for(celeba, image_folder="faces"))


def test_folder_outside_the_data_roots_is_refused(data_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(UnsafePathError):
        read_attributes(spec_for(outside))
    with pytest.raises(UnsafePathError):
        list_attributes(outside)
