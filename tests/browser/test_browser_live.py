"""Look inside in real Chromium: the timeline follows a run while the worker trains it, and the
live camera (Chromium's fake camera playing a square) comes back with a prediction drawn over
the video. Screenshots go to ``CNNVIZ_SCREENSHOTS`` for a person to look at;
``CNNVIZ_BROWSER_PORT`` pins the server's port (default: a free one)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training import worker
from cnnviz.training.config import TrainConfig
from tests.helpers.browser import (CHROMIUM, chromium_page, private_folders, running_app,
                                   wait_until_idle)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]
FAKE_CAMERA = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")
VIEWPORT = {"width": 1280, "height": 1400}
EPOCHS = 6  # enough that a 2-second poll finds the run between its first and last epoch


def server_port() -> int | None:
    return int(os.environ["CNNVIZ_BROWSER_PORT"]) if "CNNVIZ_BROWSER_PORT" in os.environ else None


def camera_page(video: Path | None = None):
    """A Chromium page whose camera is Chromium's fake device (``video``: a .y4m it plays)."""
    video_file = () if video is None else (f"--use-file-for-fake-video-capture={video}",)
    return chromium_page(VIEWPORT, (*FAKE_CAMERA, *video_file))


def write_square_video(path: Path, frames: int = 30, width: int = 640,
                       height: int = 480) -> None:
    """A .y4m (YUV 4:2:0, 30 frames per second, a webcam's size) of a white square on mid
    grey: Chromium loops it as the camera, faster than the server can answer."""
    luma = np.full((height, width), 110, np.uint8)
    luma[height // 4:3 * height // 4, width // 2 - height // 4:width // 2 + height // 4] = 235
    chroma = np.full((height // 2, width // 2), 128, np.uint8)
    frame = b"FRAME\n" + luma.tobytes() + chroma.tobytes() + chroma.tobytes()
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
                     + frame * frames)


def trained_shapes_run(epochs: int, per_class: int) -> str:
    config = runs.RunConfig(
        DatasetSpec(source="shapes", shapes_per_class=per_class, image_size=(28, 28),
                    channels=1),
        ModelSpec(architecture="fashion_cnn"),
        TrainConfig(epochs=epochs, batch_size=32), name="live")
    return runs.create_run(config)


def test_the_timeline_follows_a_run_while_it_trains(tmp_path: Path, shots: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    environment = private_folders(tmp_path, monkeypatch)
    with running_app(environment, server_port()) as url, camera_page() as page:
        # The page opens on the queued run before the queue starts it, so however slow the
        # page is to load, it sees the training from its first epoch on.
        run_id = runs.create_run(runs.RunConfig(
            DatasetSpec(source="shapes", shapes_per_class=150, image_size=(28, 28), channels=1),
            ModelSpec(architecture="fashion_cnn"), TrainConfig(epochs=EPOCHS, batch_size=16),
            name="timeline"))
        page.goto(f"{url}/inside?run={run_id}")
        wait_until_idle(page)
        page.get_by_text("Maps that grew during training").wait_for()
        page.get_by_text("The maps appear here as soon as the run starts training.").wait_for()
        runs.schedule()
        # Nobody reloads the page: the section polls the run folder.
        mid_run = re.compile(rf"After epoch \d+ \(of [1-{EPOCHS - 1}] so far\)")
        page.get_by_text(mid_run).wait_for(timeout=240_000)
        page.screenshot(path=shots / "timeline-live.png", full_page=True)
        page.get_by_text(f"(of {EPOCHS} so far)").wait_for(timeout=240_000)
        page.wait_for_function("() => !document.body.innerText.includes('Nothing to look "
                               "inside yet')", timeout=240_000)  # finished: the model is there
        wait_until_idle(page)
        page.screenshot(path=shots / "timeline-finished.png", full_page=True)
        assert runs.read_status(run_id)["state"] in runs.RunState.ENDED

        page.goto(f"{url}/inside?run={run_id}&lang=es")
        wait_until_idle(page)
        page.get_by_text("Mapas que crecieron al entrenar").click()  # closed once finished
        page.get_by_text(f"Tras la época {EPOCHS} (de {EPOCHS} hasta ahora).").wait_for()
        page.wait_for_timeout(1000)  # the expander's opening animation
        page.screenshot(path=shots / "timeline-es.png", full_page=True)


def test_the_live_camera_draws_a_prediction_over_the_video(tmp_path: Path, shots: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys) -> None:
    environment = private_folders(tmp_path, monkeypatch)
    monkeypatch.setattr(runs, "schedule", lambda: None)
    run_id = trained_shapes_run(epochs=4, per_class=100)
    assert worker.main(runs.run_path(run_id)) == 0
    video = tmp_path / "square.y4m"
    write_square_video(video)
    with running_app(environment, server_port()) as url, camera_page(video) as page:
        page.goto(f"{url}/inside?run={run_id}")
        wait_until_idle(page)
        page.locator('[data-testid="stButtonGroup"] button').filter(
            has_text="Live camera").click()
        page.get_by_text("Press Start to send your camera's video").wait_for()
        component = page.frame_locator('iframe[title*="webrtc"]')
        component.get_by_role("button", name="Start").click()
        status = page.get_by_text(re.compile(r"frames per second on this server"))
        status.wait_for(timeout=120_000)
        page.wait_for_timeout(6000)  # a few seconds of frames for the rate
        line = status.inner_text()
        rate = float(re.search(r"([\d.]+) frames per second", line).group(1))
        assert rate > 0
        names = ("circle", "square", "triangle", "star", "cross", "line")
        assert any(name in line for name in names)
        # The video that came back is the annotated one: the black box behind the top-three
        # text sits in the top-left corner, where the camera shows mid grey.
        dark = component.locator("video").evaluate("""video => {
            const canvas = document.createElement('canvas');
            canvas.width = video.videoWidth; canvas.height = video.videoHeight;
            const context = canvas.getContext('2d');
            context.drawImage(video, 0, 0);
            const pixels = context.getImageData(0, 0, 60, 20).data;
            let dark = 0;
            for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 40) dark++;
            return dark / (pixels.length / 4);
        }""")
        assert dark > 0.3, dark
        page.screenshot(path=shots / "live-camera.png", full_page=True)
        with capsys.disabled():
            print(f"\nlive camera: {line} (load {os.getloadavg()[0]:.1f})")
