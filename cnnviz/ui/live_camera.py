"""Look inside's live camera: every frame the browser sends is classified by the run's model and
comes back with its Grad-CAM overlay and top three classes drawn on (streamlit-webrtc).

The browser and the server talk WebRTC directly. ``iceServers`` is empty on purpose: on a
classroom server (or 127.0.0.1) the host candidates connect, and no STUN or TURN server on the
internet is asked. Frames the CPU cannot keep up with are dropped (``async_processing``), so the
video shows the rate this machine allows, which the page measures and says.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

import streamlit as st

from cnnviz.inside.live_frame import FrameRate, annotate_frame
from cnnviz.ui.i18n import t

if TYPE_CHECKING:
    from cnnviz.training.inference import RunModel

STREAM_KEY = "inside_live"
RATE_KEY = "inside_live_rate"
NO_ICE_SERVERS = {"iceServers": []}
STATUS_SECONDS = 1.0


def live_camera(model: RunModel, names: list[str]) -> None:
    """The live view, its opacity slider and, while it plays, the measured frame rate."""
    av, webrtc = webrtc_modules()
    WebRtcMode, webrtc_streamer = webrtc.WebRtcMode, webrtc.webrtc_streamer

    st.caption(t("live.caption"))
    opacity = st.slider(t("inside.opacity"), 0.0, 1.0, 0.4, 0.05, key="inside_live_opacity")
    rate: FrameRate = st.session_state.setdefault(RATE_KEY, FrameRate())

    def process(frame: av.VideoFrame) -> av.VideoFrame:
        """Runs in streamlit-webrtc's worker thread, once per frame it keeps."""
        annotated = annotate_frame(model, frame.to_ndarray(format="rgb24"), names, opacity)
        rate.tick(annotated.top)
        return av.VideoFrame.from_ndarray(annotated.frame, format="rgb24")

    context = webrtc_streamer(
        key=STREAM_KEY, mode=WebRtcMode.SENDRECV, rtc_configuration=NO_ICE_SERVERS,
        media_stream_constraints={"video": True, "audio": False},
        video_frame_callback=process, async_processing=True,
        translations={"start": t("live.start"), "stop": t("live.stop"),
                      "select_device": t("live.select_device"),
                      "device_ask_permission": t("live.permission"),
                      "device_not_available": t("live.no_camera"),
                      "device_access_denied": t("live.denied"),
                      "media_api_not_available": t("live.no_media")})
    if context.state.playing:
        st.fragment(_live_status, run_every=STATUS_SECONDS)(rate)
    else:
        st.info(t("live.press_start"))


def webrtc_modules() -> tuple[ModuleType, ModuleType]:
    """``av`` and ``streamlit_webrtc``, imported so that they survive TensorFlow.

    aiortc's SRTP and DTLS bindings carry their own OpenSSL; imported after TensorFlow (which
    the server has loaded by the time a model is on the page) they bind to TensorFlow's copy
    of the same symbols, and the import segfaults or the DTLS handshake fails silently.
    ``RTLD_DEEPBIND`` makes each of those libraries use its own symbols first.
    """
    if "streamlit_webrtc" not in sys.modules:
        flags = sys.getdlopenflags()
        sys.setdlopenflags(os.RTLD_NOW | getattr(os, "RTLD_DEEPBIND", 0))
        try:
            import aiortc  # noqa: F401 — loaded here, under the flags above
            import av  # noqa: F401
            import streamlit_webrtc  # noqa: F401
        finally:
            sys.setdlopenflags(flags)
    return sys.modules["av"], sys.modules["streamlit_webrtc"]


def _live_status(rate: FrameRate) -> None:
    """The frames per second and the latest top classes, re-read every second."""
    per_second = rate.per_second()
    if not per_second:
        st.caption(t("live.connecting"))
        return
    top = " · ".join(f"{name} {probability:.0%}" for name, probability in rate.latest())
    st.markdown(t("live.rate", rate=f"{per_second:.1f}", top=top))
