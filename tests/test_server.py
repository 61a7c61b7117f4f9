"""The preview server over real HTTP on 127.0.0.1: containment, Host and Origin checks, methods,
serve-time injection, the error overlay, and requests held during a rebuild."""

from __future__ import annotations

import json
import socket
import threading
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from conftest_serve import (
    is_port_free,
    page,
    raw_request,
    request,
    serving,
    status_of,
    wait_until,
    write_files,
)

from briefgen.serve.reload import MAX_LISTENERS, OVERLAY_ID, Publication, inject_preview
from briefgen.serve.server import (
    Found,
    PortInUseError,
    Redirect,
    Refused,
    SiteView,
    bind_server,
    host_name,
    is_allowed_host,
    mount_path,
    resolve_target,
)

CANARY = "canary-7f3d0c2e9b"
RELOAD_MARK = b"__briefgen__/reload.js"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An output folder with pages, a stylesheet, a folder without index, and a symlink out."""
    out = tmp_path / "site"
    write_files(
        out,
        {
            "index.html": page("Home"),
            "briefings/rail-plan/index.html": page("Rail plan"),
            "static/style.css": "body { color: black }\n",
            "feed.xml": "<?xml version='1.0'?><feed></feed>\n",
            "empty/readme.txt": "no index here\n",
            "404.html": page("Lost", "<p>custom not found</p>"),
        },
    )
    (tmp_path / "secret.txt").write_text(CANARY)
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path)
    return out


TRAVERSALS = [
    "/../secret.txt",
    "/../../etc/passwd",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/%252e%252e/secret.txt",
    "/.%2e/secret.txt",
    "/..;/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/static/../../secret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "//etc/passwd",
    "/C:/Windows/win.ini",
    "/\\..\\..\\secret.txt",
    "/%00",
    "/index.html%00.txt",
    "/" + "a/" * 3000,
    "/%",
    "/%zz",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/leakdir/",
    "/empty/",
    "/empty",
]


@pytest.mark.parametrize("path", TRAVERSALS, ids=lambda p: p[:40])
def test_paths_outside_the_site_are_refused(site: Path, path: str) -> None:
    with serving(site) as server:
        resp = request(server.port, path)
    assert resp.status in (400, 404), resp
    assert CANARY not in resp.text
    assert "Index of" not in resp.text  # never a directory listing


def test_raw_nul_and_garbage_requests_get_a_clean_answer(site: Path) -> None:
    with serving(site) as server:
        for data in (
            b"GET /\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            b"GET /../../secret.txt HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
        ):
            answer = raw_request(server.port, data)
            assert status_of(answer) in (400, 404), answer[:80]
            assert CANARY.encode() not in answer
        for data in (b"GARBAGE\r\n\r\n", b"GET /%00 HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n"):
            answer = raw_request(server.port, data)
            assert b"400" in answer[:2000] or b"431" in answer[:2000] or status_of(answer) == 403, answer[:80]
            assert CANARY.encode() not in answer
        assert request(server.port, "/").status == 200  # still serving


def test_pages_css_and_pretty_urls(site: Path) -> None:
    with serving(site) as server:
        home = request(server.port, "/")
        assert home.status == 200
        assert home.headers["content-type"] == "text/html; charset=utf-8"
        assert home.headers["cache-control"] == "no-store"
        assert home.headers["x-content-type-options"] == "nosniff"
        assert b"<h1>Home</h1>" in home.body
        brief = request(server.port, "/briefings/rail-plan/")
        assert brief.status == 200 and b"Rail plan" in brief.body
        css = request(server.port, "/static/style.css")
        assert css.status == 200 and css.body == b"body { color: black }\n"
        assert css.headers["content-type"].startswith("text/css")


def test_folder_without_slash_redirects_on_the_same_origin(site: Path) -> None:
    with serving(site) as server:
        resp = request(server.port, "/briefings/rail-plan")
        assert resp.status == 301
        assert resp.headers["location"] == "/briefings/rail-plan/"
        for path in ("//evil.example/%2e%2e%2fbriefings", "//evil.example/briefings"):
            resp = request(server.port, path)
            location = resp.headers.get("location", "/")
            assert location.startswith("/") and not location.startswith("//"), (path, location)


def test_script_is_injected_into_html_only_and_never_on_disk(site: Path) -> None:
    with serving(site) as server:
        html = request(server.port, "/briefings/rail-plan/")
        assert RELOAD_MARK in html.body
        assert html.body.index(RELOAD_MARK) < html.body.index(b"</body>")
        assert html.headers["content-length"] == str(len(html.body))
        for path in ("/static/style.css", "/feed.xml"):
            assert RELOAD_MARK not in request(server.port, path).body
        script = request(server.port, "/__briefgen__/reload.js")
        assert script.status == 200 and b"EventSource" in script.body
        assert script.headers["content-type"].startswith("text/javascript")
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert RELOAD_MARK not in path.read_bytes(), path


def test_missing_page_is_404_with_the_sites_404_page(site: Path) -> None:
    with serving(site) as server:
        resp = request(server.port, "/briefings/gone/")
    assert resp.status == 404
    assert b"custom not found" in resp.body and RELOAD_MARK in resp.body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"])
def test_other_methods_are_not_allowed(site: Path, method: str) -> None:
    with serving(site) as server:
        resp = request(server.port, "/", method=method)
    assert resp.status == 405
    assert "GET" in resp.headers["allow"]


def test_head_has_the_headers_of_get_without_a_body(site: Path) -> None:
    with serving(site) as server:
        get = request(server.port, "/")
        head = request(server.port, "/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(
    "host", ["attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "", "evil.example:80"]
)
def test_foreign_host_headers_are_refused(site: Path, host: str) -> None:
    with serving(site) as server:
        resp = request(server.port, "/", host=host)
    assert resp.status == 403
    assert b"Home" not in resp.body


def test_missing_host_header_is_refused(site: Path) -> None:
    with serving(site) as server:
        answer = raw_request(server.port, b"GET / HTTP/1.0\r\n\r\n")
    assert status_of(answer) == 403


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST"])
def test_loopback_host_headers_are_served(site: Path, host: str) -> None:
    with serving(site) as server:
        resp = request(server.port, "/", host=host.format(port=server.port))
    assert resp.status == 200


def test_host_parsing() -> None:
    assert host_name("LocalHost:8000") == "localhost"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("example.org.") == "example.org"
    assert is_allowed_host("192.168.1.20:8000")
    assert not is_allowed_host("192.168.1.20.nip.io:8000")
    assert is_allowed_host("mybox:8000", frozenset({"mybox"}))
    assert not is_allowed_host(None)


def test_reload_events_from_a_foreign_origin_are_refused(site: Path) -> None:
    with serving(site) as server:
        foreign = request(server.port, "/__briefgen__/events", headers={"Origin": "http://attacker.example"})
        assert foreign.status == 403
        cross = request(server.port, "/__briefgen__/state", headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status == 403
        own = request(
            server.port, "/__briefgen__/state", headers={"Origin": f"http://127.0.0.1:{server.port}"}
        )
        assert own.status == 200 and "generation" in json.loads(own.body)
        assert request(server.port, "/__briefgen__/nonsense").status == 404


def _open_events(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(f"GET /__briefgen__/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return sock


def _read_until(sock: socket.socket, marker: bytes, seen: bytes = b"") -> bytes:
    data = seen
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_events_announce_each_changed_build_and_errors(site: Path) -> None:
    publication = Publication()
    with serving(site, publication=publication) as server:
        sock = _open_events(server.port)
        try:
            first = _read_until(sock, b"\n\n", _read_until(sock, b"data: "))
            assert b"200 OK" in first and b"text/event-stream" in first
            before = publication.state.generation
            publication.publish(changed=True, errors=[])
            data = _read_until(sock, publication.state.generation.encode(), first)
            assert publication.state.generation != before
            publication.publish(changed=False, errors=["content/a.md:3: error: bad front matter"])
            data = _read_until(sock, b"bad front matter", data)
            assert data.count(b"data: ") == 3
        finally:
            sock.close()
        wait_until(lambda: publication.listeners == 0, what="the listener to be released")


def test_reload_connections_are_capped(site: Path) -> None:
    publication = Publication(max_listeners=4)
    with serving(site, publication=publication) as server:
        socks = [_open_events(server.port) for _ in range(4)]
        try:
            for sock in socks:
                _read_until(sock, b"data: ")
            assert publication.listeners == 4
            assert request(server.port, "/__briefgen__/events").status == 503
            assert request(server.port, "/").status == 200
        finally:
            for sock in socks:
                sock.close()
        wait_until(lambda: publication.listeners == 0, timeout_s=5, what="listeners to be released")
        sock = _open_events(server.port)
        try:
            assert b"200 OK" in _read_until(sock, b"data: ")
        finally:
            sock.close()
    assert MAX_LISTENERS == 64


def test_overlay_lists_errors_until_a_good_build(site: Path) -> None:
    publication = Publication()
    with serving(site, publication=publication) as server:
        assert OVERLAY_ID.encode() not in request(server.port, "/").body
        publication.publish(changed=False, errors=["templates/briefing.html:12: error: unexpected '}' <b>"])
        for path in ("/", "/briefings/rail-plan/", "/nowhere/"):
            body = request(server.port, path).text
            assert OVERLAY_ID in body
            assert "templates/briefing.html:12: error: unexpected &#x27;}&#x27; &lt;b&gt;" in body
        assert OVERLAY_ID.encode() not in request(server.port, "/static/style.css").body
        publication.publish(changed=True, errors=[])
        assert OVERLAY_ID.encode() not in request(server.port, "/").body


def test_a_request_during_a_rebuild_waits_for_it(site: Path) -> None:
    publication = Publication()
    results: list[bytes] = []
    with serving(site, publication=publication) as server:
        with publication.rebuilding():
            (site / "index.html").write_text(page("Half"))  # a half-built state nobody may see
            reader = threading.Thread(target=lambda: results.append(request(server.port, "/").body))
            reader.start()
            time.sleep(0.2)  # give the request every chance to (wrongly) be answered now
            assert not results
            (site / "index.html").write_text(page("Rebuilt"))
        reader.join(timeout=5)
        assert results and b"Rebuilt" in results[0]
        # the reload endpoints never wait on the gate
        with publication.rebuilding():
            assert request(server.port, "/__briefgen__/state").status == 200


def test_a_request_during_a_long_rebuild_is_answered_from_the_files_after_a_second(site: Path) -> None:
    publication = Publication()
    with serving(site, publication=publication) as server, publication.rebuilding():
        started = time.monotonic()
        resp = request(server.port, "/briefings/rail-plan/")
        elapsed = time.monotonic() - started
        assert resp.status == 200 and b"Rail plan" in resp.body  # the last good page
        assert 0.9 <= elapsed < 1.5, elapsed
        assert publication.is_rebuilding  # answered while the rebuild still holds the site


def test_mount_path_serves_under_the_base_url_only(site: Path) -> None:
    assert mount_path("https://example.org/briefs") == "/briefs/"
    assert mount_path("/") == "/"
    with serving(site, mount="/briefs/") as server:
        assert request(server.port, "/briefs/").status == 200
        resp = request(server.port, "/briefs")
        assert resp.status == 301 and resp.headers["location"] == "/briefs/"
        assert request(server.port, "/index.html").status == 404
        assert RELOAD_MARK not in request(server.port, "/briefs/").body.replace(
            b"/briefs/__briefgen__/reload.js", b""
        )
        assert request(server.port, "/briefs/__briefgen__/reload.js").status == 200


def test_resolution_is_pure_path_logic(site: Path) -> None:
    view = SiteView(site, "/")
    assert resolve_target(view, "/briefings/rail-plan/?x=1") == Found(site / "briefings/rail-plan/index.html")
    assert resolve_target(view, "/briefings/rail-plan?x") == Redirect("/briefings/rail-plan/")
    assert resolve_target(view, "/briefings") == Refused(HTTPStatus.NOT_FOUND)
    assert isinstance(resolve_target(view, "/../x"), Refused)


def test_busy_explicit_port_is_an_error_and_default_moves_on(site: Path) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    busy = holder.getsockname()[1]
    try:
        with pytest.raises(PortInUseError, match=str(busy)):
            bind_server("127.0.0.1", busy, SiteView(site, "/"), Publication())
        server = bind_server("127.0.0.1", None, SiteView(site, "/"), Publication(), first_port=busy)
        try:
            assert server.port != busy
            assert server.server_address[0] == "127.0.0.1"
        finally:
            server.server_close()
    finally:
        holder.close()


def test_port_is_free_after_shutdown(site: Path) -> None:
    with serving(site) as server:
        port = server.port
        assert not is_port_free(port)
    assert is_port_free(port)


def test_inject_without_body_tag_appends() -> None:
    publication = Publication()
    out = inject_preview(b"<p>x", script_url="/s.js", events_url="/e", state=publication.state)
    assert out.startswith(b"<p>x<script") and b'data-events="/e"' in out


def test_many_parallel_requests_while_rebuilding(site: Path) -> None:
    """Readers never see a missing or truncated page while a writer keeps replacing it."""
    publication = Publication()
    errors: list[str] = []
    stop = threading.Event()

    def reader(port: int) -> None:
        while not stop.is_set():
            resp = request(port, "/briefings/rail-plan/")
            if resp.status != 200 or not resp.body.rstrip().endswith(b"</html>"):
                errors.append(f"{resp.status} {resp.body[-40:]!r}")

    with serving(site, publication=publication) as server:
        threads = [threading.Thread(target=reader, args=(server.port,)) for _ in range(6)]
        for t in threads:
            t.start()
        target = site / "briefings/rail-plan/index.html"
        for n in range(30):
            with publication.rebuilding():
                target.unlink()  # the page is briefly missing: only inside the rebuild
                target.write_text(page(f"Rail plan {n}", "x" * 5000))
            publication.publish(changed=True, errors=[])
        stop.set()
        for t in threads:
            t.join(timeout=10)
    assert not errors, errors[:3]
    assert target.exists()
