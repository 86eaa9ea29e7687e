"""Which reader handles which ``DatasetSpec.source``, imported only when used."""

from __future__ import annotations

from pathlib import Path

from cnnviz.datasets.raw import RawImages
from cnnviz.datasets.spec import FILE_SOURCES, DatasetSpec
from cnnviz.paths import resolve_user_path


def read_source(spec: DatasetSpec) -> RawImages:
    """Read the labelled images of ``spec``'s source, before any preparation."""
    if spec.source == "folder":
        from cnnviz.datasets.folder import read_folder

        return read_folder(spec)
    if spec.source == "filelist":
        from cnnviz.datasets.filelist import read_filelist

        return read_filelist(spec)
    if spec.source == "attributes":
        from cnnviz.datasets.attributes import read_attributes

        return read_attributes(spec)
    if spec.source == "archive":
        from cnnviz.datasets.archive import read_archive

        return read_archive(spec)
    from cnnviz.datasets.builtin import BUILTIN_READERS

    return BUILTIN_READERS[spec.source](spec)


def source_root(spec: DatasetSpec) -> Path | None:
    """The file or folder a file source reads (checked against the data roots), else None.

    Only the archive source may name a file in the private uploads folder: its path is the
    content-hash name that the upload itself returned.
    """
    if spec.source not in FILE_SOURCES:
        return None
    return resolve_user_path(spec.path or "", allow_uploads=spec.source == "archive")

