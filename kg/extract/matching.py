"""Small helpers shared by the extractors: token phrases and sentence lookups."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from kg.extract.mentions import proclitic_readings
from kg.text import NormalizedText, Token


class Sentences:
    def __init__(self, norm: NormalizedText):
        self.bounds = norm.sentences()
        self._starts = [s for s, _ in self.bounds]

    def index_of(self, pos: int) -> int:
        """Index of the sentence containing normalized offset pos."""
        return max(bisect_right(self._starts, pos) - 1, 0)


def phrase_at(tokens: list[Token], i: int, words: tuple[str, ...], text: str) -> bool:
    """Whether the words stand at token i (the first one may carry proclitics)."""
    if i + len(words) > len(tokens):
        return False
    window = tokens[i : i + len(words)]
    if any(t.text != w for t, w in zip(window[1:], words[1:], strict=True)):
        return False
    if not any(form == words[0] for form, _ in proclitic_readings(window[0].text)):
        return False
    return not any(text[a.end : b.start].strip() for a, b in zip(window, window[1:], strict=False))


class PhraseTable:
    """Phrases looked up by their first word, longest first."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted(set(phrases), key=len, reverse=True):
            self.by_first.setdefault(words[0], []).append(words)

    def at(self, tokens: list[Token], i: int, text: str) -> tuple[str, ...] | None:
        """The longest phrase standing at token i, if any."""
        for form, _ in proclitic_readings(tokens[i].text):
            for words in self.by_first.get(form, ()):
                if phrase_at(tokens, i, words, text):
                    return words
        return None


def token_index_at(tokens: list[Token], pos: int) -> int:
    """Index of the first token that ends after normalized offset pos."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo
