"""The training worker: ``python -m cnnviz.training.worker RUN_DIR``.

Runs in its own process (started by the run queue), trains the run described by the folder's
``config.json``, records everything into the folder, and starts the next queued run when it
ends. It knows nothing of the web pages.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cnnviz import runs, settings
from cnnviz.atomic import read_json
from cnnviz.errors import CnnvizError
from cnnviz.runs import RunFolder, RunState

_status_lock = threading.Lock()


def main(run_dir: Path) -> int:
    """Train the run in ``run_dir``; the exit code is 0 unless the run failed."""
    run_id = run_dir.name
    _update(run_id, pid=os.getpid(), host=socket.gethostname(), heartbeat=time.time(),
            message="status.loading")
    stop_beating = _start_heartbeat(run_id)
    try:
        from cnnviz.training.callbacks import StopSignal

        stop_signal = StopSignal(RunFolder(run_dir).stop_request)
        signal.signal(signal.SIGTERM, lambda *_: stop_signal.set())
        summary = _train(run_dir, stop_signal)
        ended = RunState.STOPPED if summary.get("stopped_by_user") else RunState.FINISHED
        _update(run_id, state=ended, ended=time.time(), message=None, resume=False, **summary)
        return 0
    except Exception as error:  # noqa: BLE001 — every failure must reach the run's status
        reason, detail = describe_failure(error)
        _update(run_id, state=RunState.FAILED, ended=time.time(), error_detail=detail,
                resume=False, **runs.reason_fields(reason))
        return 1
    finally:
        stop_beating.set()
        runs.schedule()


def _train(run_dir: Path, stop_signal) -> dict:
    """Load the data, set up the devices, then train the run's kind of network; return a
    summary (``cnnviz.training.classifier`` and ``cnnviz.gan.train`` hold the loops)."""
    from cnnviz.datasets import load_dataset

    run_id, folder = run_dir.name, RunFolder(run_dir)
    config = runs.read_config(run_id)
    training = config.training
    status = read_json(folder.status, {})
    started = time.time()
    # Reading the images (NumPy, file and zlib work) overlaps the seconds TensorFlow takes to
    # import, which brings the first metrics line closer to the click on "Train".
    with ThreadPoolExecutor(1, thread_name_prefix="load") as loader:
        loading = loader.submit(load_dataset, config.dataset)
        import keras

        dataset = loading.result()

    from cnnviz.datasets.dropped import DroppedImages, dropped_summary
    from cnnviz.training.device import configure_devices

    device, scope = configure_devices(training.mixed_precision, training.distribution)
    _update(run_id, device=device, message="status.building",
            started=status.get("started") or started)
    keras.utils.set_random_seed(training.seed)
    # Images a streamed split cannot decode, found while training (kept across a resume).
    dropped = DroppedImages.read(folder.dropped_images)

    def report_dropped() -> dict:
        """Write the dropped images and the split sizes really used; return that summary."""
        if dropped.items():
            dropped.write(folder.dropped_images)
        summary = dropped_summary(dropped, dataset)
        _update(run_id, **summary)
        return summary

    def update(**changes) -> None:
        _update(run_id, **changes)

    report_dropped()
    resume = bool(status.get("resume"))
    if config.kind == "gan":
        from cnnviz.gan.train import train_gan

        with scope:
            return train_gan(run_dir, config, dataset, stop_signal, resume, update, dropped,
                             report_dropped)

    from cnnviz.training.classifier import train_classifier

    return train_classifier(run_dir, config, dataset, stop_signal, resume, update, dropped,
                            report_dropped, scope, device, started)


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
    os.nice(settings.worker_niceness())  # a worker process of its own yields to the pages
    sys.exit(main(Path(sys.argv[1])))
