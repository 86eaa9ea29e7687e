"""Look inside's timeline: the probe image of a class, its maps of one layer and the first
filters, epoch by epoch, from the recordings the worker writes into the run folder.

While the run trains, the section re-reads the folder every :data:`POLL_SECONDS` (the Train
page's way: a fragment with ``run_every``), follows the newest epoch unless the student chose
another, and reruns the page once the run ends, which stops the polling. Play steps through
the epochs in a loop.
"""

from __future__ import annotations

import streamlit as st

from cnnviz import runs
from cnnviz.errors import CnnvizError
from cnnviz.inside.display import enlarge
from cnnviz.inside.probe_files import read_epoch, read_probe_set, recorded_epochs
from cnnviz.inside.timeline import filter_sheet, maps_sheet, shown_epoch
from cnnviz.runs import RunState
from cnnviz.ui.components.choices import translated
from cnnviz.ui.i18n import shown_class_names, t

POLL_SECONDS = 2.0
PLAY_SECONDS = 0.8
EPOCH_KEY = "timeline_epoch"
LATEST_KEY = "timeline_latest"
PLAY_KEY = "timeline_play"
PROBE_KEY = "timeline_probe"
LAYER_KEY = "timeline_layer"


def probe_timeline(run_id: str) -> None:
    """The timeline section of a classifier run, open while the run trains."""
    try:
        kind = runs.read_config(run_id).kind
    except CnnvizError:
        return  # an unknown run: the page says so below
    if kind == "gan":
        return  # a GAN's epochs are on the GAN page's own timeline
    active = runs.read_status(run_id).get("state") in RunState.ACTIVE
    with st.expander(t("timeline.title"), expanded=active, icon=":material/timelapse:"):
        st.caption(t("timeline.caption"))
        playing = st.toggle(t("timeline.play"), key=PLAY_KEY)
        interval = PLAY_SECONDS if playing else POLL_SECONDS if active else None
        st.fragment(_timeline_view, run_every=interval)(run_id, active, playing)


def _timeline_view(run_id: str, active: bool, playing: bool) -> None:
    """Everything below the play switch, re-run alone on each poll or play step."""
    try:
        ended = runs.read_status(run_id).get("state") not in RunState.ACTIVE
    except CnnvizError:  # deleted meanwhile
        ended = True
    if active and ended:
        st.rerun()  # the run ended: the whole page draws it as finished and stops polling
    run_dir = runs.run_path(run_id)
    probes = read_probe_set(run_dir)
    epochs = recorded_epochs(run_dir)
    if probes is not None and not probes.layer_names:
        st.info(t("timeline.no_conv"))
        return
    if probes is None or not epochs:
        st.info(t("timeline.waiting") if active else t("timeline.none"))
        return
    epoch = shown_epoch(epochs, st.session_state.get(EPOCH_KEY),
                        st.session_state.get(LATEST_KEY), playing)
    st.session_state[EPOCH_KEY], st.session_state[LATEST_KEY] = epoch, epochs[-1]
    names = shown_class_names(list(probes.class_names),
                              runs.read_config(run_id).dataset.source)
    left, right = st.columns(2)
    probe = left.selectbox(t("timeline.probe"), range(len(names)), format_func=names.__getitem__,
                           key=PROBE_KEY)
    layer_index = right.selectbox(t("inside.layer"), range(len(probes.layer_names)),
                                  format_func=probes.layer_names.__getitem__, key=LAYER_KEY)
    if len(epochs) > 1:
        st.select_slider(t("timeline.epoch"), epochs, key=EPOCH_KEY,
                         format_func=translated("timeline.epoch_label", placeholder="number"))
    record = read_epoch(run_dir, epoch)
    layer = record.layers[layer_index]
    st.markdown(t("timeline.showing", epoch=epoch, last=epochs[-1]) if epoch
                else t("timeline.untrained"))
    image_column, maps_column = st.columns([1, 3])
    image_column.image(enlarge(probes.images[probe], 160), clamp=True,
                       caption=t("timeline.probe_caption", name=names[probe]))
    maps_column.image(enlarge(maps_sheet(layer, probe), 720), width="stretch",
                      caption=t("timeline.maps_caption", layer=layer.name, kind=layer.kind,
                                shown=layer.maps.shape[-1], channels=layer.channels))
    if record.filters is not None:
        st.image(enlarge(filter_sheet(record.filters), 720), width="stretch",
                 caption=t("timeline.filters_caption", layer=record.filters_layer,
                           count=len(record.filters)))
