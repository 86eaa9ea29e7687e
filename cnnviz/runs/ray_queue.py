"""Runs on a Ray cluster: with ``CNNVIZ_RAY_ADDRESS`` set, each run's worker is a Ray job.

The embedded queue (``cnnviz.runs.queue``) still decides *when* a run starts; Ray decides
*where*. The job runs the same worker, ``python -m cnnviz.training.worker RUN_DIR``, on the node
Ray picks, so the run folder stays the contract: the runs and data folders must be the same shared
storage, at the same path, on every node (as must this Python environment). Jobs, not tasks: a
Ray task dies with the process that submitted it, a job belongs to the cluster, so a run
outlives the web server that queued it, as a local worker does.

Importing this module does not import Ray; only a configured address does.
"""

from __future__ import annotations

import functools
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from cnnviz.errors import RayUnavailableError

# What a worker needs of the server's environment (never the whole of it: secrets such as the
# teacher's password stay on the server).
_FORWARDED_PREFIXES = ("CNNVIZ_", "KERAS_", "TF_")
_FORWARDED_NAMES = ("PYTHONPATH",)
_ALIVE_STATES = ("PENDING", "RUNNING")


def ray_address() -> str | None:
    """The cluster's job-submission address (its dashboard, e.g. ``http://head:8265``)."""
    return os.environ.get("CNNVIZ_RAY_ADDRESS") or None


def gpus_per_run() -> float:
    """GPUs each run asks Ray for (``CNNVIZ_RAY_GPUS_PER_RUN``, default 0: CPU nodes)."""
    return float(os.environ.get("CNNVIZ_RAY_GPUS_PER_RUN", "0"))


def submit(run_id: str, folder: Path, environment: dict[str, str]) -> str:
    """Submit the worker of ``run_id`` as a Ray job; return the job's id.

    The job asks for one CPU and ``gpus_per_run()`` GPUs, so Ray places it on a node that has
    them (and holds it ``PENDING`` until one is free).
    """
    forwarded = {name: value for name, value in environment.items()
                 if name.startswith(_FORWARDED_PREFIXES) or name in _FORWARDED_NAMES}
    entrypoint = shlex.join([sys.executable, "-m", "cnnviz.training.worker", str(folder)])
    return _client().submit_job(
        entrypoint=entrypoint,
        submission_id=f"cnnviz-{run_id}-{time.time_ns()}",
        runtime_env={"env_vars": forwarded},
        entrypoint_num_cpus=1,
        entrypoint_num_gpus=gpus_per_run(),
        metadata={"cnnviz_run": run_id},
    )


def job_alive(job_id: str) -> bool:
    """Whether the job is still waiting for a node or running on one.

    A cluster that cannot be reached is not taken as a dead job: its runs stay as they are
    until Ray answers again.
    """
    try:
        state = _client().get_job_status(job_id)
    except (RayUnavailableError, OSError):
        return True
    except RuntimeError:  # Ray no longer knows the job (the cluster was restarted)
        return False
    return str(getattr(state, "value", state)) in _ALIVE_STATES


def stop(job_id: str) -> None:
    """End the job: Ray sends its worker SIGTERM (a stop request), then SIGKILL."""
    _client().stop_job(job_id)


@functools.cache
def _client_for(address: str) -> Any:
    from ray.job_submission import JobSubmissionClient

    try:
        return JobSubmissionClient(address)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise RayUnavailableError(
            "error.ray_queue.no_ray_cluster_answers", address=address, error=error) from error


def _client() -> Any:
    address = ray_address()
    if address is None:
        raise RayUnavailableError("error.ray_queue.cnnviz_ray_address_not")
    return _client_for(address)
