"""The experiments of the five reports (``SEEDS.md``), written once: the Reports page runs them
in one click and the Train page's report presets are their training settings.

Each :class:`Experiment` names the report's data, how it was prepared, and every run the report
made (network and hyper-parameters exactly as written there), with the numbers the report
found, so a page can start them all and set the report's figures beside ours. The original
datasets are rarely on a classroom machine: every run also has a *stand-in* that is on every
machine (generated shapes, scikit-learn's digits) with the same image size, and the difference
is stated.

Settings a report does not give are ours and listed on the Reports page (the catalogues'
``reports.<report>.assumptions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnviz.datasets.spec import Augmentation, DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

REPORT_ATTRIBUTES = ("Male", "Eyeglasses", "Smiling")  # report E's three classifiers


@dataclass(frozen=True)
class ReportFigure:
    """A number the report gives: ``metric`` is a key of a run's ``metrics.json`` (or
    ``parameters``/``seconds`` of its status); ``bound`` is "~", "<" or ">" when the report
    only says "about", "under" or "over"."""

    metric: str
    value: float
    bound: str = ""


@dataclass(frozen=True)
class ReportRun:
    """One run of a report: its network, its training and the figures it reached."""

    key: str  # short English name; the run is named "Report A: <key>"
    model: ModelSpec
    training: TrainConfig
    figures: tuple[ReportFigure, ...] = ()
    kind: str = "classifier"  # or "gan"
    # DatasetSpec fields that differ from the experiment's (the DCGAN's own image size).
    preparation: tuple[tuple[str, Any], ...] = ()
    stand_in_preparation: tuple[tuple[str, Any], ...] = ()
    input_shape: tuple[int, int, int] | None = None  # when it differs from the experiment's


@dataclass(frozen=True)
class Experiment:
    """One report's experiment: its data (the user's copy or a stand-in) and its runs."""

    report: str  # "A".."E"
    source: str  # the DatasetSpec source of the report's data
    preparation: tuple[tuple[str, Any], ...]  # DatasetSpec fields for the report's data
    stand_in: DatasetSpec  # data that is on every machine, same image size
    runs: tuple[ReportRun, ...]
    input_shape: tuple[int, int, int]  # of the report's images, as the networks see them
    num_classes: int  # of the report's data
    report_split: tuple[int, int, int]  # the report's train, validation and test images
    accepts_zip: bool = False  # the data is a folder per class, so a ZIP of it works too

    def run_named(self, key: str) -> ReportRun:
        return next(run for run in self.runs if run.key == key)


def _art(accuracy: float, bound: str = "", parameters: int | None = None) -> tuple:
    figures = [ReportFigure("accuracy", accuracy, bound)]
    if parameters:
        figures.append(ReportFigure("parameters", parameters))
    return tuple(figures)


_ART_TRAINING = TrainConfig(optimizer="adam", learning_rate=1e-3, batch_size=64, epochs=30)
_TRANSFER_TRAINING = TrainConfig(
    optimizer="adam", learning_rate=1e-4, l1=1e-4, batch_size=32, epochs=50,
    reduce_on_plateau=True, plateau_factor=0.5, plateau_patience=3,
    early_stopping=True, early_stopping_patience=8,
)
_SKETCH_TRAINING = TrainConfig(optimizer="adam", learning_rate=1e-3, batch_size=64, epochs=50)


def _transfer(base: str, accuracy: float, top3: float, f1: float) -> ReportRun:
    titles = {"vgg16": "VGG16", "resnet50": "ResNet50", "inception_v3": "InceptionV3"}
    return ReportRun(
        key=f"{titles[base]} transfer",
        model=ModelSpec(architecture="transfer", base=base, weights="imagenet",
                        head_units=(256,), dropout_rate=0.5),
        training=_TRANSFER_TRAINING,
        figures=(ReportFigure("accuracy", accuracy), ReportFigure("top3_accuracy", top3),
                 ReportFigure("macro_f1", f1)),
    )


def _fashion(key: str, accuracy: float, bound: str, rate: float, batch: int,
             epochs: int) -> ReportRun:
    return ReportRun(key=key, model=ModelSpec(architecture="fashion_cnn"),
                     training=TrainConfig(optimizer="adam", learning_rate=rate,
                                          batch_size=batch, epochs=epochs),
                     figures=(ReportFigure("accuracy", accuracy, bound),))


def _attribute_figures(attribute: str) -> tuple[ReportFigure, ...]:
    """Report E's accuracy, precision, recall and F1 for each of its three attributes."""
    numbers = {"Male": (0.946, 0.946, 0.946, 0.945), "Eyeglasses": (0.98, 0.98, 0.98, 0.98),
               "Smiling": (0.883, 0.884, 0.883, 0.882)}[attribute]
    metrics = ("accuracy", "macro_precision", "macro_recall", "macro_f1")
    return tuple(ReportFigure(metric, value) for metric, value in zip(metrics, numbers)) + (
        ReportFigure("parameters", 623_490),)


_SHAPES_STAND_IN = dict(source="shapes", shapes_per_class=300, channels=3)

EXPERIMENTS: dict[str, Experiment] = {
    "A": Experiment(
        report="A", source="folder",
        preparation=(("image_size", (64, 64)), ("channels", 3), ("resize_mode", "stretch"),
                     ("test_fraction", 0.15), ("validation_fraction", 0.15)),
        stand_in=DatasetSpec(**_SHAPES_STAND_IN, image_size=(64, 64),
                             merge=(("cross or line", ("cross", "line")),),
                             classes=("circle", "cross or line", "square", "triangle")),
        runs=(
            ReportRun("final Art CNN", ModelSpec(architecture="art_cnn"), _ART_TRAINING,
                      _art(0.87, parameters=1_459_204)),
            ReportRun("first attempt (2 conv + 2 dense)", ModelSpec(architecture="art_cnn_small"),
                      _ART_TRAINING, _art(0.80, "<")),
            ReportRun("five convolutions, decreasing filters",
                      ModelSpec(architecture="art_cnn_five"), _ART_TRAINING,
                      _art(0.84)),
        ),
        input_shape=(64, 64, 3), num_classes=4, report_split=(6_274, 1_108, 1_303),
        accepts_zip=True,
    ),
    "B": Experiment(
        report="B", source="folder",
        preparation=(("image_size", (128, 128)), ("channels", 3), ("resize_mode", "crop"),
                     ("test_fraction", 0.15), ("validation_fraction", 0.15),
                     ("balancing", "oversample"),
                     ("augmentation", Augmentation(flip="horizontal", rotation=0.05, zoom=0.1))),
        stand_in=DatasetSpec(**_SHAPES_STAND_IN, image_size=(128, 128), resize_mode="crop",
                             test_fraction=0.15, balancing="oversample",
                             augmentation=Augmentation(flip="horizontal", rotation=0.05,
                                                       zoom=0.1)),
        runs=(_transfer("vgg16", 0.844, 0.938, 0.786), _transfer("resnet50", 0.871, 0.965, 0.820),
              _transfer("inception_v3", 0.864, 0.951, 0.810)),
        input_shape=(128, 128, 3), num_classes=30, report_split=(9_392, 1_658, 1_950),
        accepts_zip=True,
    ),
    "C": Experiment(
        report="C", source="filelist",
        preparation=(("image_size", (128, 128)), ("channels", 1), ("validation_fraction", 0.2)),
        stand_in=DatasetSpec(source="shapes", shapes_per_class=300, image_size=(128, 128),
                             channels=1, validation_fraction=0.2),
        runs=(
            ReportRun("Simple BN CNN", ModelSpec(architecture="simple_bn_cnn"), _SKETCH_TRAINING,
                      (ReportFigure("accuracy", 0.4644),)),
            ReportRun("ResNet-18", ModelSpec(architecture="resnet18"), _SKETCH_TRAINING,
                      (ReportFigure("accuracy", 0.5819),)),
        ),
        input_shape=(128, 128, 1), num_classes=250, report_split=(12_800, 3_200, 4_000),
    ),
    "D": Experiment(
        report="D", source="fashion_mnist",
        preparation=(("validation_fraction", 0.1),),
        stand_in=DatasetSpec(source="digits", image_size=(28, 28), channels=1,
                             validation_fraction=0.1),
        runs=(
            _fashion("model 1 (lr 1e-3, batch 64, 5 epochs)", 0.83, "~", 1e-3, 64, 5),
            _fashion("model 2 (lr 1e-5, batch 1000, 30 epochs)", 0.87, "~", 1e-5, 1000, 30),
            _fashion("model 3 (lr 1e-5, batch 1000, 100 epochs)", 0.90, ">", 1e-5, 1000, 100),
            ReportRun("MLP 2048 (batch 500, 100 epochs)",
                      ModelSpec(architecture="mlp", hidden_units=2048),
                      TrainConfig(optimizer="adam", learning_rate=1e-3, batch_size=500,
                                  epochs=100)),
            ReportRun("MLP 512 (batch 1000, 40 epochs)",
                      ModelSpec(architecture="mlp", hidden_units=512),
                      TrainConfig(optimizer="adam", learning_rate=1e-3, batch_size=1000,
                                  epochs=40)),
        ),
        input_shape=(28, 28, 1), num_classes=10, report_split=(54_000, 6_000, 10_000),
    ),
    "E": Experiment(
        report="E", source="attributes",
        preparation=(("image_size", (218, 178)), ("channels", 3),
                     ("attribute_split_sizes", (10_000, 2_000, 1_000))),
        stand_in=DatasetSpec(**_SHAPES_STAND_IN, image_size=(218, 178),
                             classes=("circle", "square")),
        runs=(
            ReportRun("attribute classifier", ModelSpec(architecture="attribute_cnn"),
                      TrainConfig(optimizer="rmsprop", learning_rate=1e-3, batch_size=50,
                                  epochs=15)),
            ReportRun("DCGAN", ModelSpec(architecture="dcgan", latent_dim=64,
                                         gan_widths=(64, 128, 256)),
                      TrainConfig(optimizer="adam", learning_rate=1e-4, batch_size=32,
                                  epochs=30),
                      figures=(ReportFigure("parameters", 1_801_028),
                               ReportFigure("seconds", 6 * 3600)),
                      kind="gan",
                      # All faces: the largest balanced sample the attribute table gives.
                      preparation=(("image_size", (64, 64)),
                                   ("attribute_split_sizes", (162_770, 19_867, 19_962))),
                      stand_in_preparation=(("image_size", (64, 64)), ("classes", ())),
                      input_shape=(64, 64, 3)),
        ),
        input_shape=(218, 178, 3), num_classes=2, report_split=(10_000, 2_000, 1_000),
    ),
}


def figures_of(experiment: Experiment, run: ReportRun,
               attribute: str = "") -> tuple[ReportFigure, ...]:
    """The report's figures for ``run`` (report E's classifier: those of ``attribute``)."""
    if experiment.report == "E" and run.kind == "classifier":
        return _attribute_figures(attribute or "Smiling")
    return run.figures
