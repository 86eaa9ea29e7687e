"""Device set-up for a worker: GPU memory growth, mixed precision, distribution strategy."""

from __future__ import annotations

from typing import Any

# The worker writes its device in English (it knows no session); pages translate this part.
CPU_ONLY = "CPU only"


def configure_devices(mixed_precision: bool, distribution: str) -> tuple[str, Any]:
    """Prepare TensorFlow's devices; return (a description of the device, a strategy scope).

    Memory growth keeps one run from reserving the whole GPU, so two runs can share it. Mixed
    precision is only turned on where it helps (a GPU). ``mirrored`` replicates the model on
    every GPU, or on two logical CPU devices when there is none (useful to try the strategy).
    ``multi_worker`` synchronises the same run on several machines, described by the
    ``TF_CONFIG`` environment variable (without it, this machine is the only worker).
    """
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        tf.config.experimental.set_memory_growth(gpu, True)
    if gpus:
        names = [tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
                 for gpu in gpus]
        description = ", ".join(names)
    else:
        description = CPU_ONLY
    if mixed_precision and gpus:
        import keras

        keras.mixed_precision.set_global_policy("mixed_float16")
        description += " (mixed precision)"
    if distribution == "multi_worker":
        strategy = _multi_worker_strategy()
        description += f", multi-worker over {strategy.num_replicas_in_sync} replicas"
        return description, strategy.scope()
    if distribution == "mirrored":
        if gpus:
            strategy = tf.distribute.MirroredStrategy()
        else:
            cpu = tf.config.list_physical_devices("CPU")[0]
            tf.config.set_logical_device_configuration(
                cpu, [tf.config.LogicalDeviceConfiguration()] * 2
            )
            strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        description += f", mirrored over {strategy.num_replicas_in_sync} replicas"
        return description, strategy.scope()
    return description, _NoScope()


def _multi_worker_strategy() -> Any:
    """``MultiWorkerMirroredStrategy`` with the two reductions Keras 3's ``fit`` asks of it.

    Keras 3 does not run on the collective strategy as it is (keras-team/keras#20585): ``fit``
    reduces its first batch, an ``(images, labels)`` tuple of per-replica values, in one call,
    where the strategy accepts a single value; and it averages every logged metric with
    ``axis=0``, which a scalar does not have. Here each value is reduced apart, and a scalar
    across replicas only.
    """
    import tensorflow as tf

    class KerasReadyStrategy(tf.distribute.MultiWorkerMirroredStrategy):
        def reduce(self, reduce_op, value, axis):  # noqa: ANN001 — TensorFlow's signature
            parent = super()

            def reduce_one(part):  # noqa: ANN001, ANN202
                scalar = all(local.shape.rank == 0
                             for local in self.experimental_local_results(part))
                return parent.reduce(reduce_op, part, None if scalar else axis)

            return tf.nest.map_structure(reduce_one, value)

    return KerasReadyStrategy()


class _NoScope:
    """A context manager that does nothing (the default, single-device strategy)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None
