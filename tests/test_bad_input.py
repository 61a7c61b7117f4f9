"""Bad input: one clear `path:line: error:` line, no traceback, the rest of the site still built."""

from __future__ import annotations

import json

from tests.conftest import Site


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def test_invalid_front_matter_names_file_and_line(site: Site) -> None:
    site.write(
        "content/2025-03-09-broken.md", "---\ntitle: Broken\ndate: 2025-03-09\ntags: [a, b\n---\nBody.\n"
    )
    run = site.build()
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    (line,) = _errors(run.stderr)
    assert line.startswith("content/2025-03-09-broken.md:4:12: error:")
    assert "front matter is not valid YAML" in line
    assert (site.root / "site/briefings/2025-03-01-dredging-plan/index.html").is_file()
    assert not (site.root / "site/briefings/2025-03-09-broken").exists()


def test_unclosed_front_matter(site: Site) -> None:
    site.write("content/2025-03-09-open.md", "---\ntitle: Open\n\nBody text.\n")
    run = site.build()
    assert run.returncode == 1
    assert _errors(run.stderr) == [
        "content/2025-03-09-open.md:1: error: front matter opened with '---' is never closed: add a '---' line after it"
    ]


def test_cp1252_is_read_with_a_warning(site: Site) -> None:
    site.write_bytes(
        "content/2025-03-10-legacy.txt",
        "Caf\u00e9 owners say \u201cno\u201d to the new tax.\n".encode("cp1252"),
    )
    run = site.build()
    assert run.returncode == 0
    assert "content/2025-03-10-legacy.txt:1: warning: not valid UTF-8; read as Windows-1252" in run.stderr
    assert "Café owners say “no”" in site.out("briefings/2025-03-10-legacy/index.html")


def test_undecodable_bytes_are_an_error_with_the_line(site: Site) -> None:
    site.write_bytes("content/2025-03-10-garbage.txt", b"First line fine.\nSecond \x81\x8d line.\n")
    run = site.build()
    assert run.returncode == 1
    (line,) = _errors(run.stderr)
    assert line.startswith("content/2025-03-10-garbage.txt:2: error: cannot decode the file")
    assert (site.root / "site/index.html").is_file()


def test_bom_and_crlf_are_handled(site: Site) -> None:
    site.write_bytes(
        "content/2025-03-11-windows.txt",
        "\ufeffTitle From Windows\r\n\r\nThe council met on Monday.\r\nIt agreed the budget.\r\n".encode(),
    )
    assert site.build().returncode == 0
    page = site.out("briefings/2025-03-11-windows/index.html")
    assert "<h1>Title From Windows</h1>" in page
    assert "\ufeff" not in page


def test_article_without_text_is_an_error(site: Site) -> None:
    site.write("content/2025-03-12-empty.md", "---\ntitle: Empty\ndate: 2025-03-12\n---\n\n   \n")
    run = site.build("--json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    (error,) = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert error["path"] == "content/2025-03-12-empty.md"
    assert "no text" in error["message"]
    assert report["briefings"] == 2


def test_wrong_front_matter_types_are_errors_and_the_article_still_builds(site: Site) -> None:
    site.write(
        "content/2025-03-13-types.md", "---\ntitle: Types\ndate: soon\ndraft: maybe\n---\nSome text.\n"
    )
    run = site.build()
    assert run.returncode == 1
    assert "content/2025-03-13-types.md:3: error: front matter 'date' is not a date" in run.stderr
    assert "content/2025-03-13-types.md:4: error: front matter 'draft' must be true or false" in run.stderr
    assert "<h1>Types</h1>" in site.out("briefings/2025-03-13-types/index.html")  # dated by its file name


def test_dropped_lines_are_listed_in_verbose_and_json(site: Site) -> None:
    site.write(
        "content/2025-03-14-pasted.txt",
        "The port reopened on Monday after repairs.\n\nhttps://example.com/author/jo-bloggs\n\nAdvertisement\n\n"
        "Ships queued outside the harbour for most of the day.\n",
    )
    verbose = site.build("--verbose")
    assert verbose.returncode == 0
    assert "content/2025-03-14-pasted.txt:3: info: dropped" in verbose.stderr
    assert "content/2025-03-14-pasted.txt:5: info: dropped" in verbose.stderr
    quiet = site.build()
    assert "info: dropped" not in quiet.stderr
    report = json.loads(site.build("--json").stdout)
    lines = {(d["path"], d["line"]) for d in report["dropped_lines"]}
    assert {("content/2025-03-14-pasted.txt", 3), ("content/2025-03-14-pasted.txt", 5)} <= lines


def test_an_article_that_breaks_keeps_its_last_good_pages_until_it_is_fixed_or_deleted(site: Site) -> None:
    assert site.build().returncode == 0
    ours = [
        "briefings/2025-03-01-dredging-plan/index.html",
        "days/2025-03-01/index.html",
        "entities/tomas-halvorsen/index.html",
    ]
    good = {rel: site.out(rel) for rel in ours}
    assert "Ministers agree harbour dredging plan" in good[ours[0]]
    site.write("content/2025-03-01-dredging-plan.md", "---\ntitle: [unclosed\n---\n\nText.\n")

    broken = site.build()
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert _errors(broken.stderr)[0].startswith("content/2025-03-01-dredging-plan.md:")
    assert (
        "content/2025-03-01-dredging-plan.md: warning: its last good version stays on the site "
        "until it is fixed or deleted" in broken.stderr
    )
    assert {rel: site.out(rel) for rel in ours} == good  # the page, its day and its people stay

    (site.root / "content/2025-03-01-dredging-plan.md").unlink()
    assert site.build().returncode == 0
    assert not (site.root / "site" / ours[0]).exists()
    assert not (site.root / "site" / ours[1]).exists()
