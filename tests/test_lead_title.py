"""Titles of articles that give none: the file name's words, or, when the name is an identifier, a
headline cut from the lead (golden cases in tests/cases/titles/, and the seed built as pasted)."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from briefgen.slugs import slug_for
from briefgen.sources import parse_source
from briefgen.sources.document import make_document
from briefgen.sources.filenames import is_identifier, name_stem
from briefgen.text.leadtitle import MAX_WORDS, lead_title
from tests.casefiles import Golden, as_jsonl, each_case, read_case
from tests.conftest import SEED_ARTICLE, SHARED_SEED, parse_html, run_briefgen

SEED_TITLE = (
    "U.S. Defense Secretary Pete Hegseth on Thursday rejected claims that Washington is abandoning Ukraine"
)


@each_case("titles")
def test_title_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    rel = str(case.config["name"])
    kind = "markdown" if rel.endswith(".md") else "text"
    source, _ = parse_source(case.input.encode(), rel=rel, kind=kind, mtime=0.0)
    document, _ = make_document(source)
    golden.check(case, as_jsonl([{"title": document.meta.title, "slug": slug_for(rel)}]))


@pytest.mark.parametrize(
    "stem",
    [
        "000_e1ac3629cfe7b588",
        "12345",
        "article-12345",
        "scan0001",
        "IMG_2034",
        "3f2a9c1e-dead-4b1d-beef-0123456789ab",
        "untitled",
        "bbc-0042",
        "",
    ],
)
def test_identifiers(stem: str) -> None:
    assert is_identifier(stem)


@pytest.mark.parametrize(
    "stem",
    ["nato-talks", "hegseth", "brexit2", "Hegseth-Says-US-Is-Not-Abandoning-Ukraine", "кремль", "g7-summit"],
)
def test_names_of_words(stem: str) -> None:
    assert not is_identifier(stem)


def test_leading_date_is_not_part_of_the_stem() -> None:
    assert name_stem("content/2025-02-13-9f86d081884c7d65.txt") == "9f86d081884c7d65"
    assert is_identifier(name_stem("content/2025-02-13-9f86d081884c7d65.txt"))


def test_lead_title_keeps_its_words_in_order_and_within_reach() -> None:
    lead = (
        "Officials in Kyiv and Moscow traded accusations on Thursday over strikes on energy infrastructure "
        "that left millions without power across the country."
    )
    title = lead_title([lead])
    assert title is not None
    assert lead.startswith(title)
    assert 6 <= len(title.split()) <= MAX_WORDS
    assert title.split()[-1].lower() not in {"on", "over", "the", "that"}


def test_no_lead_no_title() -> None:
    assert lead_title([]) is None
    assert lead_title(["— … —"]) is None


def _seed_site(tmp_path: Path, seed: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir(parents=True)
    shutil.copy(seed, content / "000_e1ac3629cfe7b588.txt")
    return tmp_path


def _page_title(root: Path) -> str:
    html = (root / "site/briefings/000_e1ac3629cfe7b588/index.html").read_text(encoding="utf-8")
    return parse_html(html).find("h1").text().strip()


def test_seed_pasted_as_is_gets_its_lead_for_a_title(tmp_path: Path) -> None:
    """The seed under its original identifier name, with no headline and no front matter: the page's
    title is the lead's first clause, and its URL keeps the file name."""
    root = _seed_site(tmp_path, SEED_ARTICLE)
    run = run_briefgen("build", "--site", str(root))
    assert run.returncode == 0, run.stderr
    assert _page_title(root) == SEED_TITLE
    html = (root / "site/briefings/000_e1ac3629cfe7b588/index.html").read_text(encoding="utf-8")
    assert f"<title>{SEED_TITLE} ·" in html.replace("&#39;", "'")


def test_shared_seed_builds_the_same_title(tmp_path: Path) -> None:
    if not SHARED_SEED.exists():
        pytest.skip("shared/seed is not beside the checkout")
    root = _seed_site(tmp_path, SHARED_SEED)
    run = run_briefgen("build", "--site", str(root))
    assert run.returncode == 0, run.stderr
    assert _page_title(root) == SEED_TITLE
    assert PurePosixPath("000_e1ac3629cfe7b588.txt").stem == "000_e1ac3629cfe7b588"


def test_a_word_cut_never_splits_a_name() -> None:
    lead = (
        "Protesters waving Ukrainian flags and chanting slogans loudly booed visiting Chinese Foreign "
        "Minister Wang Yi outside the chancellery."
    )
    title = lead_title([lead])
    assert title is not None and lead.startswith(title)
    assert title.split()[-1] not in {"Chinese", "Foreign", "Minister", "Wang"}
