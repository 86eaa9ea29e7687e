"""The DCGAN of report E, for any square image size the data layer gives (28, 32, 64 ...).

Generator, noise (batch, latent_dim) to images (batch, size, size, channels) in [0, 1]:
    Dense(start x start x 64) -> reshape -> [Conv2DTranspose(width, 4, stride 2) + LeakyReLU 0.2]
    per upsampling -> Conv2D(channels, 5, sigmoid)
``start`` is the size halved once per upsampling: 64 -> 8 (three), 32 -> 8 (two), 28 -> 7 (two).

Discriminator, images to the probability that they are real:
    [Conv2D(64/128/128/128, 4, stride 2) + LeakyReLU 0.2] -> Flatten -> Dropout 0.2
        -> Dense 64 ReLU -> Dense 64 ReLU -> Dense(1, sigmoid)

At 64x64x3 with latent 64 the two count report E's 1,006,787 and 794,241 parameters.

:class:`DCGAN` trains both with a ``train_step`` override (keras-io
``generative/dcgan_overriding_train_step.py``): one discriminator step on a real and a generated
batch, then one generator step through the frozen discriminator.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from cnnviz.gan.plan import MAX_UPSAMPLINGS, upsampling_plan
from cnnviz.models.spec import ModelSpec

START_FILTERS = 64  # channels of the first (start x start) map, as in report E
DISCRIMINATOR_FILTERS = (64, 128, 128, 128)
DISCRIMINATOR_DENSE = (64, 64)
DROPOUT_RATE = 0.2
LEAKY_SLOPE = 0.2


def build_generator(spec: ModelSpec, image_shape: tuple[int, int, int]) -> keras.Model:
    """Noise (batch, latent_dim) -> images (batch, height, width, channels) in [0, 1]."""
    height, width, channels = image_shape
    start, upsamplings = upsampling_plan(image_shape)
    widths = (tuple(spec.gan_widths) * MAX_UPSAMPLINGS)[:upsamplings]
    noise = keras.Input(shape=(spec.latent_dim,), name="noise")
    tensor = keras.layers.Dense(start * start * START_FILTERS, name="project")(noise)
    tensor = keras.layers.Reshape((start, start, START_FILTERS), name="reshape")(tensor)
    for number, filters in enumerate(widths, start=1):
        tensor = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same",
                                              name=f"upsample{number}")(tensor)  # doubles h, w
        tensor = keras.layers.LeakyReLU(LEAKY_SLOPE, name=f"upsample{number}_relu")(tensor)
    images = keras.layers.Conv2D(channels, 5, padding="same", activation="sigmoid",
                                 name="image")(tensor)  # (batch, height, width, channels)
    return keras.Model(noise, images, name="generator")


def build_discriminator(image_shape: tuple[int, int, int]) -> keras.Model:
    """Images (batch, height, width, channels) in [0, 1] -> probability real (batch, 1)."""
    images = keras.Input(shape=image_shape, name="image")
    tensor = images
    for number, filters in enumerate(DISCRIMINATOR_FILTERS, start=1):
        tensor = keras.layers.Conv2D(filters, 4, strides=2, padding="same",
                                     name=f"conv{number}")(tensor)  # halves h, w
        tensor = keras.layers.LeakyReLU(LEAKY_SLOPE, name=f"conv{number}_relu")(tensor)
    tensor = keras.layers.Flatten(name="flatten")(tensor)  # (batch, 2048) at 64x64
    tensor = keras.layers.Dropout(DROPOUT_RATE, name="dropout")(tensor)
    for number, units in enumerate(DISCRIMINATOR_DENSE, start=1):
        tensor = keras.layers.Dense(units, activation="relu", name=f"dense{number}")(tensor)
    real = keras.layers.Dense(1, activation="sigmoid", name="real")(tensor)
    return keras.Model(images, real, name="discriminator")


class DCGAN(keras.Model):
    """A generator and a discriminator trained against each other by :meth:`train_step`.

    Logged per batch: ``d_loss`` and ``g_loss`` (binary cross-entropy), ``d_real`` = mean D(x)
    on real images and ``d_fake`` = mean D(G(z)) on generated ones: at balance both drift
    towards 0.5; ``d_fake`` near 0 means the discriminator wins outright.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, seed: int = 0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.input_shape[-1])
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name)
                         for name in ("d_loss", "g_loss", "d_real", "d_fake")}

    def compile(self, generator_optimizer: keras.optimizers.Optimizer,
                discriminator_optimizer: keras.optimizers.Optimizer) -> None:
        super().compile()
        self.generator_optimizer = generator_optimizer
        self.discriminator_optimizer = discriminator_optimizer
        self.loss_function = keras.losses.BinaryCrossentropy()

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())  # reset by fit at every epoch

    def call(self, noise, training=False):
        return self.generator(noise, training=training)

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        batch_size = tf.shape(real_images)[0]

        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        generated = self.generator(noise, training=True)
        with tf.GradientTape() as tape:
            on_real = self.discriminator(real_images, training=True)  # (batch, 1)
            on_fake = self.discriminator(generated, training=True)
            d_loss = (self.loss_function(tf.ones_like(on_real), on_real)
                      + self.loss_function(tf.zeros_like(on_fake), on_fake)) / 2
        gradients = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.discriminator_optimizer.apply_gradients(
            zip(gradients, self.discriminator.trainable_weights))

        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fooled = self.discriminator(self.generator(noise, training=True), training=False)
            g_loss = self.loss_function(tf.ones_like(fooled), fooled)  # wants D(G(z)) = 1
        gradients = tape.gradient(g_loss, self.generator.trainable_weights)
        self.generator_optimizer.apply_gradients(zip(gradients, self.generator.trainable_weights))

        for name, value in (("d_loss", d_loss), ("g_loss", g_loss),
                            ("d_real", tf.reduce_mean(on_real)),
                            ("d_fake", tf.reduce_mean(on_fake))):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}
