"""Which network to build, as a frozen, JSON-round-trippable description."""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.errors import InvalidSpecError

TRANSFER_BASES = ("vgg16", "resnet50", "inception_v3", "mobilenet_v2")
BLOCK_KINDS = ("conv", "pool", "batchnorm", "dropout", "flatten", "global_pool", "dense")
ACTIVATIONS = ("relu", "leaky_relu", "elu", "tanh", "sigmoid", "gelu", "linear")


@dataclass(frozen=True)
class BlockSpec:
    """One step of a network designed in the builder; only the fields of its kind matter."""

    kind: str  # one of BLOCK_KINDS
    filters: int = 32  # conv: number of feature maps
    kernel_size: int = 3  # conv: side of the square kernel
    strides: int = 1  # conv: step of the kernel
    padding: str = "valid"  # conv: "valid" shrinks the map, "same" keeps its size
    activation: str = "relu"  # conv and dense
    pool_type: str = "max"  # pool and global_pool: "max" or "average"
    pool_size: int = 2  # pool: side of the pooling window (and its stride)
    rate: float = 0.25  # dropout: fraction of units dropped while training
    units: int = 128  # dense: number of neurons

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise InvalidSpecError(
                "error.model_spec.unknown_block_use", kind=self.kind,
                block_kinds=', '.join(BLOCK_KINDS))
        if self.padding not in ("valid", "same"):
            raise InvalidSpecError("error.model_spec.padding_must_valid_same")
        if self.activation not in ACTIVATIONS:
            raise InvalidSpecError(
                "error.model_spec.unknown_activation", activation=self.activation)
        if self.pool_type not in ("max", "average"):
            raise InvalidSpecError("error.model_spec.pool_type_must_max")
        if min(self.filters, self.kernel_size, self.strides, self.pool_size, self.units) < 1:
            raise InvalidSpecError("error.model_spec.sizes_strides_counts_must")
        if not 0.0 <= self.rate < 1.0:
            raise InvalidSpecError("error.model_spec.dropout_rate_must_lie")


@dataclass(frozen=True)
class ModelSpec:
    """An architecture from the registry and its options."""

    architecture: str = "fashion_cnn"  # a key of cnnviz.models.registry.ARCHITECTURES
    hidden_units: int = 512  # mlp: neurons of the single hidden layer (report D: 2048 or 512)
    dropout_rate: float | None = None  # None keeps the architecture's own (e.g. 0.25)
    base: str = "mobilenet_v2"  # transfer: one of TRANSFER_BASES
    weights: str | None = "imagenet"  # transfer: "imagenet" (cached or downloaded) or None
    head_units: tuple[int, ...] = (256,)  # transfer: dense layers of the new head
    fine_tune_layers: int = 0  # transfer: top layers of the base unfrozen in phase two
    blocks: tuple[BlockSpec, ...] = ()  # builder: the student's network, input to output
    latent_dim: int = 64  # dcgan: length of the noise vector the generator starts from
    gan_widths: tuple[int, ...] = (64, 128, 256)  # dcgan: filters of the upsampling layers
    gan_class: str = ""  # dcgan: train on this class only (e.g. "Sneaker"); empty: all images

    def __post_init__(self) -> None:
        if self.base not in TRANSFER_BASES:
            raise InvalidSpecError(
                "error.model_spec.unknown_base_use", base=self.base,
                transfer_bases=', '.join(TRANSFER_BASES))
        if self.weights not in (None, "imagenet"):
            raise InvalidSpecError("error.model_spec.weights_must_imagenet_none")
        if self.hidden_units < 1 or any(units < 1 for units in self.head_units):
            raise InvalidSpecError("error.model_spec.layer_sizes_must_least")
        if self.dropout_rate is not None and not 0.0 <= self.dropout_rate < 1.0:
            raise InvalidSpecError("error.model_spec.dropout_rate_must_lie")
        if self.latent_dim < 1 or not self.gan_widths or min(self.gan_widths) < 1:
            raise InvalidSpecError("error.model_spec.gan_needs_latent_dimension")
        if self.fine_tune_layers < 0:
            raise InvalidSpecError("error.model_spec.fine_tune_layers_cannot")
