"""A run archive round-trips to another machine, and hostile archives are refused with typed
errors, leaving nothing behind and writing nothing outside the runs folder."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cnnviz import runs
from cnnviz.analysis.evaluation_data import load_evaluation
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import (NotARunArchiveError, RunArchiveConfigError, RunArchiveModelError,
                           RunExistsError, UnsafeArchiveError)
from cnnviz.exports.run_archive import import_run_archive, write_run_archive

SHAPES = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The members of a real finished run's archive, written by the export."""
    from tests.helpers.run_folders import make_trained_run

    root = tmp_path_factory.mktemp("archive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CNNVIZ_RUNS_DIR", str(root / "runs"))
        patch.setenv("CNNVIZ_DATA_DIR", str(root / "data"))
        run_id = make_trained_run(SHAPES)
        runs.run_folder(run_id).worker_log.write_text("not exported")
        path = write_run_archive(run_id, root / "run.zip")
    with zipfile.ZipFile(path) as zip_file:
        return {name: zip_file.read(name) for name in zip_file.namelist()}


def zip_of(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(info, target)
    return buffer.getvalue()


def with_config(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    config = json.loads(members["config.json"])
    config.update(changes)
    return {**members, "config.json": json.dumps(config).encode()}


def runs_folder_entries() -> list[str]:
    return sorted(path.name for path in runs.runs_root().iterdir())


def test_the_archive_holds_the_run_files_only(archive) -> None:
    assert {"config.json", "status.json", "metrics.jsonl", "metrics.json", "model.keras",
            "evaluation.npz"} == set(archive)


def test_an_imported_run_is_the_same_run(folders, archive) -> None:
    from cnnviz.models.saved import load_saved_model

    run_id = import_run_archive(zip_of(archive))
    original = json.loads(archive["config.json"])
    assert run_id == original["run_id"]
    assert runs.read_config(run_id).dataset == SHAPES
    assert runs.read_status(run_id)["state"] == "finished"
    assert runs.read_metrics(run_id)[-1]["type"] == "epoch"
    evaluation = load_evaluation(runs.run_path(run_id))
    with np.load(io.BytesIO(archive["evaluation.npz"])) as stored:
        np.testing.assert_array_equal(evaluation.y_prob, stored["y_prob"])
    assert load_saved_model(runs.run_folder(run_id).model).output_shape[-1] == 6
    assert runs_folder_entries() == [run_id]


def test_a_run_zipped_by_hand_in_its_folder_imports(folders, archive) -> None:
    run_id = import_run_archive(zip_of({f"myrun/{name}": data for name, data in archive.items()}))
    assert runs.read_status(run_id)["state"] == "finished"


def test_the_same_run_twice_is_refused(folders, archive) -> None:
    import_run_archive(zip_of(archive))
    before = runs_folder_entries()
    with pytest.raises(RunExistsError, match="already here"):
        import_run_archive(zip_of(archive))
    assert runs_folder_entries() == before


def hostile_archives(members: dict[str, bytes]) -> dict[str, tuple[bytes, type, str]]:
    """Archives a student or a crafted file could bring, the error each must raise and a
    word of its message."""
    status = json.loads(members["status.json"])
    return {
        "path traversal": (zip_of({**members, "../../outside.txt": b"x"}), UnsafeArchiveError,
                           "outside"),
        "absolute path": (zip_of({**members, "/tmp/outside.txt": b"x"}), UnsafeArchiveError,
                          "absolute"),
        "symbolic link": (zip_of(members, links={"samples/epoch_0001.png": "/etc/passwd"}),
                          UnsafeArchiveError, "symbolic link"),
        "not a zip": (b"just some text", UnsafeArchiveError, "not a readable ZIP"),
        "no config": (zip_of({"notes.txt": b"hello"}), NotARunArchiveError, "config.json"),
        "config not json": (zip_of({**members, "config.json": b"{broken"}),
                            RunArchiveConfigError, "not valid JSON"),
        "run id escapes": (zip_of(with_config(members, run_id="../../evil")),
                           RunArchiveConfigError, "run id"),
        "unknown setting": (zip_of(with_config(members, command="rm -rf /")),
                            RunArchiveConfigError, "command"),
        "bad spec": (zip_of(with_config(members, training={"epochs": 3, "warp": 9})),
                     RunArchiveConfigError, "warp"),
        "unknown architecture": (zip_of(with_config(members, model={"architecture": "gpt"})),
                                 RunArchiveConfigError, "gpt"),
        "fake model": (zip_of({**members, "model.keras": b"not a model at all"}),
                       RunArchiveModelError, "model.keras"),
        "model is another zip": (zip_of({**members, "model.keras": zip_of({"a.txt": b"x"})}),
                                 RunArchiveModelError, "model.keras"),
        "fake evaluation": (zip_of({**members, "evaluation.npz": b"PK\x03\x04garbage"}),
                            RunArchiveModelError, "evaluation.npz"),
        "missing model": (zip_of({name: data for name, data in members.items()
                                  if name != "model.keras"}), NotARunArchiveError, "model.keras"),
        "still running": (zip_of({**members, "status.json": json.dumps(
            {**status, "state": "running", "pid": 1}).encode()}), NotARunArchiveError,
            "not finished"),
    }


HOSTILE_CASES = ["path traversal", "absolute path", "symbolic link", "not a zip", "no config",
                 "config not json", "run id escapes", "unknown setting", "bad spec",
                 "unknown architecture", "fake model", "model is another zip", "fake evaluation",
                 "missing model", "still running"]


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_a_hostile_archive_is_refused_and_leaves_nothing(folders, archive, tmp_path,
                                                         case) -> None:
    data, error, word = hostile_archives(archive)[case]
    runs.runs_root()
    outside_before = sorted(path.name for path in tmp_path.iterdir())
    with pytest.raises(error, match=word):
        import_run_archive(data)
    assert runs_folder_entries() == []  # no run, no half-imported hidden folder
    assert sorted(path.name for path in tmp_path.iterdir()) == outside_before
    assert not Path("/tmp/outside.txt").exists()


def test_a_member_given_twice_is_refused(folders, archive) -> None:
    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w") as out:
        for name, data in archive.items():
            out.writestr(name, data)
        out.writestr("metrics.json", b"{}")
    with pytest.raises(UnsafeArchiveError, match="twice"):
        import_run_archive(twice.getvalue())
    assert runs_folder_entries() == []


def test_an_imported_run_is_never_queued_for_training(folders, archive) -> None:
    data = zip_of({**archive, "status.json": json.dumps(
        {"state": "finished", "resume": True, "pid": 1, "queued_at": 0}).encode()})
    run_id = import_run_archive(data)
    assert runs.schedule() == [] and folders[1] == []
    assert set(runs.read_status(run_id)) <= {"state", "imported_at", "started", "ended",
                                             "epochs_total", "steps_per_epoch", "device"}
