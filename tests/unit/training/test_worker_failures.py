"""Failures become one readable line for the student, with the details kept."""

from __future__ import annotations

import errno
import pickle

from cnnviz.errors import EmptyClassError, TrainingDiverged
from cnnviz.training.worker import describe_failure


class ResourceExhaustedError(Exception):
    """Stands in for tf.errors.ResourceExhaustedError (matched by name, no TF import needed)."""


def test_out_of_memory_suggests_a_smaller_batch() -> None:
    reason, detail = describe_failure(ResourceExhaustedError("OOM when allocating tensor"))
    message = str(reason)
    assert "ran out of memory" in message and "smaller batch size" in message
    assert "sin memoria" in reason.message("es")
    assert "OOM when allocating" in detail


def test_full_disk_says_the_model_was_kept() -> None:
    reason, _ = describe_failure(OSError(errno.ENOSPC, "No space left on device"))
    message = str(reason)
    assert "disco está lleno" in reason.message("es")
    assert "disk is full" in message and "kept the last model" in message


def test_core_errors_are_shown_as_they_are() -> None:
    error = EmptyClassError("error.classes.no_readable_image_class", classes="bird")
    reason, _ = describe_failure(error)
    assert reason is error


def test_a_divergence_names_its_loss_in_each_language() -> None:
    reason, _ = describe_failure(TrainingDiverged(2, 7, "val_loss"))
    assert str(reason).startswith("Training diverged at epoch 2, batch 7: the validation loss")
    assert "la pérdida de validación se volvió NaN" in reason.message("es")
    assert pickle.loads(pickle.dumps(reason)).message("es") == reason.message("es")


def test_anything_else_names_its_type() -> None:
    try:
        {}["embedding"]
    except KeyError as error:
        reason, detail = describe_failure(error)
    message = str(reason)
    assert message.startswith("Unexpected error (KeyError)")
    assert "Traceback" in detail
