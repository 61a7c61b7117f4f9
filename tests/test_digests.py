"""Entity digest pages gather the briefings that feature an entity, not every passing mention."""

from __future__ import annotations

from conftest import Site, parse_html

PASSING = """
---
title: Ferry timetable changes for the spring
date: 2025-03-05
---

The ferry operator published its spring timetable on Wednesday, with two extra crossings a day.
Tomas Halvorsen was not at the launch. Passengers for Lisbon must change at the new terminal.
"""

ALSO_PASSING = """
---
title: Fish market opens a second hall
date: 2025-03-06
---

The fish market opened a second hall on Thursday after a year of building work near the harbour.
Traders said the hall would take buyers from as far as Lisbon. Prices held steady through the morning.
"""


def _listed(site: Site, rel: str) -> list[str]:
    page = parse_html(site.out(rel))
    return [
        a.attrs.get("href") or ""
        for a in page.find("main").find_all("a")
        if "briefings/" in (a.attrs.get("href") or "")
    ]


def test_entity_page_lists_only_briefings_that_feature_the_entity(site: Site) -> None:
    site.write("content/2025-03-05-ferry.md", PASSING)
    site.write("content/2025-03-06-market.md", ALSO_PASSING)
    assert site.build().returncode == 0
    listed = _listed(site, "entities/tomas-halvorsen/index.html")
    # quoted in both dredging articles; named once in passing in the ferry one
    assert any("dredging-plan" in href for href in listed)
    assert any("dredging-survey" in href for href in listed)
    assert not any("ferry" in href for href in listed)
    # named once in each of two briefings: no briefing is about Lisbon, so no page
    assert not (site.root / "site/entities/lisbon").exists()
    ferry = parse_html(site.out("briefings/2025-03-05-ferry/index.html"))
    links = {a.text().strip(): a.attrs.get("href") for a in ferry.find_all("a")}
    assert links.get("Tomas Halvorsen", "").endswith(
        "entities/tomas-halvorsen/"
    )  # still linked from the mention


def test_entity_min_mentions_one_gathers_every_mention(site: Site) -> None:
    site.write("content/2025-03-05-ferry.md", PASSING)
    site.write("content/2025-03-06-market.md", ALSO_PASSING)
    site.write("briefgen.yml", "digests:\n  entity_min_mentions: 1\n")
    assert site.build().returncode == 0
    assert any("ferry" in href for href in _listed(site, "entities/tomas-halvorsen/index.html"))
    listed = _listed(site, "entities/lisbon/index.html")
    assert any("ferry" in href for href in listed) and any("market" in href for href in listed)


def test_speakers_quotes_gathered_again_only_for_changed_briefings_equal_a_full_gathering() -> None:
    """After random edits, adds and removals, the incremental gathering equals a full one."""
    import dataclasses
    import datetime as dt
    import random

    from briefgen.corpus.digests import newest_first, quotes_by_speaker
    from briefgen.model import QuoteCard, Record

    speakers = [f"Speaker {i}" for i in range(12)]

    def record(n: int, rng: random.Random) -> Record:
        quotes = tuple(
            QuoteCard(speaker=rng.choice(speakers), speaker_kind="person", text=f"q{n}-{k}", anchor=f"s-{k}")
            for k in range(rng.randrange(4))
        )
        return Record(
            slug=f"b{n}", rel_path=f"content/b{n}.md", key=str(n), digest=f"{n}-{rng.random()}",
            title=f"T{rng.randrange(50)}", date=dt.date(2025, 1, 1 + rng.randrange(20)),
            date_inferred_from="front matter", author=None, source=None, url=None, tags=(), draft=False,
            summary="", lead=(), entities=(), speakers=tuple(q.speaker for q in quotes), key_quotes=quotes,
            keywords=(), references=(),
        )  # fmt: skip

    for seed in range(30):
        rng = random.Random(seed)
        records = {f"b{n}": record(n, rng) for n in range(40)}
        quotes = quotes_by_speaker(newest_first(list(records.values())))
        for _ in range(5):
            before = dict(records)
            changed: set[str] = set()
            for _ in range(rng.randrange(1, 4)):
                n = rng.randrange(45)
                slug = f"b{n}"
                if slug in records and rng.random() < 0.3:
                    del records[slug]
                else:
                    new = record(n, rng)
                    records[slug] = (
                        dataclasses.replace(new, date=before[slug].date)
                        if slug in before and rng.random() < 0.5
                        else new
                    )
                changed.add(slug)
            ordered = newest_first(list(records.values()))
            quotes = quotes_by_speaker(ordered, previous=(before, quotes), changed=changed)
            assert quotes == quotes_by_speaker(ordered), f"seed {seed}"
