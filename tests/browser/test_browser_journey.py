"""The main journey in real Chromium: home -> shapes dataset -> Fashion CNN -> train one epoch
-> live chart -> finished -> run list. Screenshots of every page at desktop and phone width go
to ``CNNVIZ_SCREENSHOTS`` (default: a temporary folder) for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.browser import (CHROMIUM, DESKTOP, PHONE, chromium_page, private_folders,
                                   running_app, wait_until_idle)
from tests.helpers.imagefiles import write_image
from tests.helpers.run_folders import make_evaluated_run, make_gan_run, make_trained_run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]


@pytest.fixture
def app_url(tmp_path: Path):
    environment = {"CNNVIZ_DATA_DIR": str(tmp_path / "data"),
                   "CNNVIZ_RUNS_DIR": str(tmp_path / "runs"),
                   "CNNVIZ_DATA_ROOTS": str(tmp_path / "data")}
    with running_app(environment) as url:
        yield url


def test_train_on_shapes_from_the_home_page(app_url: str, shots: Path) -> None:
    with chromium_page(DESKTOP) as page:
        page.goto(app_url)
        wait_until_idle(page)
        page.get_by_role("button", name="Explore the shapes dataset").click()
        page.get_by_text("images in 6 classes").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "dataset-desktop.png", full_page=True)

        page.get_by_role("link", name="Model").click()
        page.get_by_text("How the feature map shrinks").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "model-desktop.png", full_page=True)

        page.get_by_role("link", name="Train").click()
        page.get_by_text("The next run trains:").wait_for()
        epochs = page.get_by_role("spinbutton", name="Epochs")
        epochs.fill("1")
        epochs.press("Enter")
        wait_until_idle(page)
        page.get_by_role("button", name="Start training").click()
        page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=120_000)
        page.screenshot(path=shots / "training-live-desktop.png", full_page=True)
        page.get_by_text("Test accuracy:").wait_for(timeout=180_000)
        wait_until_idle(page)
        assert page.get_by_text("finished").count() >= 1
        page.screenshot(path=shots / "training-finished-desktop.png", full_page=True)

        page.get_by_role("link", name="Evaluation").click()
        click_a_confusion_cell(page, shots / "evaluation-desktop.png")

        page.get_by_role("link", name="Embedding").click()
        page.locator(".js-plotly-plot").first.wait_for()
        wait_until_idle(page)
        page.get_by_text("Place your own image on the map").click()
        drawing = shots.parent / "upload-circle.png"
        write_image(drawing, (64, 64), value=30)
        page.locator('input[type="file"]').set_input_files(drawing)
        page.get_by_text("The network says:").wait_for(timeout=120_000)
        wait_until_idle(page)
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 1
        page.screenshot(path=shots / "embedding-desktop.png", full_page=True)

        page.get_by_role("link", name="Home").click()
        page.get_by_text("Recent runs").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "home-desktop.png", full_page=True)

    with chromium_page(PHONE) as phone:
        for name, path in (("home", ""), ("dataset", "dataset"), ("train", "train")):
            phone.goto(f"{app_url}/{path}")
            wait_until_idle(phone)
            phone.screenshot(path=shots / f"{name}-phone.png", full_page=True)
        phone.goto(f"{app_url}/?lang=es")
        phone.get_by_text("Ejecuciones recientes").wait_for()
        wait_until_idle(phone)
        phone.screenshot(path=shots / "home-phone-es.png", full_page=True)


def click_a_confusion_cell(page, screenshot: Path) -> None:
    """Click the last non-empty cell of the confusion matrix; its images must appear.

    A mouse click lands only inside the window: after a run near chance the page's notice
    pushes the matrix's last row below the fold, so the matrix is scrolled into view first."""
    page.locator(".js-plotly-plot").first.wait_for()
    wait_until_idle(page)
    x, y, true, predicted = page.evaluate("""() => {
        const chart = document.querySelectorAll('.js-plotly-plot')[0];
        chart.scrollIntoView({block: 'center'});
        const cells = chart._fullData[1];
        const last = cells.x.length - 1;
        const xaxis = chart._fullLayout.xaxis, yaxis = chart._fullLayout.yaxis;
        const box = chart.getBoundingClientRect();
        return [box.left + xaxis._offset + xaxis.d2p(cells.x[last]),
                box.top + yaxis._offset + yaxis.d2p(cells.y[last]), cells.y[last], cells.x[last]];
    }""")
    assert 0 < y < page.viewport_size["height"], "the cell to click is outside the window"
    page.mouse.click(x, y)
    page.get_by_text(f"{true} predicted as {predicted}:").wait_for()
    wait_until_idle(page)
    assert page.locator('[data-testid="stImage"]').count() >= 1
    page.set_viewport_size({"width": DESKTOP["width"], "height": 2000})
    page.wait_for_timeout(1000)
    page.screenshot(path=screenshot)
    page.set_viewport_size(DESKTOP)


def test_a_shared_evaluation_link_opens_inside_the_app(tmp_path: Path, shots: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh server, a link straight to a run's evaluation: the shell (navigation, sidebar)
    is there, the run is open and its confusion matrix answers clicks."""
    from cnnviz.datasets.spec import DatasetSpec

    environment = private_folders(tmp_path, monkeypatch)
    run_id = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=30,
                                            image_size=(32, 32)), accuracy=0.7)
    with running_app(environment) as url, chromium_page(DESKTOP) as page:
        page.goto(f"{url}/evaluation?run={run_id}")
        page.get_by_text("Current run").wait_for()
        assert page.get_by_role("link", name="Compare").count() == 1
        click_a_confusion_cell(page, shots / "evaluation-shared-link-desktop.png")


@pytest.mark.parametrize("language, says", [("en", "The network says"), ("es", "La red dice")])
def test_look_inside_an_upload_and_a_drawing(tmp_path: Path, shots: Path, language: str,
                                             says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upload an image: its prediction and feature maps appear; draw with the mouse on the
    canvas: the drawing is classified; Grad-CAM overlays the evidence."""
    from cnnviz.datasets.spec import DatasetSpec

    environment = private_folders(tmp_path, monkeypatch)
    run_id = make_trained_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                          image_size=(32, 32)))
    upload = tmp_path / "upload-square.png"
    write_image(upload, (64, 64), value=200)
    with running_app(environment) as url, chromium_page({"width": 1280, "height": 1600}) as page:
        page.goto(f"{url}/inside?run={run_id}&lang={language}")
        wait_until_idle(page)
        page.locator('input[type="file"]').set_input_files(upload)
        page.get_by_text(says).wait_for(timeout=120_000)
        wait_until_idle(page)
        tiles = page.locator('[data-testid="stImage"]').filter(has_text="conv1 · Conv2D")
        assert tiles.count() == 1 and tiles.locator("img").first.is_visible()
        page.screenshot(path=shots / f"inside-upload-{language}.png", full_page=True)

        page.get_by_role("tab").nth(3).click()  # Grad-CAM
        page.locator('[data-testid="stImage"] img').nth(1).wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / f"inside-gradcam-{language}.png", full_page=True)

        page.locator('[data-testid="stButtonGroup"] button').nth(2).click()  # Draw
        wait_until_idle(page)
        assert page.get_by_text(says).count() == 0
        canvas = page.locator("canvas").last
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 60, box["y"] + 60)
        page.mouse.down()
        for step in range(1, 40):
            page.mouse.move(box["x"] + 60 + 4 * step, box["y"] + 60 + 4 * step)
        page.mouse.up()
        page.get_by_text(says).wait_for(timeout=60_000)
        wait_until_idle(page)
        page.screenshot(path=shots / f"inside-drawing-{language}.png", full_page=True)


def test_gan_noise_slider_changes_the_image(tmp_path: Path, shots: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A finished GAN: its monitor timeline, a sampler grid, and a noise slider moved with the
    keyboard redraws the sample."""
    from cnnviz import runs
    from cnnviz.datasets.spec import DatasetSpec

    environment = private_folders(tmp_path, monkeypatch)
    monkeypatch.setattr(runs.queue, "_spawn_worker", lambda run_id: None)
    run_id = make_gan_run("finished", DatasetSpec(source="shapes", shapes_per_class=8,
                                                  image_size=(16, 16), channels=1), epochs=2)
    with running_app(environment) as url, chromium_page({"width": 1280, "height": 1400}) as page:
        page.goto(f"{url}/gan?run={run_id}")
        page.get_by_text("The same noise, drawn after each epoch").wait_for(timeout=120_000)
        wait_until_idle(page)
        page.screenshot(path=shots / "gan-training-desktop.png", full_page=True)

        page.get_by_role("tab", name="Sampler").click()
        page.get_by_text("64 images from seed 0").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "gan-sampler-desktop.png", full_page=True)

        page.get_by_role("tab", name="Noise sliders").click()
        page.get_by_text("Noise value 1").wait_for()
        wait_until_idle(page)
        picture = page.locator('[data-testid="stImage"] img').first
        before = picture.get_attribute("src")
        thumb = page.get_by_role("slider").nth(0)
        thumb.focus()
        for _ in range(20):
            thumb.press("ArrowRight")
        page.wait_for_function(
            "(before) => document.querySelector('[data-testid=\"stImage\"] img').src"
            " .endsWith(before) === false", arg=before, timeout=60_000)
        wait_until_idle(page)
        assert picture.get_attribute("src") != before
        page.screenshot(path=shots / "gan-sliders-desktop.png", full_page=True)


def test_embedding_shows_an_image_on_hover(tmp_path: Path, shots: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With "Images on hover" the map is drawn by plotly.js served from the app; moving the
    mouse onto a point shows that test image and its labels."""
    from cnnviz.datasets.spec import DatasetSpec

    environment = private_folders(tmp_path, monkeypatch)
    run_id = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=30,
                                            image_size=(32, 32)), accuracy=0.7)
    with running_app(environment) as url, chromium_page({"width": 1280, "height": 1100}) as page:
        page.goto(f"{url}/embedding?run={run_id}")
        page.get_by_text("Images on hover").wait_for(timeout=120_000)
        wait_until_idle(page)
        page.get_by_text("Images on hover").click()
        frame_element = page.locator("iframe").first
        frame_element.wait_for(timeout=60_000)
        frame = frame_element.element_handle().content_frame()
        chart = frame.locator(".js-plotly-plot")
        chart.wait_for(timeout=60_000)
        frame.wait_for_function("() => document.querySelector('.js-plotly-plot')._fullLayout")
        x, y = chart.evaluate("""plot => {
            const layout = plot._fullLayout, trace = plot._fullData[0];
            return [layout.xaxis._offset + layout.xaxis.l2p(trace.x[0]),
                    layout.yaxis._offset + layout.yaxis.l2p(trace.y[0])]; }""")
        box = frame_element.bounding_box()
        page.mouse.move(box["x"] + x + 4, box["y"] + y + 4)
        page.mouse.move(box["x"] + x, box["y"] + y)
        frame.wait_for_function("""() => [...document.body.children].some(
            element => element.style.display === 'block' && element.textContent.includes('→'))""",
                                timeout=30_000)
        page.screenshot(path=shots / "embedding-hover-desktop.png")


def test_step_the_convolution_explainer(app_url: str, shots: Path) -> None:
    """Step the window with the keyboard: the sum under the grids follows it, cell by cell."""
    with chromium_page({"width": 1280, "height": 1500}) as page:
        page.goto(f"{app_url}/explainer")
        page.get_by_text("How a convolution works").wait_for(timeout=120_000)
        wait_until_idle(page)
        sums = page.locator('[data-testid="stCode"]').first
        assert sums.inner_text().strip().endswith("= 1")  # identity kernel, first window
        step = page.get_by_role("slider", name="Step of the window")
        step.focus()
        for _ in range(4):
            step.press("ArrowRight")
        page.get_by_text("row 2, column 2").wait_for(timeout=60_000)
        wait_until_idle(page)
        assert sums.inner_text().strip().endswith("= 1")
        assert "1×1" in sums.inner_text()
        page.screenshot(path=shots / "explainer-desktop.png")


@pytest.mark.parametrize("language", ["en", "es"])
def test_run_report_d_on_its_stand_in(tmp_path: Path, shots: Path, language: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """One click starts report D's five runs on the digits stand-in; when the first ends, the
    report's accuracy stands beside the run's."""
    from cnnviz import runs

    english = language == "en"
    with running_app(private_folders(tmp_path, monkeypatch)) as url, \
            chromium_page({"width": 1280, "height": 1600}) as page:
        page.goto(f"{url}/reports?lang={language}")
        wait_until_idle(page)
        page.get_by_text("D · Fashion-MNIST").click()
        expected = page.get_by_text("Expected on this machine: about" if english
                                    else "Previsto en esta máquina: unos")
        expected.wait_for(timeout=300_000)  # the real Fashion-MNIST read, five networks timed
        wait_until_idle(page)
        page.get_by_text("A stand-in that is on this machine" if english
                         else "Un sustituto que está en esta máquina").click()
        page.get_by_text("scikit-learn").wait_for(timeout=120_000)
        expected.wait_for(timeout=300_000)
        wait_until_idle(page)
        page.screenshot(path=shots / f"reports-plan-{language}.png", full_page=True)
        page.get_by_role("button", name="Start the 5 runs" if english
                         else "Iniciar las 5 ejecuciones").click()
        page.get_by_text("report ~83.0 %" if english else "informe ~83.0 %").wait_for(
            timeout=300_000)
        wait_until_idle(page)
        page.screenshot(path=shots / f"reports-result-{language}.png", full_page=True)
        finished = [run for run in runs.list_runs() if run["status"].get("state") == "finished"]
        assert finished[0]["name"] == "Report D: model 1 (lr 1e-3, batch 64, 5 epochs) [stand-in]"
        assert 0.0 < finished[0]["metrics"]["accuracy"] <= 1.0
        for run in runs.list_runs():
            if run["status"].get("state") in runs.RunState.ACTIVE:
                runs.request_stop(run["run_id"])
        for _ in range(120):
            if not any(run["status"].get("state") in runs.RunState.ACTIVE
                       for run in runs.list_runs()):
                break
            page.wait_for_timeout(1000)


def test_look_inside_what_filters_look_for_and_attribution(tmp_path: Path, shots: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A run really trained by the worker (the home page's shapes quick start, a minute):
    a test image, then what the first layer's filters look for with their strongest test
    images, what each class looks like, and the five attribution maps; in Spanish, the stored
    pictures come back without computing again."""
    from cnnviz import runs
    from cnnviz.presets import QUICK_START_SHAPES
    from cnnviz.training import worker

    environment = private_folders(tmp_path, monkeypatch)
    monkeypatch.setattr(runs.queue, "_spawn_worker", lambda run_id: None)
    run_id = runs.create_run(QUICK_START_SHAPES.config)
    assert worker.main(runs.run_path(run_id)) == 0
    with running_app(environment, port=8601) as url, \
            chromium_page({"width": 1280, "height": 1600}) as page:
        page.goto(f"{url}/inside?run={run_id}&lang=en")
        wait_until_idle(page)
        page.locator('[data-testid="stButtonGroup"] button').nth(3).click()  # a test image
        page.get_by_text("The network says").wait_for(timeout=120_000)
        wait_until_idle(page)

        page.get_by_role("tab", name="What filters look for").click()
        page.get_by_role("button", name="Find what they look for").click()
        page.get_by_text("filter 7: the 9 test images that excite it most").wait_for(
            timeout=300_000)
        wait_until_idle(page)
        page.screenshot(path=shots / "inside-features-en.png", full_page=True)

        page.get_by_role("tab", name="What classes look like").click()
        page.get_by_role("button", name="Find what they look for").click()
        page.locator('[data-testid="stImage"]').filter(has_text="triangle").wait_for(
            timeout=300_000)
        wait_until_idle(page)
        page.screenshot(path=shots / "inside-classes-en.png", full_page=True)

        page.get_by_role("tab", name="Attribution").click()
        page.get_by_text("steps) add up to").wait_for(timeout=120_000)
        wait_until_idle(page)
        # Five maps in the open tab (the image itself and the training timeline sit above it).
        assert page.locator('[role="tabpanel"]:visible [data-testid="stImage"]').count() == 5
        page.screenshot(path=shots / "inside-attribution-en.png", full_page=True)

        page.goto(f"{url}/inside?run={run_id}&lang=es")
        wait_until_idle(page)
        page.locator('[data-testid="stButtonGroup"] button').nth(3).click()
        page.get_by_text("La red dice").wait_for(timeout=120_000)
        page.get_by_role("tab", name="Qué buscan los filtros").click()
        page.get_by_text("filtro 7: las 9 imágenes de test que más lo activan").wait_for(
            timeout=60_000)
        assert page.get_by_role("button", name="Buscar qué buscan").count() == 0
        wait_until_idle(page)
        page.screenshot(path=shots / "inside-features-es.png", full_page=True)
        page.get_by_role("tab", name="Atribución").click()
        page.get_by_text("pasos) suman").wait_for(timeout=120_000)
        wait_until_idle(page)
        page.screenshot(path=shots / "inside-attribution-es.png", full_page=True)
