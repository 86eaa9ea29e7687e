"""Fashion-MNIST variants behind the "best in 10 minutes" preset (issue 18): one network and
recipe per call, trained in plain Keras on the real Fashion-MNIST (Debian's copy), 95 % of the
training images, printing the test accuracy after every epoch (plain and with flip test-time
augmentation) and, at the end, with shifted copies averaged.

    python benchmarks/fashion_variants.py --net preset --epochs 24 --ls 0.1 [--threads 1]
    python benchmarks/fashion_variants.py --net wide --steps 150      # throughput only

The networks are written out here (convolution, batch normalisation, ReLU) rather than built
by the app, so one script can try recipes the app does not offer; the preset the table leads to
is then measured through the app's own worker (bench_training.py). ``t`` counts training
only: the per-epoch test predictions are left out. Accuracy does not depend on the load, so
variants can run side by side with ``--threads 1``; throughput needs a quiet machine.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import layers as L

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cnnviz.datasets.builtin import fashion_mnist_folders, read_idx_folder  # noqa: E402


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities of a batch of logits (n, classes)."""
    shifted = np.exp(logits - logits.max(1, keepdims=True))
    return shifted / shifted.sum(1, keepdims=True)


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--net", default="preset")
parser.add_argument("--epochs", type=int, default=12)
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--lr", type=float, default=2e-3)
parser.add_argument("--opt", default="adam")
parser.add_argument("--sched", default="cosine")
parser.add_argument("--ls", type=float, default=0.0)
parser.add_argument("--bf16", action="store_true")
parser.add_argument("--jit", default="auto")
parser.add_argument("--flip", action="store_true")
parser.add_argument("--shift", type=int, default=0)
parser.add_argument("--erase", type=float, default=0.0)
parser.add_argument("--steps", type=int, default=0, help="throughput only: time this many steps")
parser.add_argument("--threads", type=int, default=0)
parser.add_argument("--wd", type=float, default=0.0)
parser.add_argument("--out", default="")
parser.add_argument("--ema", action="store_true")
parser.add_argument("--l2", type=float, default=0.0)
args = parser.parse_args()
if args.threads:
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)

if args.bf16:
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
keras.utils.set_random_seed(0)
xtr, ytr, xte, yte = read_idx_folder(fashion_mnist_folders()[-1])
xtr = (xtr.astype("float32") / 255.0)[..., None]
xte = (xte.astype("float32") / 255.0)[..., None]
rng = np.random.default_rng(0)
idx = rng.permutation(len(xtr))
keep = idx[: int(0.95 * len(xtr))]
xtr, ytr = xtr[keep], ytr[keep]


def reg():
    return keras.regularizers.L2(args.l2) if args.l2 else None


def conv(x, f, k=3, pad="valid"):
    x = L.Conv2D(f, k, padding=pad, use_bias=False, kernel_regularizer=reg())(x)
    x = L.BatchNormalization()(x)
    return L.ReLU()(x)


def build(name):
    i = keras.Input((28, 28, 1))
    x = i
    # "preset_same": the first convolution keeps the 28x28 border; "preset_d512": a dense
    # layer twice as wide.
    if name in ("preset", "preset_same", "preset_d512"):
        x = conv(x, 32, pad="same" if name == "preset_same" else "valid")
        x = L.MaxPooling2D()(x)
        x = conv(x, 64)
        x = conv(x, 64)
        x = L.MaxPooling2D()(x)
        x = L.Dropout(0.25)(x)
        x = L.Flatten()(x)
        x = L.Dense(512 if name == "preset_d512" else 256, activation="relu",
                    kernel_regularizer=reg())(x)
        x = L.Dropout(0.4)(x)
    elif name == "vgg_s":  # 32-32 | 64-64 same, two pools
        x = conv(x, 32, pad="same")
        x = conv(x, 32, pad="same")
        x = L.MaxPooling2D()(x)
        x = L.Dropout(0.2)(x)
        x = conv(x, 64, pad="same")
        x = conv(x, 64, pad="same")
        x = L.MaxPooling2D()(x)
        x = L.Dropout(0.3)(x)
        x = L.Flatten()(x)
        x = L.Dense(256, activation="relu", kernel_regularizer=reg())(x)
        x = L.Dropout(0.4)(x)
    elif name == "wide":  # 48 | 96-96, valid
        x = conv(x, 48)
        x = L.MaxPooling2D()(x)
        x = conv(x, 96)
        x = conv(x, 96)
        x = L.MaxPooling2D()(x)
        x = L.Dropout(0.25)(x)
        x = L.Flatten()(x)
        x = L.Dense(256, activation="relu", kernel_regularizer=reg())(x)
        x = L.Dropout(0.4)(x)
    elif name == "three":  # 32 | 64-64 | 128, gap-free
        x = conv(x, 32, pad="same")
        x = L.MaxPooling2D()(x)
        x = conv(x, 64, pad="same")
        x = conv(x, 64, pad="same")
        x = L.MaxPooling2D()(x)
        x = conv(x, 128, pad="same")
        x = conv(x, 128, pad="same")
        x = L.MaxPooling2D()(x)
        x = L.Dropout(0.25)(x)
        x = L.Flatten()(x)
        x = L.Dense(256, activation="relu", kernel_regularizer=reg())(x)
        x = L.Dropout(0.4)(x)
    else:
        raise SystemExit(name)
    o = L.Dense(10, dtype="float32", kernel_regularizer=reg())(x)
    return keras.Model(i, o)


model = build(args.net)
steps = len(xtr) // args.batch
total = steps * args.epochs
if args.sched == "onecycle":
    warm = int(0.25 * total)
    lr = keras.optimizers.schedules.CosineDecay(
        args.lr / 10, decay_steps=total - warm, warmup_target=args.lr, warmup_steps=warm, alpha=0.0
    )
elif args.sched == "cosine":
    lr = keras.optimizers.schedules.CosineDecay(args.lr, decay_steps=total)
else:
    lr = args.lr
ek = dict(use_ema=True, ema_momentum=0.99) if args.ema else {}
opt = {
    "adam": lambda: keras.optimizers.Adam(lr, **ek),
    "adamw": lambda: keras.optimizers.AdamW(lr, weight_decay=args.wd),
    "sgd": lambda: keras.optimizers.SGD(lr, momentum=0.9),
}[args.opt]()
loss = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=args.ls)
jit = {"auto": "auto", "1": True, "0": False}[args.jit]
model.compile(opt, loss, metrics=["accuracy"], jit_compile=jit)
print("params", model.count_params(), flush=True)


def augment(x, y):
    if args.flip:
        x = tf.image.random_flip_left_right(x)
    if args.shift:
        s = args.shift
        x = tf.pad(x, [[0, 0], [s, s], [s, s], [0, 0]])
        x = tf.image.random_crop(x, [tf.shape(x)[0], 28, 28, 1])
    if args.erase:
        b = tf.shape(x)[0]
        cy = tf.random.uniform([b, 1, 1, 1], 0, 28, dtype=tf.int32)
        cx = tf.random.uniform([b, 1, 1, 1], 0, 28, dtype=tf.int32)
        r = tf.range(28)
        my = tf.abs(r[None, :, None, None] - cy) < 5
        mx = tf.abs(r[None, None, :, None] - cx) < 5
        on = tf.random.uniform([b, 1, 1, 1]) < args.erase
        x = tf.where(my & mx & on, 0.0, x)
    return x, y


yoh = keras.utils.to_categorical(ytr, 10)
ds = (
    tf.data.Dataset.from_tensor_slices((xtr, yoh))
    .shuffle(len(xtr), seed=0, reshuffle_each_iteration=True)
    .batch(args.batch, drop_remainder=True)
)
if args.flip or args.shift or args.erase:
    ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
ds = ds.prefetch(tf.data.AUTOTUNE)
if args.steps:
    it = iter(ds.repeat())
    for _ in range(10):
        model.train_on_batch(*next(it))
    t = time.perf_counter()
    for _ in range(args.steps):
        model.train_on_batch(*next(it))
    dt = time.perf_counter() - t
    print(
        json.dumps(
            {
                "net": args.net,
                "batch": args.batch,
                "bf16": args.bf16,
                "jit": args.jit,
                "img_per_s": round(args.steps * args.batch / dt),
                "epoch_s": round(len(xtr) / (args.steps * args.batch / dt), 1),
            }
        ),
        flush=True,
    )
    raise SystemExit
t0 = time.perf_counter()
spent = [0.0]


class TestAccuracyLogger(keras.callbacks.Callback):
    """Prints the test accuracy after every epoch; its own time is left out of ``t``."""

    def on_epoch_end(self, e, logs=None):
        c0 = time.perf_counter()
        pr = model.predict(xte, batch_size=512, verbose=0)
        acc = float((pr.argmax(1) == yte).mean())
        pf = model.predict(xte[:, :, ::-1], batch_size=512, verbose=0)
        tta = float(((softmax(pr) + softmax(pf)).argmax(1) == yte).mean())
        spent[0] += time.perf_counter() - c0
        print(
            json.dumps(
                {
                    "epoch": e + 1,
                    "t": round(time.perf_counter() - t0 - spent[0], 1),
                    "loss": round(logs["loss"], 4),
                    "train_acc": round(logs["accuracy"], 4),
                    "test": acc,
                    "test_tta": tta,
                }
            ),
            flush=True,
        )


model.fit(ds, epochs=args.epochs, verbose=0, callbacks=[TestAccuracyLogger()])


def probs(x):
    return softmax(model.predict(x, batch_size=512, verbose=0))


def shifted(x, dy, dx):
    return np.roll(np.roll(x, dy, axis=1), dx, axis=2)


base = probs(xte)
final = float((base.argmax(1) == yte).mean())
shifts = [probs(shifted(xte, dy, dx)) for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1))]
tta5 = float(((base + sum(shifts)).argmax(1) == yte).mean())
tta3 = float(((base + shifts[2] + shifts[3]).argmax(1) == yte).mean())
print(json.dumps({"final": final, "tta_shift5": tta5, "tta_shift_lr3": tta3}), flush=True)
if args.out:
    model.save(args.out)
print("done", round(time.perf_counter() - t0, 1), "final_test", final, flush=True)
