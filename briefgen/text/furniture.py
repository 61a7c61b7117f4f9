"""Page furniture: the lines a web page puts around a story that come along when it is pasted.

Each rule has a name (the reason a dropped line is listed with), the first characters its lines can
start with (checked first: most lines are story text and are passed over on that alone), and a pattern
that the whole line must match. Lines that quote someone (quotation marks) are never prompts; long lines
are never furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MAX_WORDS = 60
_QUOTES = frozenset('"“”„«»')
_CAPTION_LABEL = re.compile(r"(?:image|media|video|photo|picture|audio)\s+caption\b\s*[,:.]?", re.IGNORECASE)
_CREDIT_WORD = r"(?:photo(?:graph)?|picture|image|illustration|credit|video|footage)s?"
_AGENCY = (
    r"(?:AP(?:\s+Photo)?|AFP|Reuters|REUTERS|Getty\s+Images|EPA(?:-EFE)?|PA(?:\s+(?:Wire|Media))?|"
    r"Shutterstock|Alamy(?:\s+Stock\s+Photo)?|Bloomberg|Anadolu(?:\s+Agency)?|Xinhua|dpa|Sipa|NurPhoto)"
)
_CAPITALISED_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    reason: str  # how the dropped line is listed: "copyright", "cookie prompt", ...
    starts: frozenset[str] | None  # the lower-cased first characters its lines have; None: any
    pattern: re.Pattern[str]  # must match the whole line (stripped of edge punctuation)
    needs: tuple[str, ...] = ()  # the lower-cased line holds one of these (a quicker test than the pattern)
    prompt: bool = False  # a sentence addressed to the reader: never one that quotes somebody
    tail: int = 0  # > 0: the pattern is what the line ends with, within its last `tail` characters


def _rule(
    reason: str,
    starts: str | None,
    pattern: str,
    *,
    needs: tuple[str, ...] = (),
    prompt: bool = False,
    tail: int = 0,
) -> FurnitureRule:
    first = None if starts is None else frozenset(starts.lower()) | frozenset(starts.upper())
    compiled = re.compile(pattern + (r"\Z" if tail else ""), re.IGNORECASE | re.DOTALL)
    return FurnitureRule(reason, first, compiled, needs, prompt, tail)


RULES: tuple[FurnitureRule, ...] = (
    _rule(
        "copyright",
        "©(c",
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|(?:19|20)\d{2}\b)).{0,300}|copyright\b.{0,300}\ball\s+rights\s+reserved",
    ),
    _rule("copyright", None, r"\ball\s+rights\s+reserved", needs=("reserved",), tail=30),
    _rule(
        "caption",
        "imvpac",
        r"(?:image|media|video|photo|picture|audio)\s+caption\b.{0,400}|caption\s*:.{1,400}",
    ),
    _rule(
        "photo credit",
        "ipvcfm",
        rf"(?:image\s+source|photo\s+credit|photo\s+illustration|{_CREDIT_WORD})(?:\s+by)?\s*[,:]\s*[^.!?]{{2,80}}"
        rf"|{_CREDIT_WORD}\s+by\s+[^.!?:]{{2,80}}",
    ),
    _rule("photo credit", "(", rf"\(\s*{_CREDIT_WORD}(?:\s+by|\s*:)\s*[^()]{{2,80}}\)"),
    _rule(
        "photo credit",
        None,
        rf"{_CAPITALISED_NAME}\s*/\s*{_AGENCY}(?:\s+via\s+Getty\s+Images)?|{_AGENCY}\s*/\s*{_CAPITALISED_NAME}",
        needs=("/",),
    ),
    _rule("photo credit", "gsa", r"getty\s+images|shutterstock|alamy(?:\s+stock\s+photo)?"),
    # a caption ends with its credit: "Residents queue for water. Photograph: Jane Doe/Reuters"
    _rule("caption", None, rf"\S\s*\(\s*{_CREDIT_WORD}\b[^()]{{2,80}}\)", needs=(")",), tail=100),
    _rule(
        "caption",
        None,
        r"[.!?]\s+(?:photo(?:graph)?|picture|image|illustration)s?(?:\s+by)?\s*:\s*[^.!?:]{2,80}",
        needs=(":",),
        tail=110,
    ),
    _rule(
        "audio player",
        "l0123456789",
        r"listen(?:\s+to\s+(?:this|the)\s+(?:article|story|podcast|episode))?"
        r"(?:\s*[·•|,(\-–—]?\s*\d{1,3}(?::\d{2})?\s*(?:min(?:ute)?s?|mins?)\.?\)?(?:\s+listen)?)?"
        r"|\d{1,3}(?::\d{2})?\s*(?:min(?:ute)?s?|mins?)\.?\s+listen",
    ),
    _rule(
        "reading time",
        "r0123456789",
        r"(?:reading\s+time\s*:?\s*)?\d{1,3}\s*-?\s*(?:min(?:ute)?s?|mins?)\.?(?:\s+read(?:ing\s+time)?)"
        r"|reading\s+time\s*:?\s*\d{1,3}\s*(?:min(?:ute)?s?|mins?)\.?",
    ),
    _rule(
        "read more link",
        "rsvm",
        r"(?:read|see|view)\s+(?:more|the\s+full\s+(?:story|article)|full\s+(?:story|article))"
        r"(?:\s+(?:here|stories|news|about\s+this|on\s+this\s+(?:story|topic)))?\s*[»›>→…]*"
        r"|more\s+on\s+this\s+(?:story|topic)\s*[»›>→…]*",
    ),
    _rule(
        "newsletter prompt",
        "srn",
        r"(?:sign\s*-?\s*up|subscribe|register)(?:\s+(?:now|here|today|for\s+free|free|for\s+our\s+newsletters?))?"
        r"\s*[»›>→!]*"
        r"|(?:(?:free|daily|weekly|morning|evening)\s+)?newsletters?(?:\s+sign\s*-?\s*up)?",
    ),
    _rule(
        "newsletter prompt",
        "srgedn",
        r"(?:sign\s*-?\s*up|subscribe|register\s+(?:for|to|now)|receive\s+(?:our|the)|enter\s+your\s+e-?mail"
        r"|don['’]?t\s+miss|never\s+miss|stay\s+(?:informed|up\s+to\s+date|in\s+the\s+know)"
        r"|get\s+(?:our|the\s+(?:best|latest)|breaking|daily|weekly|free))\b"
        r".{0,300}\b(?:newsletters?|inbox|e-?mail|briefing|digest|alerts|updates|subscribe|sign\s*-?\s*up)\b.{0,200}",
        needs=("newsletter", "inbox", "mail", "briefing", "digest", "alerts", "updates", "subscribe", "sign"),
        prompt=True,
    ),
    _rule(
        "cookie prompt",
        "wtobarmdcy",
        # a sentence about this site's cookies, with a word of consent or use ("We sold 10,000 cookies
        # last year" is a bakery's story)
        r"(?=.*\b(?:use[sd]?|using|accept\w*|agree\w*|consent\w*|experience|settings|preferences|privacy"
        r"|brows\w+|personali[sz]\w*|polic(?:y|ies)|enable\w*|store[sd]?|collect\w*|track\w*|continu\w+)\b)"
        r"(?:we\b|this\s+(?:web)?site|our\s+(?:web)?site|by\s+(?:continuing|clicking|using|browsing|closing)"
        r"|accept|allow|reject|decline|manage|customi[sz]e|cookies?\b|your\s+privacy|we\s+value)"
        r".{0,400}\bcookies?\b.{0,400}",
        needs=("cookie",),
        prompt=True,
    ),
    _rule(
        "cookie prompt",
        "armdcp",
        r"(?:accept|reject|allow|decline)\s+all(?:\s+cookies)?|(?:accept|reject|allow|decline)\s+cookies"
        r"|manage\s+(?:preferences|settings|cookies|consent)"
        r"|(?:cookie|privacy)\s+(?:settings|preferences|policy|notice)",
    ),
    _rule(
        "navigation",
        "sbgvhlradcmt0123456789",
        r"skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|article)|back\s+to\s+top"
        r"|go\s+to\s+(?:the\s+)?home\s*page"
        r"|(?:(?:view|show|hide|load|read|see|add|join)\s+(?:all\s+|the\s+)?(?:\d+\s+)?)?comments?(?:\s*\(\d+\))?"
        r"|\d+\s+comments?|most\s+(?:read|popular|viewed|shared)|trending(?:\s+now)?",
    ),
)


def _rules_by_first_character() -> dict[str, tuple[FurnitureRule, ...]]:
    firsts = {c for rule in RULES if rule.starts is not None for c in rule.starts}
    return {c: tuple(r for r in RULES if r.starts is None or c in r.starts) for c in firsts}


_RULES_BY_FIRST = _rules_by_first_character()
_RULES_FOR_ANY = tuple(r for r in RULES if r.starts is None)


def furniture_reason(line: str) -> str | None:
    """The name of the rule that makes a whole (stripped, non-blank) line page furniture, else None."""
    if len(line) > 500 or line.count(" ") >= _MAX_WORDS:
        return None
    lowered = line.lower()
    for rule in _RULES_BY_FIRST.get(line[:1], _RULES_FOR_ANY):
        if rule.needs and not _holds_one(lowered, rule.needs):
            continue
        if rule.prompt and not _QUOTES.isdisjoint(line):
            continue
        if rule.tail:
            if rule.pattern.search(line, max(0, len(line) - rule.tail)):
                return rule.reason
        elif rule.pattern.fullmatch(line):
            return rule.reason
    return None


def _holds_one(text: str, words: tuple[str, ...]) -> bool:
    # a plain loop: any() over a generator costs more than the tests themselves, on every line of text
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def is_caption_label(line: str) -> bool:
    """ "Image caption," alone: the caption itself is on the next line."""
    match = _CAPTION_LABEL.fullmatch(line.strip())
    return match is not None
