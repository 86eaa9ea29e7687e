"""GAN: train report E's DCGAN on the chosen dataset, watch its samples improve epoch by epoch,
then play with its latent noise: a sampler, sliders, interpolation, and checks for memorisation
and mode collapse."""

import time

import numpy as np
import streamlit as st

from cnnviz import runs
from cnnviz.analysis.history import batch_table, epoch_table
from cnnviz.analysis.progress import run_progress
from cnnviz.errors import CnnvizError
from cnnviz.gan.figures import class_balance_bars, image_animation
from cnnviz.gan.checks import class_balance, class_balance_distance, judged_classes
from cnnviz.gan.latent import SLIDER_LIMIT, interpolate, latent_batch, slider_start
from cnnviz.gan.plan import upsampling_plan
from cnnviz.gan.samples import (classifier_runs_on, gan_runs, image_grid, monitor_epochs,
                                monitor_frames, read_monitor, square_columns)
from cnnviz.inside.display import enlarge
from cnnviz.models.spec import ModelSpec
from cnnviz.runs import RunState
from cnnviz.training.config import TrainConfig
from cnnviz.ui.cached import (dataset_summary, gan_check, run_dataset, run_generator,
                              run_model)
from cnnviz.ui.components.choices import short_number, translated
from cnnviz.ui.components.image_rows import image_grid as show_images
from cnnviz.ui.components.live import live
from cnnviz.ui.components.run_card import progress_bar, run_ending, run_heading
from cnnviz.ui.components.run_picker import run_picker
from cnnviz.ui.gan_charts import gan_curves
from cnnviz.ui.i18n import shown_class_names, shown_error, t
from cnnviz.ui.run_buttons import listed_run, start_for_session, stop_button
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import dataset_spec, set_current_run

TAB_KEY = "gan_tab"
SEED_KEY = "gan_seed"
SLIDER_DIMENSIONS = 8
COLLAPSE_SAMPLES = 1000

require_shell()
st.title(t("gan.title"))
st.caption(t("gan.caption"))
listed = runs.list_runs()
gan_ids = gan_runs(listed)


def new_gan_form() -> None:
    """Settings of a new GAN on the dataset chosen on the Dataset page, and its Start button."""
    data = dataset_spec()
    try:
        _, class_names, shape = dataset_summary(data)
        upsampling_plan(shape)
    except CnnvizError as error:
        st.error(t("gan.bad_dataset", reason=shown_error(error)))
        st.page_link("pages/dataset.py", label=t("nav.dataset"), icon=":material/image:")
        return
    st.caption(t("gan.new_caption", dataset=t(f"source.{data.source}"),
                 shape="×".join(map(str, shape))))
    first, second, third, fourth = st.columns(4)
    shown = dict(zip(class_names, shown_class_names(class_names, data.source)))
    only = first.selectbox(t("gan.class"), [""] + list(class_names),
                           format_func=lambda name: shown.get(name) or t("gan.all_classes"))
    latent = second.select_slider(t("gan.latent"), [16, 32, 64, 100, 128], value=64,
                                  help=t("gan.latent_help"))
    epochs = third.number_input(t("gan.epochs"), 1, 500, 10)
    batch_size = fourth.select_slider(t("gan.batch"), [16, 32, 64, 128], value=32)
    rate = first.select_slider(t("gan.rate"), [1e-5, 3e-5, 1e-4, 2e-4, 3e-4, 1e-3], value=1e-4,
                               format_func=short_number)
    if st.button(t("gan.start"), type="primary"):
        config = runs.RunConfig(
            data, ModelSpec(architecture="dcgan", latent_dim=latent, gan_class=only),
            TrainConfig(epochs=int(epochs), batch_size=batch_size, learning_rate=rate),
            name=f"DCGAN {only or t(f'source.{data.source}')}", kind="gan")
        started = start_for_session([config])
        if started:
            set_current_run(started[0])
            st.rerun()


with st.expander(t("gan.new"), expanded=not gan_ids, icon=":material/add:"):
    new_gan_form()
if not gan_ids:
    st.info(t("gan.no_runs"))
    st.stop()

run_id = run_picker(t("gan.run"), gan_ids, becomes_current=True,
                    format_func=lambda key: f"{key} — {runs.read_config(key).name}")
folder = runs.run_path(run_id)
config = runs.read_config(run_id)
status = runs.read_status(run_id)
state = status.get("state", RunState.QUEUED)


def training_view() -> bool:
    """Status, progress and the two charts, read from the run folder; whether the run is
    still active."""
    status = runs.read_status(run_id)
    state = status.get("state", RunState.QUEUED)
    rows = runs.read_metrics(run_id)
    run_heading(run_id, status)
    run_ending(status)
    progress_bar(run_progress(status, rows, time.time()))
    stop_button(listed_run(run_id), "gan_stop")
    epochs, batches = epoch_table(rows), batch_table(rows)
    gan_curves(epochs, batches, ("gan_losses", "gan_outputs"))
    return state in RunState.ACTIVE


def monitor_view() -> None:
    """The fixed-noise grids of every epoch: a slider and an animation."""
    saved = monitor_epochs(folder)
    if not saved:
        st.info(t("gan.no_monitor"))
        return
    st.markdown(t("gan.monitor"))
    epoch = (st.select_slider(t("gan.epoch"), saved, value=saved[-1], key="gan_monitor_epoch")
             if len(saved) > 1 else saved[0])
    show_images([enlarge(read_monitor(folder, shown), 420) for shown in (saved[0], epoch)],
                [t("gan.epoch_grid", epoch=shown) for shown in (saved[0], epoch)], columns=2)
    if len(saved) > 1:
        frames, picked = monitor_frames(folder, saved)
        st.plotly_chart(image_animation(frames, [str(epoch) for epoch in picked],
                                        {"play": t("gan.play"), "pause": t("gan.pause"),
                                         "frame": t("gan.epoch")}),
                        width="stretch", key="gan_monitor_animation")


def next_seed() -> None:
    st.session_state[SEED_KEY] = st.session_state.get(SEED_KEY, 0) + 1


train_tab, sampler_tab, sliders_tab, between_tab, check_tab = st.tabs([
    t("gan.tab_training"), t("gan.tab_sampler"), t("gan.tab_sliders"), t("gan.tab_between"),
    t("gan.tab_check"),
], key=TAB_KEY, on_change="rerun")  # only the open tab runs

with train_tab:
    if train_tab.open:
        live(training_view, state in RunState.ACTIVE)
        monitor_view()

if not train_tab.open:
    try:
        generator = run_generator(run_id)
    except CnnvizError as error:
        st.info(t("gan.no_generator", reason=shown_error(error)))
        st.stop()

with sampler_tab:
    if sampler_tab.open:
        left, middle, right = st.columns([2, 2, 3])
        seed = left.number_input(t("gan.seed"), 0, 1_000_000, key=SEED_KEY)
        left.button(t("gan.new_seed"), on_click=next_seed, icon=":material/casino:")
        count = middle.select_slider(t("gan.count"), [16, 36, 64], value=64)
        truncation = right.slider(t("gan.truncation"), 0.0, 3.0, 0.0, 0.25,
                                  help=t("gan.truncation_help"))
        latents = latent_batch(int(seed), count, generator.latent_dim, truncation or None)
        images = generator.generate(latents)
        st.image(enlarge(image_grid(images, square_columns(count)), 640),
                 caption=t("gan.grid_caption", count=count, seed=seed), clamp=True)

with sliders_tab:
    if sliders_tab.open:
        st.caption(t("gan.sliders_caption", dimensions=min(SLIDER_DIMENSIONS,
                                                          generator.latent_dim)))
        left, right = st.columns(2)
        seed = left.number_input(t("gan.seed"), 0, 1_000_000, 0, key="gan_slider_seed")
        latent = latent_batch(int(seed), 1, generator.latent_dim)[0]
        picture, controls = st.columns([2, 3])
        for dimension in range(min(SLIDER_DIMENSIONS, generator.latent_dim)):
            latent[dimension] = controls.slider(
                t("gan.dimension", number=dimension + 1), -SLIDER_LIMIT, SLIDER_LIMIT,
                slider_start(latent[dimension]), 0.05,
                key=f"gan_z{dimension}_{seed}")
        picture.image(enlarge(image_grid(generator.generate(latent[np.newaxis]), 1), 320),
                      width="stretch", clamp=True)

with between_tab:
    if between_tab.open:
        first, second, third, fourth = st.columns(4)
        start_seed = first.number_input(t("gan.start_seed"), 0, 1_000_000, 1)
        end_seed = second.number_input(t("gan.end_seed"), 0, 1_000_000, 2)
        steps = third.slider(t("gan.steps"), 3, 16, 9)
        mode = fourth.radio(t("gan.mode"), ["linear", "spherical"],
                            format_func=translated("gan.mode_{}"))
        ends = [latent_batch(int(seed), 1, generator.latent_dim)[0]
                for seed in (start_seed, end_seed)]
        path = generator.generate(interpolate(ends[0], ends[1], steps, mode))
        st.image(enlarge(image_grid(path, steps), 900), width="stretch", clamp=True,
                 caption=t("gan.strip_caption", steps=steps))
        frames = np.stack([enlarge(image_grid(image[np.newaxis], 1), 256) for image in path])
        st.plotly_chart(image_animation(frames, [str(step + 1) for step in range(steps)],
                                        {"play": t("gan.play"), "pause": t("gan.pause"),
                                         "frame": t("gan.step")}),
                        width="stretch", key="gan_interpolation_animation")

with check_tab:
    if check_tab.open:
        with st.spinner(t("gan.checking", count=COLLAPSE_SAMPLES)):
            check = gan_check(run_id, 0, COLLAPSE_SAMPLES)
        report = check.diversity
        st.markdown(t("gan.nearest_title"))
        show_images(list(check.shown) + list(check.nearest),
                    [t("gan.generated_image")] * len(check.shown)
                    + [t("gan.nearest", distance=f"{distance:.3f}")
                       for distance in check.distances], columns=len(check.shown))
        st.caption(t("gan.nearest_hint"))
        st.markdown(t("gan.diversity_title"))
        columns = st.columns(3)
        columns[0].metric(t("gan.diversity_generated"), f"{report['generated']:.3f}")
        columns[1].metric(t("gan.diversity_real"), f"{report['real']:.3f}")
        columns[2].metric(t("gan.diversity_ratio"), f"{report['ratio']:.0%}")
        (st.warning if check.collapsed else st.caption)(
            t("gan.collapse" if check.collapsed else "gan.diverse",
              ratio=f"{report['ratio']:.0%}"))
        st.markdown(t("gan.balance_title"))
        judges = classifier_runs_on(listed, config.dataset)
        if not judges:
            st.info(t("gan.no_classifier"))
        else:
            judge = st.selectbox(t("gan.classifier"), judges)
            try:
                classifier = run_model(judge)
            except CnnvizError as error:
                st.warning(shown_error(error))
            else:
                predicted = judged_classes(classifier.probabilities, check.generated)
                dataset = run_dataset(run_id)
                table = class_balance(predicted, dataset.train.labels, dataset.num_classes)
                st.plotly_chart(class_balance_bars(table, shown_class_names(
                    dataset.class_names, config.dataset.source), {
                    "generated": t("gan.generated"), "real": t("gan.real"),
                    "share": t("gan.share")}), width="stretch", key="gan_balance")
                distance = class_balance_distance(predicted, dataset.train.labels,
                                                  dataset.num_classes)
                st.caption(t("gan.balance_distance", distance=f"{distance:.2f}"))
