"""A generated site of a few hundred news-like articles, for tests of whole builds (kills, the cache cap).

Deterministic for a seed and free of ../shared (CI may not have it). Every article has two versions:
`write_content(..., edited=True)` rewrites one in `EDIT_EVERY` of them (a changed lead, a new quote,
a new paragraph), so a build after it has pages to replace, and `edited=False` puts them back. Half
the articles are Markdown with front matter, half pasted plain text with a headline, byline and
dateline, hard-wrapped; articles share a few stories (same people, places and figures) over a month.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from pathlib import Path

from briefgen.render.search import varies_between_runs

EDIT_EVERY = 10
STORIES = [
    ("harbour", "Portsea", "Tomas Halvorsen", "the transport ministry", "dredging the old channel"),
    ("grid", "Lisbon", "Marta Nowak", "the energy regulator", "a new grid connection"),
    ("rates", "Frankfurt", "Elena Petrova", "the central bank", "a cut in interest rates"),
    ("rail", "Warsaw", "Jonas Berg", "the rail operator", "a strike over night shifts"),
    ("water", "Cape Town", "Amara Okafor", "the city council", "water rationing"),
    ("chips", "Osaka", "Kenji Watanabe", "the trade ministry", "limits on chip exports"),
    ("housing", "Toronto", "Claire Dubois", "the housing agency", "a plan for 40,000 homes"),
    ("courts", "Brussels", "Rahul Mehta", "the European Court of Justice", "a ruling on data transfers"),
]
SOURCES = ["Harbor Wire", "Morning Dispatch", "Civic Record", "Atlas News Agency", "Coastal Times"]
START = dt.date(2025, 3, 1)


def _paragraphs(i: int, rng: random.Random, edited: bool) -> tuple[str, list[str]]:
    _, place, person, body, matter = STORIES[i % len(STORIES)]
    surname = person.split()[-1]
    figure = f"{rng.randint(2, 90)}.{rng.randint(0, 9)} percent"
    money = f"${rng.randint(2, 900)} million"
    title = rng.choice(
        [
            f"{place} weighs {matter}",
            f"{person} defends {matter}",
            f"Talks on {matter} resume in {place}",
            f"{body.capitalize()} backs {matter}",
        ]
    )
    lead = (
        f"Officials in {place} on {rng.choice(['Monday', 'Tuesday', 'Thursday'])} moved closer to {matter}, "
        f"a step that {body} said would cost about {money} over {rng.randint(2, 9)} years."
    )
    if edited:
        lead = f"{lead[:-1]}, and the first contracts were signed the same evening."
    paragraphs = [
        lead,
        f"“We have listened to everyone affected and we are acting now,” said {person}, who leads "
        f"{body}. “The work will start before the summer.”",
        f"Critics said the plan ignored its cost. Support for it fell to {figure} in a poll published by "
        f"the U.S.-based Pew Research Center, the lowest since 2019.",
        f"{surname} said a review by {body} would follow. Mr. {surname} declined to give a date, and "
        f"No. 10 did not comment on the talks in {place}.",
    ]
    for _ in range(rng.randint(0, 3)):
        paragraphs.append(
            f"{rng.choice(SOURCES)} reported that {rng.randint(3, 80)} groups in {place} had written to "
            f"{body} about {matter}. “Nobody asked us,” one of them said."
        )
    if edited:
        paragraphs.append(
            f"“This changes nothing for the families of {place},” said Ana Ruiz, a spokeswoman for the "
            f"residents’ association, after the contracts were announced."
        )
    return title, paragraphs


def article(i: int, *, seed: int = 1, edited: bool = False) -> tuple[str, str]:
    """(file name, text) of article i in one of its two versions."""
    rng = random.Random(f"{seed}:{i}")
    title, paragraphs = _paragraphs(i, rng, edited and i % EDIT_EVERY == 3)
    date = START + dt.timedelta(days=rng.randint(0, 27))
    source = rng.choice(SOURCES)
    topic = STORIES[i % len(STORIES)][0]
    stem = f"{date.isoformat()}-{topic}-{i:04d}"
    if i % 2 == 0:
        front = [
            "---",
            f'title: "{title}"',
            f"date: {date.isoformat()}",
            f"tags: [{topic}, {rng.choice(['europe', 'economy', 'cities'])}]",
            f'source: "{source}"',
            "---",
            "",
        ]
        return f"{stem}.md", "\n".join(front) + "\n\n".join(paragraphs) + "\n"
    place = STORIES[i % len(STORIES)][1].upper()
    width = rng.choice([66, 72, 80])
    body = [title, f"By {rng.choice(['Ana Ruiz', 'Li Wei', 'Sam Carter'])}, {source}", ""]
    for k, text in enumerate(paragraphs):
        text = f"{place} — {text}" if k == 0 else text
        body += [*textwrap.wrap(text, width), ""]
    return f"{stem}.txt", "\n".join(body)


def write_content(content: Path, n: int, *, seed: int = 1, edited: bool = False) -> list[Path]:
    """Write the n articles into `content`; a file already holding its bytes is left alone (so its
    mtime says it did not change). Returns the files written."""
    content.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        name, text = article(i, seed=seed, edited=edited)
        path = content / name
        data = text.encode()
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(path)
    return written


def site_files(folder: Path, *, leave_out: frozenset[str] = frozenset()) -> dict[str, bytes]:
    """rel -> bytes of every file under `folder`, except briefgen's record (it holds mtimes), the search
    files Pagefind writes differently from run to run for the same pages, and the names left out."""
    found = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {
        rel: path.read_bytes()
        for rel, path in found.items()
        if rel != ".briefgen-files" and not varies_between_runs(rel) and rel not in leave_out
    }
