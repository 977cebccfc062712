"""What every extractor reads: the article's normalized text, tokens, sentences, mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.gazetteer import Gazetteer
from kg.extract.matching import PhraseTable, Sentences, token_readings
from kg.extract.mentions import Located, locate_mentions
from kg.extract.model import Span
from kg.text import NormalizedText, Token, light_normalize


@dataclass
class Context:
    norm: NormalizedText
    tokens: list[Token]
    sentences: Sentences
    mentions: list[Located]
    gazetteer: Gazetteer
    memo: dict = field(default_factory=dict)  # per-article caches of the extractors

    @classmethod
    def build(cls, text: str, gazetteer: Gazetteer) -> Context:
        from kg.extract.actors import state_bodies
        from kg.extract.local_places import named_places
        from kg.extract.persons import named_persons

        norm = NormalizedText(text)
        tokens = norm.tokens()
        ctx = cls(norm, tokens, Sentences(norm), locate_mentions(norm, tokens, gazetteer), gazetteer)
        ctx.mentions = sorted([*ctx.mentions, *state_bodies(ctx)], key=lambda loc: loc.first)
        ctx.mentions = sorted([*ctx.mentions, *named_places(ctx)], key=lambda loc: loc.first)
        ctx.mentions = sorted([*ctx.mentions, *named_persons(ctx)], key=lambda loc: loc.first)
        return ctx

    def quantities(self) -> list:
        """The figures of the text (kg.extract.quantities), found once per article."""
        if "quantities" not in self.memo:
            from kg.extract.quantities import find_quantities

            self.memo["quantities"] = find_quantities(self.norm.text, self.tokens)
        return self.memo["quantities"]

    def with_mentions(self, more: list[Located]) -> Context:
        """This article's context with more mentions (the speakers the statements found),
        its caches that do not depend on the mentions kept."""
        known = {(loc.first, loc.last, loc.mention.actor.iri) for loc in self.mentions}
        added = [loc for loc in more if (loc.first, loc.last, loc.mention.actor.iri) not in known]
        if not added:
            return self
        kept = {k: v for k, v in self.memo.items() if isinstance(k, PhraseTable) or k in _MENTION_FREE}
        mentions = sorted([*self.mentions, *added], key=lambda loc: loc.first)
        return Context(self.norm, self.tokens, self.sentences, mentions, self.gazetteer, kept)

    def span(self, start: int, end: int) -> Span:
        """The original-text span of normalized [start, end)."""
        o_start, o_end = self.norm.to_original(start, end)
        return Span(o_start, o_end, self.norm.original[o_start:o_end])

    def gap(self, a: int, b: int) -> bool:
        """Whether anything but spaces separates tokens a and b (punctuation, a line break)."""
        between = self.norm.text[self.tokens[a].end : self.tokens[b].start]
        return bool(between.strip()) or "\n" in between

    def light(self, i: int) -> str:
        """Token i as written, lightly normalized: على (on) and علي (a name) stay apart."""
        token = self.tokens[i]
        return light_normalize(self.span(token.start, token.end).text)

    def original_offset(self, i: int) -> int:
        """The original offset where token i starts."""
        return self.norm.to_original(self.tokens[i].start, self.tokens[i].end)[0]

    def norm_offset(self, original: int) -> int:
        """The normalized offset of the first character at or after an original offset."""
        return self.norm.from_original(original)

    def sentence_of_token(self, i: int) -> tuple[int, int]:
        return self.sentences.bounds[self.sentences.index_of(self.tokens[i].start)]

    def same_sentence(self, i: int, j: int) -> bool:
        idx = self.sentences.index_of
        return idx(self.tokens[i].start) == idx(self.tokens[j].start)

    def phrases(self, table: PhraseTable) -> dict[int, tuple[str, ...]]:
        """The table's phrases in this text by token index (looked up once per article)."""
        if table not in self.memo:
            if "token readings" not in self.memo:
                self.memo["token readings"] = token_readings(self.tokens)
            self.memo[table] = table.positions(self.tokens, self.norm.text, self.memo["token readings"])
        return self.memo[table]

    def mention_at(self, i: int) -> Located | None:
        """The first mention that starts at token i (an index of the mentions, made again
        when the list is replaced)."""
        index = self.memo.get("mention starts")
        if index is None or index[0] is not self.mentions:
            starts: dict[int, Located] = {}
            for loc in self.mentions:
                starts.setdefault(loc.first, loc)
            index = self.memo["mention starts"] = (self.mentions, starts)
        return index[1].get(i)

    def mention_starting_in(self, first: int, last: int, *, places: bool = False) -> Located | None:
        """The first mention that starts at a token in [first, last]."""
        for loc in self.mentions:
            if first <= loc.first <= last and (places or loc.mention.actor.kind != "Place"):
                return loc
        return None


_MENTION_FREE = ("token readings", "quantities", "verbs")  # caches that do not depend on the mentions
