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
