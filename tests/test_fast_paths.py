"""Fast paths in the analysis and cleaning code give exactly what the plain versions they replace give.

Each test runs the optimised helper and a straightforward reference (the regex or loop it replaced) on
many generated strings, built from the characters that matter to the helper, and demands equality.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence

import pytest

from briefgen.analysis import name_candidates, names, phrases, summary, summary_terms
from briefgen.text import boilerplate, clean, furniture, quotemarks, sentences, tokens, wrapping
from briefgen.text import dateline as dateline_module
from briefgen.text.byline import is_bare_url

_ROUNDS = 8_000


def _strings(alphabet: str, seed: int, *, longest: int = 14, rounds: int = _ROUNDS) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(rounds)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


_PLAIN_CAP_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?<![\w’'\-])(?:al-|el-)?[^\W\d_a-z](?:[\w’'\-]*\w)?")


@pytest.mark.parametrize("alphabet", ["AUSaelbx-’'. _1éÉ\n", "ABael-. ’É", "Ul.-a e"])
def test_capitalised_tokens_match_the_plain_pattern(alphabet: str) -> None:
    for text in _strings(alphabet, seed=len(alphabet)):
        assert _spans(name_candidates._CAP_TOKEN, text) == _spans(_PLAIN_CAP_TOKEN, text), text


def test_capitalised_tokens_on_names() -> None:
    text = "U.S. envoy al-Sisi met Émile O’Neil and Jean-Luc in aU.S.A. (Bal-Xy) ’Tis"
    assert [m.group() for m in name_candidates._CAP_TOKEN.finditer(text)] == [
        m.group() for m in _PLAIN_CAP_TOKEN.finditer(text)
    ]


def test_ends_sentence_matches_the_regex() -> None:
    plain = re.compile(r"[.!?…][\"'”’»)\]]*$")
    for text in _strings(".!?…\"'”’»)]x \n-", seed=1, longest=8):
        assert wrapping.ends_sentence(text) is (plain.search(text) is not None), repr(text)


def test_attached_hyphen_search_from_the_end() -> None:
    for text in _strings("ab-\n 1_", seed=2, longest=8):
        short = wrapping._ATTACHED_HYPHEN.search(text, max(0, len(text) - 3))
        assert (short is None) is (wrapping._ATTACHED_HYPHEN.search(text) is None), repr(text)


def test_summary_quotation_and_url_checks_match_their_regexes() -> None:
    for text in _strings("“\"‘`' :xwW.h/tps\n\u00a0", seed=3, longest=12):
        assert summary._has_quotation(text) is (summary._QUOTATION.search(text) is not None), repr(text)
        assert summary._has_url(text) is (summary._URL.search(text) is not None), repr(text)


def test_terms_of_words_matches_a_plain_loop() -> None:
    words = summary_terms.words_of("The talks were talked about, and she's talking of new studies it's a go")
    expected = [summary_terms.stem(w) for w in words if w not in summary_terms.STOP_WORDS and len(w) >= 2]
    assert summary_terms.terms_of_words(words) == expected
    assert summary_terms.terms_of_words(words) == expected  # from the memo this time


def _plain_pick(
    scores: Sequence[float], terms: Sequence[frozenset[str]], eligible: Sequence[bool], limit: int
) -> tuple[int, ...]:
    chosen: list[int] = []
    candidates = [i for i in range(len(scores)) if eligible[i]]
    while len(chosen) < limit and candidates:
        best, best_value = candidates[0], -math.inf
        for i in candidates:
            overlap = max((summary._overlap(terms[i], terms[j]) for j in chosen), default=0.0)
            value = scores[i] - 0.5 * overlap * max(scores[i], 0.0)
            if value > best_value:
                best, best_value = i, value
        chosen.append(best)
        candidates.remove(best)
    return tuple(sorted(chosen))


def test_pick_summary_matches_the_plain_greedy_pick() -> None:
    rng = random.Random(4)
    vocabulary = [f"w{i}" for i in range(12)]
    for _ in range(2_000):
        n = rng.randint(1, 12)
        scores = [rng.choice([-1.0, 0.0, rng.random(), rng.random() * 3]) for _ in range(n)]
        terms = [frozenset(rng.sample(vocabulary, rng.randint(0, 5))) for _ in range(n)]
        eligible = [rng.random() > 0.2 for _ in range(n)]
        limit = rng.randint(1, 4)
        picked = summary.pick_summary(scores, terms, eligible, limit=limit, redundancy=0.5)
        assert picked == _plain_pick(scores, terms, eligible, limit)


def _plain_document_words(lines: Sequence[str]) -> frozenset[str]:
    found: set[str] = set()
    for line in lines:
        for word in wrapping._WORD.findall(line):
            found.add(word.lower())
            if "-" in word:
                found.update(word.lower().split("-"))
    return frozenset(found)


@pytest.mark.parametrize(
    "lines",
    [
        ["High-speed rail in KØBENHAVN", "the Kelvin \u212a sign, naïve co-op", "x-Y-z"],
        ["Plain ASCII-only LINES", "with a nego-", "tiated word", ""],
        ["İstanbul and ÀB-ÇD", "ǅemal"],
        [],
    ],
)
def test_document_words_match_a_plain_loop(lines: list[str]) -> None:
    assert wrapping.document_words(lines) == _plain_document_words(lines)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("May 2, 2013 | 5:03pm", True),
        ("Posted: 12/03/2019", True),
        ("Updated 10:45 GMT", False),
        ("May the best team win in 2013", False),
        ("1 2 3 4 5 6 7 8 9 10 11 12 May 2013", False),
        (":", False),
    ],
)
def test_timestamp_lines(line: str, expected: bool) -> None:
    assert boilerplate.is_timestamp(line) is expected


@pytest.mark.parametrize(
    ("fast", "plain", "alphabet"),
    [
        (sentences._TERMINAL, r"(?:\.{2,}|…|[.!?]+)(?=\s|[\"'”’)\]]|$)", ".!?… \"'”’)]x\n"),
        (quotemarks._QUOTE_MARK, r"``|''|[\"“”‘’']", "`'\"“”‘’ x"),
        (
            phrases._WORD_RUN,
            r"(?<![\w’'-])(?:[Aa]ccording to|went on|[A-Za-z][a-z]*)(?![\w’'-])",
            "Aacordingtwe o-’'1_ ",
        ),
        (
            names._NEXT_PRONOUN,
            r"[.!?][”\"’]?\s+(He|She|His|Her)\b|,\s+(he|she) (?:said|says|added)\b",
            '.!?,”"’ HeShisaydx',
        ),
        (wrapping._WORD, r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*", "aZé- 1_"),
    ],
)
def test_regexes_opening_with_a_class_match_their_plain_forms(
    fast: re.Pattern[str], plain: str, alphabet: str
) -> None:
    reference = re.compile(plain)
    rng = random.Random(alphabet)
    for text in _strings(alphabet, seed=6, longest=16):
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in reference.finditer(text)
        ], repr(text)
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        assert [m.span() for m in fast.finditer(text, lo, hi)] == [
            m.span() for m in reference.finditer(text, lo, hi)
        ], (text, lo, hi)


def test_space_runs_collapse_like_the_plain_pattern() -> None:
    plain = re.compile(r"[ \t\u00a0\u2007\u202f\u3000\f\v]+")
    for text in _strings(" \t\u00a0\u3000\fx\n", seed=7, longest=12):
        assert clean._SPACES.sub(" ", text) == plain.sub(" ", text), repr(text)


def test_word_before_matches_the_regex_search() -> None:
    rng = random.Random(8)
    for text in _strings("ab1_.'’&- \n(x", seed=8, longest=50, rounds=10_000):
        start = rng.randint(0, len(text))
        match = sentences._WORD_BEFORE.search(text, max(0, start - 40), start)
        assert sentences._word_before(text, start) == (match.group(1) if match else None), (text, start)


def test_sentence_initial_reads_only_the_tail_it_needs() -> None:
    rng = random.Random(9)
    for text in _strings(" “\"‘'(.x", seed=9, longest=150, rounds=10_000):
        start = rng.randint(0, len(text))
        before = text[:start].rstrip(" “\"‘'(")
        plain = not before or before[-1] in '.!?:—–-”"' or before.endswith("...")
        assert name_candidates._sentence_initial(text, start) is plain, (text, start)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x..." + " " * 70 + "Name", True),
        ("x.." + " (" * 40 + "Name", True),
        ("Mr" + " (" * 40 + "Name", False),
        ("a." + "“" * 80 + "Name", True),
        ("said" + " " * 90 + "Name", False),
        (" " * 90 + "Name", True),
    ],
)
def test_sentence_initial_after_long_runs_of_marks(text: str, expected: bool) -> None:
    assert name_candidates._sentence_initial(text, text.index("Name")) is expected


def test_summary_words_are_the_tokenisers_words_lower_cased() -> None:
    """The summariser's words: the one tokeniser's, lower-cased with straight apostrophes, as if the
    text had been lower-cased first (for letters whose lower case is one letter)."""
    for text in _strings("aZ1_'’ -é.", seed=10, longest=16):
        expected = re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("’", "'"))
        assert summary_terms.words_of(text) == expected, repr(text)
        assert tokens.lower_words(tokens.words(text)) == expected, repr(text)


def test_ascii_capitalised_tokens_match_the_plain_pattern() -> None:
    for text in _strings("AUSaelbx-'. _1\n", seed=11, longest=16):
        assert _spans(name_candidates._CAP_TOKEN_ASCII, text) == _spans(_PLAIN_CAP_TOKEN, text), text


def _plain_drop_reason(line: str) -> str | None:
    if is_bare_url(line):
        return "bare url"
    bare = boilerplate._bare(line)
    if boilerplate._ADVERT.fullmatch(bare):
        return "advertisement"
    if boilerplate._PAGE_MARKER.fullmatch(line.strip()):
        return "page marker"
    if boilerplate._SOCIAL.fullmatch(bare):
        return "social"
    if len(bare) < boilerplate.BUTTON_ROW_MAX and boilerplate._BUTTON_ROW.fullmatch(bare):
        return "social"
    if boilerplate.is_timestamp(line):
        return "timestamp"
    if boilerplate._RELATIVE_STAMP.fullmatch(bare):
        return "timestamp"
    return _plain_furniture_reason(bare) or boilerplate._stamp_row_reason(bare)


def _plain_furniture_reason(line: str) -> str | None:
    """Every furniture rule tried on every line: no first-character table, no word looked for first."""
    if len(line) > 500 or line.count(" ") >= furniture._MAX_WORDS:
        return None
    for rule in furniture.RULES:
        if rule.prompt and any(mark in line for mark in furniture._QUOTES):
            continue
        if rule.tail and rule.pattern.search(line):
            return rule.reason
        if not rule.tail and rule.pattern.fullmatch(line):
            return rule.reason
    return None


def test_drop_reason_first_character_checks_change_nothing() -> None:
    pieces = [
        "Advertisement", "ſponsored", "SHARE", "share on facebook", "Page 3", "- 4 -", "–12–", "[page 2]",
        "Tweet this", "Follow us on X", "Continue reading", "story continues below", "ad", "Email",
        "print", "copy link", "The", "news", ":", "•", "*", " ", "|", "May 2, 2013", "http://x.io",
        "©", "(c) 2025", "Copyright", "All rights reserved.", "Image caption,", "Photo: ", "Jane Doe",
        "/Reuters", "Getty Images", "(Photograph by X)", "Listen to this article", "4 min", " read",
        "Sign up", " for our newsletter", "We use cookies", "Accept all", "Read more", "Skip to content",
        "12 comments", "Updated 2 hours ago", "Published", ". ", "“", "the inbox", "Share this article: ",
        "Updated: 6:42 p.m. ET", " - scroll to continue", "We sold cookies", " policy",
    ]  # fmt: skip
    rng = random.Random(12)
    for _ in range(_ROUNDS):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))).strip()
        if line:
            assert boilerplate.drop_reason(line) == _plain_drop_reason(line), repr(line)


def _plain_quoted_regions(text: str) -> list[tuple[int, int]]:
    regions: list[tuple[int, int]] = []
    open_double: int | None = None
    open_single: int | None = None
    for match in re.finditer(r"``|''|[\"“”‘’']", text):
        mark, at = match.group(0), match.start()
        if mark in ("“", "``", "”", "''", '"'):
            role = quotemarks._double_role(text, at, mark, open_double is not None)
            if role == "open":  # a quotation never closed gives way to the next one
                open_double = at
            elif role == "close" and open_double is not None:
                regions.append((open_double, at))
                open_double = None
            continue
        single = quotemarks._single_role(text, at, mark, open_single is not None)
        if single == "open" and open_single is None:
            open_single = at
        elif single == "close" and open_single is not None:
            regions.append((open_single, at))
            open_single = None
    return [(start, close) for start, close in regions if close - start <= quotemarks._LONGEST_QUOTE]


def test_quoted_regions_skip_apostrophes_inside_words_as_before() -> None:
    for text in _strings("ab ’'‘“”\"`.", seed=13, longest=16):
        assert quotemarks._marked_regions(text) == _plain_quoted_regions(text), repr(text)


def test_dateline_check_only_skips_paragraphs_without_brackets_or_dashes() -> None:
    pieces = [
        "LONDON",
        "(Reuters)",
        " - ",
        " — ",
        " – ",
        "--",
        "BRUSSELS",
        " ",
        "The talks",
        "went on",
        "(CNN)",
        "x",
    ]
    rng = random.Random(14)
    found = 0
    for _ in range(_ROUNDS):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        found_dateline, rest = dateline_module.split_dateline(text)
        agency = dateline_module._AGENCY_ALONE.match(text)
        length = len(text) - len(rest) if found_dateline is not None else 0
        if not length and agency and agency.group("agency").lower() in dateline_module._AGENCIES:
            length = agency.end()
        assert dateline_module.dateline_length(text) == length, repr(text)
        found += length > 0
    assert found > 100  # the generated text does hold datelines


def test_whole_word_spans_match_the_boundary_regex() -> None:
    rng = random.Random(11)
    for text in _strings("aAb _1é-’. ", seed=12, longest=12, rounds=4000):
        form = "".join(rng.choice("aAb_é") for _ in range(rng.randint(1, 3)))
        plain = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text)]
        assert names._whole_word_spans(form, text) == plain, (form, text)


def test_organisation_short_forms_link_to_the_nearest_full_name() -> None:
    found = names.find_mentions(
        [
            "The Reserve Bank said rates would hold.",
            "The Reserve Bank of Australia met on Tuesday; the Reserve Bank of New Zealand did not.",
            "Later the Reserve Bank of New Zealand spoke, and the Reserve Bank replied.",
        ]
    )
    orgs = [(m.paragraph, m.name) for m in found.mentions if m.kind == "organisation"]
    assert orgs == [
        (0, "Reserve Bank of Australia"),  # none before: the first full name after
        (1, "Reserve Bank of Australia"),
        (1, "Reserve Bank of New Zealand"),
        (2, "Reserve Bank of New Zealand"),
        (2, "Reserve Bank of New Zealand"),  # the latest full name mentioned before
    ]
