"""Who a speaker phrase refers to, by `RESOLUTION_RULES` tried in order for the phrase's form; the
first that decides wins, with a speaker or with none, and names itself in the speaker (`Quote.rule`,
`briefgen quotes --jsonl --explain`):

- a pronoun: `pronoun`, the most recent fitting person ("he": a man, by title, first name or the
  pronouns used of him);
- any phrase: `person the speaker quotes` ("police said, quoting Sergeant Ilse Brandt");
- a description: `whose document` ("his statement": the man "his" stands for),
  `organisation named before` ("the airline", "its report": the latest organisation named, one with
  the noun in its name first), `names nobody` (a date word, a section label, "the budget"), then
  `description` ("the defense secretary": the person introduced with that title, or the description);
- a name: `person named` (a surname to the full name of its first mention), `acronym of a full name`
  ("the WHO" after "World Health Organization"), `name used before`, `organisation by its words`,
  `no one's name` ("MARKET VIEW", "Signs", "Officials"), `a name not seen before`.

Resolution runs in reading order and remembers every person it resolved (`note`), so a later "he" can
refer to them. The mentions seen so far live in a `_Timeline`, which answers "the latest mentions
before this point" with a binary search: the cost of one question does not grow with the article.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from briefgen.analysis.names import Mention, NameIndex
from briefgen.analysis.phrases import (
    _COMMA,
    _NP_PREPOSITIONS,
    _SUBORDINATORS,
    Attribution,
    _adverb_ly,
    _past_tense,
    _role_word,
)
from briefgen.analysis.stand_ins import (
    acronym_of,
    document_alone,
    generic_organisation,
    is_no_speaker,
    possessive_document,
    quoted_name,
)
from briefgen.lang import lexicon
from briefgen.model import EntityKind

LEX = lexicon()
_LOWER_RUN = re.compile(r"(?: [a-z][\w-]*){1,4} ")
_DESCRIBED_SUBJECT = re.compile(r"\s*[“\"]?(The ((?:[a-z][\w-]* ?){1,4}))")
# A pronoun refers back at most this many paragraphs, and past at most this many person mentions.
_PRONOUN_PARAGRAPHS = 6
_PRONOUN_MENTIONS = 100


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    kind: EntityKind | None
    rule: str = ""  # the resolution rule that named it (`RESOLUTION_RULES`)


_NOBODY = Speaker("", None)  # what a rule returns when it decides that a phrase names no speaker


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


_Key = tuple[
    int, int, int, int
]  # paragraph, start, group (0: found by name, 1: resolved speaker), order added


class _Timeline:
    """Person mentions in reading order; equal positions keep names before speakers, then the order
    they were added (as a stable sort of names + speakers would)."""

    def __init__(self) -> None:
        self._keys: list[_Key] = []
        self._mentions: dict[_Key, Mention] = {}
        self._by_name: dict[str, list[_Key]] = {}
        self._added = 0

    def add(self, mention: Mention, group: int) -> None:
        key = (mention.paragraph, mention.start, group, self._added)
        self._added += 1
        insort(self._keys, key)  # speakers are noted in reading order: almost always an append
        insort(self._by_name.setdefault(mention.name, []), key)
        self._mentions[key] = mention

    def before(self, paragraph: int, offset: int) -> Iterator[Mention]:
        """The mentions before (paragraph, offset), latest first."""
        keys, mentions = self._keys, self._mentions
        for i in range(bisect_left(keys, (paragraph, offset)) - 1, -1, -1):
            yield mentions[keys[i]]

    def latest_before(self, name: str, paragraph: int, offset: int) -> _Key | None:
        """Where `name` was last mentioned before (paragraph, offset), or None."""
        keys = self._by_name.get(name, ())
        i = bisect_left(keys, (paragraph, offset)) if keys else 0
        return keys[i - 1] if i else None


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
        self._said: set[Mention] = set()  # resolved attributions, as extra person mentions
        self._keep_descriptions = keep_descriptions
        self._timeline = _Timeline()
        for mention in _mark_name_modifiers([m for m in outside if m.kind == "person"], paragraphs):
            self._timeline.add(mention, 0)
        self._first_form: dict[str, Mention] = {}  # surface or name -> its first mention
        for mention in index.mentions:
            self._first_form.setdefault(mention.surface, mention)
            self._first_form.setdefault(mention.name, mention)
        self._titled: dict[str, list[str]] = {}  # title word -> people it was used of, in order
        for name, info in index.people.items():
            for title in info.titles:
                self._titled.setdefault(title, []).append(name)
        for mention in self._described_subjects():
            self._timeline.add(mention, 0)

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
                n = next((i for i, w in enumerate(words[:4]) if w in LEX.role_nouns), None)
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
            mention = Mention(paragraph, at.start, at.end, at.phrase, speaker.name, "person")
            self._said.add(mention)
            self._timeline.add(mention, 1)

    def resolve(self, paragraph: int, at: Attribution) -> Speaker | None:
        """The speaker the phrase names by the first of `RESOLUTION_RULES` that decides, or None."""
        return self._by_rules(paragraph, at, RESOLUTION_RULES)

    def _by_rules(self, paragraph: int, at: Attribution, rules: Sequence[_Rule]) -> Speaker | None:
        for name, forms, rule in rules:
            if at.form in forms:
                found = rule(self, paragraph, at)
                if found is not None:
                    return None if found is _NOBODY else dataclasses.replace(found, rule=name)
        return None

    def _by_pronoun(self, paragraph: int, at: Attribution) -> Speaker:
        return self._pronoun(paragraph, at.start, at.phrase.lower()) or _NOBODY

    def _quoted_person(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "the harbour police said, quoting Sergeant Ilse Brandt": the person quoted spoke."""
        if paragraph < 0 or paragraph >= len(self._paragraphs):
            return None
        name = quoted_name(self._paragraphs[paragraph], at.end)
        person = self._index.person_for(name) if name else None
        return Speaker(person, "person") if person else None

    def _document_owner(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "his statement", "her letter": the person the pronoun stands for."""
        if possessive_document(at.phrase) not in ("he", "she"):
            return None
        pronoun = possessive_document(at.phrase) or ""
        return self._pronoun(paragraph, at.start, pronoun) or _NOBODY

    def _organisation_before(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "the airline", "its report": the latest organisation named before, within three paragraphs,
        preferring one whose name has the noun in it ("the bank": "Bank")."""
        if possessive_document(at.phrase) is None and not generic_organisation(at.phrase):
            return None
        named = [
            m
            for m in self._index.mentions
            if m.kind == "organisation"
            and (m.paragraph, m.start) < (paragraph, at.start)
            and (m.paragraph == -1 or m.paragraph >= paragraph - 3)
        ]
        if not named:
            return None
        noun = at.phrase.split()[-1].lower()
        fitting = [m for m in named if noun.title() in m.name.split()] or named
        latest = max(fitting, key=lambda m: (m.paragraph, m.start))
        return Speaker(latest.name, "organisation")

    def _names_nobody(self, paragraph: int, at: Attribution) -> Speaker | None:
        """A date word, a section label, a text that stands for no one ("the budget")."""
        return _NOBODY if is_no_speaker(at.phrase, description=True) or document_alone(at.phrase) else None

    def _by_description(self, paragraph: int, at: Attribution) -> Speaker:
        return self._description(paragraph, at.start, at.phrase) or _NOBODY

    def _named_person(self, paragraph: int, at: Attribution) -> Speaker | None:
        person = self._index.person_for(_without_the(at.phrase))
        return Speaker(person, "person") if person is not None else None

    def _acronym_in_full(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "the WHO" after "World Health Organization": shown by its full name."""
        full = acronym_of(_without_the(at.phrase), self._index.orgs)
        return Speaker(full, "organisation") if full is not None else None

    def _name_used_before(self, paragraph: int, at: Attribution) -> Speaker | None:
        mention = self._first_form.get(_without_the(at.phrase))
        return Speaker(mention.name, mention.kind) if mention is not None else None

    def _organisation_by_words(self, paragraph: int, at: Attribution) -> Speaker | None:
        text = _without_the(at.phrase)
        if text in LEX.known_orgs or any(t in LEX.org_words for t in text.split()):
            return Speaker(text, "organisation")
        return None

    def _no_name(self, paragraph: int, at: Attribution) -> Speaker | None:
        """ "MARKET VIEW", "Signs", "Month", "Officials", "Americans": no one's name."""
        text = _without_the(at.phrase)
        return _NOBODY if is_no_speaker(text) or text in LEX.stop_caps or text in LEX.demonyms else None

    def _unknown_name(self, paragraph: int, at: Attribution) -> Speaker:
        text = _without_the(at.phrase)
        return Speaker(text, "organisation" if text.isupper() and len(text) <= 6 else "person")

    def _name(self, phrase: str, paragraph: int = -1, offset: int = 0) -> Speaker | None:
        at = Attribution(phrase=phrase, start=offset, end=offset + len(phrase), form="name")
        return self._by_rules(paragraph, at, [r for r in RESOLUTION_RULES if r[1] == ("name",)])

    def _sentence(self, paragraph: int, offset: int) -> tuple[int, int]:
        return paragraph, bisect_right(self._ends[paragraph], offset) if paragraph >= 0 else 0

    def _recent_sentences(self, paragraph: int, offset: int, want: str) -> list[list[Mention]]:
        """The mentions of people who may be `want` ("m" or "f") in each of the (up to) four latest
        sentences that have one, latest sentence first, each sentence's mentions in reading order."""
        sentences: list[list[Mention]] = []
        last: tuple[int, int] | None = None
        for walked, m in enumerate(self._timeline.before(paragraph, offset)):
            if m.paragraph < paragraph - _PRONOUN_PARAGRAPHS or walked >= _PRONOUN_MENTIONS:
                break
            info = self._index.people.get(m.name)
            if info is not None and info.gender is not None and info.gender != want:
                continue
            sentence = self._sentence(m.paragraph, m.start)
            if sentence != last:
                if len(sentences) == 4:
                    break
                sentences.append([])
                last = sentence
            sentences[-1].append(m)
        for found in sentences:
            found.reverse()
        return sentences

    def _pronoun(self, paragraph: int, offset: int, pronoun: str) -> Speaker | None:
        if pronoun not in ("he", "she"):
            return None
        for found in self._recent_sentences(paragraph, offset, "m" if pronoun == "he" else "f"):
            key = self._sentence(found[0].paragraph, found[0].start)
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
        return any(_verb_follows(tail, at) for at in starts)

    def _opens_with(self, sentence: tuple[int, int], pronoun: str) -> bool:
        paragraph, k = sentence
        if not self._paragraphs or paragraph < 0:
            return False
        start = self._ends[paragraph][k - 1] if k else 0
        head = self._paragraphs[paragraph][start : start + 12].lstrip(' “"')
        return head.startswith(pronoun.capitalize() + " ")

    def _description(self, paragraph: int, offset: int, phrase: str) -> Speaker | None:
        words = [w.lower().strip(",.") for w in phrase.split()]
        definite = not words or words[0] not in LEX.indefinite_determiners
        if words and words[0] in LEX.description_heads:
            words = words[1:]
        cut = next((i for i, w in enumerate(words) if w in _NP_PREPOSITIONS), len(words))
        core = words[:cut]
        if not core:
            return None
        head = core[-1]
        if head in LEX.documents and cut < len(words) and words[cut] in ("from", "by", "of"):
            after = len(words) - cut - 1  # "a statement from the Calgary Police Service": the issuer speaks
            if after:
                return self._issuer(paragraph, offset, phrase.split()[-after:])
        singular = head[:-1] if head.endswith("s") and head[:-1] in (LEX.role_nouns | LEX.org_nouns) else head
        if definite and head.isalpha() and head not in LEX.not_heads:
            person = self._titled_person(paragraph, offset, core, head, singular)
            if person is not None:
                return Speaker(person, "person")
        if singular in LEX.org_nouns and singular not in LEX.role_nouns:
            for org in self._index.orgs:
                if singular.title() in org.split():
                    return Speaker(org, "organisation")
            return Speaker(phrase, "organisation") if self._keep_descriptions else None
        if not self._keep_descriptions:
            return None
        return Speaker(phrase, "person" if singular in LEX.role_nouns else None)

    def _issuer(self, paragraph: int, offset: int, source: Sequence[str]) -> Speaker | None:
        issuer = " ".join(source)
        form = "description" if source[0].lower() in LEX.description_heads else "name"
        if form == "name" or (source[0].lower() == "the" and all(w[:1].isupper() for w in source[1:])):
            return self._name(issuer, paragraph, offset)
        return self._description(paragraph, offset, issuer)

    def _titled_person(
        self, paragraph: int, offset: int, core: Sequence[str], head: str, singular: str
    ) -> str | None:
        """Of the people already mentioned with the description's title, the one whose other titles
        match its words best, then the most recently mentioned."""
        best: tuple[int, _Key, str] | None = None
        for name in dict.fromkeys([*self._titled.get(singular, ()), *self._titled.get(head, ())]):
            latest = self._timeline.latest_before(name, paragraph, offset)
            if latest is None:
                continue  # only someone already introduced
            score = (len(set(core[:-1]) & self._index.people[name].titles), latest, name)
            if best is None or score[:2] > best[:2]:
                best = score
        return best[2] if best is not None else None


def _verb_follows(tail: str, at: int) -> bool:
    words = [w.strip(",.;:") for w in tail[at:].split()[:3]]
    if words and _adverb_ly(words[0]):
        words = words[1:]
    if (
        words
        and (words[0] in LEX.speech_verbs or words[0] in LEX.paraphrase_verbs)
        and not words[0].endswith("ing")
        and (len(words) < 2 or words[1] != "to")
    ):
        return True
    # "…, Ban demurred.": the subject of an intransitive verb ending the clause
    return (
        bool(words)
        and at == 0
        and _past_tense(words[0])
        and tail[len(words[0]) + 1 : len(words[0]) + 2] in ".,"
    )


def _without_the(phrase: str) -> str:
    return phrase[4:] if phrase.lower().startswith("the ") else phrase


_Rule = tuple[str, tuple[str, ...], Callable[[Resolver, int, Attribution], "Speaker | None"]]
_ANY = ("name", "pronoun", "description")

# The rules that resolve a speaker phrase, tried in this order for the phrase's form (name, pronoun or
# description); the first that decides wins: with a speaker, or with none (a phrase that names nobody).
RESOLUTION_RULES: tuple[_Rule, ...] = (
    ("pronoun", ("pronoun",), Resolver._by_pronoun),
    ("person the speaker quotes", _ANY, Resolver._quoted_person),
    ("whose document", ("description",), Resolver._document_owner),
    ("organisation named before", ("description",), Resolver._organisation_before),
    ("names nobody", ("description",), Resolver._names_nobody),
    ("description", ("description",), Resolver._by_description),
    ("person named", ("name",), Resolver._named_person),
    ("acronym of a full name", ("name",), Resolver._acronym_in_full),
    ("name used before", ("name",), Resolver._name_used_before),
    ("organisation by its words", ("name",), Resolver._organisation_by_words),
    ("no one's name", ("name",), Resolver._no_name),
    ("a name not seen before", ("name",), Resolver._unknown_name),
)
