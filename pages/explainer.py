"""Convolution explainer: slide a kernel over a small input one step at a time (the products,
their sum, the cell it fills), then ReLU and pooling — the arithmetic behind every feature map,
with numbers a student can check by hand (report D's teaching figures)."""

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.errors import CnnvizError
from cnnviz.explainer import (KERNEL_PRESETS, REPORT_D_GRID, convolution_formula,
                              convolution_steps, digit_image, next_step, output_size,
                              pending_cells, pooling_formula, pooling_steps, relu, same_padding,
                              waiting_for_input)
from cnnviz.figures.explainer import number_grid
from cnnviz.ui.cached import run_model
from cnnviz.ui.components.choices import translated
from cnnviz.ui.i18n import t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import current_run

INPUTS = ("report_d", "digit", "own")
TRAINED = "trained"
PLAY_SECONDS = 1.0  # one window step a second while playing: slow enough to read the sum
STEP_KEY = "explain_step"

require_shell()
st.title(t("explain.title"))
st.caption(t("explain.caption"))


def trained_kernels() -> tuple[str, np.ndarray] | None:
    """The first-layer filters of the current run's network, when it has one."""
    run_id = current_run()
    if not run_id:
        return None
    try:
        from cnnviz.inside.activations import first_conv_kernels

        return first_conv_kernels(run_model(run_id).model)
    except (CnnvizError, ValueError):
        return None


left, right = st.columns(2)
with left:
    source = st.radio(t("explain.input"), INPUTS, horizontal=True,
                      format_func=translated("explain.input_{}"))
    if source == "report_d":
        start = REPORT_D_GRID
    elif source == "digit":
        start = digit_image(st.number_input(t("explain.digit"), 0, 1796, 0))
    else:
        size = st.slider(t("explain.own_size"), 3, 9, 6)
        start = np.zeros((size, size))
    st.caption(t("explain.edit_hint"))
    image = st.data_editor(pd.DataFrame(np.round(start, 3)), key=f"explain_input_{source}",
                           width="stretch").to_numpy(dtype=float)
with right:
    learned = trained_kernels()
    presets = list(KERNEL_PRESETS) + ([TRAINED] if learned else [])
    preset = st.selectbox(t("explain.kernel"), presets,
                          format_func=translated("explain.kernel_{}"))
    if preset == TRAINED:
        layer, kernels = learned
        number = st.number_input(t("explain.filter", layer=layer), 0, len(kernels) - 1, 0)
        kernel_start = kernels[number]
    else:
        kernel_start = KERNEL_PRESETS[preset]
    kernel = st.data_editor(pd.DataFrame(np.round(kernel_start, 3)),
                            key=f"explain_kernel_{preset}_{kernel_start.shape[0]}",
                            width="stretch").to_numpy(dtype=float)
    stride_column, padding_column = st.columns(2)
    stride = stride_column.slider(t("explain.stride"), 1, 3, 1)
    padding = padding_column.radio(
        t("explain.padding"), [0, same_padding(kernel.shape[0])], horizontal=True,
        format_func=lambda amount: t("explain.padding_valid") if amount == 0
        else t("explain.padding_zeros", amount=amount))

if not np.isfinite(image).all() or not np.isfinite(kernel).all():
    st.error(t("explain.not_numbers"))
    st.stop()
try:
    feature_map, steps = convolution_steps(image, kernel, stride, padding)
except ValueError:
    st.error(t("explain.bad_size", kernel=kernel.shape[0], size=image.shape[0],
               padding=padding))
    st.stop()

size, side = image.shape[0], kernel.shape[0]
st.markdown(t("explain.formula", n=size, k=side, p=padding, s=stride,
              out=output_size(size, side, stride, padding)))
# The slider keeps its place when the input changes size, within the new number of steps.
st.session_state[STEP_KEY] = min(st.session_state.get(STEP_KEY, 1), len(steps))
playing = st.toggle(t("explain.play"), key="explain_play", help=t("explain.play_help"),
                    disabled=len(steps) < 2)


@st.fragment(run_every=PLAY_SECONDS if playing else None)
def step_by_step() -> None:
    """The window, the map it fills, ReLU and pooling at one step; while playing, every
    PLAY_SECONDS only this part runs again, one step further."""
    if playing:
        st.session_state[STEP_KEY] = next_step(st.session_state[STEP_KEY], len(steps))
    step_number = st.slider(t("explain.step"), 1, len(steps), key=STEP_KEY) \
        if len(steps) > 1 else 1
    step = steps[step_number - 1]
    filled = pending_cells(feature_map.shape, steps, step_number)

    columns = st.columns([3, 2, 3])
    columns[0].plotly_chart(number_grid(np.pad(image, padding), t("explain.input_grid"),
                                        window=(step.top, step.left, side)),
                            width="stretch", key="explain_input_grid")
    columns[1].plotly_chart(number_grid(kernel, t("explain.kernel_grid"), zero_middle=True),
                            width="stretch", key="explain_kernel_grid")
    columns[2].plotly_chart(number_grid(feature_map, t("explain.output_grid"),
                                        window=(step.row, step.column, 1), hidden=filled,
                                        colour_scale="Oranges"),
                            width="stretch", key="explain_output_grid")
    st.markdown(t("explain.step_text", row=step.row + 1, column=step.column + 1))
    st.code(convolution_formula(step, kernel), language=None, wrap_lines=True)

    st.subheader(t("explain.after"))
    use_relu = st.toggle(t("explain.relu"), value=True, help=t("explain.relu_help"))
    activated = relu(feature_map) if use_relu else feature_map
    mode_column, size_column = st.columns(2)
    mode = mode_column.radio(t("explain.pool_mode"), ["max", "average"], horizontal=True,
                             format_func=translated("explain.pool_{}"))
    pool = size_column.slider(t("explain.pool_size"), 2, 3, 2)
    try:
        pooled, pool_steps = pooling_steps(activated, pool, pool, mode)
    except ValueError:
        st.info(t("explain.no_pooling", window=pool, size="×".join(map(str, activated.shape))))
        return
    pool_number = st.slider(t("explain.pool_step"), 1, len(pool_steps), 1,
                            key="explain_pool_step") if len(pool_steps) > 1 else 1
    pool_step = pool_steps[pool_number - 1]
    # ReLU and pooling show only what the window has computed so far, like the map above.
    waiting = waiting_for_input(pooled.shape, pool_steps, filled)
    pool_hidden = pending_cells(pooled.shape, pool_steps, pool_number) | waiting
    left, right = st.columns(2)
    activated_title = t("explain.activated" if use_relu else "explain.output_grid")
    left.plotly_chart(number_grid(activated, activated_title,
                                  window=(pool_step.top, pool_step.left, pool), hidden=filled,
                                  colour_scale="Oranges"), width="stretch",
                      key="explain_activated")
    right.plotly_chart(number_grid(pooled, t("explain.pooled"),
                                   window=(pool_step.row, pool_step.column, 1),
                                   hidden=pool_hidden, colour_scale="Greens"),
                       width="stretch", key="explain_pooled")
    if waiting[pool_step.row, pool_step.column]:
        st.caption(t("explain.pool_waiting"))
    else:
        st.code(pooling_formula(pool_step, mode), language=None, wrap_lines=True)


step_by_step()
