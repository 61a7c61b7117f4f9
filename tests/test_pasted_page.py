"""A web page pasted whole into content/ (issue 15 item 7), built as a user builds it: the headline above
the byline is the title, the byline gives the author, the page's published date is the article's date,
mojibake is repaired, and the page's furniture is dropped and listed, not shown or read as names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Site, parse_html

# The page, with more furniture and a line of mojibake ("wasnâ€™t": UTF-8 read as Windows-1252).
PASTED_PAGE = """\
Harbour authority approves night ferry trial after a year of complaints
By Maria Lindgren, Staff Reporter
Published March 3, 2025 | Updated 6:42 p.m.
Share on Facebook Share on X Email
Listen to this article · 4 min

HALDEN, Norway — The harbour authority on Monday approved a six-month trial of a night ferry between the
old town and the island suburbs, after a year of complaints from shift workers who said the last boat
left too early.

Image caption,
Shift workers waiting for the last boat

"People who clean the hospital at night have been walking an hour home," said Ingrid Solberg, who
chairs the residentsâ€™ association. "This wasnâ€™t a luxury request."

Advertisement

The trial will run two boats an hour until 2 a.m. on weekdays, the authority said, at a cost of about
4 million kroner.

https://www.example-news.test/halden/2025/03/03/night-ferry-trial

Related article: Island suburbs ask for later boats as night shifts grow

Sign up for our Morning Briefing newsletter to get the day's top stories in your inbox.

Harbour director Tor Aasen said ridership would decide whether the service stays. "If the boats run
empty, we will say so," he said.

© 2025 Example News
We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.
"""

FURNITURE = {
    2: "byline",
    3: "timestamp",
    4: "social",
    5: "audio player",
    11: "caption",
    12: "caption",
    17: "advertisement",
    22: "bare url",
    24: "reference",
    26: "newsletter prompt",
    31: "copyright",
    32: "cookie prompt",
}


def _page(site: Site, slug: str) -> str:
    return site.out(f"briefings/{slug}/index.html")


def test_a_pasted_page_reads_as_its_headline_byline_and_published_date(tmp_path: Path) -> None:
    site = Site(tmp_path / "pasted")
    site.write("content/b.txt", PASTED_PAGE)
    run = site.build("--verbose")
    assert run.returncode == 0, run.stderr
    page = parse_html(_page(site, "b"))
    assert page.find("h1").text() == "Harbour authority approves night ferry trial after a year of complaints"
    assert page.find(class_="author").text() == "By Maria Lindgren"
    assert page.find(class_="dateline").text() == "Halden, Norway"
    assert page.find("time").attrs["datetime"] == "2025-03-03"
    assert (site.root / "site" / "days" / "2025-03-03" / "index.html").is_file()
    # the date is the page's own: no warning that the file's time was taken
    assert "modification time" not in run.stderr
    # mojibake is repaired, and said so
    body = page.find("article").text()
    assert "wasn’t a luxury request" in body
    assert "â€" not in body
    (repaired,) = [line for line in run.stderr.splitlines() if "mojibake" in line]
    assert repaired.startswith("content/b.txt:15: warning: repaired mojibake on 1 line")
    # each piece of furniture is listed with its line and reason, and none is in the page
    for line, reason in FURNITURE.items():
        assert f"content/b.txt:{line}: info: dropped {reason} line:" in run.stderr, (line, reason)
    for furniture in ("Share on", "Email", "Listen to this", "Advertisement", "©", "cookies", "newsletter"):
        assert furniture not in body, furniture
    assert "Shift workers waiting for the last boat" not in body
    people = [li.text() for li in page.find_all(class_="person") for li in li.find_all("li")]
    assert any("Ingrid Solberg" in p for p in people)
    assert not any("Email" in p or "Share" in p or "Facebook" in p for p in people), people


@pytest.mark.parametrize(
    ("name", "front", "stamp", "dated", "warning"),
    [
        # front matter or file name wins; the page's disagreeing date is a warning at its line
        ("2025-03-04-ferry.txt", "", "Published March 3, 2025", "2025-03-04", "published on 2025-03-03"),
        ("ferry.txt", "---\ndate: 2025-03-05\n---\n", "Published March 3, 2025", "2025-03-05", "published"),
        # the page agrees: nothing to say
        ("2025-03-03-ferry.txt", "", "Published March 3, 2025 | Updated 6:42 p.m.", "2025-03-03", None),
        # only an updated date: it is still the page's, better than the file's time
        ("ferry.txt", "", "Updated: March 6, 2025", "2025-03-06", None),
        # the date in a byline, unlabelled
        ("ferry.txt", "", "By Jane Doe, March 7, 2025", "2025-03-07", None),
    ],
)
def test_the_article_date_and_what_the_page_says(
    tmp_path: Path, name: str, front: str, stamp: str, dated: str, warning: str | None
) -> None:
    site = Site(tmp_path / "dates")
    headline = "Night ferry trial approved for the island suburbs"
    story = "The harbour authority on Monday approved a six-month trial of a night ferry to the islands."
    site.write(f"content/{name}", f"{front}{headline}\n{stamp}\n\n{story}\n")
    run = site.build()
    assert run.returncode == 0, run.stderr
    slug = name.removesuffix(".txt")
    page = parse_html(_page(site, slug))
    assert page.find("time").attrs["datetime"] == dated
    assert page.find("h1").text() == headline
    warnings = [line for line in run.stderr.splitlines() if ": warning: " in line]
    if warning is None:
        assert warnings == []
    else:
        (said,) = warnings
        stamp_line = 2 + front.count("\n")
        assert said.startswith(f"content/{name}:{stamp_line}: warning: the page says it was {warning}")
        assert f"the article is dated {dated}" in said


def test_without_any_date_the_files_time_is_taken_with_a_warning(tmp_path: Path) -> None:
    site = Site(tmp_path / "undated")
    site.write(
        "content/ferry.txt", "Night ferry trial approved\n\nThe authority approved a trial on Monday.\n"
    )
    run = site.build()
    assert run.returncode == 0, run.stderr
    assert "content/ferry.txt: warning: no date in front matter, file name or the text" in run.stderr
