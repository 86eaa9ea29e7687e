"""Private run and data folders for a benchmark that serves the app to a browser."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def private_folders(prefix: str) -> tuple[Path, dict[str, str]]:
    """A fresh work folder and the environment that points this process and its servers at
    its ``runs`` and ``data`` folders (already set in ``os.environ``), so a benchmark never
    mixes with the user's own runs."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    environment = {"CNNVIZ_RUNS_DIR": str(work / "runs"), "CNNVIZ_DATA_DIR": str(work / "data")}
    os.environ.update(environment)
    return work, environment
