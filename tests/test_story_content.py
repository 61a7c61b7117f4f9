"""Story pages' content: summary without repeats, quotes once per speaker, entities merged, what's new."""

from __future__ import annotations

from briefgen.corpus.story_content import (
    CARD_SENTENCES,
    card_summary,
    same_text,
    story_content,
    story_headline,
    story_speakers,
    story_summary,
    whats_new,
)
from briefgen.jsonl import brief_line
from briefgen.model import Briefing
from briefgen.pipeline.analyse import record_of

FIRST = {
    "id": "first",
    "title": "Ferry runs aground off Tarnholm with 212 passengers",
    "date": "2025-06-03",
    "text": (
        "The ferry Solveig ran aground off Tarnholm on Tuesday evening with 212 passengers and 14 crew on board.\n\n"
        "Nobody was hurt, and the passengers were taken ashore by lifeboats over four hours.\n\n"
        '"The crew did everything right and kept everyone calm," said harbour master Ingrid Sol.\n\n'
        "The operator, Tarn Lines, cancelled all sailings to the island for Wednesday."
    ),
}
SECOND = {
    "id": "second",
    "title": "Tarnholm ferry grounding: passengers describe night on the rocks",
    "date": "2025-06-03",
    "text": (
        "The ferry Solveig ran aground off Tarnholm on Tuesday evening with 212 passengers and 14 crew aboard.\n\n"
        "Passenger Mikko Laine said the ship shuddered and stopped dead as dinner was being served.\n\n"
        '"The crew did everything right and kept everyone calm", harbour master Ingrid Sol said.\n\n'
        "Tarn Lines said divers would inspect the hull at first light."
    ),
}
THIRD = {
    "id": "third",
    "title": "Tarnholm ferry refloated as investigators board",
    "date": "2025-06-05",
    "text": (
        "Salvage crews refloated the ferry Solveig on Thursday, two days after it ran aground off Tarnholm.\n\n"
        "Accident investigators boarded the ship in Tarnholm harbour to download its voyage data recorder.\n\n"
        "The ferry Solveig ran aground off Tarnholm on Tuesday evening with 212 passengers and 14 crew on board.\n\n"
        '"We expect to publish early findings within a month," said investigator Paul Brandt.'
    ),
}


def briefings(*rows: dict[str, str]) -> list[Briefing]:
    return [brief_line(n, row) for n, row in enumerate(rows, start=1)]


def test_same_text_is_near_containment_of_content_words() -> None:
    assert same_text(
        frozenset({"ferri", "aground", "tarnholm"}), frozenset({"ferri", "aground", "tarnholm", "tuesday"})
    )
    assert not same_text(frozenset({"ferri", "aground"}), frozenset({"ferri", "refloat", "salvag"}))


def test_the_summary_draws_from_every_report_and_never_says_a_sentence_twice() -> None:
    story = briefings(FIRST, SECOND, THIRD)
    summary = story_summary(story)
    texts = [s.text for s in summary]
    assert sum("ran aground off Tarnholm on Tuesday evening" in t for t in texts) == 1
    assert {s.source for s in summary} == {"first", "second", "third"}
    for s in summary:
        briefing = next(b for b in story if b.slug == s.source)
        assert briefing.analysis.sentences[s.sentence].text == s.text


def test_a_story_card_s_summary_is_the_page_s_first_sentences_from_records_alone() -> None:
    """Lists of stories are made from records (no briefing loaded): their summary is the story page's."""
    for rows in ((FIRST, SECOND, THIRD), (SECOND, FIRST), (THIRD, FIRST), (FIRST, FIRST, SECOND)):
        story = briefings(*rows)
        leads = [
            record_of(b, key=b.slug).lead for b in sorted(story, key=lambda b: (b.document.meta.date, b.slug))
        ]
        page = [s.text for s in story_summary(story)[:CARD_SENTENCES]]
        assert card_summary(leads) == page
        assert len(page) == CARD_SENTENCES


def test_a_quote_several_outlets_carry_is_shown_once_with_every_source() -> None:
    speakers = story_speakers(briefings(FIRST, SECOND, THIRD))
    by_name = {s.speaker: s for s in speakers}
    (calm,) = by_name["Ingrid Sol"].quotes
    assert calm.sources == ("first", "second")
    assert [q.sources for q in by_name["Paul Brandt"].quotes] == [("third",)]


def test_a_quotation_split_by_its_attribution_is_one_statement() -> None:
    split = dict(
        THIRD,
        id="split",
        text=THIRD["text"]
        + '\n\n"The recorder is intact," Paul Brandt said. "It will tell us what the bridge team saw."',
    )
    (brandt,) = [s for s in story_speakers(briefings(split)) if s.speaker == "Paul Brandt"]
    assert [q.text for q in brandt.quotes][-1] == (
        "The recorder is intact. It will tell us what the bridge team saw."
    )


def test_entities_are_merged_across_reports_with_counts_summed() -> None:
    story = briefings(FIRST, SECOND, THIRD)
    content = story_content(story)
    merged = {e.name: e.count for e in (*content.people, *content.organisations, *content.places)}
    per_report = [{e.name: e.count for e in b.analysis.entities} for b in story]
    shared = [name for name in merged if sum(name in found for found in per_report) >= 2]
    assert shared  # "Ingrid Sol", "Tarn Lines", ... are named by more than one report
    for name in shared:
        assert merged[name] == sum(found.get(name, 0) for found in per_report)
    assert len({e.name.casefold() for e in content.people}) == len(content.people)


def test_whats_new_is_the_latest_reports_sentences_no_earlier_one_carries() -> None:
    story = briefings(FIRST, SECOND, THIRD)
    new = whats_new(story)
    assert new and all(s.source == "third" for s in new)
    assert not any("ran aground off Tarnholm on Tuesday evening" in s.text for s in new)
    assert any("refloated" in s.text for s in new)
    assert [s.sentence for s in new] == sorted(s.sentence for s in new)


def test_a_story_of_one_report_has_its_title_and_nothing_new() -> None:
    (only,) = briefings(FIRST)
    content = story_content([only])
    assert content.headline == FIRST["title"]
    assert content.whats_new == ()


def test_content_does_not_depend_on_the_order_reports_are_given_in() -> None:
    story = briefings(FIRST, SECOND, THIRD)
    assert story_content(story) == story_content(list(reversed(story)))
    assert story_headline(story) in {row["title"] for row in (FIRST, SECOND, THIRD)}
