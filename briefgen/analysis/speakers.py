"""Who said a quote: the attribution clause next to it, and what its subject refers to.

`find_attribution` reads the clause after the closing mark ("…," Hegseth said / said Jane Doe, a …)
or before the opening mark (Hegseth said: "…"). `Resolver` turns what it finds into a name: surnames
to the full name of their first mention, pronouns to the most recent fitting person, descriptions
("the defense secretary") to the person introduced with that title, organisations as organisations.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis import lexicon as lx
from briefgen.analysis.names import Mention, NameIndex
from briefgen.analysis.resolve_speakers import (
    acronym_of,
    document_alone,
    generic_organisation,
    is_no_speaker,
    possessive_document,
    quoted_name,
)
from briefgen.model import EntityKind

# `(?<![\w’'-])(?:[Aa]ccording to|went on|put it|[A-Za-z][a-z]*)(?![\w’'-])`, opening with one character class
# so that the regex engine skips straight to letters.
_WORD_RUN = re.compile(
    r"[A-Za-z](?<![\w’'-].)(?:(?<=[Aa])ccording to|(?<=w)ent on|(?<=p)ut it|(?<=[A-Za-z])[a-z]*)(?![\w’'-])"
)
_SENTENCE_VERBS = lx.words("Said Says Added Asked Wrote Writes")  # "Said Comey, “…”"
_PHRASAL = ("according to", "went on", "put it")  # "As one resident put it: “…”"


def _verbs_in(text: str, lo: int, hi: int, verbs: frozenset[str] = lx.SPEECH_VERBS) -> list[re.Match[str]]:
    """Speech verbs (or `verbs`) in text[lo:hi]; cheaper than one regex alternation of them all."""
    return [
        m
        for m in _WORD_RUN.finditer(text, lo, hi)
        if m.group() in verbs
        or m.group() in _SENTENCE_VERBS
        or (m.group()[0] in "Aawp" and m.group().lower() in _PHRASAL)
    ]


def _first_verb(text: str, lo: int, hi: int, verbs: frozenset[str] = lx.SPEECH_VERBS) -> re.Match[str] | None:
    for m in _WORD_RUN.finditer(text, lo, hi):
        word = m.group()
        if word in verbs or word in _SENTENCE_VERBS or (word[0] in "Aawp" and word.lower() in _PHRASAL):
            return m
    return None


_WORD = re.compile(r"\S+")
_ADVERBS = lx.words("""now may might can could should must did does do also later then again once previously recently reportedly repeatedly further has had have would will
    had has already still even just only often frequently once simply finally quickly angrily flatly bluntly
    publicly privately has since later also, today yesterday tonight""")
_DAYS = lx.words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_STOP_BACK = lx.words("""and but or that which who whom whose when while as after before because if though although since
    said says told is was are were be been being has have had do does did not no to in on at by with from
    than so then also what how why where there here it this these those""")
_NP_PREPOSITIONS = lx.words("of for at with from in on to")
_CLAUSE_END = re.compile(r"[;:()\[\]]|—|–| - ")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker phrase as written, with its offsets in the paragraph."""

    phrase: str
    start: int
    end: int
    form: str  # "name", "pronoun" or "description"


def _classify_phrase(words: Sequence[str]) -> str:
    if len(words) == 1 and words[0].lower() in lx.SUBJECT_PRONOUNS:
        return "pronoun"
    first = words[0].lower()
    if first in lx.DESCRIPTION_HEADS or words[-1][:1].islower():
        rest = words[1:]
        if rest and first == "the" and all(w[:1].isupper() for w in rest):
            return "name"  # "the RCMP", "the White House"
        return "description"
    return "name"


_Word = tuple[int, int, str]  # start, end, text


def _words_in(text: str, lo: int, hi: int) -> list[_Word]:
    return [(m.start() + lo, m.end() + lo, m.group()) for m in _WORD.finditer(text[lo:hi])]


def _is_name_word(word: str) -> bool:
    bare = word.strip("“”\"‘’'(),")
    return (
        bool(bare)
        and (bare[:1].isupper() or bare in _NAME_CONNECTORS)
        and (bare not in lx.STOP_CAPS or bare in lx.SURNAME_CAPS)
    )


_NAME_CONNECTORS = lx.words("of de da van von der bin al la le du")


def _shape(words: list[_Word]) -> Attribution | None:
    """Name, pronoun or description from the words of a subject phrase (already delimited)."""
    while words and words[0][2].lower() in _NP_PREPOSITIONS | {"and", "but", "as", "so"}:
        words = words[1:]
    if not words:
        return None
    owner = max((i for i, (_, _, w) in enumerate(words) if w.endswith(("’s", "'s"))), default=-1)
    if owner >= 0:
        # "Clinton’s top foreign policy aide Jake Sullivan": the name after the possessor's role words
        tail = words[owner + 1 :]
        k = len(tail)
        while k > 0 and _is_name_word(tail[k - 1][2]):
            k -= 1
        if not tail:
            return None  # "Clinton’s": a possessor, never a speaker
        if 0 < k < len(tail) and tail[k - 1][2][:1].islower():
            words = tail[k:]
    tokens = [w for _, _, w in words]
    role = max(
        (i for i, t in enumerate(tokens[:-1]) if t[:1].islower() and _role_word(t.lower())), default=-1
    )
    if role > 0 and tokens[role + 1][:1].isupper() and all(_is_name_word(t) for t in tokens[role + 1 :]):
        # "University of Regina professor Paul Beck": the name after the last role word
        words, tokens = words[role + 1 :], tokens[role + 1 :]
    # "Jeffrey Lewis of the James Martin Center": the person is the part before the preposition.
    cut = next(
        (i for i, t in enumerate(tokens) if i and t in ("of", "for", "from", "at", "with", "in", "on")), None
    )
    head = tokens[:cut] if cut else tokens
    form = _classify_phrase(head)
    if form == "name":
        k = len(head)
        if k > 1 and _org_word_after_name(words, k - 1):
            k -= 1
        while k > 0 and _is_name_word(head[k - 1]):
            k -= 1
        if k == len(head):
            return None
        if k > 0 and head[k - 1].lower() == "the":
            k -= 1
        if k > 0 and head[k - 1][:1].islower() and head[k - 1].lower() not in lx.DESCRIPTION_HEADS:
            pass  # "former FBI agent Timothy Gill": lower-case titles before the name are dropped
        words, tokens = words[k : len(head)], head[k:]
        form = _classify_phrase(tokens)
    # "Judicial Watch", "Human Rights Watch" are names; "Watch" alone is not
    if (
        form == "name"
        and tokens
        and tokens[-1] in lx.STOP_CAPS
        and tokens[-1] not in lx.SURNAME_CAPS
        and not (len(tokens) > 1 and tokens[-1] in lx.ORG_WORDS and tokens[-2] not in lx.STOP_CAPS)
    ):
        return None
    return Attribution(" ".join(tokens), words[0][0], words[-1][1], form)


def _subject_words(words: list[_Word]) -> list[_Word]:
    """The trailing noun phrase of words: "… after Donald Trump" -> "Donald Trump"."""
    while words and (words[-1][2].lower() in _ADVERBS or words[-1][2] in _DAYS or _adverb_ly(words[-1][2])):
        words = words[:-1]
    if words and words[-1][2].endswith(","):
        # "Smith, a spokesman for X, said" / "a spokesman for X, Jane Doe, said"
        commas = [i for i, w in enumerate(words[:-1]) if w[2].endswith(",")]
        named = _named_segment(words, commas)
        if named:
            return named
        prev = commas[-1] if commas else -1
        last = [(a, b - 1 if w.endswith(",") else b, w.rstrip(",")) for a, b, w in words[prev + 1 :]]
        if prev >= 0 and all(_is_name_word(w) for _, _, w in last) and last[0][2][:1].isupper():
            return last
        if prev >= 0 and len(words) - prev <= 30:
            words = [*words[:prev], (words[prev][0], words[prev][1] - 1, words[prev][2][:-1])]
        else:
            words = last
    picked: list[_Word] = []
    for i in range(len(words) - 1, -1, -1):
        start, _, word = words[i]
        bare = word.strip("“”\"‘’'()")
        if not picked and _PARTY_LABEL.fullmatch(word.rstrip(",")):
            continue  # "Gov. Phil Bryant (R) said"
        if not bare or (picked and word[-1:] in ",;:"):
            break
        low = bare.lower()
        if picked and low in _STOP_BACK and low not in _NP_PREPOSITIONS:
            break
        if not picked and low in ("who", "which") and i and words[i - 1][2].endswith(","):
            a, b, w = words[i - 1]  # "Mike Lee, who declared": the name the relative pronoun stands for
            named = _subject_words([*words[: i - 1], (a, b - 1, w[:-1])])
            shaped = _shape(named) if named else None
            return named if shaped is not None and shaped.form == "name" else []
        if not picked and low in _STOP_BACK and low not in lx.SUBJECT_PRONOUNS and not _acronym(bare):
            return []  # "… quoted the president as saying", "… told Congress when asked": no subject here
        if not picked and low[:-2] in ("he", "she") and low[-2:] in ("’s", "'s"):
            low, bare = low[:-2], bare[:-2]  # "he’s said": has, not a possessive
        if not picked and low in lx.SUBJECT_PRONOUNS:
            picked.append((start, start + len(bare), bare))
            break
        if (
            bare[:1].isupper()
            and bare in lx.STOP_CAPS
            and bare.lower().rstrip(".") not in _TITLE_ABBR
            and not _org_word_after_name(words, i)
            and not (bare in lx.SURNAME_CAPS and (not picked or picked[-1][2] in lx.SURNAME_CAPS))
        ):
            break
        picked.append((start, start + len(word.rstrip(",")), bare))
        if low in lx.DESCRIPTION_HEADS and low not in ("his", "her", "their", "its", "our"):
            before = words[i - 1][2].lower() if i else ""
            if before not in _NP_PREPOSITIONS:
                break
        if len(picked) >= 14:
            return []
    picked.reverse()
    return picked


def _acronym(word: str) -> bool:
    """ "WHO", "IT": capitals, not the word they spell ("the WHO said")."""
    return len(word) > 1 and word.isupper()


def _org_word_after_name(words: list[_Word], i: int) -> bool:
    """ "… Judicial Watch said": a capitalised word that is usually no name ("Watch") ends an
    organisation's name when a capitalised non-stop word comes right before it."""
    if not i or words[i][2].strip("“”\"‘’'(),") not in lx.ORG_WORDS:
        return False
    before = words[i - 1][2]
    return before[:1].isupper() and before not in lx.STOP_CAPS and not before.endswith((",", "."))


def _named_segment(words: list[_Word], commas: list[int]) -> list[_Word]:
    """ "Jane Doe, 30, of Raleigh, director of X, said": with two or more appositives, the first
    comma-delimited segment (of the last 40 words) that is a bare name (empty if there is none)."""
    if len(commas) < 2:
        return []
    bounds = [-1, *commas]
    for k in range(len(bounds) - 1):
        if len(words) - bounds[k] > 40:
            continue
        segment = words[bounds[k] + 1 : bounds[k + 1] + 1]
        bare = [(a, b - 1 if w.endswith(",") else b, w.rstrip(",")) for a, b, w in segment]
        if bare and len(bare) <= 5 and all(_is_name_word(w) for _, _, w in bare) and bare[0][2][:1].isupper():
            return bare
    return []


_TITLE_ABBR = lx.words(
    "mr mrs ms dr sen rep gov lt gen col sgt st prof rev const cst cpl insp supt det capt maj adm cmdr coun hon"
)


def _phrase_at_end(text: str, lo: int, hi: int) -> Attribution | None:
    """The subject at the end of text[lo:hi] ("… Hegseth", "… the defense secretary", "he")."""
    return _shape(_subject_words(_words_in(text, lo, hi)))


def _adverb_ly(word: str) -> bool:
    return (
        word.endswith("ly") and word.islower() and len(word) > 4 and word not in ("family", "ally", "rally")
    )


def _phrase_at_start(text: str, lo: int, hi: int) -> Attribution | None:
    """The subject at the start of text[lo:hi] ("said Jane Doe, a …", "according to police")."""
    words = _words_in(text, lo, hi)
    while words and words[0][2].rstrip(",.") in _DAYS:
        words.pop(0)
    if not words:
        return None
    first = words[0][2].strip('(“"”,.;:')
    low = first.lower()
    if low in lx.SUBJECT_PRONOUNS:
        return Attribution(first, words[0][0], words[0][0] + len(first), "pronoun")
    if _participle_opening(words):
        return None  # "Appearing before supporters, Jane Doe said": a verb, not a name
    describing = low in lx.DESCRIPTION_HEADS or (first[:1].islower() and _role_word(low))
    if (
        first[:1].islower()
        and not describing
        and low not in _STOP_BACK
        and low not in _NP_PREPOSITIONS
        and _name_follows(words, words[0][0] + 1)
    ):
        words = [w for w in words if w[2][:1].isupper() or w[0] > words[0][0]]
        return _phrase_at_start(text, words[1][0], hi) if len(words) > 1 else None
    if (
        not describing
        and not (
            first[:1].isupper()
            and (
                first not in lx.STOP_CAPS
                or low in _TITLE_ABBR
                # "said Will Doyle": a given name that is also a word, before a surname
                or (first in lx.SURNAME_CAPS and len(words) > 1 and words[1][2][:1].isupper())
            )
        )
    ):
        return None
    picked: list[_Word] = []
    for start, _, word in words:
        core = word.rstrip(',.;:”"’)—')
        bare = core.lstrip('(“"')
        low = bare.lower()
        if not bare or (picked and word.startswith("(")):
            break
        abbreviation = word.endswith(".") and (low in _TITLE_ABBR or len(bare) == 1)
        if picked:
            if (
                (low in _STOP_BACK and low not in _NP_PREPOSITIONS)
                or bare in _PARAPHRASE
                or low in _VERB_LIKE
                or (not describing and _past_tense(bare) and picked[-1][2][:1].isupper())
            ):
                break  # "Trump joked that …", "The president noted …", "Rask appeared with …": a verb
            if bare[:1].isupper() and bare in lx.STOP_CAPS and not abbreviation and bare not in lx.ORG_WORDS:
                break
            if (
                not describing
                and bare[:1].islower()
                and not _role_word(low)
                and low not in _NAME_CONNECTORS
                and not _name_follows(words, start, 6 if picked[-1][2].endswith(("’s", "'s")) else 4)
            ):
                break
        picked.append(
            (start, start + (len(word) if abbreviation else len(core)), bare + ("." if abbreviation else ""))
        )
        if (core != word and not abbreviation) or len(picked) >= 12:
            break
    if describing:
        picked = _trim_description(picked)
    while picked and picked[-1][2].lower() in _NP_PREPOSITIONS | lx.DESCRIPTION_HEADS:
        picked.pop()
    return _shape(picked) if picked else None


def _participle_opening(words: list[_Word]) -> bool:
    """A capitalised present participle followed by its object or a preposition ("Appearing before
    …", "Addressing the crowd"), not a name ending in -ing ("King said")."""
    first = words[0][2]
    return (
        len(words) > 1
        and first.endswith("ing")
        and first[:1].isupper()
        and first[1:].islower()
        and first not in lx.GIVEN_NAMES
        and words[1][2] in _PARTICIPLE_OBJECTS
    )


_PARTICIPLE_OBJECTS = lx.words(
    """to a an the his her their its this that these those our my of for at with from in on before after
    about into through during over up out down back off next outside inside around across against"""
)


def _past_tense(word: str) -> bool:
    return word.endswith("ed") and word.islower() and len(word) > 4 and not _role_word(word)


_VERB_LIKE = lx.words(
    "may might can could should must will would did does do is was are were has had have goes went"
)
_PP_WORDS = _NP_PREPOSITIONS | lx.words("the a an and")


def _trim_description(picked: list[_Word]) -> list[_Word]:
    """A description stops where its verb starts: "his campaign sent out a text", "the candidate
    appeared to", "her campaign quickly blasted" -> "his campaign", "the candidate", "her campaign";
    participles that modify the noun stay ("a source involved in the talks")."""
    words = [w for _, _, w in picked]
    for i in range(1, len(words)):
        low = words[i].lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if not words[i][:1].islower():
            continue
        if (
            low in _VERB_LIKE
            or _adverb_ly(words[i])
            or nxt in _PARTICLES
            or (low.endswith(("ed", "ing")) and nxt in _OBJECT_STARTS)
        ):
            return picked[:i]
    return picked


_PARTICLES = lx.words("out up off down")
_OBJECT_STARTS = lx.words("to a an the his her their its this that")


def _possessor(word: str) -> str:
    return word[:-2] if word.endswith(("’s", "'s")) else word


def _name_follows(words: list[_Word], at: int, reach: int = 4) -> bool:
    """Within three words, plain lower-case ones, a capitalised word follows ("Republican presidential
    candidate Donald Trump")."""
    ahead = [w for w in words if w[0] >= at][:reach]
    for _, _, word in ahead:
        if word[-1:] in ",.;:" and not (word[-1] == "." and word[:-1].lower() in _TITLE_ABBR):
            return False
        if word[:1].isupper():
            return word not in lx.STOP_CAPS
    return False


def _role_word(low: str) -> bool:
    singular = low[:-1] if low.endswith("s") else low
    return (
        low in lx.ROLE_NOUNS or singular in lx.ROLE_NOUNS or low in lx.ORG_NOUNS or singular in lx.ORG_NOUNS
    )


def has_speech_verb(text: str) -> bool:
    return _first_verb(text, 0, len(text)) is not None


_CONTENT_AFTER_VERB = lx.words("that the a an he she they it we i his her their there this these if whether")


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
                return found if found is not None and found.form == "name" else None
            return None
        return _shape(subject)
    found = _phrase_at_start(text, verb.end(), hi)
    if found is not None and found.form == "description":
        # "said a spokesperson for the ministry, Jane Doe.": the name in apposition
        named = _APPOSED_NAME.match(text, found.end, hi)
        if named is not None:
            person = _phrase_at_start(text, named.start(1), named.end(1))
            if person is not None and person.form == "name" and person.end == named.end(1):
                return person
    return found


_APPOSED_NAME = re.compile(r",\s+((?:[A-Z][\w’'.-]*\s){0,3}[A-Z][\w’'-]*\w)(?=[.,;]|\s*$)")


def _appositive_before(text: str, lo: int, at: int) -> bool:
    """ "his wife, Jane Doe, wrote", "a spokesperson for the ministry, Jane Doe, said": a description
    set off by a comma before the name."""
    before = text[lo:at].strip(" —–-\u00a0")
    if not before.endswith(","):
        return False
    words = before.split()
    first = words[0].lower().strip('“”"')
    return first in lx.DESCRIPTION_HEADS or any(w[:1].islower() and _role_word(w.rstrip(",")) for w in words)


_INVERTING = lx.words("said says added adds wrote writes")


_IRREGULAR_SPEECH = lx.words("shot spat swore sang spoke broke began read")  # “…,” Jones shot back.
_NOT_SPEECH_ED = lx.words("based need needed related united used supposed concerned interested")


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
        return _colon_label(text, lo, hi) or _colon_subject(text, lo, hi)
    verb = verbs[-1]
    tail = text[verb.end() : hi]
    if len(tail) > 80 or _CLAUSE_END.search(tail.rstrip(" :,")):
        return None
    if verb.group().lower() == "according to":
        return _phrase_at_start(text, verb.end(), hi)
    start = _clause_start(text, lo, verb.start())
    if verb.group().endswith("ing"):
        # "Spicer said, adding, ": the earlier verb's subject; "Albright urged …, saying, ": the clause's
        earlier = [v for v in verbs[:-1] if not v.group().endswith("ing") and v.start() >= start]
        if earlier:
            return attribution_before(text, lo, earlier[-1].end())
        found = _clause_subject(text, start, verb.start())
        if found is not None:
            return found
        if text[start : verb.start()].rstrip().endswith(","):
            return None  # "…, X rallied supporters, saying": the word before the comma is an object
    before = text[start : verb.start()].split()
    while len(before) > 1 and (before[-1] in _ADVERBS or _adverb_ly(before[-1])):
        before.pop()  # "…, but now said", "… and then quickly added"
    if before and before[-1].lower() in _COORDINATION:
        return _clause_subject(text, start, verb.start())  # "he looked …, furrowed his brow and said"
    found = _phrase_at_end(text, start, verb.start())
    if found is not None and not (found.form == "description" and before and before[-1].endswith(",")):
        return found
    inverted = found
    found = _phrase_at_start(text, verb.end(), hi)
    if inverted is not None and (found is None or found.form != "name"):
        return inverted  # "In other words, explained X:" is inverted only when a name follows the verb
    rest = text[found.end : hi].strip() if found is not None else ""
    appositive = found is not None and found.form == "name" and rest.startswith(",")
    if rest.strip(",:") and not (appositive and rest.endswith((".", ",", ":"))):
        return None  # "said the hospital’s so-called": content, not an inverted subject
    return found  # "said Jane Doe, a spokeswoman for X. “…”" keeps her appositive out


def _clause_subject(text: str, lo: int, hi: int) -> Attribution | None:
    """The first subject-like phrase at the start of text[lo:hi] or after one of its commas."""
    for match in re.finditer(r"(?:^|, )", text[lo:hi]):
        found = _phrase_at_start(text, lo + match.end(), hi)
        if found is not None:
            return found
    return None


_COORDINATION = lx.words("and but or then to also later")
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


_PARAPHRASE = lx.SPEECH_VERBS | lx.PARAPHRASE_VERBS


def paraphrase_subject(
    text: str, lo: int, hi: int, quoted: Sequence[tuple[int, int]] = ()
) -> Attribution | None:
    """Who a partial quote inside a paraphrase belongs to: the subject of the sentence's first speech
    or paraphrase verb ("Hegseth … dismissed the goals as “unrealistic.”"). Words inside the `quoted`
    stretches (start, end of earlier quotes, marks included) are someone's words, never the subject."""
    start = lo
    verb = None
    for m in _WORD_RUN.finditer(text, lo, hi):
        inside = next((e for s, e in quoted if s <= m.start() < e), None)
        if inside is not None:
            start = max(start, inside)
            continue
        word = m.group()
        if word in _PARAPHRASE or word in _SENTENCE_VERBS or (word[0] in "Aawp" and word.lower() in _PHRASAL):
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


_PARTY_LABEL = re.compile(r"\((?:[DRI]|[DRI]-[A-Z][\w.]{0,8}|[A-Z][a-z]{1,4}\.)\)")


# ---------------------------------------------------------------- resolution

_COMMA = re.compile(r", ")
_SUBORDINATORS = lx.words("when after as before while if because since until unless though although whether")
_LOWER_RUN = re.compile(r"(?: [a-z][\w-]*){1,4} ")


def _mark_name_modifiers(people: list[Mention], paragraphs: Sequence[str]) -> list[Mention]:
    """A name right before a lower-case role and another name modifies it: in "Trump campaign
    chairman Paul Manafort" or "Obama consultant Cornell Belcher" the person is the second name."""
    out = list(people)
    for i in range(len(out) - 1):
        m, n = out[i], out[i + 1]
        if m.paragraph != n.paragraph or m.paragraph < 0 or m.is_modifier or not paragraphs:
            continue
        gap = paragraphs[m.paragraph][m.end : n.start]
        if _LOWER_RUN.fullmatch(gap) and any(_role_word(w) for w in gap.split()):
            out[i] = Mention(m.paragraph, m.start, m.end, m.surface, m.name, m.kind, True)
    return out


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    kind: EntityKind | None


_DESCRIBED_SUBJECT = re.compile(r"\s*[“\"]?(The ((?:[a-z][\w-]* ?){1,4}))")
_DOCUMENTS = lx.words(
    "statement release report email letter post tweet memo filing document transcript message"
)
_INDEFINITE = lx.words("a an one another some two three several many")  # new, unnamed people
_NOT_HEADS = lx.words("two three four other others latter former same first last one both")


class Resolver:
    """Resolves speaker phrases against the article's names, in reading order."""

    def __init__(
        self,
        index: NameIndex,
        sentence_ends: Sequence[Sequence[int]],
        outside: Sequence[Mention],
        *,
        paragraphs: Sequence[str] = (),
        keep_descriptions: bool = True,
    ) -> None:
        self._paragraphs = paragraphs
        self._index = index
        self._ends = sentence_ends
        self._people = _mark_name_modifiers([m for m in outside if m.kind == "person"], paragraphs)
        self._said: list[Mention] = []  # resolved attributions, as extra person mentions
        self._keep_descriptions = keep_descriptions
        self._people.extend(self._described_subjects())

    def _described_subjects(self) -> list[Mention]:
        """Sentences whose subject is a definite description of someone already named ("The senator
        attacked Jones."): the description counts as a mention of that person."""
        found: list[Mention] = []
        for index, text in enumerate(self._paragraphs):
            if "The " not in text:
                continue  # every described subject starts "The "
            for start in (0, *self._ends[index]):
                match = _DESCRIBED_SUBJECT.match(text, start)
                if match is None:
                    continue
                words = match.group(2).split()
                n = next((i for i, w in enumerate(words[:4]) if w in lx.ROLE_NOUNS), None)
                if n is None:
                    continue
                at = match.start(1)
                phrase = " ".join(["the", *words[: n + 1]])
                speaker = self._description(index, at, phrase)
                if speaker is not None and speaker.kind == "person" and speaker.name in self._index.people:
                    found.append(Mention(index, at, at + len(phrase), phrase, speaker.name, "person"))
        return found

    def note(self, paragraph: int, at: Attribution, speaker: Speaker) -> None:
        if speaker.kind == "person":
            self._said.append(Mention(paragraph, at.start, at.end, at.phrase, speaker.name, "person"))

    def resolve(self, paragraph: int, at: Attribution) -> Speaker | None:
        if at.form == "pronoun":
            return self._pronoun(paragraph, at.start, at.phrase.lower())
        quoted = self._quoted_person(paragraph, at)
        if quoted is not None:
            return quoted
        if at.form == "description":
            return self._stands_for(paragraph, at.start, at.phrase)
        return self._name(at.phrase)

    def _quoted_person(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "the harbour police said, quoting Sergeant Ilse Brandt": the person quoted spoke."""
        if paragraph < 0 or paragraph >= len(self._paragraphs):
            return None
        name = quoted_name(self._paragraphs[paragraph], at.end)
        person = self._index.person_for(name) if name else None
        return Speaker(person, "person") if person else None

    def _stands_for(self, paragraph: int, offset: int, phrase: str) -> Speaker | None:
        """A description: the person or organisation it stands for, or None if it names nobody."""
        pronoun = possessive_document(phrase)
        if pronoun in ("he", "she"):
            return self._pronoun(paragraph, offset, pronoun)
        if pronoun is not None or generic_organisation(phrase):
            org = self._organisation_before(paragraph, offset, phrase.split()[-1].lower())
            if org is not None:
                return org
        if is_no_speaker(phrase, description=True) or document_alone(phrase):
            return None
        return self._description(paragraph, offset, phrase)

    def _organisation_before(self, paragraph: int, offset: int, noun: str) -> Speaker | None:
        """The organisation a generic noun ("the airline") stands for: the latest one named before,
        within three paragraphs, one whose name has the noun in it first ("the bank": "Bank")."""
        named = [
            m
            for m in self._index.mentions
            if m.kind == "organisation"
            and (m.paragraph, m.start) < (paragraph, offset)
            and (m.paragraph == -1 or m.paragraph >= paragraph - 3)
        ]
        if not named:
            return None
        fitting = [m for m in named if noun.title() in m.name.split()] or named
        latest = max(fitting, key=lambda m: (m.paragraph, m.start))
        return Speaker(latest.name, "organisation")

    def _name(self, phrase: str) -> Speaker | None:
        text = phrase[4:] if phrase.lower().startswith("the ") else phrase
        person = self._index.person_for(text)
        if person is not None:
            return Speaker(person, "person")
        full = acronym_of(text, self._index.orgs)
        if full is not None:
            return Speaker(full, "organisation")  # "the WHO" after "World Health Organization"
        for mention in self._index.mentions:
            if mention.surface == text or mention.name == text:
                return Speaker(mention.name, mention.kind)
        if text in lx.KNOWN_ORGS or any(t in lx.ORG_WORDS for t in text.split()):
            return Speaker(text, "organisation")
        if is_no_speaker(text):
            return None  # "MARKET VIEW", "Signs", "Month"
        if text in lx.STOP_CAPS or text in lx.DEMONYMS:
            return None
        if text.isupper() and len(text) <= 6:
            return Speaker(text, "organisation")
        return Speaker(text, "person")

    def _sentence(self, paragraph: int, offset: int) -> tuple[int, int]:
        return paragraph, bisect_right(self._ends[paragraph], offset) if paragraph >= 0 else 0

    def _pronoun(self, paragraph: int, offset: int, pronoun: str) -> Speaker | None:
        if pronoun not in ("he", "she"):
            return None
        want = "m" if pronoun == "he" else "f"
        pool = [
            m
            for m in (*self._people, *self._said)
            if paragraph - 6 <= m.paragraph <= paragraph and (m.paragraph, m.start) < (paragraph, offset)
        ]
        pool.sort(key=lambda m: (m.paragraph, m.start))
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        for m in pool:
            gender = self._index.people[m.name].gender if m.name in self._index.people else None
            if gender is not None and gender != want:
                continue
            by_sentence.setdefault(self._sentence(m.paragraph, m.start), []).append(m)
        for key in sorted(by_sentence, reverse=True)[:4]:
            found = by_sentence[key]
            if self._opens_with(key, pronoun) and found[0] not in self._said:
                continue  # "He also attacked Jones.": that sentence's subject is our "he" again
            subjects = [m for m in found if not m.is_modifier] or found
            speaking = [m for m in subjects if m in self._said or self._speaks(m)]
            return Speaker((speaking or subjects)[0].name, "person")
        return None

    def _speaks(self, m: Mention) -> bool:
        """Is the mention the subject of a speech verb ("Sexton said", "Jones, a lawyer, wrote")?"""
        if not self._paragraphs or m.paragraph < 0:
            return False
        text = self._paragraphs[m.paragraph]
        before = text[max(0, m.start - 12) : m.start].split()
        if before and before[-1].lower() in _SUBORDINATORS:
            return False  # "… when Tapper asked whether …": not the sentence's subject
        tail = text[m.end : m.end + 120]
        starts = [0]
        if tail.startswith(","):  # appositives: "Jones, a lawyer for the firm, said"
            starts = [c.end() for c in _COMMA.finditer(tail, 1, tail.find(".") if "." in tail else len(tail))]
        for at in starts:
            words = [w.strip(",.;:") for w in tail[at:].split()[:3]]
            if words and _adverb_ly(words[0]):
                words = words[1:]
            if (
                words
                and (words[0] in lx.SPEECH_VERBS or words[0] in lx.PARAPHRASE_VERBS)
                and not words[0].endswith("ing")
                and (len(words) < 2 or words[1] != "to")
            ):
                return True
            if (
                words
                and at == 0
                and _past_tense(words[0])
                and tail[len(words[0]) + 1 : len(words[0]) + 2] in ".,"
            ):
                return True  # "…, Ban demurred.": the subject of an intransitive verb ending the clause
        return False

    def _opens_with(self, sentence: tuple[int, int], pronoun: str) -> bool:
        paragraph, k = sentence
        if not self._paragraphs or paragraph < 0:
            return False
        start = self._ends[paragraph][k - 1] if k else 0
        head = self._paragraphs[paragraph][start : start + 12].lstrip(' “"')
        return head.startswith(pronoun.capitalize() + " ")

    def _description(self, paragraph: int, offset: int, phrase: str) -> Speaker | None:
        words = [w.lower().strip(",.") for w in phrase.split()]
        definite = not words or words[0] not in _INDEFINITE
        if words and words[0] in lx.DESCRIPTION_HEADS:
            words = words[1:]
        cut = next((i for i, w in enumerate(words) if w in _NP_PREPOSITIONS), len(words))
        core = words[:cut]
        if not core:
            return None
        head = core[-1]
        if head in _DOCUMENTS and cut < len(words) and words[cut] in ("from", "by", "of"):
            # "a statement from the Calgary Police Service": the issuer speaks
            source = phrase.split()[len(phrase.split()) - len(words) + cut + 1 :]
            if source:
                issuer = " ".join(source)
                form = "description" if source[0].lower() in lx.DESCRIPTION_HEADS else "name"
                if form == "name" or (
                    source[0].lower() == "the" and all(w[:1].isupper() for w in source[1:])
                ):
                    return self._name(issuer)
                return self._description(paragraph, offset, issuer)
        singular = head[:-1] if head.endswith("s") and head[:-1] in (lx.ROLE_NOUNS | lx.ORG_NOUNS) else head
        best: tuple[int, int, str] | None = None
        recent = (
            self._recency(paragraph, offset) if definite and head.isalpha() and head not in _NOT_HEADS else {}
        )
        for name in recent:  # only someone already introduced, and only by a definite description
            info = self._index.people.get(name)
            if info is None or (singular not in info.titles and head not in info.titles):
                continue
            score = (len(set(core[:-1]) & info.titles), recent.get(name, -1), name)
            if best is None or score[:2] > best[:2]:
                best = score
        if best is not None:
            return Speaker(best[2], "person")
        if singular in lx.ORG_NOUNS and singular not in lx.ROLE_NOUNS:
            for org in self._index.orgs:
                if singular.title() in org.split():
                    return Speaker(org, "organisation")
            return Speaker(phrase, "organisation") if self._keep_descriptions else None
        if not self._keep_descriptions:
            return None
        return Speaker(phrase, "person" if singular in lx.ROLE_NOUNS else None)

    def _recency(self, paragraph: int, offset: int) -> dict[str, int]:
        """Person -> rank of their latest mention before the offset (higher is more recent)."""
        order: dict[str, int] = {}
        for i, m in enumerate(sorted((*self._people, *self._said), key=lambda m: (m.paragraph, m.start))):
            if (m.paragraph, m.start) < (paragraph, offset):
                order[m.name] = i
        return order
