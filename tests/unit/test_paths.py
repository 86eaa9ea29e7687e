"""Folder paths a student types: only inside the data roots, never into other students' uploads.

Every case goes through a real data folder on disk, with real links and a real uploaded ZIP.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cnnviz.datasets import DatasetSpec, load_dataset
from cnnviz.errors import UnsafeArchiveError, UnsafePathError
from cnnviz.paths import resolve_user_path
from cnnviz.uploads import save_zip_upload
from tests.helpers.imagefiles import make_class_folder
from tests.unit.datasets.test_archive import build_zip, png_bytes


def pets_zip() -> bytes:
    """A ZIP of two class folders of real PNGs, as a student would upload it."""
    return build_zip({f"pets/{class_name}/{index}.png": png_bytes((index * 20, 40, 0))
                      for class_name in ("cats", "dogs") for index in range(6)})


def test_a_folder_inside_the_data_root_resolves(data_dir: Path) -> None:
    make_class_folder(data_dir / "flowers", {"rose": 2, "tulip": 2})
    assert resolve_user_path("flowers") == (data_dir / "flowers").resolve()
    assert resolve_user_path(str(data_dir / "flowers")) == (data_dir / "flowers").resolve()


@pytest.mark.parametrize("typed", [
    "../elsewhere", "flowers/../../elsewhere", "/etc", "~", "\\\\server\\share\\images",
    "//server/share/images", "http://example.com/images", "file:///etc", "s3://bucket/images",
    "ftp://example.com/x", "",
])
def test_paths_outside_the_roots_urls_and_shares_are_refused(data_dir: Path, typed: str) -> None:
    (data_dir.parent / "elsewhere").mkdir()
    with pytest.raises(UnsafePathError):
        resolve_user_path(typed)


def test_a_link_pointing_out_of_the_root_is_refused(data_dir: Path, tmp_path: Path) -> None:
    make_class_folder(tmp_path / "outside", {"cat": 2, "dog": 2})
    (data_dir / "innocent").symlink_to(tmp_path / "outside")
    with pytest.raises(UnsafePathError, match="outside the folders"):
        resolve_user_path("innocent")


def test_every_configured_root_is_allowed(data_dir, tmp_path, monkeypatch) -> None:
    second = tmp_path / "shared-datasets"
    make_class_folder(second / "birds", {"owl": 2, "crow": 2})
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", f"{data_dir}:{second}")
    assert resolve_user_path(str(second / "birds")) == (second / "birds").resolve()


def test_typed_paths_cannot_read_another_students_upload(data_dir: Path) -> None:
    """Student A uploads a ZIP; student B types the uploads folder, the extracted folder, the
    cache or a link into them on the Dataset page: every one is refused."""
    uploaded = save_zip_upload(pets_zip())
    load_dataset(DatasetSpec(source="archive", path=uploaded, image_size=(8, 8)))
    extracted = [path for path in (data_dir / "uploads").iterdir() if path.is_dir()]
    assert extracted and (data_dir / "cache").is_dir()
    (data_dir / "shortcut").symlink_to(extracted[0])
    typed_paths = ["uploads", "./uploads/", uploaded, str(extracted[0]),
                   f"uploads/{extracted[0].name}/cats", "cache", "shortcut", "flowers/../uploads"]
    for typed in typed_paths:
        with pytest.raises(UnsafePathError, match="private"):
            resolve_user_path(typed)
    sources = (("folder", {}), ("filelist", {}), ("attributes", {"attribute": "Smiling"}))
    for source, options in sources:
        spec = DatasetSpec(source=source, path=f"uploads/{extracted[0].name}", **options)
        with pytest.raises(UnsafePathError, match="private"):
            load_dataset(spec)


def test_the_uploader_still_trains_on_their_own_zip(data_dir: Path) -> None:
    """The archive source reads the content-hash name its upload returned."""
    dataset = load_dataset(DatasetSpec(source="archive", path=save_zip_upload(pets_zip()),
                                       image_size=(8, 8)))
    assert dataset.class_names == ["cats", "dogs"]


@pytest.mark.parametrize("placement", ["second", "absent"])
def test_uploads_resolve_against_the_data_folder_whatever_the_roots(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, placement: str
) -> None:
    """The data folder second among ``CNNVIZ_DATA_ROOTS``, or not among them at all: a good
    upload still trains and a hostile one is refused for its real reason, not as unreadable."""
    first = tmp_path / "shared-datasets"
    first.mkdir()
    roots = [first, data_dir] if placement == "second" else [first]
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", ":".join(str(root) for root in roots))
    dataset = load_dataset(DatasetSpec(source="archive", path=save_zip_upload(pets_zip()),
                                       image_size=(8, 8)))
    assert dataset.class_names == ["cats", "dogs"]
    escaping = save_zip_upload(build_zip({"cats/a.png": png_bytes(), "../evil.png": png_bytes()}))
    with pytest.raises(UnsafeArchiveError, match=r"\.\."):
        load_dataset(DatasetSpec(source="archive", path=escaping))
    with pytest.raises(UnsafePathError):
        resolve_user_path(str(data_dir / "uploads"))


def test_the_dataset_page_reads_an_upload_when_the_data_folder_is_not_the_first_root(
    folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The student's view of the same defect: the page used to say "not a readable ZIP"."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.test_pages import APP, texts

    data_dir, _ = folders
    (tmp_path / "shared-datasets").mkdir()
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", f"{tmp_path / 'shared-datasets'}:{data_dir}")
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    app.switch_page("pages/dataset.py").run()
    app.selectbox[0].set_value("archive").run()
    app.get("file_uploader")[0].set_value(("pets.zip", pets_zip(), "application/zip"))
    app.run()
    assert not app.exception and not app.error, [error.value for error in app.error]
    assert "12 images in 2 classes" in texts(app)
