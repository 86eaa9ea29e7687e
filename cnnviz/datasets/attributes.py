"""CelebA-style attribute tables: one binary attribute becomes a two-class problem.

The layout (names are the CelebA defaults and can be changed in the spec)::

    list_attr_celeba.txt     line 1: image count; line 2: attribute names;
                             then "000001.jpg  -1  1  1 ..." (1 = has it, -1 = has not)
    list_eval_partition.txt  optional, "000001.jpg 0" with 0/1/2 = train/validation/test
    img_align_celeba/        the images

Most attributes are lopsided (5 % of faces wear eyeglasses), and a model that always answers
"no" would look 95 % accurate. As in report E, every split is therefore a random sample with
exactly as many images with the attribute as without. Only the sampled files are checked on
disk, so choosing 13,000 of CelebA's 202,599 faces does not open 200,000 files.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

import numpy as np

from cnnviz.datasets.filelist import read_text_lines
from cnnviz.datasets.raw import NO_SPLIT, SPLIT_CODES, RawImages, SkippedFile
from cnnviz.datasets.scan import scan_images
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (
    DatasetError,
    EmptyClassError,
    EmptyDatasetError,
    Phrase,
    SplitError,
    UnknownAttributeError,
    UnsafePathError,
)
from cnnviz.paths import resolve_inside, resolve_user_path

logger = logging.getLogger(__name__)

SPLIT_NAMES = ("train", "validation", "test")  # the order of spec.attribute_split_sizes

# CelebA writes 1 / -1; some re-exports write 1 / 0.
LABEL_OF_VALUE = {"1": 1, "-1": 0, "0": 0}

EXPECTED_LAYOUT = Phrase("error.attributes.expected_layout")


def list_attributes(root: str | Path, attribute_file: str = "list_attr_celeba.txt") -> list[str]:
    """The attribute names of a table, for the choice box; reads its first two lines only."""
    table_path = _attribute_table(resolve_user_path(root), attribute_file)
    try:
        with table_path.open(encoding="utf-8-sig") as handle:
            count_line, names_line = handle.readline(), handle.readline()
    except UnicodeDecodeError as error:
        raise DatasetError("error.attributes.not_utf_text_file", name=table_path.name) from error
    return _header_names(count_line, names_line, table_path.name)


def read_attributes(spec: DatasetSpec) -> RawImages:
    """A balanced random sample of images with and without ``spec.attribute``.

    Each split gets ``spec.attribute_split_sizes`` images, half of each class, drawn from its
    own partition when the partition file exists and as disjoint samples of the whole table
    otherwise. When too few images of one class exist, the split is made smaller but stays
    exactly balanced. Sampled files that cannot be read are left out and listed in ``skipped``.
    """
    root = resolve_user_path(spec.path or "")
    if not root.is_dir():
        raise DatasetError(
            "error.attributes.folder_does_not_exist", root=root,
            expected_layout=EXPECTED_LAYOUT)
    table_path = _attribute_table(root, spec.attribute_file)
    image_root = resolve_inside(root, spec.image_folder)
    if not image_root.is_dir():
        raise DatasetError(
            "error.attributes.image_folder_missing", image_folder=spec.image_folder,
            root=root, expected_layout=EXPECTED_LAYOUT)
    attribute = spec.attribute or ""
    file_names, labels = _read_attribute_column(table_path, attribute)

    rng = np.random.default_rng(spec.seed)
    partition_path = resolve_inside(root, spec.partition_file)
    if partition_path.is_file():
        row_split = _read_partition(partition_path, file_names)
        sampled = _sample_each_partition(
            labels, row_split, spec.attribute_split_sizes, rng, attribute, partition_path.name
        )
    else:
        sampled = _sample_disjoint(labels, spec.attribute_split_sizes, rng, attribute)

    skipped: list[SkippedFile] = []
    rows: list[int] = []
    splits: list[int] = []
    paths: list[str] = []
    for split_name, split_rows in zip(SPLIT_NAMES, sampled, strict=True):
        for row in split_rows:
            try:
                paths.append(str(resolve_inside(image_root, file_names[row])))
            except UnsafePathError:
                skipped.append(
                    SkippedFile(file_names[row], "points outside the dataset folder")
                )
                continue
            rows.append(int(row))
            splits.append(SPLIT_CODES[split_name])

    scan = scan_images(paths)
    skipped += [_explained(skip, table_path.name, spec.image_folder) for skip in scan.skipped]
    readable = scan.readable
    kept_labels = labels[np.array(rows, dtype=np.int64)][readable]
    kept_splits = np.array(splits, dtype=np.int64)[readable]
    class_names = [f"not {attribute}", attribute]
    _check_kept(kept_labels, kept_splits, class_names, len(paths), image_root)
    return RawImages(
        class_names=class_names,
        labels=kept_labels,
        paths=[path for path, is_readable in zip(paths, readable, strict=True) if is_readable],
        sizes=scan.sizes[readable],
        given_split=kept_splits,
        skipped=skipped,
        native_channels=3,
    )


def _attribute_table(root: Path, attribute_file: str) -> Path:
    """The table's path inside ``root``, with the expected layout explained when absent."""
    table_path = resolve_inside(root, attribute_file)
    if not table_path.is_file():
        raise DatasetError(
            "error.attributes.missing", attribute_file=attribute_file, root=root,
            expected_layout=EXPECTED_LAYOUT)
    return table_path


def _header_names(count_line: str, names_line: str, file_name: str) -> list[str]:
    """The attribute names of line 2, after checking line 1 is the image count."""
    if not count_line.strip().isdigit():
        raise DatasetError(
            "error.attributes.line_should_hold_number", file_name=file_name,
            first_line=count_line.strip()[:40], expected_layout=EXPECTED_LAYOUT)
    names = names_line.split()
    if not names:
        raise DatasetError(
            "error.attributes.line_should_list_attribute", file_name=file_name,
            expected_layout=EXPECTED_LAYOUT)
    return names


def _read_attribute_column(table_path: Path, attribute: str) -> tuple[list[str], np.ndarray]:
    """File names and 0/1 labels of one attribute, checking every line's column count.

    Only the chosen column is converted; a plain loop over ``str.split`` reads CelebA's
    202,599 lines in well under a second.
    """
    lines = read_text_lines(table_path)
    if len(lines) < 2:
        raise DatasetError(
            "error.attributes.no_attribute_names", name=table_path.name,
            expected_layout=EXPECTED_LAYOUT)
    names = _header_names(lines[0], lines[1], table_path.name)
    if attribute not in names:
        raise _unknown_attribute(attribute, names, table_path.name)
    column = names.index(attribute) + 1
    field_count = len(names) + 1
    file_names: list[str] = []
    labels: list[int] = []
    for line_number, line in enumerate(lines[2:], start=3):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != field_count:
            raise DatasetError(
                "error.attributes.line_expected_file_name", name=table_path.name,
                line_number=line_number, names_count=len(names), fields_count=len(fields))
        label = LABEL_OF_VALUE.get(fields[column])
        if label is None:
            raise DatasetError(
                "error.attributes.line_value_values_must", name=table_path.name,
                line_number=line_number, attribute=attribute, file_name=fields[0],
                value=fields[column])
        file_names.append(fields[0])
        labels.append(label)
    if not file_names:
        raise EmptyDatasetError(
            "error.attributes.lists_no_image", name=table_path.name,
            expected_layout=EXPECTED_LAYOUT)
    return file_names, np.array(labels, dtype=np.int64)


def _unknown_attribute(attribute: str, names: list[str], file_name: str) -> UnknownAttributeError:
    """Say which names exist, and the closest one, since a typo is the usual cause."""
    by_lower_name = {name.lower(): name for name in names}
    close = difflib.get_close_matches(attribute.lower(), list(by_lower_name), n=1)
    shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    if close:
        return UnknownAttributeError("error.attributes.unknown_attribute_close",
                                     file_name=file_name, attribute=attribute,
                                     close=by_lower_name[close[0]], available=shown)
    return UnknownAttributeError("error.attributes.unknown_attribute", file_name=file_name,
                                 attribute=attribute, available=shown)


def _read_partition(partition_path: Path, file_names: list[str]) -> np.ndarray:
    """The split code of every table row; NO_SPLIT for images the partition file omits."""
    split_of_name: dict[str, int] = {}
    for line_number, line in enumerate(read_text_lines(partition_path), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in ("0", "1", "2"):
            raise DatasetError(
                "error.attributes.line_expected_file_name_2", name=partition_path.name,
                line_number=line_number, line=line.strip()[:80])
        # The file's 0/1/2 are translated by name rather than assumed equal to SPLIT_CODES.
        split_of_name[fields[0]] = SPLIT_CODES[SPLIT_NAMES[int(fields[1])]]
    return np.array([split_of_name.get(name, NO_SPLIT) for name in file_names], dtype=np.int64)


def _per_class_wanted(split_sizes: tuple[int, int, int]) -> list[int]:
    """Images per class for each split; odd sizes round down, but never to zero."""
    return [max(1, size // 2) for size in split_sizes]


def _sample_each_partition(
    labels: np.ndarray,
    row_split: np.ndarray,
    split_sizes: tuple[int, int, int],
    rng: np.random.Generator,
    attribute: str,
    partition_name: str,
) -> list[np.ndarray]:
    """A balanced sample of each split drawn from that split's own partition."""
    sampled = []
    for split_name, wanted in zip(SPLIT_NAMES, _per_class_wanted(split_sizes), strict=True):
        pool = np.flatnonzero(row_split == SPLIT_CODES[split_name])
        with_attribute = pool[labels[pool] == 1]
        without_attribute = pool[labels[pool] == 0]
        count = min(wanted, len(with_attribute), len(without_attribute))
        if count == 0:
            raise SplitError(
                "error.attributes.partition_holds_image_s", split_name=split_name,
                partition_name=partition_name, with_attribute_count=len(with_attribute),
                attribute=attribute, without_attribute_count=len(without_attribute))
        if count < wanted:
            logger.warning(
                "Only %d %s images per class for %s (asked %d): the %s partition has %d with "
                "and %d without",
                count, split_name, attribute, wanted, split_name,
                len(with_attribute), len(without_attribute),
            )
        chosen = np.concatenate(
            [
                rng.choice(with_attribute, count, replace=False),
                rng.choice(without_attribute, count, replace=False),
            ]
        )
        sampled.append(np.sort(chosen))
    return sampled


def _sample_disjoint(
    labels: np.ndarray,
    split_sizes: tuple[int, int, int],
    rng: np.random.Generator,
    attribute: str,
) -> list[np.ndarray]:
    """Disjoint balanced samples of the whole table, shrunk in proportion when it is too small.

    Shrinking every split (rather than filling train first) keeps a small table usable with
    the default sizes: 300 faces still give train, validation and test.
    """
    with_attribute = rng.permutation(np.flatnonzero(labels == 1))
    without_attribute = rng.permutation(np.flatnonzero(labels == 0))
    available = min(len(with_attribute), len(without_attribute))
    wanted = _per_class_wanted(split_sizes)
    counts = list(wanted)
    if sum(wanted) > available:
        counts = [count * available // sum(wanted) for count in wanted]
        counts[0] += available - sum(counts)
        logger.warning(
            "Only %d images per class for %s (asked %d): shrinking the splits to %s per class",
            available, attribute, sum(wanted), counts,
        )
    if min(counts) == 0:
        raise SplitError(
            "error.attributes.table_image_s_without",
            with_attribute_count=len(with_attribute), attribute=attribute,
            without_attribute_count=len(without_attribute))
    sampled = []
    start = 0
    for count in counts:
        chosen = np.concatenate(
            [with_attribute[start : start + count], without_attribute[start : start + count]]
        )
        sampled.append(np.sort(chosen))
        start += count
    return sampled


def _explained(skip: SkippedFile, table_name: str, image_folder: str) -> SkippedFile:
    """A scan failure, with a missing file said in plain words."""
    if not Path(skip.path).exists():
        return SkippedFile(
            skip.path, f"is listed in {table_name} but not found in {image_folder}"
        )
    return skip


def _check_kept(
    labels: np.ndarray,
    splits: np.ndarray,
    class_names: list[str],
    sampled_count: int,
    image_root: Path,
) -> None:
    """Refuse a result that cannot train or be evaluated, saying what went missing."""
    if len(labels) == 0:
        raise EmptyDatasetError(
            "error.attributes.none_sampled_images_could", sampled_count=sampled_count,
            image_root=image_root)
    for label, name in enumerate(class_names):
        if not np.any(labels == label):
            raise EmptyClassError("error.attributes.no_sampled_image_class", name=name)
    for split_name in SPLIT_NAMES:
        if not np.any(splits == SPLIT_CODES[split_name]):
            raise SplitError("error.attributes.no_sampled_image_could", split_name=split_name)
