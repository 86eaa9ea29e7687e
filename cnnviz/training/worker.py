"""The training worker: ``python -m cnnviz.training.worker RUN_DIR``.

Runs in its own process (started by the run queue), trains the run described by the folder's
``config.json``, records everything into the folder, and starts the next queued run when it
ends. It knows nothing of the web pages.
"""

from __future__ import annotations

import errno
import math
import os
import signal
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cnnviz import runs
from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.errors import CnnvizError

_status_lock = threading.Lock()


def main(run_dir: Path) -> int:
    """Train the run in ``run_dir``; the exit code is 0 unless the run failed."""
    run_id = run_dir.name
    _update(run_id, pid=os.getpid(), host=socket.gethostname(), heartbeat=time.time(),
            message="status.loading")
    stop_beating = _start_heartbeat(run_id)
    try:
        from cnnviz.training.callbacks import StopSignal

        stop_signal = StopSignal(run_dir / "stop.request")
        signal.signal(signal.SIGTERM, lambda *_: stop_signal.set())
        summary = _train(run_dir, stop_signal)
        _update(run_id, state="finished", ended=time.time(), message=None, resume=False, **summary)
        return 0
    except Exception as error:  # noqa: BLE001 — every failure must reach the run's status
        reason, detail = describe_failure(error)
        _update(run_id, state="failed", ended=time.time(), error_detail=detail, resume=False,
                **runs.reason_fields(reason))
        return 1
    finally:
        stop_beating.set()
        runs.schedule()


def _train(run_dir: Path, stop_signal) -> dict:
    """Load, build or resume, fit (two phases for fine-tuning), evaluate; return a summary."""
    from cnnviz.datasets import load_dataset

    run_id = run_dir.name
    config = runs.read_config(run_id)
    training = config.training
    status = read_json(run_dir / "status.json", {})
    started = time.time()
    # Reading the images (NumPy, file and zlib work) overlaps the seconds TensorFlow takes to
    # import, which brings the first metrics line closer to the click on "Train".
    with ThreadPoolExecutor(1, thread_name_prefix="load") as loader:
        loading = loader.submit(load_dataset, config.dataset)
        import keras

        dataset = loading.result()

    from cnnviz.datasets.balancing import class_weights, training_order
    from cnnviz.datasets.dropped import DroppedImages, dropped_summary
    from cnnviz.datasets.pipeline import make_tf_dataset
    from cnnviz.inside.probes import ProbeRecorder, prepared_probes
    from cnnviz.models.build import build_model
    from cnnviz.models.layers import SparseAUC
    from cnnviz.models.registry import ARCHITECTURES
    from cnnviz.models.saved import load_saved_model
    from cnnviz.models.transfer import set_fine_tuning
    from cnnviz.training.callbacks import (BestModelSaver, DroppedImagesReporter, RunRecorder,
                                           save_model)
    from cnnviz.training.device import configure_devices
    from cnnviz.training.evaluation import evaluate_run
    from cnnviz.training.optimizers import build_optimizer

    device, scope = configure_devices(training.mixed_precision, training.distribution)
    _update(run_id, device=device, message="status.building",
            started=status.get("started") or started)
    keras.utils.set_random_seed(training.seed)
    # Images a streamed split cannot decode, found while training (kept across a resume).
    dropped = DroppedImages.read(run_dir / runs.DROPPED_FILE_NAME)

    def report_dropped() -> dict:
        """Write the dropped images and the split sizes really used; return that summary."""
        if dropped.items():
            dropped.write(run_dir / runs.DROPPED_FILE_NAME)
        summary = dropped_summary(dropped, dataset)
        _update(run_id, **summary)
        return summary

    report_dropped()
    if config.kind == "gan":
        from cnnviz.gan.train import train_gan

        with scope:
            return train_gan(run_dir, config, dataset, stop_signal, bool(status.get("resume")),
                             lambda **changes: _update(run_id, **changes), dropped,
                             report_dropped)

    outputs_logits = ARCHITECTURES[config.model.architecture].outputs_logits
    order = training_order(dataset.train.labels, config.dataset.balancing, training.seed)
    steps_per_epoch = max(1, math.ceil(len(order) / training.batch_size))
    train_stream = make_tf_dataset(dataset, "train", training.batch_size, training=True,
                                   seed=training.seed, dropped=dropped)
    validation_stream = (
        make_tf_dataset(dataset, "validation", training.batch_size, dropped=dropped)
        if len(dataset.validation) else None
    )
    monitor = "val_loss" if validation_stream is not None else "loss"
    checkpoint = read_json(run_dir / "checkpoint.json")
    fine_tuning = config.model.architecture == "transfer" and training.fine_tune_epochs > 0
    total_epochs = training.epochs + (training.fine_tune_epochs if fine_tuning else 0)

    def compile_model(model: keras.Model, learning_rate: float | None = None) -> None:
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
        if dataset.num_classes > 5:
            metrics.append(keras.metrics.SparseTopKCategoricalAccuracy(3, name="top3_accuracy"))
        metrics.append(SparseAUC(dataset.num_classes, from_logits=outputs_logits))
        model.compile(
            optimizer=build_optimizer(training, steps_per_epoch, learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=outputs_logits),
            metrics=metrics,
        )

    with scope:
        if status.get("resume") and checkpoint and (run_dir / "checkpoint.keras").exists():
            model = load_saved_model(run_dir / "checkpoint.keras")
            initial_epoch, notices = int(checkpoint["epoch"]), []
        else:
            built = build_model(config.model, dataset.image_shape, dataset.num_classes,
                                l1=training.l1, l2=training.l2, seed=training.seed)
            model, notices, initial_epoch = built.model, built.notices, 0
            compile_model(model)
    _update(run_id, notices=notices, epochs_total=total_epochs, steps_per_epoch=steps_per_epoch,
            message=None, parameters=int(model.count_params()))

    saver = BestModelSaver(run_dir, monitor, best=(checkpoint or {}).get("best"))
    probes = prepared_probes(run_dir, dataset, model)
    weights = (class_weights(dataset.train.labels, dataset.num_classes)
               if config.dataset.balancing == "class_weights" else None)

    def fit(phase: int, first_epoch: int, last_epoch: int) -> RunRecorder:
        recorder = RunRecorder(run_dir, stop_signal,
                               training.batches_between_lines(steps_per_epoch),
                               training.batch_size, steps_per_epoch, phase)
        # The probe recorder goes before the saver: a checkpointed epoch has its recording.
        callbacks: list[keras.callbacks.Callback] = [recorder, ProbeRecorder(run_dir, probes),
                                                     saver, DroppedImagesReporter(report_dropped)]
        if training.reduce_on_plateau:
            callbacks.append(keras.callbacks.ReduceLROnPlateau(
                monitor=monitor, factor=training.plateau_factor,
                patience=training.plateau_patience))
        if training.early_stopping:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor=monitor, patience=training.early_stopping_patience,
                restore_best_weights=True))
        model.fit(train_stream, validation_data=validation_stream, epochs=last_epoch,
                  initial_epoch=first_epoch, callbacks=callbacks, class_weight=weights,
                  verbose=0)
        return recorder

    stopped = False
    if initial_epoch < training.epochs:
        stopped = fit(1, initial_epoch, training.epochs).stopped_by_request
    if fine_tuning and not stopped:
        with scope:
            if initial_epoch <= training.epochs:
                set_fine_tuning(model, config.model.fine_tune_layers)
                compile_model(model, training.fine_tune_learning_rate)
        stopped = fit(2, max(initial_epoch, training.epochs), total_epochs).stopped_by_request
    if not (run_dir / "model.keras").exists():
        save_model(model, run_dir / "model.keras")

    _update(run_id, message="status.evaluating")
    best = load_saved_model(run_dir / "model.keras")
    metrics = evaluate_run(run_dir, best, dataset, outputs_logits, training.batch_size,
                           training.seed, dropped)
    epochs_done = read_json(run_dir / "checkpoint.json", {}).get("epoch", 0)
    metrics.update(best_epoch=saver.best_epoch, epochs_trained=epochs_done,
                   stopped_by_user=stopped, seconds=time.time() - started, device=device,
                   **report_dropped())
    write_json_atomic(run_dir / "metrics.json", metrics)
    return {"stopped_by_user": stopped, "best_epoch": saver.best_epoch}


def describe_failure(error: BaseException) -> tuple[CnnvizError, str]:
    """The failure as a student reads it (a catalogue message, so each page shows it in its
    own language; ``str()`` is English), and the technical detail behind it."""
    detail = "".join(traceback.format_exception(error))
    name = type(error).__name__
    if isinstance(error, CnnvizError):
        return error, detail
    if name == "ResourceExhaustedError" or "out of memory" in str(error).lower():
        return CnnvizError("error.worker.out_of_memory"), detail
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return CnnvizError("error.worker.disk_full"), detail
    return CnnvizError("error.worker.unexpected", name=name, error=error), detail


def _update(run_id: str, **changes) -> None:
    with _status_lock:
        runs.update_status(run_id, **changes)


def _start_heartbeat(run_id: str) -> threading.Event:
    """Rewrite the heartbeat every few seconds from a thread, even during a slow batch."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(runs.HEARTBEAT_SECONDS):
            _update(run_id, heartbeat=time.time())

    threading.Thread(target=beat, daemon=True, name="heartbeat").start()
    return stop


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
