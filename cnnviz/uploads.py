"""Saving a file uploaded in the browser into the data folder, after checking it."""

from __future__ import annotations

import hashlib
import os

from cnnviz import settings
from cnnviz.atomic import write_bytes_atomic
from cnnviz.errors import UnsafeArchiveError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
DEFAULT_MAX_UPLOAD_MB = 1024


def max_upload_bytes() -> int:
    """Largest upload kept (``CNNVIZ_MAX_UPLOAD_MB``); Streamlit's own limit is set to match,
    and this check runs again on the server in case the client-side one was bypassed."""
    return int(float(os.environ.get("CNNVIZ_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024)


def save_zip_upload(data: bytes) -> str:
    """Store an uploaded ZIP under ``uploads/`` by its content hash; return the path relative
    to the data folder, ready for ``DatasetSpec(source="archive", path=...)``.

    The type is checked from the bytes, not the name the browser sent.
    """
    if len(data) > max_upload_bytes():
        raise UnsafeArchiveError(
            "error.uploads.file_mb_uploads_limited", megabytes=len(data) / 2**20,
            limit_megabytes=max_upload_bytes() / 2**20)
    if not data.startswith(ZIP_MAGIC):
        raise UnsafeArchiveError("error.uploads.file_not_zip_archive")
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.zip"
    target = settings.uploads_dir() / name
    if not target.exists():
        write_bytes_atomic(target, data)
    return str(target.relative_to(settings.data_dir()))
