"""Gazetteer mentions: longest match over normalized words, seeing through proclitics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.gazetteer import Gazetteer, Name
from kg.extract.lexicons import locative_cues, state_body_heads, title_words
from kg.extract.model import Actor, Mention, Span
from kg.text import QUOTE_MARKS, NormalizedText, Token

# Conjunction, then preposition: وب، فل، ك … The article ال stays part of the name.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")


@lru_cache(maxsize=65536)
def proclitic_readings(word: str) -> tuple[tuple[str, int], ...]:
    """(form without proclitics, characters dropped) for every way to read the word,
    the bare word first. لل reads as ل + ال (للقوات → القوات), keeping the ل in the span."""
    readings = [(word, 0)]
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            prefix = conj + prep
            if not prefix or not word.startswith(prefix) or len(word) - len(prefix) < 2:
                continue
            rest = word[len(prefix) :]
            readings.append((rest, len(prefix)))
            if prep == "ل" and rest.startswith("ل"):
                readings.append(("ا" + rest, len(prefix) - 1))
    return tuple(readings)


@dataclass(frozen=True)
class Located:
    """A mention with the normalized tokens [first, last] it covers."""

    mention: Mention
    first: int
    last: int
    prefix: str = ""  # proclitics read off the first word (ل in للأمم المتحدة)


def find_mentions(norm: NormalizedText, gazetteer: Gazetteer) -> list[Mention]:
    return [loc.mention for loc in locate_mentions(norm, norm.tokens(), gazetteer)]


def locate_mentions(norm: NormalizedText, tokens: list[Token], gazetteer: Gazetteer) -> list[Located]:
    found_names: list[tuple[Located, Name]] = []
    i = 0
    while i < len(tokens):
        found = _longest_match(norm.text, tokens, i, gazetteer)
        if found is None:
            i += 1
            continue
        name, n_words, dropped, first_form = found
        if n_words == 1 and not dropped and _adjective_reading(norm.text, tokens, i):
            i += 1  # دعم مالي: "financial", not Mali
            continue
        if name.actor.kind == "GovernmentBody" and _after_title(norm.text, tokens, i):
            i += 1  # وزيرة الخارجية الفرنسية كاثرين كولونا: an office, not the ministry
            continue
        start = tokens[i].start + dropped
        end = tokens[i + n_words - 1].end
        o_start, o_end = norm.to_original(start, end)
        span = Span(o_start, o_end, norm.original[o_start:o_end])
        prefix = _prefix(tokens[i].text, first_form)
        if name.location is not None and (_locative(tokens, i, prefix, gazetteer)
                                          or _dateline(norm.text, tokens, i, n_words)):
            mention = Mention(name.location, span)
        else:
            mention = Mention(name.actor, span, name.metonym)
        found_names.append((Located(mention, i, i + n_words - 1, prefix), name))
        i += n_words
    return _resolve_shared_names(found_names)


def _state_body_head(word: str) -> bool:
    """جيش، لحكومة، شرطة: a state's body whose state is named right after it (جيش مالي)."""
    return any(form in state_body_heads() and not form.startswith("ال") for form, _ in proclitic_readings(word))


def state_or_its_place(actor: Actor) -> bool:
    """A state, or a place within one (غزة, not أوروبا in منظمة الأمن والتعاون في أوروبا)."""
    return actor.kind == "State" or (actor.kind == "Place" and actor.affiliation is not None)


def places_inside(norm: NormalizedText, tokens: list[Token], outer: Located, gazetteer: Gazetteer) -> list[Located]:
    """The state or place a longer name ends on, right after its head or after في (ليبيا in
    بعثة الأمم المتحدة في ليبيا، مالي in جيش مالي، غزة in وزارة الصحة في غزة): it is named too."""
    found = []
    i = outer.first + 1
    while i <= outer.last:
        match = _longest_match(norm.text, tokens[: outer.last + 1], i, gazetteer)
        if match is None or not state_or_its_place(match[0].actor) or match[0].candidates:
            i += 1
            continue
        name, n_words, dropped, first_form = match
        after_head = i == outer.first + 1 and name.actor.kind == "State" and _state_body_head(tokens[outer.first].text)
        if not (after_head or tokens[i - 1].text == "في") or i + n_words - 1 != outer.last:
            i += 1
            continue  # قوات سوريا الديمقراطية، حركة تحرير السودان: part of the group's own name
        o_start, o_end = norm.to_original(tokens[i].start + dropped, tokens[i + n_words - 1].end)
        span = Span(o_start, o_end, norm.original[o_start:o_end])
        found.append(Located(Mention(name.actor, span), i, i + n_words - 1, _prefix(tokens[i].text, first_form)))
        i += n_words
    return found


@lru_cache(maxsize=1)
def _adjective_names() -> frozenset[str]:
    from kg.extract.lexicons import read_tsv
    from kg.text import normalize

    return frozenset(normalize(row[0]) for row in read_tsv("adjective_names.tsv"))


def _adjective_reading(text: str, tokens: list[Token], i: int) -> bool:
    """Whether a name of lexicons/adjective_names.tsv at token i stands where an adjective can
    (after a word that is not a function word, a title, a head noun or a part of a place)."""
    if tokens[i].text not in _adjective_names():
        return False
    if i == 0 or text[tokens[i - 1].end : tokens[i].start].strip() or "\n" in text[tokens[i - 1].end : tokens[i].start]:
        return False
    from kg.extract.actors import function_words, is_head_word
    from kg.extract.lexicons import reporting_verbs

    before = tokens[i - 1].text
    verbs = reporting_verbs()
    if before in function_words() or before in title_words() or is_head_word(before) \
            or any(form in verbs for form, _ in proclitic_readings(before)):
        return False  # في مالي، رئيس مالي، وأعلنت مالي
    # جيش مالي، دولة مالي، شعب مالي: a state's body, the state itself or its people, named
    return before not in locative_cues()["part"] and not _state_body_head(before) \
        and before not in ("دوله", "جمهوريه", "شعب")


def _after_title(text: str, tokens: list[Token], i: int) -> bool:
    """Whether token i comes right after a one-word office (وزير، لوزيرة), nothing between."""
    if i == 0 or text[tokens[i - 1].end : tokens[i].start].strip():
        return False
    offices = title_words()
    return any(form in offices for form, _ in ((tokens[i - 1].text, 0), *proclitic_readings(tokens[i - 1].text)))


def _locative(tokens: list[Token], i: int, prefix: str, gazetteer: Gazetteer) -> bool:
    """Whether a capital's name at token i places something there (في طهران، بموسكو، العاصمة
    الإيرانية طهران، غرب بغداد) rather than standing for its state (قالت موسكو، دعوة باريس)."""
    if prefix.endswith("ب"):
        return True
    cues = locative_cues()
    before = [t.text for t in tokens[max(i - 2, 0) : i]]
    if before and any(before[-1] in cues[role] for role in ("in", "city", "part")):
        return True
    return len(before) == 2 and before[0] in cues["city"] and before[1] in gazetteer.demonyms


_DATELINE_MARKS = ("-", "–", "—", ":", "(")


def _dateline(text: str, tokens: list[Token], i: int, n_words: int) -> bool:
    """مقديشو- تشير التقارير …، موسكو (رويترز): a capital opening a line before a dash, a colon
    or the agency's name is where the report was filed, the city."""
    line_start = text.rfind("\n", 0, tokens[i].start) + 1
    after = text[tokens[i + n_words - 1].end :].lstrip(" ")
    return not text[line_start : tokens[i].start].strip() and after.startswith(_DATELINE_MARKS)


def _resolve_shared_names(found: list[tuple[Located, Name]]) -> list[Located]:
    """A name several places share reads as the one in a country the article names (a state,
    or the country of a place named without doubt); failing that, as its largest place when
    that one is DOMINANT times larger than any other; else it is left out, never guessed."""
    countries = {loc.mention.actor.iri for loc, _ in found if loc.mention.actor.kind == "State"}
    countries |= {loc.mention.actor.affiliation for loc, name in found
                  if loc.mention.actor.kind == "Place" and not name.candidates}
    resolved = []
    for loc, name in found:
        if name.candidates:
            inside = [place for place in name.candidates if place.affiliation in countries]
            place = inside[0] if len(inside) == 1 else name.candidates[0] if not inside and name.dominant else None
            if place is None:
                continue
            loc = replace(loc, mention=Mention(place, loc.mention.span))
        resolved.append(loc)
    return resolved


def _longest_match(text: str, tokens: list[Token], i: int, gazetteer: Gazetteer):
    readings = [(form, dropped) for form, dropped in proclitic_readings(tokens[i].text)
                if form in gazetteer.lengths]
    if not readings:
        return None
    lengths = sorted({n for form, _ in readings for n in gazetteer.lengths[form] if i + n <= len(tokens)},
                     reverse=True)
    for n in lengths:
        window = tokens[i : i + n]
        if not _adjacent(text, window):
            continue
        rest = tuple(t.text for t in window[1:])
        for first, dropped in readings:
            name = gazetteer.lookup((first, *rest))
            if name is not None and not (name.from_geonames and _through_fa_or_ka(tokens[i].text, dropped)):
                return name, n, dropped, first
    return None


def _through_fa_or_ka(word: str, dropped: int) -> bool:
    """Whether the proclitics dropped from the word include ف or ك (فريدة، فرانس، كبرى):
    a GeoNames city is far likelier a common word's end than a name after them."""
    return any(ch in "فك" for ch in word[:dropped])


def _prefix(word: str, form: str) -> str:
    """The proclitics in front of form in word (ل for للقوات read as القوات)."""
    if word.endswith(form):
        return word[: len(word) - len(form)]
    return word[: len(word) - len(form) + 1]  # لل + (ا)لقوات


# Quote marks a name may be written with inside it: حركة «الشباب»، جماعة "نصرة الإسلام والمسلمين".
NAME_QUOTES = " " + QUOTE_MARKS


def _adjacent(text: str, window: list[Token]) -> bool:
    """Words of one name are separated by spaces only, or a quote mark (حركة «الشباب»), not by
    other punctuation or a line break."""
    return all(text[a.end : b.start] in (" ", "") or (not text[a.end : b.start].strip(NAME_QUOTES)
               and text[a.end : b.start].count(" ") <= 2)
               for a, b in zip(window, window[1:], strict=False))
