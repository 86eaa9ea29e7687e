"""The command line prepares what the app can: every dataset option, a spec file, test metrics.

Runs are queued into a private runs folder; the worker is recorded, not started (``folders``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.__main__ import _follow, main
from cnnviz.datasets.spec import Augmentation, DatasetSpec
from cnnviz.specs import spec_to_dict
from tests.helpers.run_folders import make_run, make_trained_run


def queued_dataset(argv: list[str], capsys: pytest.CaptureFixture[str]) -> DatasetSpec:
    """Run ``train`` with ``argv`` and return the dataset spec of the run it queued."""
    assert main(["train", *argv]) == 0
    run_id = capsys.readouterr().out.strip().splitlines()[-1]
    return runs.read_config(run_id).dataset


def test_every_dataset_option_reaches_the_run(folders, capsys) -> None:
    """Report A's merged run, prepared before class: merge, selection, resize, balancing, splits,
    augmentation and storage, each as the app would set it."""
    spec = queued_dataset([
        "--dataset", "folder", "--path", "art", "--image-size", "48x64", "--channels", "1",
        "--resize-mode", "pad", "--merge", "cross or line", "cross", "line",
        "--merge", "round", "circle", "--classes", "cross or line", "round", "square",
        "--max-per-class", "40", "--validation-fraction", "0.2", "--test-fraction", "0.1",
        "--seed", "7", "--balancing", "oversample", "--flip", "horizontal", "--rotation", "0.1",
        "--translation", "0.05", "--zoom", "0.2", "--contrast", "0.3", "--storage", "stream",
    ], capsys)
    assert spec == DatasetSpec(
        source="folder", path="art", image_size=(48, 64), channels=1, resize_mode="pad",
        merge=(("cross or line", ("cross", "line")), ("round", ("circle",))),
        classes=("cross or line", "round", "square"), max_per_class=40,
        validation_fraction=0.2, test_fraction=0.1, seed=7, balancing="oversample",
        augmentation=Augmentation(flip="horizontal", rotation=0.1, translation=0.05, zoom=0.2,
                                  contrast=0.3),
        storage="stream",
    )


def test_attribute_and_shapes_options_reach_the_run(folders, capsys) -> None:
    attributes = queued_dataset([
        "--dataset", "attributes", "--path", "celeba", "--attribute", "Smiling",
        "--attribute-file", "attrs.txt", "--image-folder", "faces",
        "--partition-file", "split.txt", "--attribute-split-sizes", "100", "20", "10",
    ], capsys)
    assert (attributes.attribute_file, attributes.image_folder, attributes.partition_file,
            attributes.attribute_split_sizes) == ("attrs.txt", "faces", "split.txt", (100, 20, 10))
    shapes = queued_dataset(["--dataset", "shapes", "--shapes-per-class", "30",
                             "--image-size", "24"], capsys)
    assert (shapes.shapes_per_class, shapes.image_size) == (30, (24, 24))


def test_a_dataset_spec_file_is_used_and_options_override_it(folders, tmp_path, capsys) -> None:
    """The spec of a run made in the app (its config.json) or a bare spec, then one change."""
    wanted = DatasetSpec(source="shapes", image_size=(20, 20), merge=(("round", ("circle",)),),
                         balancing="undersample", augmentation=Augmentation(zoom=0.1))
    bare = tmp_path / "spec.json"
    bare.write_text(json.dumps(spec_to_dict(wanted)))
    assert queued_dataset(["--dataset-spec", str(bare)], capsys) == wanted
    run_config = runs.run_folder(make_run("finished", dataset=wanted)).config
    changed = queued_dataset(["--dataset-spec", str(run_config), "--storage", "memory"], capsys)
    assert changed == DatasetSpec(**{**spec_to_dict(wanted), "storage": "memory",
                                     "augmentation": Augmentation(zoom=0.1)})


@pytest.mark.parametrize("content, message", [
    (None, "cannot be read"), ("{not json", "not valid JSON"),
    ('{"source": "shapes", "colour": 3}', "no setting"),
    ('{"source": "shapes", "balancing": "lots"}', "balancing must be one of"),
])
def test_a_bad_dataset_spec_file_is_a_clear_error(folders, tmp_path, capsys, content,
                                                  message) -> None:
    path = tmp_path / "spec.json"
    if content is not None:
        path.write_text(content)
    assert main(["train", "--dataset-spec", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert runs.list_runs() == []


@pytest.mark.parametrize("argv", [["--image-size", "big"], ["--image-size", "4x"],
                                  ["--merge", "alone"], ["--balancing", "lots"]])
def test_malformed_options_are_refused_by_the_parser(folders, argv) -> None:
    with pytest.raises(SystemExit):
        main(["train", *argv])


def test_runs_show_prints_the_test_metrics_of_a_finished_run(folders, capsys) -> None:
    run_id = make_trained_run(DatasetSpec(source="shapes", shapes_per_class=10,
                                          image_size=(16, 16)))
    assert main(["runs", "show", run_id]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["test_metrics"] == runs.read_final_metrics(run_id)
    assert 0.0 <= shown["test_metrics"]["accuracy"] <= 1.0


def test_runs_show_of_an_unfinished_run_has_no_test_metrics(folders, capsys) -> None:
    run_id = make_run("running")
    assert main(["runs", "show", run_id]) == 0
    assert json.loads(capsys.readouterr().out)["test_metrics"] is None


def test_following_a_run_warns_of_dropped_images_and_show_lists_them(folders, capsys) -> None:
    run_id = make_run("finished")
    runs.update_status(run_id, dropped_images={"train": 2, "validation": 0, "test": 1})
    listed = [{"split": "train", "index": 0, "label": 1, "path": "/data/cats/0.png",
               "reason": "0.png is damaged or truncated"}]
    runs.run_folder(run_id).dropped_images.write_text(json.dumps(listed))
    assert _follow(run_id) == 0
    assert "3 images could not be decoded" in capsys.readouterr().err
    assert main(["runs", "show", run_id]) == 0
    assert json.loads(capsys.readouterr().out)["dropped_images"] == listed


def test_the_readme_documents_every_new_option() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Training from the command line", 1)[1].split("\n## ", 1)[0]
    for option in ("--dataset-spec", "--merge", "--classes", "--resize-mode", "--balancing",
                   "--validation-fraction", "--test-fraction", "--storage", "--flip",
                   "--attribute-split-sizes", "test metrics"):
        assert option in section, option
