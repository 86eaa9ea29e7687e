"""Safe extraction of an uploaded ZIP of images into a folder of its own.

Anyone on the classroom server may upload anything, so the archive is treated as hostile:
every member is checked before a single byte is written (paths that escape, links, nested
archives, encryption, zip bombs, overlapping members), names are never reused as file names,
and sizes are counted while streaming instead of trusting what the archive declares. The
result appears under its final name only once complete, so a half-extracted upload is never
seen by another page or another student.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cnnviz import settings
from cnnviz.datasets.folder import read_folder_at
from cnnviz.datasets.images import IMAGE_SUFFIXES
from cnnviz.datasets.raw import RawImages, SkippedFile
from cnnviz.datasets.scan import is_hidden, is_image_name
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import DatasetError, EmptyDatasetError, UnsafeArchiveError
from cnnviz.paths import resolve_user_path

# Written last inside a finished folder; a folder without it is never reused.
COMPLETE_MARKER_NAME = ".complete"
# JSON list of the non-image members left out, for the dataset summary to show.
SKIPPED_FILE_NAME = ".skipped.json"
# Hex characters of the SHA-256 naming the folder: 64 bits make an accidental clash between
# two different uploads practically impossible while keeping paths short.
DIGEST_HEX_LENGTH = 16
# Chunk read from a member at a time, so a huge member never has to fit in memory.
CHUNK_BYTES = 1024 * 1024
# Members smaller than this are not ratio-checked: a small blank PNG or BMP legitimately
# compresses far beyond any bomb threshold, and a small member cannot exhaust the disk.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# Longest directory name kept; longer ones are cut so paths stay within file-system limits.
MAX_COMPONENT_LENGTH = 100
# Suffixes of archives inside the archive: refused rather than silently ignored, so a student
# whose images sit in an inner ZIP learns why none were found.
NESTED_ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")
# Prefix of the temporary sibling folder: hidden, so listings of uploads never show it.
TEMPORARY_PREFIX = ".extracting-"
# Fixed part of a ZIP local file header, its signature, and where the two lengths sit in it.
LOCAL_HEADER_BYTES = 30
LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
LOCAL_HEADER_LENGTHS_OFFSET = 26
# General-purpose flag bit saying a member is encrypted.
ENCRYPTED_FLAG = 0x1

_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps that keep one upload from filling the shared server's disk or memory."""

    max_members: int = 250_000  # entries of any kind, directories included
    max_total_bytes: int = 4 * 1024**3  # uncompressed bytes of all extracted images
    max_ratio: float = 200.0  # uncompressed / compressed size of one member above this is a bomb
    max_member_bytes: int = 64 * 1024**2  # uncompressed bytes of one image


@dataclass(frozen=True)
class _PlannedImage:
    """One member to extract and the relative path it will be written to."""

    info: zipfile.ZipInfo
    folders: tuple[str, ...]  # sanitised directory names, wrapper not yet stripped
    file_name: str  # our own name: index and lowercase suffix


def extract_archive(
    archive: Path | bytes,
    destination_root: Path | None = None,
    limits: ArchiveLimits = ArchiveLimits(),
) -> Path:
    """Extract the images of a ZIP into ``destination_root/<sha256 prefix>`` and return it.

    The folder is named by the archive's content, so uploading the same ZIP again returns the
    folder already extracted. The whole archive is refused with :class:`UnsafeArchiveError`
    at the first unsafe member; nothing is left behind then. Directory entries, hidden files
    and non-image files are not extracted; the non-image ones are listed in ``.skipped.json``.
    """
    root = settings.uploads_dir() if destination_root is None else Path(destination_root)
    with open_source(archive) as handle:
        final = root / _digest(handle)[:DIGEST_HEX_LENGTH]
        if (final / COMPLETE_MARKER_NAME).is_file():
            return final
        try:
            zip_file = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise unreadable_archive(archive) from error
        with zip_file:
            images, skipped = _plan(zip_file, handle, limits)
            root.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX, dir=root))
            try:
                _extract(zip_file, images, temporary, _archive_name(archive))
                (temporary / SKIPPED_FILE_NAME).write_text(json.dumps(skipped, indent=1))
                (temporary / COMPLETE_MARKER_NAME).write_text("")
                _publish(temporary, final)
            except BaseException:
                shutil.rmtree(temporary, ignore_errors=True)
                raise
    return final


def open_source(archive: Path | bytes) -> BinaryIO:
    """A seekable binary handle on the archive: bytes stay in memory, a path is opened."""
    if isinstance(archive, bytes):
        return io.BytesIO(archive)
    try:
        return open(archive, "rb")
    except OSError as error:
        raise unreadable_archive(archive) from error


def _archive_name(archive: Path | bytes) -> str:
    return "The uploaded file" if isinstance(archive, bytes) else Path(archive).name


def unreadable_archive(archive: Path | bytes) -> UnsafeArchiveError:
    return UnsafeArchiveError(
        "error.archive.not_readable_zip_archive", archive_name=_archive_name(archive))


def _digest(handle: BinaryIO) -> str:
    """SHA-256 of the whole archive, read in chunks so a large upload is not copied."""
    hasher = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(CHUNK_BYTES):
        hasher.update(chunk)
    handle.seek(0)
    return hasher.hexdigest()


def _plan(
    zip_file: zipfile.ZipFile, handle: BinaryIO, limits: ArchiveLimits
) -> tuple[list[_PlannedImage], list[str]]:
    """Check every member and decide what is extracted where, before anything is written.

    Structural checks (paths, links, encryption, nested archives, overlaps) apply to every
    member, since any of them marks a crafted or misleading archive. Size checks apply to the
    images only: the other members are never decompressed, so they cannot fill the disk.
    """
    images: list[_PlannedImage] = []
    skipped: list[str] = []
    total_bytes = 0
    for info, components in checked_members(zip_file, handle, limits):
        if any(is_hidden(Path(component)) for component in components):
            continue
        if not is_image_name(Path(components[-1])):
            skipped.append("/".join(components))
            continue
        check_member_size(info, limits)
        total_bytes += info.file_size
        if total_bytes > limits.max_total_bytes:
            raise UnsafeArchiveError(
                "error.archive.images_archive_add_up",
                max_total_bytes=limits.max_total_bytes, filename=info.filename)
        suffix = Path(components[-1]).suffix.lower()
        folders = tuple(_sanitise(component) for component in components[:-1])
        images.append(_PlannedImage(info, folders, f"{len(images):06d}{suffix}"))
    if not images:
        raise EmptyDatasetError(
            "error.archive.archive_contains_no_images",
            suffixes=', '.join(suffix[1:] for suffix in IMAGE_SUFFIXES))
    return _strip_wrapper(images), skipped


def checked_members(
    zip_file: zipfile.ZipFile, handle: BinaryIO, limits: ArchiveLimits
) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    """Every file member of an uploaded ZIP with its path components, directories left out.

    The checks every archive gets, whatever it holds (a dataset, a run): the member count,
    overlapping members, then per member escaping paths, links, encryption and inner
    archives. Any unsafe member refuses the whole archive with :class:`UnsafeArchiveError`.
    """
    members = zip_file.infolist()
    if len(members) > limits.max_members:
        raise UnsafeArchiveError(
            "error.archive.archive_members_more_than", members_count=len(members),
            max_members=limits.max_members)
    _check_no_overlap(members, handle)
    files = []
    for info in members:
        components = _safe_components(info)
        if not info.filename.replace("\\", "/").endswith("/") and components:
            files.append((info, components))
    return files


def _safe_components(info: zipfile.ZipInfo) -> list[str]:
    """The member's path components; refuses escaping paths, links, encryption, inner archives.

    Backslashes count as separators because Windows tools write them and Windows readers
    honour them. Empty and ``.`` components change nothing and are dropped.
    """
    name = info.filename.replace("\\", "/")
    if name.startswith("/"):
        raise UnsafeArchiveError(
            "error.archive.archive_member_absolute_path", filename=info.filename)
    if _DRIVE_LETTER.match(name):
        raise UnsafeArchiveError(
            "error.archive.archive_member_names_drive", filename=info.filename)
    components = [component for component in name.split("/") if component not in ("", ".")]
    if ".." in components:
        raise UnsafeArchiveError(
            "error.archive.archive_member_points_outside", filename=info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeArchiveError(
            "error.archive.archive_member_symbolic_link", filename=info.filename)
    if info.flag_bits & ENCRYPTED_FLAG:
        raise UnsafeArchiveError("error.archive.archive_member_encrypted", filename=info.filename)
    if name.lower().endswith(NESTED_ARCHIVE_SUFFIXES):
        raise UnsafeArchiveError(
            "error.archive.archive_member_itself_archive", filename=info.filename)
    return components


def check_member_size(info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    """Refuse a member whose declared size or compression ratio marks it as a bomb."""
    if info.file_size > limits.max_member_bytes:
        raise UnsafeArchiveError(
            "error.archive.archive_member_declares_bytes", filename=info.filename,
            file_size=info.file_size, max_member_bytes=limits.max_member_bytes)
    too_compressed = info.file_size > limits.max_ratio * info.compress_size
    if info.file_size >= RATIO_CHECK_MIN_BYTES and too_compressed:
        raise UnsafeArchiveError(
            "error.archive.archive_member_expands_bytes", filename=info.filename,
            file_size=info.file_size, compress_size=info.compress_size,
            max_ratio=limits.max_ratio)


def _check_no_overlap(members: list[zipfile.ZipInfo], handle: BinaryIO) -> None:
    """Refuse members whose data overlap: the "quoted-overlap" bomb (David Fifield, 2019).

    Such an archive reuses the same compressed bytes for many members, so each member passes
    the ratio check while the whole expands by millions. In an honest archive each member's
    local header and data end before the next member's header begins.
    """
    archive_bytes = handle.seek(0, os.SEEK_END)
    ordered = sorted(members, key=lambda info: info.header_offset)
    for position, info in enumerate(ordered):
        header_length = _local_header_length(info, handle, archive_bytes)
        data_end = info.header_offset + header_length + info.compress_size
        is_last = position + 1 == len(ordered)
        next_start = archive_bytes if is_last else ordered[position + 1].header_offset
        if data_end > next_start:
            raise UnsafeArchiveError(
                "error.archive.archive_member_overlaps_another", filename=info.filename)


def _local_header_length(info: zipfile.ZipInfo, handle: BinaryIO, archive_bytes: int) -> int:
    """Length of the member's local header, read from the archive (it may differ from the
    central directory's copy, which is exactly what an overlap bomb exploits)."""
    if info.header_offset < 0 or info.header_offset + LOCAL_HEADER_BYTES > archive_bytes:
        raise UnsafeArchiveError(
            "error.archive.archive_member_points_outside_2", filename=info.filename)
    handle.seek(info.header_offset)
    header = handle.read(LOCAL_HEADER_BYTES)
    if len(header) != LOCAL_HEADER_BYTES or not header.startswith(LOCAL_HEADER_SIGNATURE):
        raise UnsafeArchiveError(
            "error.archive.archive_member_damaged_header", filename=info.filename)
    name_length, extra_length = struct.unpack_from("<HH", header, LOCAL_HEADER_LENGTHS_OFFSET)
    return LOCAL_HEADER_BYTES + name_length + extra_length


def _sanitise(component: str) -> str:
    """A directory name safe on any file system: unusual characters become ``_``."""
    kept = "".join(char if char.isalnum() or char in " -_." else "_" for char in component)
    return kept[:MAX_COMPONENT_LENGTH]


def _strip_wrapper(images: list[_PlannedImage]) -> list[_PlannedImage]:
    """Drop one top-level folder that wraps everything (``dataset/cats/...``).

    Zipping a folder usually wraps it; stripping lets the returned folder hold the class
    folders (or ``train/`` and ``test/``) directly. A folder holding images directly is a
    class, not a wrapper, so it is kept.
    """
    tops = {image.folders[0] if image.folders else None for image in images}
    if len(tops) != 1 or None in tops or any(len(image.folders) < 2 for image in images):
        return images
    return [_PlannedImage(image.info, image.folders[1:], image.file_name) for image in images]


def _extract(
    zip_file: zipfile.ZipFile, images: list[_PlannedImage], folder: Path, archive_name: str
) -> None:
    """Stream each image out in chunks, counting the real bytes against the declared size.

    ``zipfile`` stops at the declared size and checks the CRC, but the count does not rely on
    that. Since every declared size was checked against the per-image and total caps before
    extraction, no member can then pass its declared size, so the real bytes respect both caps.
    """
    for image in images:
        target_folder = folder.joinpath(*image.folders)
        try:
            target_folder.mkdir(parents=True, exist_ok=True)
            with open(target_folder / image.file_name, "xb") as target:
                member_bytes = 0
                for chunk in member_chunks(zip_file, image.info, archive_name):
                    member_bytes += len(chunk)
                    if member_bytes > image.info.file_size:
                        raise UnsafeArchiveError(
                            "error.archive.archive_member_holds_more",
                            filename=image.info.filename, file_size=image.info.file_size)
                    target.write(chunk)
        except OSError as error:
            raise DatasetError(
                "error.archive.could_not_written", filename=image.info.filename,
                error=error) from error


def member_chunks(
    zip_file: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str
) -> Iterator[bytes]:
    """The member's uncompressed bytes, chunk by chunk; damaged data becomes a clear refusal.

    Kept apart from writing so a full disk is not reported as a damaged archive.
    """
    try:
        with zip_file.open(info) as source:
            while chunk := source.read(CHUNK_BYTES):
                yield chunk
    except NotImplementedError as error:
        raise UnsafeArchiveError(
            "error.archive.archive_member_uses_compression", filename=info.filename) from error
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, lzma.LZMAError) as error:
        raise UnsafeArchiveError(
            "error.archive.not_readable_zip_archive_2", archive_name=archive_name,
            filename=info.filename, error=error) from error


def _publish(temporary: Path, final: Path) -> None:
    """Move the finished folder to its final name in one step.

    If another upload of the same archive finished first, its folder is kept and ours is
    dropped; a folder of that name without the marker is not ours and is replaced.
    """
    if final.exists() and not (final / COMPLETE_MARKER_NAME).is_file():
        shutil.rmtree(final)
    try:
        os.replace(temporary, final)
    except OSError:
        if not (final / COMPLETE_MARKER_NAME).is_file():
            raise
        shutil.rmtree(temporary, ignore_errors=True)


def read_archive(spec: DatasetSpec) -> RawImages:
    """Extract the ZIP at ``spec.path`` (inside the data roots) and read it as an image folder.

    Members that were not images are listed among the skipped files with the folder's own.
    """
    folder = extract_archive(resolve_user_path(spec.path or "", allow_uploads=True))
    raw = read_folder_at(folder)
    left_out = json.loads((folder / SKIPPED_FILE_NAME).read_text())
    raw.skipped = [SkippedFile(name, "not an image file") for name in left_out] + raw.skipped
    return raw
