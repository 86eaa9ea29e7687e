"""cnnviz home page: what the app does, and the default dataset a class starts from."""

import numpy as np
import streamlit as st

from cnnviz.datasets.shapes import SHAPE_CLASSES, generate_shapes

st.set_page_config(page_title="cnnviz", page_icon="🧠", layout="wide")


@st.cache_data(max_entries=4)
def shapes_preview(per_class: int, seed: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    raw = generate_shapes(per_class, (64, 64), seed=seed)
    return raw.class_names, raw.arrays, raw.labels


st.title("cnnviz")
st.markdown(
    "Train convolutional neural networks on your own images, watch them learn, "
    "and look inside them: feature maps, confusion matrices, embeddings. "
    "Built for students and teachers."
)

st.subheader("The shapes dataset")
st.caption(
    f"Generated on this machine, no download needed: {len(SHAPE_CLASSES)} classes with random "
    "size, position, rotation, colour and noise. Its feature maps are easy to read in class."
)
seed = st.number_input("Seed", min_value=0, max_value=10_000, value=0, step=1)
class_names, images, labels = shapes_preview(per_class=6, seed=int(seed))
for class_index, class_name in enumerate(class_names):
    columns = st.columns([1] + [1] * 6)
    columns[0].markdown(f"**{class_name}**")
    for column, image in zip(columns[1:], images[labels == class_index]):
        column.image(image, width=64)
