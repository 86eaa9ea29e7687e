"""From a :class:`DatasetSpec` to a :class:`Dataset`: read, choose classes, split, prepare.

Small datasets are prepared once and memory-mapped from the on-disk cache afterwards; large
ones are streamed (each image decoded when a batch needs it), chosen by an estimate of the
decoded size unless the spec forces either.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from cnnviz import settings
from cnnviz.datasets import cache
from cnnviz.datasets.classes import cap_per_class, check_classes, merge_classes, select_classes
from cnnviz.datasets.dataset import SPLIT_NAMES, Dataset, Split
from cnnviz.datasets.images import decode_image
from cnnviz.datasets.raw import SPLIT_CODES, RawImages, SkippedFile
from cnnviz.datasets.sources import read_source, source_root
from cnnviz.datasets.spec import DEFAULT_FILE_IMAGE_SIZE, DatasetSpec
from cnnviz.datasets.splits import assign_splits
from cnnviz.errors import EmptyDatasetError, ImageError
from cnnviz.preprocessing import ImageFormat


def load_dataset(spec: DatasetSpec, use_cache: bool = True) -> Dataset:
    """Load and prepare the dataset ``spec`` describes.

    With ``use_cache`` a prepared copy is kept under ``CNNVIZ_DATA_DIR/cache``; the key covers
    the spec and the size and date of every source file, so changed files are read again.
    """
    root = source_root(spec)
    fingerprint = cache.fingerprint_tree(root) if root is not None else ""
    for storage in _storage_candidates(spec):
        key = cache.cache_key(spec, f"{fingerprint}|{storage}")
        if use_cache and cache.is_complete(key):
            dataset = _dataset_from_entry(spec, cache.entry_path(key), storage)
            count = sum(len(dataset.split(name)) for name in SPLIT_NAMES)
            if choose_storage(spec.storage, count, dataset.image_format) == storage:
                return dataset
    raw = prepare_raw(spec)
    image_format = image_format_for(spec, raw)
    storage = choose_storage(spec.storage, len(raw), image_format)
    codes = assign_splits(
        raw.labels, raw.given_split, spec.validation_fraction, spec.test_fraction, spec.seed
    )
    raw = raw.subset(np.argsort(codes, kind="stable"))
    codes = np.sort(codes, kind="stable")
    if raw.paths is None and storage == "stream":
        return _dataset_streaming_arrays(spec, raw, codes, image_format)
    key = cache.cache_key(spec, f"{fingerprint}|{storage}")
    folder = cache.new_entry_folder()
    try:
        _write_entry(folder, raw, codes, image_format, storage)
        if use_cache:
            folder = cache.publish(folder, key)
        return _dataset_from_entry(spec, folder, storage)
    finally:
        if not use_cache:
            _release_uncached(folder)


def prepare_raw(spec: DatasetSpec) -> RawImages:
    """Read the source and apply merging, class selection and the per-class cap."""
    raw = read_source(spec)
    raw = merge_classes(raw, spec.merge)
    raw = select_classes(raw, spec.classes)
    raw = cap_per_class(raw, spec.max_per_class, spec.seed)
    check_classes(raw)
    return raw


def image_format_for(spec: DatasetSpec, raw: RawImages) -> ImageFormat:
    """The spec's size and channels, falling back on the source's own."""
    if spec.image_size is not None:
        height, width = spec.image_size
    elif raw.arrays is not None:
        height, width = raw.arrays.shape[1:3]
    else:
        height, width = DEFAULT_FILE_IMAGE_SIZE
    channels = spec.channels or raw.native_channels
    return ImageFormat(int(height), int(width), int(channels), spec.resize_mode)


def estimated_bytes(count: int, image_format: ImageFormat) -> int:
    """Decoded size of ``count`` prepared images, in bytes (uint8)."""
    height, width, channels = image_format.shape
    return count * height * width * channels


def choose_storage(requested: str, count: int, image_format: ImageFormat) -> str:
    """``memory`` or ``stream``: the request, or for ``auto`` whether it fits the budget."""
    if requested in ("memory", "stream"):
        return requested
    fits = estimated_bytes(count, image_format) <= settings.memory_budget_bytes()
    return "memory" if fits else "stream"


def _storage_candidates(spec: DatasetSpec) -> tuple[str, ...]:
    return ("memory", "stream") if spec.storage == "auto" else (spec.storage,)


def _write_entry(
    folder: Path, raw: RawImages, codes: np.ndarray, image_format: ImageFormat, storage: str
) -> None:
    """Write the index (labels, splits, sizes, paths) and, in memory mode, the prepared images."""
    skipped = list(raw.skipped)
    if storage == "memory":
        valid, failures = _prepare_into(folder / "images.npy", raw, image_format)
        skipped += failures
        if not valid.all():
            _compact_images(folder / "images.npy", valid)
            raw, codes = raw.subset(np.flatnonzero(valid)), codes[valid]
            if len(raw) == 0:
                raise EmptyDatasetError("error.loader.no_image_dataset_could")
    np.save(folder / "labels.npy", raw.labels)
    np.save(folder / "codes.npy", codes)
    sizes = raw.sizes if raw.sizes is not None else np.zeros((len(raw), 2), dtype=np.int64)
    np.save(folder / "sizes.npy", sizes)
    if raw.paths is not None:
        (folder / "paths.json").write_text(json.dumps(raw.paths))
    meta = {
        "class_names": raw.class_names,
        "image_format": [image_format.height, image_format.width, image_format.channels,
                         image_format.resize_mode],
        "skipped": [[item.path, item.reason] for item in skipped],
    }
    (folder / "meta.json").write_text(json.dumps(meta))


def _prepare_into(
    target: Path, raw: RawImages, image_format: ImageFormat
) -> tuple[np.ndarray, list[SkippedFile]]:
    """Decode and prepare every image straight into a memory-mapped file.

    Writing into the mapped file rather than a list of arrays keeps peak memory at one copy;
    threads overlap because Pillow's decoders and OpenCV's resize release the GIL.
    """
    images = np.lib.format.open_memmap(
        target, mode="w+", dtype=np.uint8, shape=(len(raw), *image_format.shape)
    )
    valid = np.ones(len(raw), dtype=bool)
    failures: list[SkippedFile] = []
    if raw.arrays is not None:
        for index in range(len(raw)):
            images[index] = image_format.prepare(raw.arrays[index])
    else:
        paths = raw.paths or []

        def prepare(index: int) -> SkippedFile | None:
            try:
                images[index] = image_format.prepare(decode_image(paths[index]))
            except ImageError as error:
                valid[index] = False
                return SkippedFile(paths[index], str(error))
            return None

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            failures = [item for item in pool.map(prepare, range(len(paths)), chunksize=64) if item]
    images.flush()
    del images
    return valid, failures


def _compact_images(target: Path, valid: np.ndarray) -> None:
    """Drop the rows of images that failed to decode (rare: truncated files)."""
    images = np.load(target, mmap_mode="r")
    kept = np.ascontiguousarray(images[valid])
    del images
    np.save(target, kept)


def _dataset_from_entry(spec: DatasetSpec, folder: Path, storage: str) -> Dataset:
    meta = json.loads((folder / "meta.json").read_text())
    height, width, channels, resize_mode = meta["image_format"]
    image_format = ImageFormat(height, width, channels, resize_mode)
    labels = np.load(folder / "labels.npy")
    codes = np.load(folder / "codes.npy")
    sizes = np.load(folder / "sizes.npy")
    images = np.load(folder / "images.npy", mmap_mode="r") if storage == "memory" else None
    paths_file = folder / "paths.json"
    paths = json.loads(paths_file.read_text()) if paths_file.exists() else None
    splits = {}
    for name in SPLIT_NAMES:
        start, stop = np.searchsorted(codes, SPLIT_CODES[name], side="left"), np.searchsorted(
            codes, SPLIT_CODES[name], side="right"
        )
        splits[name] = Split(
            labels=labels[start:stop],
            image_format=image_format,
            images=None if images is None else images[start:stop],
            items=None if images is not None or paths is None else paths[start:stop],
            original_sizes=sizes[start:stop],
        )
    return Dataset(
        spec=spec,
        class_names=list(meta["class_names"]),
        image_format=image_format,
        skipped=[SkippedFile(path, reason) for path, reason in meta["skipped"]],
        storage=storage,
        **splits,
    )


def _dataset_streaming_arrays(
    spec: DatasetSpec, raw: RawImages, codes: np.ndarray, image_format: ImageFormat
) -> Dataset:
    """A decoded source too large once resized: keep source arrays, prepare per batch."""
    splits = {}
    for name in SPLIT_NAMES:
        selected = codes == SPLIT_CODES[name]
        splits[name] = Split(
            labels=raw.labels[selected],
            image_format=image_format,
            items=raw.arrays[selected],  # type: ignore[index]
            original_sizes=None if raw.sizes is None else raw.sizes[selected],
        )
    return Dataset(
        spec=spec,
        class_names=list(raw.class_names),
        image_format=image_format,
        skipped=list(raw.skipped),
        storage="stream",
        **splits,
    )


def _release_uncached(folder: Path) -> None:
    """Without the cache the entry's files are still needed (memory-mapped); unlink the folder
    entries so the space is freed once the arrays are dropped (POSIX keeps open maps alive)."""
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
