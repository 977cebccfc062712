"""Places the gazetteer does not know, named after a word for their kind (lexicons/place_kinds.tsv):
a village, camp, district or crossing (بلدة حارس، مخيم عسكر الجديد، قرية "عيتا الجبل") and a
hospital, school or airport (مستشفى جنين الحكومي). The mention spans the kind word and the name, so
that both "قرية الرشاد" and "الرشاد" name the place; the place has no GeoNames ID and no country
(none is guessed)."""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import quote

from kg.extract.context import Context
from kg.extract.lexicons import locative_cues, read_tsv
from kg.extract.mentions import Located, proclitic_readings
from kg.extract.model import Actor, Mention
from kg.namespaces import PLACE
from kg.text import QUOTE_MARKS, normalize

ROLES = ("settlement", "facility", "compound", "suffix", "not_a_name")
QUOTES = QUOTE_MARKS + "'"
MAX_QUOTED_WORDS = 4


@cache
def place_words() -> dict[str, frozenset[str]]:
    """lexicons/place_kinds.tsv by role, normalized."""
    words: dict[str, set[str]] = {role: set() for role in ROLES}
    for form, role in read_tsv("place_kinds.tsv"):
        words[role].add(normalize(form))
    return {role: frozenset(forms) for role, forms in words.items()}


def named_places(ctx: Context) -> list[Located]:
    """Every place named after a word for its kind, where no mention starts at that word."""
    from kg.extract.actors import is_function_word, is_head_word

    taken = {j for loc in ctx.mentions for j in range(loc.first, loc.last + 1)}
    found = []
    i = 0
    while i < len(ctx.tokens) - 1:
        reading = _kind_reading(ctx.tokens[i].text)
        if i in taken or reading is None:
            i += 1
            continue
        kind, dropped = reading
        before = ctx.tokens[i - 1].text if i > 0 and not ctx.gap(i - 1, i) else ""
        if is_head_word(before) and not before.startswith("ال"):
            i += 1  # سلطات إقليم الباسك: part of an institution's name (القوات بلدة …: not)
            continue
        located = _quoted(ctx, i, dropped, kind) or _named(ctx, i, dropped, kind, taken, is_function_word)
        if located is None:
            i += 1
            continue
        found.append(located)
        i = located.last + 1
    return found


@lru_cache(maxsize=65536)
def _kind_reading(word: str) -> tuple[str, int] | None:
    """The kind (settlement or facility) a word names a place of, and the proclitics before it."""
    kinds = place_words()
    for form, dropped in proclitic_readings(word):
        if dropped and len(form) < 3:
            continue  # وحي is a revelation before it is "and the district of"
        for kind in ("settlement", "facility"):
            if form in kinds[kind]:
                return kind, dropped
    return None


def _quoted(ctx: Context, i: int, dropped: int, kind: str) -> Located | None:
    """بلدة "عيتا الجبل": the name between quote marks right after the kind word."""
    tokens = ctx.tokens
    between = ctx.norm.text[tokens[i].end : tokens[i + 1].start]
    if between.strip() not in tuple(QUOTES) or "\n" in between:
        return None
    for last in range(i + 1, min(i + 1 + MAX_QUOTED_WORDS, len(tokens))):
        after = ctx.norm.text[tokens[last].end : tokens[last + 1].start] if last + 1 < len(tokens) else ""
        if after.strip()[:1] in QUOTES and after.strip():
            return _place(ctx, i, dropped, i + 1, last, kind)
        if after.strip():
            return None
    return None


def _named(ctx: Context, i: int, dropped: int, kind: str, taken: set[int], is_function_word) -> Located | None:
    tokens = ctx.tokens
    words = place_words()
    j = i + 1
    feminine = ctx.tokens[i].text.endswith("ه")
    if ctx.gap(i, j) or not _name_start(ctx, j, feminine, is_function_word):
        return None
    if j in taken:
        named = ctx.mention_at(j)
        if kind != "facility" or named is None or named.mention.actor.kind not in ("Place", "State"):
            return None  # مدينة غزة: the gazetteer's place
        last = named.last
    else:
        last = j
        while tokens[last].text in words["compound"] and last + 1 < len(tokens) and not ctx.gap(last, last + 1) \
                and last + 1 not in taken and not is_function_word(ctx, last + 1):
            last += 1  # بيت حانون، كرم أبو سالم
    while last + 1 < len(tokens) and not ctx.gap(last, last + 1) and last + 1 not in taken:
        nxt = tokens[last + 1].text
        adjective = kind == "facility" and nxt.startswith("ال") and nxt.endswith(("ي", "يه"))
        if nxt not in words["suffix"] and not adjective:
            break
        last += 1  # مخيم عسكر الجديد، مستشفى جنين الحكومي
    return _place(ctx, i, dropped, j, last, kind)


def _name_start(ctx: Context, j: int, feminine: bool, is_function_word) -> bool:
    word = ctx.tokens[j].text
    words = place_words()
    if is_function_word(ctx, j) or not word.isalpha() or len(word) < 2 or word in words["not_a_name"]:
        return False
    if _kind_reading(word) is not None:
        return False  # منطقة إقليم ناغورني: the second word is the kind
    if word in locative_cues()["part"]:
        return False  # بلدة جنوب …: where the place lies, not its name
    if word.startswith(("لل", "بال", "وال", "فال", "كال")):
        return False  # مخيم للمدنيين: a preposition, not a name
    if word.startswith(("و", "ف")) and word not in words["compound"]:
        return False
    if word.startswith("ال"):
        return True
    # an adjective agreeing with the kind word: منطقة حدودية، إقليم جبلي (but قرية داجني)
    return not word.endswith("ه") and (feminine or not word.endswith("ي"))


def _place(ctx: Context, i: int, dropped: int, first: int, last: int, kind: str) -> Located:
    tokens = ctx.tokens
    span = ctx.span(tokens[i].start + dropped, tokens[last].end)
    name_start = tokens[i].start + dropped if kind == "facility" else tokens[first].start
    label = ctx.span(name_start, tokens[last].end).text.strip(QUOTES + " ")
    key = normalize(label).replace(" ", "-")
    actor = Actor(iri=f"{PLACE}ar/{quote(key, safe='-')}", kind="Place", label_ar=" ".join(label.split()))
    return Located(Mention(actor, span), i, last, tokens[i].text[:dropped])
