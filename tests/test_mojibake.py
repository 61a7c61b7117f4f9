"""Mojibake repair (sources/mojibake.py): ftfy's encoding fix, run only where it can change a line.

The prefilter is a necessary condition, so every test of it compares with ftfy run on every line; and
clean text, the sample site's above all, must come through unchanged.
"""

from __future__ import annotations

import random
from pathlib import Path

import ftfy
import pytest
from ftfy.chardata import CHARMAP_ENCODINGS, UTF8_CLUES

from briefgen.errors import Severity
from briefgen.sources import parse_source
from briefgen.sources.mojibake import _MAYBE, _config, repair_line, repair_mojibake
from tests.casefiles import Golden, as_jsonl, each_case, read_case
from tests.conftest import REPO


@each_case("mojibake")
def test_mojibake_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    repair = repair_mojibake(case.input)
    if repair is None:
        golden.check(case, as_jsonl([None]))
        return
    got = {"lines": list(repair.lines), "misread_as": repair.misread_as, "example": list(repair.example)}
    golden.check(case, as_jsonl([got, *({"line": line} for line in repair.text.split("\n"))]))


def _every_line_through_ftfy(text: str) -> str:
    return "\n".join(repair_line(line)[0] for line in text.split("\n"))


def _repaired(text: str) -> str:
    repair = repair_mojibake(text)
    return text if repair is None else repair.text


@pytest.mark.parametrize(
    ("broken", "right"),
    [
        ("This wasnâ€™t a luxury request.", "This wasn’t a luxury request."),
        ("â€œWe will,â€\x9d he said.", "“We will,” he said."),
        ("The cafÃ© in MÃ¼nchen", "The café in München"),
        ("Tickets cost Â£5 â€“ or â‚¬6", "Tickets cost £5 – or €6"),
        ("Ã‰cole", "École"),
        ("voilÃ le travail", "voilà le travail"),  # a no-break space that became a space
        # a closing quotation mark whose last byte (0x9D, not in Windows-1252) was lost: not a dagger
        ("He said â€œyesâ€ and left.", "He said “yes” and left."),
        ("â€œWe will stay,â€", "“We will stay,”"),
    ],
)
def test_mojibake_is_repaired(broken: str, right: str) -> None:
    repair = repair_mojibake(f"Headline\n\n{broken}\n")
    assert repair is not None
    assert repair.text == f"Headline\n\n{right}\n"
    assert repair.lines == (2,)


@pytest.mark.parametrize(
    "clean",
    [
        "plain ASCII text, with 'quotes' and -- dashes",
        "“Curly” quotes, the students’ union — and an en dash – too…",
        "Ångström, Łódź, Zoë, Ségolène Royal, naïveté, São Paulo, Dvořák, Øresund",
        "20° C at 7 a.m. · 5 km² · ±3% · “’Tis” · ‘’",
        "Καλημέρα, Привет, こんにちは, 안녕하세요, مرحبا",
        "café au lait, Ã la carte is not mojibake on its own?",
        "ﬁnance ｆｕｌｌｗｉｄｔｈ &amp; entities stay as written",
        "\u00a0no-break\u00a0spaces\u00a0“stay”\u00a0",
    ],
)
def test_clean_text_is_left_alone(clean: str) -> None:
    assert _repaired(clean) == clean
    assert ftfy.fix_text(clean, _config()) == clean


def test_c1_controls_are_left_to_the_reader() -> None:
    """ftfy would read a Latin-1 line with a C1 control as Windows-1252 ('\\x9b' as '›'); the reader
    removes control characters and says so instead."""
    assert repair_mojibake("The board\x9b met on Monday.") is None
    source, problems = parse_source(
        "The board\x9b met on Monday.\n".encode(), rel="content/c1.txt", kind="text", mtime=0.0
    )
    assert source.body == "The board met on Monday.\n"
    assert [d.message for d in problems] == [
        "removed 1 control character (U+009B) that cannot be shown in a page"
    ]


_ALPHABET = "aé ’”“—–-?ÃÂâ€™©¼\x9d\x83£\xa0ÅÐ¿ðï¬\x81\ufffd\x1a\u0308Ăœ.\n"


def test_the_prefilter_never_skips_a_line_ftfy_would_change() -> None:
    rng = random.Random(21)
    changed = 0
    for _ in range(20_000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 10)))
        expected = _every_line_through_ftfy(text)
        assert _repaired(text) == expected, repr(text)
        changed += expected != text
    assert changed > 200  # the alphabet makes real mojibake, not only text the prefilter skips


def test_the_prefilter_knows_every_character_ftfy_reads_utf8_in() -> None:
    """`_MAYBE` is built from Python's codecs; ftfy's own tables must hold nothing it lacks."""
    leads = "".join(bytes(range(0xC0, 0x100)).decode(enc) for enc in CHARMAP_ENCODINGS)
    continuations = "".join(bytes([*range(0x80, 0xC0), 0x1A]).decode(enc) for enc in CHARMAP_ENCODINGS)
    for lead in set(leads):
        for continuation in set(continuations):
            assert _MAYBE.search(lead + continuation), repr(lead + continuation)
    firsts = UTF8_CLUES["utf8_first_of_2"] + UTF8_CLUES["utf8_first_of_3"] + UTF8_CLUES["utf8_first_of_4"]
    for lead in set(firsts):
        for continuation in set(UTF8_CLUES["utf8_continuation"]):
            assert _MAYBE.search(lead + continuation), repr(lead + continuation)


def test_the_sample_site_is_clean_text() -> None:
    """ftfy changes nothing in the sample articles, so neither may the repair (no page changes)."""
    paths = sorted((REPO / "content").glob("*.*"))
    assert len(paths) >= 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert ftfy.fix_text(text, _config()) == text, path.name
        assert repair_mojibake(text) is None, path.name


def test_parse_source_repairs_and_warns_once_with_the_first_line() -> None:
    body = (
        "---\ntitle: The cafÃ© that wasnâ€™t\n---\n"
        "It opened on Monday.\n\nIts owner said it â€œwould stayâ€\x9d open.\n\nPrices stay the same.\n"
    )
    source, problems = parse_source(body.encode(), rel="content/cafe.txt", kind="text", mtime=0.0)
    assert source.front["title"] == "The café that wasn’t"
    assert "“would stay”" in source.body
    assert [(d.severity, str(d.location)) for d in problems] == [(Severity.WARNING, "content/cafe.txt:2")]
    message = problems[0].message
    assert message.startswith("repaired mojibake on 2 lines (UTF-8 text once read as Windows-1252)")
    assert "'cafÃ©' -> 'café'" in message


def test_repair_keeps_every_line_where_it_was() -> None:
    text = "One â€“ two\n\nthree\n\nfour â€™s\n"
    repair = repair_mojibake(text)
    assert repair is not None
    assert repair.lines == (0, 4)
    assert repair.text.split("\n") == ["One – two", "", "three", "", "four ’s", ""]


_RIGHT = "Ségolène Royal met the mayor of São Paulo. “We agreed,” she said. “It wasn’t easy.”"


@pytest.mark.parametrize(
    ("codec", "shown"),
    [
        ("sloppy-windows-1252", "Windows-1252"),  # as browsers and Windows decode it
        ("latin-1", "Latin-1"),
        ("macroman", "Mac OS Roman"),
        ("sloppy-windows-1251", "Windows-1251"),
    ],
)
def test_text_misread_with_each_encoding_comes_back_whole(codec: str, shown: str) -> None:
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs)

    broken = _RIGHT.encode("utf-8").decode(codec)
    repair = repair_mojibake(broken)
    assert repair is not None
    assert (repair.text, repair.misread_as) == (_RIGHT, shown)


def test_text_misread_twice_comes_back_whole() -> None:
    import ftfy.bad_codecs  # noqa: F401

    broken = _RIGHT
    for _ in range(2):
        broken = broken.encode("utf-8").decode("sloppy-windows-1252")
    assert _repaired(broken) == _RIGHT


def test_a_lost_byte_is_shown_as_lost() -> None:
    """Strict Windows-1252 has no character for the last byte of '”' (0x9D): what was lost stays a
    replacement character rather than a guess."""
    broken = _RIGHT.encode("utf-8").decode("cp1252", errors="replace")
    assert _repaired(broken) == _RIGHT.replace("”", "\ufffd")
