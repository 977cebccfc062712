"""Relative dates (أمس الثلاثاء، اليوم الأربعاء، صباح الجمعة) resolved against the
article's publication date and checked against the weekday they name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from kg.extract.context import Context
from kg.extract.lexicons import Words, read_tsv, words_of
from kg.extract.matching import PhraseTable, token_index_at

WEEK = 7


@dataclass(frozen=True)
class DateMention:
    text: str  # the phrase as written
    date: str | None  # ISO date when it resolves and the weekday agrees


@cache
def _table() -> tuple[PhraseTable, dict[Words, tuple[str, int | None]]]:
    roles: dict[Words, tuple[str, int | None]] = {}
    for row in read_tsv("dates.tsv"):
        form, role = row[0], row[1]
        roles[words_of(form)] = (role, int(row[2]) if len(row) > 2 and row[2] else None)
    return PhraseTable(roles), roles


@cache
def time_words() -> frozenset[str]:
    """The one-word day, part-of-day and weekday forms of lexicons/dates.tsv (أمس، مساء، الأحد)."""
    return frozenset(words[0] for words in _table()[1] if len(words) == 1)


def published_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def date_in(ctx: Context, start: int, end: int, published: date | None) -> DateMention | None:
    """The first relative date phrase within normalized [start, end)."""
    table, roles = _table()
    i = token_index_at(ctx.tokens, start)
    while i < len(ctx.tokens) and ctx.tokens[i].start < end:
        phrase = _phrase_at(ctx, i, table, roles)
        if phrase:
            first, last, day, weekday = phrase
            text = ctx.span(ctx.tokens[first].start, ctx.tokens[last].end).text
            return DateMention(text, _resolve(published, day, weekday))
        i += 1
    return None


def _phrase_at(ctx: Context, i: int, table: PhraseTable, roles):
    """(first token, last token, days back, weekday) of a phrase with a day word or weekday."""
    day = weekday = None
    first, j = i, i
    while j < len(ctx.tokens):
        words = ctx.phrases(table).get(j)
        if words is None or (j > i and ctx.norm.text[ctx.tokens[j - 1].end : ctx.tokens[j].start].strip()):
            break
        role, value = roles[words]
        if role == "day":
            day = value
        elif role == "weekday":
            weekday = value
        j += len(words)
    if day is None and weekday is None:
        return None
    return first, j - 1, day, weekday


def _resolve(published: date | None, day: int | None, weekday: int | None) -> str | None:
    if published is None:
        return None
    if day is not None:
        resolved = published - timedelta(days=day)
        if weekday is not None and resolved.weekday() != weekday:
            return None  # أمس الثلاثاء, but yesterday was not a Tuesday: keep the phrase only
        return resolved.isoformat()
    # a weekday alone: the latest such day on or before publication
    back = (published.weekday() - weekday) % WEEK
    return (published - timedelta(days=back)).isoformat()
