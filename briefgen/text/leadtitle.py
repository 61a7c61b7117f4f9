"""A headline made from an article's lead, for an article with no title of its own and a file name that
says nothing ('000_e1ac3629cfe7b588.txt').

The lead is the first sentence of the body as `text.segment` cuts it (a wire dateline left out). A lead
of at most MAX_WORDS words is the title whole. A longer one is cut after a clause, keeping MIN_WORDS to
MAX_WORDS words; the cuts tried, each at its latest place in that range:

1. after a semicolon or colon, or before a dash ("... Ukraine — and ...");
2. after a comma, unless it closes an aside opened by an earlier comma ("Hegseth, the defense
   secretary, ..."), or stands between two capitalised words ("Kyiv, Ukraine") or before a number
   ("Feb. 13, 2025");
3. before a subordinating word ("... abandoning Ukraine as allies ...": `lang/en/subordinators.txt`);
4. before a preposition ("... sanctions against Russia | for another six months": `lang/en/prepositions.txt`);
5. unless one of 1-4 comes within SLACK_WORDS past MAX_WORDS ("... booed visiting Chinese Foreign
   Minister Wang Yi | outside ..."): before a function word ("he is willing | to soften ...");
6. after any word.

No cut falls inside a quotation, brackets or an aside between two dashes ("business - the third
largest in the world - is"), between two capitalised words (a name: "Pete | Hegseth"),
inside a name joined by a particle ("Bank of | England"), or after a small word a headline never ends
with ("of", "the": `lang/en/small_words.txt`); cuts 4 to 6 not after any stop word ("another",
"would"), preposition or speech verb ("said"). When a quotation opening the lead leaves no cut within
MAX_WORDS, the first cut after it up to HARD_MAX_WORDS is taken; a quotation left open (a lost closing
mark, a quote running on past the sentence) may be cut when nothing else can be, and a title that
ends inside a quotation gets its closing mark. The sentence keeps its own
capitalisation; a final comma, colon, semicolon, dash or period is dropped, inside closing quotation
marks too (a question or exclamation mark is part of what is said, and stays).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.lang import lexicon
from briefgen.model import QuoteSpan
from briefgen.text.segment import segment

MIN_WORDS = 6
MAX_WORDS = 14
SLACK_WORDS = 2  # how far past MAX_WORDS a boundary of kinds 1-4 is worth more than a cut of kind 5
HARD_MAX_WORDS = 24
_LEX = lexicon()
_SMALL = _LEX.small_words
_SUBORDINATORS = _LEX.subordinators
_PARTICLES = _LEX.name_particles | _LEX.np_prepositions | {"and", "&"}
_PREPOSITIONS = _LEX.prepositions
_STOP = _LEX.stop_words | _LEX.attribution_verbs | _PREPOSITIONS
_OPENING_PHRASE = _LEX.subordinators | _LEX.prepositions
_DASHES = ("—", "–", "--")
_CLOSING_MARKS = "\"'”’»)]"
_TRAILING = ",;:.…—–- "
_TOKEN = re.compile(r"\S+")
_SPACED_DASH = re.compile(r"(?<=\s)(?:—|–|--|-)(?=\s)")

_STRONG, _COMMA, _CLAUSE, _PHRASE, _FUNCTION, _WORD = range(6)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int  # offset in the sentence
    end: int
    bare: str  # without brackets, quotation marks and punctuation around it

    @property
    def capitalised(self) -> bool:
        return self.bare[:1].isupper()


def lead_title(paragraphs: Sequence[str]) -> str | None:
    """A headline from the first sentence of `paragraphs` (see the module's rule); None without one."""
    segmented = segment(paragraphs[:1])
    if not segmented.sentences:
        return None
    sentence = segmented.sentences[0]
    tokens = _tokens(sentence.text)
    if not tokens:
        return None
    if len(tokens) <= MAX_WORDS:
        return _closed(_tidy(sentence.text))
    quotes = segmented.quotes[0]
    cut = _best_cut(sentence.text, tokens, _shielded(sentence.text, quotes, sentence.start)) or _best_cut(
        sentence.text,
        tokens,
        _shielded(sentence.text, [q for q in quotes if q.close_at is not None], sentence.start),
    )
    return _closed(_tidy(sentence.text[: tokens[cut - 1].end])) if cut else None


def _tokens(sentence: str) -> list[_Token]:
    """The sentence's words as spaces separate them (a dash standing alone is no word)."""
    out: list[_Token] = []
    for match in _TOKEN.finditer(sentence):
        text = match.group()
        if not any(c.isalnum() for c in text):
            continue
        bare = text.strip("\"'“”‘’«»()[],;:.!?…—–-")
        out.append(_Token(text=text, start=match.start(), end=match.end(), bare=bare))
    return out


def _shielded(sentence: str, quotes: Sequence[QuoteSpan], offset: int) -> list[tuple[int, int]]:
    """Stretches of the sentence no cut may fall inside: its quotations, brackets and dashed asides, as
    (open, close)."""
    regions = []
    for span in quotes:
        close = span.close_at if span.close_at is not None else offset + len(sentence) + 1
        regions.append((span.open_at - offset, close - offset))
    depth, opened = 0, 0
    for at, char in enumerate(sentence):
        if char in "([":
            if depth == 0:
                opened = at
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
            if depth == 0:
                regions.append((opened, at))
    if depth:
        regions.append((opened, len(sentence) + 1))
    dashes = [m.start() for m in _SPACED_DASH.finditer(sentence)]
    regions += zip(dashes[::2], dashes[1::2], strict=False)  # an aside between a pair of dashes
    return regions


def _best_cut(sentence: str, tokens: Sequence[_Token], shielded: Sequence[tuple[int, int]]) -> int:
    """How many words the title keeps: the best cut in range, else the first allowed beyond it."""
    kinds = {n: _kind(sentence, tokens, n) for n in range(1, min(len(tokens), HARD_MAX_WORDS) + 1)}
    allowed = {n: kind for n, kind in kinds.items() if _may_cut(tokens, n, shielded, kind)}
    for wanted in (_STRONG, _COMMA, _CLAUSE, _PHRASE):
        for n in range(MAX_WORDS, MIN_WORDS - 1, -1):
            if allowed.get(n) == wanted:
                return n
    for n in range(MAX_WORDS + 1, MAX_WORDS + SLACK_WORDS + 1):
        if allowed.get(n, _WORD) < _FUNCTION:
            return n  # a boundary just past the limit (a name running over it) beats a bare cut
    for wanted in (_FUNCTION, _WORD):
        for n in range(MAX_WORDS, MIN_WORDS - 1, -1):
            if allowed.get(n) == wanted:
                return n
    beyond = [n for n in allowed if n > MAX_WORDS]
    return min(beyond) if beyond else 0


def _kind(sentence: str, tokens: Sequence[_Token], n: int) -> int:
    """What kind of boundary follows the n-th word."""
    last = tokens[n - 1].text
    if n == len(tokens):
        return _STRONG
    following = sentence[tokens[n - 1].end : tokens[n].start]
    if last.endswith((";", ":")):
        return _STRONG
    if last.endswith(_DASHES) or any(d in following for d in _DASHES):
        return _STRONG
    if last.endswith(",") and _comma_closes_clause(tokens, n):
        return _COMMA
    if tokens[n].text in _SUBORDINATORS:
        return _CLAUSE
    if tokens[n].text in _PREPOSITIONS:
        return _PHRASE
    if tokens[n].text in _STOP:
        return _FUNCTION
    return _WORD


def _comma_closes_clause(tokens: Sequence[_Token], n: int) -> bool:
    following = tokens[n]
    if following.bare[:1].isdigit() or (tokens[n - 1].capitalised and following.capitalised):
        return False  # "Feb. 13, 2025", "Kyiv, Ukraine"
    earlier = sum(1 for t in tokens[: n - 1] if t.text.endswith(","))
    if earlier and tokens[0].bare.lower() in _OPENING_PHRASE:
        earlier -= 1  # "In Brussels, ..." opens with a phrase: its comma opens no aside
    return earlier % 2 == 0


def _may_cut(tokens: Sequence[_Token], n: int, shielded: Sequence[tuple[int, int]], kind: int) -> bool:
    """May the title end after the n-th word (a boundary of `kind` after it)?"""
    last = tokens[n - 1]
    at = last.end
    if any(open_at < at <= close_at for open_at, close_at in shielded):
        return False
    if n == len(tokens):
        return True
    if last.bare.lower() in _SMALL and not last.text.endswith((",", ";", ":")):
        return False
    if kind >= _PHRASE and last.bare.lower() in _STOP:
        return False
    if kind != _STRONG and (last.text[-1:].isalnum() or last.text[-1:] == "."):
        following = tokens[n]
        if last.capitalised and following.capitalised:
            return False  # inside a name
        if (
            last.capitalised
            and following.bare.lower() in _PARTICLES
            and n + 1 < len(tokens)
            and tokens[n + 1].capitalised
        ):
            return False  # "Bank of England"
    return True


def _closed(title: str) -> str:
    """The title with a quotation it leaves open closed ("She's not a loose cannon. ..." -> one sentence)."""
    if title.count("“") > title.count("”"):
        return title + "”"
    if title.count('"') % 2:
        return title + '"'
    return title


def _tidy(title: str) -> str:
    """The title without the punctuation that ends its clause; an abbreviation keeps its period."""
    title = title.strip()
    while title:
        last_word = title.rsplit(" ", 1)[-1]
        if title.endswith(".") and "." in last_word[:-1].lstrip(_CLOSING_MARKS):
            break  # "U.S."
        if title[-1] in _TRAILING:
            title = title[:-1].rstrip()
        elif title[-1] in _CLOSING_MARKS and len(title) > 1 and title[-2] in ",;:.":
            title = title[:-2] + title[-1]  # "“It is no betrayal,”": the comma or period inside the marks
        else:
            break
    return title
