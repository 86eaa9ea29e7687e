"""The file-list layout of sketch datasets (TU-Berlin): train.txt, test.txt and mapping.txt.

Such a dataset is one folder of images plus text files that say which image belongs to which
class and to which split, so the split the authors published is kept instead of re-drawn::

    mapping.txt   class-name<TAB>index        (indices 0..K-1)
    train.txt     relative/path.png<TAB>index
    test.txt      relative/path.png<TAB>index  (optional)

These lists are often hand-edited or produced on Windows, so blank lines, ``\\r\\n`` endings
and a UTF-8 byte-order mark are accepted; anything else wrong is reported with its file and
line, because a silently misread label would train a wrong model without any visible error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnviz.datasets.images import decode_image
from cnnviz.datasets.raw import SPLIT_CODES, RawImages, SkippedFile
from cnnviz.datasets.scan import scan_images
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (
    DatasetError,
    EmptyClassError,
    EmptyDatasetError,
    ImageError,
    LabelOutOfRangeError,
    MappingError,
    Phrase,
    SingleClassError,
    UnsafePathError,
)
from cnnviz.paths import resolve_inside, resolve_user_path

MAPPING_FILE = "mapping.txt"
TRAIN_FILE = "train.txt"
TEST_FILE = "test.txt"

# Decoding a handful of images is enough to tell a grayscale sketch set from a colour one,
# and costs milliseconds even when the list holds 20,000 files.
CHANNEL_PROBE_COUNT = 20

EXPECTED_LAYOUT = Phrase("error.filelist.expected_layout")


@dataclass(frozen=True)
class _ListedImage:
    """One usable line of ``train.txt`` or ``test.txt``, remembered with where it was written."""

    path: str  # absolute
    label: int
    split: int  # a SPLIT_CODES value
    location: str  # "train.txt line 12", for messages


def read_text_lines(path: Path) -> list[str]:
    """The lines of a text file, without line endings and without a UTF-8 byte-order mark.

    Notepad on Windows writes a byte-order mark and ``\\r\\n``; left in, the mark would become
    part of the first class name or file name and the ``\\r`` part of the last field.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DatasetError(
            "error.filelist.not_utf_text_file", name=path.name, start=error.start) from error
    except OSError as error:
        raise DatasetError(
            "error.filelist.cannot_read", name=path.name, error=error.strerror or error) from error
    return [line.rstrip("\r") for line in text.split("\n")]


def read_filelist(spec: DatasetSpec) -> RawImages:
    """Read a file-list dataset: the listed images with their labels and published split.

    Listed files that are missing, outside the folder, listed twice or undecodable are left
    out and reported in ``skipped``; the rest of the dataset stays usable.
    """
    root = _dataset_folder(spec.path or "")
    class_names = _read_mapping(root / MAPPING_FILE)

    train_list = root / TRAIN_FILE
    if not train_list.is_file():
        raise DatasetError(
            "error.filelist.missing", train_file=TRAIN_FILE, root=root,
            expected_layout=EXPECTED_LAYOUT)
    skipped: list[SkippedFile] = []
    listed = _read_list(root, train_list, SPLIT_CODES["train"], len(class_names), skipped)
    test_list = root / TEST_FILE
    if test_list.is_file():
        listed += _read_list(root, test_list, SPLIT_CODES["test"], len(class_names), skipped)
    listed = _drop_duplicates(listed, skipped)
    if not listed:
        raise EmptyDatasetError(
            "error.filelist.no_usable_image_listed", root=root,
            expected_layout=EXPECTED_LAYOUT)

    scan = scan_images([item.path for item in listed])
    location_of = {item.path: item.location for item in listed}
    for skip in scan.skipped:
        skipped.append(_explained(skip, location_of[skip.path]))
    readable = scan.readable.copy()
    native_channels = _probe_channels(listed, readable, skipped)

    kept = [item for item, is_readable in zip(listed, readable, strict=True) if is_readable]
    if not kept:
        raise EmptyDatasetError(
            "error.filelist.none_images_listed_could", listed_count=len(listed), root=root)
    labels = np.array([item.label for item in kept], dtype=np.int64)
    _check_every_class_has_images(class_names, labels)
    return RawImages(
        class_names=class_names,
        labels=labels,
        paths=[item.path for item in kept],
        sizes=scan.sizes[readable],
        given_split=np.array([item.split for item in kept], dtype=np.int64),
        skipped=skipped,
        native_channels=native_channels,
    )


def _dataset_folder(raw_path: str) -> Path:
    """The user's folder, refused when outside the data roots, explained when not a folder."""
    root = resolve_user_path(raw_path)
    if not root.exists():
        raise DatasetError(
            "error.attributes.folder_does_not_exist", root=root,
            expected_layout=EXPECTED_LAYOUT)
    if not root.is_dir():
        raise DatasetError(
            "error.filelist.file_not_folder", root=root, expected_layout=EXPECTED_LAYOUT)
    return root


def _read_mapping(mapping_path: Path) -> list[str]:
    """Class names ordered by their index, after checking the indices are exactly 0..K-1."""
    if not mapping_path.is_file():
        raise DatasetError(
            "error.filelist.missing_2", mapping_file=MAPPING_FILE,
            folder=mapping_path.parent, expected_layout=EXPECTED_LAYOUT)
    name_of_index: dict[int, str] = {}
    line_of_index: dict[int, int] = {}
    line_of_name: dict[str, int] = {}
    for line_number, line in enumerate(read_text_lines(mapping_path), start=1):
        if not line.strip():
            continue
        where = f"{MAPPING_FILE} line {line_number}"
        name, index = _two_fields(line, where, "class-name<TAB>index")
        if not name:
            raise MappingError("error.filelist.class_name_empty", where=where)
        if index < 0:
            raise MappingError("error.filelist.class_indices_start_not", where=where, index=index)
        if index in name_of_index:
            raise MappingError(
                "error.filelist.index_given_twice_line", where=where, index=index,
                name_of_index=name_of_index[index], line_of_index=line_of_index[index],
                name=name)
        if name in line_of_name:
            raise MappingError(
                "error.filelist.class_already_defined_line", where=where, name=name,
                line_of_name=line_of_name[name])
        name_of_index[index] = name
        line_of_index[index] = line_number
        line_of_name[name] = line_number

    missing = sorted(set(range(len(name_of_index))) - set(name_of_index))
    if missing:
        key = ("error.filelist.index_missing" if len(missing) == 1
               else "error.filelist.indices_missing")
        raise MappingError(
            key, mapping_file=MAPPING_FILE, last_index=len(name_of_index) - 1,
            missing=_few(str(index) for index in missing))
    if len(name_of_index) < 2:
        raise SingleClassError(
            "error.filelist.defines_class_es_classifier", mapping_file=MAPPING_FILE,
            name_of_index_count=len(name_of_index))
    return [name_of_index[index] for index in range(len(name_of_index))]


def _read_list(
    root: Path, list_path: Path, split: int, class_count: int, skipped: list[SkippedFile]
) -> list[_ListedImage]:
    """The entries of one list file; entries pointing outside ``root`` go to ``skipped``."""
    entries: list[_ListedImage] = []
    for line_number, line in enumerate(read_text_lines(list_path), start=1):
        if not line.strip():
            continue
        where = f"{list_path.name} line {line_number}"
        relative, label = _two_fields(line, where, "relative/path.png<TAB>index")
        if not relative:
            raise MappingError("error.filelist.image_path_empty", where=where)
        if not 0 <= label < class_count:
            raise LabelOutOfRangeError(
                "error.filelist.label_not_defined_which", where=where, label=label,
                relative=relative, mapping_file=MAPPING_FILE, last_index=class_count - 1)
        try:
            path = resolve_inside(root, relative)
        except UnsafePathError:
            skipped.append(SkippedFile(relative, f"points outside the dataset folder ({where})"))
            continue
        entries.append(_ListedImage(str(path), label, split, where))
    return entries


def _two_fields(line: str, where: str, expected: str) -> tuple[str, int]:
    """Split ``text<TAB>integer``; anything else is a MappingError naming the line."""
    fields = line.strip().split("\t")
    if len(fields) != 2:
        raise MappingError(
            "error.filelist.expected_two_fields_separated", where=where, expected=expected,
            fields_count=len(fields), line=line.strip())
    text, number = fields[0].strip(), fields[1].strip()
    try:
        return text, int(number)
    except ValueError as error:
        raise MappingError(
            "error.filelist.index_not_whole_number", where=where, number=number) from error


def _drop_duplicates(listed: list[_ListedImage], skipped: list[SkippedFile]) -> list[_ListedImage]:
    """Keep the first listing of each file: an image in both train and test would leak."""
    first_location: dict[str, str] = {}
    unique: list[_ListedImage] = []
    for item in listed:
        if item.path in first_location:
            skipped.append(
                SkippedFile(
                    item.path,
                    f"listed twice ({item.location}, first on {first_location[item.path]})",
                )
            )
            continue
        first_location[item.path] = item.location
        unique.append(item)
    return unique


def _explained(skip: SkippedFile, location: str) -> SkippedFile:
    """A scan failure with the list line added, and a missing file said in plain words."""
    if not Path(skip.path).exists():
        return SkippedFile(skip.path, f"is listed ({location}) but the file does not exist")
    return SkippedFile(skip.path, f"{skip.reason} ({location})")


def _probe_channels(
    listed: list[_ListedImage], readable: np.ndarray, skipped: list[SkippedFile]
) -> int:
    """1 when the first readable images are all single-channel, else 3.

    Decoding them also catches files whose header reads but whose pixels are damaged; those
    are marked unreadable in ``readable`` and reported.
    """
    channel_counts: list[int] = []
    for index in np.flatnonzero(readable):
        if len(channel_counts) == CHANNEL_PROBE_COUNT:
            break
        item = listed[index]
        try:
            channel_counts.append(decode_image(item.path).shape[2])
        except ImageError as error:
            readable[index] = False
            skipped.append(SkippedFile(item.path, f"{error} ({item.location})"))
    return 1 if channel_counts and all(count == 1 for count in channel_counts) else 3


def _check_every_class_has_images(class_names: list[str], labels: np.ndarray) -> None:
    """A class without a readable image cannot be learned or evaluated: refuse it by name."""
    counts = np.bincount(labels, minlength=len(class_names))
    empty = [name for name, count in zip(class_names, counts, strict=True) if count == 0]
    if empty:
        raise EmptyClassError(
            "error.filelist.no_readable_image_listed", empty_count=len(empty),
            mapping_file=MAPPING_FILE, classes=_few(repr(name) for name in empty),
            train_file=TRAIN_FILE, test_file=TEST_FILE)


def _few(items: Iterable[str], limit: int = 5) -> str:
    """A comma-separated list cut after ``limit`` items, so messages stay one line."""
    shown = list(items)
    text = ", ".join(shown[:limit])
    return text + (f" and {len(shown) - limit} more" if len(shown) > limit else "")
