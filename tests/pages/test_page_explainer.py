"""The convolution explainer through AppTest: every input, stepping the window, editing the
kernel, pooling, a trained filter of the current run, bad cells, and Spanish."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cnnviz.datasets.spec import DatasetSpec
from tests.helpers.run_folders import make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run



def formulas(app: AppTest) -> list[str]:
    return [block.value for block in app.code]


def test_report_d_grid_step_by_step(folders) -> None:
    app = open_run("pages/explainer.py", None)
    assert "= **3**" in texts(app)  # output size of a 3x3 kernel on the 5x5 grid
    assert formulas(app)[0].endswith("= 1")  # identity kernel at the first window: the centre
    step = app.slider(key="explain_step")
    assert (step.min, step.max) == (1, 9)
    app.selectbox[0].set_value("diagonal").run()
    app.slider(key="explain_step").set_value(5).run()
    assert "row 2, column 2" in texts(app)
    assert formulas(app)[0].endswith("= 3")
    assert len(app.get("plotly_chart")) == 5  # input, kernel, output, after ReLU, pooled


def test_padding_stride_and_pooling(folders) -> None:
    app = open_run("pages/explainer.py", None)
    padding = next(radio for radio in app.radio if radio.label == "Padding")
    padding.set_value(1).run()
    assert "= **5**" in texts(app)
    stride = next(slider for slider in app.slider if slider.label == "Stride")
    stride.set_value(2).run()
    assert "= **3**" in texts(app) and "of zeros on each side" in str(
        next(radio for radio in app.radio if radio.label == "Padding").options)
    step = app.slider(key="explain_step")
    step.set_value(step.max).run()  # pooling waits for the cells its window covers
    pooling = next(radio for radio in app.radio if radio.label == "Pooling")
    pooling.set_value("average").run()
    assert formulas(app)[-1].startswith("mean(")
    assert not app.exception


def test_a_digit_and_your_own_grid(folders) -> None:
    app = open_run("pages/explainer.py", None)
    app.radio[0].set_value("digit").run()
    assert "= **6**" in texts(app) and not app.exception  # 8x8 digit, 3x3 kernel
    app.radio[0].set_value("own").run()
    assert not app.exception and "= **4**" in texts(app)


def test_a_window_too_small_for_pooling_is_explained(folders) -> None:
    app = open_run("pages/explainer.py", None)
    app.radio[0].set_value("own").run()
    app.slider[0].set_value(3).run()  # 3x3 input -> 1x1 feature map
    assert "pooling window does not fit in the 1×1 feature map" in texts(app)
    assert not app.exception


def test_a_trained_filter_of_the_current_run(folders) -> None:
    run_id = make_trained_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                          image_size=(32, 32)))
    app = open_run("pages/explainer.py", run_id)
    kernel_box = app.selectbox[0]
    assert "trained" in kernel_box.options or \
        "a filter the current run learned" in kernel_box.options
    kernel_box.set_value("trained").run()
    assert not app.exception and "Filter of conv1" in [box.label for box in app.number_input]


def test_the_explainer_in_spanish(folders) -> None:
    app = open_run("pages/explainer.py", None, "es")
    assert app.title[0].value == "Cómo funciona una convolución" and not app.exception


def grid_values(app: AppTest, key: str) -> list:
    """The numbers a grid chart writes in its cells ("" for a cell not computed yet)."""
    import json

    spec = json.loads(app.get("plotly_chart")[GRID_ORDER.index(key)].proto.spec)
    return [cell for row in spec["data"][0]["text"] for cell in row]


GRID_ORDER = ["input", "kernel", "output", "activated", "pooled"]


def test_relu_and_pooling_follow_the_window_step_by_step(folders) -> None:
    app = open_run("pages/explainer.py", None)
    output, activated = grid_values(app, "output"), grid_values(app, "activated")
    assert sum(cell != "" for cell in output) == 1  # the first step fills one cell
    assert [cell != "" for cell in activated] == [cell != "" for cell in output]
    assert all(cell == "" for cell in grid_values(app, "pooled"))  # its window is not ready
    assert "covers cells the convolution has not computed yet" in texts(app)
    app.slider(key="explain_step").set_value(9).run()
    assert all(cell != "" for cell in grid_values(app, "activated"))
    assert formulas(app)[-1].startswith("max(")


def test_play_moves_the_window_one_step_a_run_and_starts_again(folders) -> None:
    from cnnviz.explainer import next_step

    assert [next_step(step, 3) for step in (1, 2, 3)] == [2, 3, 1]
    app = open_run("pages/explainer.py", None)
    app.toggle(key="explain_play").set_value(True).run()
    assert app.slider(key="explain_step").value == 2 and not app.exception
    app.run()
    assert app.slider(key="explain_step").value == 3
    app.toggle(key="explain_play").set_value(False).run()
    app.run()
    assert app.slider(key="explain_step").value == 3
