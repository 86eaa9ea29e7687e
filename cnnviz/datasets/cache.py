"""On-disk cache of prepared datasets, keyed by the spec and the files it was read from.

A second load of the same spec memory-maps the prepared arrays instead of decoding every
image again. Entries are written into a temporary folder and renamed into place, so a reader
never sees half an entry, and editing the source folder changes the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

from cnnviz import settings
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.specs import spec_to_dict

# Bump when the cached layout or the preparation code changes meaning.
CACHE_FORMAT = 1

# Spec fields that change how training uses the data, not what is loaded.
_TRAINING_ONLY_FIELDS = ("augmentation", "balancing", "storage")


def cache_root() -> Path:
    return settings.cache_dir()


def cache_key(spec: DatasetSpec, source_fingerprint: str) -> str:
    """A short hex key of everything that decides the prepared arrays."""
    described = {k: v for k, v in spec_to_dict(spec).items() if k not in _TRAINING_ONLY_FIELDS}
    text = json.dumps(
        {"format": CACHE_FORMAT, "spec": described, "source": source_fingerprint}, sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def fingerprint_tree(root: Path) -> str:
    """A hash of every file's relative path, size and modification time below ``root``.

    Only ``stat`` is called (no file is read), so a 200,000-file folder costs about a second.
    """
    digest = hashlib.sha256()
    if root.is_file():
        stat = root.stat()
        digest.update(f"{root}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        return digest.hexdigest()
    for directory, folder_names, file_names in os.walk(root):
        folder_names.sort()
        for name in sorted(file_names):
            path = Path(directory) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def entry_path(key: str) -> Path:
    return cache_root() / key


def is_complete(key: str) -> bool:
    return (entry_path(key) / "meta.json").is_file()


def new_entry_folder() -> Path:
    """A private temporary folder to write a new entry into before :func:`publish`."""
    folder = cache_root() / f".tmp-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    return folder


def publish(temporary: Path, key: str) -> Path:
    """Move a fully written entry into place; if another process won the race, keep theirs."""
    target = entry_path(key)
    try:
        os.replace(temporary, target)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
    return target

