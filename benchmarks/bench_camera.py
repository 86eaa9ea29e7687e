"""Live camera benchmark: the frames per second the CPU allows for one camera frame prepared,
classified, given its Grad-CAM and drawn over (``annotate_frame``), against the prediction
alone in the same process.

    python benchmarks/bench_camera.py [--repeat 30] [--warmup 5]

A 640x480 frame (a webcam's size) through untrained models of the Look inside families: the
Fashion CNN on 28x28 gray, the Art CNN on 64x64 colour and ResNet-18 on 32x32 colour (the time
does not depend on the weights). Medians of ``--repeat`` calls after ``--warmup``, both ways
taking turns; the load average is printed because the cores are shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLASSES = 6
MODELS = (("fashion_cnn", (28, 28, 1)), ("art_cnn", (64, 64, 3)), ("resnet18", (32, 32, 3)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    arguments = parser.parse_args()

    from cnnviz.inside.live_frame import annotate_frame
    from cnnviz.models.build import build_model
    from cnnviz.models.registry import ARCHITECTURES
    from cnnviz.models.spec import ModelSpec
    from cnnviz.preprocessing import ImageFormat
    from cnnviz.training.inference import run_model_from

    frame = np.random.default_rng(0).integers(0, 255, (480, 640, 3)).astype(np.uint8)
    names = [f"class {index}" for index in range(CLASSES)]
    for architecture, shape in MODELS:
        model = build_model(ModelSpec(architecture=architecture), shape, CLASSES, seed=0).model
        run_model = run_model_from(model, ARCHITECTURES[architecture].outputs_logits,
                                   ImageFormat(*shape))
        ways = {
            "annotated": lambda: annotate_frame(run_model, frame, names),
            "prediction only": lambda: run_model.probabilities(
                run_model.image_format.prepare(frame)[np.newaxis]),
        }
        times: dict[str, list[float]] = {name: [] for name in ways}
        for round_number in range(arguments.warmup + arguments.repeat):
            for name, way in ways.items():
                started = time.perf_counter()
                way()
                if round_number >= arguments.warmup:
                    times[name].append(time.perf_counter() - started)
        annotated = statistics.median(times["annotated"])
        alone = statistics.median(times["prediction only"])
        print(f"{architecture:12s} {shape}: {annotated * 1000:.1f} ms per 640x480 frame "
              f"annotated = {1 / annotated:.1f} frames/s; prediction alone {alone * 1000:.1f} ms "
              f"(annotating costs {annotated / alone:.2f}x); load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
