"""Fault injection on `briefgen serve` as a real process (real watchdog events, real HTTP on 127.0.0.1):
a hostile article that takes many seconds to build, 500 files at once, files deleted while they are
read, folders renamed (the content folder too), a template and briefgen.yml broken while serving. The
server keeps answering throughout, and the site recovers once the fault is gone."""

from __future__ import annotations

import re
import shutil
import signal
import time
from collections.abc import Iterator

import pytest
from conftest_serve import ServeProcess, request, wait_until

from tests.conftest import Site

pytestmark = pytest.mark.slow

PAGE_A = "/briefings/2025-03-01-dredging-plan/"
OVERLAY = "briefgen-overlay"
INJECTED = '<script src="/__briefgen__/'
# markdown-it-py reads `![a` repeated in about 0.1 ms a time on this machine: 300 KB of it is a real
# article that keeps a rebuild busy for many seconds (the lead's per-article time limit may cut it
# at limits.article_seconds, 10 s by default; either way the build is long).
HOSTILE_BODY = "![a " * 75_000


@pytest.fixture
def served(site: Site) -> Iterator[tuple[Site, ServeProcess, int]]:
    proc = ServeProcess("serve", "--site", str(site.root), "--port", "0")
    try:
        yield site, proc, proc.port()
    finally:
        proc.stop(signal.SIGINT, timeout_s=60)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


def _builds(proc: ServeProcess) -> int:
    return proc.stderr.count("built") + proc.stderr.count("build failed")


def _timed(port: int, path: str) -> tuple[float, int, str]:
    started = time.monotonic()
    resp = request(port, path, timeout_s=30)
    return time.monotonic() - started, resp.status, resp.text


def test_requests_get_the_last_good_page_within_1_5_s_while_a_hostile_article_builds(
    served: tuple[Site, ServeProcess, int],
) -> None:
    site, proc, port = served
    before = request(port, PAGE_A).text
    site.write("content/2025-03-05-brackets.md", "# Brackets\n\n" + HOSTILE_BODY + "\n")
    proc.wait_for_line(r"changed: content/2025-03-05-brackets\.md", stream="err")
    new_page = site.root / "site/briefings/2025-03-05-brackets/index.html"
    answered_while_building = 0
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        for path in (PAGE_A, "/"):
            elapsed, status, text = _timed(port, path)
            building = not new_page.exists() and "built" not in proc.stderr.split("changed:")[-1]
            assert status == 200
            assert elapsed < 1.5, f"{path} took {elapsed:.2f} s during a rebuild"
            if path == PAGE_A:
                assert text.split(INJECTED)[0] == before.split(INJECTED)[0]  # the last good page
            answered_while_building += building
    assert answered_while_building >= 2, "the build ended too soon to show anything: make HOSTILE_BODY longer"
    wait_until(lambda: _builds(proc) >= 2, timeout_s=240, what="the hostile article's build to end")
    assert request(port, "/").status == 200


def test_500_files_at_once_are_built_and_the_server_answers_meanwhile(
    served: tuple[Site, ServeProcess, int],
) -> None:
    site, _, port = served
    for n in range(500):
        site.write(
            f"content/burst/2025-04-{n % 28 + 1:02d}-burst-{n}.md",
            f"---\ntitle: Burst article {n}\n---\nThe harbour board met for the {n}th time on Monday.\n",
        )
    slowest = 0.0
    deadline = time.monotonic() + 240
    last = site.root / "site/briefings/2025-04-24-burst-499/index.html"
    while not last.exists():
        assert time.monotonic() < deadline, "the burst was never built"
        elapsed, status, _ = _timed(port, PAGE_A)
        assert status == 200
        slowest = max(slowest, elapsed)
        time.sleep(0.2)
    wait_until(lambda: request(port, "/briefings/2025-04-01-burst-0/").status == 200, timeout_s=30)
    assert slowest < 1.5, f"a request took {slowest:.2f} s during the burst"
    assert sum(1 for _ in (site.root / "site/briefings").glob("*-burst-*")) == 500
    wait_until(lambda: OVERLAY not in request(port, "/").text, timeout_s=30, what="no overlay")


def test_files_deleted_while_they_are_read_leave_no_error_behind(
    served: tuple[Site, ServeProcess, int],
) -> None:
    site, _, port = served
    flicker = site.root / "content/2025-03-09-flicker.md"
    for n in range(150):
        flicker.write_text(f"---\ntitle: Flicker {n}\n---\n" + "The tide turned early on Monday. " * 200)
        if n % 3 == 0:
            time.sleep(0.01)  # let some builds start with the file listed, then find it gone
        flicker.unlink()
    wait_until(
        lambda: (
            request(port, "/briefings/2025-03-09-flicker/").status == 404
            and OVERLAY not in request(port, "/").text
        ),
        timeout_s=120,
        what="the site to settle without the deleted file or an error",
    )
    assert request(port, PAGE_A).status == 200


def test_folders_renamed_including_the_content_folder(served: tuple[Site, ServeProcess, int]) -> None:
    site, _, port = served
    for n in range(5):
        site.write(
            f"content/2024/2024-06-0{n + 1}-archived-{n}.md",
            f"---\ntitle: Archived {n}\n---\nOld news {n}.\n",
        )
    wait_until(lambda: request(port, "/briefings/2024-06-05-archived-4/").status == 200, timeout_s=60)
    (site.root / "content/2024").rename(site.root / "content/archive")
    (site.root / "content/archive/2024-06-05-archived-4.md").rename(
        site.root / "content/archive/2024-06-05-kept-4.md"
    )
    wait_until(lambda: request(port, "/briefings/2024-06-05-kept-4/").status == 200, timeout_s=60)
    assert request(port, "/briefings/2024-06-05-archived-4/").status == 404
    assert request(port, "/briefings/2024-06-01-archived-0/").status == 200
    # the content folder itself goes away: the last good site stays, with the reason in the overlay
    shutil.move(site.root / "content", site.root / "content-away")
    wait_until(lambda: OVERLAY in request(port, "/").text, timeout_s=60, what="the overlay")
    assert "content folder does not exist" in request(port, "/").text
    assert request(port, PAGE_A).status == 200
    shutil.move(site.root / "content-away", site.root / "content")
    wait_until(lambda: OVERLAY not in request(port, "/").text, timeout_s=60, what="recovery")
    assert request(port, "/briefings/2024-06-05-kept-4/").status == 200


def test_a_broken_template_and_a_broken_config_while_serving(served: tuple[Site, ServeProcess, int]) -> None:
    site, proc, port = served
    good = request(port, PAGE_A).text.split(INJECTED)[0]
    site.write(
        "templates/briefing.html",
        "{% extends '!theme/briefing.html' %}{% block body %}{{ b.nope( }}{% endblock %}",
    )
    wait_until(lambda: OVERLAY in request(port, PAGE_A).text, timeout_s=60, what="the template error")
    assert "templates/briefing.html:1" in request(port, PAGE_A).text
    without_overlay = re.sub(
        f'<div id="{OVERLAY}".*?</div>', "", request(port, PAGE_A).text
    )  # it opens the body
    assert without_overlay.split(INJECTED)[0] == good
    (site.root / "templates/briefing.html").unlink()
    wait_until(lambda: OVERLAY not in request(port, PAGE_A).text, timeout_s=60, what="the template fix")
    config = site.root / "briefgen.yml"
    for broken, shown in (
        ("title: Desk\nsummary:\n  sentences: many\n", "briefgen.yml:3: error: summary.sentences"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
         "briefgen.yml:4: error: the config expands to more than 10,000 values"),
        ("content_dir: contnet\n", "did you mean &#x27;content&#x27;?"),
        ("title: [unclosed\n", "not valid YAML"),
    ):  # fmt: skip
        config.write_text(broken)
        wait_until(lambda shown=shown: shown in request(port, "/").text, timeout_s=60, what=shown)
        assert request(port, PAGE_A).status == 200
    config.write_text("title: Fixed desk\n")
    wait_until(lambda: "Fixed desk" in request(port, "/").text, timeout_s=60, what="the fixed config")
    wait_until(lambda: OVERLAY not in request(port, "/").text, timeout_s=60, what="the overlay to go")
    assert proc.proc.poll() is None
