"""Built-in datasets: local copies are found in the documented order, offline failures explain.

Fake datasets are written by the tests in the real file formats (gzip IDX, Keras' mnist.npz,
CIFAR-10 python pickles), so the parsers are tested on the bytes they will meet.
"""

from __future__ import annotations

import gzip
import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from cnnviz.datasets import builtin
from cnnviz.datasets.builtin import (
    BUILTIN_READERS,
    DEBIAN_FASHION_MNIST,
    read_cifar10,
    read_digits,
    read_fashion_mnist,
    read_mnist,
)
from cnnviz.datasets.raw import SPLIT_CODES
from cnnviz.datasets.spec import BUILTIN_SOURCES, DatasetSpec
from cnnviz.errors import DatasetError, DatasetUnavailableError

OFFLINE_ERROR = (
    "URL fetch failure on https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz: "
    "None -- [Errno -3] Temporary failure in name resolution"
)


@pytest.fixture(scope="module")
def keras_module() -> ModuleType:
    """Keras, imported before any test points KERAS_HOME at a temporary folder.

    Keras fixes its home folder at import; importing it under a test's folder would leave the
    rest of the session writing into a deleted directory.
    """
    import keras

    return keras


@pytest.fixture
def keras_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Keras home, so the developer's own ~/.keras never leaks into a test."""
    folder = tmp_path / "keras"
    folder.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(folder))
    return folder


def write_idx(path: Path, array: np.ndarray) -> None:
    """A gzip IDX file as MNIST ships it: magic, big-endian sizes, then the bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    magic = 2051 if array.ndim == 3 else 2049
    header = magic.to_bytes(4, "big") + b"".join(size.to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def write_idx_folder(folder: Path, value: int, train: int = 5, test: int = 3) -> None:
    """A tiny MNIST-style folder whose pixels all equal ``value`` (to tell copies apart)."""
    write_idx(folder / "train-images-idx3-ubyte.gz", np.full((train, 28, 28), value))
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.arange(train) % 10)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", np.full((test, 28, 28), value))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.arange(test) % 10)


def write_mnist_npz(path: Path, value: int, train: int = 4, test: int = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        x_train=np.full((train, 28, 28), value, dtype=np.uint8),
        y_train=np.arange(train, dtype=np.uint8),
        x_test=np.full((test, 28, 28), value, dtype=np.uint8),
        y_test=np.arange(test, dtype=np.uint8),
    )


@pytest.mark.skipif(
    not DEBIAN_FASHION_MNIST.is_dir(), reason="dataset-fashion-mnist is not installed"
)
def test_real_fashion_mnist_from_the_debian_package(data_dir: Path, keras_home: Path) -> None:
    raw = read_fashion_mnist(DatasetSpec(source="fashion_mnist"))
    assert raw.arrays.shape == (70_000, 28, 28, 1) and raw.arrays.dtype == np.uint8
    assert raw.native_channels == 1
    assert raw.class_names[0] == "T-shirt/top" and raw.class_names[9] == "Ankle boot"
    train = raw.given_split == SPLIT_CODES["train"]
    assert train.sum() == 60_000 and (raw.given_split == SPLIT_CODES["test"]).sum() == 10_000
    assert np.bincount(raw.labels[train]).tolist() == [6_000] * 10
    assert raw.labels.dtype == np.int64
    assert (raw.sizes == (28, 28)).all()
    assert raw.arrays.max() == 255


def test_fashion_mnist_in_the_data_folder_comes_first(
    data_dir: Path, keras_home: Path
) -> None:
    write_idx_folder(data_dir / "fashion-mnist", value=11)
    write_idx_folder(keras_home / "datasets" / "fashion-mnist", value=22)
    raw = read_fashion_mnist(DatasetSpec(source="fashion_mnist"))
    assert len(raw) == 8 and (raw.arrays == 11).all()
    assert raw.given_split.tolist() == [0] * 5 + [2] * 3
    assert raw.labels.tolist() == [0, 1, 2, 3, 4, 0, 1, 2]


def test_fashion_mnist_in_the_keras_cache_comes_before_the_debian_package(
    data_dir: Path, keras_home: Path
) -> None:
    write_idx_folder(keras_home / "datasets" / "fashion-mnist", value=22)
    raw = read_fashion_mnist(DatasetSpec(source="fashion_mnist"))
    assert len(raw) == 8 and (raw.arrays == 22).all()


def test_a_partial_idx_folder_is_passed_over(data_dir: Path, keras_home: Path) -> None:
    write_idx_folder(keras_home / "datasets" / "fashion-mnist", value=22)
    write_idx(data_dir / "fashion-mnist" / "train-images-idx3-ubyte.gz", np.zeros((2, 28, 28)))
    assert (read_fashion_mnist(DatasetSpec(source="fashion_mnist")).arrays == 22).all()


def test_mnist_idx_files_in_the_data_folder(data_dir: Path, keras_home: Path) -> None:
    write_idx_folder(data_dir / "mnist", value=33, train=6, test=4)
    write_mnist_npz(keras_home / "datasets" / "mnist.npz", value=44)
    raw = read_mnist(DatasetSpec(source="mnist"))
    assert raw.arrays.shape == (10, 28, 28, 1) and (raw.arrays == 33).all()
    assert raw.class_names == [str(digit) for digit in range(10)]


def test_mnist_npz_in_the_keras_cache(data_dir: Path, keras_home: Path) -> None:
    write_mnist_npz(keras_home / "datasets" / "mnist.npz", value=44)
    raw = read_mnist(DatasetSpec(source="mnist"))
    assert raw.arrays.shape == (6, 28, 28, 1) and (raw.arrays == 44).all()
    assert raw.given_split.tolist() == [0, 0, 0, 0, 2, 2]
    assert raw.labels.dtype == np.int64 and raw.native_channels == 1


def test_mnist_npz_in_the_data_folder_comes_before_the_keras_cache(
    data_dir: Path, keras_home: Path
) -> None:
    write_mnist_npz(data_dir / "mnist.npz", value=55)
    write_mnist_npz(keras_home / "datasets" / "mnist.npz", value=44)
    assert (read_mnist(DatasetSpec(source="mnist")).arrays == 55).all()


def write_cifar_batch(path: Path, first_label: int, count: int) -> None:
    """A batch like the official ones: bytes keys, (n, 3072) red plane then green then blue."""
    planes = np.concatenate(
        [np.full((count, 1024), value, dtype=np.uint8) for value in (10, 20, 30)], axis=1
    )
    labels = [(first_label + index) % 10 for index in range(count)]
    with path.open("wb") as handle:
        batch = {b"batch_label": b"fake", b"data": planes, b"labels": labels}
        pickle.dump(batch, handle, protocol=2)


def test_cifar10_batches_in_the_data_folder(data_dir: Path, keras_home: Path) -> None:
    folder = data_dir / "cifar-10-batches-py"
    folder.mkdir()
    for number in range(1, 6):
        write_cifar_batch(folder / f"data_batch_{number}", first_label=number, count=2)
    write_cifar_batch(folder / "test_batch", first_label=0, count=3)
    raw = read_cifar10(DatasetSpec(source="cifar10"))
    assert raw.arrays.shape == (13, 32, 32, 3) and raw.native_channels == 3
    assert raw.arrays[:, 5, 7].tolist() == [[10, 20, 30]] * 13  # channels last, in RGB order
    assert raw.labels.tolist() == [1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 0, 1, 2]
    assert (raw.given_split == SPLIT_CODES["test"]).sum() == 3
    assert raw.class_names[0] == "airplane" and raw.class_names[9] == "truck"


class _RunsCode:
    """Pickles into a call of ``os.mkdir``: what a malicious batch could do when loaded."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple:
        return (os.mkdir, (str(self.target),))


def test_a_cifar10_batch_that_would_run_code_is_refused(data_dir: Path, keras_home: Path) -> None:
    folder = data_dir / "cifar-10-batches-py"
    folder.mkdir()
    for batch in ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"):
        write_cifar_batch(folder / batch, first_label=0, count=1)
    marker = data_dir / "created-by-pickle"
    with (folder / "test_batch").open("wb") as handle:
        pickle.dump({b"data": _RunsCode(marker), b"labels": [0]}, handle)
    with pytest.raises(DatasetError, match="test_batch"):
        read_cifar10(DatasetSpec(source="cifar10"))
    assert not marker.exists()


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-20])


def _wrong_magic(path: Path) -> None:
    with gzip.open(path, "wb") as handle:
        handle.write((1234).to_bytes(4, "big") + bytes(100))


def _fewer_bytes_than_the_header_says(path: Path) -> None:
    header = (2051).to_bytes(4, "big") + (5).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    with gzip.open(path, "wb") as handle:
        handle.write(header + bytes(28 * 28 * 4))


@pytest.mark.parametrize("damage", [_truncated, _wrong_magic, _fewer_bytes_than_the_header_says])
def test_a_damaged_idx_file_is_reported(data_dir: Path, keras_home: Path, damage) -> None:
    write_idx_folder(data_dir / "fashion-mnist", value=1)
    damaged = data_dir / "fashion-mnist" / "train-images-idx3-ubyte.gz"
    damage(damaged)
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz"):
        read_fashion_mnist(DatasetSpec(source="fashion_mnist"))


def test_offline_mnist_says_where_it_looked(
    keras_module: ModuleType, data_dir: Path, keras_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offline = Exception(OFFLINE_ERROR)

    def fail_like_keras_offline() -> None:
        raise offline

    monkeypatch.setattr(keras_module.datasets.mnist, "load_data", fail_like_keras_offline)
    with pytest.raises(DatasetUnavailableError) as caught:
        read_mnist(DatasetSpec(source="mnist"))
    message = str(caught.value)
    assert "MNIST" in message and "URL fetch failure" in message
    assert str(data_dir / "mnist") in message
    assert str(data_dir / "mnist.npz") in message
    assert str(keras_home / "datasets" / "mnist.npz") in message
    assert caught.value.__cause__ is offline


def test_offline_fashion_mnist_suggests_the_debian_package(
    keras_module: ModuleType, data_dir: Path, keras_home: Path, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    def fail_like_keras_offline() -> None:
        raise Exception(OFFLINE_ERROR)

    monkeypatch.setattr(builtin, "DEBIAN_FASHION_MNIST", tmp_path / "not-installed")
    monkeypatch.setattr(keras_module.datasets.fashion_mnist, "load_data", fail_like_keras_offline)
    with pytest.raises(DatasetUnavailableError) as caught:
        read_fashion_mnist(DatasetSpec(source="fashion_mnist"))
    message = str(caught.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert str(tmp_path / "not-installed") in message
    assert str(keras_home / "datasets" / "fashion-mnist") in message


def test_digits_come_with_scikit_learn() -> None:
    raw = read_digits(DatasetSpec(source="digits"))
    assert raw.arrays.shape == (1797, 8, 8, 1) and raw.arrays.dtype == np.uint8
    assert raw.arrays.max() == 255 and raw.native_channels == 1
    assert raw.given_split is None
    assert raw.class_names == [str(digit) for digit in range(10)]
    assert sorted(set(raw.labels.tolist())) == list(range(10))


def test_every_builtin_source_has_a_reader() -> None:
    assert set(BUILTIN_READERS) == set(BUILTIN_SOURCES)


def test_the_readers_import_without_tensorflow() -> None:
    """Pages list datasets long before training; TensorFlow must load only when needed."""
    code = (
        "import sys, cnnviz.datasets.builtin, cnnviz.datasets.shapes; "
        "print(sorted(name for name in ('tensorflow', 'keras') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parents[3])
    assert result.stdout.strip() == "[]"
