"""What templates see: plain values (dicts, lists, strings) made from records, briefings and the corpus.

Overriding a template never needs knowledge of briefgen's internal types. Every function here is pure.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from briefgen.corpus.story_content import card_summary
from briefgen.model import (
    Briefing,
    Corpus,
    Digest,
    EntityKind,
    Record,
    Sentence,
    SpeakerQuote,
    Story,
    StoryContent,
    StorySentence,
)
from briefgen.slugs import slugify


def briefing_url(slug: str) -> str:
    return f"briefings/{slug}/"


DIGEST_FOLDERS = {"day": "days", "week": "weeks", "tag": "tags", "entity": "entities"}


def digest_url(digest: Digest) -> str:
    return f"{DIGEST_FOLDERS[digest.kind]}/{digest.key}/"


def sentence_anchor(briefing: Briefing, paragraph: int, offset: int) -> str:
    """The anchor of the sentence holding `offset` in `paragraph` (Markdown bodies anchor paragraphs).

    Sentences come in reading order and never overlap (tests/test_properties.py), so the one that
    can hold `offset` is the last that starts at or before it: a binary search, not a scan per quote
    (a scan made an article of 16,000 quoted paragraphs take minutes).
    """
    if briefing.document.kind == "markdown":
        return f"p-{paragraph}"
    sentences = briefing.analysis.sentences
    index = bisect.bisect_right(sentences, (paragraph, offset), key=_sentence_position) - 1
    if index >= 0:
        sentence = sentences[index]
        if sentence.paragraph == paragraph and sentence.start <= offset < max(
            sentence.end, sentence.start + 1
        ):
            return f"s-{index}"
    return f"p-{paragraph}"


def _sentence_position(sentence: Sentence) -> tuple[int, int]:
    return sentence.paragraph, sentence.start


def text_body_html(briefing: Briefing) -> str:
    """Paragraphs of a plain-text article with every sentence wrapped in an anchored span."""
    by_paragraph: dict[int, list[tuple[int, int, int]]] = {}
    for index, sentence in enumerate(briefing.analysis.sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append((index, sentence.start, sentence.end))
    parts: list[str] = []
    for p_index, paragraph in enumerate(briefing.document.paragraphs):
        text = paragraph.text
        pieces: list[str] = []
        cursor = 0
        for index, start, end in by_paragraph.get(p_index, []):
            if start < cursor:
                continue
            pieces.append(html.escape(text[cursor:start], quote=False))
            pieces.append(
                f'<span class="sentence" id="s-{index}">{html.escape(text[start:end], quote=False)}</span>'
            )
            cursor = end
        pieces.append(html.escape(text[cursor:], quote=False))
        parts.append(f'<p id="p-{p_index}">{"".join(pieces)}</p>')
    return "\n".join(parts) + "\n"


def summary_text(briefing: Briefing) -> str:
    if briefing.document.meta.summary:
        return briefing.document.meta.summary
    sentences = briefing.analysis.sentences
    return " ".join(sentences[i].text for i in briefing.analysis.summary)


def card(record: Record) -> dict[str, Any]:
    """The short form used in lists: title, date, source, summary."""
    return {
        "slug": record.slug,
        "url": briefing_url(record.slug),
        "title": record.title,
        "date": record.date.isoformat(),
        "source": record.source,
        "author": record.author,
        "tags": list(record.tags),
        "summary": record.summary,
    }


def digest_view(digest: Digest) -> dict[str, Any]:
    return {
        "kind": digest.kind,
        "key": digest.key,
        "title": digest.title,
        "url": digest_url(digest),
        "count": len(digest.slugs),
        "entity_kind": digest.entity_kind,
        "date": digest.date.isoformat() if digest.date else None,
    }


def entity_url(corpus: Corpus, kind: EntityKind, name: str) -> str | None:
    key = corpus.entity_pages.get((kind, name))
    return f"entities/{key}/" if key is not None else None


def briefing_view(briefing: Briefing, record: Record, corpus: Corpus, key_quotes: int) -> dict[str, Any]:
    """Everything a briefing page shows. `record` is the build's (its date may be newer than the
    stored briefing's, for an undated file)."""
    document = briefing.document
    analysis = briefing.analysis
    if document.meta.summary:
        summary = [{"text": document.meta.summary, "anchor": None}]
    else:
        summary = [
            {
                "text": analysis.sentences[i].text,
                "anchor": sentence_anchor(
                    briefing, analysis.sentences[i].paragraph, analysis.sentences[i].start
                ),
            }
            for i in analysis.summary
        ]
    quotes = [  # ranked by the analysis (analysis/key_quotes.py): split quotations already joined
        {
            "text": q.text,
            "speaker": q.speaker,
            "speaker_kind": q.speaker_kind,
            "anchor": sentence_anchor(briefing, q.paragraph, q.start),
        }
        for q in analysis.key_quotes[:key_quotes]
    ]
    entities: dict[str, list[dict[str, Any]]] = {"person": [], "organisation": [], "place": []}
    for entity in analysis.entities:
        entities[entity.kind].append(
            {"name": entity.name, "count": entity.count, "url": entity_url(corpus, entity.kind, entity.name)}
        )
    related = [
        {
            **card(corpus.records[link.target]),
            "score": round(link.score, 3),
            "direction": link.direction,
            "shared": list(link.shared),
        }
        for link in corpus.related.get(record.slug, ())
        if link.target in corpus.records
    ]
    references = [
        {"label": ref.label, "title": ref.title, "url": briefing_url(target) if target else None}
        for ref, target in zip(document.references, corpus.references.get(record.slug, ()), strict=False)
    ]
    body = (
        document.body_html if document.kind == "markdown" and document.body_html else text_body_html(briefing)
    )
    day = corpus.digests.get(("day", record.date.isoformat()))
    return {
        **card(record),
        "rel_path": document.rel_path,
        "url_source": document.meta.url,
        "dateline": document.dateline.place if document.dateline else None,
        "summary_sentences": summary,
        "key_quotes": quotes,
        "quote_count": len(analysis.quotes),
        "entities": entities,
        "keywords": [k.term for k in analysis.keywords],
        "related": related,
        "references": references,
        "body_html": Markup(body),
        "extra": dict(document.meta.extra),
        "day_url": digest_url(day) if day else None,
        "tag_urls": {t: f"tags/{slugify(t)}/" for t in record.tags},
        "dropped": [{"line": d.line, "text": d.text, "reason": d.reason} for d in document.dropped],
        "story": _story_link(record.slug, corpus),
        "images": [  # images beside the article, published in its folder (the first is og:image)
            briefing_url(record.slug) + a.target
            for a in record.assets
            if a.image and not a.target.startswith("../")
        ],
    }


def digest_context(
    digest: Digest, corpus: Corpus, quotes: Sequence[SpeakerQuote], *, shown: Sequence[str] | None = None
) -> dict[str, Any]:
    """A day, tag or entity page: its briefings' cards (those of `shown` when the list has pages), and
    for an entity the key quotes it said."""
    records = corpus.records
    said = [q for q in quotes if q.slug in records]
    return {
        "digest": digest_view(digest),
        "briefings": [card(records[s]) for s in (digest.slugs if shown is None else shown) if s in records],
        "quotes": [
            {
                "text": q.quote.text,
                "speaker": q.quote.speaker,
                "speaker_kind": q.quote.speaker_kind,
                "anchor": q.quote.anchor,
                "url": briefing_url(q.slug),
                "title": records[q.slug].title,
            }
            for q in said
        ],
    }


def site_context(site: Mapping[str, Any]) -> dict[str, Any]:
    return dict(site)


# --- stories ---------------------------------------------------------------------------------------


def story_url(story: Story) -> str:
    """A story of several reports has a page; a lonely report is its own story: its briefing page."""
    return f"stories/{story.key}/" if len(story.members) > 1 else briefing_url(story.key)


def story_sources(story: Story, records: Mapping[str, Record]) -> list[str]:
    """The outlets that covered the story, in order of their first report (unnamed ones left out)."""
    return list(dict.fromkeys(s for m in story.members if (s := records[m].source)))


def story_card(story: Story, corpus: Corpus, *, reports: Sequence[str] | None = None) -> dict[str, Any]:
    """A story as a list shows it: headline, sources, summary and (some of) its reports, newest first.

    Made from records alone (no briefing is loaded for a list). A lonely report's own summary stands
    for the story's.
    """
    records = corpus.records
    shown = reports if reports is not None else story.members
    newest = max(story.members, key=lambda s: (records[s].date, s))
    if len(story.members) > 1:
        in_order = sorted(story.members, key=lambda s: (records[s].date, s))
        summary = " ".join(card_summary([records[s].lead for s in in_order]))
    else:
        summary = records[story.key].summary
    return {
        "key": story.key,
        "url": story_url(story),
        "headline": corpus.headlines.get(story.key, records[story.key].title),
        "reports": len(story.members),
        "sources": story_sources(story, records),
        "summary": summary,
        "first": records[story.key].date.isoformat(),
        "last": records[newest].date.isoformat(),
        "briefings": [
            card(records[s]) for s in sorted(shown, key=lambda s: (records[s].date, s), reverse=True)
        ],
    }


def _sentence(sentence: StorySentence, briefings: Mapping[str, Briefing]) -> dict[str, Any]:
    briefing = briefings[sentence.source]
    found = briefing.analysis.sentences[sentence.sentence]
    return {
        "text": sentence.text,
        "url": briefing_url(sentence.source),
        "anchor": sentence_anchor(briefing, found.paragraph, found.start),
        "source": briefing.document.meta.source,
        "title": briefing.document.meta.title,
    }


SPEAKERS_SHOWN = 8  # "what they're saying": the most quoted speakers of a story
QUOTES_SHOWN = 3  # and each one's first distinct quotes (the reports have the rest)


def story_view(
    story: Story, corpus: Corpus, content: StoryContent, briefings: Mapping[str, Briefing]
) -> dict[str, Any]:
    """Everything a story page shows."""
    records = corpus.records
    latest = max(story.members, key=lambda s: (records[s].date, s))
    return {
        **story_card(story, corpus),
        "headline": content.headline,
        "timeline": [card(records[s]) for s in sorted(story.members, key=lambda s: (records[s].date, s))],
        "summary_sentences": [_sentence(s, briefings) for s in content.summary],
        "speakers": [
            {
                "speaker": speaker.speaker,
                "url": _speaker_url(corpus, speaker.speaker),
                "quotes": [
                    {
                        "text": quote.text,
                        "sources": [
                            {"url": briefing_url(s), "title": records[s].title, "source": records[s].source}
                            for s in quote.sources
                            if s in records
                        ],
                    }
                    for quote in speaker.quotes[:QUOTES_SHOWN]
                ],
                "more": max(0, len(speaker.quotes) - QUOTES_SHOWN),
            }
            for speaker in content.speakers[:SPEAKERS_SHOWN]
        ],
        "entities": {
            kind: [
                {"name": e.name, "count": e.count, "url": entity_url(corpus, e.kind, e.name)} for e in found
            ]
            for kind, found in (
                ("person", content.people),
                ("organisation", content.organisations),
                ("place", content.places),
            )
        },
        "whats_new": [_sentence(s, briefings) for s in content.whats_new],
        "latest": card(records[latest]),
    }


def _story_link(slug: str, corpus: Corpus) -> dict[str, Any] | None:
    """The briefing's story, when other reports share it (a lonely report is its own story)."""
    story = corpus.stories.get(corpus.story_of.get(slug, ""))
    if story is None or len(story.members) < 2:
        return None
    return {
        "key": story.key,
        "url": story_url(story),
        "headline": corpus.headlines.get(story.key),
        "reports": len(story.members),
    }


def _speaker_url(corpus: Corpus, name: str) -> str | None:
    for kind in ("person", "organisation"):
        url = entity_url(corpus, kind, name)
        if url is not None:
            return url
    return None
