"""DCGAN benchmark on the real Fashion-MNIST: the training engine against the same
``train_step`` fitted directly, and the sampler page's 8x8 grid, all measured in one process.

    python benchmarks/bench_gan.py [--epochs 2] [--repeat 3] [--images 960] [--samples 20]

The requirement: a DCGAN epoch on Fashion-MNIST in images/s of the engine against the same
``train_step`` run directly in the same run; a new 8x8 grid on the sampler page in under
200 ms warm.

1. Engine: a GAN run (``kind="gan"``, report E's DCGAN, latent 64, Adam 1e-4 with beta_1 0.5,
   batch 32) on the sneakers of Fashion-MNIST (``gan_class="Sneaker"``), created with
   ``runs.create_run`` and trained in this process by ``worker.main``, as the run queue's
   worker would: the ``gan_images`` stream (all classes gathered, sneakers filtered, /255),
   the run's recorders, ``GanMonitor`` and ``GanCheckpoint``. Its images/s come from the run's
   own epoch lines in ``metrics.jsonl`` (the images of an epoch over its ``seconds``).
2. Bare: the same networks (``build_generator``, ``build_discriminator``, ``DCGAN``, the same
   seed and Adam settings) fitted with ``model.fit`` on an in-memory ``tf.data`` of the same
   sneakers /255 (shuffled, batch 32, repeated), as many steps per epoch, no callbacks but a
   timer of the epoch's begin and end (the span the engine's ``seconds`` cover).
   Both sides leave out epoch 1, which holds the tracing of the train function, and average
   epochs 2..``--epochs``. The engine also saves the monitor grid and both networks after every
   epoch, outside its ``seconds``; that gap is printed, and a throughput with it included.
   One epoch of all ~5,100 training sneakers takes 1 to 3 minutes on 2 loaded cores, so the
   dataset is capped with ``DatasetSpec(max_per_class=...)`` to about ``--images`` training
   sneakers (the cap applies per class before the split, so the exact count is printed).
   Engine and bare take turns, engine-bare and bare-engine alternately, for ``--repeat``
   rounds, because the load of the machine drifts; every round's ratio is printed. Beside the
   wall-clock figures, images per CPU-second of this process over the same epochs (a thread
   samples the process's CPU time every 50 ms; the engine's epoch spans come from its metric
   lines) are printed: other processes on the cores shift them much less than wall time.
3. Sampler: ``Generator.generate(latent_batch(seed, 64, 64))`` + ``image_grid(images, 8)``
   with a new seed at every call, as the page draws it, for the generator the last engine run
   saved (28x28x1, loaded as the page loads it); the page then enlarges the grid to 640 pixels
   (printed too). The baseline is ``model.predict`` (Keras's batch loop) + the same grid.
   Each figure is the median of ``--samples`` calls after 3 warm-up calls, the ways taking
   turns; the median CPU time of the process per call is printed too. The report-E generator
   at 64x64x3 (untrained, seed 0) is printed for information, from 3 calls after 1 (a 64x64x3
   grid of 64 takes seconds on 2 cores).

The load average is printed because every figure depends on what else holds the 2 cores.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH_SIZE = 32
LEARNING_RATE = 1e-4
GAN_CLASS = "Sneaker"
GRID_SAMPLES = 64  # the page's default: an 8x8 grid
GRID_COLUMNS = 8
PAGE_SIDE = 640  # the page enlarges the grid to this many pixels
SAMPLER_TARGET_MS = 200.0
SAMPLER_WARMUP = 3
COLOUR_SAMPLES = 3  # a 64x64x3 grid takes seconds on 2 cores: a few calls only
# A class's share of Fashion-MNIST that lands in the training split: 6,000 of its 7,000
# images come from the given training set, and 15 % of those go to validation.
TRAIN_SHARE = 6 / 7 * 0.85


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


class CpuClock:
    """Samples (wall time, CPU time of this process) every ``interval`` seconds in a thread,
    so that the CPU seconds between two wall times can be read afterwards."""

    def __init__(self, interval: float = 0.05) -> None:
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._interval = interval
        self._thread = threading.Thread(target=self._run, daemon=True, name="cpu-clock")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), time.process_time()))
            self._stop.wait(self._interval)

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds of the process between the wall times ``start`` and ``end``."""
        walls, cpus = np.array(self.samples).T
        return float(np.interp(end, walls, cpus) - np.interp(start, walls, cpus))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def dataset_spec(images: int | None):
    from cnnviz.datasets.spec import DatasetSpec

    cap = None if images is None else max(2, math.ceil(images / TRAIN_SHARE))
    return DatasetSpec(source="fashion_mnist", max_per_class=cap)


def sneakers(images: int | None) -> np.ndarray:
    """The training sneakers the engine sees, (n, 28, 28, 1) float32 in [0, 1]."""
    from cnnviz.datasets import load_dataset

    dataset = load_dataset(dataset_spec(images))
    labels = dataset.train.labels
    rows = np.flatnonzero(labels == dataset.class_names.index(GAN_CLASS))
    return dataset.train.batch(rows).astype(np.float32) / 255.0


def engine_run(images: int | None, epochs: int, clock: CpuClock) -> dict:
    """Train one GAN run through ``worker.main``; its epoch figures from ``metrics.jsonl``."""
    from cnnviz import runs
    from cnnviz.models.spec import ModelSpec
    from cnnviz.training import worker
    from cnnviz.training.config import TrainConfig

    config = runs.RunConfig(
        dataset=dataset_spec(images),
        model=ModelSpec(architecture="dcgan", gan_class=GAN_CLASS),
        training=TrainConfig(epochs=epochs, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE),
        kind="gan", name="benchmark: DCGAN engine")
    run_id = runs.create_run(config)
    started = time.perf_counter()
    code = worker.main(runs.run_path(run_id))
    wall = time.perf_counter() - started
    status = runs.read_status(run_id)
    if code != 0 or status.get("state") != runs.RunState.FINISHED:
        raise SystemExit(f"GAN run {run_id} {status.get('state')}: {status.get('error')}\n"
                         f"{status.get('error_detail', '')}")
    rows = runs.read_metrics(run_id)
    epoch_rows = {row["epoch"]: row for row in rows if row["type"] == "epoch"}
    first_batches = {row["epoch"]: row for row in rows
                     if row["type"] == "batch" and row["batch"] == 1}
    # Between the end of epoch e and its first batch line, epoch e + 1 spent the monitor's
    # grid and saves (GanMonitor, GanCheckpoint, after the epoch line) and its own first batch.
    begins = {epoch: row["time"] - BATCH_SIZE / row["images_per_second"]
              for epoch, row in first_batches.items()}  # wall time each epoch began
    gaps = [begins[epoch + 1] - epoch_rows[epoch]["time"] for epoch in range(1, epochs)]
    return {"run_id": run_id, "steps": status["steps_per_epoch"], "wall": wall,
            "seconds": [epoch_rows[epoch]["seconds"] for epoch in range(1, epochs + 1)],
            "cpu": [clock.cpu_between(begins[epoch], epoch_rows[epoch]["time"])
                    for epoch in range(1, epochs + 1)],
            "monitor": statistics.median(gaps) if gaps else math.nan}


def bare_fit(real: np.ndarray, steps: int, epochs: int, clock: CpuClock) -> dict:
    """The same DCGAN fitted directly on the in-memory sneakers; seconds of every epoch."""
    import keras
    import tensorflow as tf

    from cnnviz.gan.networks import DCGAN, build_discriminator, build_generator
    from cnnviz.models.spec import ModelSpec

    keras.utils.set_random_seed(0)
    shape = real.shape[1:]
    gan = DCGAN(build_generator(ModelSpec(architecture="dcgan"), shape),
                build_discriminator(shape), seed=0)
    gan.compile(keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5),
                keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5))
    stream = (tf.data.Dataset.from_tensor_slices(real)
              .shuffle(len(real), seed=0, reshuffle_each_iteration=True)
              .batch(BATCH_SIZE).repeat().prefetch(2))
    seconds: list[float] = []
    spans: list[tuple[float, float]] = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started, self.wall = time.perf_counter(), time.time()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.started)
            spans.append((self.wall, time.time()))

    started = time.perf_counter()
    gan.fit(stream, epochs=epochs, steps_per_epoch=steps, shuffle=False,
            callbacks=[EpochTimer()], verbose=0)
    time.sleep(0.1)  # let the clock sample past the last epoch's end
    return {"seconds": seconds, "wall": time.perf_counter() - started,
            "cpu": [clock.cpu_between(*span) for span in spans]}


def throughput(images: int, seconds: list[float]) -> float:
    """images/s over epochs 2.. (epoch 1 holds the tracing)."""
    return images * (len(seconds) - 1) / sum(seconds[1:])


def medians_ms(functions: dict[str, Callable[[], object]], repeat: int,
               warmup: int) -> dict[str, float]:
    """Median wall-clock milliseconds of each function over ``repeat`` rounds after ``warmup``
    (and, as ``<name>_cpu``, the median CPU milliseconds of the process); the functions take
    turns within each round, so a change of load weighs on all alike."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    times: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, function in functions.items():
            started, cpu = time.perf_counter(), time.process_time()
            function()
            times.setdefault(name, []).append((time.perf_counter() - started) * 1000.0)
            times.setdefault(f"{name}_cpu", []).append((time.process_time() - cpu) * 1000.0)
    return {name: statistics.median(values) for name, values in times.items()}


def sampler(generator, samples: int, warmup: int) -> dict:
    """Warm medians (ms) of a new 8x8 grid: ours, as the page (enlarged), and through predict."""
    import itertools

    from cnnviz.gan.latent import latent_batch
    from cnnviz.gan.samples import image_grid
    from cnnviz.inside.display import enlarge

    seeds = itertools.count(1)

    def ours():
        latents = latent_batch(next(seeds), GRID_SAMPLES, generator.latent_dim)
        return image_grid(generator.generate(latents), GRID_COLUMNS)

    def page():
        return enlarge(ours(), PAGE_SIDE)

    def predict():
        latents = latent_batch(next(seeds), GRID_SAMPLES, generator.latent_dim)
        return image_grid(generator.model.predict(latents, verbose=0), GRID_COLUMNS)

    latents = latent_batch(0, GRID_SAMPLES, generator.latent_dim)
    started = time.perf_counter()
    first = generator.generate(latents)
    first_ms = (time.perf_counter() - started) * 1000.0
    difference = float(np.abs(first - generator.model.predict(latents, verbose=0)).max())
    figures = medians_ms({"ours": ours, "page": page, "predict": predict}, samples, warmup)
    figures.update(first=first_ms, difference=difference)
    return figures


def report_sampler(name: str, figures: dict, target: bool) -> None:
    goal = f" (target < {SAMPLER_TARGET_MS:.0f} ms)" if target else ""
    print(f"new 8x8 grid, {name}: generate + image_grid {figures['ours']:.1f} ms{goal} "
          f"(CPU {figures['ours_cpu']:.0f} ms); with the page's enlarge to {PAGE_SIDE} px "
          f"{figures['page']:.1f} ms")
    print(f"  predict baseline {figures['predict']:.1f} ms (CPU {figures['predict_cpu']:.0f} ms);"
          f" predict / ours {figures['predict'] / figures['ours']:.1f}x; first call after "
          f"loading {figures['first']:.0f} ms; largest difference generate / predict "
          f"{figures['difference']:.2g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=2,
                        help="epochs of every run; epoch 1 is left out (at least 2)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of engine and bare")
    parser.add_argument("--images", type=int, default=960,
                        help="about this many training sneakers; 0: all of them")
    parser.add_argument("--samples", type=int, default=20, help="timed grids per way")
    arguments = parser.parse_args()
    if arguments.epochs < 2 or arguments.repeat < 1:
        parser.error("need --epochs >= 2 (epoch 1 holds the tracing) and --repeat >= 1")

    work = Path(tempfile.mkdtemp(prefix="cnnviz-bench-gan-"))
    os.environ["CNNVIZ_RUNS_DIR"] = str(work / "runs")
    os.environ["CNNVIZ_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        measure(arguments)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the run folders and the data cache


def measure(arguments: argparse.Namespace) -> None:
    """Every figure, printed as it comes."""
    import keras
    import tensorflow as tf

    from cnnviz import runs

    runs.queue._spawn_worker = lambda run_id: None  # every run is trained here, by worker.main

    images = arguments.images or None
    began = time.perf_counter()
    print(f"{os.cpu_count()} cores, TensorFlow {tf.__version__}, Keras {keras.__version__}; "
          f"{load()} at start")
    real = sneakers(images)
    spec = dataset_spec(images)
    count = len(real)
    print(f"report-E DCGAN (latent 64, widths 64/128/256), Fashion-MNIST {GAN_CLASS} only: "
          f"{count} training images (max_per_class={spec.max_per_class}), batch {BATCH_SIZE}, "
          f"Adam {LEARNING_RATE:g} beta_1 0.5, epochs 2..{arguments.epochs} of "
          f"{arguments.epochs} timed, {arguments.repeat} rounds")

    clock = CpuClock()
    rounds: list[dict] = []
    last_run = None
    for round_number in range(1, arguments.repeat + 1):
        order = ("engine", "bare") if round_number % 2 else ("bare", "engine")
        figures = {}
        for side in order:
            if side == "engine":
                run = engine_run(images, arguments.epochs, clock)
                last_run, steps = run["run_id"], run["steps"]
                assert steps == math.ceil(count / BATCH_SIZE), (steps, count)
                figures.update(engine=throughput(count, run["seconds"]),
                               engine_cpu=throughput(count, run["cpu"]),
                               monitor=run["monitor"], engine_wall=run["wall"])
            else:
                fitted = bare_fit(real, math.ceil(count / BATCH_SIZE), arguments.epochs, clock)
                figures.update(bare=throughput(count, fitted["seconds"]),
                               bare_cpu=throughput(count, fitted["cpu"]),
                               bare_wall=fitted["wall"])
        figures["ratio"] = figures["engine"] / figures["bare"]
        figures["cpu_ratio"] = figures["engine_cpu"] / figures["bare_cpu"]
        with_monitor = count / (count / figures["engine"] + figures["monitor"])
        figures["with_monitor"] = with_monitor / figures["bare"]
        rounds.append(figures)
        print(f"round {round_number} ({' then '.join(order)}): engine "
              f"{figures['engine']:.1f} images/s, bare fit {figures['bare']:.1f} images/s, "
              f"engine / bare {figures['ratio']:.3f} ({figures['with_monitor']:.3f} with the "
              f"end-of-epoch monitor, {figures['monitor']:.2f} s); per CPU-second "
              f"{figures['engine_cpu']:.1f} / {figures['bare_cpu']:.1f} = "
              f"{figures['cpu_ratio']:.3f}; wall {figures['engine_wall']:.0f} s worker.main, "
              f"{figures['bare_wall']:.0f} s fit; {load()}")
    clock.stop()

    def median(name: str) -> float:
        return statistics.median(figures[name] for figures in rounds)

    def listed(name: str) -> str:
        return ", ".join(f"{figures[name]:.3f}" for figures in rounds)

    print(f"engine throughput (median of rounds):   {median('engine'):8.1f} images/s")
    print(f"bare fit throughput (median of rounds): {median('bare'):8.1f} images/s")
    print(f"engine / bare (median of round ratios): {median('ratio'):8.3f} "
          f"(rounds: {listed('ratio')})")
    print(f"  with the end-of-epoch monitor:        {median('with_monitor'):8.3f} "
          f"(monitor: grid + 2 saves, {median('monitor'):.2f} s per epoch, outside its seconds)")
    print(f"engine / bare per CPU-second:           {median('cpu_ratio'):8.3f} "
          f"(rounds: {listed('cpu_ratio')}; {median('engine_cpu'):.1f} / "
          f"{median('bare_cpu'):.1f} images per CPU-second)")

    from cnnviz.gan.networks import build_generator
    from cnnviz.models.spec import ModelSpec
    from cnnviz.gan.generator import Generator, load_generator

    print(f"sampler, median of {arguments.samples} after {SAMPLER_WARMUP} warm-up calls; "
          f"{load()}")
    trained = sampler(load_generator(last_run), arguments.samples, SAMPLER_WARMUP)
    report_sampler("28x28x1 (the trained generator of the last engine run)", trained, True)
    keras.utils.set_random_seed(0)
    colour = sampler(Generator(build_generator(ModelSpec(architecture="dcgan"), (64, 64, 3))),
                     COLOUR_SAMPLES, 1)
    report_sampler(f"64x64x3 (information, untrained; median of {COLOUR_SAMPLES} after 1)",
                   colour, False)
    print(f"sampler target: {'met' if trained['ours'] < SAMPLER_TARGET_MS else 'NOT met'}")
    print(f"total {time.perf_counter() - began:.0f} s; {load()} at end")


if __name__ == "__main__":
    main()
