"""Who said a quote: the attribution clause next to it ("…," Hegseth said / said Jane Doe, a … /
Hegseth said: "…"), found by the rules in `briefgen.analysis.attribution`; the phrases they read are
shaped by `briefgen.analysis.phrases`, and resolved to names by `briefgen.analysis.resolver`.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

from briefgen.analysis.phrases import (
    _ADVERBS,
    _CLAUSE_END,
    _COMMA,
    _NP_PREPOSITIONS,
    _PARAPHRASE,
    _PARTY_LABEL,
    _PHRASAL,
    _PHRASE_STARTS,
    _SENTENCE_VERBS,
    _SUBORDINATORS,
    _VERB_LIKE,
    _WORD_RUN,
    LEX,
    Attribution,
    _adverb_ly,
    _first_verb,
    _is_name_word,
    _phrase_at_end,
    _phrase_at_start,
    _role_word,
    _shape,
    _subject_words,
    _verbs_in,
    _words_in,
)


def _named(found: Attribution | None, reading: str) -> Attribution | None:
    """The phrase found, with the name of the reading that found it (for --explain)."""
    return None if found is None else dataclasses.replace(found, rule=found.rule or reading)


def has_speech_verb(text: str) -> bool:
    return _first_verb(text, 0, len(text)) is not None


_CONTENT_AFTER_VERB = LEX.content_after_verb


def attribution_after(
    text: str, lo: int, hi: int, *, after_full_stop: bool, open_ended: bool = False
) -> Attribution | None:
    """Attribution in text[lo:hi], the stretch right after a quote's closing mark.

    `open_ended`: the quote ends with a comma, "?" or "!" inside its marks, so what follows is its
    attribution even when the verb is none of the usual ones (“…,” the crowd chanted)."""
    verb = _first_verb(text, lo, hi)
    if verb is None and open_ended:
        verb = _past_tense_near(text, lo, hi)
    if verb is None or verb.start() - lo > 200:
        return None
    if after_full_stop:
        following = text[verb.end() : hi].split()
        if following and following[0].lower().strip(",") in _CONTENT_AFTER_VERB:
            return None  # "…." Jones said the plan would fail. is a new statement, not an attribution
    head = text[lo : verb.start()]
    if head.strip(" ,.—–-\u00a0"):
        words = _words_in(text, lo, verb.start())
        subject = _subject_words(words)
        rest = text[lo : subject[0][0]].strip(" ,.—–-\u00a0") if subject else ""
        if (
            not subject
            or subject[0][2] in _NP_PREPOSITIONS  # "in the 2008 race": a phrase of place or time
            or (
                rest
                and rest.lower() not in ("and", "but", "as", "so")
                and not _title_like(rest)
                and not (_appositive_before(text, lo, subject[0][0]) and _is_name_word(subject[0][2]))
            )
        ):
            if head.rstrip().endswith(",") and verb.group() in _INVERTING:
                # "“…” in the 2008 race, said Professor Jane Doe.": the rest of the paraphrase, then the speaker
                found = _phrase_at_start(text, verb.end(), hi)
                return (
                    _named(found, "name after the verb, past a paraphrase")
                    if found and found.form == "name"
                    else None
                )
            return None
        return _named(_shape(subject), "subject before the verb")
    found = _phrase_at_start(text, verb.end(), hi)
    if found is not None and found.form == "description":
        # "said a spokesperson for the ministry, Jane Doe.": the name in apposition
        named = _APPOSED_NAME.match(text, found.end, hi)
        if named is not None:
            person = _phrase_at_start(text, named.start(1), named.end(1))
            if person is not None and person.form == "name" and person.end == named.end(1):
                return _named(person, "name in apposition to the description after the verb")
    return _named(found, "subject after the verb")


_APPOSED_NAME = re.compile(r",\s+((?:[A-Z][\w’'.-]*\s){0,3}[A-Z][\w’'-]*\w)(?=[.,;]|\s*$)")


def _appositive_before(text: str, lo: int, at: int) -> bool:
    """ "his wife, Jane Doe, wrote", "a spokesperson for the ministry, Jane Doe, said": a description
    set off by a comma before the name."""
    before = text[lo:at].strip(" —–-\u00a0")
    if not before.endswith(","):
        return False
    words = before.split()
    first = words[0].lower().strip('“”"')
    return first in LEX.description_heads or any(w[:1].islower() and _role_word(w.rstrip(",")) for w in words)


_INVERTING = LEX.inverting_verbs


_IRREGULAR_SPEECH = LEX.irregular_speech_verbs  # “…,” Jones shot back.
_NOT_SPEECH_ED = LEX.not_speech_ed


def _past_tense_near(text: str, lo: int, hi: int) -> re.Match[str] | None:
    """A lower-case past-tense verb among the first six words after a quote: “…,” Smith retorted."""
    previous = ""
    for n, m in enumerate(_WORD_RUN.finditer(text, lo, min(hi, lo + 80))):
        if n >= 6:
            break
        word = m.group()
        if (
            word.endswith("ed") and len(word) > 4 and word.islower() and word not in _NOT_SPEECH_ED
        ) or word in _IRREGULAR_SPEECH:
            return None if previous in _VERB_LIKE else m  # "… are redacted": passive, no speaker
        previous = word.lower()
    return None


def _title_like(text: str) -> bool:
    """Words that can precede a subject inside its noun phrase: "Judicial Watch president"."""
    words = text.split()
    return all(w[:1].isupper() or _role_word(w.lower()) or w in _NP_PREPOSITIONS for w in words) and any(
        w not in _NP_PREPOSITIONS for w in words
    )


def attribution_before(text: str, lo: int, hi: int) -> Attribution | None:
    """Attribution in text[lo:hi], the stretch before a quote's opening mark ("X said: ")."""
    verbs = _verbs_in(text, lo, hi)
    if not verbs:
        return _named(_colon_label(text, lo, hi), "label before a colon") or _named(
            _colon_subject(text, lo, hi), "subject of a sentence ending in a colon"
        )
    verb = verbs[-1]
    tail = text[verb.end() : hi]
    if len(tail) > 80 or _CLAUSE_END.search(tail.rstrip(" :,")):
        return None
    if verb.group().lower() == "according to":
        return _named(_phrase_at_start(text, verb.end(), hi), "according to")
    start = _clause_start(text, lo, verb.start())
    if verb.group().endswith("ing"):
        # "Spicer said, adding, ": the earlier verb's subject; "Albright urged …, saying, ": the clause's
        earlier = [v for v in verbs[:-1] if not v.group().endswith("ing") and v.start() >= start]
        if earlier:
            return attribution_before(text, lo, earlier[-1].end())
        found = _clause_subject(text, start, verb.start())
        if found is not None:
            return _named(found, "subject of the clause a participle follows")
        if text[start : verb.start()].rstrip().endswith(","):
            return None  # "…, X rallied supporters, saying": the word before the comma is an object
    before = text[start : verb.start()].split()
    while len(before) > 1 and (before[-1] in _ADVERBS or _adverb_ly(before[-1])):
        before.pop()  # "…, but now said", "… and then quickly added"
    if before and before[-1].lower() in _COORDINATION:
        return _named(
            _clause_subject(text, start, verb.start()), "subject of coordinated verbs"
        )  # "he looked …, furrowed his brow and said"
    found = _phrase_at_end(text, start, verb.start())
    if found is not None and not (found.form == "description" and before and before[-1].endswith(",")):
        return _named(found, "subject before the verb")
    inverted = found
    found = _phrase_at_start(text, verb.end(), hi)
    if inverted is not None and (found is None or found.form != "name"):
        return _named(
            inverted, "subject before the verb"
        )  # "In other words, explained X:" is inverted only when a name follows the verb
    rest = text[found.end : hi].strip() if found is not None else ""
    appositive = found is not None and found.form == "name" and rest.startswith(",")
    if rest.strip(",:") and not (appositive and rest.endswith((".", ",", ":"))):
        return None  # "said the hospital’s so-called": content, not an inverted subject
    return _named(
        found, "subject after the verb"
    )  # "said Jane Doe, a spokeswoman for X. “…”" keeps her appositive out


def _clause_subject(text: str, lo: int, hi: int) -> Attribution | None:
    """The first subject-like phrase at the start of text[lo:hi] or after one of its commas."""
    for match in re.finditer(r"(?:^|, )", text[lo:hi]):
        found = _phrase_at_start(text, lo + match.end(), hi)
        if found is not None:
            return found
    return None


_COORDINATION = LEX.coordination
_LABEL = re.compile(r"(?:^|(?<=[.!?]\s))([A-Z][^:.!?“”\"]{0,60}?)\s*(?:\([^()]{1,20}\))?\s*:\s*$")


_NAME_COLON = re.compile(r"((?:[A-Z][\w’'.-]+ ){1,3}[A-Z][\w’'-]+)\s*:\s*$")


def _name_before_colon(text: str, lo: int, hi: int) -> Attribution | None:
    """ "… doesn’t surprise Republican pollster Daron Shaw: “…”": a full name right before the colon."""
    match = _NAME_COLON.search(text, lo, hi)
    if match is None:
        return None
    previous = text[max(lo, match.start(1) - 12) : match.start(1)].split()
    if previous and previous[-1].lower() in _NP_PREPOSITIONS | {"by", "about", "into", "through"}:
        return None  # "… in a commercial running on Iowa TV: “…”": a place or an outlet
    found = _phrase_at_end(text, match.start(1), match.end(1))
    return found if found is not None and found.form == "name" and " " in found.phrase else None


def _colon_subject(text: str, lo: int, hi: int) -> Attribution | None:
    """ "Trump leaned in and boomed: “…”", "She then turned to the crowd: “…”": a sentence whose
    subject is a name or he/she, ending in a colon, introduces that person's words."""
    if not text[lo:hi].rstrip().endswith(":"):
        return None
    for match in reversed(list(_COMMA.finditer(text, lo, hi))):
        # "When Trump suggested …, Rubio fired back:", "In response to …, Jane Doe issued the following
        # statement:": the main clause after the fronted one
        if not (_SUBORDINATORS | _NP_PREPOSITIONS).isdisjoint(text[lo : lo + 12].lower().split()[:1]):
            found = _clause_colon_subject(text, match.end(), hi)
            if found is not None:
                return found
    return _clause_colon_subject(text, lo, hi)


def _clause_colon_subject(text: str, lo: int, hi: int) -> Attribution | None:
    opening = _words_in(text, lo, min(hi, lo + 40))
    if opening and opening[0][2].lower().rstrip(",") in _ADVERBS and len(opening) > 1:
        lo = opening[1][0]  # "Later she turned to the crowd:"
    found = _phrase_at_start(text, lo, hi)
    if found is None or found.start - lo > 2:
        return None
    if found.form == "pronoun" and found.phrase.lower() not in ("he", "she"):
        return None
    if found.form == "description" or text[found.end : found.end + 2] in ("’s", "'s"):
        return None
    return found


def _colon_label(text: str, lo: int, hi: int) -> Attribution | None:
    """A transcript-style label: "Rep. Trey Gowdy (R-S.C.): “…”" or "Clinton: “…”"."""
    match = _LABEL.search(text, lo, hi)
    if match is None:
        return _name_before_colon(text, lo, hi)
    found = _phrase_at_start(text, match.start(1), match.end(1))
    if found is None or found.form != "name" or text[found.end : match.end(1)].strip():
        return None
    return found


_SIGNATURE = re.compile(r"\s*[-—–]\s*(?=[A-Z])")


def signature_line(text: str) -> Attribution | None:
    """A line that signs the quote above it, as under an epigraph: "— Jane Doe." or "-Jane Doe,
    tweeting after the debate." (a dash, then a name that ends the line or is followed by a comma)."""
    match = _SIGNATURE.match(text)
    if match is None or len(text) > 160:
        return None
    found = _phrase_at_start(text, match.end(), len(text))
    if found is None or found.form != "name" or found.start - match.end() > 0:
        return None
    rest = text[found.end :].strip()
    return found if not rest or rest[0] in ",." else None


def attribution_sentence(text: str, lo: int, hi: int) -> Attribution | None:
    """A sentence that is itself a speech act ("Bystrom agreed.") introducing the quotes after it."""
    verbs = _verbs_in(text, lo, hi)
    if not verbs or len(text[verbs[-1].end() : hi].split()) > 4:
        return None
    return attribution_before(text, lo, hi)


# A paraphrase's subject is looked for at most this many characters before its quote.
_LONGEST_SENTENCE = 3000


def paraphrase_subject(
    text: str, lo: int, hi: int, quoted: Sequence[tuple[int, int]] = ()
) -> Attribution | None:
    """Who a partial quote inside a paraphrase belongs to: the subject of the sentence's first speech
    or paraphrase verb ("Hegseth … dismissed the goals as “unrealistic.”"). Words inside the `quoted`
    stretches (start, end of earlier quotes, marks included) are someone's words, never the subject."""
    lo = max(lo, hi - _LONGEST_SENTENCE)
    start = lo
    verb = None
    q = bisect_right(quoted, lo, key=itemgetter(1))  # the stretches are in order and do not overlap
    for m in _WORD_RUN.finditer(text, lo, hi):
        while q < len(quoted) and quoted[q][1] <= m.start():
            q += 1
        if q < len(quoted) and quoted[q][0] <= m.start():
            start = max(start, quoted[q][1])
            continue
        word = m.group()
        if (
            word in _PARAPHRASE
            or word in _SENTENCE_VERBS
            or (word[0] in _PHRASE_STARTS and word.lower() in _PHRASAL)
        ):
            verb = m
            break
    if verb is None:
        return None
    clause = _clause_start(text, start, verb.start())
    if verb.group().endswith("ing") and text[clause : verb.start()].rstrip().endswith(","):
        # "Hale defended the decision, calling the protest “…”": the clause's subject, not its object
        return _clause_subject(text, clause, verb.start())
    return _phrase_at_end(text, clause, verb.start())


def reported_subject(text: str, ends: Sequence[int]) -> Attribution | None:
    """Who a paragraph without quotes reports on: the subject of the speech verb in its last sentence
    that has one ("Carter said the region remained a priority."), so that a quote opening the next
    paragraph with no attribution of its own is theirs."""
    bounds = [0, *ends]
    if bounds[-1] < len(text):
        bounds.append(len(text))
    for k in range(len(bounds) - 1, 0, -1):
        lo, hi = bounds[k - 1], bounds[k]
        verb = _first_verb(text, lo, hi, _PARAPHRASE)
        if verb is None:
            continue
        if verb.group().endswith("ing") or verb.group().lower() == "according to":
            return None
        return _phrase_at_end(text, _clause_start(text, lo, verb.start()), verb.start())
    return None


def _clause_start(text: str, lo: int, hi: int) -> int:
    cut = lo
    for match in _CLAUSE_END.finditer(text, lo, hi):
        if match.group() in "()" and _PARTY_LABEL.search(text, max(0, match.start() - 14), match.end() + 14):
            continue  # "Chris Christie (R), a Trump ally, …": a party label, not a clause break
        cut = match.end()
    return cut
