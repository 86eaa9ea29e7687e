"""Command line: prepare and watch runs without the web app (a teacher before class).

    python -m cnnviz train --dataset shapes --model fashion_cnn --epochs 3 [--wait]
    python -m cnnviz train --dataset-spec spec.json [any dataset option overriding it]
    python -m cnnviz runs list | show ID | stop ID [--force] | resume ID | delete ID
    python -m cnnviz runs trash | restore ID | empty-trash [ID ...]
    python -m cnnviz evaluate ID
    python -m cnnviz export ID --tensorboard DIR | --archive FILE.zip
                             | --format keras|savedmodel|tflite|onnx [--output PATH]
    python -m cnnviz import FILE.zip
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from cnnviz import run_actions, runs
from cnnviz.dataset_options import add_dataset_options, dataset_spec_from
from cnnviz.errors import CnnvizError, ModelExportError
from cnnviz.exports.model_formats import CONVERTER_REFUSED_EXIT_CODE, MODEL_FORMATS
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import ModelSpec
from cnnviz.run_actions import COMMAND_LINE
from cnnviz.runs import RunState, trash
from cnnviz.training.config import DISTRIBUTIONS, OPTIMIZERS, SCHEDULES, TrainConfig


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except ModelExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return CONVERTER_REFUSED_EXIT_CODE
    except CnnvizError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cnnviz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(required=True, dest="command")

    train = commands.add_parser("train", help="queue a training run")
    add_dataset_options(train)
    train.add_argument("--model", choices=sorted(ARCHITECTURES), default="fashion_cnn")
    train.add_argument("--hidden-units", type=int, default=512, help="mlp hidden layer size")
    train.add_argument("--base", default="mobilenet_v2", help="transfer-learning base")
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--learning-rate", type=float, default=1e-3)
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument("--schedule", choices=SCHEDULES, default="constant")
    train.add_argument("--seed", type=int,
                       help="drives splits, sampling and training (default: the spec's, 0)")
    train.add_argument("--distribution", choices=DISTRIBUTIONS, default="none")
    train.add_argument("--name", default="")
    train.add_argument("--wait", action="store_true", help="follow the run until it ends")
    train.set_defaults(handler=_train)

    runs_command = commands.add_parser(
        "runs", help="list, show, stop, resume, delete (to the trash) or restore runs")
    actions = runs_command.add_subparsers(required=True, dest="action")
    actions.add_parser("list").set_defaults(handler=_list)
    actions.add_parser("trash", help="list the deleted runs").set_defaults(handler=_trash)
    empty = actions.add_parser("empty-trash", help="delete trashed runs for good")
    empty.add_argument("run_ids", nargs="*", help="these runs only (default: all)")
    empty.set_defaults(handler=_empty_trash)
    for action, handler in (("show", _show), ("stop", _stop), ("resume", _resume),
                            ("delete", _delete), ("restore", _restore)):
        sub = actions.add_parser(action)
        sub.add_argument("run_id")
        if action == "stop":
            sub.add_argument("--force", action="store_true", help="SIGTERM then SIGKILL")
        sub.set_defaults(handler=handler)

    evaluate = commands.add_parser("evaluate", help="evaluate a run's best model on its test split")
    evaluate.add_argument("run_id")
    evaluate.set_defaults(handler=_evaluate)

    export = commands.add_parser("export", help="a finished run as a TensorBoard log, a model "
                                 "file or a run archive")
    export.add_argument("run_id")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--tensorboard", metavar="DIR",
                        help="write the TensorBoard log into DIR/RUN_ID")
    target.add_argument("--format", choices=MODEL_FORMATS, help="the best model in this format")
    target.add_argument("--archive", metavar="FILE", help="the whole run as one ZIP")
    export.add_argument("--output", metavar="PATH", help="where --format writes (default: "
                        "RUN_ID.keras, RUN_ID-savedmodel/, RUN_ID.tflite, RUN_ID.onnx)")
    export.set_defaults(handler=_export)

    import_command = commands.add_parser("import", help="add a run archive to the runs folder")
    import_command.add_argument("archive", help="a ZIP written by export --archive")
    import_command.set_defaults(handler=_import)
    return parser


def _train(arguments: argparse.Namespace) -> int:
    dataset = dataset_spec_from(arguments)
    config = runs.RunConfig(
        dataset=dataset,
        model=ModelSpec(architecture=arguments.model, hidden_units=arguments.hidden_units,
                        base=arguments.base),
        training=TrainConfig(
            epochs=arguments.epochs, batch_size=arguments.batch_size,
            learning_rate=arguments.learning_rate, optimizer=arguments.optimizer,
            schedule=arguments.schedule,
            seed=dataset.seed if arguments.seed is None else arguments.seed,
            distribution=arguments.distribution,
        ),
        name=arguments.name,
    )
    run_id = run_actions.start_run(COMMAND_LINE, config)
    print(run_id)
    if arguments.wait:
        return _follow(run_id)
    return 0


def _follow(run_id: str) -> int:
    """Print each finished epoch until the run ends; exit 0 only if it finished."""
    printed = 0
    while True:
        status = runs.read_status(run_id)
        epochs = [row for row in runs.read_metrics(run_id) if row.get("type") == "epoch"]
        for row in epochs[printed:]:
            shown = {key: round(value, 4) for key, value in row.items()
                     if key in ("loss", "accuracy", "val_loss", "val_accuracy") and value is not None}
            print(f"epoch {row['epoch']}: {shown}")
        printed = len(epochs)
        if status.ended:
            print(f"{run_id} {_state_text(run_id, status)}"
                  + (f": {status['error']}" if status.get("error") else ""))
            _warn_dropped(run_id, status)
            return 0 if status.evaluated else 1
        time.sleep(1.0)


def _warn_dropped(run_id: str, status: dict) -> None:
    """Say how many images a streamed split could not decode (``runs show`` lists them)."""
    counts = status.get("dropped_images") or {}
    if sum(counts.values()):
        per_split = ", ".join(f"{count} {split}" for split, count in counts.items())
        print(f"warning: {sum(counts.values())} images could not be decoded and were left out "
              f"({per_split}); python -m cnnviz runs show {run_id} lists them", file=sys.stderr)


def _state_text(run_id: str, status: runs.RunStatus) -> str:
    """The state, and for a stopped run the epochs it reached (``stopped at epoch 3/10``)."""
    if status.state != RunState.STOPPED:
        return status.state
    trained = (runs.read_final_metrics(run_id) or {}).get("epochs_trained", "?")
    return f"stopped at epoch {trained}/{runs.read_config(run_id).training.epochs}"


def _list(arguments: argparse.Namespace) -> int:
    for run in runs.list_runs():
        accuracy = (run["metrics"] or {}).get("accuracy")
        shown = f"{accuracy:.4f}" if accuracy is not None else "-"
        state = _state_text(run["run_id"], run["status"])
        print(f"{run['run_id']}  {state:<11} {run['dataset'] or '-':<13}"
              f" {run['model'] or '-':<14} test accuracy {shown}  {run['name']}"
              + (f"  ({run['owner_name']})" if run["owner_name"] else ""))
    return 0


def _show(arguments: argparse.Namespace) -> int:
    folder = runs.run_folder(arguments.run_id)
    print(json.dumps({
        "config": json.loads(folder.config.read_text()),
        "status": runs.read_status(arguments.run_id),
        "epochs": [row for row in runs.read_metrics(arguments.run_id) if row.get("type") == "epoch"],
        "test_metrics": runs.read_final_metrics(arguments.run_id),
        "dropped_images": runs.read_dropped_images(arguments.run_id),
    }, indent=1))
    return 0


def _stop(arguments: argparse.Namespace) -> int:
    status = run_actions.stop_run(COMMAND_LINE, arguments.run_id, force=arguments.force)
    print(f"{arguments.run_id} {status.state}")
    return 0


def _resume(arguments: argparse.Namespace) -> int:
    print(f"{arguments.run_id} {run_actions.resume_run(COMMAND_LINE, arguments.run_id).state}")
    return 0


def _delete(arguments: argparse.Namespace) -> int:
    run_actions.delete_run(COMMAND_LINE, arguments.run_id)
    print(f"moved {arguments.run_id} to the trash (python -m cnnviz runs restore "
          f"{arguments.run_id} brings it back)")
    return 0


def _restore(arguments: argparse.Namespace) -> int:
    run_actions.restore_run(COMMAND_LINE, arguments.run_id)
    print(f"restored {arguments.run_id}")
    return 0


def _trash(arguments: argparse.Namespace) -> int:
    for run in trash.trashed_runs():
        deleted = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.trashed_at))
        print(f"{run.run_id}  deleted {deleted} by {run.trashed_by or '-'}  {run.name}"
              + (f"  ({run.owner_name})" if run.owner_name else ""))
    return 0


def _empty_trash(arguments: argparse.Namespace) -> int:
    removed = run_actions.empty_trash(COMMAND_LINE, arguments.run_ids or None)
    print(f"deleted for good: {' '.join(removed) or 'nothing'}")
    return 0


def _evaluate(arguments: argparse.Namespace) -> int:
    from cnnviz.training.evaluation import evaluate_saved_run

    metrics = evaluate_saved_run(arguments.run_id)
    print(json.dumps(metrics, indent=1))
    return 0


# Default output of ``export --format`` next to where the command runs.
DEFAULT_MODEL_OUTPUTS = {"keras": "{run}.keras", "savedmodel": "{run}-savedmodel",
                         "tflite": "{run}.tflite", "onnx": "{run}.onnx"}


def _export(arguments: argparse.Namespace) -> int:
    if arguments.tensorboard:
        from cnnviz.exports.tensorboard_log import export_tensorboard

        folder, notices = export_tensorboard(arguments.run_id, Path(arguments.tensorboard))
        for notice in notices:
            print(f"note: {notice}", file=sys.stderr)
        print(f"{folder}  (tensorboard --logdir {arguments.tensorboard})")
    elif arguments.archive:
        from cnnviz.exports.run_archive import write_run_archive

        print(write_run_archive(arguments.run_id, Path(arguments.archive)))
    else:
        from cnnviz.exports.model_formats import export_model

        output = arguments.output or DEFAULT_MODEL_OUTPUTS[arguments.format].format(
            run=arguments.run_id)
        print(export_model(arguments.run_id, arguments.format, Path(output)))
    return 0


def _import(arguments: argparse.Namespace) -> int:
    from cnnviz.exports.run_archive import import_run_archive

    print(import_run_archive(Path(arguments.archive)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
