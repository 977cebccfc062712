"""Extraction speed on one core: milliseconds per article (ingest excluded).

    python bench/extract_speed.py [ARTICLES_DIR] [--repeat N]

Prints the median, p95 and mean over every (article, repeat) pair after one warm-up pass
(lexicons and the gazetteer load once per process and are not counted).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from kg.extract import extract
from kg.ingest import Article, read_paths

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    articles = [a for a in read_paths([Path(args.articles)]) if isinstance(a, Article)]
    for article in articles:
        extract(article)  # warm-up: lexicons, gazetteer, caches of pure functions
    timings = []
    for _ in range(args.repeat):
        for article in articles:
            start = time.perf_counter()
            extract(article)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    print(f"{len(articles)} articles (mean {chars:.0f} characters), {args.repeat} repeats")
    print(f"extraction ms/article: median {statistics.median(timings):.1f}  p95 {p95:.1f}  "
          f"mean {statistics.fmean(timings):.1f}")


if __name__ == "__main__":
    main()
