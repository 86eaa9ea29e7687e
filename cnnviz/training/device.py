"""Device set-up for a worker: GPU memory growth, mixed precision, distribution strategy."""

from __future__ import annotations

from typing import Any


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
        description = "CPU only"
    if mixed_precision and gpus:
        import keras

        keras.mixed_precision.set_global_policy("mixed_float16")
        description += " (mixed precision)"
    if distribution == "multi_worker":
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
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


class _NoScope:
    """A context manager that does nothing (the default, single-device strategy)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None
