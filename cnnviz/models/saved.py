"""Loading a saved model safely: the one door through which every ``.keras`` file comes in.

A run folder may come from another machine or another student, and a Keras file can carry
Python code (a ``Lambda`` layer, a legacy HDF5 config), so only the native ``.keras`` archive
that the app itself writes is read, always with ``safe_mode=True``.
"""

from __future__ import annotations

from pathlib import Path

import keras

from cnnviz.errors import UnsafeModelError

# A .keras file is a ZIP archive; HDF5 (.h5) and SavedModel folders are refused.
KERAS_ARCHIVE_MAGIC = b"PK\x03\x04"


def load_saved_model(path: Path) -> keras.Model:
    """The model in ``path``, loaded in safe mode; anything else raises
    :class:`UnsafeModelError` with a message a student can act on."""
    path = Path(path)
    if path.suffix != ".keras" or not path.is_file():
        raise UnsafeModelError(f"{path.name} is not a .keras model file; only those are loaded")
    with open(path, "rb") as handle:
        if handle.read(len(KERAS_ARCHIVE_MAGIC)) != KERAS_ARCHIVE_MAGIC:
            raise UnsafeModelError(f"{path.name} is not a native Keras archive; it is not loaded")
    import cnnviz.models.layers  # noqa: F401  (registers the custom layers)

    try:
        return keras.saving.load_model(path, safe_mode=True)
    except ValueError as error:
        if "safe_mode" not in str(error):
            raise
        raise UnsafeModelError(
            f"{path.name} holds Python code (a Lambda layer) and is not loaded: a shared "
            "server only loads models that contain no code"
        ) from error
