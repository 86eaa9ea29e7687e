"""The TU-Berlin file-list layout: real list files and PNGs written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnviz.datasets.filelist import read_filelist
from cnnviz.datasets.raw import SPLIT_CODES
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (
    DatasetError,
    EmptyClassError,
    EmptyDatasetError,
    LabelOutOfRangeError,
    MappingError,
    SingleClassError,
    UnsafePathError,
)

CLASSES = ["alarm clock", "bee", "cat"]
TRAIN_PER_CLASS = 4
TEST_PER_CLASS = 2


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data root the app may read, holding nothing yet."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", str(root))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(root))
    return root


def write_png(path: Path, size: tuple[int, int] = (16, 16), mode: str = "L") -> None:
    """A small image of ``size`` (height, width) with some strokes, so it is not blank."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height, width = size
    channels = (height, width) if mode == "L" else (height, width, 3)
    pixels = np.full(channels, 255, dtype=np.uint8)
    pixels[height // 2, :] = 0
    Image.fromarray(pixels, mode=mode).save(path)


def write_lines(path: Path, lines: list[str], newline: str = "\n", bom: bool = False) -> None:
    path.write_bytes(("\ufeff" if bom else "").encode() + newline.join(lines).encode() + b"\n")


def make_sketches(root: Path, with_test: bool = True, mode: str = "L") -> Path:
    """A 3-class sketch dataset: 4 train and 2 test images per class; one image is 16x20."""
    folder = root / "sketches"
    folder.mkdir(parents=True)
    write_lines(folder / "mapping.txt", [f"{name}\t{index}" for index, name in enumerate(CLASSES)])
    train, test = [], []
    for index, name in enumerate(CLASSES):
        for number in range(TRAIN_PER_CLASS + TEST_PER_CLASS):
            relative = f"{name}/{number}.png"
            size = (16, 20) if (index, number) == (1, 0) else (16, 16)
            write_png(folder / relative, size, mode)
            (train if number < TRAIN_PER_CLASS else test).append(f"{relative}\t{index}")
    write_lines(folder / "train.txt", train)
    if with_test:
        write_lines(folder / "test.txt", test)
    return folder


def spec_for(folder: Path | str) -> DatasetSpec:
    return DatasetSpec(source="filelist", path=str(folder))


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_reads_classes_labels_splits_and_sizes(data_root: Path) -> None:
    folder = make_sketches(data_root)
    raw = read_filelist(spec_for(folder))

    assert raw.class_names == CLASSES
    assert len(raw) == len(CLASSES) * (TRAIN_PER_CLASS + TEST_PER_CLASS)
    assert raw.skipped == []
    assert raw.native_channels == 1
    assert raw.arrays is None and raw.paths is not None
    assert all(Path(path).is_absolute() and Path(path).is_file() for path in raw.paths)
    assert np.bincount(raw.labels).tolist() == [6, 6, 6]
    assert np.sum(raw.given_split == SPLIT_CODES["train"]) == 12
    assert np.sum(raw.given_split == SPLIT_CODES["test"]) == 6
    for path, label, split in zip(raw.paths, raw.labels, raw.given_split, strict=True):
        class_folder, number = Path(path).parent.name, int(Path(path).stem)
        assert class_folder == CLASSES[label]
        expected = SPLIT_CODES["train"] if number < TRAIN_PER_CLASS else SPLIT_CODES["test"]
        assert split == expected
    wide = raw.paths.index(str(folder / "bee" / "0.png"))
    assert raw.sizes[wide].tolist() == [16, 20]
    assert raw.sizes[0].tolist() == [16, 16]


def test_relative_folder_is_taken_from_the_data_root(data_root: Path) -> None:
    make_sketches(data_root)
    assert len(read_filelist(spec_for("sketches"))) == 18


def test_without_test_list_every_image_is_training(data_root: Path) -> None:
    folder = make_sketches(data_root, with_test=False)
    raw = read_filelist(spec_for(folder))
    assert len(raw) == 12
    assert set(raw.given_split.tolist()) == {SPLIT_CODES["train"]}


def test_colour_images_report_three_channels(data_root: Path) -> None:
    folder = make_sketches(data_root, mode="RGB")
    assert read_filelist(spec_for(folder)).native_channels == 3


def test_windows_line_endings_byte_order_mark_and_blank_lines(data_root: Path) -> None:
    folder = make_sketches(data_root)
    mapping = [f"{name}\t{index}" for index, name in enumerate(CLASSES)]
    write_lines(folder / "mapping.txt", ["", *mapping, "", "  "], newline="\r\n", bom=True)
    train = (folder / "train.txt").read_text().splitlines()
    write_lines(folder / "train.txt", [train[0], "", *train[1:]], newline="\r\n", bom=True)

    raw = read_filelist(spec_for(folder))
    assert raw.class_names == CLASSES
    assert len(raw) == 18 and raw.skipped == []


def test_classes_are_ordered_by_index_not_by_line(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["cat\t2", "alarm clock\t0", "bee\t1"])
    assert read_filelist(spec_for(folder)).class_names == CLASSES


def test_label_missing_from_mapping_names_file_and_line(data_root: Path) -> None:
    folder = make_sketches(data_root)
    append_line(folder / "train.txt", "cat/0.png\t3")
    with pytest.raises(LabelOutOfRangeError, match=r"train\.txt line 13.*label 3"):
        read_filelist(spec_for(folder))


def test_negative_label_is_out_of_range(data_root: Path) -> None:
    folder = make_sketches(data_root)
    append_line(folder / "test.txt", "cat/0.png\t-1")
    with pytest.raises(LabelOutOfRangeError, match=r"test\.txt line 7"):
        read_filelist(spec_for(folder))


def test_line_without_tab_is_malformed(data_root: Path) -> None:
    folder = make_sketches(data_root)
    lines = (folder / "train.txt").read_text().splitlines()
    lines[1] = lines[1].replace("\t", " ")
    write_lines(folder / "train.txt", lines)
    with pytest.raises(MappingError, match=r"train\.txt line 2.*tab"):
        read_filelist(spec_for(folder))


def test_non_integer_label_is_malformed(data_root: Path) -> None:
    folder = make_sketches(data_root)
    append_line(folder / "train.txt", "cat/0.png\tcat")
    with pytest.raises(MappingError, match=r"train\.txt line 13.*'cat' is not a whole number"):
        read_filelist(spec_for(folder))


def test_malformed_mapping_line(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["alarm clock\t0", "bee\t1\textra", "cat\t2"])
    with pytest.raises(MappingError, match=r"mapping\.txt line 2"):
        read_filelist(spec_for(folder))


def test_mapping_with_a_gap_is_refused(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["alarm clock\t0", "bee\t1", "cat\t3"])
    with pytest.raises(MappingError, match=r"0 to 2 without gaps.*2 is missing"):
        read_filelist(spec_for(folder))


def test_mapping_with_a_duplicate_index_is_refused(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["alarm clock\t0", "bee\t1", "cat\t1"])
    with pytest.raises(MappingError, match=r"mapping\.txt line 3: index 1 is given twice"):
        read_filelist(spec_for(folder))


def test_mapping_with_a_duplicate_name_is_refused(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["bee\t0", "bee\t1", "cat\t2"])
    with pytest.raises(MappingError, match=r"'bee' is already defined on line 1"):
        read_filelist(spec_for(folder))


def test_single_class_mapping_is_refused(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_lines(folder / "mapping.txt", ["alarm clock\t0"])
    write_lines(folder / "train.txt", ["alarm clock/0.png\t0"])
    (folder / "test.txt").unlink()
    with pytest.raises(SingleClassError):
        read_filelist(spec_for(folder))


@pytest.mark.parametrize("missing", ["train.txt", "mapping.txt"])
def test_missing_list_file_is_named_with_the_expected_layout(
    data_root: Path, missing: str
) -> None:
    folder = make_sketches(data_root)
    (folder / missing).unlink()
    with pytest.raises(DatasetError, match=rf"{missing} is missing.*class-name<TAB>index"):
        read_filelist(spec_for(folder))


def test_missing_folder_is_explained(data_root: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        read_filelist(spec_for(data_root / "nowhere"))


def test_listed_file_that_does_not_exist_is_skipped(data_root: Path) -> None:
    folder = make_sketches(data_root)
    (folder / "bee" / "1.png").unlink()
    raw = read_filelist(spec_for(folder))
    assert len(raw) == 17
    assert [skip.path for skip in raw.skipped] == [str(folder / "bee" / "1.png")]
    assert "does not exist" in raw.skipped[0].reason
    assert "train.txt line 6" in raw.skipped[0].reason


def test_corrupt_file_is_skipped(data_root: Path) -> None:
    folder = make_sketches(data_root)
    (folder / "cat" / "2.png").write_bytes(b"this is not a png")
    raw = read_filelist(spec_for(folder))
    assert len(raw) == 17
    assert str(folder / "cat" / "2.png") not in raw.paths
    assert raw.skipped[0].path == str(folder / "cat" / "2.png")
    assert "train.txt line 11" in raw.skipped[0].reason


def test_truncated_file_whose_header_reads_is_skipped(data_root: Path) -> None:
    folder = make_sketches(data_root)
    damaged = folder / "alarm clock" / "0.png"
    write_png(damaged, (64, 64))
    damaged.write_bytes(damaged.read_bytes()[:80])
    raw = read_filelist(spec_for(folder))
    assert str(damaged) not in raw.paths
    assert [skip.path for skip in raw.skipped] == [str(damaged)]
    assert len(raw) == len(raw.sizes) == 17


def test_path_escaping_the_folder_is_skipped(data_root: Path) -> None:
    folder = make_sketches(data_root)
    write_png(data_root / "outside.png")
    append_line(folder / "train.txt", "../outside.png\t0")
    append_line(folder / "train.txt", f"{data_root / 'outside.png'}\t0")
    raw = read_filelist(spec_for(folder))
    assert len(raw) == 18
    assert not any("outside.png" in path for path in raw.paths)
    assert [skip.path for skip in raw.skipped] == ["../outside.png", str(data_root / "outside.png")]
    assert all("points outside the dataset folder" in skip.reason for skip in raw.skipped)


def test_file_listed_twice_is_kept_once(data_root: Path) -> None:
    folder = make_sketches(data_root)
    append_line(folder / "test.txt", "cat/0.png\t2")
    raw = read_filelist(spec_for(folder))
    assert len(raw) == 18
    assert raw.paths.count(str(folder / "cat" / "0.png")) == 1
    assert "listed twice" in raw.skipped[0].reason


def test_class_without_readable_image_is_named(data_root: Path) -> None:
    folder = make_sketches(data_root)
    for number in range(TRAIN_PER_CLASS + TEST_PER_CLASS):
        (folder / "bee" / f"{number}.png").write_bytes(b"broken")
    with pytest.raises(EmptyClassError, match="'bee'"):
        read_filelist(spec_for(folder))


def test_nothing_readable_is_an_empty_dataset(data_root: Path) -> None:
    folder = make_sketches(data_root)
    for png in folder.rglob("*.png"):
        png.unlink()
    with pytest.raises(EmptyDatasetError, match="None of the 18 images"):
        read_filelist(spec_for(folder))


def test_folder_outside_the_data_roots_is_refused(data_root: Path, tmp_path: Path) -> None:
    folder = make_sketches(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError, match="outside the folders"):
        read_filelist(spec_for(folder))
