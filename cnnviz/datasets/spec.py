"""What to load and how to prepare it, as a frozen, JSON-round-trippable description.

A run folder stores the :class:`DatasetSpec` it trained on; loading the same spec on another
machine gives the same splits (same seed, same order), so every view of a run can be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cnnviz.errors import InvalidSpecError

BUILTIN_SOURCES = ("shapes", "digits", "fashion_mnist", "mnist", "cifar10")
FILE_SOURCES = ("folder", "filelist", "attributes", "archive")
SOURCES = BUILTIN_SOURCES + FILE_SOURCES
RESIZE_MODES = ("stretch", "crop", "pad")
BALANCING_MODES = ("none", "undersample", "oversample", "class_weights")
STORAGE_MODES = ("auto", "memory", "stream")
FLIP_MODES = ("none", "horizontal", "vertical", "horizontal_and_vertical")

# Size images from files are brought to when the spec names none: small enough to train on a
# laptop CPU, large enough to read a feature map (report A used 64x64).
DEFAULT_FILE_IMAGE_SIZE = (64, 64)


@dataclass(frozen=True)
class Augmentation:
    """Random changes applied to training images only, as Keras preprocessing layers."""

    flip: str = "none"  # one of FLIP_MODES
    rotation: float = 0.0  # largest rotation as a fraction of a full turn (0.1 = 36 degrees)
    translation: float = 0.0  # largest shift as a fraction of height and width
    zoom: float = 0.0  # largest zoom in or out as a fraction
    contrast: float = 0.0  # largest contrast change as a fraction

    def __post_init__(self) -> None:
        if self.flip not in FLIP_MODES:
            raise InvalidSpecError(
                "error.dataset_spec.flip_must_not", flip_modes=', '.join(FLIP_MODES),
                flip=self.flip)
        for name in ("rotation", "translation", "zoom", "contrast"):
            amount = getattr(self, name)
            if not 0.0 <= amount <= 1.0:
                raise InvalidSpecError(
                    "error.dataset_spec.must_lie_between_not", name=name, amount=amount)

    @property
    def enabled(self) -> bool:
        """Whether any change is applied at all."""
        return self.flip != "none" or any(
            (self.rotation, self.translation, self.zoom, self.contrast)
        )


@dataclass(frozen=True)
class DatasetSpec:
    """A data source plus every preprocessing choice; the key of the on-disk cache."""

    source: str = "shapes"  # one of SOURCES
    path: str | None = None  # folder, file-list root, CelebA root, or ZIP file (file sources)

    # Shapes (generated): images per class.
    shapes_per_class: int = 300

    # Attribute table (CelebA layout), relative to ``path``.
    attribute: str | None = None  # the binary attribute to classify, e.g. "Male"
    attribute_file: str = "list_attr_celeba.txt"
    image_folder: str = "img_align_celeba"
    partition_file: str = "list_eval_partition.txt"  # used when present
    attribute_split_sizes: tuple[int, int, int] = (10_000, 2_000, 1_000)  # train, val, test

    # Preprocessing.
    image_size: tuple[int, int] | None = None  # (height, width); None keeps the source's size
    channels: int | None = None  # 1 (grayscale) or 3 (RGB); None keeps the source's
    resize_mode: str = "stretch"  # one of RESIZE_MODES
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (new class, (old classes...))
    classes: tuple[str, ...] = ()  # keep only these classes (after merging); empty keeps all
    max_per_class: int | None = None  # cap on images per class, for quick experiments
    validation_fraction: float = 0.15  # of the training images
    test_fraction: float = 0.15  # of all images, when the source has no test split
    seed: int = 0  # drives splits, sampling and the shapes generator
    balancing: str = "none"  # one of BALANCING_MODES, applied to the training split
    augmentation: Augmentation = field(default_factory=Augmentation)
    storage: str = "auto"  # "memory", "stream" from disk, or "auto" by estimated size

    def __post_init__(self) -> None:
        self._check_choice("source", SOURCES)
        self._check_choice("resize_mode", RESIZE_MODES)
        self._check_choice("balancing", BALANCING_MODES)
        self._check_choice("storage", STORAGE_MODES)
        if self.source in FILE_SOURCES and not self.path:
            raise InvalidSpecError("error.dataset_spec.source_needs_path", source=self.source)
        if self.source == "attributes" and not self.attribute:
            raise InvalidSpecError("error.dataset_spec.attributes_source_needs_attribute")
        if self.channels not in (None, 1, 3):
            raise InvalidSpecError("error.dataset_spec.channels_must_not", channels=self.channels)
        if self.image_size is not None:
            height, width = self.image_size
            if not (4 <= height <= 1024 and 4 <= width <= 1024):
                raise InvalidSpecError(
                    "error.dataset_spec.image_size_must_between", height=height, width=width)
        if not 0.0 <= self.validation_fraction < 1.0:
            raise InvalidSpecError("error.dataset_spec.validation_fraction_must_lie")
        if not 0.0 <= self.test_fraction < 1.0:
            raise InvalidSpecError("error.dataset_spec.test_fraction_must_lie")
        if self.validation_fraction + self.test_fraction >= 0.9:
            raise InvalidSpecError("error.dataset_spec.validation_test_together_must")
        if self.shapes_per_class < 2:
            raise InvalidSpecError("error.dataset_spec.shapes_dataset_needs_least")
        if self.max_per_class is not None and self.max_per_class < 2:
            raise InvalidSpecError("error.dataset_spec.most_per_class_must")
        if min(self.attribute_split_sizes) < 1:
            raise InvalidSpecError("error.dataset_spec.each_attribute_split_needs")

    def _check_choice(self, name: str, allowed: tuple[str, ...]) -> None:
        value = getattr(self, name)
        if value not in allowed:
            raise InvalidSpecError(
                "error.dataset_spec.must_not", name=name, allowed=', '.join(allowed),
                value=value)
