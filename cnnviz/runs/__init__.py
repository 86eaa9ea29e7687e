"""Training runs: one folder per run, the only thing pages read.

States: queued -> running -> (stopping ->) finished | stopped | failed | interrupted. A run
stopped on request is evaluated like a finished one; a run whose worker died (its process is
gone, or it stopped beating) is marked ``interrupted``; both can be resumed from their last
saved epoch.

The package's modules each hold one concept — ``config`` (what a run is made of), ``folder``
(the name of every file in a run folder), ``state`` (its state and ``status.json``), ``store``
(the folders: create, list, read), ``trash`` (deleted runs, until restored or emptied),
``liveness`` (is its worker alive), ``queue``
(start, stop, resume workers), ``ray_queue`` (workers as Ray jobs) — and this module gathers
their public names, so callers write ``runs.read_status(run_id)``.
"""

from cnnviz.runs.config import RunConfig
from cnnviz.runs.folder import RunFolder
from cnnviz.runs.liveness import (HEARTBEAT_SECONDS, SPAWN_GRACE_SECONDS, STALE_SECONDS,
                                  WORKER_MODULE)
from cnnviz.runs.queue import (child_environment, kill_run, request_stop, resume_run, schedule,
                               start_run)
from cnnviz.runs.state import RunState, RunStatus
from cnnviz.runs.store import (create_run, list_runs, mark_interrupted, read_config,
                               read_dropped_images, read_final_metrics, read_folder_metrics,
                               read_metrics, read_owner, read_status, reason_fields, run_folder,
                               run_path, runs_root, update_status)

__all__ = [
    "HEARTBEAT_SECONDS", "SPAWN_GRACE_SECONDS", "STALE_SECONDS", "WORKER_MODULE", "RunConfig",
    "RunFolder", "RunState", "RunStatus",
    "child_environment", "create_run", "kill_run", "list_runs",
    "mark_interrupted", "read_config", "read_dropped_images", "read_final_metrics",
    "read_folder_metrics", "read_metrics", "read_owner", "read_status", "reason_fields", "request_stop",
    "resume_run", "run_folder", "run_path", "runs_root", "schedule", "start_run", "update_status",
]
