"""Model: pick a network of the reports or design one block by block; see every layer's shape."""

import dataclasses

import streamlit as st

from cnnviz.errors import CnnvizError
from cnnviz.figures.model import shape_diagram
from cnnviz.models.blocks_table import BLOCK_COLUMNS, blocks_from_table, blocks_to_table
from cnnviz.models.report_blocks import REPORT_BLOCKS
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import BLOCK_KINDS, TRANSFER_BASES
from cnnviz.models.totals import parameter_totals
from cnnviz.ui.cached import dataset_summary, model_layers
from cnnviz.ui.components.choices import translated
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose, dataset_spec, model_spec

require_shell()
st.title(t("model.title"))
current = model_spec()
data = dataset_spec()
try:
    _, class_names, input_shape = dataset_summary(data)
except CnnvizError as error:
    st.error(t("model.dataset_error", error=shown_error(error)))
    st.stop()
st.caption(t("model.input", shape="x".join(map(str, input_shape)), source=t(f"source.{data.source}")))

keys = list(ARCHITECTURES)
architecture = st.selectbox(t("model.architecture"), keys, index=keys.index(current.architecture),
                            format_func=translated("arch.{}.title"))
info = ARCHITECTURES[architecture]
report = f" — {t('model.from_report', report=info.report)}" if info.report else ""
st.markdown(t(f"arch.{architecture}.about") + report)
changes: dict = {"architecture": architecture}

if info.family == "mlp":
    changes["hidden_units"] = st.select_slider(t("model.hidden_units"),
                                               [64, 128, 256, 512, 1024, 2048],
                                               value=current.hidden_units,
                                               help=t("model.hidden_units_help"))
if info.family == "transfer":
    left, right = st.columns(2)
    changes["base"] = left.selectbox(t("model.base"), TRANSFER_BASES,
                                     index=TRANSFER_BASES.index(current.base))
    changes["weights"] = left.radio(t("model.weights"), ["imagenet", None],
                                    index=0 if current.weights else 1,
                                    format_func=translated("weights.{}"),
                                    help=t("model.weights_help"))
    head = right.text_input(t("model.head"), ", ".join(map(str, current.head_units)),
                            help=t("model.head_help"))
    try:
        changes["head_units"] = tuple(int(part) for part in head.replace(" ", "").split(",") if part)
    except ValueError:
        st.error(t("model.head_invalid"))
        st.stop()
    changes["fine_tune_layers"] = right.number_input(t("model.fine_tune_layers"), 0, 200,
                                                     current.fine_tune_layers,
                                                     help=t("model.fine_tune_help"))
override = st.checkbox(t("model.dropout_override"), current.dropout_rate is not None,
                       help=t("model.dropout_help"))
changes["dropout_rate"] = (st.slider(t("model.dropout"), 0.0, 0.8, current.dropout_rate or 0.25,
                                     0.05) if override else None)

if info.family == "builder":
    st.subheader(t("model.blocks"))
    start_from = st.selectbox(t("model.start_from"), [""] + list(REPORT_BLOCKS),
                              format_func=translated("arch.{}.title", blank="—"))
    blocks = REPORT_BLOCKS[start_from] if start_from else current.blocks
    edited = st.data_editor(
        blocks_to_table(blocks), num_rows="dynamic", width="stretch", hide_index=True,
        key=f"blocks_{start_from}",
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
