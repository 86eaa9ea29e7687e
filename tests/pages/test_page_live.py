"""Look inside's live camera through AppTest: the view is offered beside the photo and the
drawing, in both languages, asks for Start, sends no ICE server, and once frames flow says the
measured rate and the prediction.

streamlit-webrtc needs a real server session (AppTest's is a mock), so here its component is
replaced by a stand-in that records how the page configured it; the frames are real
``av.VideoFrame`` objects through the page's own callback. The real component, camera and
video are tried in Chromium (``tests/browser/test_browser_live.py``)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.ui import live_camera
from tests.helpers.run_folders import make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run


class StandInComponent:
    """``streamlit_webrtc`` as the page uses it: records the call, reports ``playing``."""

    WebRtcMode = SimpleNamespace(SENDRECV="sendrecv")

    def __init__(self) -> None:
        self.playing = False
        self.calls: list[dict] = []

    def webrtc_streamer(self, **options) -> SimpleNamespace:
        self.calls.append(options)
        return SimpleNamespace(state=SimpleNamespace(playing=self.playing))


@pytest.fixture
def component(monkeypatch) -> StandInComponent:
    av, _ = live_camera.webrtc_modules()  # the real av, loaded the way the page loads it
    stand_in = StandInComponent()
    monkeypatch.setattr(live_camera, "webrtc_modules", lambda: (av, stand_in))
    return stand_in


@pytest.mark.parametrize("language, label, start, rate", [
    ("en", "Live camera", "Press Start to send your camera's video",
     "frames per second on this server"),
    ("es", "Cámara en vivo", "Pulsa Empezar para enviar el vídeo",
     "imágenes por segundo en este servidor"),
])
def test_the_live_camera_classifies_frames_and_says_the_rate(folders, component, language,
                                                             label, start, rate,
                                                             monkeypatch) -> None:
    from cnnviz.ui import i18n

    # AppTest formats a segmented control's value with its format_func outside the script,
    # where the session's language is unknown: it must be this test's language there too.
    monkeypatch.setattr(i18n, "language", lambda: language)
    run_id = make_trained_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                          image_size=(32, 32)))
    app = open_run("pages/inside.py", run_id, language=language)
    assert label in app.segmented_control(key="inside_source").options
    app.segmented_control(key="inside_source").set_value("live").run()
    assert not app.exception, app.exception
    assert start in texts(app)
    options = component.calls[-1]
    assert options["rtc_configuration"] == {"iceServers": []}  # no STUN or TURN server
    assert options["media_stream_constraints"] == {"video": True, "audio": False}
    assert options["translations"]["start"] == ("Start" if language == "en" else "Empezar")

    av, _ = live_camera.webrtc_modules()
    picture = np.zeros((120, 160, 3), np.uint8)
    picture[30:90, 50:110] = 255
    for _ in range(3):
        returned = options["video_frame_callback"](av.VideoFrame.from_ndarray(picture,
                                                                               format="rgb24"))
    drawn = returned.to_ndarray(format="rgb24")
    assert drawn.shape == picture.shape and not np.array_equal(drawn, picture)

    component.playing = True
    app.run()
    assert not app.exception
    shown = texts(app)
    assert rate in shown and ("Now:" in shown or "Ahora:" in shown)
    assert " · " in shown.split(rate)[1]  # the three best classes

    app.segmented_control(key="inside_source").set_value("camera").run()  # the photo stays
    assert app.camera_input(key="inside_camera") is not None and not app.exception
