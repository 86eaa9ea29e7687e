"""Export: the open run as a run archive, a TensorBoard log and its model in other formats;
and a run archive imported from another machine."""

import streamlit as st

from cnnviz.errors import (CnnvizError, ModelExportError, NotARunArchiveError,
                           RunArchiveConfigError, RunArchiveModelError, RunExistsError,
                           UnsafeArchiveError)
from cnnviz.exports.model_formats import model_file
from cnnviz.exports.prepared import (EXPORTS, download_name, exports_folder, failure, notes,
                                     prepare, prepared)
from cnnviz.exports.run_archive import import_run_archive
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.identity import current_actor
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import current_run, set_current_run

# Which translated message explains each refusal of an archive (most specific first).
IMPORT_ERRORS = ((UnsafeArchiveError, "export.error.unsafe"),
                 (RunExistsError, "export.error.exists"),
                 (NotARunArchiveError, "export.error.not_a_run"),
                 (RunArchiveConfigError, "export.error.config"),
                 (RunArchiveModelError, "export.error.model"),
                 (CnnvizError, "export.error.other"))
# Made at once when the page opens (no TensorFlow, seconds at most); the others on request.
INSTANT_EXPORTS = ("archive", "keras")

require_shell()
st.title(t("export.title"))
st.caption(t("export.caption"))


def export_row(run_id: str, export: str) -> None:
    """One export: what it is, then its download, why it is not available, or a button."""
    about, action = st.columns([3, 1], vertical_alignment="center")
    about.markdown(f"**{t(f'export.{export}')}**  \n{t(f'export.{export}_help')}")
    reason = failure(run_id, export)
    if reason is not None:
        action.warning(t("export.cannot", reason=reason), icon=":material/block:")
        return
    if export == "keras":
        path = model_file(run_id)
    elif export in INSTANT_EXPORTS:
        path = prepare(run_id, export)
    else:
        path = prepared(run_id, export)
    if path is None:
        if not action.button(t("export.prepare"), key=f"prepare_{export}",
                             icon=":material/build:"):
            return
        try:
            with st.spinner(t("export.preparing", export=t(f"export.{export}"))):
                prepare(run_id, export)
        except ModelExportError as error:
            action.warning(t("export.cannot", reason=shown_error(error)), icon=":material/block:")
            return
        except CnnvizError as error:
            action.error(t("export.failed", reason=shown_error(error)))
            return
        st.rerun()
    action.download_button(t("export.download"), path.read_bytes(),
                           file_name=download_name(run_id, export), key=f"download_{export}",
                           icon=":material/download:", mime="application/octet-stream")
    if (left_out := notes(run_id, export)) is not None:
        about.caption(t("export.notes", notes=left_out))


run_id = current_run()
if not run_id:
    st.info(t("export.no_run"))
else:
    st.subheader(t("export.run", run=run_id))
    try:
        exports_folder(run_id)
    except CnnvizError as error:
        st.info(t("export.not_exportable", reason=shown_error(error)))
    else:
        for export in EXPORTS:
            try:
                export_row(run_id, export)
            except CnnvizError as error:
                st.error(t("export.failed", reason=shown_error(error)))
        st.caption(t("export.inputs"))

st.divider()
st.subheader(t("export.import_title"))
upload = st.file_uploader(t("export.import_upload"), type=["zip"], help=t("export.import_help"),
                          key="import_upload")
if upload is not None and st.button(t("export.import_button"), icon=":material/upload:",
                                    key="import_button"):
    try:
        actor = current_actor()
        imported = import_run_archive(upload.getvalue(), owner=actor.owner,
                                      owner_name=actor.name)
    except CnnvizError as error:
        key = next(key for kind, key in IMPORT_ERRORS if isinstance(error, kind))
        st.error(t(key, reason=shown_error(error)))
    else:
        set_current_run(imported)
        st.success(t("export.imported", run=imported))
