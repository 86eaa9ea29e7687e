"""The parameter counts the Model page shows above its layer table, added up without Keras:
the page draws before TensorFlow is imported, and the table comes from a cached build."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd


class ParameterTotals(NamedTuple):
    total: int  # every weight, the moving statistics of batch normalisation included
    trainable: int  # the weights the optimiser updates


def parameter_totals(layers: pd.DataFrame) -> ParameterTotals:
    """The totals of a layer table (:func:`cnnviz.models.layers.layer_table`): its
    ``parameters`` and ``trainable_parameters`` columns added up."""
    return ParameterTotals(int(layers["parameters"].sum()),
                           int(layers["trainable_parameters"].sum()))
