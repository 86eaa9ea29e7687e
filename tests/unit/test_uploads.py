"""Saving an uploaded ZIP into the data folder: content-addressed, checked from its bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from cnnviz.errors import UnsafeArchiveError
from cnnviz.uploads import max_upload_bytes, save_zip_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_is_saved_under_its_hash(data_dir: Path) -> None:
    data = zip_bytes({"cat/1.png": PNG, "dog/1.png": PNG})
    relative = save_zip_upload(data)
    assert relative == f"uploads/{hashlib.sha256(data).hexdigest()[:16]}.zip"
    saved = data_dir / relative
    assert saved.read_bytes() == data
    with zipfile.ZipFile(saved) as archive:
        assert sorted(archive.namelist()) == ["cat/1.png", "dog/1.png"]


def test_the_same_bytes_twice_give_one_file(data_dir: Path) -> None:
    data = zip_bytes({"a.txt": b"hello"})
    assert save_zip_upload(data) == save_zip_upload(data)
    other = save_zip_upload(zip_bytes({"a.txt": b"other"}))
    assert other != save_zip_upload(data)
    assert len(list((data_dir / "uploads").iterdir())) == 2


@pytest.mark.parametrize("data", [PNG, b"just text in a file named data.zip", b""])
def test_not_a_zip_is_refused(data_dir: Path, data: bytes) -> None:
    with pytest.raises(UnsafeArchiveError, match="not a ZIP"):
        save_zip_upload(data)
    assert not (data_dir / "uploads").exists()


def test_too_large_is_refused(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_MAX_UPLOAD_MB", "0.001")
    assert max_upload_bytes() == 1048
    data = zip_bytes({"big.bin": bytes(range(256)) * 8})
    assert len(data) > 1048
    with pytest.raises(UnsafeArchiveError, match="MB"):
        save_zip_upload(data)
    assert not (data_dir / "uploads").exists()
    small = zip_bytes({"a": b"x"})
    assert len(small) <= 1048 and (data_dir / save_zip_upload(small)).is_file()
