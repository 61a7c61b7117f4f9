"""Every analysis path is linear in its input: doubling a hostile article at most ~2.5x its CPU time.

Each shape once made its path quadratic (issue 16): hard-wrapped lines ending in a hyphen, speaker
recency over thousands of quotes, sentence splitting of one long paragraph full of quotes, and, found
by a growth probe over each analysis function, many distinct people, many organisations and partial
quotes inside one paragraph. Times are CPU seconds (`time.process_time`), best of three runs, and only
their ratio is asserted: there is no absolute bar here (speed lives in benchmarks/).
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable
from itertools import pairwise

import pytest

from briefgen.analysis import analyse_body, summarize_text
from briefgen.pipeline.analyse import analyse_text
from briefgen.text.clean import clean_text

_MAX_DOUBLING = 2.5


def _cpu(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _made_up_name(i: int) -> str:
    letters = string.ascii_lowercase
    return "Z" + letters[i % 26] + letters[(i // 26) % 26] + letters[(i // 676) % 26] + "son"


def hyphenated_lines(n: int) -> str:
    return "".join("Some text about nego-\ntiations and pre-\n" for _ in range(n))


def quotes_paragraph(n: int) -> str:
    return " ".join(f'"We will win number {i}," he said. "It is good," said Jane Doe.' for i in range(n))


def described_speakers(n: int) -> list[str]:
    names = ["John Smith", "Mary Jones", "Peter Brown", "Anne White"]
    return [
        f'Secretary {names[i % 4]} spoke. "We will act {i}," the secretary said. "Yes," he said. "No," she added.'
        for i in range(n)
    ]


def many_people(n: int) -> list[str]:
    return [f'"We act {i}," said Jo {_made_up_name(i)}. "Later," {_made_up_name(i)} said.' for i in range(n)]


def many_organisations(n: int) -> list[str]:
    return [
        f"The {_made_up_name(i)} Bank said it would cut rates. The {_made_up_name(i)} Group agreed."
        for i in range(n)
    ]


def paraphrased_quotes(n: int) -> str:
    return " ".join(f'Officials dismissed plan {i} as "unrealistic" and "costly" today.' for i in range(n))


CASES: dict[str, tuple[Callable[[int], object], int]] = {
    "hyphenated line ends": (lambda n: clean_text(hyphenated_lines(n)), 1500),
    "one paragraph of quotes": (lambda n: analyse_body([quotes_paragraph(n)], title="T"), 400),
    "summary of one paragraph of quotes": (lambda n: summarize_text(quotes_paragraph(n)), 1000),
    "speaker recency": (lambda n: analyse_body(described_speakers(n), title="T"), 400),
    # the whole per-article job, key quotes anchored to their sentences included
    "a whole article of quoted paragraphs": (
        lambda n: analyse_text("\n\n".join(described_speakers(n)), summary_sentences=3),
        1200,  # (a scan per quote: ratio 2.9 at 600 already, more here; linear: ~2.0-2.2)
    ),
    "many people": (lambda n: analyse_body(many_people(n), title="T"), 500),
    "many organisations": (lambda n: analyse_body(many_organisations(n), title="T"), 500),
    "partial quotes in one paragraph": (lambda n: analyse_body([paraphrased_quotes(n)], title="T"), 500),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_doubling_the_input_at_most_doubles_the_time(name: str) -> None:
    work, n = CASES[name]
    work(n // 4)  # warm the memos and the lexicon
    times = [_cpu(lambda size=size: work(size)) for size in (n, 2 * n, 4 * n)]
    ratios = [later / max(earlier, 1e-6) for earlier, later in pairwise(times)]
    assert max(ratios) <= _MAX_DOUBLING, f"{name}: CPU {times} s for n, 2n, 4n (ratios {ratios})"
