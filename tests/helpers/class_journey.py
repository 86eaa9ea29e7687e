"""What one student of a class does, as Streamlit protocol messages (no browser).

The journey of ``issue 15``: Home (in class mode, first the "Join the class" form, filled
with the student's name); Evaluation of a trained run and a click on a confusion cell; Look
inside and an uploaded PNG, up to the prediction; Train and "Start training", then a few
seconds watching the live charts (the fragment reruns a browser sends every second); the
trained run picked again in the sidebar and its Embedding. Each step is timed from the
message sent to the script-finished message; a step fails when the page raised, a message did
not come, or the page does not show what that step is for.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.helpers.load_sessions import a_photo
from tests.helpers.protocol_client import ProtocolError, ScriptRun, StreamlitSession

STEPS = ("home", "join", "evaluation", "confusion click", "look inside", "upload to prediction",
         "train", "start", "live update", "pick trained run", "embedding")
FIRST_MODEL_LOAD = "look inside"  # the step that loads the run's model into the server
OWN_RUN = re.compile(r"\*\*(\d{8}-\d{6}-[0-9a-f]{6})\*\* — (queued|running)")
CONFUSION_CELL = 7  # a cell of the matrix's second trace (the clickable one)
JOIN_FORM, JOIN_NAME, JOIN_CODE = "join_class", "join_name", "join_code"  # cnnviz/ui/identity.py


@dataclass
class StudentVisit:
    """What one student saw: (step, seconds) per step done, errors, the run they started."""

    index: int
    timings: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    run_id: str = ""
    pressed_start: bool = False


class StepFailed(Exception):
    """A page did not show what the step is for."""


def visit(base_url: str, trained_run: str, index: int, watch_seconds: float = 5.0,
          record: Callable[[str, float, str], None] | None = None,
          name: str = "") -> StudentVisit:
    """One student's whole visit; the journey stops at the first failed step. ``name`` is the
    one the student joins the class with (``Student <index>`` when not given), unique on the
    server: a name taken by a classmate is refused."""
    result = StudentVisit(index)
    session = StreamlitSession(base_url, f"run={trained_run}&lang=en")

    def step(name: str, action: Callable[[], ScriptRun], expect: Callable[[ScriptRun], bool]):
        started = time.monotonic()
        try:
            run = action()
        except ProtocolError as error:
            raise StepFailed(f"{name}: {error}") from error
        seconds = run.seconds or time.monotonic() - started
        problem = "; ".join(run.exceptions) or ("" if expect(run) else "not shown")
        if record is not None:
            record(name, seconds, problem)
        if problem:
            raise StepFailed(f"{name}: {problem}")
        result.timings.append((name, seconds))
        return run

    try:
        session.connect()
        page = step("home", lambda: session.rerun(page=""),
                    lambda run: run.shows("cnnviz") or _shows_join_form(run))
        if _shows_join_form(page):
            step("join", lambda: join_class(session, page, name or f"Student {index}"),
                 lambda run: run.shows("cnnviz") and not _shows_join_form(run))
        page = step("evaluation", lambda: session.rerun(page="evaluation"),
                    lambda run: run.shows("Evaluation"))
        chart = page.widget("plotly_chart", key="confusion_chart")
        step("confusion click", lambda: session.select_points(chart, [{
            "curve_number": 1, "point_number": CONFUSION_CELL,
            "point_index": CONFUSION_CELL}]), lambda run: run.shows("predicted as"))
        page = step("look inside", lambda: session.rerun(page="inside"),
                    lambda run: run.shows("Look inside"))
        uploader = page.widget("file_uploader", key="inside_upload")
        step("upload to prediction",
             lambda: session.upload(uploader, f"photo-{index}.png", a_photo(index)),
             lambda run: run.shows("The network says"))
        page = step("train", lambda: session.rerun(page="train"),
                    lambda run: bool(run.elements))
        button = page.widget("button", label="Start training")
        result.pressed_start = True
        page = step("start", lambda: session.click(button),
                    lambda run: any(OWN_RUN.search(text) for text in run.texts))
        result.run_id = next(OWN_RUN.search(text).group(1) for text in page.texts
                             if OWN_RUN.search(text))
        watch_live_charts(session, watch_seconds, step)
        picker = page.widget("selectbox", label="Current run")
        step("pick trained run", lambda: pick_run(session, picker, trained_run),
             lambda run: bool(run.elements))
        step("embedding", lambda: session.rerun(page="embedding"),
             lambda run: run.has_widget("plotly_chart", "feature_map"))
    except (StepFailed, ProtocolError, OSError) as error:
        result.errors.append(f"student {index}: {error}")
    finally:
        session.close()
    return result


def join_class(session: StreamlitSession, page: ScriptRun, name: str) -> ScriptRun:
    """Fill the "Join the class" form with ``name`` (and the class code the server was given,
    when it asks for one) and submit it; the app then reruns into the page."""
    texts = {page.widget("text_input", key=JOIN_NAME).id: name}
    if page.has_widget("text_input", JOIN_CODE):
        texts[page.widget("text_input", key=JOIN_CODE).id] = os.environ.get("CNNVIZ_CLASS_CODE",
                                                                            "")
    return session.submit_form(page.submit_button(JOIN_FORM), texts)


def watch_live_charts(session: StreamlitSession, seconds: float, step) -> None:
    """Stay on the Train page for ``seconds``, sending the fragment reruns a browser sends
    while a run is active (``st.fragment(run_every=...)``)."""
    deadline = time.monotonic() + seconds
    while session.fragment_ids and time.monotonic() < deadline:
        time.sleep(session.fragment_interval or 1.0)
        step("live update", lambda: session.rerun(fragment_id=session.fragment_ids[0]),
             lambda run: True)


def pick_run(session: StreamlitSession, picker, run_id: str) -> ScriptRun:
    """Choose ``run_id`` in the sidebar's run picker, as drawn on the Train page before the
    live updates: its widget id is fixed (a key), so classmates' new runs since then do not
    drop the choice, as the old picker's changing id did."""
    session.choose(picker, run_id)
    return session.rerun()


def _shows_join_form(run: ScriptRun) -> bool:
    return run.has_widget("text_input", JOIN_NAME)
