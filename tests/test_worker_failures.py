"""Failures become one readable line for the student, with the details kept."""

from __future__ import annotations

import errno

from cnnviz.errors import EmptyClassError
from cnnviz.training.worker import describe_failure


class ResourceExhaustedError(Exception):
    """Stands in for tf.errors.ResourceExhaustedError (matched by name, no TF import needed)."""


def test_out_of_memory_suggests_a_smaller_batch() -> None:
    message, detail = describe_failure(ResourceExhaustedError("OOM when allocating tensor"))
    assert "ran out of memory" in message and "smaller batch size" in message
    assert "OOM when allocating" in detail


def test_full_disk_says_the_model_was_kept() -> None:
    message, _ = describe_failure(OSError(errno.ENOSPC, "No space left on device"))
    assert "disk is full" in message and "kept the last model" in message


def test_core_errors_are_shown_as_they_are() -> None:
    message, _ = describe_failure(EmptyClassError("No readable image in class(es): bird"))
    assert message == "No readable image in class(es): bird"


def test_anything_else_names_its_type() -> None:
    try:
        {}["embedding"]
    except KeyError as error:
        message, detail = describe_failure(error)
    assert message.startswith("Unexpected error (KeyError)")
    assert "Traceback" in detail
