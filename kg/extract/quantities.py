"""Figures in text: digits (68,280 / ٦٨٬٢٨٠), number words (أربعة، ثلاثة وعشرون، ألفين)
and multipliers (7 آلاف = 7000), as token ranges with their value."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.extract.lexicons import number_words, read_tsv
from kg.extract.matching import token_index_at
from kg.text import Token, normalize, numbers


@dataclass(frozen=True)
class Quantity:
    first: int  # token indices, inclusive
    last: int
    value: int
    start: int  # normalized offset where the figure starts (after a conjunction و)


def find_quantities(text: str, tokens: list[Token]) -> list[Quantity]:
    digit_at, scale_at = {}, {}
    for number in numbers(text):
        first = token_index_at(tokens, number.start)
        digit_at[first] = (token_index_at(tokens, number.end - 1), number.value)
        scale_at[first] = number.scale
    found = []
    i = 0
    while i < len(tokens):
        start = tokens[i].start
        if i in digit_at:
            last, value = digit_at[i]
        else:
            parsed = _number_words(tokens, i)
            if parsed is None:
                i += 1
                continue
            last, value, start = parsed
        last, value, multiplier = _multiplied(tokens, last, value, scale_at.get(i, 1))
        if multiplier:
            last, value = _plus_smaller(tokens, digit_at, last, value, multiplier)
        elif i not in digit_at and value >= 100 and value % _magnitude(value) == 0:
            last, value = _plus_smaller(tokens, digit_at, last, value, _magnitude(value))  # ألف و120
        found.append(Quantity(i, last, value, start))
        i = last + 1
    return found


def _magnitude(value: int) -> int:
    return 10 ** (len(str(value)) - 1)


def _lookup(tokens: list[Token], i: int, role: str, max_words: int = 2) -> tuple[int, int] | None:
    """(last token, value) of a number word with this role starting at token i."""
    for n in range(max_words, 0, -1):
        key = tuple(t.text for t in tokens[i : i + n])
        if len(key) == n and role in number_words().get(key, {}):
            return i + n - 1, number_words()[key][role]
    return None


@cache
def _first_words() -> frozenset[str]:
    firsts = {words[0] for words in number_words()}
    return frozenset(firsts | {"و" + w for w in firsts})


def _number_words(tokens: list[Token], i: int) -> tuple[int, int, int] | None:
    """(last token, value, start offset) of a number in words at token i."""
    if tokens[i].text not in _first_words():
        return None
    start = tokens[i].start
    for role in ("unit", "tens", "hundreds", "thousands"):
        found = _lookup(tokens, i, role)
        if found is None and tokens[i].text.startswith("و"):
            bare = number_words().get((tokens[i].text[1:],), {})
            found = (i, bare[role]) if role in bare else None
            start = tokens[i].start + 1
        if found is None:
            continue
        last, value = found
        # compounds joined by و: ثلاثة وعشرون، مئة وخمسون، ألف ومئتان
        while last + 1 < len(tokens) and tokens[last + 1].text.startswith("و"):
            rest = tokens[last + 1].text[1:]
            part = next((v for r, v in number_words().get((rest,), {}).items() if r != "multiplier"), None)
            if part is None or part >= value and role != "unit":
                break
            value, last = value + part, last + 1
        return last, value, start
    return None


def _multiplied(tokens: list[Token], last: int, value: int, scale: int = 1) -> tuple[int, int, int | None]:
    """The figure times the multiplier after it (3 آلاف، 2.8 مليون: 28 at scale 10)."""
    if last + 1 < len(tokens):
        multiplier = number_words().get((tokens[last + 1].text,), {}).get("multiplier")
        if multiplier:
            return last + 1, value * multiplier // scale, multiplier
    return last, value // scale, None


def _plus_smaller(tokens: list[Token], digit_at: dict[int, tuple[int, int]], last: int, value: int,
                  multiplier: int) -> tuple[int, int]:
    """52 ألفا و314: a figure below the multiplier, joined by و, adds to the multiplied one."""
    j = last + 1
    if j < len(tokens) and tokens[j].text == "و":
        j += 1  # و written before digits is a token of its own
    elif j >= len(tokens) or not tokens[j].text.startswith("و"):
        return last, value
    if j >= len(tokens):
        return last, value
    if j in digit_at:
        part_last, part = digit_at[j]
    else:
        parsed = _number_words(tokens, j)
        if parsed is None:
            return last, value
        part_last, part, _ = parsed
    part_last, part, _ = _multiplied(tokens, part_last, part)  # مليون و200 ألف
    return (part_last, value + part) if part < multiplier else (last, value)


YEAR_WORDS = ("عام", "العام", "لعام", "سنة", "السنة", "لسنة")


@cache
def _months() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("months.tsv"))


def is_date(tokens: list[Token], q: Quantity) -> bool:
    """منذ 7 أكتوبر، أكتوبر 2023، عام 2014: a day of the month (a number before a month name
    or after منذ) or a year (after a month name or a word for year) is a date, not a figure."""
    before = tokens[q.first - 1].text if q.first > 0 else ""
    after = tokens[q.last + 1].text if q.last + 1 < len(tokens) else ""
    if before == "منذ" or after in _months():
        return True
    year_like = q.first == q.last and 1900 <= q.value <= 2100
    return year_like and (before in _months() or before in {normalize(w) for w in YEAR_WORDS})


def is_previous_value(tokens: list[Token], q: Quantity, starts: set[int]) -> bool:
    """ارتفع عدد القتلى من 645 إلى 3,402: the figure before a change, not what the count is
    (starts: the first tokens of the text's figures)."""
    if q.first == 0 or tokens[q.first - 1].text != "من" or q.last + 2 >= len(tokens):
        return False
    return tokens[q.last + 1].text in {normalize("إلى"), normalize("الى")} and q.last + 2 in starts
