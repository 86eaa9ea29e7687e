"""The one way to act on runs, as a class uses it: two students and a teacher on one server.
Every rule is checked in the core (the pages only grey out what it would refuse)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cnnviz import classroom, run_actions, runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import RunPermissionError, RunStateError
from cnnviz.models.spec import ModelSpec
from cnnviz.run_actions import COMMAND_LINE, Actor
from cnnviz.runs import RunState, trash
from cnnviz.training.config import TrainConfig

ANA = Actor(owner="a" * 32, name="Ana")
LUIS = Actor(owner="b" * 32, name="Luis")
TEACHER = Actor(owner="c" * 32, name="Teacher", teacher=True)


@pytest.fixture
def class_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spawned: list[str]) -> None:
    """A class server (teacher password set, class mode on); the queue records the runs it
    would start instead of starting TensorFlow workers."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk")
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    for name in ("CNNVIZ_RUNS_PER_SESSION", "CNNVIZ_TRASH_DAYS"):
        monkeypatch.delenv(name, raising=False)


def config(kind: str = "classifier", epochs: int = 30) -> runs.RunConfig:
    model = ModelSpec(architecture="dcgan") if kind == "gan" else ModelSpec(architecture="mlp")
    return runs.RunConfig(DatasetSpec(source="shapes", shapes_per_class=800),
                          model, TrainConfig(epochs=epochs), name=kind, kind=kind)


def saved_config(run_id: str) -> dict:
    return json.loads(runs.run_folder(run_id).config.read_text())


def ended(run_id: str, state: str = RunState.FINISHED) -> str:
    runs.update_status(run_id, state=state, ended=time.time())
    return run_id


@pytest.mark.parametrize("kind", ["classifier", "gan"])
def test_a_students_run_of_any_kind_is_owned_capped_and_counted(class_server, kind) -> None:
    run_id = run_actions.start_run(ANA, config(kind))
    saved = saved_config(run_id)
    assert (saved["owner"], saved["owner_name"]) == (ANA.owner, "Ana")
    capped, _ = classroom.capped_run(config(kind), classroom.class_limits())
    assert runs.read_config(run_id) == capped != config(kind)
    with pytest.raises(classroom.SessionRunLimitError):
        run_actions.start_run(ANA, config("classifier"))
    run_actions.start_run(LUIS, config(kind))  # Luis's limit is his own


def test_the_teacher_is_neither_capped_nor_limited(class_server) -> None:
    first = run_actions.start_run(TEACHER, config())
    run_actions.start_run(TEACHER, config())
    assert runs.read_config(first) == config()
    assert saved_config(first)["owner"] == TEACHER.owner


def test_a_plan_of_several_runs_is_the_teachers_in_class_mode(class_server, monkeypatch) -> None:
    plan = [config(epochs=epochs) for epochs in (3, 4, 5)]
    with pytest.raises(RunPermissionError):
        run_actions.start_runs(ANA, plan)
    assert runs.list_runs() == []
    assert len(run_actions.start_runs(TEACHER, plan)) == 3
    # Outside class mode a student queues a plan when nothing of theirs waits or trains, and
    # its runs count against their limit.
    monkeypatch.delenv("CNNVIZ_CLASS_MODE")
    monkeypatch.setenv("CNNVIZ_RUNS_PER_SESSION", "3")
    run_actions.start_run(ANA, config())
    with pytest.raises(classroom.SessionRunLimitError):
        run_actions.start_runs(ANA, plan)
    assert len(run_actions.start_runs(LUIS, plan)) == 3
    with pytest.raises(classroom.SessionRunLimitError):
        run_actions.start_run(LUIS, config())


def test_a_student_cannot_stop_resume_or_delete_anothers_run(class_server) -> None:
    running = run_actions.start_run(ANA, config())
    with pytest.raises(RunPermissionError) as refused:
        run_actions.stop_run(LUIS, running)
    assert "Ana" in str(refused.value)
    run_actions.stop_run(ANA, running)
    ended(running, RunState.INTERRUPTED)
    for action in (run_actions.resume_run, run_actions.delete_run):
        with pytest.raises(RunPermissionError):
            action(LUIS, running)
    assert runs.read_status(running).state == RunState.INTERRUPTED
    assert run_actions.refusal(LUIS, runs.list_runs()[0]) == "runs.not_yours"
    assert run_actions.refusal(ANA, runs.list_runs()[0]) is None
    assert run_actions.resume_run(ANA, running).active


def test_the_teacher_stops_deletes_and_restores_any_run(class_server) -> None:
    run_id = run_actions.start_run(ANA, config())
    run_actions.stop_run(TEACHER, run_id)
    with pytest.raises(RunStateError):  # a worker still holds it
        run_actions.delete_run(TEACHER, run_id)
    run_actions.delete_run(TEACHER, ended(run_id))
    assert runs.list_runs() == []
    assert [run.run_id for run in trash.trashed_runs()] == [run_id]
    assert trash.trashed_runs()[0].owner_name == "Ana"
    with pytest.raises(RunPermissionError):
        run_actions.restore_run(ANA, run_id)
    run_actions.restore_run(TEACHER, run_id)
    assert [run["run_id"] for run in runs.list_runs()] == [run_id]
    assert runs.read_status(run_id).state == RunState.FINISHED


def test_a_students_delete_goes_to_the_trash_which_only_the_teacher_empties(class_server) -> None:
    run_id = ended(run_actions.start_run(ANA, config()))
    run_actions.delete_run(ANA, run_id)
    assert (runs.runs_root() / trash.TRASH_FOLDER / run_id / "model.keras").parent.is_dir()
    with pytest.raises(RunPermissionError):
        run_actions.empty_trash(ANA)
    assert run_actions.empty_trash(TEACHER) == [run_id]
    assert trash.trashed_runs() == []


def test_the_trash_is_emptied_of_old_runs_only(class_server) -> None:
    old, recent = (ended(run_actions.start_run(TEACHER, config())) for _ in range(2))
    trash.move_to_trash(old, "Teacher", now=time.time() - 8 * 86400)
    trash.move_to_trash(recent, "Teacher")
    assert run_actions.empty_expired_trash() == [old]
    assert [run.run_id for run in trash.trashed_runs()] == [recent]


def test_runs_of_the_command_line_are_the_teachers(class_server) -> None:
    run_id = run_actions.start_run(COMMAND_LINE, config())
    assert saved_config(run_id)["owner"] == ""
    with pytest.raises(RunPermissionError):
        run_actions.stop_run(ANA, run_id)
    assert run_actions.refusal(ANA, runs.list_runs()[0]) == "runs.teachers_run"
    run_actions.stop_run(COMMAND_LINE, run_id)


def test_on_an_open_server_everyone_acts_on_every_run(class_server, monkeypatch) -> None:
    """No teacher password and class mode off: one person on a laptop."""
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD")
    monkeypatch.delenv("CNNVIZ_CLASS_MODE")
    run_id = ended(run_actions.start_run(ANA, config()))
    run_actions.delete_run(LUIS, run_id)
    run_actions.restore_run(LUIS, run_id)
    assert runs.read_config(run_id) == config()  # uncapped outside class mode


def test_a_stopped_run_resumes(class_server) -> None:
    run_id = ended(run_actions.start_run(ANA, config()), RunState.STOPPED)
    status = runs.read_status(run_id)
    assert status.ended and status.evaluated and status.resumable
    assert run_actions.resume_run(ANA, run_id).active


def test_resuming_an_uncapped_run_in_class_mode_is_refused_to_a_student(class_server,
                                                                       monkeypatch) -> None:
    monkeypatch.delenv("CNNVIZ_CLASS_MODE")
    run_id = ended(run_actions.start_run(ANA, config()), RunState.INTERRUPTED)
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    with pytest.raises(RunPermissionError):
        run_actions.resume_run(ANA, run_id)
    assert run_actions.resume_run(TEACHER, run_id).active
