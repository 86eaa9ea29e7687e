"""The reports' networks as block lists: plain data, no Keras.

The builder page offers them as starting points, and it must draw before TensorFlow is
imported (the import takes seconds); :mod:`cnnviz.models.classic` builds them.
"""

from __future__ import annotations

from cnnviz.models.spec import BlockSpec

# Report D: Conv 32 3x3 -> MaxPool -> Conv 64 3x3 -> MaxPool -> Dense 600 -> Dense 120 -> Dense 10,
# ReLU, Dropout 0.25. The report does not say where the dropout goes; after each hidden dense
# layer is where it fights overfitting of the large dense part (most of the 1.05 M parameters).
FASHION_CNN_BLOCKS = (
    BlockSpec("conv", filters=32, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("flatten"),
    BlockSpec("dense", units=600),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("dense", units=120),
    BlockSpec("dropout", rate=0.25),
)

# Report A, final model (87 % test accuracy), layer for layer, no padding, ReLU.
# On 64x64x3 images the maps are 62, 31, 29, 27, 13, 11, 9, 4 pixels wide and, with 4 classes,
# the network has 1,459,204 parameters, exactly as the report says.
ART_CNN_BLOCKS = (
    BlockSpec("conv", filters=32, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("conv", filters=128, kernel_size=3),
    BlockSpec("conv", filters=128, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("flatten"),
    BlockSpec("dense", units=512),
    BlockSpec("dropout", rate=0.30),
    BlockSpec("dense", units=256),
)

# Report A, first attempt: "2 conv + 2 dense", which overfit (< 80 %). The report gives no
# layer sizes; these are the smallest that fit the description. The big flatten (14x14x64) feeding
# a dense layer without dropout is what overfits.
ART_CNN_SMALL_BLOCKS = (
    BlockSpec("conv", filters=32, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("flatten"),
    BlockSpec("dense", units=256),
)

# Report A, third attempt: "5 conv with decreasing filters" (84 %). The report gives no layer
# sizes; 128 -> 64 -> 64 -> 32 -> 32 filters with three pools fit 64x64 images (62, 31, 29, 14,
# 12, 10, 5, 3 pixels) and end on a small 3x3x32 map.
ART_CNN_FIVE_BLOCKS = (
    BlockSpec("conv", filters=128, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("conv", filters=64, kernel_size=3),
    BlockSpec("conv", filters=32, kernel_size=3),
    BlockSpec("pool", pool_size=2),
    BlockSpec("dropout", rate=0.25),
    BlockSpec("conv", filters=32, kernel_size=3),
    BlockSpec("flatten"),
    BlockSpec("dense", units=128),
)

# Report E: conv layers with kernel 2, padding same, MaxPool 2 and ReLU, then 3 dense 64 sigmoid
# and a 2-way softmax, 623,490 parameters on 218x178x3 images. The report does not list the
# filters; 32, 32, 64, 64 (one pool after each conv) is the only list of 1 to 5 conv layers with
# 4 to 256 filters that gives exactly 623,490 (maps 109x89, 54x44, 27x22, 13x11).
ATTRIBUTE_CNN_BLOCKS = (
    BlockSpec("conv", filters=32, kernel_size=2, padding="same"),
    BlockSpec("pool", pool_size=2),
    BlockSpec("conv", filters=32, kernel_size=2, padding="same"),
    BlockSpec("pool", pool_size=2),
    BlockSpec("conv", filters=64, kernel_size=2, padding="same"),
    BlockSpec("pool", pool_size=2),
    BlockSpec("conv", filters=64, kernel_size=2, padding="same"),
    BlockSpec("pool", pool_size=2),
    BlockSpec("flatten"),
    BlockSpec("dense", units=64, activation="sigmoid"),
    BlockSpec("dense", units=64, activation="sigmoid"),
    BlockSpec("dense", units=64, activation="sigmoid"),
)

# The report networks a student can start a design from in the builder.
REPORT_BLOCKS = {
    "fashion_cnn": FASHION_CNN_BLOCKS,
    "art_cnn": ART_CNN_BLOCKS,
    "art_cnn_small": ART_CNN_SMALL_BLOCKS,
    "art_cnn_five": ART_CNN_FIVE_BLOCKS,
    "attribute_cnn": ATTRIBUTE_CNN_BLOCKS,
}
