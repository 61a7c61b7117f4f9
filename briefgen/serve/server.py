"""The preview HTTP server: the output folder under the mount path, with serve-time injection.

Development only. It binds to 127.0.0.1 by default and refuses what a browser on another site could
use against it: paths out of the output folder (`..`, encoded dots, backslashes, symlinks out), foreign
`Host` headers (DNS rebinding), reload connections from other origins, and every method but GET/HEAD.
Requests that arrive during a rebuild wait for it, for at most a second; then they are answered from
the files as they are, which are the last good pages until the build writes (see `Publication`).
"""

from __future__ import annotations

import errno
import ipaddress
import mimetypes
import select
import socket
import socketserver
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import cast
from urllib.parse import quote, unquote, urlsplit

from briefgen.errors import BriefgenError
from briefgen.serve.reload import (
    EVENTS_NAME,
    PREVIEW_DIR,
    SCRIPT_NAME,
    BuildState,
    Publication,
    TooManyListeners,
    inject_preview,
)

DEFAULT_PORT = 8000
PORT_TRIES = 20
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HEADER_TIMEOUT_S = 10.0
EVENT_PING_S = 15.0
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml", "application/rss+xml")
ALLOWED_METHODS = ("GET", "HEAD")


class PortInUseError(BriefgenError):
    pass


@dataclass(frozen=True, slots=True)
class SiteView:
    """What the server serves: the output folder, under the path part of the base URL."""

    output_dir: Path
    mount: str  # "/" or "/briefs/": always starts and ends with "/"


def mount_path(base_url: str) -> str:
    """The path part of a base URL as a mount point: "https://x.org/briefs" -> "/briefs/"."""
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"


# -- request resolution (pure apart from looking at the output folder) -------------------------


@dataclass(frozen=True, slots=True)
class Found:
    path: Path


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str  # always a path on this origin, starting with a single "/"


@dataclass(frozen=True, slots=True)
class Preview:
    name: str  # the file name under <mount>__briefgen__/


@dataclass(frozen=True, slots=True)
class Refused:
    status: HTTPStatus


Resolution = Found | Redirect | Preview | Refused


def resolve_target(view: SiteView, target: str) -> Resolution:
    """Map a raw request target to a file in the output folder, a redirect, or a refusal.

    Percent-escapes are decoded exactly once; `.`/`..` segments, NUL, backslashes and invalid UTF-8 are
    refused; the real path (symlinks resolved) must stay inside the real output folder.
    """
    raw_path = target.split("#", 1)[0].split("?", 1)[0]
    if not raw_path.startswith("/"):
        return Refused(HTTPStatus.BAD_REQUEST)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Refused(HTTPStatus.BAD_REQUEST)
    if "\x00" in path or "\\" in path:
        return Refused(HTTPStatus.BAD_REQUEST)
    if path + "/" == view.mount:
        return Redirect(view.mount)
    if not path.startswith(view.mount):
        return Refused(HTTPStatus.NOT_FOUND)
    parts = path[len(view.mount) :].split("/")
    if any(p in (".", "..") for p in parts):
        return Refused(HTTPStatus.NOT_FOUND)
    segments = [p for p in parts if p]
    if len(segments) == 2 and segments[0] == PREVIEW_DIR:
        return Preview(segments[1])
    try:
        return _resolve_in(view.output_dir.resolve(), segments, view.mount, trailing=path.endswith("/"))
    except (OSError, ValueError):  # e.g. a name too long for the file system
        return Refused(HTTPStatus.NOT_FOUND)


def _resolve_in(root: Path, segments: list[str], mount: str, *, trailing: bool) -> Resolution:
    real = root.joinpath(*segments).resolve()
    if not real.is_relative_to(root):
        return Refused(HTTPStatus.NOT_FOUND)
    if real.is_dir():
        index = (real / "index.html").resolve()
        if not (index.is_relative_to(root) and index.is_file()):
            return Refused(HTTPStatus.NOT_FOUND)  # never a directory listing
        if segments and not trailing:
            return Redirect(mount + quote("/".join(segments)) + "/")
        return Found(index)
    if real.is_file():
        return Found(real)
    return Refused(HTTPStatus.NOT_FOUND)


def host_name(header: str) -> str:
    """The host part of a Host or Origin authority, lower-case, without port, brackets or final dot."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else ""
    name, sep, port = value.rpartition(":")
    if sep and port.isdigit():
        value = name
    return value.rstrip(".")


def is_allowed_host(header: str | None, extra_names: frozenset[str] = frozenset()) -> bool:
    """Loopback names, IP literals and names the user bound to; never another domain (DNS rebinding)."""
    if not header:
        return False
    name = host_name(header)
    if name in LOOPBACK_NAMES or name in extra_names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_same_origin(origin: str | None, fetch_site: str | None, host: str) -> bool:
    """A reload connection must come from a page of this server (or send no origin at all)."""
    if fetch_site is not None and fetch_site.lower() not in ("same-origin", "none"):
        return False
    if origin is None:
        return True
    return origin.strip().lower() == f"http://{host.strip().lower()}"


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind == "text/html" or kind.startswith(TEXT_TYPES) or kind.endswith("javascript"):
        return f"{kind}; charset=utf-8"
    return kind


def _reload_script() -> bytes:
    return resources.files("briefgen.serve").joinpath("reload.js").read_bytes()


# -- the server --------------------------------------------------------------------------------


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server over one `SiteView`, sharing a `Publication` with the rebuild loop."""

    daemon_threads = True  # Ctrl-C never waits for an open reload connection
    request_queue_size = 64  # a browser opening many pages at once is not refused

    def __init__(
        self,
        address: tuple[str, int],
        view: SiteView,
        publication: Publication,
        *,
        verbose: bool = False,
        extra_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.view = view  # replaced as a whole when the config changes
        self.publication = publication
        self.verbose = verbose
        self.extra_hosts = extra_hosts
        self.script = _reload_script()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS (slow, and useless here)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self) -> str:
        host = str(self.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}{self.view.mount}"

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        if self.verbose:
            super().handle_error(request, client_address)  # type: ignore[arg-type]
        else:
            sys.stderr.write(f"briefgen serve: internal error answering a request: {exc!r}\n")


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "briefgen-preview"
    sys_version = ""
    timeout = HEADER_TIMEOUT_S  # slow or silent clients are dropped

    @property
    def preview(self) -> PreviewServer:
        return cast(PreviewServer, self.server)

    def log_message(self, format: str, *args: object) -> None:
        if self.preview.verbose:
            super().log_message(format, *args)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not is_allowed_host(self.headers.get("Host"), self.preview.extra_hosts):
            self._send_text(HTTPStatus.FORBIDDEN, "forbidden: unknown Host header\n")
            return False
        if self.command not in ALLOWED_METHODS:
            self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed\n", allow=True)
            return False
        return True

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    # -- responses -----------------------------------------------------------------------------

    def _answer(self, *, head: bool) -> None:
        server = self.preview
        view = server.view
        resolution = resolve_target(view, self.path)
        if isinstance(resolution, Preview):  # reload endpoints never hold the gate
            self._answer_preview(resolution.name, view, head=head)
            return
        if isinstance(resolution, Refused) and resolution.status != HTTPStatus.NOT_FOUND:
            self._send_text(resolution.status, f"{resolution.status.phrase.lower()}\n", head=head)
            return
        with server.publication.reading():  # between rebuilds, or from the files as they are after 1 s
            state = server.publication.state
            resolution = resolve_target(view, self.path)
            data: bytes | None = None
            if isinstance(resolution, Found):
                try:
                    data = resolution.path.read_bytes()
                except OSError:
                    data = None
            if data is None:
                try:
                    page = (view.output_dir / "404.html").read_bytes()
                except OSError:
                    page = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
        if isinstance(resolution, Redirect):
            self._send_bytes(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", location=resolution.location)
        elif isinstance(resolution, Found) and data is not None:
            kind = content_type(resolution.path)
            if kind.startswith("text/html"):
                data = self._inject(data, view, state)
            self._send_bytes(HTTPStatus.OK, data, kind, head=head)
        else:
            self._answer_not_found(view, state, page, head=head)

    def _answer_not_found(self, view: SiteView, state: BuildState, page: bytes, *, head: bool) -> None:
        data = self._inject(page, view, state)
        self._send_bytes(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8", head=head)

    def _inject(self, page: bytes, view: SiteView, state: BuildState) -> bytes:
        base = f"{view.mount}{PREVIEW_DIR}/"
        return inject_preview(page, script_url=base + SCRIPT_NAME, events_url=base + EVENTS_NAME, state=state)

    def _answer_preview(self, name: str, view: SiteView, *, head: bool) -> None:
        publication = self.preview.publication
        if name == SCRIPT_NAME:
            self._send_bytes(HTTPStatus.OK, self.preview.script, "text/javascript; charset=utf-8", head=head)
            return
        if name not in (EVENTS_NAME, "state"):
            self._send_text(HTTPStatus.NOT_FOUND, "not found\n", head=head)
            return
        origin_ok = is_same_origin(
            self.headers.get("Origin"), self.headers.get("Sec-Fetch-Site"), self.headers.get("Host", "")
        )
        if not origin_ok:
            self._send_text(HTTPStatus.FORBIDDEN, "forbidden: foreign origin\n", head=head)
        elif name == "state":
            body = publication.state.to_json().encode() + b"\n"
            self._send_bytes(HTTPStatus.OK, body, "application/json; charset=utf-8", head=head)
        elif head:
            self._send_bytes(HTTPStatus.OK, b"", "text/event-stream; charset=utf-8", head=True)
        else:
            try:
                with publication.listening():
                    self._stream_events(publication)
            except TooManyListeners:
                self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, "too many reload connections\n")

    def _stream_events(self, publication: Publication) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        seen = publication.state
        self.wfile.write(b"retry: 500\n\ndata: " + seen.to_json().encode() + b"\n\n")
        self.wfile.flush()
        quiet_s = 0.0
        while not publication.closed:
            new = publication.wait_change(seen, 1.0)
            if new is not None:
                seen = new
                self.wfile.write(b"data: " + new.to_json().encode() + b"\n\n")
                self.wfile.flush()
                quiet_s = 0.0
                continue
            if self._client_gone():
                return
            quiet_s += 1.0
            if quiet_s >= EVENT_PING_S:
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                quiet_s = 0.0

    def _client_gone(self) -> bool:
        """A reload client sends nothing after its request, so readable means closed (or misbehaving)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send_bytes(
        self,
        status: HTTPStatus,
        data: bytes,
        kind: str,
        *,
        head: bool = False,
        location: str | None = None,
        allow: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if location is not None:
            self.send_header("Location", location)
        if allow:
            self.send_header("Allow", ", ".join(ALLOWED_METHODS))
        self._common_headers()
        self.end_headers()
        if not head and data:
            self.wfile.write(data)

    def _send_text(self, status: HTTPStatus, text: str, *, head: bool = False, allow: bool = False) -> None:
        self.close_connection = True
        self._send_bytes(status, text.encode(), "text/plain; charset=utf-8", head=head, allow=allow)


def bind_server(
    host: str,
    port: int | None,
    view: SiteView,
    publication: Publication,
    *,
    verbose: bool = False,
    first_port: int = DEFAULT_PORT,
    tries: int = PORT_TRIES,
) -> PreviewServer:
    """Bind `host:port`; with no explicit port, the first free one from `first_port` on.

    A busy explicit port is an error (the user probably meant it); so is an address we cannot bind.
    """
    extra = frozenset({host.lower(), socket.gethostname().lower()}) - {"0.0.0.0", "::", ""}
    candidates = [port] if port is not None else [*range(first_port, first_port + tries), 0]
    last: OSError | None = None
    for candidate in candidates:
        try:
            return PreviewServer((host, candidate), view, publication, verbose=verbose, extra_hosts=extra)
        except OSError as exc:
            last = exc
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES) or port is not None:
                break
    assert last is not None
    if port is not None and last.errno in (errno.EADDRINUSE, errno.EACCES):
        raise PortInUseError(
            f"port {port} on {host} is already in use; stop the other server or pick another --port"
        ) from None
    raise BriefgenError(
        f"cannot listen on {host}:{port if port is not None else first_port}: {last.strerror}"
    )
