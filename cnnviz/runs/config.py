"""What a run is made of: the three specs that rebuild it, a name and its kind."""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig


@dataclass(frozen=True)
class RunConfig:
    """Everything needed to rebuild a run's dataset, model and training, on any machine."""

    dataset: DatasetSpec
    model: ModelSpec
    training: TrainConfig
    name: str = ""
    kind: str = "classifier"
