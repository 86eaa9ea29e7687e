"""Model: pick a network of the reports or design one block by block; see every layer's shape."""

import dataclasses

import streamlit as st

from cnnviz.errors import CnnvizError
from cnnviz.figures.model import shape_diagram
from cnnviz.models.blocks_table import BLOCK_COLUMNS, blocks_from_table, blocks_to_table
from cnnviz.models.report_blocks import REPORT_BLOCKS
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import BLOCK_KINDS, TRANSFER_BASES, ModelSpec
from cnnviz.models.totals import parameter_totals
from cnnviz.ui.cached import dataset_summary, model_layers
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.form_state import FormState
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose, dataset_spec, model_spec

FORM = FormState("model_form")
HIDDEN_UNITS = [64, 128, 256, 512, 1024, 2048]
# The blocks the editor starts from: the data editor knows its rows by the table it was given,
# so it is given the same table while it is shown, and its edits add up; a starting point
# picked, or the editor drawn again (its edits are in the session's choice), starts it anew.
BLOCKS_BASE_KEY = "model_form.blocks_base"


def widget_values(spec: ModelSpec) -> dict:
    """The settings widgets' values for ``spec`` (no dropout override shows 0.25)."""
    return {"architecture": spec.architecture, "hidden_units": spec.hidden_units,
            "base": spec.base, "weights": spec.weights,
            "head": ", ".join(map(str, spec.head_units)),
            "fine_tune_layers": spec.fine_tune_layers,
            "dropout_override": spec.dropout_rate is not None,
            "dropout": spec.dropout_rate or 0.25}


def start_from_picked() -> None:
    """A network to start from replaces the editor's table (and drops its edits)."""
    picked = st.session_state[FORM.key("start_from")]
    if picked:
        st.session_state[BLOCKS_BASE_KEY] = REPORT_BLOCKS[picked]


require_shell()
st.title(t("model.title"))
current = model_spec()
data = dataset_spec()
try:
    _, class_names, input_shape = dataset_summary(data)
except CnnvizError as error:
    st.error(t("model.dataset_error", error=shown_error(error)))
    st.stop()
st.caption(t("model.input", shape="x".join(map(str, input_shape)),
             source=t(f"source.{data.source}")))
if FORM.key("blocks") not in st.session_state:  # the editor was not drawn at the last rerun
    st.session_state[BLOCKS_BASE_KEY] = current.blocks
FORM.seed(widget_values(current))
key = FORM.key

architecture = st.selectbox(t("model.architecture"), list(ARCHITECTURES), key=key("architecture"),
                            format_func=translated("arch.{}.title"))
info = ARCHITECTURES[architecture]
report = f" — {t('model.from_report', report=info.report)}" if info.report else ""
st.markdown(t(f"arch.{architecture}.about") + report)
changes: dict = {"architecture": architecture}

if info.family == "mlp":
    changes["hidden_units"] = st.select_slider(
        t("model.hidden_units"), FORM.options_with_value("hidden_units", HIDDEN_UNITS),
        key=key("hidden_units"), persist_state="page", help=t("model.hidden_units_help"))
if info.family == "transfer":
    left, right = st.columns(2)
    changes["base"] = left.selectbox(t("model.base"), TRANSFER_BASES, key=key("base"),
                                     persist_state="page")
    changes["weights"] = left.radio(t("model.weights"), ["imagenet", None], key=key("weights"),
                                    persist_state="page",
                                    format_func=translated("weights.{}"),
                                    help=t("model.weights_help"))
    head = right.text_input(t("model.head"), key=key("head"), persist_state="page",
                            help=t("model.head_help"))
    try:
        changes["head_units"] = tuple(int(part) for part in head.replace(" ", "").split(",")
                                      if part)
    except ValueError:
        st.error(t("model.head_invalid"))
        st.stop()
    changes["fine_tune_layers"] = right.number_input(t("model.fine_tune_layers"), 0, 200,
                                                     key=key("fine_tune_layers"),
                                                     persist_state="page",
                                                     help=t("model.fine_tune_help"))
override = st.checkbox(t("model.dropout_override"), key=key("dropout_override"),
                       help=t("model.dropout_help"))
changes["dropout_rate"] = (st.slider(t("model.dropout"), 0.0, 0.8, step=0.05, key=key("dropout"),
                                     persist_state="page")
                           if override else None)

if info.family == "builder":
    st.subheader(t("model.blocks"))
    st.selectbox(t("model.start_from"), [""] + list(REPORT_BLOCKS), key=key("start_from"),
                 on_change=start_from_picked, format_func=translated("arch.{}.title", blank="—"))
    edited = st.data_editor(
        blocks_to_table(st.session_state[BLOCKS_BASE_KEY]), num_rows="dynamic", width="stretch",
        hide_index=True, key=key("blocks"),
        column_config={
            "kind": st.column_config.SelectboxColumn(t("block.kind"), options=BLOCK_KINDS,
                                                     required=True),
            **{column: st.column_config.Column(t(f"block.{column}"))
               for column in BLOCK_COLUMNS if column != "kind"},
        },
    )
    try:
        changes["blocks"] = blocks_from_table(edited)
    except CnnvizError as error:
        st.error(shown_error(error))
        st.stop()

try:
    spec = dataclasses.replace(current, **changes)
    with st.spinner(t("model.building")):
        layers, notices = model_layers(spec, input_shape, len(class_names))
except CnnvizError as error:
    st.error(shown_error(error))
    st.stop()
choose(model=spec)
for notice in notices:
    st.warning(notice)

totals = parameter_totals(layers)
left, right = st.columns(2)
left.metric(t("model.parameters"), f"{totals.total:,}")
right.metric(t("model.trainable"), f"{totals.trainable:,}")

st.subheader(t("model.shapes"))
st.caption(t("model.shapes_help"))
st.plotly_chart(
    shape_diagram(layers["name"], layers["shape"], {
        "height": t("model.height"), "width": t("model.width"),
        "channels": t("model.channels"), "pixels": t("model.pixels")}),
    width="stretch", key="shape_diagram")

st.subheader(t("model.layers"))
st.dataframe(
    layers.drop(columns=["shape"]).rename(columns=lambda column: t(f"layer.{column}")),
    hide_index=True, width="stretch", height="content")  # every layer, no inner scrolling
