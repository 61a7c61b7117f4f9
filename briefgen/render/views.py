"""What templates see: plain values (dicts, lists, strings) made from records, briefings and the corpus.

Overriding a template never needs knowledge of briefgen's internal types. Every function here is pure.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from briefgen.model import Briefing, Corpus, Digest, EntityKind, Quote, Record, SpeakerQuote
from briefgen.slugs import slugify


def briefing_url(slug: str) -> str:
    return f"briefings/{slug}/"


DIGEST_FOLDERS = {"day": "days", "tag": "tags", "entity": "entities"}


def digest_url(digest: Digest) -> str:
    return f"{DIGEST_FOLDERS[digest.kind]}/{digest.key}/"


def sentence_anchor(briefing: Briefing, paragraph: int, offset: int) -> str:
    """The anchor of the sentence holding `offset` in `paragraph` (Markdown bodies anchor paragraphs)."""
    if briefing.document.kind == "markdown":
        return f"p-{paragraph}"
    for index, sentence in enumerate(briefing.analysis.sentences):
        if sentence.paragraph == paragraph and sentence.start <= offset < max(
            sentence.end, sentence.start + 1
        ):
            return f"s-{index}"
    return f"p-{paragraph}"


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


def quote_text(quote: Quote) -> str:
    return quote.text.rstrip().removesuffix(",")  # a comma before the attribution ends no statement


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
    }


def digest_context(digest: Digest, corpus: Corpus, quotes: Sequence[SpeakerQuote]) -> dict[str, Any]:
    """A day, tag or entity page: its briefings' cards, and for an entity the key quotes it said."""
    records = corpus.records
    shown = [q for q in quotes if q.slug in records]
    return {
        "digest": digest_view(digest),
        "briefings": [card(records[s]) for s in digest.slugs if s in records],
        "quotes": [
            {
                "text": q.quote.text,
                "speaker": q.quote.speaker,
                "speaker_kind": q.quote.speaker_kind,
                "anchor": q.quote.anchor,
                "url": briefing_url(q.slug),
                "title": records[q.slug].title,
            }
            for q in shown
        ],
    }


def search_entry(record: Record) -> str:
    """One briefing's entry of search-index.json, as JSON text."""
    entry = {
        "url": briefing_url(record.slug),
        "title": record.title,
        "date": record.date.isoformat(),
        "source": record.source or "",
        "summary": record.summary,
        "entities": [e.name for e in record.entities],
        "keywords": list(record.keywords),
        "tags": list(record.tags),
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def site_context(site: Mapping[str, Any]) -> dict[str, Any]:
    return dict(site)
