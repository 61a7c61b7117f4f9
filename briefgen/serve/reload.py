"""What the preview server tells open pages: the published build, its errors, and the page injection.

`Publication` is the one piece of state shared by the rebuild loop and the request threads:

- a readers/writer gate, so a request that arrives during a rebuild waits for it instead of reading a
  half-written site (the rebuild holds the write side for as long as `build()` runs), but never for
  more than READ_WAIT_S: a rebuild may take minutes (one hostile article can), and a preview that hangs
  looks broken. After the wait the request reads the files as they are: the last good pages while
  the build analyses and renders in memory, and each file whole (writes are atomic) once it commits;
- a generation id that changes only when a build changed the output, so open pages reload once per
  useful build and never after a failed one;
- the current list of error lines, shown as an overlay on every served HTML page until a build clears it;
- a capped set of server-sent-event listeners, woken when any of the above changes.

Nothing here touches the disk: the script and overlay are injected into responses only.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

PREVIEW_DIR = "__briefgen__"  # served under the mount path; never a file on disk
SCRIPT_NAME = "reload.js"
EVENTS_NAME = "events"
OVERLAY_ID = "briefgen-overlay"
MAX_LISTENERS = 64
READ_WAIT_S = 1.0  # longest a page request waits for a rebuild before it is answered from the files


@dataclass(frozen=True, slots=True)
class BuildState:
    """What an open page needs to know: which build it shows and what is wrong with the current one."""

    generation: str  # "<server instance>-<counter>": a restarted server never repeats an old id
    errors: tuple[str, ...]  # "path:line: error: message" lines; empty when the last build was clean

    def to_json(self) -> str:
        return json.dumps({"generation": self.generation, "errors": list(self.errors)}, ensure_ascii=False)


class TooManyListeners(Exception):
    """More open reload connections than MAX_LISTENERS."""


class Publication:
    """The published build: a readers/writer gate, its generation and errors, and the reload listeners."""

    def __init__(self, *, max_listeners: int = MAX_LISTENERS) -> None:
        self._cond = threading.Condition()
        self._instance = secrets.token_hex(4)
        self._counter = 0
        self._errors: tuple[str, ...] = ()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._listeners = 0
        self._max_listeners = max_listeners
        self._closed = False

    # -- state ---------------------------------------------------------------------------------

    @property
    def state(self) -> BuildState:
        with self._cond:
            return self._state()

    def _state(self) -> BuildState:
        return BuildState(f"{self._instance}-{self._counter}", self._errors)

    @property
    def closed(self) -> bool:
        return self._closed

    def publish(self, *, changed: bool, errors: Sequence[str]) -> BuildState:
        """Record a finished build: a new generation if it changed the output, and its errors."""
        with self._cond:
            if changed:
                self._counter += 1
            self._errors = tuple(errors)
            self._cond.notify_all()
            return self._state()

    def close(self) -> None:
        """Wake every listener so that its connection ends; used on shutdown."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- readers/writer gate -------------------------------------------------------------------

    @contextmanager
    def reading(self, wait_s: float = READ_WAIT_S) -> Iterator[bool]:
        """Hold off rebuilds while a response reads the site; wait up to `wait_s` if a rebuild runs or
        is queued. Yields True when the site is quiet; False when the wait ran out, and the response reads
        the files as they are without holding the rebuild up (so that it cannot be starved)."""
        with self._cond:
            quiet = self._cond.wait_for(lambda: not self._writing and not self._writers_waiting, wait_s)
            if quiet:
                self._readers += 1
        try:
            yield quiet
        finally:
            if quiet:
                with self._cond:
                    self._readers -= 1
                    self._cond.notify_all()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Exclusive access to the output folder while a build writes it."""
        with self._cond:
            self._writers_waiting += 1
            try:
                self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    @property
    def is_rebuilding(self) -> bool:
        with self._cond:
            return self._writing

    # -- listeners -----------------------------------------------------------------------------

    @contextmanager
    def listening(self) -> Iterator[None]:
        """Count one reload connection; raise TooManyListeners beyond the cap."""
        with self._cond:
            if self._listeners >= self._max_listeners:
                raise TooManyListeners
            self._listeners += 1
        try:
            yield
        finally:
            with self._cond:
                self._listeners -= 1

    @property
    def listeners(self) -> int:
        with self._cond:
            return self._listeners

    def wait_change(self, seen: BuildState, timeout_s: float) -> BuildState | None:
        """The new state once it differs from `seen`; None on timeout or shutdown."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._state() != seen, timeout_s)
            if self._closed:
                return None
            now = self._state()
            return None if now == seen else now


def render_overlay(errors: Sequence[str]) -> str:
    """The error overlay as HTML; the same markup reload.js builds when errors arrive by event."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;left:0;right:0;top:0;z-index:2147483647;'
        "max-height:60vh;overflow:auto;margin:0;padding:12px 16px;background:#fff3f3;color:#700;"
        'border-bottom:3px solid #c00;font:14px/1.4 system-ui,sans-serif;text-align:left">'
        "<strong>briefgen: the last build has errors; showing the last good pages</strong>"
        f'<ul style="margin:6px 0 0;padding-left:20px">{items}</ul></div>'
    )


def inject_preview(page: bytes, *, script_url: str, events_url: str, state: BuildState) -> bytes:
    """Add the reload script (and the overlay while errors exist) before the last `</body>`."""
    attrs = (
        f'src="{html.escape(script_url)}" data-events="{html.escape(events_url)}" '
        f'data-generation="{html.escape(state.generation)}"'
    )
    tag = f"<script {attrs} defer></script>"
    if state.errors:
        tag = render_overlay(state.errors) + tag
    snippet = tag.encode()
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + snippet
    return page[:at] + snippet + page[at:]
