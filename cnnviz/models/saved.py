"""Loading a saved model safely: the one door through which every ``.keras`` file comes in.

A run folder may come from another machine or another student, and a Keras file can carry
Python code (a ``Lambda`` layer, a legacy HDF5 config), so only the native ``.keras`` archive
that the app itself writes is read, always with ``safe_mode=True``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import keras

from cnnviz.errors import UnsafeModelError

# A .keras file is a ZIP archive; HDF5 (.h5) and SavedModel folders are refused.
KERAS_ARCHIVE_MAGIC = b"PK\x03\x04"
# Members every native Keras archive holds: the model's description and one weights file.
CONFIG_MEMBER = "config.json"
WEIGHTS_MEMBERS = ("model.weights.h5", "model.weights.npz")


def load_saved_model(path: Path) -> keras.Model:
    """The model in ``path``, loaded in safe mode; anything else raises
    :class:`UnsafeModelError` with a message a student can act on."""
    path = Path(path)
    if path.suffix != ".keras" or not path.is_file():
        raise UnsafeModelError("error.saved.not_keras_model_file", name=path.name)
    with open(path, "rb") as handle:
        if handle.read(len(KERAS_ARCHIVE_MAGIC)) != KERAS_ARCHIVE_MAGIC:
            raise UnsafeModelError("error.saved.not_native_keras_archive", name=path.name)
    _check_archive(path)
    import cnnviz.models.layers  # noqa: F401  (registers the custom layers)

    try:
        return keras.saving.load_model(path, safe_mode=True)
    except ValueError as error:
        if "safe_mode" in str(error):
            raise UnsafeModelError(
                "error.saved.holds_python_code_lambda", name=path.name) from error
        raise _not_a_model(path, error) from error
    except Exception as error:  # noqa: BLE001 — whatever Keras trips on, the file is at fault
        raise _not_a_model(path, error) from error


def _check_archive(path: Path) -> None:
    """Refuse a ZIP that is not laid out like a Keras save (a renamed upload, a damaged or
    truncated file) before Keras reads it, so its errors never reach a page raw."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if CONFIG_MEMBER not in names:
                raise _not_a_model(path, f"it has no {CONFIG_MEMBER}")
            if not names.intersection(WEIGHTS_MEMBERS):
                raise _not_a_model(path, "it holds no weights")
            config = json.loads(archive.read(CONFIG_MEMBER))
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise _not_a_model(path, f"the archive is damaged or truncated: {error}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _not_a_model(path, f"its {CONFIG_MEMBER} is not valid JSON") from error
    if not isinstance(config, dict) or "class_name" not in config:
        raise _not_a_model(path, f"its {CONFIG_MEMBER} does not describe a model")


def _not_a_model(path: Path, reason: object) -> UnsafeModelError:
    return UnsafeModelError("error.saved.not_valid_keras_model", name=path.name, reason=reason)
