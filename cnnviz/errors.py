"""Typed errors of the core. Each carries a message a student can act on, in any language.

An error is raised with a catalogue key and the values of its ``{placeholders}``
(``DatasetError("error.folder.not_folder", root=root)``), never with text: ``str(error)`` is the
English message, so logs, ``status.json`` and the command line stay English, and
``error.message(language)`` is the same message in the language of the page that shows it.
Pages catch :class:`CnnvizError` and show that; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.i18n import DEFAULT_LANGUAGE, has_message, translate


@dataclass(frozen=True)
class Phrase:
    """A catalogue text used as a value inside an error's message (a folder layout the error
    explains), so that it is translated along with the message."""

    key: str

    def text(self, language: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.key, language)

    def __str__(self) -> str:
        return self.text()


class CnnvizError(Exception):
    """Base of every error the core raises on purpose.

    ``key`` names the message in the catalogues, ``values`` fill its placeholders. A value that
    is itself a :class:`CnnvizError` or a :class:`Phrase` is shown in the same language. A key
    the catalogues do not hold is shown as it is (tests/unit/test_i18n.py flags such raise sites).
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The message in ``language`` (English where that catalogue lacks it)."""
        if not has_message(self.key):
            return self.key
        shown = {name: value.message(language) if isinstance(value, CnnvizError)
                 else value.text(language) if isinstance(value, Phrase) else value
                 for name, value in self.values.items()}
        return translate(self.key, language, **shown)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self):
        # Errors cross process boundaries (the export child, Ray): rebuild from key and values,
        # not from ``args`` (which hold only the key).
        return _rebuild, (type(self), self.key, self.values)


def _rebuild(error_type: type[CnnvizError], key: str, values: dict) -> CnnvizError:
    return error_type(key, **values)


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


class RunNotFoundError(CnnvizError):
    """No run has this id."""


class RunStateError(CnnvizError):
    """The action does not fit the run's state (e.g. deleting a running run)."""


class RunPermissionError(CnnvizError):
    """The person asking may not do this to the run (it is another student's) or at all (a
    plan of several runs in class mode is the teacher's)."""


class RayUnavailableError(CnnvizError):
    """``CNNVIZ_RAY_ADDRESS`` is set but no Ray cluster answers there."""


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


class TrainingDiverged(CnnvizError):
    """The loss became NaN or infinite; carries where it happened."""

    def __init__(self, epoch: int, batch: int, loss: str) -> None:
        super().__init__("error.training.diverged", epoch=epoch, batch=batch,
                         metric=_loss_name(loss))
        self.epoch = epoch
        self.batch = batch
        self.loss = loss

    def __reduce__(self):
        return TrainingDiverged, (self.epoch, self.batch, self.loss)


NAMED_LOSSES = {"loss": Phrase("loss.loss"), "val_loss": Phrase("loss.val_loss"),
                "d_loss": Phrase("loss.d_loss"), "g_loss": Phrase("loss.g_loss")}


def _loss_name(name: str) -> Phrase | str:
    """How a diverged loss is named in the message a student reads, in the page's language."""
    return NAMED_LOSSES.get(name, name.replace("_", " "))
