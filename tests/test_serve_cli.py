"""`briefgen serve` and `briefgen watch`: edits show up over HTTP, broken articles, templates and config
never stop the server, deleted pages answer 404, Ctrl-C and SIGTERM end it cleanly.

What the preview does is tested in-process (ServeInProcess: the command on a thread of this process).
Three tests start a real process, each saying why: how it ends under Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import re
import signal
import socket

from conftest_serve import ServeInProcess, ServeProcess, is_port_free, request, wait_until

from tests.conftest import Site, run_briefgen

PAGE_A = "/briefings/2025-03-01-dredging-plan/"
PAGE_B = "/briefings/2025-03-04-dredging-survey/"
OVERLAY = "briefgen-overlay"
MARK = "__briefgen__/reload.js"


def _serve(site: Site, *extra: str) -> ServeInProcess:
    return ServeInProcess("serve", "--site", str(site.root), "--port", "0", *extra)


def _serve_process(site: Site, *extra: str) -> ServeProcess:
    return ServeProcess("serve", "--site", str(site.root), "--port", "0", *extra)


def _body(port: int, path: str) -> str:
    return request(port, path).text


def test_an_edit_is_served_then_ctrl_c_stops_cleanly(site: Site) -> None:
    """A real process: the SIGINT a terminal sends, the exit status, the port freed when it ends."""
    proc = _serve_process(site)
    try:
        port = proc.port()
        home = request(port, "/")
        assert home.status == 200 and MARK in home.text and OVERLAY not in home.text
        assert request(port, PAGE_A).status == 200
        article = site.root / "content/2025-03-01-dredging-plan.md"
        article.write_text(article.read_text() + "\nThe harbour master welcomed the plan zqxmarker.\n")
        wait_until(lambda: "zqxmarker" in _body(port, PAGE_A), timeout_s=10, what="the edit over HTTP")
        assert proc.proc.poll() is None
    finally:
        elapsed = proc.stop(signal.SIGINT)
    assert elapsed < 1.0, f"Ctrl-C took {elapsed:.2f} s"
    assert proc.proc.returncode == 0
    assert "Traceback" not in proc.stderr
    assert "stopped" in proc.stdout
    assert is_port_free(port)
    for path in (site.root / "site").rglob("*"):
        if path.is_file():
            assert MARK.encode() not in path.read_bytes(), path  # injected at serve time only


def test_a_broken_template_shows_an_overlay_until_fixed(site: Site) -> None:
    proc = _serve(site)
    try:
        port = proc.port()
        before = _body(port, "/")
        site.write("templates/index.html", "{% extends '!theme/index.html' %}\n{% block nope %\n")
        wait_until(lambda: OVERLAY in _body(port, "/"), timeout_s=10, what="the overlay")
        page = _body(port, "/")
        assert "templates/index.html" in page  # the file name is visible
        kept = re.sub(f'<div id="{OVERLAY}".*?</div>', "", page)  # the overlay opens the body
        assert kept.split('<script src="/__briefgen__/')[0] == before.split('<script src="/__briefgen__/')[0]
        assert OVERLAY in _body(port, PAGE_A)  # on every page
        (site.root / "templates/index.html").unlink()
        wait_until(lambda: OVERLAY not in _body(port, "/"), timeout_s=10, what="the overlay to go")
        assert proc.running
    finally:
        proc.stop()
    assert "Traceback" not in proc.stderr
    assert "templates/index.html" in proc.stderr


def test_a_broken_article_is_reported_and_the_rest_served(site: Site) -> None:
    proc = _serve(site)
    try:
        port = proc.port()
        site.write("content/2025-03-05-broken.md", "---\ntitle: [unclosed\n---\n\nText.\n")
        wait_until(lambda: "content/2025-03-05-broken.md" in _body(port, "/"), timeout_s=10, what="the error")
        assert request(port, PAGE_A).status == 200
        (site.root / "content/2025-03-05-broken.md").unlink()
        wait_until(lambda: OVERLAY not in _body(port, PAGE_A), timeout_s=10, what="the overlay to go")
    finally:
        proc.stop()
    assert "Traceback" not in proc.stderr


def test_a_broken_config_keeps_the_old_one_and_a_good_one_rebuilds(site: Site) -> None:
    proc = _serve(site)
    try:
        port = proc.port()
        site.write("briefgen.yml", "title: [unclosed\n")
        wait_until(lambda: "briefgen.yml" in _body(port, "/"), timeout_s=10, what="the config error")
        assert request(port, PAGE_A).status == 200
        site.write("briefgen.yml", "title: Harbour desk zqxtitle\n")
        wait_until(lambda: "zqxtitle" in _body(port, PAGE_A), timeout_s=10, what="the new title")
        # a request during the rebuild's last second may see new pages before the errors are cleared
        wait_until(lambda: OVERLAY not in _body(port, "/"), timeout_s=10, what="the overlay to go")
    finally:
        proc.stop()
    assert "Traceback" not in proc.stderr


def test_deleted_and_renamed_articles_answer_404_and_lose_their_links(site: Site) -> None:
    proc = _serve(site)
    try:
        port = proc.port()
        assert "2025-03-04-dredging-survey" in _body(port, "/")
        (site.root / "content/2025-03-04-dredging-survey.md").unlink()
        wait_until(lambda: request(port, PAGE_B).status == 404, timeout_s=10, what="a 404")
        assert "2025-03-04-dredging-survey" not in _body(port, "/")
        assert "2025-03-04-dredging-survey" not in _body(port, PAGE_A)
        old = site.root / "content/2025-03-01-dredging-plan.md"
        old.rename(site.root / "content/2025-03-01-harbour-plan.md")
        wait_until(lambda: request(port, "/briefings/2025-03-01-harbour-plan/").status == 200, timeout_s=10)
        assert request(port, PAGE_A).status == 404
        assert "2025-03-01-dredging-plan" not in _body(port, "/")
    finally:
        proc.stop()


def test_a_busy_explicit_port_is_a_clear_error(site: Site) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        run = run_briefgen("serve", "--site", str(site.root), "--port", str(busy))
    assert run.returncode == 2
    assert f"port {busy}" in run.stderr and "--port" in run.stderr
    assert "Traceback" not in run.stderr


def test_another_host_than_loopback_prints_a_warning(site: Site) -> None:
    """A real process: it ends on SIGTERM (as a service manager stops it) with status 0."""
    proc = _serve_process(site, "--host", "127.0.0.2")  # not the usual loopback name, yet nothing is exposed
    try:
        assert proc.url().startswith("http://127.0.0.2:")
        proc.wait_for_line("warning: listening on 127.0.0.2", stream="err")
    finally:
        proc.stop(signal.SIGTERM)
    assert proc.proc.returncode == 0


def test_watch_rebuilds_without_a_server(site: Site) -> None:
    """A real process: `watch` ends on SIGTERM within a second, with status 0."""
    proc = ServeProcess("watch", "--site", str(site.root))
    try:
        proc.wait_for_line("watching")
        out = site.root / "site" / PAGE_A.strip("/") / "index.html"
        article = site.root / "content/2025-03-01-dredging-plan.md"
        article.write_text(article.read_text() + "\nA new paragraph zqxwatch.\n")
        wait_until(lambda: "zqxwatch" in out.read_text(), timeout_s=10, what="the rebuilt page")
    finally:
        elapsed = proc.stop(signal.SIGTERM)
    assert elapsed < 1.0
    assert proc.proc.returncode == 0 and "Traceback" not in proc.stderr


def test_serve_under_a_base_url_subpath(site: Site) -> None:
    proc = _serve(site, "--base-url", "/briefs/")
    try:
        assert proc.url().endswith("/briefs/")
        port = proc.port()
        assert request(port, "/briefs/").status == 200
        assert request(port, "/briefs" + PAGE_A).status == 200
        assert "/briefs/__briefgen__/reload.js" in _body(port, "/briefs/")
        assert request(port, "/").status == 404
    finally:
        proc.stop()
