"""Exports made for the download buttons: once per finished run, kept in its ``exports/``.

Converting imports TensorFlow and can take a minute (or crash inside a converter), so it runs
in a child process (``python -m cnnviz export``), never in the web server. A format that
failed is remembered with its reason, so the page says so at once instead of offering a
broken download or converting again on every visit. The folder is named after the model file's
size and time, so a model written again (``cnnviz evaluate``, a new best epoch) is exported anew.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from cnnviz import runs
from cnnviz.errors import ExportError, ModelExportError
from cnnviz.exports.model_formats import (CONVERTER_REFUSED_EXIT_CODE, MODEL_FORMATS,
                                          export_model, model_file)
from cnnviz.exports.run_archive import exportable, write_run_archive

# What the page offers: a run archive, a TensorBoard log, and each model format.
EXPORTS = ("archive", "tensorboard", *MODEL_FORMATS)
# Suffix of the download file of each export (folders are zipped).
DOWNLOAD_SUFFIXES = {"archive": "-run.zip", "tensorboard": "-tensorboard.zip",
                     "keras": ".keras", "savedmodel": "-savedmodel.zip",
                     "tflite": ".tflite", "onnx": ".onnx"}
FAILURE_SUFFIX = ".failed.txt"
# What an export left out and why (the command line's "note:" lines), shown beside its download.
NOTES_SUFFIX = ".notes.txt"
# A converter that has not finished by then is taken to hang.
CHILD_TIMEOUT_SECONDS = 600


def exports_folder(run_id: str) -> Path:
    """``exports/<stamp>/`` of a finished run: the stamp changes when its model is rewritten."""
    exportable(run_id)
    model = model_file(run_id).stat()
    return runs.run_folder(run_id).exports / f"{model.st_size}-{model.st_mtime_ns}"


def download_name(run_id: str, export: str) -> str:
    return f"{run_id}{DOWNLOAD_SUFFIXES[export]}"


def prepared(run_id: str, export: str) -> Path | None:
    """The download file of ``export`` if it was made already."""
    path = exports_folder(run_id) / download_name(run_id, export)
    return path if path.is_file() else None


def failure(run_id: str, export: str) -> str | None:
    """Why ``export`` could not be made for this run, if it was tried and failed."""
    path = exports_folder(run_id) / f"{export}{FAILURE_SUFFIX}"
    return path.read_text() if path.is_file() else None


def notes(run_id: str, export: str) -> str | None:
    """What the made ``export`` left out and why (a TensorBoard log without pictures)."""
    path = exports_folder(run_id) / f"{export}{NOTES_SUFFIX}"
    return path.read_text() if path.is_file() else None


def prepare(run_id: str, export: str) -> Path:
    """Make the download file of ``export`` (or return the one made before); a failure is
    recorded and raised as :class:`ExportError`."""
    if export not in EXPORTS:
        raise ValueError(f"export must be one of {EXPORTS}, not {export!r}")
    if (done := prepared(run_id, export)) is not None:
        return done
    if (reason := failure(run_id, export)) is not None:
        raise ModelExportError("error.prepared.refused", reason=reason)
    folder = exports_folder(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / download_name(run_id, export)
    if export == "archive":
        return write_run_archive(run_id, target)
    if export == "keras":  # a copy, no conversion: no child process needed
        return export_model(run_id, export, target)
    with tempfile.TemporaryDirectory(prefix=".export-", dir=folder) as staging:
        if export == "tensorboard":
            _run_child([run_id, "--tensorboard", staging], folder, export)
            _zip_folder(Path(staging), target)
        elif export == "savedmodel":
            _run_child([run_id, "--format", export, "--output", f"{staging}/savedmodel"],
                       folder, export)
            _zip_folder(Path(staging) / "savedmodel", target)
        else:
            _run_child([run_id, "--format", export, "--output", str(target)], folder, export)
    return target


def _run_child(arguments: list[str], folder: Path, export: str) -> None:
    """``python -m cnnviz export ARGUMENTS`` in a child process; its refusal is recorded."""
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "cnnviz", "export", *arguments], capture_output=True,
            text=True, timeout=CHILD_TIMEOUT_SECONDS, env=runs.child_environment(),
            stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        raise ExportError(
            "error.prepared.export_took_longer_than", export=export,
            timeout_seconds=CHILD_TIMEOUT_SECONDS) from error
    if finished.returncode == 0:
        left_out = [line[len("note: "):] for line in finished.stderr.splitlines()
                    if line.startswith("note: ")]
        if left_out:
            (folder / f"{export}{NOTES_SUFFIX}").write_text("\n".join(left_out))
        return
    refusals = [line[len("error: "):] for line in finished.stderr.splitlines()
                if line.startswith("error: ")]
    if not refusals:
        raise ModelExportError("error.prepared.stopped", export=export,
                               exit_code=finished.returncode)
    reason = refusals[-1]
    if finished.returncode == CONVERTER_REFUSED_EXIT_CODE:  # not an accident: remember it
        (folder / f"{export}{FAILURE_SUFFIX}").write_text(reason)
    raise ModelExportError("error.prepared.refused", reason=reason)


def _zip_folder(source: Path, target: Path) -> None:
    """Every file under ``source`` into the ZIP ``target`` (written atomically)."""
    handle, temporary = tempfile.mkstemp(prefix=".zip-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(source.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(source).as_posix())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
