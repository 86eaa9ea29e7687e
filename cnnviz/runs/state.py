"""A run's state and its ``status.json``, typed.

The states are strings on disk (``"state": "running"``); :class:`RunState` is a ``StrEnum``, so a
member is equal to its string, is written as it, and a state read from an older folder compares
with the members unchanged.
"""

from __future__ import annotations

from enum import StrEnum, nonmember
from typing import Any


class RunState(StrEnum):
    """Where a run is in its life: queued -> running -> (stopping ->) finished | stopped |
    failed | interrupted. A stopped run ended early because someone asked: its best model was
    kept and evaluated like a finished one's. A stopped or interrupted run can be queued again
    and resumed."""

    QUEUED = "queued"
    RUNNING = "running"
    STOPPING = "stopping"
    FINISHED = "finished"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"

    # Inside the class body the members are still their strings; these sets hold those, so a
    # member and a state read from JSON are both found in them.
    # A worker process belongs to the run (it can be stopped or killed, it must beat).
    WORKING = nonmember(frozenset({RUNNING, STOPPING}))
    # Not over yet: waiting for the queue or training; pages keep polling.
    ACTIVE = nonmember(frozenset({QUEUED, RUNNING, STOPPING}))
    # Over, with nothing more to come from a worker.
    ENDED = nonmember(frozenset({FINISHED, STOPPED, FAILED, INTERRUPTED}))
    # Ended with its best model evaluated: its results can be viewed and exported.
    EVALUATED = nonmember(frozenset({FINISHED, STOPPED}))
    # Ended before its last epoch: it can be queued again and continue.
    RESUMABLE = nonmember(frozenset({STOPPED, INTERRUPTED}))


class RunStatus(dict[str, Any]):
    """The content of a run's ``status.json``.

    A dict, so that every key the worker and the evaluation write (progress, device, summary)
    survives a read-merge-write unchanged and the file stays what it was; the properties give
    the fields the queue decides on their types.
    """

    @property
    def state(self) -> RunState:
        """The run's state; a folder without a status is waiting for the queue."""
        return RunState(self.get("state", RunState.QUEUED))

    @property
    def working(self) -> bool:
        """Whether a worker process belongs to the run."""
        return self.state in RunState.WORKING

    @property
    def active(self) -> bool:
        """Whether the run is queued or training."""
        return self.state in RunState.ACTIVE

    @property
    def ended(self) -> bool:
        """Whether the run is over (finished, failed or interrupted)."""
        return self.state in RunState.ENDED

    @property
    def evaluated(self) -> bool:
        """Whether the run ended with its best model evaluated (finished or stopped)."""
        return self.state in RunState.EVALUATED

    @property
    def resumable(self) -> bool:
        """Whether the run can be queued again to continue (stopped or interrupted)."""
        return self.state in RunState.RESUMABLE

    @property
    def pid(self) -> int | None:
        """The local worker's process id, once it announced it."""
        pid = self.get("pid")
        return int(pid) if pid else None

    @property
    def ray_job(self) -> str | None:
        """The Ray job running the worker (with ``CNNVIZ_RAY_ADDRESS`` set)."""
        return self.get("ray_job") or None

    @property
    def heartbeat(self) -> float | None:
        """When the worker last said it was alive (seconds since the epoch)."""
        return self.get("heartbeat")

    @property
    def spawned_at(self) -> float | None:
        """When the queue started the worker."""
        return self.get("spawned_at")
