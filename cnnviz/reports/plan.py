"""What a report's experiment queues and for how long: its data as the report prepared it
(the user's copy, or the stand-in), one named run per report run, and each run's expected
duration on this machine, shown before anything starts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError
from cnnviz.reports.experiments import REPORT_ATTRIBUTES, Experiment, ReportRun
from cnnviz.runs import RunConfig
from cnnviz.training.timing import expected_seconds

STAND_IN_SUFFIX = " [stand-in]"
# Report A merged two of its five folders; the Art Images dataset names them like this.
ART_MERGE_HINTS = ("draw", "engrav")
ART_MERGED_CLASS = "drawings and engravings"
CELEBA_FACES = 202_599  # report E's DCGAN trained on all of them


def run_name(experiment: Experiment, run: ReportRun, stand_in: bool, attribute: str = "") -> str:
    """The run's name in the run store, by which the page finds it again."""
    detail = f" ({attribute})" if attribute and run.kind != "gan" else ""
    return (f"Report {experiment.report}: {run.key}{detail}"
            + (STAND_IN_SUFFIX if stand_in else ""))


def report_dataset(experiment: Experiment, path: str | None = None, attribute: str = "",
                   merge: tuple[tuple[str, tuple[str, ...]], ...] = (),
                   zipped: bool = False) -> DatasetSpec:
    """The report's data as the report prepared it, read from the user's copy at ``path``
    (a ZIP already saved by :func:`cnnviz.uploads.save_zip_upload` when ``zipped``)."""
    fields = dict(experiment.preparation)
    if experiment.source == "fashion_mnist":
        return DatasetSpec(source="fashion_mnist", **fields)
    if not path:
        raise InvalidSpecError("error.reproductions.report_s_data_needs", report=experiment.report)
    if experiment.source == "attributes":
        if attribute not in REPORT_ATTRIBUTES:
            raise InvalidSpecError(
                "error.reproductions.report_e_classified_not",
                report_attributes=', '.join(REPORT_ATTRIBUTES), attribute=attribute)
        fields["attribute"] = attribute
    if merge:
        fields["merge"] = merge
    source = "archive" if zipped and experiment.accepts_zip else experiment.source
    return DatasetSpec(source=source, path=path, **fields)


def experiment_configs(experiment: Experiment, data: DatasetSpec | None,
                       attribute: str = "") -> list[RunConfig]:
    """Every run of ``experiment`` on ``data`` (the report's, from :func:`report_dataset`),
    or on the stand-in when ``data`` is None, each named by :func:`run_name`."""
    stand_in = data is None
    base = experiment.stand_in if stand_in else data
    configs = []
    for run in experiment.runs:
        changes = dict(run.stand_in_preparation if stand_in else run.preparation)
        configs.append(RunConfig(
            dataset=dataclasses.replace(base, **changes) if changes else base,
            model=run.model, training=run.training,
            name=run_name(experiment, run, stand_in, attribute), kind=run.kind))
    return configs


def art_merge(class_names: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Report A's merge of drawings and engravings, found among ``class_names`` by name
    ("drawings", "engraving"); empty when the folders are named otherwise."""
    found = tuple(next((name for name in class_names if hint in name.lower()), "")
                  for hint in ART_MERGE_HINTS)
    return ((ART_MERGED_CLASS, found),) if all(found) else ()


def estimate_split(experiment: Experiment, run: ReportRun, counted: tuple[int, int, int] | None
                   ) -> tuple[int, int, int]:
    """The images a run's duration is estimated for: those counted in the chosen data, or
    the report's own when the data was not read (a copy not given yet, all of CelebA)."""
    if counted is not None:
        return counted
    return (CELEBA_FACES, 0, 0) if run.kind == "gan" else experiment.report_split


@dataclass(frozen=True)
class PlannedRun:
    """A row of the table shown before starting: what runs, with what, for how long."""

    name: str  # in the run store
    key: str  # short, for a table: the report's own name of the run
    architecture: str  # a key of the registry, or "dcgan"
    detail: str  # the transfer base or the MLP's hidden units; empty otherwise
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    expected_seconds: float


def plan(experiment: Experiment, configs: list[RunConfig], seconds_per_step: list[float],
         counted: list[tuple[int, int, int] | None]) -> list[PlannedRun]:
    """The runs of ``configs`` with their expected durations on this machine."""
    rows = []
    for config, run, seconds, sizes in zip(configs, experiment.runs, seconds_per_step, counted,
                                           strict=True):
        model = config.model
        detail = {"transfer": model.base, "mlp": str(model.hidden_units)}.get(
            model.architecture, "")
        rows.append(PlannedRun(
            config.name, run.key, model.architecture, detail, config.training.optimizer,
            config.training.learning_rate, config.training.batch_size, config.training.epochs,
            expected_seconds(config, seconds, estimate_split(experiment, run, sizes))))
    return rows


def planned_seconds(planned: list[PlannedRun]) -> float:
    """How long the planned runs take one after another on this machine."""
    return sum(row.expected_seconds for row in planned)
