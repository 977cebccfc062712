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


WORD_CACHE = 100_000  # words remembered per phrase table


class PhraseTable:
    """Phrases looked up by their first word, longest first."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted(set(phrases), key=len, reverse=True):
            self.by_first.setdefault(words[0], []).append(words)
        self._by_word: dict[str, tuple[tuple[str, ...], ...]] = {}

    def positions(self, tokens: list[Token], text: str,
                  readings: dict[str, list[int]] | None = None) -> dict[int, tuple[str, ...]]:
        """Every token index where a phrase stands, with the longest one there (extractors
        read it through Context.phrases, once per article). readings (every form a token
        reads as, through proclitics, to the tokens that read so) limits the tokens looked at
        to those where one of the table's first words stands."""
        if readings is None:
            where = range(len(tokens))
        else:
            where = sorted({i for first in self.by_first for i in readings.get(first, ())})
        found = {}
        for i in where:
            token = tokens[i]
            for words in self._candidates(token.text):
                if phrase_at(tokens, i, words, text):
                    found[i] = words
                    break
        return found

    def _candidates(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The phrases that may start at this word, longest first for each reading. Extractors
        ask every table about every token, and almost every answer is none: remembering it
        per word (a bounded cache: the vocabulary of a long build is large) saves most of
        their time."""
        found = self._by_word.get(word)
        if found is None:
            if len(self._by_word) >= WORD_CACHE:
                self._by_word.clear()
            found = tuple(words for form, _ in proclitic_readings(word) for words in self.by_first.get(form, ()))
            self._by_word[word] = found
        return found


def token_readings(tokens: list[Token]) -> dict[str, list[int]]:
    """Every form a token reads as through its proclitics, to the indices of those tokens."""
    found: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        for form, _ in proclitic_readings(token.text):
            found.setdefault(form, []).append(i)
    return found


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
