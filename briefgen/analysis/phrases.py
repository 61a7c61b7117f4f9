"""Speaker phrases: speech verbs in a stretch of text, the subject words that end before a verb
("… Hegseth said"), the name that starts after one ("said Jane Doe, a …"), and their shape: a name,
a pronoun or a description (`Attribution`). The attribution rules (`briefgen.analysis.speakers`)
decide where to look; this module only reads phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.lang import lexicon

LEX = lexicon()
_SENTENCE_VERBS = frozenset(w.capitalize() for w in LEX.inverting_verbs)  # "Said Comey, “…”"
_PHRASAL = LEX.phrasal_speech  # "As one resident put it: “…”"
_PHRASE_STARTS = "".join(sorted({c for p in _PHRASAL for c in (p[0], p[0].upper())}))


def _word_run_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    r"""`(?<![\w’'-])(?:[Aa]ccording to|…|[A-Za-z][a-z]*)(?![\w’'-])`, opening with one character class so
    that the regex engine skips straight to letters."""
    alternatives = "".join(f"(?<=[{p[0]}{p[0].upper()}]){re.escape(p[1:])}|" for p in phrases)
    return re.compile(rf"[A-Za-z](?<![\w’'-].)(?:{alternatives}(?<=[A-Za-z])[a-z]*)(?![\w’'-])")


_WORD_RUN = _word_run_pattern(_PHRASAL)


def _verbs_in(text: str, lo: int, hi: int, verbs: frozenset[str] = LEX.speech_verbs) -> list[re.Match[str]]:
    """Speech verbs (or `verbs`) in text[lo:hi]; cheaper than one regex alternation of them all."""
    return [
        m
        for m in _WORD_RUN.finditer(text, lo, hi)
        if m.group() in verbs
        or m.group() in _SENTENCE_VERBS
        or (m.group()[0] in _PHRASE_STARTS and m.group().lower() in _PHRASAL)
    ]


def _first_verb(
    text: str, lo: int, hi: int, verbs: frozenset[str] = LEX.speech_verbs
) -> re.Match[str] | None:
    for m in _WORD_RUN.finditer(text, lo, hi):
        word = m.group()
        if (
            word in verbs
            or word in _SENTENCE_VERBS
            or (word[0] in _PHRASE_STARTS and word.lower() in _PHRASAL)
        ):
            return m
    return None


_WORD = re.compile(r"\S+")
_ADVERBS = LEX.verb_adverbs
_DAYS = frozenset(LEX.weekdays)
_STOP_BACK = LEX.clause_words
_NP_PREPOSITIONS = LEX.np_prepositions
_CLAUSE_END = re.compile(r"[;:()\[\]]|—|–| - ")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker phrase as written, with its offsets in the paragraph."""

    phrase: str
    start: int
    end: int
    form: str  # "name", "pronoun" or "description"
    rule: str = ""  # the reading that found it ("subject before the verb"), for --explain


def _classify_phrase(words: Sequence[str]) -> str:
    if len(words) == 1 and words[0].lower() in LEX.subject_pronouns:
        return "pronoun"
    first = words[0].lower()
    if first in LEX.description_heads or words[-1][:1].islower():
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
        and (bare not in LEX.stop_caps or bare in LEX.surname_caps)
    )


_NAME_CONNECTORS = LEX.name_particles | {"of"}


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
    cut = next((i for i, t in enumerate(tokens) if i and t in _NP_PREPOSITIONS and t != "to"), None)
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
        if k > 0 and head[k - 1][:1].islower() and head[k - 1].lower() not in LEX.description_heads:
            pass  # "former FBI agent Timothy Gill": lower-case titles before the name are dropped
        words, tokens = words[k : len(head)], head[k:]
        form = _classify_phrase(tokens)
    # "Judicial Watch", "Human Rights Watch" are names; "Watch" alone is not
    if (
        form == "name"
        and tokens
        and tokens[-1] in LEX.stop_caps
        and tokens[-1] not in LEX.surname_caps
        and not (len(tokens) > 1 and tokens[-1] in LEX.org_words and tokens[-2] not in LEX.stop_caps)
    ):
        return None
    return Attribution(" ".join(tokens), words[0][0], words[-1][1], form)


def _subject_words(words: list[_Word]) -> list[_Word]:
    """The trailing noun phrase of words: "… after Donald Trump" -> "Donald Trump"."""
    while words and (words[-1][2].lower() in _ADVERBS or words[-1][2] in _DAYS or _adverb_ly(words[-1][2])):
        words = words[:-1]
    if words and words[-1][2].endswith(","):
        named, words = _before_appositive(words)
        if named is not None:
            return named
    picked: list[_Word] = []
    for i in range(len(words) - 1, -1, -1):
        start, _, word = words[i]
        bare = word.strip("“”\"‘’'()")
        if not picked:
            how, found = _last_subject_word(words, i)
            if how == "skip":
                continue
            if how == "done":
                return found
            if how == "pronoun":
                return found
        if _ends_subject(words, i, bare, picked):
            break
        picked.append((start, start + len(word.rstrip(",")), bare))
        if _ends_with_description_head(words, i, bare.lower()):
            break
        if len(picked) >= 14:
            return []
    picked.reverse()
    return picked


def _ends_with_description_head(words: list[_Word], i: int, low: str) -> bool:
    """ "the spokesman said": a determiner opens the subject, unless a preposition stands before it."""
    if low not in LEX.description_heads or low in LEX.possessive_determiners:
        return False
    return (words[i - 1][2].lower() if i else "") not in _NP_PREPOSITIONS


def _before_appositive(words: list[_Word]) -> tuple[list[_Word] | None, list[_Word]]:
    """Words ending with a comma: "Smith, a spokesman for X," / "a spokesman for X, Jane Doe,". The
    subject when it is plain (else None), and the words to read the subject from."""
    commas = [i for i, w in enumerate(words[:-1]) if w[2].endswith(",")]
    named = _named_segment(words, commas)
    if named:
        return named, words
    prev = commas[-1] if commas else -1
    last = [(a, b - 1 if w.endswith(",") else b, w.rstrip(",")) for a, b, w in words[prev + 1 :]]
    if prev >= 0 and all(_is_name_word(w) for _, _, w in last) and last[0][2][:1].isupper():
        return last, words
    if prev >= 0 and len(words) - prev <= 30:
        return None, [*words[:prev], (words[prev][0], words[prev][1] - 1, words[prev][2][:-1])]
    return None, last


def _last_subject_word(words: list[_Word], i: int) -> tuple[str, list[_Word]]:
    """How the last word of a subject phrase, words[i], is read: "skip" (a party label: "Gov. Phil
    Bryant (R) said"), "done" with the subject (possibly none), "pronoun" with it, or "go" on."""
    start, _, word = words[i]
    bare = word.strip("“”\"‘’'()")
    if _PARTY_LABEL.fullmatch(word.rstrip(",")):
        return "skip", []
    low = bare.lower()
    if bare and low in ("who", "which") and i and words[i - 1][2].endswith(","):
        a, b, w = words[i - 1]  # "Mike Lee, who declared": the name the relative pronoun stands for
        named = _subject_words([*words[: i - 1], (a, b - 1, w[:-1])])
        shaped = _shape(named) if named else None
        return "done", named if shaped is not None and shaped.form == "name" else []
    if bare and low in _STOP_BACK and low not in LEX.subject_pronouns and not _acronym(bare):
        return "done", []  # "… quoted the president as saying", "… told Congress when asked": no subject
    if low[:-2] in ("he", "she") and low[-2:] in ("’s", "'s"):
        low, bare = low[:-2], bare[:-2]  # "he’s said": has, not a possessive
    if bare and low in LEX.subject_pronouns:
        return "pronoun", [(start, start + len(bare), bare)]
    return "go", []


def _acronym(word: str) -> bool:
    """ "WHO", "IT": capitals, not the word they spell ("the WHO said")."""
    return len(word) > 1 and word.isupper()


def _ends_subject(words: list[_Word], i: int, bare: str, picked: list[_Word]) -> bool:
    """Does words[i], read backwards from the verb, lie before the subject phrase?"""
    word = words[i][2]
    if not bare or (picked and word[-1:] in ",;:"):
        return True
    low = bare.lower()
    if picked and low in _STOP_BACK and low not in _NP_PREPOSITIONS:
        return True
    return (
        bare[:1].isupper()
        and bare in LEX.stop_caps
        and bare.lower().rstrip(".") not in _TITLE_ABBR
        and not _org_word_after_name(words, i)
        and not (bare in LEX.surname_caps and (not picked or picked[-1][2] in LEX.surname_caps))
    )


def _org_word_after_name(words: list[_Word], i: int) -> bool:
    """ "… Judicial Watch said": a capitalised word that is usually no name ("Watch") ends an
    organisation's name when a capitalised non-stop word comes right before it."""
    if not i or words[i][2].strip("“”\"‘’'(),") not in LEX.org_words:
        return False
    before = words[i - 1][2]
    return before[:1].isupper() and before not in LEX.stop_caps and not before.endswith((",", "."))


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


_TITLE_ABBR = LEX.abbreviations_of("title", "place")


def _phrase_at_end(text: str, lo: int, hi: int) -> Attribution | None:
    """The subject at the end of text[lo:hi] ("… Hegseth", "… the defense secretary", "he")."""
    return _shape(_subject_words(_words_in(text, lo, hi)))


def _adverb_ly(word: str) -> bool:
    return word.endswith("ly") and word.islower() and len(word) > 4 and word not in LEX.ly_nouns


def _phrase_at_start(text: str, lo: int, hi: int) -> Attribution | None:
    """The subject at the start of text[lo:hi] ("said Jane Doe, a …", "according to police")."""
    words = _words_in(text, lo, hi)
    while words and words[0][2].rstrip(",.") in _DAYS:
        words.pop(0)
    if not words:
        return None
    first = words[0][2].strip('(“"”,.;:')
    low = first.lower()
    if low in LEX.subject_pronouns:
        return Attribution(first, words[0][0], words[0][0] + len(first), "pronoun")
    if _participle_opening(words):
        return None  # "Appearing before supporters, Jane Doe said": a verb, not a name
    describing = low in LEX.description_heads or (first[:1].islower() and _role_word(low))
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
                first not in LEX.stop_caps
                or low in _TITLE_ABBR
                # "said Will Doyle": a given name that is also a word, before a surname
                or (first in LEX.surname_caps and len(words) > 1 and words[1][2][:1].isupper())
            )
        )
    ):
        return None
    picked = _name_words_from_start(words, describing)
    if describing:
        picked = _trim_description(picked)
    while picked and picked[-1][2].lower() in _NP_PREPOSITIONS | LEX.description_heads:
        picked.pop()
    return _shape(picked) if picked else None


def _name_words_from_start(words: list[_Word], describing: bool) -> list[_Word]:
    """The words of the phrase that opens `words`, up to where its verb or a new clause starts."""
    picked: list[_Word] = []
    for start, _, word in words:
        core = word.rstrip(',.;:”"’)—')
        bare = core.lstrip('(“"')
        if not bare or (picked and word.startswith("(")):
            break
        abbreviation = word.endswith(".") and (bare.lower() in _TITLE_ABBR or len(bare) == 1)
        if picked and _ends_name(words, start, bare, abbreviation, describing, picked[-1][2]):
            break
        picked.append(
            (start, start + (len(word) if abbreviation else len(core)), bare + ("." if abbreviation else ""))
        )
        if (core != word and not abbreviation) or len(picked) >= 12:
            break
    return picked


def _ends_name(
    words: list[_Word], start: int, bare: str, abbreviation: bool, describing: bool, previous: str
) -> bool:
    """Does the word at `start` end the phrase read so far (`previous` its last word)?"""
    low = bare.lower()
    if (
        (low in _STOP_BACK and low not in _NP_PREPOSITIONS)
        or bare in _PARAPHRASE
        or low in _VERB_LIKE
        or (not describing and _past_tense(bare) and previous[:1].isupper())
    ):
        return True  # "Trump joked that …", "The president noted …", "Rask appeared with …": a verb
    if bare[:1].isupper() and bare in LEX.stop_caps and not abbreviation and bare not in LEX.org_words:
        return True
    return (
        not describing
        and bare[:1].islower()
        and not _role_word(low)
        and low not in _NAME_CONNECTORS
        and not _name_follows(words, start, 6 if previous.endswith(("’s", "'s")) else 4)
    )


def _participle_opening(words: list[_Word]) -> bool:
    """A capitalised present participle followed by its object or a preposition ("Appearing before
    …", "Addressing the crowd"), not a name ending in -ing ("King said")."""
    first = words[0][2]
    return (
        len(words) > 1
        and first.endswith("ing")
        and first[:1].isupper()
        and first[1:].islower()
        and first not in LEX.given_names
        and words[1][2] in _PARTICIPLE_OBJECTS
    )


_PARTICIPLE_OBJECTS = LEX.participle_objects


def _past_tense(word: str) -> bool:
    return word.endswith("ed") and word.islower() and len(word) > 4 and not _role_word(word)


_VERB_LIKE = LEX.auxiliaries


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


_PARTICLES = LEX.verb_particles
_OBJECT_STARTS = LEX.object_starts


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
            return word not in LEX.stop_caps
    return False


def _role_word(low: str) -> bool:
    singular = low[:-1] if low.endswith("s") else low
    return (
        low in LEX.role_nouns
        or singular in LEX.role_nouns
        or low in LEX.org_nouns
        or singular in LEX.org_nouns
    )


_PARTY_LABEL = re.compile(r"\((?:[DRI]|[DRI]-[A-Z][\w.]{0,8}|[A-Z][a-z]{1,4}\.)\)")
_COMMA = re.compile(r", ")
_SUBORDINATORS = LEX.subordinators
_PARAPHRASE = LEX.speech_verbs | LEX.paraphrase_verbs
