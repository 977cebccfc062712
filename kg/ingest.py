"""Files to Articles: .txt files, and .json / .jsonl (.ndjson) records from scrapers.

Every entry of an input directory yields articles or a Skipped record naming it and the
reason (an unsupported file type, a FIFO, a broken link, a directory that cannot be read…);
one bad file or record never stops the others.
"""

from __future__ import annotations

import codecs
import datetime
import errno
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.text import has_arabic

SUFFIXES = {".txt", ".json", ".jsonl", ".ndjson"}
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_ARTICLE_CHARS = 500_000  # a news article is a few thousand characters; more is not one article (kg build)
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
    notes: tuple[str, ...] = field(default=(), compare=False)  # what was changed or ignored, for the report


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


class InputError(ValueError):
    """Raised for a file or record that cannot become an article."""


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The entries to read, in a stable order: named files as given, and every entry under
    each directory (recursively). Nothing is left out here: reading an entry says what it
    is when it is not an article file (a FIFO, a broken link, a .md file, a directory that
    cannot be listed). Links to directories inside a directory are not followed (a loop
    would never end); they are reported."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += _entries(path)
        else:
            files.append(path)
    return files


def _entries(folder: Path) -> list[Path]:
    found: list[Path] = []
    unreadable: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=lambda err: unreadable.append(Path(err.filename))):
        base = Path(root)
        dirs.sort()
        for name in list(dirs):
            if (base / name).is_symlink():
                found.append(base / name)  # reported as a link to a directory, not walked
                dirs.remove(name)
        found += [base / name for name in names]
    return sorted(found + unreadable)


def too_long(text: str, limit: int = MAX_ARTICLE_CHARS) -> str | None:
    """The reason a text is refused as one article, or None."""
    if len(text) <= limit:
        return None
    return (f"too long for one article ({len(text):,} characters; the limit is {limit:,}, "
            "--max-article-chars): split it into articles")


def read_paths(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """Articles from files and directories (recursively), in a stable order. Whatever goes
    wrong with one entry (even an error kg does not know) is that entry's outcome."""
    for path in find_files(paths):
        yield from read_entry(path)


def read_entry(path: Path) -> Iterator[Article | Skipped]:
    """The articles of one entry that find_files listed (never walked again: a link to a
    directory inside an input directory is reported, not followed)."""
    try:
        problem = _not_an_article_file(path)
        if problem:
            yield Skipped(display(path), problem)
            return
        yield from read_file(path)
    except Exception as err:  # noqa: BLE001 - one entry's failure is its outcome, the batch goes on
        yield Skipped(display(path), f"could not be read: {type(err).__name__}: {err}")


def display(path: Path) -> str:
    """The path as text that can be printed and written to a report: bytes of a file name
    that are not UTF-8 are shown as \\x escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _not_an_article_file(path: Path) -> str | None:
    """Why an entry is not read as an article file, or None."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "no such file or directory"
    except OSError as err:
        return f"cannot be read: {err.strerror}"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.stat()
        except OSError as err:
            if err.errno == errno.ELOOP:
                return "a symbolic link loop"
            return f"a broken symbolic link (to {display(Path(os.readlink(path)))})"
        if stat.S_ISDIR(target.st_mode):
            return "a symbolic link to a directory: not followed (name it on the command line to read it)"
        info = target
    if stat.S_ISDIR(info.st_mode):  # one that os.walk could not list
        try:
            os.listdir(path)
        except OSError as err:
            return f"a directory that cannot be read: {err.strerror}"
        return "a directory that could not be read while it was listed"
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        return f"not a regular file ({kind})"
    if path.suffix.lower() not in SUFFIXES:
        what = path.suffix.lower() or "without an extension"
        return f"unsupported file type {what} (kg reads .txt, .json, .jsonl and .ndjson)"
    if display(path) != str(path):
        return "the file name is not valid UTF-8: rename it (the article id comes from it)"
    return None


def read_file(path: Path) -> Iterator[Article | Skipped]:
    source = display(path)
    try:
        text = decode(path.read_bytes())
    except (OSError, InputError) as err:
        yield Skipped(source, str(err))
        return
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
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


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def normalized_id(article_id: str) -> str:
    """The id as kg uses it: NFC, without zero-width and direction marks, so that the same
    id typed or scraped two ways names one article."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", article_id)).strip()


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD when the value starts with a real calendar date (an ISO date or date-time)."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?![\d])", value or "")
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _checked(article_id: str, text: str, source: str, meta: dict) -> Article | Skipped:
    notes = []
    given_id, article_id = article_id, normalized_id(article_id)
    if article_id != given_id and article_id:
        notes.append(f"id {given_id!r} read as {article_id!r} (Unicode NFC, invisible marks removed)")
    published = meta.get("published")
    if published is not None and iso_date(published) is None:
        notes.append(f"published {published!r} is not a date (YYYY-MM-DD): kept as text, not used to date claims")
    if not text.strip():
        return Skipped(source, "no text")
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
    return Article(id=article_id, text=text, source=source, notes=tuple(notes), **meta)


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
    for name in OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return Skipped(source, f"field {name!r} is not a string")
        meta[name] = value
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
            except (ValueError, RecursionError) as err:  # a 5,000-digit number, arrays nested 100,000 deep
                yield where, Skipped(where, f"JSON that cannot be read: {_json_limit(err)}")

    return _unique_records(parsed())


def _json_records(text: str, source: str) -> Iterator[Article | Skipped]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return iter([Skipped(source, f"invalid JSON: {err.msg} (line {err.lineno})")])
    except (ValueError, RecursionError) as err:
        return iter([Skipped(source, f"JSON that cannot be read: {_json_limit(err)}")])
    if isinstance(obj, list):
        return _unique_records((f"{source}[{index}]", record) for index, record in enumerate(obj))
    return _unique_records([(source, obj)])


def _json_limit(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return str(err).split(";")[0]  # "Exceeds the limit (4300 digits) for integer string conversion"


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
