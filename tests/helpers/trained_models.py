"""A small CNN really trained on the shapes dataset (seconds on a CPU), shared by the tests of
methods whose guarantees only mean something on a model that has learnt."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SHAPES_PER_CLASS = 40
EPOCHS = 20


@lru_cache(maxsize=1)
def trained_shapes_cnn():
    """(model, test images (n, 32, 32, 3) uint8, their labels): a fashion CNN trained to more
    than 90 % training accuracy on 32x32 shapes (fixed seed)."""
    import keras

    from cnnviz.datasets import load_dataset
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.build import build_model
    from cnnviz.models.spec import ModelSpec

    dataset = load_dataset(DatasetSpec(source="shapes", shapes_per_class=SHAPES_PER_CLASS,
                                       image_size=(32, 32)))
    keras.utils.set_random_seed(0)
    model = build_model(ModelSpec(architecture="fashion_cnn"), dataset.image_shape,
                        dataset.num_classes, seed=0).model
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    images = dataset.train.batch(np.arange(len(dataset.train))).astype(np.float32)
    history = model.fit(images, dataset.train.labels, epochs=EPOCHS, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9, history.history["accuracy"][-1]
    test = dataset.test.batch(np.arange(len(dataset.test)))
    return model, test, dataset.test.labels
