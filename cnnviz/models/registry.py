"""The architectures a user can pick, described without importing TensorFlow.

Pages list, describe and preset architectures from this table; the home page must stay fast, so
the build functions are named as ``"module:function"`` strings that
:func:`cnnviz.models.build.build_model` imports only when a model is actually built.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.models.spec import ModelSpec


@dataclass(frozen=True)
class Architecture:
    """One entry of the architecture picker."""

    key: str  # the value of ModelSpec.architecture
    title: str  # short name shown in the picker
    description: str  # one or two sentences a student understands
    report: str | None  # the report ("A".."E") the network comes from; None for the builder
    outputs_logits: bool  # True: `predictions` gives raw scores, the loss needs from_logits=True
    default_input: tuple[int, int, int]  # (height, width, channels) of the report's images
    family: str  # "mlp", "cnn", "resnet", "transfer" or "builder"
    build_function: str  # "module:function", called (spec, input_shape, num_classes, l1, l2)


ARCHITECTURES: dict[str, Architecture] = {
    architecture.key: architecture
    for architecture in (
        Architecture(
            key="mlp",
            title="MLP (one hidden layer)",
            description="Every pixel is connected to every neuron of a single hidden layer: the "
                        "baseline that report D's CNN beats, because it ignores where pixels are.",
            report="D", outputs_logits=False, default_input=(28, 28, 1), family="mlp",
            build_function="cnnviz.models.classic:build_mlp",
        ),
        Architecture(
            key="fashion_cnn",
            title="Fashion-MNIST CNN",
            description="Two convolution + pooling stages find edges and textures, then three "
                        "dense layers classify clothes (report D).",
            report="D", outputs_logits=False, default_input=(28, 28, 1), family="cnn",
            build_function="cnnviz.models.classic:build_fashion_cnn",
        ),
        Architecture(
            key="art_cnn",
            title="Art CNN (final)",
            description="Five convolutions in three stages with dropout after each pooling: report "
                        "A's best art classifier (87 % on 64x64 images, 1,459,204 parameters).",
            report="A", outputs_logits=False, default_input=(64, 64, 3), family="cnn",
            build_function="cnnviz.models.classic:build_art_cnn",
        ),
        Architecture(
            key="art_cnn_small",
            title="Art CNN, first attempt",
            description="Two convolutions and two dense layers without dropout: report A's first "
                        "try, which overfits (under 80 %).",
            report="A", outputs_logits=False, default_input=(64, 64, 3), family="cnn",
            build_function="cnnviz.models.classic:build_art_cnn_small",
        ),
        Architecture(
            key="art_cnn_five",
            title="Art CNN, five convolutions",
            description="Five convolutions whose filter counts shrink from 128 to 32: report A's "
                        "third try (84 %).",
            report="A", outputs_logits=False, default_input=(64, 64, 3), family="cnn",
            build_function="cnnviz.models.classic:build_art_cnn_five",
        ),
        Architecture(
            key="simple_bn_cnn",
            title="Simple CNN with batch norm",
            description="Three convolution stages, each normalised with batch norm before the "
                        "ReLU: report C's Simple sketch model (46 % on 250 classes).",
            report="C", outputs_logits=False, default_input=(128, 128, 1), family="cnn",
            build_function="cnnviz.models.classic:build_simple_bn_cnn",
        ),
        Architecture(
            key="resnet18",
            title="ResNet-18",
            description="Eighteen layers in residual blocks whose shortcuts let the signal skip "
                        "convolutions, so a deep network still trains: report C's best (58 %). "
                        "It outputs raw scores (logits).",
            report="C", outputs_logits=True, default_input=(128, 128, 1), family="resnet",
            build_function="cnnviz.models.resnet:build_resnet18",
        ),
        Architecture(
            key="attribute_cnn",
            title="Face attribute CNN",
            description="Four small convolution stages and three sigmoid dense layers decide one "
                        "yes/no face attribute such as smiling (report E, 623,490 parameters).",
            report="E", outputs_logits=False, default_input=(218, 178, 3), family="cnn",
            build_function="cnnviz.models.classic:build_attribute_cnn",
        ),
        Architecture(
            key="transfer",
            title="Transfer learning",
            description="A network pre-trained on ImageNet (VGG16, ResNet50, InceptionV3 or "
                        "MobileNetV2) is reused as a frozen feature extractor under a new dense "
                        "head, then optionally fine-tuned (report B).",
            report="B", outputs_logits=False, default_input=(128, 128, 3), family="transfer",
            build_function="cnnviz.models.transfer:build_transfer",
        ),
        Architecture(
            key="builder",
            title="Your own network",
            description="Stack convolution, pooling, dropout and dense blocks yourself and watch "
                        "the shapes change block by block.",
            report=None, outputs_logits=False, default_input=(28, 28, 1), family="builder",
            build_function="cnnviz.models.builder:build_designed",
        ),
    )
}

# Report D's two baselines. Their training settings (lr 1e-3, batch 500, 100 epochs for n=2048,
# which overfits after ~10 epochs; batch 1000, 40 epochs for n=512, the best) belong to TrainConfig.
MLP_PRESETS: dict[str, ModelSpec] = {
    "mlp_2048": ModelSpec(architecture="mlp", hidden_units=2048),
    "mlp_512": ModelSpec(architecture="mlp", hidden_units=512),
}
