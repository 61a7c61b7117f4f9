"""A deterministic site of generated articles for whole-build tests (no ../shared needed).

Articles come in stories: one to five reports of an event, a few days apart, sharing its place, its
people, its topic's words and its figures, so that the same-story join finds pairs (and refuses
others) and the pages carry related links, stories, quotes, names, tags and day/week digests.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

SYLLABLES = ["ka", "lor", "ven", "dru", "mis", "tal", "bor", "eth", "quin", "sar", "nol", "fen", "gar", "hul"]
ROLES = [
    "the transport minister",
    "the harbour master",
    "a council spokeswoman",
    "the mayor",
    "the union's regional secretary",
    "the health board's chief executive",
    "the opposition leader",
]
NOUNS = ["plan", "scheme", "contract", "budget", "inquiry", "ballot", "project", "review"]
VERBS = ["faces", "wins", "delays", "backs", "questions", "expands", "halts", "reviews"]
FILLER = [
    "Officials said more details would follow later in the week.",
    "Residents gathered outside the town hall on the morning of the announcement.",
    "A report published last month set out several options and their likely costs.",
    "The regional assembly is expected to debate the matter before the summer recess.",
]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _name(rng: random.Random) -> str:
    return f"{_word(rng, 2).title()} {_word(rng, 3).title()}"


def write_generated_site(content: Path, count: int, *, seed: int = 2025) -> list[Path]:
    """`count` Markdown articles in `content` (made if missing); the paths, in the order written."""
    rng = random.Random(seed)
    content.mkdir(parents=True, exist_ok=True)
    start = dt.date(2025, 1, 1)
    written: list[Path] = []
    story = 0
    while len(written) < count:
        story += 1
        reports = min(rng.choice([1, 1, 2, 3, 5]), count - len(written))
        place = _word(rng, 3).title()
        people = [(_name(rng), rng.choice(ROLES)) for _ in range(2)]
        words = [_word(rng, 3) for _ in range(6)]  # what this story is about, and no other
        figure = rng.randrange(12, 9000)
        first_day = rng.randrange(300)
        for report in range(reports):
            day = start + dt.timedelta(days=first_day + report * rng.randrange(1, 4))
            number = len(written)
            path = content / f"{number:05d}-{place.lower()}-{story}.md"
            path.write_text(_article(rng, day, place, words, people, figure + report), encoding="utf-8")
            written.append(path)
    return written


def _article(
    rng: random.Random,
    day: dt.date,
    place: str,
    story_words: list[str],
    people: list[tuple[str, str]],
    figure: int,
) -> str:
    words = rng.sample(story_words, len(story_words))
    (person, role), (other, other_role) = people
    noun = rng.choice(NOUNS)
    title = f"{place} {words[0]} {noun} {rng.choice(VERBS)} {words[1]} test"
    paragraphs = [
        f"{place.upper()} — The {words[0]} {noun} for {place} {rng.choice(VERBS)} a new test after "
        f"{figure} residents objected to the {words[1]} and the {words[2]}, officials said on {day:%A}.",
        f"“{words[3].title()} and {words[4]} are what {place} needs this year,” said {person}, {role}.",
        rng.choice(FILLER),
        f"{other}, {other_role}, said the {words[5]} would cost more than planned. “{words[0].title()} "
        f"{words[2]} figures were never shown to us,” {other.split()[-1]} said.",
    ]
    return (
        "---\n"
        f'title: "{title}"\n'
        f"date: {day.isoformat()}\n"
        f"source: {rng.choice(['The Coastal Post', 'Harbour Wire', 'Northern Courier'])}\n"
        f"tags: [{', '.join(sorted({words[0], place.lower()}))}]\n"
        "---\n\n" + "\n\n".join(paragraphs) + "\n"
    )
