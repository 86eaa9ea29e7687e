"""A finished run as one ZIP, and such a ZIP imported back as a run on another machine.

A teacher hands out a trained run; a student opens it in their own copy of the app. The
archive is as untrusted as any upload, so it goes through the dataset uploads' safe ZIP checks
(:func:`cnnviz.datasets.archive.checked_members`), only the files a run folder holds are taken
(under our own names, never the archive's), ``config.json`` must rebuild its specs, every
``.keras`` file must pass the safe loader, and the run appears in the runs folder under its id
only once all of that passed. Its status is written by us as ``finished``: an archive can never
queue training on the server.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from cnnviz import runs
from cnnviz.datasets.archive import (ArchiveLimits, check_member_size, checked_members,
                                     member_chunks, open_source, unreadable_archive)
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (CnnvizError, NotARunArchiveError, RunArchiveConfigError,
                           RunArchiveModelError, RunExistsError, RunStateError,
                           UnsafeArchiveError)
from cnnviz.models.spec import ModelSpec
from cnnviz.runs import RunFolder, RunState
from cnnviz.specs import spec_from_dict, spec_to_dict
from cnnviz.training.config import TrainConfig

# The files of a run folder that travel; anything else in an archive is ignored. Caches,
# logs, checkpoints for resuming and exports are left out: the other machine rebuilds them.
RUN_FILES = (RunFolder.CONFIG, RunFolder.STATUS, RunFolder.METRICS_LOG, RunFolder.FINAL_METRICS,
             RunFolder.MODEL, RunFolder.EVALUATION, RunFolder.GENERATOR, RunFolder.DISCRIMINATOR,
             f"{RunFolder.SAMPLES}/{RunFolder.SAMPLE_NOISE}")
# Monitor grids travel too, up to epoch 999999.
MAX_GRID_DIGITS = 6
# The files each kind of run needs to be shown at all.
REQUIRED_FILES = {"classifier": (RunFolder.CONFIG, RunFolder.STATUS, RunFolder.FINAL_METRICS,
                                 RunFolder.MODEL, RunFolder.EVALUATION),
                  "gan": (RunFolder.CONFIG, RunFolder.STATUS, RunFolder.FINAL_METRICS,
                          RunFolder.GENERATOR)}
# "owner" and "owner_name" (who queued the run, on the machine it came from) are known but never
# imported: an imported run belongs to the person who imports it.
CONFIG_KEYS = {"run_id", "name", "kind", "created", "dataset", "model", "training", "versions",
               "owner", "owner_name"}
# The JSON files are read whole, so they are kept small; models may be large.
MAX_JSON_BYTES = 16 * 1024**2
RUN_ARCHIVE_LIMITS = ArchiveLimits(max_members=20_000, max_total_bytes=8 * 1024**3,
                                   max_ratio=200.0, max_member_bytes=4 * 1024**3)
# Hidden, so the run list never shows a half-imported run.
TEMPORARY_PREFIX = ".importing-"


def exportable(run_id: str) -> None:
    """Raise :class:`cnnviz.errors.RunStateError` unless the run is finished or stopped (only
    those travel: a running run's files are still changing)."""
    state = runs.read_status(run_id).get("state")
    if state not in RunState.EVALUATED:
        raise RunStateError("error.run_archive.only_finished_runs_export", run_id=run_id,
                            state=state)


def run_files(run_id: str) -> list[str]:
    """The archive member names of a run: its :data:`RUN_FILES` and monitor grids present."""
    folder = runs.run_folder(run_id)
    names = [name for name in RUN_FILES if (folder.path / name).is_file()]
    if folder.samples.is_dir():
        names += sorted(name for name in (f"{RunFolder.SAMPLES}/{path.name}"
                                          for path in folder.samples.iterdir())
                        if _is_monitor_grid(name))
    return names


def _is_monitor_grid(name: str) -> bool:
    """Whether an archive member name is a monitor grid of ``samples/``."""
    folder, _, file_name = name.partition("/")
    match = RunFolder.SAMPLE_GRID.fullmatch(file_name)
    return folder == RunFolder.SAMPLES and match is not None and len(
        match.group(1)) <= MAX_GRID_DIGITS


def write_run_archive(run_id: str, destination: Path) -> Path:
    """Write the finished run as a ZIP at ``destination`` (atomically) and return it."""
    exportable(run_id)
    folder = runs.run_path(run_id)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".archive-", suffix=".zip",
                                         dir=destination.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as out:
            for name in run_files(run_id):
                out.write(folder / name, name)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return destination


def import_run_archive(archive: Path | bytes,
                       limits: ArchiveLimits = RUN_ARCHIVE_LIMITS, owner: str = "",
                       owner_name: str = "") -> str:
    """Check the archive, add it to the runs folder as a finished (or stopped) run owned by
    ``owner`` (a public id, as ``cnnviz.run_actions.Actor.owner``) and return its id.

    Refusals are typed: :class:`UnsafeArchiveError` (escaping paths, links, bombs),
    :class:`NotARunArchiveError`, :class:`RunArchiveConfigError`,
    :class:`RunArchiveModelError`, :class:`RunExistsError`. Nothing is left behind then.
    """
    with open_source(archive) as handle:
        try:
            zip_file = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise unreadable_archive(archive) from error
        with zip_file:
            members = _run_members(zip_file, handle, limits)
            config = _parse_config(_read_json(zip_file, members[RunFolder.CONFIG],
                                              RunFolder.CONFIG))
            run_id, kind = config["run_id"], config["kind"]
            missing = [name for name in REQUIRED_FILES[kind] if name not in members]
            if missing:
                raise NotARunArchiveError(
                    "error.run_archive.archive_run_lacks", run_id=run_id,
                    missing=', '.join(missing))
            status = _imported_status(_read_json(zip_file, members[RunFolder.STATUS],
                                                 RunFolder.STATUS))
            if not isinstance(_read_json(zip_file, members[RunFolder.FINAL_METRICS],
                                         RunFolder.FINAL_METRICS), dict):
                raise RunArchiveConfigError("error.run_archive.metrics_json_archive_not")
            root = runs.runs_root()
            if (root / run_id).exists():
                raise RunExistsError("error.run_archive.run_already_here_delete", run_id=run_id)
            temporary = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX, dir=root))
            try:
                for name, info in members.items():
                    _write_member(zip_file, info, temporary / name, limits)
                _check_models(temporary, kind)
                RunFolder(temporary).config.write_text(json.dumps(
                    {**config, "owner": owner, "owner_name": owner_name}, indent=1))
                RunFolder(temporary).status.write_text(json.dumps(status))
                _publish(temporary, root / run_id)
            except BaseException:
                shutil.rmtree(temporary, ignore_errors=True)
                raise
    return run_id


def _run_members(zip_file: zipfile.ZipFile, handle: BinaryIO,
                 limits: ArchiveLimits) -> dict[str, zipfile.ZipInfo]:
    """The run files of the archive by their run-folder name, after the safe-ZIP checks.

    One folder wrapping everything (a run folder zipped by hand) is stripped.
    """
    files = checked_members(zip_file, handle, limits)
    tops = {components[0] for _, components in files if len(components) > 1}
    wrapped = (len(tops) == 1 and all(len(components) > 1 for _, components in files))
    members: dict[str, zipfile.ZipInfo] = {}
    total_bytes = 0
    for info, components in files:
        name = "/".join(components[1:] if wrapped else components)
        if name not in RUN_FILES and not _is_monitor_grid(name):
            continue
        if name in members:
            raise UnsafeArchiveError("error.run_archive.archive_holds_twice", name=name)
        check_member_size(info, limits)
        total_bytes += info.file_size
        if total_bytes > limits.max_total_bytes:
            raise UnsafeArchiveError(
                "error.run_archive.run_files_add_up", max_total_bytes=limits.max_total_bytes)
        members[name] = info
    if RunFolder.CONFIG not in members:
        raise NotARunArchiveError("error.run_archive.zip_holds_no_config")
    return members


def _read_json(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Any:
    if info.file_size > MAX_JSON_BYTES:
        raise RunArchiveConfigError("error.run_archive.archive_larger_than_run", name=name)
    data = b"".join(member_chunks(zip_file, info, "The archive"))
    try:
        return json.loads(data)
    except ValueError as error:
        raise RunArchiveConfigError(
            "error.run_archive.archive_not_valid_json", name=name, error=error) from error


def _parse_config(data: Any) -> dict[str, Any]:
    """The run's ``config.json``, checked: a known kind, a valid id, specs that rebuild.

    Returned rebuilt from the specs, so what is written is what this version understands.
    """
    if not isinstance(data, dict):
        raise RunArchiveConfigError("error.run_archive.config_json_archive_not")
    unknown = set(data) - CONFIG_KEYS
    if unknown:
        raise RunArchiveConfigError(
            "error.run_archive.config_json_settings_version",
            unknown=', '.join(sorted(unknown)))
    run_id = data.get("run_id")
    if not isinstance(run_id, str) or not run_id or len(run_id) > 64 or not all(
            char.isalnum() or char == "-" for char in run_id):
        raise RunArchiveConfigError("error.run_archive.config_json_names_no", run_id=run_id)
    kind = data.get("kind", "classifier")
    if kind not in REQUIRED_FILES:
        raise RunArchiveConfigError("error.run_archive.config_json_names_unknown", kind=kind)
    try:
        specs = {"dataset": spec_from_dict(DatasetSpec, data.get("dataset")),
                 "model": spec_from_dict(ModelSpec, data.get("model")),
                 "training": spec_from_dict(TrainConfig, data.get("training"))}
    except CnnvizError as error:
        raise RunArchiveConfigError(
            "error.run_archive.config_json_cannot_rebuilt", error=error) from error
    except (TypeError, ValueError) as error:
        raise RunArchiveConfigError(
            "error.run_archive.config_json_settings_wrong", error=error) from error
    from cnnviz.models.registry import ARCHITECTURES

    if specs["model"].architecture not in ARCHITECTURES:
        raise RunArchiveConfigError(
            "error.run_archive.config_json_names_unknown_2",
            architecture=specs['model'].architecture)
    name, created, versions = data.get("name", ""), data.get("created"), data.get("versions", {})
    if not isinstance(name, str) or not isinstance(versions, dict) or not (
            created is None or isinstance(created, (int, float))):
        raise RunArchiveConfigError("error.run_archive.config_json_name_date")
    return {"run_id": run_id, "name": name[:200], "kind": kind, "created": created,
            **{key: spec_to_dict(spec) for key, spec in specs.items()},
            "versions": {str(key): str(value) for key, value in versions.items()}}


def _imported_status(data: Any) -> dict[str, Any]:
    """Our own status for the imported run, keeping only a few plain fields of the archive's."""
    if not isinstance(data, dict) or data.get("state") not in RunState.EVALUATED:
        raise NotARunArchiveError("error.run_archive.archive_s_run_not")
    status: dict[str, Any] = {"state": RunState(data["state"]), "imported_at": time.time()}
    for key in ("started", "ended", "epochs_total", "steps_per_epoch"):
        if isinstance(data.get(key), (int, float)) and not isinstance(data.get(key), bool):
            status[key] = data[key]
    if isinstance(data.get("device"), str):
        status["device"] = data["device"][:200]
    return status


def _write_member(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
                  limits: ArchiveLimits) -> None:
    """Stream one member to ``target``, counting the real bytes against the declared size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "xb") as out:
        for chunk in member_chunks(zip_file, info, "The archive"):
            written += len(chunk)
            if written > info.file_size:
                raise UnsafeArchiveError(
                    "error.run_archive.archive_member_holds_more", filename=info.filename)
            out.write(chunk)
    if target.suffix in (".keras", ".npz"):
        _check_inner_zip(target, limits)


def _check_inner_zip(path: Path, limits: ArchiveLimits) -> None:
    """A ``.keras`` or ``.npz`` file is itself a ZIP: the same checks keep a bomb out of it."""
    try:
        with open(path, "rb") as handle, zipfile.ZipFile(handle) as inner:
            for info, _ in checked_members(inner, handle, limits):
                check_member_size(info, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise RunArchiveModelError(
            "error.run_archive.archive_not_valid_file", name=path.name) from error
    except UnsafeArchiveError as error:
        raise RunArchiveModelError(
            "error.run_archive.archive_refused", name=path.name, error=error) from error


def _check_models(folder: Path, kind: str) -> None:
    """Every model loads through the safe loader and the evaluation reads back and fits it."""
    from cnnviz.analysis.evaluation_data import load_evaluation
    from cnnviz.models.saved import load_saved_model

    models = {}
    for name in (RunFolder.MODEL, RunFolder.GENERATOR, RunFolder.DISCRIMINATOR):
        if (folder / name).is_file():
            try:
                models[name] = load_saved_model(folder / name)
            except CnnvizError as error:
                raise RunArchiveModelError(
                    "error.run_archive.archive_refused", name=name, error=error) from error
            except Exception as error:  # a crafted file can make Keras fail in any way
                raise RunArchiveModelError(
                    "error.run_archive.archive_not_model_app", name=name, error=error) from error
    if kind != "classifier":
        return
    try:
        evaluation = load_evaluation(folder)
    except (CnnvizError, ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise RunArchiveModelError("error.run_archive.evaluation_npz_archive_cannot", error=error) \
            from error
    outputs = models[RunFolder.MODEL].output_shape[-1]
    if outputs != evaluation.num_classes:
        raise RunArchiveModelError(
            "error.run_archive.model_keras_outputs_but", outputs=outputs,
            num_classes=evaluation.num_classes)


def _publish(temporary: Path, final: Path) -> None:
    """Give the checked folder its run id in one step; a run that appeared meanwhile wins."""
    try:
        final.mkdir()
    except FileExistsError as error:
        raise RunExistsError("error.run_archive.run_already_here", run_id=final.name) from error
    os.replace(temporary, final)
