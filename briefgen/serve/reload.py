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


OVERLAY_STYLE = (
    "position:relative;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;"
    "padding:12px 56px 12px 16px;background:#fff3f3;color:#700;border-bottom:3px solid #c00;"
    "font:14px/1.4 system-ui,sans-serif;text-align:left"
)
CLOSE_STYLE = (
    "position:absolute;top:8px;right:8px;min-width:32px;min-height:32px;border:1px solid #c00;"
    "border-radius:4px;background:#fff;color:#700;font:20px/1 system-ui,sans-serif;cursor:pointer"
)


def render_overlay(errors: Sequence[str]) -> str:
    """The error overlay as HTML; the same markup reload.js builds when errors arrive by event.

    It opens the page, in the flow (the page moves down; its title stays in sight, never under it), and
    its close button (wired by reload.js) hides it until the errors change.
    """
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    key = json.dumps(list(errors), ensure_ascii=False, separators=(",", ":"))  # as JSON.stringify writes it
    return (
        f'<div id="{OVERLAY_ID}" role="alert" data-errors="{html.escape(key)}" style="{OVERLAY_STYLE}">'
        f'<button type="button" data-briefgen-close aria-label="Close" title="Close" style="{CLOSE_STYLE}">'
        "\u00d7</button>"
        "<strong>briefgen: the last build has errors; showing the last good pages</strong>"
        f'<ul style="margin:6px 0 0;padding-left:20px">{items}</ul></div>'
    )


def _after_body_tag(page: bytes) -> int | None:
    """Where the content of <body> starts, or None without a body tag."""
    lower = page.lower()
    at = lower.find(b"<body")
    while at >= 0 and lower[at + 5 : at + 6] not in (b">", b" ", b"\t", b"\n", b"\r", b"/"):
        at = lower.find(b"<body", at + 5)
    if at < 0:
        return None
    end = page.find(b">", at)
    return end + 1 if end >= 0 else None


def inject_preview(page: bytes, *, script_url: str, events_url: str, state: BuildState) -> bytes:
    """Add the reload script before the last `</body>`, and while errors exist the overlay at the top."""
    attrs = (
        f'src="{html.escape(script_url)}" data-events="{html.escape(events_url)}" '
        f'data-generation="{html.escape(state.generation)}"'
    )
    script = f"<script {attrs} defer></script>".encode()
    at = page.lower().rfind(b"</body>")
    page = page + script if at < 0 else page[:at] + script + page[at:]
    if state.errors:
        overlay = render_overlay(state.errors).encode()
        start = _after_body_tag(page)
        page = overlay + page if start is None else page[:start] + overlay + page[start:]
    return page
