"""Keywords of one article: informative terms first, names kept whole, a pure function of the text."""

from __future__ import annotations

from briefgen.analysis.keywords import extract_keywords

ARTICLE = [
    "The River Marden burst its banks in Haldwick on Sunday, flooding two hundred homes.",
    "Emergency crews evacuated the Ashgrove estate by boat. Haldwick council said the flood barrier failed.",
    "Engineers said the Haldwick flood barrier had not been inspected since 2019, said council leader Ruth Amani.",
    "Ruth Amani said the River Marden barrier would be rebuilt.",
]
TITLE = "Haldwick flood: River Marden barrier failed"


def terms(**kwargs: object) -> list[str]:
    return [kw.term for kw in extract_keywords(ARTICLE, title=TITLE, **kwargs)]  # type: ignore[arg-type]


def test_the_story_terms_lead_and_everyday_words_stay_out() -> None:
    found = terms()
    assert found[0] == "Haldwick"
    assert {"River Marden", "Ruth Amani", "barrier"} <= set(found)
    assert not {"said", "the", "on", "sunday", "two", "2019"} & {t.lower() for t in found}


def test_a_two_word_name_stands_for_its_words() -> None:
    found = terms(limit=20)
    assert "River Marden" in found
    assert "Marden" not in found and "Amani" not in found


def test_scores_are_best_first_and_normalised() -> None:
    keywords = extract_keywords(ARTICLE, title=TITLE)
    scores = [kw.score for kw in keywords]
    assert scores[0] == 1.0
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_limit_and_empty_input() -> None:
    assert len(terms(limit=3)) == 3
    assert extract_keywords(ARTICLE, limit=0) == ()
    assert extract_keywords([]) == ()
    assert extract_keywords(["the and of it was said"]) == ()


def test_pure_function_of_the_text() -> None:
    assert extract_keywords(ARTICLE, title=TITLE) == extract_keywords(list(ARTICLE), title=TITLE)
    assert extract_keywords(ARTICLE, title=TITLE) != extract_keywords(ARTICLE)
