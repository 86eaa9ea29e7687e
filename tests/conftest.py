"""Shared fixtures: a private data folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CNNVIZ_DATA_DIR that is also the only data root."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(folder))
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", str(folder))
    return folder
