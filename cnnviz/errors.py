"""Typed errors of the core. Each carries a message a student can act on.

Pages catch :class:`CnnvizError` and show its message; anything else is a bug.
"""

from __future__ import annotations


class CnnvizError(Exception):
    """Base of every error the core raises on purpose."""


class DatasetError(CnnvizError):
    """The data cannot be turned into a dataset."""


class DatasetUnavailableError(DatasetError):
    """A built-in dataset is neither on this machine nor downloadable."""


class EmptyDatasetError(DatasetError):
    """No readable image was found."""


class SingleClassError(DatasetError):
    """A classifier needs at least two classes."""


class EmptyClassError(DatasetError):
    """A class folder or label holds no readable image."""


class MappingError(DatasetError):
    """A file list refers to a label that ``mapping.txt`` does not define."""


class LabelOutOfRangeError(MappingError):
    """A label index lies outside the classes defined by ``mapping.txt``."""


class UnknownAttributeError(DatasetError):
    """The chosen attribute is not a column of the attribute table."""


class UnknownClassError(DatasetError):
    """A class named for merging or selection does not exist."""


class SplitError(DatasetError):
    """The requested split cannot be made from this data."""


class ImageError(DatasetError):
    """A single image cannot be decoded."""


class ImageTooLargeError(ImageError):
    """An image declares more pixels than may be decoded safely."""


class UnsafeArchiveError(DatasetError):
    """A ZIP archive is refused: unsafe member paths, links, a bomb, or a damaged file."""


class UnsafePathError(CnnvizError):
    """A path typed by a user lies outside the folders the app may read."""


class InvalidSpecError(CnnvizError):
    """A specification has values that cannot work together."""


class NoEvaluationError(CnnvizError):
    """A run has no test predictions yet: it is still training, failed, or never finished an
    epoch."""


class EmbeddingInputError(CnnvizError):
    """Feature vectors cannot be mapped: too few points, wrong shape or non-finite values."""


class UnsafeModelError(CnnvizError):
    """A saved model is refused: not a ``.keras`` archive, or it holds Python code (a Lambda)."""


class RunArchiveError(CnnvizError):
    """A ZIP cannot be imported as a run (unsafe members raise :class:`UnsafeArchiveError`)."""


class NotARunArchiveError(RunArchiveError):
    """The ZIP holds no ``config.json`` of a finished run: it is not a run archive."""


class RunArchiveConfigError(RunArchiveError):
    """The archive's ``config.json`` does not describe a run this version can rebuild."""


class RunArchiveModelError(RunArchiveError):
    """The archive's model or evaluation file is missing, fake, or not loadable safely."""


class RunExistsError(RunArchiveError):
    """A run with the archive's id is already here."""


class ExportError(CnnvizError):
    """A run cannot be exported: the destination is not usable, or the run lacks what the
    export needs."""


class ModelExportError(ExportError):
    """A model cannot be written in the requested format (the converter refused it)."""
