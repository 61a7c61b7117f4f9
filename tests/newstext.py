"""Hypothesis strategies for text shaped like the news briefgen reads, and for text that is not.

News-like articles mix the shapes the text stages have rules for: capitalised names with titles
("Gen.", "Mr.", "Dr."), initials, dotted acronyms ("U.S."), "No. 10", decimals and money, quotes
with straight and curly marks before and after their attribution, split and partial quotes, quotes
left open at a paragraph's end, datelines, bylines, boilerplate lines (bare URLs, "Advertisement",
"Related article: ..."), hard wraps with hyphenated line breaks, and a headline. Every piece is drawn
from small lists, so a failing example shrinks to a short article a person can read.

`unicode_text` is anything at all (no lone surrogates: a file's bytes never decode to one);
`spliced_text` is news text with arbitrary characters spliced in.
"""

from __future__ import annotations

from hypothesis import strategies as st

FIRST = ["Ana", "Pete", "Mary", "Jean-Luc", "José", "Tomas", "Li", "Ngozi", "Olaf", "Zoë", "J. K.", "A."]
LAST = ["Hegseth", "O'Neill", "Okafor", "de la Cruz", "Smith", "Müller", "Nakamura", "Ruiz", "Van Buren"]
TITLES = ["Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Sen.", "Rep.", "Gov.", "Prof.", "President", "Minister"]
ROLES = ["the defence secretary", "a spokesman", "the mayor", "an analyst at Capital Economics", "police"]
PLACES = ["the U.S.", "Washington", "St. Petersburg", "New York", "Kyiv", "Brussels", "No. 10", "the U.K."]
ORGS = ["NATO", "the European Union", "Apple Inc.", "the U.N.", "Reuters", "the Bank of England", "AT&T"]
FIGURES = ["3.5 percent", "$1.2 billion", "1,200", "No. 10", "2025", "10:30 a.m.", "7%", "£40m", "½", "No. 4"]
VERBS = ["said", "says", "told reporters", "added", "warned", "said on Tuesday", "wrote"]
PLAIN = [
    "{who} met {org} officials in {place} on Thursday.",
    "The plan would cost {figure}, according to {org}.",
    "{who} said the talks in {place} had stalled.",
    "Shares in {org} fell {figure} after the announcement.",
    "Officials in {place} expect a decision by Friday...",
    "Was it enough? {who} did not say.",
    "The vote (the first since 2019) passed by {figure} votes.",
    "It rose to {figure} from 2.9 percent, e.g. in {place}.",
    "{who}, 54, arrived at {place} at {figure}.",
    "The report, Vol. 3, runs to pp. 4-9.",
]
QUOTED = [
    "We will not abandon {place}",
    "This is a serious mistake, and we know it",
    "Nobody expected {figure}",
    "I’m with her",
    "It’s not over. We will keep going",
    "Stop!",
    "What happens next?",
    "unrealistic",
]
QUOTES = [  # (opening, closing) marks as writers type them
    ('"', '"'),
    ("“", "”"),
    ("“", "“"),  # a mis-turned closer
    ("«", "»"),
    ("„", "“"),
    ("‘", "’"),
    ("'", "'"),
    ('"', ""),  # left open: runs to the paragraph's end
]
DATELINES = [
    "BRUSSELS —",
    "LONDON (Reuters) -",
    "(CNN) --",
    "KYIV, Ukraine (AP) —",
    "WASHINGTON —",
    "NEW YORK -",
]
BOILERPLATE = [
    "Advertisement",
    "https://example.com/news/2025/02/13/story.html",
    "Related article: Ministers Agree Harbour Plan",
    "Read more: Markets fall as talks stall",
    "Share on Facebook",
    "Page 2",
    "By Ana Ruiz",
    "By Pete Smith, Reuters",
    "May 2, 2013 | 5:03pm",
    "- 4 -",
]
HEADLINES = [
    "Hegseth Says U.S. Is Not Abandoning Ukraine",
    "Ministers agree harbour dredging plan",
    "‘Peaceful Negotiations’ Possible, Putin Tells Trump",
    "Markets fall as talks stall",
    "What the new budget means for Kyiv?",
]


@st.composite
def person(draw: st.DrawFn) -> str:
    name = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"{draw(st.sampled_from(TITLES))} {name}"
    if form == 1:
        return f"{name}, {draw(st.sampled_from(ROLES))},"
    if form == 2:
        return draw(st.sampled_from(ROLES)).capitalize()
    return name


def _fill(draw: st.DrawFn, template: str) -> str:
    return template.format(
        who=draw(person()),
        org=draw(st.sampled_from(ORGS)),
        place=draw(st.sampled_from(PLACES)),
        figure=draw(st.sampled_from(FIGURES)),
    )


@st.composite
def quote_sentence(draw: st.DrawFn) -> str:
    opening, closing = draw(st.sampled_from(QUOTES))
    said = f"{draw(person()).rstrip(',')} {draw(st.sampled_from(VERBS))}"
    words = _fill(draw, draw(st.sampled_from(QUOTED)))
    shape = draw(st.integers(0, 4))
    if shape == 0:  # "Quote," X said.
        return f"{opening}{words},{closing} {said}."
    if shape == 1:  # X said: "Quote."
        return f"{said}: {opening}{words}.{closing}"
    if shape == 2:  # "Half," X said, "and the rest."
        return f"{opening}{words},{closing} {said}, {opening}and the rest.{closing}"
    if shape == 3:  # a partial quote inside a paraphrase
        return f"{said} the plan was {opening}{words}{closing} and costly."
    return f"{opening}{words}{draw(st.sampled_from(['.', '?', '!', '…']))}{closing}"


@st.composite
def sentence(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(quote_sentence())
    return _fill(draw, draw(st.sampled_from(PLAIN)))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=5)))


def _wrap(text: str, width: int, hyphenate: bool) -> list[str]:
    """Greedy hard wrap as a PDF or an e-mail does it, sometimes breaking a long word with a hyphen."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        elif hyphenate and len(word) >= 7 and word.isalpha():
            cut = len(word) // 2
            lines.append(f"{current} {word[:cut]}-")
            current = word[cut:]
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


@st.composite
def article(draw: st.DrawFn) -> str:
    """A pasted article: headline, byline, dateline, paragraphs (maybe hard-wrapped), stray lines."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines += [draw(st.sampled_from(HEADLINES)), ""]
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=6))
    if draw(st.booleans()):
        paragraphs[0] = f"{draw(st.sampled_from(DATELINES))} {paragraphs[0]}"
    width = draw(st.one_of(st.none(), st.integers(25, 90)))
    hyphenate = draw(st.booleans())
    for text in paragraphs:
        if draw(st.integers(0, 4)) == 0:
            lines += [draw(st.sampled_from(BOILERPLATE)), ""]
        lines += [text] if width is None else _wrap(text, width, hyphenate)
        lines.append("" if width is None or draw(st.integers(0, 3)) else " ")
    return "\n".join(lines)


# Arbitrary text, weighted towards what matters to the text stages: marks, dashes, spaces, newlines.
_SPECIAL = st.sampled_from(list("\"“”„«»‘’'`.!?…,;:—–-()[]\n\n\r\t \u00a0\u200b\ufeff\u2028\x0c\x85"))
unicode_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.characters(codec="utf-8"), _SPECIAL, st.just("\r\n")), max_size=400).map("".join),
    st.lists(
        st.one_of(
            _SPECIAL,
            st.sampled_from(["U.S.", "Mr.", "No. 10", "BRUSSELS —", "Ana Ruiz"]),
            st.text(max_size=8),
        ),
        max_size=60,
    ).map("".join),
)


@st.composite
def spliced_text(draw: st.DrawFn) -> str:
    """A news article with arbitrary characters spliced in at a few places."""
    text = draw(article())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(_SPECIAL, st.text(max_size=3))) + text[at:]
    return text


any_text = st.one_of(article(), unicode_text, spliced_text())
