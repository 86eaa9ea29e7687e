"""Readers of the built-in datasets, local copies first.

A classroom machine is often offline, and the Keras loaders then fail after a cryptic "URL
fetch failure". So every reader first looks for the files on this machine (the app's data
folder, the Keras cache, the Debian package), parses them itself, and only then asks Keras to
download; a failed download becomes a :class:`DatasetUnavailableError` that says where we
looked and how to get the files.
"""

from __future__ import annotations

import codecs
import gzip
import math
import os
import pickle
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy._core.multiarray import _reconstruct
from numpy._core.numeric import _frombuffer

from cnnviz import settings
from cnnviz.datasets.raw import SPLIT_CODES, RawImages
from cnnviz.datasets.shapes import read_shapes
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import DatasetError, DatasetUnavailableError, Phrase

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
DIGIT_CLASSES = tuple(str(digit) for digit in range(10))
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)

# File names of the MNIST-style IDX distribution (MNIST and Fashion-MNIST use the same ones).
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
_IDX_LABELS_MAGIC = 2049
_IDX_IMAGES_MAGIC = 2051
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_BATCHES = tuple(f"data_batch_{number}" for number in range(1, 6)) + ("test_batch",)
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")

# Largest decompressed IDX file accepted (the MNIST training images are 47 MB): a file in the
# data folder may come from an upload, and a small gzip can expand to gigabytes.
_MAX_IDX_BYTES = 256 * 1024 * 1024

_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # x_train, y_train, x_test, y_test


def fashion_mnist_folders() -> list[Path]:
    """Where a local copy of Fashion-MNIST may lie, in the order they are tried."""
    return [
        settings.data_dir() / "fashion-mnist",
        keras_datasets_dir() / "fashion-mnist",
        DEBIAN_FASHION_MNIST,
    ]


def has_local_fashion_mnist() -> bool:
    """Whether Fashion-MNIST can be read without a download (an offline class can use it)."""
    return any(_has_idx_files(folder) for folder in fashion_mnist_folders())


def read_fashion_mnist(spec: DatasetSpec) -> RawImages:
    """Fashion-MNIST (60,000 train + 10,000 test, 28x28 gray) with its official split."""
    folders = fashion_mnist_folders()
    for folder in folders:
        if _has_idx_files(folder):
            return _from_arrays(read_idx_folder(folder), FASHION_MNIST_CLASSES)
    arrays = _download(
        "fashion_mnist",
        "Fashion-MNIST",
        folders,
        files=", ".join(IDX_FILES.values()),
        extra_hint=Phrase("error.builtin.fashion_mnist_hint"),
    )
    return _from_arrays(arrays, FASHION_MNIST_CLASSES)


def read_mnist(spec: DatasetSpec) -> RawImages:
    """MNIST digits (60,000 train + 10,000 test, 28x28 gray) with its official split."""
    idx_folder = settings.data_dir() / "mnist"
    npz_files = [
        idx_folder / "mnist.npz",
        settings.data_dir() / "mnist.npz",
        keras_datasets_dir() / "mnist.npz",
    ]
    if _has_idx_files(idx_folder):
        return _from_arrays(read_idx_folder(idx_folder), DIGIT_CLASSES)
    for npz_file in npz_files:
        if npz_file.is_file():
            return _from_arrays(read_mnist_npz(npz_file), DIGIT_CLASSES)
    arrays = _download(
        "mnist",
        "MNIST",
        [idx_folder, *npz_files],
        files=f"mnist.npz or {', '.join(IDX_FILES.values())}",
    )
    return _from_arrays(arrays, DIGIT_CLASSES)


def read_cifar10(spec: DatasetSpec) -> RawImages:
    """CIFAR-10 (50,000 train + 10,000 test, 32x32 RGB) with its official split.

    Local batches are parsed here rather than through ``keras.datasets.cifar10``: Keras 3 checks
    for its downloaded archive, not the extracted folder, and downloads again without it.
    """
    cache = keras_datasets_dir()
    folders = [
        settings.data_dir() / "cifar10" / CIFAR10_FOLDER,
        settings.data_dir() / CIFAR10_FOLDER,
        cache / CIFAR10_FOLDER,  # Keras 2 layout
        cache / "cifar-10-batches-py-target" / CIFAR10_FOLDER,  # Keras 3 layout
    ]
    for folder in folders:
        if all((folder / batch).is_file() for batch in CIFAR10_BATCHES):
            return _from_arrays(read_cifar10_folder(folder), CIFAR10_CLASSES)
    arrays = _download(
        "cifar10",
        "CIFAR-10",
        folders,
        files=f"the extracted {CIFAR10_FOLDER} folder of cifar-10-python.tar.gz",
    )
    return _from_arrays(arrays, CIFAR10_CLASSES)


def read_digits(spec: DatasetSpec) -> RawImages:
    """scikit-learn's 1,797 8x8 digits: installed with scikit-learn, so always available offline.

    Its 0..16 intensities are stretched to 0..255 so it looks and trains like the other sources.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.rint(digits.images * (255 / 16)).astype(np.uint8)[..., np.newaxis]
    return RawImages(
        class_names=list(DIGIT_CLASSES),
        labels=digits.target.astype(np.int64),
        arrays=images,
        sizes=np.tile(np.array(images.shape[1:3], dtype=np.int64), (len(images), 1)),
        given_split=None,
        native_channels=1,
    )


BUILTIN_READERS: dict[str, Callable[[DatasetSpec], RawImages]] = {
    "shapes": read_shapes,
    "digits": read_digits,
    "fashion_mnist": read_fashion_mnist,
    "mnist": read_mnist,
    "cifar10": read_cifar10,
}


def keras_datasets_dir() -> Path:
    """Where Keras caches downloads: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``."""
    keras_home = os.environ.get("KERAS_HOME")
    base = Path(keras_home).expanduser() if keras_home else Path.home() / ".keras"
    return base / "datasets"


def read_idx_folder(folder: Path) -> _Arrays:
    """The four gzip IDX files of an MNIST-style folder as (x_train, y_train, x_test, y_test)."""
    arrays = {key: read_idx(folder / name) for key, name in IDX_FILES.items()}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1:
            raise DatasetError(
                "error.builtin.images_labels_files_swapped", folder=folder, split=split)
        if len(images) != len(labels):
            raise DatasetError(
                "error.builtin.images_but_labels_3", folder=folder, images_count=len(images),
                split=split, labels_count=len(labels))
    if arrays["train_images"].shape[1:] != arrays["test_images"].shape[1:]:
        raise DatasetError("error.builtin.train_test_images_differ", folder=folder)
    return (
        arrays["train_images"], arrays["train_labels"],
        arrays["test_images"], arrays["test_labels"],
    )


def read_idx(path: Path) -> np.ndarray:
    """One gzip IDX file (labels: magic 2049, (n,); images: magic 2051, (n, rows, columns)).

    The header's counts are checked against the bytes actually present, so a truncated
    download fails here with its file name instead of as a reshape error later.
    """
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(_MAX_IDX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(
            "error.builtin.damaged_delete_download_again", path=path, error=error) from error
    if len(data) > _MAX_IDX_BYTES:
        raise DatasetError(
            "error.builtin.expands_more_than_mb", path=path,
            limit_megabytes=_MAX_IDX_BYTES // 2**20)
    magic = int.from_bytes(data[:4], "big")
    if magic not in (_IDX_LABELS_MAGIC, _IDX_IMAGES_MAGIC):
        raise DatasetError(
            "error.builtin.not_idx_file_unsigned", path=path, magic=magic,
            idx_labels_magic=_IDX_LABELS_MAGIC, idx_images_magic=_IDX_IMAGES_MAGIC)
    dimensions = magic & 0xFF
    header_size = 4 + 4 * dimensions
    if len(data) < header_size:
        raise DatasetError("error.builtin.damaged_header_cut_short", path=path)
    shape = tuple(int(length) for length in np.frombuffer(data, ">u4", dimensions, offset=4))
    expected = math.prod(shape)
    present = len(data) - header_size
    if present != expected:
        raise DatasetError(
            "error.builtin.damaged_header_promises_bytes", path=path, expected=expected,
            shape=shape, present=present)
    return np.frombuffer(data, np.uint8, offset=header_size).reshape(shape)


def read_mnist_npz(path: Path) -> _Arrays:
    """The ``mnist.npz`` Keras downloads (arrays only: pickled objects are refused)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return tuple(  # type: ignore[return-value]
                np.asarray(archive[key]) for key in ("x_train", "y_train", "x_test", "y_test")
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise DatasetError(
            "error.builtin.damaged_not_keras_mnist", path=path, error=error) from error


def read_cifar10_folder(folder: Path) -> _Arrays:
    """The python batches of CIFAR-10 (``data_batch_1`` .. ``data_batch_5``, ``test_batch``)."""
    train = [_read_cifar10_batch(folder / f"data_batch_{number}") for number in range(1, 6)]
    test = _read_cifar10_batch(folder / "test_batch")
    return (
        np.concatenate([images for images, _ in train]),
        np.concatenate([labels for _, labels in train]),
        *test,
    )


def _read_cifar10_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One pickled batch: (n, 3072) channel-first rows -> (n, 32, 32, 3) images and (n,) labels."""
    try:
        with path.open("rb") as handle:
            batch = _ArrayOnlyUnpickler(handle, encoding="bytes").load()
        batch = {
            key.decode() if isinstance(key, bytes) else key: value for key, value in batch.items()
        }
        data = np.asarray(batch["data"], dtype=np.uint8)
        labels = np.asarray(batch["labels"], dtype=np.int64)
        images = data.reshape(len(data), 3, 32, 32).transpose(0, 2, 3, 1)
    except (pickle.UnpicklingError, OSError, EOFError, AttributeError, KeyError, TypeError,
            ValueError) as error:
        raise DatasetError(
            "error.builtin.damaged_not_cifar_python", path=path, error=error) from error
    if len(images) != len(labels):
        raise DatasetError(
            "error.builtin.images_but_labels", path=path, images_count=len(images),
            labels_count=len(labels))
    return images, labels


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickles dicts, lists and numpy arrays only.

    CIFAR-10 ships as pickles, and a pickle can run any code when loaded; a batch in the data
    folder may have been uploaded, so only what the real batches contain may be rebuilt.
    """

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _PICKLE_GLOBALS:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}")
        return _PICKLE_GLOBALS[(module, name)]


# Everything a numpy array needs to be unpickled, under its numpy 1 and numpy 2 names.
_PICKLE_GLOBALS = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,  # pickle protocol 5
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("_codecs", "encode"): codecs.encode,  # bytes written by Python 3 with protocol 2
}


def _download(
    keras_name: str, title: str, searched: list[Path], files: str,
    extra_hint: Phrase | None = None
) -> _Arrays:
    """Ask ``keras.datasets.<keras_name>.load_data()``; any failure becomes a helpful error.

    Keras turns network errors into a bare ``Exception("URL fetch failure on ...")``, and a
    damaged partial download into others, hence the broad catch.
    """
    import keras

    loader = getattr(keras.datasets, keras_name).load_data
    try:
        (x_train, y_train), (x_test, y_test) = loader()
    except Exception as error:
        looked = "\n".join(f"  - {path}" for path in searched)
        target = settings.data_dir() / keras_name.replace("_", "-")
        raise DatasetUnavailableError(
            "error.builtin.unavailable_with_hint" if extra_hint else "error.builtin.unavailable",
            title=title, error=error, looked=looked, keras_folder=keras_datasets_dir(),
            files=files, target=target, hint=extra_hint) from error
    return x_train, y_train, x_test, y_test


def _from_arrays(arrays: _Arrays, class_names: tuple[str, ...]) -> RawImages:
    """Official train and test arrays -> one RawImages whose given split keeps them apart."""
    x_train, y_train, x_test, y_test = arrays
    images = np.concatenate([x_train, x_test])
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.dtype != np.uint8 or images.ndim != 4:
        raise DatasetError(
            "error.builtin.expected_uint_images_got", dtype=images.dtype, shape=images.shape)
    labels = np.concatenate([np.ravel(y_train), np.ravel(y_test)]).astype(np.int64)
    if len(labels) != len(images):
        raise DatasetError(
            "error.builtin.images_but_labels_2", images_count=len(images),
            labels_count=len(labels))
    if labels.size and (labels.min() < 0 or labels.max() >= len(class_names)):
        raise DatasetError(
            "error.builtin.labels_run_but_dataset", lowest=labels.min(),
            highest=labels.max(), class_names_count=len(class_names))
    given_split = np.concatenate([
        np.full(len(x_train), SPLIT_CODES["train"], dtype=np.int64),
        np.full(len(x_test), SPLIT_CODES["test"], dtype=np.int64),
    ])
    return RawImages(
        class_names=list(class_names),
        labels=labels,
        arrays=images,
        sizes=np.tile(np.array(images.shape[1:3], dtype=np.int64), (len(images), 1)),
        given_split=given_split,
        native_channels=images.shape[3],
    )


def _has_idx_files(folder: Path) -> bool:
    return all((folder / name).is_file() for name in IDX_FILES.values())
