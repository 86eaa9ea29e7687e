"""Run folders in every state, written the way the worker writes them, for page tests."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

CLASSES = ["circle", "square", "triangle", "star", "cross", "line"]


def make_run(state: str, epochs_done: int = 2, name: str = "",
             dataset: DatasetSpec | None = None, model_spec: ModelSpec | None = None,
             training: TrainConfig | None = None, owner: str = "", owner_name: str = "") -> str:
    """A run folder in ``state`` with ``epochs_done`` epochs of metrics (of 3 unless
    ``training`` says otherwise), started by ``owner`` (a public id; "" the command line)."""
    config = runs.RunConfig(dataset or DatasetSpec(source="shapes", image_size=(32, 32)),
                            model_spec or ModelSpec(architecture="fashion_cnn"),
                            training or TrainConfig(epochs=3),
                            name=name or state)
    run_id = runs.create_run(config, owner, owner_name)
    folder = runs.run_folder(run_id)
    now = time.time()
    lines = []
    for epoch in range(1, epochs_done + 1):
        for batch in (5, 10):
            lines.append({"type": "batch", "phase": 1, "epoch": epoch, "batch": batch,
                          "batches": 10, "images_per_second": 900.0, "learning_rate": 1e-3,
                          "loss": 1.5 / (epoch + batch / 10), "accuracy": 0.3 + 0.1 * epoch,
                          "time": now - 60 + 10 * epoch + batch})
        lines.append({"type": "epoch", "phase": 1, "epoch": epoch, "seconds": 10.0,
                      "learning_rate": 1e-3, "loss": 1.0 / epoch, "accuracy": 0.4 + 0.1 * epoch,
                      "val_loss": 1.1 / epoch, "val_accuracy": 0.35 + 0.1 * epoch,
                      "stopped_by_request": False, "time": now - 60 + 11 * epoch})
    folder.metrics_log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    status = {"state": state, "started": now - 60, "epochs_total": config.training.epochs,
              "steps_per_epoch": 10,
              "device": "CPU only", "heartbeat": now}
    if state == "finished":
        status["ended"] = now
        folder.final_metrics.write_text(json.dumps({
            "accuracy": 0.875, "per_class_accuracy": {name: 0.875 for name in CLASSES}}))
    if state == "failed":
        status.update(ended=now, error="Training diverged at epoch 2, batch 7: the training "
                      "loss became NaN or infinite. Try a smaller learning rate.",
                      error_detail="Traceback (most recent call last): ...")
    if state == "running":
        status["pid"] = looks_like_a_worker().pid
    runs.update_status(run_id, **status)
    return run_id


_sleepers: list[subprocess.Popen] = []


def looks_like_a_worker() -> subprocess.Popen:
    """A live process whose command line names the worker module, so the run counts as alive.
    It outlives a slow browser test on a loaded machine; ``stop_sleepers`` ends it."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)",
                                runs.WORKER_MODULE])
    _sleepers.append(process)
    return process


@contextlib.contextmanager
def beating(run_id: str, every: float = 5.0) -> Iterator[None]:
    """Keep a stand-in running run's heartbeat fresh, as its worker would: after
    ``runs.STALE_SECONDS`` without one the run counts as dead and leaves the queue."""
    stopped = threading.Event()

    def beat() -> None:
        while not stopped.wait(every):
            runs.update_status(run_id, heartbeat=time.time())

    beater = threading.Thread(target=beat, daemon=True)
    beater.start()
    try:
        yield
    finally:
        stopped.set()
        beater.join()


def stop_sleepers() -> None:
    for process in _sleepers:
        process.kill()
        process.wait()
    _sleepers.clear()


def make_evaluated_run(dataset: DatasetSpec, name: str = "evaluated", accuracy: float = 0.8,
                       seed: int = 0) -> str:
    """A finished run with ``evaluation.npz`` and ``metrics.json`` written like the worker's,
    on the real test split of ``dataset``: about ``accuracy`` of the predictions are right,
    the wrong ones go to the next class (so the matrix has a clear most-confused pair)."""
    import numpy as np

    from cnnviz.analysis.metrics import classification_metrics
    from cnnviz.datasets import load_dataset

    loaded = load_dataset(dataset)
    run_id = make_run("finished", epochs_done=3, name=name, dataset=dataset)
    folder = runs.run_folder(run_id)
    rng = np.random.default_rng(seed)
    y_true = loaded.test.labels
    classes = loaded.num_classes
    wrong = rng.random(len(y_true)) > accuracy
    y_pred = np.where(wrong, (y_true + 1) % classes, y_true)
    logits = rng.normal(0, 1, (len(y_true), classes))
    logits[np.arange(len(y_true)), y_pred] += 4 + 2 * rng.random(len(y_true))
    y_prob = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype(np.float32)
    centres = rng.normal(0, 3, (classes, 16))
    embeddings = (centres[y_true] + rng.normal(0, 1, (len(y_true), 16))).astype(np.float32)
    np.savez(folder.evaluation, y_true=y_true, y_prob=y_prob,
             sample_indices=np.arange(len(y_true)), embedding_rows=np.arange(len(y_true)),
             embeddings=embeddings, class_names=np.array(loaded.class_names, dtype=str),
             train_counts=np.bincount(loaded.train.labels, minlength=classes),
             split_name=np.array("test"))
    metrics = classification_metrics(y_true, y_prob, loaded.class_names)
    metrics.update(evaluated_on="test", best_epoch=3, epochs_trained=3)
    folder.final_metrics.write_text(json.dumps(metrics))
    return run_id


def make_trained_run(dataset: DatasetSpec, model_spec: ModelSpec | None = None,
                     name: str = "trained") -> str:
    """A finished run whose model.keras and evaluation.npz come from a real (untrained) Keras
    model, written by the worker's own save and evaluation code."""
    from cnnviz.datasets import load_dataset
    from cnnviz.models.build import build_model
    from cnnviz.models.registry import ARCHITECTURES
    from cnnviz.training.callbacks import save_model
    from cnnviz.training.evaluation import evaluate_run

    model_spec = model_spec or ModelSpec(architecture="fashion_cnn")
    run_id = make_run("finished", dataset=dataset, name=name, model_spec=model_spec)
    loaded = load_dataset(dataset)
    model = build_model(model_spec, loaded.image_shape, loaded.num_classes, seed=0).model
    folder = runs.run_folder(run_id)
    save_model(model, folder.model)
    evaluate_run(folder.path, model, loaded, batch_size=32,
                 outputs_logits=ARCHITECTURES[model_spec.architecture].outputs_logits)
    return run_id


def gan_config(dataset: DatasetSpec, epochs: int = 1, gan_class: str = "") -> runs.RunConfig:
    """A small DCGAN run (8-dimensional noise, narrow layers) that trains in seconds."""
    return runs.RunConfig(
        dataset, ModelSpec(architecture="dcgan", latent_dim=8, gan_widths=(8,),
                           gan_class=gan_class),
        TrainConfig(epochs=epochs, batch_size=16, learning_rate=1e-4, log_every_batches=1),
        name="small GAN", kind="gan")


def make_gan_run(state: str, dataset: DatasetSpec, epochs: int = 2) -> str:
    """A GAN run folder: ``finished`` is really trained by the worker in this process (its
    generator, monitor grids and metrics are real); ``running`` has metric lines and a live
    process but no generator yet."""
    from cnnviz.training import worker

    run_id = runs.create_run(gan_config(dataset, epochs))
    if state == "finished":
        if worker.main(runs.run_path(run_id)) != 0:
            raise AssertionError(runs.read_status(run_id).get("error_detail"))
        return run_id
    now = time.time()
    lines = [{"type": "batch", "phase": 1, "epoch": 1, "batch": batch, "batches": 4,
              "images_per_second": 100.0, "learning_rate": 1e-4, "d_loss": 0.7, "g_loss": 0.7,
              "d_real": 0.5, "d_fake": 0.5, "time": now - 5 + batch} for batch in (1, 2)]
    runs.run_folder(run_id).metrics_log.write_text(
        "".join(json.dumps(line) + "\n" for line in lines))
    runs.update_status(run_id, state=state, started=now - 5, epochs_total=epochs,
                       steps_per_epoch=4, heartbeat=now, pid=looks_like_a_worker().pid)
    return run_id
