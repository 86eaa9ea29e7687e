"""Where a dataset comes from: an uploaded ZIP (kept under ``uploads/`` by its content hash)
or a path typed inside the folders the app may read."""

from __future__ import annotations

import streamlit as st

from cnnviz.errors import CnnvizError
from cnnviz.ui.i18n import shown_error
from cnnviz.uploads import save_zip_upload


def uploaded_zip(label: str, help: str | None = None, key: str | None = None) -> str | None:
    """A ZIP upload saved for an ``archive`` dataset: its path relative to the data folder, or
    None while no file is given or when the file was refused (the reason is shown)."""
    upload = st.file_uploader(label, type=["zip"], help=help, key=key)
    if upload is None:
        return None
    try:
        return save_zip_upload(upload.getvalue())
    except CnnvizError as error:
        st.error(shown_error(error))
        return None


def zip_or_path(zip_label: str, path_label: str, path_help: str, key: str,
                accepts_zip: bool = True) -> tuple[str, bool]:
    """An uploaded ZIP (when ``accepts_zip``) or else a typed path: ``(path, zipped)``, the
    path empty while neither is given."""
    if accepts_zip and (path := uploaded_zip(zip_label, key=f"zip_{key}")):
        return path, True
    return st.text_input(path_label, key=f"path_{key}", help=path_help), False
