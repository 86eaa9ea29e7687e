"""The command line's dataset options: every :class:`DatasetSpec` setting as a flag, or a spec
file, so a teacher can prepare before class any dataset the Dataset page can.

Every flag defaults to "not given": a flag overrides the spec file (``--dataset-spec``), and
what neither names keeps the spec's own default.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from cnnviz.datasets.spec import (BALANCING_MODES, FLIP_MODES, RESIZE_MODES, SOURCES,
                                  STORAGE_MODES, DatasetSpec)
from cnnviz.errors import InvalidSpecError
from cnnviz.specs import spec_from_dict, spec_to_dict

AUGMENTATION_FLAGS = ("flip", "rotation", "translation", "zoom", "contrast")
_IMAGE_SIZE = re.compile(r"^(\d+)(?:x(\d+))?$")


def add_dataset_options(parser: argparse.ArgumentParser) -> None:
    """Add the dataset flags to the ``train`` command."""
    group = parser.add_argument_group("dataset", "what to train on and how to prepare it")
    group.add_argument("--dataset-spec", type=Path, metavar="FILE.json",
                       help="a DatasetSpec as JSON, or a run's config.json (its dataset is "
                            "taken); the flags below override it")
    group.add_argument("--dataset", dest="source", choices=SOURCES, help="source (default shapes)")
    group.add_argument("--path", help="folder, file-list root, CelebA root or ZIP (file sources)")
    group.add_argument("--shapes-per-class", type=int, help="images per class (shapes source)")
    group.add_argument("--attribute", help="binary attribute (attributes source)")
    group.add_argument("--attribute-file", help="attribute table, relative to --path")
    group.add_argument("--image-folder", help="image folder, relative to --path")
    group.add_argument("--partition-file", help="split file, relative to --path (if present)")
    group.add_argument("--attribute-split-sizes", type=int, nargs=3,
                       metavar=("TRAIN", "VALIDATION", "TEST"), help="images per split")
    group.add_argument("--image-size", type=image_size, metavar="SIZE|HEIGHTxWIDTH",
                       help="resize to SIZE x SIZE, or HEIGHT x WIDTH")
    group.add_argument("--channels", type=int, choices=[1, 3])
    group.add_argument("--resize-mode", choices=RESIZE_MODES,
                       help="stretch, crop (keep aspect, centre-crop) or pad (keep aspect)")
    group.add_argument("--merge", nargs="+", action=MergeRule, metavar="CLASS",
                       help="NEW OLD [OLD ...]: merge the OLD classes into NEW (repeatable)")
    group.add_argument("--classes", nargs="+", metavar="CLASS",
                       help="keep only these classes (after merging)")
    group.add_argument("--max-per-class", type=int, help="cap on images per class")
    group.add_argument("--validation-fraction", type=float, help="of the training images")
    group.add_argument("--test-fraction", type=float,
                       help="of all images, when the source has no test split")
    group.add_argument("--balancing", choices=BALANCING_MODES, help="of the training split")
    group.add_argument("--flip", choices=FLIP_MODES, help="random flips (augmentation)")
    for name, meaning in (("rotation", "of a full turn"), ("translation", "of the image side"),
                          ("zoom", "in or out"), ("contrast", "change")):
        group.add_argument(f"--{name}", type=float, metavar="FRACTION",
                           help=f"largest random {name}, as a fraction {meaning} (augmentation)")
    group.add_argument("--storage", choices=STORAGE_MODES,
                       help="memory, stream from disk, or auto by estimated size")


class MergeRule(argparse.Action):
    """``--merge NEW OLD [OLD ...]``, repeatable, collected as (new, (old, ...)) rules."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if len(values) < 2:
            parser.error(f"{option_string} {' '.join(values)}: give the new class name, then "
                         "the classes to merge into it")
        rules = list(getattr(namespace, self.dest) or [])
        setattr(namespace, self.dest, rules + [(values[0], tuple(values[1:]))])


def image_size(text: str) -> tuple[int, int]:
    """``64`` or ``48x64`` (height x width) as (height, width)."""
    match = _IMAGE_SIZE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not SIZE or HEIGHTxWIDTH, e.g. 64 or 48x64")
    height = int(match.group(1))
    return height, int(match.group(2) or height)


def dataset_spec_from(arguments: argparse.Namespace) -> DatasetSpec:
    """The spec file (or the defaults) with every flag that was given applied on top."""
    values = _spec_file_values(arguments.dataset_spec) if arguments.dataset_spec else {}
    augmentation = dict(values.pop("augmentation", {}) or {})
    for name in AUGMENTATION_FLAGS:
        if getattr(arguments, name) is not None:
            augmentation[name] = getattr(arguments, name)
    for field in dataclasses.fields(DatasetSpec):
        given = getattr(arguments, field.name, None)
        if field.name != "augmentation" and given is not None:
            values[field.name] = given
    values["augmentation"] = augmentation
    return spec_from_dict(DatasetSpec, values)


def _spec_file_values(path: Path) -> dict[str, Any]:
    """The plain values of a spec file: a bare DatasetSpec, or a run's ``config.json``."""
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise InvalidSpecError(
            "error.dataset_options.dataset_spec_cannot_read", path=path, error=error) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidSpecError(
            "error.dataset_options.dataset_spec_not_valid", path=path, error=error) from error
    if isinstance(data, dict) and isinstance(data.get("dataset"), dict) and "source" not in data:
        data = data["dataset"]
    return spec_to_dict(spec_from_dict(DatasetSpec, data))

