"""Helpers for the preview tests: waits on conditions, raw HTTP on 127.0.0.1, a server in a thread.

Imported by the serve tests (the lead owns tests/conftest.py). No mocks: real sockets, real files.
"""

from __future__ import annotations

import ctypes
import http.client
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

from briefgen.serve.reload import Publication
from briefgen.serve.server import PreviewServer, SiteView, bind_server

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T], timeout_s: float = 5.0, interval_s: float = 0.01, what: str = ""
) -> T:
    """Poll `predicate` until it returns something truthy; fail the test after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what or predicate}")
        time.sleep(interval_s)


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    host: str | None = None,
    timeout_s: float = 10.0,
) -> Response:
    """One HTTP/1.1 request with the path sent exactly as given (no normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    finally:
        conn.close()


def raw_request(port: int, data: bytes, timeout_s: float = 5.0) -> bytes:
    """Send bytes as they are and return everything the server answers before closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0


def is_port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def page(title: str, body: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>\n"


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def toy_build(content: Path, output: Path) -> tuple[list[str], list[str]]:
    """A real, tiny site builder for tests that do not need briefgen's build: content/*.md -> slug/index.html.

    Writes only pages whose bytes changed and removes pages whose source is gone; returns (written, removed).
    A source containing "BROKEN" is an error: nothing is written and ValueError names the file.
    """
    sources = sorted(content.glob("*.md")) if content.is_dir() else []
    pages: dict[str, bytes] = {}
    for src in sources:
        text = src.read_text(encoding="utf-8")
        if "BROKEN" in text:
            raise ValueError(f"{src.name}:1: error: broken article")
        pages[f"{src.stem}/index.html"] = page(src.stem, f"<p>{text}</p>").encode()
    links = "".join(f'<a href="/{src.stem}/">{src.stem}</a>' for src in sources)
    pages["index.html"] = page("Index", links).encode()
    written: list[str] = []
    for rel, data in pages.items():
        target = output / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        written.append(rel)
    removed = []
    if output.is_dir():
        for old in sorted(output.glob("*/index.html")):
            rel = old.relative_to(output).as_posix()
            if rel not in pages:
                old.unlink()
                old.parent.rmdir()
                removed.append(rel)
    return written, removed


@contextmanager
def serving(
    output: Path, *, mount: str = "/", publication: Publication | None = None
) -> Iterator[PreviewServer]:
    """A PreviewServer on a free port of 127.0.0.1, answering in a thread until the block ends."""
    pub = publication or Publication()
    server = bind_server("127.0.0.1", 0, SiteView(output, mount), pub)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        pub.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class ServeProcess:
    """`briefgen serve`/`watch` as a user runs it: a real process, its output read as it comes."""

    def __init__(self, *args: str, cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1"},
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _pump(stream: IO[str] | None, sink: list[str]) -> None:
        assert stream is not None
        for line in stream:
            sink.append(line)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def wait_for_line(self, pattern: str, timeout_s: float = 60.0, *, stream: str = "out") -> re.Match[str]:
        rx = re.compile(pattern)

        def found() -> re.Match[str] | None:
            if self.proc.poll() is not None and not any(r.is_alive() for r in self._readers):
                raise AssertionError(f"exited with {self.proc.returncode}: {self.stdout}\n{self.stderr}")
            text = self.stdout if stream == "out" else self.stderr
            return rx.search(text)

        return wait_until(found, timeout_s=timeout_s, what=f"{pattern!r} in the {stream}put")

    def url(self) -> str:
        return self.wait_for_line(r"serving (http://\S+)").group(1)

    def port(self) -> int:
        return int(self.url().rsplit(":", 1)[1].split("/", 1)[0])

    def stop(self, sig: int = signal.SIGINT, timeout_s: float = 10.0) -> float:
        """Send `sig` and return the seconds until the process ended (killed, and an error, after `timeout_s`)."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=timeout_s)
            raise
        finally:  # also after a kill: unclosed pipes would fail a later test with a ResourceWarning
            for reader in self._readers:
                reader.join(timeout=5)
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
        return time.monotonic() - started


class ServeInProcess:
    """`briefgen serve`/`watch` run through `briefgen.cli.main` on a thread of this process.

    For tests of what the preview does, not of the process (those use ServeProcess): no interpreter
    start, no imports, and the test sees the same output. `stop()` is Ctrl-C: KeyboardInterrupt is
    raised in the command's thread at its next bytecode, as the signal raises it in a real process's
    main thread. SIGTERM has no in-process equivalent (the handler is installed only on the main thread).

    Its stdout and stderr are this process's `sys.stdout` and `sys.stderr` until `stop()`: start and
    stop it within one test body (pytest swaps those streams between setup, call and teardown). The
    first build runs with `--jobs 1`: this process has other threads, so it must not fork workers.
    """

    def __init__(self, *args: str) -> None:
        self.args = list(args) if "--jobs" in args else [*args, "--jobs", "1"]
        self.out = io.StringIO()
        self.err = io.StringIO()
        self.returncode: int | None = None
        self._error: BaseException | None = None
        self._saved = (sys.stdin, sys.stdout, sys.stderr)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), self.out, self.err
        self.thread = threading.Thread(target=self._main, name="briefgen-cli", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        from briefgen.cli import main

        try:
            self.returncode = main(self.args)
        except BaseException as exc:  # re-raised by stop(), in the test's thread
            self._error = exc

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    @property
    def stdout(self) -> str:
        return self.out.getvalue()

    @property
    def stderr(self) -> str:
        return self.err.getvalue()

    def wait_for_line(self, pattern: str, timeout_s: float = 60.0, *, stream: str = "out") -> re.Match[str]:
        rx = re.compile(pattern)

        def found() -> re.Match[str] | None:
            text = self.stdout if stream == "out" else self.stderr
            match = rx.search(text)
            if match is None and not self.running:
                raise AssertionError(f"ended with {self.returncode}: {self.stdout}\n{self.stderr}")
            return match

        return wait_until(found, timeout_s=timeout_s, what=f"{pattern!r} in the {stream}put")

    def url(self) -> str:
        return self.wait_for_line(r"serving (http://\S+)").group(1)

    def port(self) -> int:
        return int(self.url().rsplit(":", 1)[1].split("/", 1)[0])

    def stop(self, timeout_s: float = 10.0) -> float:
        """Ctrl-C; return the seconds until the command returned. Puts the standard streams back."""
        started = time.monotonic()
        try:
            if self.thread.is_alive():  # one Ctrl-C: it stays pending until the thread runs bytecode again
                ident = self.thread.ident
                assert ident is not None
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(ident), ctypes.py_object(KeyboardInterrupt)
                )
                self.thread.join(timeout=timeout_s)
            if self.thread.is_alive():
                raise AssertionError(f"briefgen {self.args[0]} did not stop within {timeout_s} s")
        finally:
            if (sys.stdout, sys.stderr) == (self.out, self.err):
                sys.stdin, sys.stdout, sys.stderr = self._saved
        if self._error is not None:
            raise self._error
        return time.monotonic() - started
