"""Files to Articles: .txt files, and .json / .jsonl records from scrapers.

Every file yields either articles or a Skipped record naming the file and the reason;
one bad file or record never stops the others.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.text import has_arabic

SUFFIXES = {".txt", ".json", ".jsonl"}
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_ARTICLE_CHARS = 1_000_000  # a news article is a few thousand characters; more is not one article
OPTIONAL_FIELDS = ("title", "url", "published", "outlet")


@dataclass(frozen=True)
class Article:
    id: str
    text: str  # the original text, never modified: every offset points into it
    source: str  # file (and record line) it came from
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


class InputError(ValueError):
    """Raised for a file or record that cannot become an article."""


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: named files as given, and the article files under each
    directory (recursively, .txt/.json/.jsonl), in a stable order. A path that does
    not exist is kept so that reading it reports the problem."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


def read_paths(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """Articles from files and directories (recursively), in a stable order."""
    for path in find_files(paths):
        if path.is_file():
            yield from read_file(path)
        else:
            yield Skipped(str(path), "no such file or directory")


def read_file(path: Path) -> Iterator[Article | Skipped]:
    source = str(path)
    try:
        text = decode(path.read_bytes())
    except (OSError, InputError) as err:
        yield Skipped(source, str(err))
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_records(text, source)
    elif suffix == ".json":
        yield from _json_records(text, source)
    else:
        yield _checked(path.stem, text, source, {})


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode(data, "cp1256")
    if _control_ratio(text) > 0.01:
        raise InputError("binary or unknown encoding (not UTF-8, UTF-16 or Windows-1256)")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"invalid {encoding} at byte {err.start}") from err


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")
    return controls / max(len(text), 1)


# graph/<id> names an article's graph; these names are kg's own graphs (see kg.store)
RESERVED_IDS = frozenset({"actors", "figures", "links", "wikidata", "ontology", "dataset"})


def _checked(article_id: str, text: str, source: str, meta: dict) -> Article | Skipped:
    if not text.strip():
        return Skipped(source, "no text")
    if len(text) > MAX_ARTICLE_CHARS:
        return Skipped(source, f"too long for one article ({len(text):,} characters; the limit is "
                               f"{MAX_ARTICLE_CHARS:,}): split it into articles")
    if _SURROGATE.search(text) or _SURROGATE.search(article_id):
        return Skipped(source, "invalid Unicode: unpaired surrogate characters (a broken \\u escape?)")
    if _looks_like_html(text):
        return Skipped(source, "an HTML page, not article text: extract the article's text first")
    if not has_arabic(text):
        return Skipped(source, "no Arabic text")
    if not article_id.strip():
        return Skipped(source, "empty article id")
    if article_id in RESERVED_IDS:
        return Skipped(source, f"article id {article_id!r} is reserved: kg's own graph has that name; rename the file "
                               "or the record's id")
    return Article(id=article_id, text=text, source=source, **meta)


def _looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[-2000:].lower())


def _record(obj: object, source: str) -> Article | Skipped:
    if not isinstance(obj, dict):
        return Skipped(source, "record is not a JSON object")
    article_id, text = obj.get("id"), obj.get("text")
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str):
        return Skipped(source, "field 'id' is missing or not a string")
    if not isinstance(text, str):
        return Skipped(source, "field 'text' is missing or not a string")
    meta = {}
    for field in OPTIONAL_FIELDS:
        value = obj.get(field)
        if value is not None and not isinstance(value, str):
            return Skipped(source, f"field {field!r} is not a string")
        meta[field] = value
    return _checked(article_id, text, source, meta)


def _jsonl_records(text: str, source: str) -> Iterator[Article | Skipped]:
    def parsed() -> Iterator[tuple[str, object]]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{source}:{lineno}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as err:
                yield where, Skipped(where, f"invalid JSON: {err.msg}")

    return _unique_records(parsed())


def _json_records(text: str, source: str) -> Iterator[Article | Skipped]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return iter([Skipped(source, f"invalid JSON: {err.msg} (line {err.lineno})")])
    if isinstance(obj, list):
        return _unique_records((f"{source}[{index}]", record) for index, record in enumerate(obj))
    return _unique_records([(source, obj)])


def _unique_records(records: Iterable[tuple[str, object]]) -> Iterator[Article | Skipped]:
    """Records as articles; an id seen before in the same file is reported, not loaded twice."""
    seen: set[str] = set()
    for where, record in records:
        item = record if isinstance(record, Skipped) else _record(record, where)
        if isinstance(item, Article):
            if item.id in seen:
                yield Skipped(where, f"duplicate id {item.id!r} in this file")
                continue
            seen.add(item.id)
        yield item
