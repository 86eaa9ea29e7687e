"""A Streamlit client without a browser: it speaks the app's own websocket protocol.

One ``StreamlitSession`` is one browser tab: it connects to ``/_stcore/stream``, sends
``BackMsg`` protobufs (a rerun with the client state, a file-URL request) and reads the
``ForwardMsg`` protobufs the server answers with, using the classes that ship inside the
``streamlit`` package. It keeps what a frontend keeps to send the next message: the page
hashes from the navigation message, the session id, the widget values set so far, and the
elements of the last run (to find a widget's id by its label or key).

No renderer runs on the client side, so a load test with many of them measures the server.
Timing is from the message sent to the script-finished message.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_FINISHED = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
XSRF_COOKIE = "_streamlit_xsrf"
# Elements whose text a page test looks for.
TEXT_FIELDS = {"markdown": "body", "heading": "body", "alert": "body", "text": "body",
               "caption": "body", "exception": "message"}


class ProtocolError(Exception):
    """The server did not answer as a Streamlit server does (closed, timed out, error)."""


@dataclass
class ScriptRun:
    """What one script run sent: its elements in order, the texts shown, exceptions."""

    elements: list = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def widget(self, kind: str, label: str = "", key: str = ""):
        """The first widget of ``kind`` (``button``, ``file_uploader``...) with this label, or
        whose id ends with the user key ``key``."""
        for element in self.elements:
            if element.WhichOneof("type") != kind:
                continue
            proto = getattr(element, kind)
            if (label and getattr(proto, "label", None) == label) or (
                    key and proto.id.endswith(f"-{key}")):
                return proto
        raise ProtocolError(f"no {kind} {label or key!r} on the page")

    def submit_button(self, form: str):
        """The submit button of the form whose key is ``form``."""
        for element in self.elements:
            if (element.WhichOneof("type") == "button" and element.button.is_form_submitter
                    and element.button.form_id == form):
                return element.button
        raise ProtocolError(f"no submit button of form {form!r} on the page")

    def has_widget(self, kind: str, key: str) -> bool:
        """Whether the run drew a widget of ``kind`` with the user key ``key``."""
        try:
            self.widget(kind, key=key)
        except ProtocolError:
            return False
        return True

    def shows(self, text: str) -> bool:
        return any(text in shown for shown in self.texts)


class StreamlitSession:
    """One browser tab's conversation with a Streamlit server on ``base_url``."""

    def __init__(self, base_url: str, query_string: str = "", timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.timeout = timeout
        self.session_id = ""
        self.page_hashes: dict[str, str] = {}  # url path ("" for home) -> page script hash
        self.page_hash = ""
        self.widget_states: dict[str, WidgetState] = {}
        self.fragment_ids: list[str] = []  # fragments the server asked to rerun (auto rerun)
        self.fragment_interval = 0.0
        self._cache: dict[str, ForwardMsg] = {}
        self._cookies = http.cookiejar.CookieJar()
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._cookies))
        self._socket: websocket.WebSocket | None = None

    # The connection ----------------------------------------------------------------------
    def connect(self) -> None:
        """Take the XSRF cookie from the health endpoint, then open the stream the way the
        frontend does (the token travels in the subprotocol header)."""
        self._http.open(f"{self.base_url}/_stcore/health", timeout=self.timeout).read()
        token = self._xsrf_token()
        address = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        self._socket = websocket.create_connection(
            address, timeout=self.timeout, subprotocols=["streamlit", token],
            origin=self.base_url, cookie=f"{XSRF_COOKIE}={token}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _xsrf_token(self) -> str:
        for cookie in self._cookies:
            if cookie.name == XSRF_COOKIE:
                return cookie.value or ""
        raise ProtocolError("the server set no XSRF cookie")

    # Messages ----------------------------------------------------------------------------
    def _send(self, message: BackMsg) -> None:
        if self._socket is None:
            raise ProtocolError("not connected")
        self._socket.send_binary(message.SerializeToString())

    def _receive(self, deadline: float) -> ForwardMsg:
        if self._socket is None:
            raise ProtocolError("not connected")
        self._socket.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = self._socket.recv()
        except websocket.WebSocketTimeoutException as error:
            raise ProtocolError("timed out waiting for the server") from error
        except websocket.WebSocketConnectionClosedException as error:
            raise ProtocolError("the server closed the connection") from error
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(message.ref_hash)
            if cached is None:
                raise ProtocolError("the server referred to a message never received")
            return cached
        if message.metadata.cacheable and message.hash:
            self._cache[message.hash] = message
        return message

    def rerun(self, page: str | None = None, fragment_id: str = "",
              triggers: dict[str, WidgetState] | None = None) -> ScriptRun:
        """Run the script (on ``page``, a url path, when given) with the widget values set so
        far plus one-shot ``triggers`` (a button press); wait until the script has finished."""
        if page is not None:
            self.page_hash = self.page_hashes.get(page, "")
            self.widget_states.clear()  # a new page starts from its widgets' defaults
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        if page is not None and not self.page_hash:
            state.page_name = page
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        for widget in [*self.widget_states.values(), *(triggers or {}).values()]:
            state.widget_states.widgets.append(widget)
        started = time.monotonic()
        self._send(message)
        run = self._wait_for_run(started, FRAGMENT_FINISHED if fragment_id else FINISHED)
        run.seconds = time.monotonic() - started
        return run

    def _wait_for_run(self, started: float, finished_status: int) -> ScriptRun:
        run = ScriptRun()
        deadline = started + self.timeout
        while True:
            message = self._receive(deadline)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self._learn_session(message)
                if finished_status == FINISHED:
                    self.fragment_ids, self.fragment_interval = [], 0.0
                run = ScriptRun()  # a rerun (st.rerun) starts the page's output again
            elif kind == "navigation":
                self.page_hashes = {page.url_pathname: page.page_script_hash
                                    for page in message.navigation.app_pages}
                self.page_hash = message.navigation.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._collect(run, message.delta.new_element)
            elif kind == "auto_rerun":
                if message.auto_rerun.fragment_id not in self.fragment_ids:
                    self.fragment_ids.append(message.auto_rerun.fragment_id)
                self.fragment_interval = message.auto_rerun.interval
            elif kind == "script_finished" and message.script_finished == finished_status:
                return run
            elif kind == "script_finished" and message.script_finished == \
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise ProtocolError("the script did not compile")

    def _learn_session(self, message: ForwardMsg) -> None:
        self.session_id = message.new_session.initialize.session_id or self.session_id
        if message.new_session.page_script_hash:
            self.page_hash = message.new_session.page_script_hash

    @staticmethod
    def _collect(run: ScriptRun, element) -> None:
        run.elements.append(element)
        kind = element.WhichOneof("type")
        if kind in TEXT_FIELDS:
            text = getattr(getattr(element, kind), TEXT_FIELDS[kind])
            run.texts.append(text)
            if kind == "exception":
                run.exceptions.append(f"{element.exception.type}: {text}")

    # Widgets -----------------------------------------------------------------------------
    def click(self, button) -> ScriptRun:
        """Press a button: its trigger is sent once, with the rerun it starts."""
        trigger = WidgetState(id=button.id, trigger_value=True)
        return self.rerun(triggers={button.id: trigger})

    def submit_form(self, submit_button, texts: dict[str, str]) -> ScriptRun:
        """Fill a form's text inputs (``{widget id: text}``) and press its submit button. A
        frontend keeps a form's values to itself until the submit, then sends them with every
        other widget's value and the submit button's trigger in one rerun, as here."""
        for widget_id, text in texts.items():
            self.widget_states[widget_id] = WidgetState(id=widget_id, string_value=text)
        return self.click(submit_button)

    def select_points(self, chart, points: list[dict]) -> ScriptRun:
        """Click points of a Plotly chart drawn with ``on_select="rerun"``."""
        selection = {"selection": {"points": points,
                                   "point_indices": [point["point_index"] for point in points],
                                   "box": [], "lasso": []}}
        # The runtime parses ``json_value`` once and the chart's deserializer once more.
        self.widget_states[chart.id] = WidgetState(
            id=chart.id, json_value=json.dumps(json.dumps(selection)))
        return self.rerun()

    def choose(self, selectbox, option: str) -> None:
        """Set a selectbox to the option shown as ``option`` (sent with the next rerun)."""
        self.widget_states[selectbox.id] = WidgetState(id=selectbox.id, string_value=option)

    def upload(self, uploader, name: str, data: bytes, mime: str = "image/png") -> ScriptRun:
        """What the frontend does with a chosen file: ask for an upload URL, PUT the file
        there (multipart, with the XSRF header), then rerun with the uploader's new state."""
        started = time.monotonic()
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        self._send(request)
        urls = self._file_urls(request.file_urls_request.request_id, started + self.timeout)
        self._put_file(urls.upload_url, name, data, mime)
        state = WidgetState(id=uploader.id)
        state.file_uploader_state_value.uploaded_file_info.append(UploadedFileInfo(
            file_id=urls.file_id, name=name, size=len(data), file_urls=urls))
        self.widget_states[uploader.id] = state
        run = self.rerun()
        run.seconds = time.monotonic() - started
        return run

    def _file_urls(self, request_id: str, deadline: float) -> FileURLs:
        while True:
            message = self._receive(deadline)
            if message.WhichOneof("type") == "file_urls_response" and \
                    message.file_urls_response.response_id == request_id:
                if message.file_urls_response.error_msg:
                    raise ProtocolError(message.file_urls_response.error_msg)
                return message.file_urls_response.file_urls[0]

    def _put_file(self, upload_url: str, name: str, data: bytes, mime: str) -> None:
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        body.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                   f"filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n".encode())
        body.write(data)
        body.write(f"\r\n--{boundary}--\r\n".encode())
        url = upload_url if upload_url.startswith("http") else f"{self.base_url}{upload_url}"
        request = urllib.request.Request(url, data=body.getvalue(), method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": self._xsrf_token()})
        with self._http.open(request, timeout=self.timeout) as response:
            if response.status not in (200, 204):
                raise ProtocolError(f"upload answered {response.status}")
