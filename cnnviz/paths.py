"""Resolving folder and file paths typed by a user, inside the folders the app may read."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cnnviz import settings
from cnnviz.errors import UnsafePathError

_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+://")


def resolve_user_path(
    raw: str | Path, roots: list[Path] | None = None, allow_uploads: bool = False
) -> Path:
    """The real path of ``raw``, which must lie inside one of ``roots``.

    Relative paths are taken from the first root. Symbolic links are followed before the
    check, so a link pointing out of the data folder is refused like a ``..`` path.

    Uploads are private, so the uploads and cache folders are refused too (typing ``uploads``
    would otherwise read every student's extracted ZIP); only the archive source, whose path
    is the content-hash name the upload returned, passes ``allow_uploads``. That name is
    relative to the data folder, which need not be the first root (nor a root at all), so an
    upload is looked for there first.
    """
    text = str(raw).strip()
    if not text:
        raise UnsafePathError("error.paths.no_path_given")
    if _URL_SCHEME.match(text) or text.startswith(("\\\\", "//")):
        raise UnsafePathError("error.paths.not_local_folder_urls", text=text)
    if allow_uploads and (upload := _uploaded_file(text)) is not None:
        return upload
    allowed = [root.resolve() for root in (roots or settings.data_roots())]
    candidate = Path(text).expanduser()
    if not candidate.is_absolute():
        candidate = allowed[0] / candidate
    resolved = candidate.resolve()
    if not any(resolved == root or resolved.is_relative_to(root) for root in allowed):
        shown = ", ".join(str(root) for root in allowed)
        raise UnsafePathError("error.paths.lies_outside_folders_app", text=text, shown=shown)
    if not allow_uploads:
        _refuse_private_areas(text, resolved)
    return resolved


def _uploaded_file(text: str) -> Path | None:
    """The file ``text`` names inside the uploads folder (taken from the data folder when
    relative), or None when it names something else."""
    candidate = Path(text).expanduser()
    if not candidate.is_absolute():
        candidate = settings.data_dir() / candidate
    resolved = candidate.resolve()
    uploads = settings.uploads_dir().resolve()
    return resolved if resolved.is_relative_to(uploads) and resolved != uploads else None


def _refuse_private_areas(text: str, resolved: Path) -> None:
    """Refuse a path inside the uploads or the prepared-data cache (other students' data)."""
    for private in (settings.uploads_dir(), settings.cache_dir()):
        area = private.resolve()
        if resolved == area or resolved.is_relative_to(area):
            raise UnsafePathError("error.paths.lies_app_s_private", text=text, area=area.name)


def resolve_inside(root: Path, relative: str) -> Path:
    """``root / relative`` resolved, refused when it escapes ``root`` (file-list entries).

    ``root`` must already be resolved (callers resolve it once): this runs for every file of a
    200,000-line list, so it works on strings with ``os.path.realpath``.
    """
    base = os.fspath(root)
    resolved = os.path.realpath(os.path.join(base, relative))
    if resolved != base and not resolved.startswith(base.rstrip(os.sep) + os.sep):
        raise UnsafePathError("error.paths.points_outside", relative=relative, root=root)
    return Path(resolved)
