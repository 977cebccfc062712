"""Arabic text layer: camel-tools normalization that keeps a map back to the original.

Every offset the rest of the pipeline reports is a Unicode code point offset into the
original, unmodified text. Normalization runs character by character so that each
normalized character remembers the original character it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

TATWEEL = "\u0640"
# Bidi marks, zero-width characters and the BOM carry no letters: they are dropped.
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_SPACES = set("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t")

ARABIC_LETTER = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff]")
# Letters and digits are separate tokens: و68 is the conjunction and a number.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_SENTENCE_END = re.compile(r"[.!?؟\n]+|[:;؛](?=\s*\n)")


@lru_cache(maxsize=1)
def _camel():
    """camel-tools' normalizers, imported when first used: building its character sets
    takes a third of a second, which commands that never read Arabic (kg query, kg serve)
    should not pay at start-up."""
    from camel_tools.utils import normalize
    from camel_tools.utils.dediac import dediac_ar

    return (normalize.normalize_unicode, dediac_ar, normalize.normalize_alef_ar,
            normalize.normalize_alef_maksura_ar, normalize.normalize_teh_marbuta_ar)


@lru_cache(maxsize=4096)
def normalize_char(ch: str) -> str:
    """The normalized form of one character (possibly empty or several characters)."""
    if ch in _INVISIBLE or ch == TATWEEL:
        return ""
    if ch in _SPACES:
        return " "
    unicode, dediac, alef, alef_maksura, teh_marbuta = _camel()
    out = dediac(unicode(ch)).replace(TATWEEL, "")
    return teh_marbuta(alef_maksura(alef(out)))


def light_normalize(text: str) -> str:
    """Diacritics, tatweel and alef forms folded, but ى and ي kept apart: على (on) is not
    the name علي."""
    _, dediac, alef, _, _ = _camel()
    return alef(dediac(text).replace(TATWEEL, ""))


def normalize(text: str) -> str:
    """Normalize a string the same way article text is normalized (for lexicon entries)."""
    return "".join(normalize_char(ch) for ch in text)


@dataclass(frozen=True)
class Token:
    start: int  # offsets into the normalized text
    end: int
    text: str


class NormalizedText:
    """The normalized form of an original text plus a map from each normalized
    character back to the original character it came from."""

    def __init__(self, original: str):
        self.original = original
        forms = list(map(normalize_char, original))
        self.text = "".join(forms)
        self._origin = [i for i, form in enumerate(forms) for _ in form]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalized span [start, end).

        The end is extended over characters that normalization removed right after the
        span (diacritics, tatweel), so that a word keeps its final vowel marks."""
        if start >= end:
            raise ValueError(f"empty span {start}:{end}")
        o_start = self._origin[start]
        o_end = self._origin[end - 1] + 1
        limit = self._origin[end] if end < len(self._origin) else len(self.original)
        while o_end < limit and normalize_char(self.original[o_end]) == "":
            if self.original[o_end] in _INVISIBLE:
                break
            o_end += 1
        return o_start, o_end

    def from_original(self, offset: int) -> int:
        """The first normalized character that comes from original offset or later."""
        return bisect_left(self._origin, offset)

    def tokens(self) -> list[Token]:
        return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text)]

    def sentences(self) -> list[tuple[int, int]]:
        """Sentence boundaries as normalized [start, end) pairs, stripped of spaces."""
        spans = []
        pos = 0
        for m in _SENTENCE_END.finditer(self.text):
            spans.append((pos, m.end()))
            pos = m.end()
        spans.append((pos, len(self.text)))
        out = []
        for s, e in spans:
            while s < e and self.text[s].isspace():
                s += 1
            while e > s and self.text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
        return out


@lru_cache(maxsize=1)
def _hsb():
    from camel_tools.utils.charmap import CharMapper

    return CharMapper.builtin_mapper("ar2hsb")


def romanize(text: str) -> str:
    """Habash-Soudi-Buckwalter transliteration (camel-tools), for readers without Arabic:
    قوات الدعم السريع → qwAt Aldςm Alsryς."""
    return _hsb()(_camel()[1](text).replace(TATWEEL, ""))


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER.search(text) is not None


# Quotation marks as Arabic news writes them: straight, guillemets, curly.
OPENING_QUOTES = "«“\""
CLOSING_QUOTES = "»”\""
QUOTE_MARKS = "\"«»“”"
QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"'}

_NUMBER = re.compile(r"(?<![\d.,٫٬])\d{1,3}(?:[,٬]\d{3})+(?![\d])"
                     r"|(?<![\d.,٫٬])(?<!\d[ \u00a0\u202f])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,٫٬])"
                     r"|(?<![\d.,٫٬])\d{1,3}(?:\.\d{3})+(?![\d.,٫٬])(?!\s*(?:مليون|ملايين|مليار|الف|ألف|آلاف|الاف))"
                     r"|(?<![\d.,٫٬])\d+[.,٫](?P<fraction>\d{1,2})(?=\s*(?:مليون|ملايين)(?![\u0621-\u064a]))"
                     r"|(?<![\d.,٫٬])\d+(?![\d]|[.,٫٬]\d)")


@dataclass(frozen=True)
class Number:
    start: int  # offsets into the normalized text
    end: int
    value: int
    scale: int = 1  # 2.8 مليون: the digits 28 at scale 10, for the multiplier after them to multiply


def numbers(text: str) -> list[Number]:
    """Whole numbers written in ASCII or Arabic-Indic digits, with thousands separators
    (68,280 / ٦٨٬٢٨٠, 270 000 with a space, and 44.664 — a dot before groups of three digits, as many Arabic
    outlets write thousands, unless a multiplier follows: 1.500 مليون is a decimal).
    Decimals (3.5) are not counts and are left out, except before مليون (2.8 مليون،
    1,8 مليون: 2.8 and 1.8 million), where they come with their scale."""
    out = []
    for m in _NUMBER.finditer(text):
        digits = "".join(str(int(ch)) for ch in m.group() if ch.isdigit())
        fraction = m.group("fraction")
        out.append(Number(m.start(), m.end(), int(digits), 10 ** len(fraction) if fraction else 1))
    return out


def token_texts(text: str) -> tuple[str, ...]:
    """The texts of NormalizedText(text).tokens(), without the offsets."""
    return tuple(_WORD.findall(normalize(text)))
