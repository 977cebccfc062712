"""Persons the gazetteer does not know, named by a given name (lexicons/given_names.tsv) and at
least one more name: سامر صلاح الشافي، حمزة خريوش، محمد بن عبد الرحمن. The name runs on over
further given names and the particles (عبد، أبو، بن) and ends after its first family name (a
definite word, or a word that is not a given name before a definite one)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache, lru_cache

from kg.extract.context import Context
from kg.extract.lexicons import read_tsv, reporting_verbs
from kg.extract.mentions import Located, proclitic_readings
from kg.extract.model import Mention
from kg.text import normalize

MAX_WORDS = 5


@cache
def given_names() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("given_names.tsv"))


def named_persons(ctx: Context) -> list[Located]:
    """Every person named from a given name where no mention covers it."""
    taken = {j for loc in ctx.mentions for j in range(loc.first, loc.last + 1)}
    found = []
    i = 0
    while i < len(ctx.tokens) - 1:
        dropped = _given_name_reading(ctx, i)
        if i in taken or dropped is None:
            i += 1
            continue
        last = _name_end(ctx, i, taken)
        if last == i:
            i += 1
            continue
        found.append(same_as_longer_name(ctx, _person(ctx, i, last, dropped), [*ctx.mentions, *found]))
        i = last + 1
    return found


def same_as_longer_name(ctx: Context, person: Located, known: list[Located]) -> Located:
    """كي مون after بان كي مون: the last words of a person's name named earlier are that person."""
    words = [t.text for t in ctx.tokens[person.first : person.last + 1]]
    words[0] = words[0][len(person.prefix):]
    for loc in sorted(known, key=lambda k: k.first, reverse=True):
        actor = loc.mention.actor
        if loc.first >= person.first or actor.kind != "Person" or loc.last - loc.first + 1 <= len(words):
            continue
        if [t.text for t in ctx.tokens[loc.last - len(words) + 1 : loc.last + 1]] == words:
            return replace(person, mention=replace(person.mention, actor=actor))
    return person


def _given_name_reading(ctx: Context, i: int) -> int | None:
    """The characters of proclitics before a given name at token i (ومحمد, فأحمد), or None."""
    reading = _name_start_of(ctx.tokens[i].text)
    if reading is None:
        return None
    form, dropped = reading
    if form in ("عبد", "ابو") and not _definite_or_given(ctx, i + 1):
        return None  # عبد العزيز، أبو مصعب: only before a name
    return dropped


@lru_cache(maxsize=65536)
def _name_start_of(word: str) -> tuple[str, int] | None:
    """The given name (or عبد / أبو) a word starts a name with, and the proclitics before it."""
    names = given_names()
    for form, dropped in proclitic_readings(word):
        if word[:dropped] not in ("", "و", "ف"):
            continue  # لدينا is "we have", not لـ + دينا
        if form in names or form in ("عبد", "ابو"):
            return form, dropped
    return None


def _definite_or_given(ctx: Context, k: int) -> bool:
    from kg.extract.actors import is_name_word

    if k >= len(ctx.tokens) or ctx.gap(k - 1, k) or not is_name_word(ctx, k):
        return False
    word = ctx.tokens[k].text
    return word in given_names() or (word.startswith("ال") and not _common_noun(word))


def _common_noun(word: str) -> bool:
    from kg.extract.local_places import place_words

    return word in place_words()["not_a_name"]


def _name_end(ctx: Context, i: int, taken: set[int]) -> int:
    from kg.extract.actors import NAME_PARTICLES, is_name_word

    tokens, names = ctx.tokens, given_names()
    last = i + 1 if tokens[i].text.endswith(("عبد", "ابو")) else i  # عبد الكريم، أبو مصعب: one given name
    first_name = last
    while last + 1 < len(tokens) and last + 1 - i < MAX_WORDS:
        k = last + 1
        word = tokens[k].text
        if ctx.gap(last, k) or k in taken or not is_name_word(ctx, k) or word in reporting_verbs() \
                or (word[:1] in ("و", "ف") and word not in names):
            break
        if word in names or word in NAME_PARTICLES:
            last = k
            continue
        if word.startswith("ال"):
            if _common_noun(word):
                break  # أبو مصعب | الهجوم
            last = k
            if tokens[k - 1].text in NAME_PARTICLES:
                continue  # بن عبد الرحمن …
            break  # the family name: الشافي
        if k - 1 != first_name and tokens[k - 1].text not in NAME_PARTICLES:
            break  # نجوى خالد حمد | استشاري العيون: a second word that is not a name ends it
        last = k  # سامر صلاح الشافي، هاني شعبان نعيم، لطفي بن سوي
    while last > i and tokens[last].text in NAME_PARTICLES:
        last -= 1  # محمد بن | قال: a particle ends no name
    return last


def _person(ctx: Context, first: int, last: int, dropped: int) -> Located:
    from kg.extract.actors import new_actor

    tokens = ctx.tokens
    span = ctx.span(tokens[first].start + dropped, tokens[last].end)
    name = " ".join([tokens[first].text[dropped:], *(t.text for t in tokens[first + 1 : last + 1])])
    return Located(Mention(new_actor(name, span.text, "Person"), span), first, last, tokens[first].text[:dropped])
