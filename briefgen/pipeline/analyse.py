"""One article from its bytes to its analysis: the per-file work of the collect stage.

`analyse_job` is a module-level function of a picklable job, so any executor can run it: this
process, forked workers, or a Dask worker on another machine. It reads nothing from disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import traceback

from briefgen.analysis import analyse_segmented
from briefgen.analysis.keywords import segmented_terms
from briefgen.corpus.similarity import weights_of
from briefgen.corpus.story_content import CARD_SENTENCES
from briefgen.corpus.story_features import features_of_briefing
from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import Briefing, Document, QuoteCard, Record
from briefgen.model.stages import Analysed, AnalysisJob
from briefgen.pipeline.store import decode, encode
from briefgen.render.views import sentence_anchor, summary_text
from briefgen.slugs import slug_for
from briefgen.sources import TEXT_PATH, parse_source, text_file
from briefgen.sources.document import make_document
from briefgen.text.segment import segment


def analyse_document(document: Document, summary_sentences: int | str) -> Briefing:
    segmented = segment(
        [p.text for p in document.paragraphs],
        title=document.meta.title,
        dateline=document.dateline.place if document.dateline else None,
    )
    counts = segmented_terms(segmented)  # once, for keywords and related linking
    analysis = analyse_segmented(segmented, summary_spec=summary_sentences, terms=counts)
    return Briefing(
        slug=slug_for(document.rel_path), document=document, analysis=analysis, terms=weights_of(counts)
    )


def record_digest(key: str, slug: str, date: dt.date) -> str:
    """Everything a record holds follows from its store key, its slug and (undated files) its date."""
    return hashlib.sha256(f"{key}\0{slug}\0{date.isoformat()}".encode()).hexdigest()[:24]


def record_of(briefing: Briefing, key: str) -> Record:
    """The compact form of a briefing that later stages keep in memory."""
    meta = briefing.document.meta
    analysis = briefing.analysis
    return Record(
        slug=briefing.slug,
        rel_path=briefing.document.rel_path,
        key=key,
        digest=record_digest(key, briefing.slug, meta.date),
        title=meta.title,
        date=meta.date,
        date_inferred_from=meta.date_inferred_from,
        author=meta.author,
        source=meta.source,
        url=meta.url,
        tags=meta.tags,
        draft=meta.draft,
        summary=summary_text(briefing),
        lead=tuple(analysis.sentences[i].text for i in analysis.summary[:CARD_SENTENCES]),
        entities=analysis.entities,
        speakers=tuple(dict.fromkeys(q.speaker for q in analysis.quotes if q.speaker)),
        key_quotes=tuple(
            QuoteCard(
                speaker=q.speaker,
                speaker_kind=q.speaker_kind,
                text=q.text,
                anchor=sentence_anchor(briefing, q.paragraph, q.start),
            )
            for q in sorted(analysis.key_quotes, key=lambda q: (q.paragraph, q.start))
        ),
        keywords=tuple(k.term for k in analysis.keywords),
        references=briefing.document.references,
        assets=briefing.document.assets,
    )


def with_date(record: Record, date: dt.date) -> Record:
    """An undated file's record, dated by the file's modification time as it is now."""
    if record.date == date:
        return record
    return dataclasses.replace(record, date=date, digest=record_digest(record.key, record.slug, date))


def mtime_date(mtime: float) -> dt.date:
    return dt.datetime.fromtimestamp(mtime, tz=dt.UTC).date()


def analyse_job(job: AnalysisJob) -> Analysed | Diagnostic:
    """Parse, clean and analyse one file; a file that cannot be used is one error diagnostic."""
    try:
        source, read_problems = parse_source(job.data, rel=job.rel_path, kind=job.kind, mtime=job.mtime)
        document, problems = make_document(source)
        briefing = analyse_document(document, job.summary_sentences)
    except SourceError as exc:
        return exc.diagnostic()
    except Exception as exc:  # one file's crash must not take the site down
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        message = f"internal error while processing this file ({detail}); please report it"
        return Diagnostic(Severity.ERROR, message, SourceLocation(job.rel_path))
    record = record_of(briefing, job.key)
    diagnostics = read_problems + problems
    features = features_of_briefing(briefing)
    return Analysed(
        record=record,
        features=features,
        diagnostics=diagnostics,
        record_blob=encode((record, features, diagnostics)),
        briefing_blob=encode(briefing),
    )


def analyse_text(text: str, *, title: str | None = None, summary_sentences: int | str = 3) -> Briefing:
    """The build's analysis of one article given as plain text (with optional YAML front matter).

    `title` is used when the text has none of its own. Raises SourceError when the text cannot be used.
    """
    job = AnalysisJob(
        rel_path=TEXT_PATH,
        kind="text",
        data=text_file(text, title),
        mtime=0.0,
        key="",
        summary_sentences=summary_sentences,
    )
    result = analyse_job(job)
    if isinstance(result, Diagnostic):
        raise SourceError(result.message, result.location or SourceLocation("<text>"))
    found: Briefing = decode(result.briefing_blob, Briefing)
    return found
