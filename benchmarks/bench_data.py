"""Data-layer benchmark: first and cached load of a 20,000-image folder, and the peak memory
of one streamed training epoch against the in-memory load of the same folder.

    python benchmarks/bench_data.py [--images 20000] [--size 128] [--keep]

Every figure is measured in this one run; the memory figures come from two child processes
(peak resident memory is per process), each reporting its own peak above its own baseline
taken after every library is imported. Both storages are prepared before the children start
(the memory cache and the stream index), so the children measure one training epoch only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH_SIZE = 64


def make_folder(root: Path, images: int, size: int) -> None:
    """``images`` JPEG files of ``size`` x ``size``, one folder per shape class."""
    from cnnviz.datasets.shapes import generate_shapes

    written = 0
    chunk = 0
    while written < images:
        raw = generate_shapes(100, (size, size), seed=chunk)
        for array, label in zip(raw.arrays, raw.labels):
            if written == images:
                break
            folder = root / raw.class_names[label]
            folder.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(folder / f"{written:06d}.jpg"), cv2.cvtColor(array, cv2.COLOR_RGB2BGR))
            written += 1
        chunk += 1
    print(f"generated {written} images of {size}x{size} in {root}")


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def child(storage: str, size: int) -> None:
    """Load the folder with ``storage`` and run one training epoch; print memory as JSON."""
    import tensorflow as tf  # noqa: F401  (every import happens before the baseline)

    from cnnviz.datasets import DatasetSpec, load_dataset
    from cnnviz.datasets.pipeline import make_tf_dataset
    from cnnviz.datasets.splits import assign_splits  # noqa: F401  (pulls in scikit-learn)

    baseline = current_rss_bytes()
    started = time.perf_counter()
    dataset = load_dataset(DatasetSpec(source="folder", path="bench", image_size=(size, size),
                                       storage=storage))
    images = 0
    for batch, _ in make_tf_dataset(dataset, "train", BATCH_SIZE, training=True):
        images += int(batch.shape[0])
    print(json.dumps({
        "storage": dataset.storage,
        "images": images,
        "seconds": time.perf_counter() - started,
        "peak_above_baseline": peak_rss_bytes() - baseline,
        "peak": peak_rss_bytes(),
    }))


def run_child(storage: str, size: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", storage, "--size", str(size)],
        capture_output=True, text=True, check=True, env=os.environ.copy(),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument("--child", choices=["memory", "stream"])
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.size)
        return

    work = Path(tempfile.mkdtemp(prefix="cnnviz-bench-data-"))
    os.environ["CNNVIZ_DATA_DIR"] = str(work)
    os.environ["CNNVIZ_DATA_ROOTS"] = str(work)
    try:
        make_folder(work / "bench", arguments.images, arguments.size)
        from cnnviz.datasets import DatasetSpec, load_dataset

        spec = DatasetSpec(source="folder", path="bench",
                           image_size=(arguments.size, arguments.size), storage="memory")
        started = time.perf_counter()
        first = load_dataset(spec)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        load_dataset(spec)
        cached_seconds = time.perf_counter() - started
        started = time.perf_counter()
        load_dataset(dataclasses.replace(spec, storage="stream"))
        index_seconds = time.perf_counter() - started
        count = len(first.train) + len(first.validation) + len(first.test)
        print(f"images loaded:            {count} ({len(first.skipped)} skipped)")
        print(f"first load (decode+cache): {first_seconds:8.2f} s")
        print(f"cached load:               {cached_seconds:8.2f} s")
        print(f"first / cached:            {first_seconds / cached_seconds:8.1f}x")
        print(f"stream index (headers):    {index_seconds:8.2f} s")

        memory = run_child("memory", arguments.size)
        stream = run_child("stream", arguments.size)
        mib = 1024 * 1024
        for result in (memory, stream):
            print(f"{result['storage']:>6} epoch: {result['images']} images in "
                  f"{result['seconds']:.1f} s, peak {result['peak'] / mib:.0f} MiB, "
                  f"{result['peak_above_baseline'] / mib:.0f} MiB above the baseline after imports")
        ratio = stream["peak_above_baseline"] / memory["peak_above_baseline"]
        print(f"streamed / in-memory peak memory above baseline: {ratio:.3f}")
    finally:
        if arguments.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
