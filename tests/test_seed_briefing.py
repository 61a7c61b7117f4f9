"""The seed article (the messy pasted text this project started from) as its briefing page shows it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_ARTICLE, SHARED_SEED, Node, parse_html, run_briefgen

SEED_PAGE = "site/briefings/2025-02-13-hegseth-says-us-is-not-abandoning-ukraine/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    run = run_briefgen("build", "--site", str(root))
    assert run.returncode == 0, run.stderr
    return root


@pytest.fixture(scope="module")
def page(built: Path) -> Node:
    return parse_html((built / SEED_PAGE).read_text(encoding="utf-8"))


def test_seed_file_is_byte_for_byte_the_seed() -> None:
    """The seed tests read the repository's copy, so they run in any clone; beside shared/, check it."""
    assert SEED_ARTICLE.is_file()
    if not SHARED_SEED.exists():
        pytest.skip("shared/seed is not beside the checkout: nothing to compare the copy with")
    assert SEED_ARTICLE.read_bytes() == SHARED_SEED.read_bytes()


def test_header_has_dateline_author_source_and_date(page: Node) -> None:
    assert page.find(class_="dateline").text() == "Brussels"
    assert page.find(class_="author").text() == "By Pyotr Kozlov"
    assert page.find(class_="source").text().strip() == "The Moscow Times"
    assert page.find("time").attrs["datetime"] == "2025-02-13"


def test_body_is_clean_and_rejoined(page: Node) -> None:
    body = page.find(class_="body")
    paragraphs = [p.text() for p in body.find_all("p")]
    text = "\n".join(paragraphs)
    assert "themoscowtimes.com" not in text
    assert "Related article" not in text
    assert not text.startswith("BRUSSELS")
    assert "\n" not in paragraphs[0]
    assert any("insisting the United States remains Kyiv’s largest financial backer" in p for p in paragraphs)
    assert any(
        "Donald Trump said that he held a “lengthy and highly productive phone call”" in p for p in paragraphs
    )
    assert len(paragraphs) == 13


def test_related_article_line_is_kept_as_a_reference(page: Node) -> None:
    refs = page.find(class_="references").find_all("li")
    assert len(refs) == 1
    text = re.sub(r"\s+", " ", refs[0].text())
    assert "Putin Tells Trump 'Peaceful Negotiations' on Ukraine War Possible in Leaders' First Call" in text
    link = refs[0].find("a")  # the sample site has that briefing: the reference links to it
    assert link.attrs["href"].startswith("../")


def test_key_quotes_are_attributed(page: Node) -> None:
    quotes = page.find(class_="key-quotes").find_all("figure", class_="quote")
    assert len(quotes) >= 3
    speakers = [q.find(class_="speaker").text() for q in quotes]
    assert set(speakers) <= {"Pete Hegseth", "Donald Trump"}
    assert "Pete Hegseth" in speakers
    texts = " ".join(q.find("blockquote").text() for q in quotes)
    assert "unrealistic" not in texts
    assert "lengthy and highly productive phone call" not in texts


def test_entities_and_related_coverage(page: Node) -> None:
    people = [
        li.text() for li in page.find(class_="entities").find_all("ul", class_="person")[0].find_all("li")
    ]
    assert any(p.startswith("Pete Hegseth") for p in people)
    related = page.find(class_="related").find_all("li")
    assert related, "other sample articles cover the same story"


def test_key_quotes_lead_with_the_headline_claim_and_join_split_quotations(page: Node) -> None:
    figures = page.find(class_="key-quotes").find_all("figure", class_="quote")
    texts = [q.find("blockquote").text().strip().strip("“”") for q in figures]
    assert texts[0].startswith(
        "It is certainly not a betrayal. No country, as President Trump has pointed out"
    )
    assert not any(t.startswith("No country") for t in texts)  # the second half is shown with the first
    assert len(texts) == len(set(texts))
