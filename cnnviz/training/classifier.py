"""Training a classifier in the worker process: build or resume, fit (two phases for
fine-tuning), evaluate, with the same run folder, status, metric lines and stop as a GAN
(``cnnviz.gan.train``).

Run folder of a classifier run, besides ``config.json``/``status.json``/``metrics.jsonl``:
    model.keras                        the weights with the best monitored loss (atomic writes)
    checkpoint.keras, checkpoint.json  the latest epoch, to resume from
    evaluation.npz                     what the result pages read (``evaluation.evaluate_run``)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import keras

from cnnviz.atomic import read_json, write_json_atomic
from cnnviz.datasets.balancing import class_weights, training_order
from cnnviz.datasets.dataset import Dataset
from cnnviz.datasets.dropped import DroppedImages
from cnnviz.datasets.pipeline import make_tf_dataset
from cnnviz.inside.probes import ProbeRecorder, prepared_probes
from cnnviz.models.build import build_model
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.saved import load_saved_model
from cnnviz.models.transfer import set_fine_tuning
from cnnviz.runs import RunConfig, RunFolder
from cnnviz.training.batchnorm import SettleBatchNorm
from cnnviz.training.callbacks import (BestModelSaver, DroppedImagesReporter, ResumeCheckpoint,
                                       StopOnRequest, StopSignal, run_recorders, save_model)
from cnnviz.training.compiling import compile_classifier
from cnnviz.training.evaluation import evaluate_run
from cnnviz.training.time_budget import run_time_budget


def train_classifier(run_dir: Path, config: RunConfig, dataset: Dataset, stop_signal: StopSignal,
                     resume: bool, update: Callable[..., None], dropped: DroppedImages,
                     report_dropped: Callable[[], dict], scope: AbstractContextManager,
                     device: str, started: float) -> dict:
    """Train (or resume) the classifier of ``config``; write ``metrics.json``; return a summary.

    Networks are built and compiled inside ``scope`` (the distribution strategy of
    ``device``); ``started`` is when the worker began, so ``seconds`` counts the loading too.
    Images that fail to decode go to ``dropped``; ``report_dropped`` writes them to the run
    after every epoch and returns the summary kept in ``metrics.json``."""
    training, folder = config.training, RunFolder(run_dir)
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
    checkpoint = read_json(folder.checkpoint)
    fine_tuning = config.model.architecture == "transfer" and training.fine_tune_epochs > 0
    total_epochs = training.epochs + (training.fine_tune_epochs if fine_tuning else 0)

    def compile_model(model: keras.Model, learning_rate: float | None = None) -> None:
        compile_classifier(model, training, dataset.num_classes, outputs_logits,
                           steps_per_epoch, learning_rate)

    with scope:
        if resume and checkpoint and folder.checkpoint_model.exists():
            model = load_saved_model(folder.checkpoint_model)
            initial_epoch, notices = int(checkpoint["epoch"]), []
        else:
            built = build_model(config.model, dataset.image_shape, dataset.num_classes,
                                l1=training.l1, l2=training.l2, seed=training.seed)
            model, notices, initial_epoch = built.model, built.notices, 0
            compile_model(model)
    update(notices=notices, epochs_total=total_epochs, steps_per_epoch=steps_per_epoch,
           message=None, parameters=int(model.count_params()))

    saver = BestModelSaver(run_dir, monitor, best=(checkpoint or {}).get("best"))
    probes = prepared_probes(run_dir, dataset, model)
    weights = (class_weights(dataset.train.labels, dataset.num_classes)
               if config.dataset.balancing == "class_weights" else None)
    budget = run_time_budget(folder, training, initial_epoch, update)

    def fit(phase: int, first_epoch: int, last_epoch: int) -> StopOnRequest:
        stopper, callbacks = run_recorders(run_dir, stop_signal,
                                           training.batches_between_lines(steps_per_epoch),
                                           training.batch_size, steps_per_epoch, phase)
        # The probe recorder goes before the checkpoint: a checkpointed epoch has its recording.
        callbacks += [ProbeRecorder(run_dir, probes), saver, ResumeCheckpoint(run_dir, saver),
                      DroppedImagesReporter(report_dropped)]
        if training.reduce_on_plateau:
            callbacks.append(keras.callbacks.ReduceLROnPlateau(
                monitor=monitor, factor=training.plateau_factor,
                patience=training.plateau_patience))
        if training.early_stopping:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor=monitor, patience=training.early_stopping_patience,
                restore_best_weights=True))
        if budget is not None:
            phase_begins, rate = ((0, training.learning_rate) if phase == 1 else
                                  (training.epochs, training.fine_tune_learning_rate))
            callbacks.append(budget.start_phase(
                steps_per_epoch * (last_epoch - phase_begins),
                rate if training.cosine_follows_time else None,
                steps_per_epoch * (first_epoch - phase_begins)))
        if training.distribution == "none":
            callbacks.append(SettleBatchNorm(train_stream, training.batch_size, steps_per_epoch,
                                             last_epoch))
        model.fit(train_stream, validation_data=validation_stream, epochs=last_epoch,
                  initial_epoch=first_epoch, callbacks=callbacks, class_weight=weights,
                  verbose=0)
        return stopper

    stopped = False
    if initial_epoch < training.epochs:
        stopped = fit(1, initial_epoch, training.epochs).stopped_by_request
    if fine_tuning and not stopped and not (budget and budget.ran_out):
        with scope:
            if initial_epoch <= training.epochs:
                set_fine_tuning(model, config.model.fine_tune_layers)
                compile_model(model, training.fine_tune_learning_rate)
        stopped = fit(2, max(initial_epoch, training.epochs), total_epochs).stopped_by_request
    if not folder.model.exists():
        save_model(model, folder.model)

    update(message="status.evaluating")
    best = load_saved_model(folder.model)
    metrics = evaluate_run(run_dir, best, dataset, outputs_logits, training.batch_size,
                           training.seed, dropped)
    epochs_done = read_json(folder.checkpoint, {}).get("epoch", 0)
    metrics.update(best_epoch=saver.best_epoch, epochs_trained=epochs_done,
                   stopped_by_user=stopped, seconds=time.time() - started, device=device,
                   stopped_by_time_budget=bool(budget and budget.ran_out),
                   **report_dropped())
    write_json_atomic(folder.final_metrics, metrics)
    return {"stopped_by_user": stopped, "best_epoch": saver.best_epoch}
