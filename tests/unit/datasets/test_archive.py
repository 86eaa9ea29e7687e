"""Extraction of uploaded ZIPs: the layouts a student uploads, and every archive that is refused.

Each hostile archive is built here with ``zipfile`` and, where ``zipfile`` will not write it,
by patching bytes of a normal archive, so the tests show exactly which field is forged.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from cnnviz.datasets.archive import (
    COMPLETE_MARKER_NAME,
    SKIPPED_FILE_NAME,
    ArchiveLimits,
    extract_archive,
)
from cnnviz.errors import EmptyDatasetError, UnsafeArchiveError

# Offsets of fields inside ZIP headers (APPNOTE.TXT 4.3.7 and 4.3.12) that the tests forge.
LOCAL_FLAGS_OFFSET = 6
LOCAL_FILE_SIZE_OFFSET = 22
CENTRAL_SIGNATURE = b"PK\x01\x02"
CENTRAL_FLAGS_OFFSET = 8
CENTRAL_FILE_SIZE_OFFSET = 24
CENTRAL_HEADER_OFFSET_OFFSET = 42


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real 4x4 PNG, so the extracted files are images a later scan can read."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(buffer, format="PNG")
    return buffer.getvalue()


def build_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP holding ``members`` in order; names are written exactly as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name) if name.endswith("/") else name, data)
    return buffer.getvalue()


def central_entries(data: bytes) -> list[int]:
    """Offsets of every central-directory entry, in order."""
    start = data.index(CENTRAL_SIGNATURE)
    offsets = []
    while start != -1:
        offsets.append(start)
        start = data.find(CENTRAL_SIGNATURE, start + 1)
    return offsets


def patch(data: bytearray, offset: int, fmt: str, value: int) -> None:
    struct.pack_into(fmt, data, offset, value)


def files_under(folder: Path) -> set[str]:
    """Every file below ``folder``, as slash-separated relative paths."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and data folder inside ``tmp_path``, watched for leftovers."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def assert_refused(workspace: Path, archive: Path | bytes, match: str, **limits: int) -> None:
    """The archive is refused and nothing at all is left in (or beside) the upload folder."""
    root = workspace / "uploads"
    before = {path for path in workspace.rglob("*")}
    with pytest.raises(UnsafeArchiveError, match=match):
        extract_archive(archive, root, ArchiveLimits(**limits))
    assert not root.exists() or list(root.iterdir()) == []
    assert {path for path in workspace.rglob("*")} - before - {root} == set()


# --- Layouts that are extracted -----------------------------------------------------------------


def test_class_folders_are_extracted_under_generated_names(workspace: Path) -> None:
    data = build_zip(
        {"cats/a.png": png_bytes(), "cats/b photo.JPG": b"jpeg", "dogs/c.png": png_bytes()}
    )
    folder = extract_archive(data, workspace / "uploads")

    assert folder == workspace / "uploads" / hashlib.sha256(data).hexdigest()[:16]
    assert files_under(folder) == {
        "cats/000000.png",
        "cats/000001.jpg",
        "dogs/000002.png",
        COMPLETE_MARKER_NAME,
        SKIPPED_FILE_NAME,
    }
    assert (folder / "cats" / "000000.png").read_bytes() == png_bytes()
    assert json.loads((folder / SKIPPED_FILE_NAME).read_text()) == []
    assert [path.name for path in (workspace / "uploads").iterdir()] == [folder.name]


def test_train_and_test_layout_is_kept(workspace: Path) -> None:
    data = build_zip(
        {
            "train/cats/1.png": png_bytes(),
            "train/dogs/2.png": png_bytes(),
            "test/cats/3.png": png_bytes(),
            "test/dogs/4.png": png_bytes(),
        }
    )
    folder = extract_archive(data, workspace / "uploads")
    assert files_under(folder) - {COMPLETE_MARKER_NAME, SKIPPED_FILE_NAME} == {
        "train/cats/000000.png",
        "train/dogs/000001.png",
        "test/cats/000002.png",
        "test/dogs/000003.png",
    }


def test_single_wrapper_folder_is_stripped(workspace: Path) -> None:
    data = build_zip(
        {
            "my data/": b"",
            "my data/cats/": b"",
            "my data/cats/a.png": png_bytes(),
            "my data/dogs/b.png": png_bytes(),
        }
    )
    folder = extract_archive(data, workspace / "uploads")
    assert sorted(path.name for path in folder.iterdir() if path.is_dir()) == ["cats", "dogs"]


def test_wrapper_with_train_and_test_is_stripped(workspace: Path) -> None:
    data = build_zip(
        {"dataset/train/cats/a.png": png_bytes(), "dataset/test/cats/b.png": png_bytes()}
    )
    folder = extract_archive(data, workspace / "uploads")
    assert (folder / "train" / "cats" / "000000.png").is_file()
    assert (folder / "test" / "cats" / "000001.png").is_file()


def test_single_folder_holding_images_is_a_class_not_a_wrapper(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "cats/kittens/b.png": png_bytes()})
    folder = extract_archive(data, workspace / "uploads")
    assert {"cats/000000.png", "cats/kittens/000001.png"} <= files_under(folder)


def test_hidden_and_non_image_members_are_skipped_and_listed(workspace: Path) -> None:
    data = build_zip(
        {
            "cats/a.png": png_bytes(),
            "dogs/b.png": png_bytes(),
            "__MACOSX/cats/._a.png": b"resource fork",
            "cats/.DS_Store": b"finder",
            ".git/config.png": b"hidden folder",
            "cats/notes.txt": b"notes",
            "README.md": b"readme",
        }
    )
    folder = extract_archive(data, workspace / "uploads")
    assert files_under(folder) == {
        "cats/000000.png",
        "dogs/000001.png",
        COMPLETE_MARKER_NAME,
        SKIPPED_FILE_NAME,
    }
    assert json.loads((folder / SKIPPED_FILE_NAME).read_text()) == ["cats/notes.txt", "README.md"]


def test_directory_names_are_sanitised_and_shortened(workspace: Path) -> None:
    long_name = "x" * 150
    data = build_zip(
        {
            "cats<script>:1/a.png": png_bytes(),
            "café/b.png": png_bytes(),
            f"{long_name}/c.png": png_bytes(),
        }
    )
    folder = extract_archive(data, workspace / "uploads")
    assert sorted(path.name for path in folder.iterdir() if path.is_dir()) == sorted(
        ["cats_script__1", "café", "x" * 100]
    )


def test_small_blank_image_is_not_taken_for_a_bomb(workspace: Path) -> None:
    blank = bytes(512 * 1024)  # compresses about 1000 to 1, but is below the ratio threshold
    data = build_zip({"cats/blank.bmp": blank, "dogs/a.png": png_bytes()})
    folder = extract_archive(data, workspace / "uploads")
    assert (folder / "cats" / "000000.bmp").read_bytes() == blank


def test_same_archive_reuses_its_folder(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()})
    first = extract_archive(data, workspace / "uploads")
    (first / "sentinel").write_text("kept")

    archive_path = workspace / "upload.zip"
    archive_path.write_bytes(data)
    assert extract_archive(data, workspace / "uploads") == first
    assert extract_archive(archive_path, workspace / "uploads") == first
    assert (first / "sentinel").read_text() == "kept"  # not extracted again
    assert [path.name for path in (workspace / "uploads").iterdir()] == [first.name]


def test_folder_without_marker_is_extracted_again(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()})
    stale = workspace / "uploads" / hashlib.sha256(data).hexdigest()[:16]
    (stale / "cats").mkdir(parents=True)
    (stale / "cats" / "half.png").write_bytes(b"half")

    folder = extract_archive(data, workspace / "uploads")
    assert folder == stale
    assert "cats/half.png" not in files_under(folder)
    assert (folder / COMPLETE_MARKER_NAME).is_file()


def test_default_destination_is_the_uploads_folder(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()})
    folder = extract_archive(data)
    assert folder.parent == workspace / "data" / "uploads"


def test_archive_without_images_is_an_empty_dataset(workspace: Path) -> None:
    data = build_zip({"docs/": b"", "docs/readme.txt": b"text", ".hidden.png": b"x"})
    with pytest.raises(EmptyDatasetError, match="no images"):
        extract_archive(data, workspace / "uploads")
    assert not (workspace / "uploads").exists() or list((workspace / "uploads").iterdir()) == []


# --- Archives that are refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../evil.png", r"\.\."),
        ("cats/../../evil.png", r"\.\."),
        ("..\\evil.png", r"\.\."),
        ("cats\\..\\..\\evil.png", r"\.\."),
        ("/abs.png", "absolute"),
        ("\\abs.png", "absolute"),
        ("C:/x.png", "drive letter"),
        ("C:\\x.png", "drive letter"),
        ("c:x.png", "drive letter"),
    ],
)
def test_member_paths_that_escape_are_refused(workspace: Path, name: str, match: str) -> None:
    data = build_zip({"cats/a.png": png_bytes(), name: png_bytes()})
    assert_refused(workspace, data, match)
    assert not (workspace.parent / "evil.png").exists()


def test_symbolic_link_member_is_refused(workspace: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cats/a.png", png_bytes())
        link = zipfile.ZipInfo("cats/link.png")
        link.create_system = 3  # Unix, where the mode bits are honoured
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert_refused(workspace, buffer.getvalue(), "symbolic link")


@pytest.mark.parametrize("name", ["cats/more.zip", "data.tar.gz", "x.7z", "CATS.RAR"])
def test_nested_archive_is_refused(workspace: Path, name: str) -> None:
    data = build_zip({"cats/a.png": png_bytes(), name: build_zip({"dogs/b.png": png_bytes()})})
    assert_refused(workspace, data, "itself an archive")


def test_encrypted_member_is_refused(workspace: Path) -> None:
    data = bytearray(build_zip({"cats/a.png": png_bytes()}, compression=zipfile.ZIP_STORED))
    patch(data, LOCAL_FLAGS_OFFSET, "<H", 0x1)
    (entry,) = central_entries(bytes(data))
    patch(data, entry + CENTRAL_FLAGS_OFFSET, "<H", 0x1)
    assert_refused(workspace, bytes(data), "encrypted")


def test_too_many_members_are_refused(workspace: Path) -> None:
    data = build_zip({f"cats/{index}.png": png_bytes() for index in range(4)})
    assert_refused(workspace, data, "4 members", max_members=3)


def test_declared_total_over_the_cap_is_refused(workspace: Path) -> None:
    data = build_zip({"cats/a.png": bytes(600), "dogs/b.png": bytes(600)})
    assert_refused(workspace, data, "add up to more than 1,000 bytes", max_total_bytes=1000)


def test_member_over_the_size_cap_is_refused(workspace: Path) -> None:
    data = build_zip({"cats/a.png": bytes(200), "dogs/b.png": png_bytes()})
    assert_refused(workspace, data, "'cats/a.png' declares 200 bytes", max_member_bytes=100)


def test_high_ratio_member_is_refused_as_a_bomb(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "cats/blank.bmp": bytes(2 * 1024 * 1024)})
    assert_refused(workspace, data, "'cats/blank.bmp' expands .* zip bomb")


def test_member_larger_than_declared_is_refused(workspace: Path) -> None:
    """The second member's declared size is forged smaller than its real data.

    The first member is extracted before the forgery is met, so this also shows the partial
    folder is removed.
    """
    real = bytes(range(256)) * 8
    data = bytearray(build_zip({"cats/a.png": png_bytes(), "cats/b.png": real}))
    entries = central_entries(bytes(data))
    second_local = struct.unpack_from("<I", data, entries[1] + CENTRAL_HEADER_OFFSET_OFFSET)[0]
    patch(data, second_local + LOCAL_FILE_SIZE_OFFSET, "<I", 100)
    patch(data, entries[1] + CENTRAL_FILE_SIZE_OFFSET, "<I", 100)
    assert_refused(workspace, bytes(data), "'cats/b.png'")


def test_member_streaming_more_than_declared_is_refused(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The byte count does not rely on ``zipfile`` stopping at the declared size."""
    data = build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()})

    def open_too_long(self: zipfile.ZipFile, info: zipfile.ZipInfo, *args: object) -> io.BytesIO:
        return io.BytesIO(bytes(info.file_size + 1))

    monkeypatch.setattr(zipfile.ZipFile, "open", open_too_long)
    assert_refused(workspace, data, "'cats/a.png' holds more than the .* bytes it declares")


def test_overlapping_members_are_refused(workspace: Path) -> None:
    """Two central-directory entries share one local header: the quoted-overlap bomb's trick."""
    data = bytearray(build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()}))
    entries = central_entries(bytes(data))
    patch(data, entries[1] + CENTRAL_HEADER_OFFSET_OFFSET, "<I", 0)
    assert_refused(workspace, bytes(data), "overlaps another member")


def test_member_pointing_past_the_end_is_refused(workspace: Path) -> None:
    data = bytearray(build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()}))
    entries = central_entries(bytes(data))
    patch(data, entries[1] + CENTRAL_HEADER_OFFSET_OFFSET, "<I", len(data) + 1000)
    assert_refused(workspace, bytes(data), "'dogs/b.png' points outside the archive")


def test_truncated_archive_is_refused(workspace: Path) -> None:
    data = build_zip({"cats/a.png": png_bytes(), "dogs/b.png": png_bytes()})
    assert_refused(workspace, data[: len(data) // 2], "not a readable ZIP archive")


def test_damaged_member_data_is_refused(workspace: Path) -> None:
    data = bytearray(build_zip({"cats/a.png": png_bytes(), "dogs/b.png": bytes(range(256)) * 4}))
    entries = central_entries(bytes(data))
    second_local = struct.unpack_from("<I", data, entries[1] + CENTRAL_HEADER_OFFSET_OFFSET)[0]
    data[second_local + 30 + len("dogs/b.png") + 5] ^= 0xFF
    assert_refused(workspace, bytes(data), "not a readable ZIP archive")


def test_file_that_is_not_a_zip_is_refused(workspace: Path) -> None:
    assert_refused(workspace, b"this is not a zip at all", "not a readable ZIP archive")
    text_file = workspace / "notes.zip"
    text_file.write_text("plain text with a .zip name")
    assert_refused(workspace, text_file, "notes.zip is not a readable ZIP archive")


def test_an_uploaded_zip_loads_as_a_dataset(data_dir: Path) -> None:
    """The whole path a browser upload takes: ZIP in the data folder -> prepared dataset."""
    from cnnviz.datasets import DatasetSpec, load_dataset

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for class_name in ("cats", "dogs"):
            for index in range(6):
                image = io.BytesIO()
                Image.new("RGB", (10, 12), (index * 20, 0, 0)).save(image, "PNG")
                archive.writestr(f"pets/{class_name}/{index}.png", image.getvalue())
        archive.writestr("pets/cats/notes.txt", "not an image")
    (data_dir / "uploads").mkdir()
    (data_dir / "uploads" / "pets.zip").write_bytes(buffer.getvalue())
    dataset = load_dataset(DatasetSpec(source="archive", path="uploads/pets.zip",
                                       image_size=(8, 8)))
    assert dataset.class_names == ["cats", "dogs"]
    assert len(dataset.train) + len(dataset.validation) + len(dataset.test) == 12
    assert [item.path for item in dataset.skipped] == ["pets/cats/notes.txt"]
