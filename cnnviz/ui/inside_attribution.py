"""Look inside's attribution tab: saliency, SmoothGrad and Integrated Gradients beside Grad-CAM
and occlusion, for the predicted class or one the student picks, with Integrated Gradients'
completeness shown in numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from cnnviz.inside.display import enlarge
from cnnviz.inside.gradcam import overlay
from cnnviz.inside.occlusion import drop_per_pixel, evidence, smallest_stride
from cnnviz.ui.cached import run_model
from cnnviz.ui.components.image_rows import image_grid
from cnnviz.ui.i18n import t

if TYPE_CHECKING:
    from cnnviz.inside.attribution import ClassScores, IntegratedGradients

# The class choice starts at the prediction of each new image (the page resets it).
CLASS_KEY = "inside_attribution_class"
OVERLAY_SIDE = 240


@st.cache_resource(max_entries=2, show_spinner=False)
def run_scores(run_id: str) -> ClassScores:
    """The class scores before the softmax of a run's model, built once per run."""
    from cnnviz.inside.attribution import class_scores

    return class_scores(run_model(run_id).model)


def attribution_maps(run_id: str, image: np.ndarray, class_index: int) -> \
        tuple[list[tuple[str, np.ndarray]], IntegratedGradients, int]:
    """Every method's map (height, width) in [0, 1] for one image and class, in the order
    shown, the Integrated Gradients result (for its completeness) and its steps."""
    from cnnviz.inside.attribution import (complete_integrated_gradients, pixel_map, saliency,
                                           smoothgrad)

    scores = run_scores(run_id)
    model = run_model(run_id)
    integrated, steps = complete_integrated_gradients(scores, image, class_index)
    maps = [("saliency", pixel_map(saliency(scores, image, class_index))),
            ("smoothgrad", pixel_map(smoothgrad(scores, image, class_index))),
            ("integrated", pixel_map(integrated.attributions))]
    if model.cam_layer is not None:
        maps.append(("gradcam", model.gradcam(image, class_index)))
    height, width = image.shape[:2]
    patch = max(2, min(height, width) // 6)
    stride = max(smallest_stride(height, width, patch), patch // 2)
    drop = model.occlusion(image, class_index, patch, stride)
    maps.append(("occlusion", evidence(drop_per_pixel(drop, image.shape, patch, stride))))
    return maps, integrated, steps


def attribution_views(run_id: str, image: np.ndarray, names: list[str], predicted: int) -> None:
    """The tab: a class, an opacity, then the five maps over the image side by side."""
    st.caption(t("inside.attribution_caption"))
    left, right = st.columns(2)
    target = int(left.selectbox(t("inside.cam_class"), range(len(names)), index=predicted,
                                format_func=names.__getitem__, key=CLASS_KEY))
    opacity = right.slider(t("inside.opacity"), 0.0, 1.0, 0.6, 0.05,
                           key="inside_attribution_opacity")
    with st.spinner(t("inside.attribution_working")):
        maps, integrated, steps = attribution_maps(run_id, image, target)
    image_grid([enlarge(overlay(image, heat, opacity), OVERLAY_SIDE) for _, heat in maps],
               [t(f"inside.attribution_{method}") for method, _ in maps], columns=len(maps))
    st.caption(t("inside.attribution_methods"))
    st.markdown(t("inside.ig_completeness", name=names[target], steps=steps,
                  total=f"{integrated.total:.3f}",
                  score=f"{integrated.score:.3f}", baseline=f"{integrated.baseline_score:.3f}",
                  difference=f"{integrated.score - integrated.baseline_score:.3f}",
                  gap=f"{integrated.completeness_gap:.2%}"))
