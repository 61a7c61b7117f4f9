"""Write briefgen/data/zipf_en.tsv.gz: general-English word frequencies for background IDF.

Run once (needs `pip install wordfreq`, used only here, never at run time):
    python benchmarks/make_background_idf.py
After a header line, each line is `zipf*10<TAB>word word ...`: the words (Zipf frequency >= 2.0,
about once in 100 million words) with that rounded frequency, so loading is one split per line. The data is derived from wordfreq (https://github.com/rspeer/wordfreq), whose word lists are
CC BY-SA 4.0 by Robyn Speer; this file keeps that licence and attribution in its first line.
"""

import gzip
import math
import re
from pathlib import Path

import wordfreq

OUT = Path(__file__).resolve().parent.parent / "briefgen" / "data" / "zipf_en.tsv.gz"
WORD = re.compile(r"^[^\W_]+(?:'[^\W_]+)*$")
MIN_ZIPF = 2.0


def main() -> None:
    rows = []
    for word, freq in wordfreq.get_frequency_dict("en", wordlist="large").items():
        zipf = math.log10(freq * 1e9)
        if zipf >= MIN_ZIPF and WORD.match(word):
            rows.append((word, round(zipf * 10)))
    buckets: dict[int, list[str]] = {}
    for word, zipf10 in sorted(rows):
        buckets.setdefault(zipf10, []).append(word)
    header = "# zipf*10\twords -- derived from wordfreq 3 (Robyn Speer), CC BY-SA 4.0\n"
    body = "".join(f"{z}\t{' '.join(ws)}\n" for z, ws in sorted(buckets.items()))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9, newline="\n") as f:
        f.write(header + body)
    print(f"{OUT}: {len(rows)} words")


if __name__ == "__main__":
    main()
