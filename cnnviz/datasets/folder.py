"""A folder of images with one sub-folder per class (Art Images, 30 animals), or ``train/`` and
``test/`` folders each holding class folders (then that split is kept)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from cnnviz.datasets.raw import NO_SPLIT, SPLIT_CODES, RawImages, SkippedFile
from cnnviz.datasets.scan import is_hidden, is_image_name, scan_images
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import DatasetError, EmptyDatasetError
from cnnviz.paths import resolve_user_path

# Folder names recognised as a given split, lower-cased.
SPLIT_FOLDER_NAMES = {
    "train": "train",
    "training": "train",
    "val": "validation",
    "valid": "validation",
    "validation": "validation",
    "test": "test",
    "testing": "test",
}


def read_folder(spec: DatasetSpec) -> RawImages:
    """Read the class folders under ``spec.path`` (which must lie inside the data roots)."""
    return read_folder_at(resolve_user_path(spec.path or ""))


def read_folder_at(root: Path) -> RawImages:
    """Read a class-folder dataset at ``root``; unreadable files are skipped and listed."""
    if not root.is_dir():
        raise DatasetError("error.folder.not_folder", root=root)
    root = _unwrap(root)
    split_folders = _split_folders(root)
    skipped: list[SkippedFile] = []
    entries: list[tuple[str, str, int]] = []  # (path, class name, split code)
    class_folders: set[str] = set()
    for split_dir, code in split_folders or [(root, NO_SPLIT)]:
        entries += _class_images(split_dir, code, skipped, class_folders)
    if not entries:
        raise EmptyDatasetError("error.folder.no_images_found_put", root=root)
    class_names = sorted(class_folders)
    class_index = {name: index for index, name in enumerate(class_names)}
    paths = [path for path, _, _ in entries]
    scan = scan_images(paths)
    keep = np.flatnonzero(scan.readable)
    labels = np.array([class_index[entries[i][1]] for i in keep], dtype=np.int64)
    codes = np.array([entries[i][2] for i in keep], dtype=np.int64)
    return RawImages(
        class_names=class_names,
        labels=labels,
        paths=[paths[i] for i in keep],
        sizes=scan.sizes[keep],
        given_split=codes if split_folders else None,
        skipped=skipped + scan.skipped,
        native_channels=3,
    )


def _unwrap(root: Path) -> Path:
    """Step into a single wrapping folder (``dataset/art/<classes>`` from a ZIP or a download).

    A lone folder that holds only files is a class, not a wrapper: it stays, so a one-class
    dataset is reported as such.
    """
    while True:
        children = [child for child in root.iterdir() if not is_hidden(child)]
        if len(children) != 1 or not children[0].is_dir():
            return root
        only = children[0]
        if only.name.lower() in SPLIT_FOLDER_NAMES or not any(
            grandchild.is_dir() for grandchild in only.iterdir() if not is_hidden(grandchild)
        ):
            return root
        root = only


def _split_folders(root: Path) -> list[tuple[Path, int]]:
    """``train``/``validation``/``test`` folders at ``root``, if a train and another are there."""
    found = [
        (child, SPLIT_CODES[SPLIT_FOLDER_NAMES[child.name.lower()]])
        for child in sorted(root.iterdir())
        if child.is_dir() and child.name.lower() in SPLIT_FOLDER_NAMES
    ]
    codes = {code for _, code in found}
    return found if SPLIT_CODES["train"] in codes and len(codes) > 1 else []


def _class_images(
    root: Path, split_code: int, skipped: list[SkippedFile], class_folders: set[str]
) -> list[tuple[str, str, int]]:
    """(path, class, split) for every image file below each class folder of ``root``.

    Every class folder is recorded in ``class_folders``, empty ones too, so a class without a
    readable image is reported instead of silently disappearing.
    """
    entries: list[tuple[str, str, int]] = []
    for child in sorted(root.iterdir()):
        if is_hidden(child):
            continue
        if child.is_file():
            if is_image_name(child):
                skipped.append(SkippedFile(str(child), "not inside a class folder"))
            continue
        class_folders.add(child.name)
        for directory, folder_names, file_names in os.walk(child):
            folder_names[:] = sorted(name for name in folder_names if not name.startswith("."))
            for name in sorted(file_names):
                path = Path(directory) / name
                if is_hidden(path):
                    continue
                if is_image_name(path):
                    entries.append((str(path), child.name, split_code))
                else:
                    skipped.append(SkippedFile(str(path), "not an image file"))
    return entries
