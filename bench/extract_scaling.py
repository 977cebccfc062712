"""Extraction time against article length: milliseconds per 1,000 characters, from 1k to
1M characters (texts made of the seed articles' paragraphs, repeated), on one core.

    python bench/extract_scaling.py [--sizes 1000,10000,…] [--validate]

With --validate, each text's graph is also checked against the SHACL shapes (long texts
must never give overlapping mentions)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pyoxigraph as ox

from kg.extract import extract
from kg.graph import article_triples
from kg.ingest import Article
from kg.validate import validate_ntriples

ROOT = Path(__file__).resolve().parent.parent
SIZES = "1000,5000,20000,50000,200000,500000,1000000"


def text_of(size: int) -> str:
    paragraphs = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = paragraphs
    while len(text) < size:
        text += "\n\n" + paragraphs
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > size // 2 else size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=SIZES)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    extract(Article(id="warm", text=text_of(5000), source="warm"))  # lexicons and gazetteer load once
    print("| characters | extraction | ms per 1,000 characters | mentions | SHACL |\n|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        article = Article(id=f"n{size}", text=text_of(size), source="bench")
        start = time.perf_counter()
        found = extract(article)
        seconds = time.perf_counter() - start
        shacl = "-"
        if args.validate:
            violations = validate_ntriples(ox.serialize(article_triples(found), format=ox.RdfFormat.N_TRIPLES))
            shacl = "conforms" if not violations else f"{len(violations)} violations: {violations[0]}"
        print(f"| {len(article.text):,} | {seconds:.2f} s | {seconds * 1e6 / len(article.text):.1f} | "
              f"{len(found.mentions):,} | {shacl} |", flush=True)


if __name__ == "__main__":
    main()
