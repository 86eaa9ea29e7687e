"""What the browser journeys share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a journey's screenshots go for a person to look at: ``CNNVIZ_SCREENSHOTS``, or a
    temporary folder."""
    folder = Path(os.environ.get("CNNVIZ_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
