"""Every value passed between build stages: frozen, slotted, keyword-only, and free of I/O.

Stages: sources (Path -> Source) -> text (Source -> Document) -> analysis (Document -> Analysis)
-> corpus (briefings -> links, digests) -> render (pages -> bytes on disk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["markdown", "text"]
EntityKind = Literal["person", "organisation", "place"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """One paragraph of article text, hard wraps rejoined."""

    text: str
    line: int  # 1-based line in the source file where the paragraph starts


@dataclass(frozen=True, slots=True, kw_only=True)
class DroppedLine:
    """A line removed from the body (never silently: the build report lists each one)."""

    line: int  # 1-based line in the source file
    text: str
    reason: str  # short, lowercase: "bare url", "related-article line", "advertisement", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """An explicit pointer to another article ("Related article: <title>")."""

    title: str
    line: int  # 1-based line in the source file
    label: str = "Related article"  # the prefix as written: "Related article", "Read more", "See also"


@dataclass(frozen=True, slots=True, kw_only=True)
class Dateline:
    """The place an article was filed from, as in "BRUSSELS —"."""

    place: str  # display form: "Brussels"
    text: str  # as written, without the dash: "BRUSSELS"


@dataclass(frozen=True, slots=True, kw_only=True)
class Byline:
    """Author and outlet inferred from the text itself (a "By ..." line or an author URL)."""

    author: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageDate:
    """A date a pasted page prints in a stamp or byline line: "Published March 3, 2025 | Updated 6:42 p.m."."""

    date: dt.date
    label: Literal["published", "updated", ""]  # "" for a date the line does not label
    line: int  # 1-based line in the source file
    text: str  # the line as written


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanText:
    """The result of cleaning pasted plain text: article paragraphs plus what was learnt or dropped."""

    paragraphs: tuple[Paragraph, ...]
    title: str | None  # a headline-like first line, removed from the paragraphs; None if there is none
    dateline: Dateline | None  # removed from the start of the first paragraph
    byline: Byline
    references: tuple[Reference, ...]
    dropped: tuple[DroppedLine, ...]
    page_dates: tuple[PageDate, ...] = ()  # in the order the page prints them


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    text: str
    paragraph: int  # index into Document.paragraphs
    start: int  # character offset of the sentence in its paragraph's text
    end: int  # exclusive


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteSpan:
    """The text between one pair of double quotation marks in a paragraph (white space trimmed)."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the paragraph ends first


@dataclass(frozen=True, slots=True, kw_only=True)
class Segmented:
    """One article cut once, by `briefgen.text.segment.segment`: what every analyser reads.

    Per paragraph (same index as `paragraphs`): its quotations, its sentence ends, and its words.
    """

    paragraphs: tuple[str, ...]
    title: str | None
    sentences: tuple[Sentence, ...]  # every sentence, in reading order (a wire dateline left out)
    sentence_words: tuple[tuple[str, ...], ...]  # per sentence: its words as written
    quotes: tuple[tuple[QuoteSpan, ...], ...]  # per paragraph: its quotations, in order, never overlapping
    ends: tuple[tuple[int, ...], ...]  # per paragraph: offsets just after each sentence end outside a quote
    ends_at_closing: tuple[tuple[int, ...], ...]  # ... and after sentence ends at a quote's closing marks
    words: tuple[tuple[str, ...], ...]  # per paragraph: its words as written (the one tokeniser)
    dateline: str | None = None  # the place the article was filed from ("CALDERWICK —"), if it names one


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A direct quotation: the text between its marks, and who said it."""

    text: str  # without the surrounding quotation marks
    speaker: str | None  # full name (or organisation); None when attribution is unclear, never a guess
    paragraph: int  # index into the paragraphs the extractor was given
    start: int  # character offset of `text` in that paragraph (marks excluded)
    end: int  # exclusive
    is_key: bool  # a whole statement a briefing features, not a scare quote or a fragment
    score: float = 0.0  # informativeness, for ordering key quotes; higher is better
    speaker_kind: EntityKind | None = None
    # the attribution rule that chose the speaker ("after the quote: ..."); None without a speaker
    rule: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyQuote:
    """A statement a briefing features: one key quote, or the key pieces of one quotation that its
    attribution splits ("A," she said. "B."), joined into one text and taking one slot."""

    text: str  # as shown: pieces joined, the trailing comma before an attribution dropped
    speaker: str
    speaker_kind: EntityKind | None
    paragraph: int  # where the first piece stands
    start: int
    pieces: tuple[int, ...]  # indices into Analysis.quotes, in reading order
    score: float  # informativeness and closeness to what the story is about; higher is better


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    name: str  # canonical (longest) form: "Pete Hegseth"
    kind: EntityKind
    count: int  # mentions in title and text, short forms ("Hegseth") included


@dataclass(frozen=True, slots=True, kw_only=True)
class Keyword:
    term: str
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedLink:
    """A link from one briefing to another about the same story."""

    target: str  # id (slug) of the other briefing
    score: float  # similarity in [0, 1]
    shared: tuple[str, ...] = ()  # shared people, places and key terms: why they are linked
    direction: Literal["earlier", "later", "same day"] | None = None  # target's date relative to ours


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta:
    """Front matter merged with what was inferred from the text."""

    title: str
    date: dt.date
    author: str | None = None
    source: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None  # a front-matter summary wins over the extractive one
    draft: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)
    # "page": the date the pasted page prints ("Published March 3, 2025"), when front matter and file
    # name give none
    date_inferred_from: Literal["front matter", "file name", "page", "modified time"] = "front matter"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One content file, decoded, with its front matter split off."""

    rel_path: str  # POSIX path relative to the site root: "content/2025-02-13-hegseth.txt"
    kind: SourceKind
    body: str  # the text after the front matter
    body_line: int  # 1-based file line of body's first line
    front: Mapping[str, object]  # front matter as parsed (empty when there is none)
    front_line: int | None  # 1-based line of the opening '---', None without front matter
    front_key_lines: Mapping[str, int] = field(default_factory=dict)  # top-level key -> its file line
    digest: str  # sha256 of the file's bytes
    mtime: float  # seconds since the epoch


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRef:
    """A file an article shows or links to by a path relative to itself (`![](harbour.jpg)`,
    `[report](report.pdf)`): it is published beside the briefing page."""

    target: str  # the path as the article gives it, percent-decoded, normalised ('harbour.jpg', 'img/a.png')
    line: int  # 1-based line of the file where the reference is
    image: bool  # shown as an image (else linked)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A cleaned article: metadata and paragraphs, ready for analysis and display."""

    rel_path: str
    kind: SourceKind
    meta: Meta
    paragraphs: tuple[Paragraph, ...]
    dateline: Dateline | None = None
    references: tuple[Reference, ...] = ()
    dropped: tuple[DroppedLine, ...] = ()
    body_html: str | None = None  # Markdown only: the rendered body, paragraphs carrying id="p-N"
    assets: tuple[AssetRef, ...] = ()  # files beside the article that its body shows or links to


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Everything stage 3 learns about one article; a pure function of its paragraphs, title and settings."""

    sentences: tuple[Sentence, ...]
    summary: tuple[int, ...]  # indices into sentences, in reading order
    quotes: tuple[Quote, ...]
    entities: tuple[Entity, ...]
    keywords: tuple[Keyword, ...]
    key_quotes: tuple[KeyQuote, ...] = ()  # ranked, best first: what a briefing shows, in this order


@dataclass(frozen=True, slots=True)
class TermWeights:
    """An article's weighted terms for related linking: a function of its title and text alone,
    so it is computed with the rest of the analysis (in parallel, and cached) rather than at link time."""

    weights: tuple[tuple[str, int], ...]  # term -> quantised weight (> 0), in first-seen order
    surface: tuple[tuple[str, str], ...]  # term -> display form
    top_terms: tuple[str, ...]  # the heaviest terms, heaviest first


@dataclass(frozen=True, slots=True, kw_only=True)
class Briefing:
    """The per-article unit: a cleaned document and its analysis, at a URL."""

    slug: str
    document: Document
    analysis: Analysis
    terms: TermWeights | None = None  # for related linking; None when not computed


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFeatures:
    """What the same-story decision knows of one article, made once per article with its analysis.

    Compact on purpose: the main process holds one per article (10,000 to 100,000 of them), so the
    term vector is packed into bytes of hashed terms rather than kept as a dict of strings.
    """

    id: str  # the briefing's slug (or the JSON-lines id)
    date: dt.date | None  # publication date when known; None for an undated article
    year: int | None  # the date's year, else the latest year the text mentions, else None
    weekdays: int  # days of the week the text names, a bit mask (bit 0 Monday)
    months: int  # months the text names, a bit mask (bit 0 January)
    numbers: (
        bytes  # CRC-32s of the figures the text gives (not years, not 0-12), uint32 little-endian, ascending
    )
    terms: bytes  # the heaviest terms' 63-bit hashes, int64 little-endian, ascending
    weights: bytes  # their weights, uint16 little-endian, the vector's L2 norm about WEIGHT_UNIT
    quotes: bytes  # CRC-32s of the quotes' first words (QUOTE_WORDS), uint32 little-endian, ascending
    speakers: (
        bytes  # hashes (`term_hash`) of quoted speakers' case-folded names, int64 little-endian, ascending
    )
    name_hashes: bytes  # hashes of the names it mentions (case-folded), int64 little-endian, ascending
    main_names: (
        bytes  # the most mentioned names: (hash of the name, of its last word, mentions) int64 triples
    )
    keywords: tuple[str, ...]  # display forms of the article's keywords: why two articles are linked


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Reports of one story (one event), earliest first."""

    key: str  # id of the first report by (date, id): never changes when a later report joins
    members: tuple[str, ...]  # ids in (date, id) order, key first


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryQuote:
    """A quote as a story page shows it: once, however many outlets carried it."""

    text: str
    speaker: str
    sources: tuple[str, ...]  # ids of the briefings that carry it, earliest first


@dataclass(frozen=True, slots=True, kw_only=True)
class StorySpeaker:
    """One speaker's distinct quotes across a story ("what they're saying")."""

    speaker: str
    quotes: tuple[StoryQuote, ...]  # in order of first report


@dataclass(frozen=True, slots=True, kw_only=True)
class StorySentence:
    """A sentence a story page shows, and the briefing it comes from."""

    text: str
    source: str  # id of the briefing whose sentence this is
    sentence: int  # index into that briefing's analysis.sentences


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryContent:
    """What a story page shows beyond its list of reports: pure functions of the member briefings."""

    headline: str
    summary: tuple[StorySentence, ...]  # drawn from all reports, no sentence said twice
    speakers: tuple[StorySpeaker, ...]  # most quoted first
    people: tuple[Entity, ...]  # entities merged across reports, counts summed, most mentioned first
    organisations: tuple[Entity, ...]
    places: tuple[Entity, ...]
    whats_new: tuple[StorySentence, ...]  # sentences of the latest report no earlier report carries


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCard:
    """A key quote with a known speaker, as entity pages list it."""

    speaker: str
    speaker_kind: EntityKind | None
    text: str  # as shown: the trailing comma before an attribution dropped
    anchor: str  # the id of its sentence or paragraph on the briefing page


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """What the build keeps in memory of one article: enough for links, digests, cards and feeds.

    The whole `Briefing` stays in the analysis store and is loaded only to render the pages that show
    its text. Every field follows from the store entry (`key`: the file's bytes, path, analysis
    settings and briefgen's code) and, for an undated file, its modification time (`date`).
    """

    slug: str
    rel_path: str
    key: str  # analysis store key of the whole Briefing
    digest: str  # changes whenever anything below changes: pages showing this record compare it
    title: str
    date: dt.date
    date_inferred_from: Literal["front matter", "file name", "page", "modified time"]
    author: str | None
    source: str | None
    url: str | None
    tags: tuple[str, ...]
    draft: bool
    summary: str  # the card's summary text
    lead: tuple[str, ...]  # first summary sentences of the analysis, for story cards (CARD_SENTENCES)
    entities: tuple[Entity, ...]
    speakers: tuple[str, ...]  # everyone quoted, key or not
    key_quotes: tuple[QuoteCard, ...]  # key quotes with a speaker, in reading order
    keywords: tuple[str, ...]
    references: tuple[Reference, ...]
    assets: tuple[AssetRef, ...] = ()  # files beside the article, copied to its briefing's folder


DigestKind = Literal["day", "week", "tag", "entity"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """Briefings gathered under one heading: a day, a week, a tag or an entity."""

    kind: DigestKind
    key: str  # URL segment
    title: str
    slugs: tuple[str, ...]  # briefings, newest first
    entity_kind: EntityKind | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakerQuote:
    slug: str
    quote: QuoteCard


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """The link stage's result: every record with its links, and the digests that gather them."""

    records: Mapping[str, Record]  # slug -> record
    order: tuple[str, ...]  # slugs, newest first
    related: Mapping[str, tuple[RelatedLink, ...]]  # slug -> same-story links
    references: Mapping[str, tuple[str | None, ...]]  # slug -> matched slug per Reference (None: no match)
    digests: Mapping[tuple[DigestKind, str], Digest]  # (kind, key) -> digest, each kind in page order
    speaker_quotes: Mapping[str, tuple[SpeakerQuote, ...]]  # speaker -> key quotes, newest first
    entity_pages: Mapping[tuple[EntityKind, str], str]  # (kind, name) -> its digest key
    stories: Mapping[str, Story]  # story key -> story, by first report
    story_of: Mapping[str, str]  # slug -> its story's key
    headlines: Mapping[str, str]  # story key -> its headline


@dataclass(frozen=True, slots=True, kw_only=True)
class CorpusChanges:
    """What the link stage changed since the last build; `everything` when there was none."""

    everything: bool
    records: frozenset[str] = frozenset()  # slugs added, changed or removed
    related: frozenset[str] = frozenset()  # slugs whose links changed
    digests: frozenset[tuple[DigestKind, str]] = frozenset()  # digests added, changed or removed
    entity_pages: frozenset[tuple[EntityKind, str]] = frozenset()  # entities that gained or lost a page
    stories: frozenset[str] = frozenset()  # stories added, changed (members or headline) or removed


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldBack:
    """Articles a build left out on purpose: drafts (unless --drafts), and articles dated after the day
    of the build (unless --future)."""

    drafts: int = 0
    future: int = 0
    release: dt.date | None = None  # the earliest date of a future article: a build from then on has work
