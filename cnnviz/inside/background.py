"""A long computation on a thread of its own: the page's script thread stays free to draw its
progress bar, and a student who opens another tab meanwhile does not restart it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from cnnviz.inside.feature_vis import Progress


class BackgroundJob:
    """Runs ``work(progress)`` once on a daemon thread; ``work`` reports its share done."""

    def __init__(self, work: Callable[[Progress], object], name: str) -> None:
        self.share_done = 0.0
        self.error: Exception | None = None
        self._work = work
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, seconds: float) -> bool:
        """Wait at most ``seconds`` for the end; True if it ended."""
        self._thread.join(seconds)
        return self.finished

    def _report(self, share: float) -> None:
        self.share_done = min(1.0, max(self.share_done, share))

    def _run(self) -> None:
        try:
            self._work(self._report)
        except Exception as error:  # kept for the page to show; the thread must not die silent
            self.error = error
