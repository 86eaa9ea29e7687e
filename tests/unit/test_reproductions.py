"""The report presets against SEEDS.md: data preparation, layer shapes, parameter counts and
hyper-parameters of every run; stand-ins; the figures set beside a run's; duration estimates."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest

from cnnviz.datasets import load_dataset
from cnnviz.errors import InvalidSpecError
from cnnviz.gan.networks import build_discriminator, build_generator
from cnnviz.models.build import build_model
from cnnviz.presets import TRAINING_PRESETS
from cnnviz.reports.compare import any_running, compare_figures, latest_runs, results_of
from cnnviz.reports.experiments import EXPERIMENTS, ReportFigure, figures_of
from cnnviz.reports.plan import (art_merge, estimate_split, experiment_configs, plan,
                                 planned_seconds, report_dataset, run_name)
from cnnviz.training.config import TrainConfig
from cnnviz.training.timing import (START_SECONDS, expected_seconds, format_duration,
                                    step_seconds)
from tests.helpers.imagefiles import make_class_folder


def configs(report: str, **data) -> dict[str, object]:
    """The report's runs on its own data (a made-up path), by the run's key."""
    experiment = EXPERIMENTS[report]
    dataset = report_dataset(experiment, **data) if data or report == "D" else \
        report_dataset(experiment, "copy")
    made = experiment_configs(experiment, dataset, data.get("attribute", ""))
    return {run.key: config for run, config in zip(experiment.runs, made)}


def spatial_sizes(model: keras.Model, kinds: tuple[str, ...]) -> list[int]:
    return [int(layer.output.shape[1]) for layer in model.layers
            if type(layer).__name__ in kinds]


def hyper(config) -> tuple:
    training = config.training
    return training.optimizer, training.learning_rate, training.batch_size, training.epochs


def test_report_a_final_art_cnn_as_written() -> None:
    runs = configs("A", path="art")
    final = runs["final Art CNN"]
    assert hyper(final) == ("adam", 1e-3, 64, 30)
    assert (final.dataset.source, final.dataset.image_size, final.dataset.channels,
            final.dataset.resize_mode) == ("folder", (64, 64), 3, "stretch")
    model = build_model(final.model, EXPERIMENTS["A"].input_shape, 4).model
    assert model.count_params() == 1_459_204
    assert spatial_sizes(model, ("Conv2D", "MaxPooling2D")) == [62, 31, 29, 27, 13, 11, 9, 4]
    assert [int(layer.output.shape[-1]) for layer in model.layers
            if type(layer).__name__ == "Dense"] == [512, 256, 4]
    weaker = [runs["first attempt (2 conv + 2 dense)"],
              runs["five convolutions, decreasing filters"]]
    assert [config.model.architecture for config in weaker] == ["art_cnn_small", "art_cnn_five"]
    assert all(hyper(config) == ("adam", 1e-3, 64, 30) for config in weaker)


def test_report_a_merges_drawings_and_engravings_of_a_real_folder(data_dir: Path) -> None:
    make_class_folder(data_dir / "art", {"drawings": 4, "engraving": 4, "iconography": 6,
                                         "painting": 6, "sculpture": 6})
    merge = art_merge(["drawings", "engraving", "iconography", "painting", "sculpture"])
    assert merge == (("drawings and engravings", ("drawings", "engraving")),)
    assert art_merge(["cats", "dogs"]) == ()
    spec = report_dataset(EXPERIMENTS["A"], "art", merge=merge)
    dataset = load_dataset(spec)
    assert dataset.class_names == ["drawings and engravings", "iconography", "painting",
                                   "sculpture"]
    assert dataset.image_shape == (64, 64, 3)


@pytest.mark.parametrize("base, accuracy", [("vgg16", 0.844), ("resnet50", 0.871),
                                            ("inception_v3", 0.864)])
def test_report_b_transfer_settings(base: str, accuracy: float) -> None:
    config = next(config for config in configs("B").values() if config.model.base == base)
    training, dataset = config.training, config.dataset
    assert hyper(config) == ("adam", 1e-4, 32, 50)
    assert (training.l1, training.reduce_on_plateau, training.plateau_factor,
            training.early_stopping) == (1e-4, True, 0.5, True)
    assert (dataset.image_size, dataset.resize_mode, dataset.test_fraction, dataset.balancing) \
        == ((128, 128), "crop", 0.15, "oversample")
    assert dataset.augmentation.enabled
    assert config.model.weights == "imagenet"
    run = next(run for run in EXPERIMENTS["B"].runs if run.model.base == base)
    assert ReportFigure("accuracy", accuracy) in run.figures


@pytest.mark.slow
def test_report_b_networks_end_in_thirty_classes() -> None:
    for config in configs("B").values():
        spec = config.model.__class__(**{**config.model.__dict__, "weights": None})
        model = build_model(spec, (128, 128, 3), 30).model
        assert model.output.shape[-1] == 30


def test_report_c_simple_and_resnet18_on_a_file_list() -> None:
    runs = configs("C", path="sketches")
    assert [config.model.architecture for config in runs.values()] == ["simple_bn_cnn", "resnet18"]
    for config in runs.values():
        assert hyper(config) == ("adam", 1e-3, 64, 50)
        assert (config.dataset.source, config.dataset.image_size, config.dataset.channels,
                config.dataset.validation_fraction) == ("filelist", (128, 128), 1, 0.2)
    built = build_model(runs["ResNet-18"].model, (128, 128, 1), 250)
    assert built.outputs_logits  # the loss uses from_logits=True, as in the report
    adds = [layer for layer in built.model.layers if type(layer).__name__ == "Add"]
    assert len(adds) == 8  # blocks [2, 2, 2, 2]
    filters = sorted({int(layer.output.shape[-1]) for layer in built.model.layers
                      if type(layer).__name__ == "Conv2D"})
    assert filters == [64, 128, 256, 512]
    simple = build_model(runs["Simple BN CNN"].model, (128, 128, 1), 250).model
    assert sum(type(layer).__name__ == "BatchNormalization" for layer in simple.layers) == 3


def test_report_d_study_and_baselines() -> None:
    runs = configs("D")
    assert [hyper(config) for config in runs.values()] == [
        ("adam", 1e-3, 64, 5), ("adam", 1e-5, 1000, 30), ("adam", 1e-5, 1000, 100),
        ("adam", 1e-3, 500, 100), ("adam", 1e-3, 1000, 40)]
    assert all(config.dataset.source == "fashion_mnist" for config in runs.values())
    cnn = build_model(runs["model 1 (lr 1e-3, batch 64, 5 epochs)"].model, (28, 28, 1), 10).model
    assert cnn.count_params() == 1_052_746
    assert [int(layer.output.shape[-1]) for layer in cnn.layers
            if type(layer).__name__ == "Dense"] == [600, 120, 10]
    hidden = [config.model.hidden_units for key, config in runs.items() if key.startswith("MLP")]
    assert hidden == [2048, 512]


@pytest.mark.parametrize("preset, report, run, training", [
    ("report_d_model_1", "D", "model 1 (lr 1e-3, batch 64, 5 epochs)",
     TrainConfig(learning_rate=1e-3, batch_size=64, epochs=5)),
    ("report_d_model_2", "D", "model 2 (lr 1e-5, batch 1000, 30 epochs)",
     TrainConfig(learning_rate=1e-5, batch_size=1000, epochs=30)),
    ("report_d_model_3", "D", "model 3 (lr 1e-5, batch 1000, 100 epochs)",
     TrainConfig(learning_rate=1e-5, batch_size=1000, epochs=100)),
    ("report_d_mlp_2048", "D", "MLP 2048 (batch 500, 100 epochs)",
     TrainConfig(learning_rate=1e-3, batch_size=500, epochs=100)),
    ("report_d_mlp_512", "D", "MLP 512 (batch 1000, 40 epochs)",
     TrainConfig(learning_rate=1e-3, batch_size=1000, epochs=40)),
    ("report_a_art", "A", "final Art CNN", TrainConfig(learning_rate=1e-3, batch_size=64, epochs=30)),
    ("report_c_sketches", "C", "ResNet-18", TrainConfig(learning_rate=1e-3, batch_size=64, epochs=50)),
    ("report_e_attribute", "E", "attribute classifier",
     TrainConfig(optimizer="rmsprop", learning_rate=1e-3, batch_size=50, epochs=15)),
])
def test_the_training_page_presets_are_the_report_runs_training(
        preset: str, report: str, run: str, training: TrainConfig) -> None:
    assert TRAINING_PRESETS[preset] == training
    assert EXPERIMENTS[report].run_named(run).training == TRAINING_PRESETS[preset]


@pytest.mark.parametrize("attribute, accuracy", [("Male", 0.946), ("Eyeglasses", 0.98),
                                                 ("Smiling", 0.883)])
def test_report_e_attribute_classifier_and_dcgan(attribute: str, accuracy: float) -> None:
    experiment = EXPERIMENTS["E"]
    runs = configs("E", path="celeba", attribute=attribute)
    classifier, gan = runs["attribute classifier"], runs["DCGAN"]
    assert hyper(classifier) == ("rmsprop", 1e-3, 50, 15)
    assert (classifier.dataset.attribute, classifier.dataset.attribute_split_sizes,
            classifier.dataset.image_size) == (attribute, (10_000, 2_000, 1_000), (218, 178))
    assert classifier.name == f"Report E: attribute classifier ({attribute})"
    assert build_model(classifier.model, (218, 178, 3), 2).model.count_params() == 623_490
    figures = figures_of(experiment, experiment.run_named("attribute classifier"), attribute)
    assert figures[0] == ReportFigure("accuracy", accuracy)
    assert (gan.kind, hyper(gan), gan.model.latent_dim, gan.dataset.image_size) \
        == ("gan", ("adam", 1e-4, 32, 30), 64, (64, 64))
    assert build_generator(gan.model, (64, 64, 3)).count_params() == 1_006_787
    assert build_discriminator((64, 64, 3)).count_params() == 794_241


def test_report_data_needs_a_path_and_a_report_attribute() -> None:
    with pytest.raises(InvalidSpecError, match="path"):
        report_dataset(EXPERIMENTS["A"])
    with pytest.raises(InvalidSpecError, match="Male"):
        report_dataset(EXPERIMENTS["E"], "celeba", attribute="Bald")
    assert report_dataset(EXPERIMENTS["B"], "uploads/x.zip", zipped=True).source == "archive"
    assert report_dataset(EXPERIMENTS["C"], "sketches", zipped=True).source == "filelist"


@pytest.mark.parametrize("report, shape, classes", [
    ("A", (64, 64, 3), 4), ("C", (128, 128, 1), 6), ("D", (28, 28, 1), 10),
    ("E", (218, 178, 3), 2)])
def test_stand_ins_are_here_with_the_reports_image_size(data_dir, report, shape, classes) -> None:
    experiment = EXPERIMENTS[report]
    first = experiment_configs(experiment, None)[0]
    assert first.name.endswith(" [stand-in]")
    dataset = load_dataset(first.dataset)
    assert dataset.image_shape == shape == experiment.input_shape
    assert dataset.num_classes == classes


def test_the_dcgan_stand_in_learns_every_shape_at_64_pixels(data_dir) -> None:
    gan = experiment_configs(EXPERIMENTS["E"], None)[1]
    dataset = load_dataset(gan.dataset)
    assert (dataset.image_shape, dataset.num_classes) == ((64, 64, 3), 6)


def test_figures_beside_a_runs_and_the_newest_run_of_each_name() -> None:
    figures = (ReportFigure("accuracy", 0.83, "~"), ReportFigure("parameters", 1_459_204),
               ReportFigure("macro_f1", 0.82), ReportFigure("top3_accuracy", 0.9))
    listed = {"metrics": {"accuracy": 0.8512, "macro_f1": 0.8}, "status": {"parameters": 1000}}
    rows = compare_figures(figures, results_of(listed))
    assert [(row.report, row.this_run) for row in rows] == [
        ("~83.0 %", "85.1 %"), ("1,459,204", "1,000"), ("0.820", "0.800"), ("90.0 %", "—")]
    runs = [{"run_id": "3", "name": "b"}, {"run_id": "2", "name": "a"},
            {"run_id": "1", "name": "a"}]
    assert latest_runs(runs, ["a", "b", "c"]) == {"b": "3", "a": "2"}


def test_names_tell_stand_ins_and_attributes_apart() -> None:
    experiment = EXPERIMENTS["E"]
    run = experiment.run_named("attribute classifier")
    assert run_name(experiment, run, False, "Smiling") == \
        "Report E: attribute classifier (Smiling)"
    assert run_name(experiment, run, True) == "Report E: attribute classifier [stand-in]"
    assert run_name(experiment, experiment.run_named("DCGAN"), False, "Smiling") == \
        "Report E: DCGAN"


def test_durations_read_like_a_person_says_them() -> None:
    assert [format_duration(value) for value in (0.2, 42, 61, 3599, 3600, 7500)] == \
        ["1 s", "42 s", "2 min", "1 h 00 min", "1 h 00 min", "2 h 05 min"]


def test_expected_duration_counts_steps_and_forward_passes() -> None:
    config = configs("D")["model 1 (lr 1e-3, batch 64, 5 epochs)"]
    seconds = expected_seconds(config, 0.1, (6_400, 640, 1_280))
    # 5 epochs x 100 steps, plus a third of a step per batch of validation (5 x 10) and test (20)
    assert seconds == pytest.approx(START_SECONDS + 0.1 * (500 + (50 + 20) / 3))
    gan = configs("E", path="celeba", attribute="Male")["DCGAN"]
    assert expected_seconds(gan, 1.0, (320, 0, 0)) == pytest.approx(START_SECONDS + 30 * 10)
    experiment = EXPERIMENTS["E"]
    assert estimate_split(experiment, experiment.run_named("DCGAN"), None)[0] == 202_599
    assert estimate_split(experiment, experiment.runs[0], (5, 1, 1)) == (5, 1, 1)


def test_a_step_is_timed_on_the_real_network_and_scaled_to_the_batch() -> None:
    config = configs("D")["MLP 512 (batch 1000, 40 epochs)"]
    seconds = step_seconds(config, (28, 28, 1), 10)
    assert 0 < seconds < 30
    every = list(configs("D").values())
    rows = plan(EXPERIMENTS["D"], every, [seconds] * 5, [(900, 100, 100)] * 5)
    assert [(row.architecture, row.detail) for row in rows[-2:]] == [("mlp", "2048"),
                                                                     ("mlp", "512")]
    assert rows[-1].expected_seconds == pytest.approx(
        expected_seconds(config, seconds, (900, 100, 100)))


def test_a_gan_step_is_timed_too() -> None:
    gan = experiment_configs(EXPERIMENTS["E"], None)[1]
    small = gan.__class__(**{**gan.__dict__, "model": gan.model.__class__(
        architecture="dcgan", latent_dim=8, gan_widths=(8,))})
    seconds = step_seconds(small, (28, 28, 1), 2)
    assert np.isfinite(seconds) and seconds > 0


def test_an_experiment_is_running_while_one_of_its_runs_is_queued_or_training() -> None:
    listed = [{"name": "A1", "status": {"state": "finished"}},
              {"name": "B1", "status": {"state": "running"}}]
    assert any_running(listed, ["B1", "B2"])
    assert not any_running(listed, ["A1", "A2"])


def test_planned_runs_take_their_durations_one_after_another() -> None:
    rows = plan(EXPERIMENTS["D"], list(configs("D").values()), [0.01] * 5, [(900, 100, 100)] * 5)
    assert planned_seconds(rows) == pytest.approx(sum(row.expected_seconds for row in rows))
    assert planned_seconds(rows[:1]) == rows[0].expected_seconds
