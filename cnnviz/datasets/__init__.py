"""Every data source of the reports, prepared the same way: see :func:`load_dataset`."""

from cnnviz.datasets.dataset import Dataset, Split
from cnnviz.datasets.loader import load_dataset
from cnnviz.datasets.spec import Augmentation, DatasetSpec

__all__ = ["Augmentation", "Dataset", "DatasetSpec", "Split", "load_dataset"]
