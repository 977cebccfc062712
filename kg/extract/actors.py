"""Actors that the gazetteer does not know: institutions built from a head noun
(وزارة الصحة السودانية، قوات الدعم السريع، المسلحون الأرمن), persons named after a title
(وزير الخارجية السوداني علي الصادق), and a bare definite head that refers back to the
last actor named with it (الوزارة → وزارة الدفاع الأذربيجانية).

Each new actor gets a global IRI from its normalized Arabic name, so the same name in
another article is the same actor.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from urllib.parse import quote

from kg.extract.context import Context
from kg.extract.dates import time_words
from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicons import (
    Words,
    casualty_terms,
    lexicon_roles,
    read_tsv,
    state_body_heads,
    statement_words,
    title_words,
    titles,
    words_of,
)
from kg.extract.mentions import Located, proclitic_readings
from kg.extract.model import Actor, Mention, Span
from kg.namespaces import ACTOR
from kg.text import CLOSING_QUOTES, OPENING_QUOTES, light_normalize, normalize

MAX_MODIFIERS = 3
MAX_NAME_WORDS = 4


@cache
def actor_heads() -> dict[Words, str]:
    return {words_of(row[0]): row[1] for row in read_tsv("actor_heads.tsv")}


@cache
def heads_named_alone() -> frozenset[Words]:
    """Definite heads that name an actor by themselves when no earlier actor has that head
    (أعلنت الشرطة: the police), column 3 `alone` of lexicons/actor_heads.tsv."""
    return frozenset(words_of(row[0]) for row in read_tsv("actor_heads.tsv") if row[2:3] == ["alone"])


def anonymous(actor: Actor) -> bool:
    """An unnamed source outside the gazetteer (مصدر حكومي، شهود عيان): column 3 `anonymous`
    of lexicons/actor_heads.tsv."""
    words = normalize(actor.label_ar or "").split()
    return actor.iri.startswith(f"{ACTOR}ar/") and bool(words) and words[0] in _anonymous_heads()


@cache
def _anonymous_heads() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("actor_heads.tsv") if row[2:3] == ["anonymous"])


def is_head_word(word: str) -> bool:
    """Whether the word starts the name of an institution (صحيفة، وزارة، حركة)."""
    return word in _head_firsts()


@cache
def _head_firsts() -> frozenset[str]:
    return frozenset(head[0] for head in actor_heads())


@cache
def function_words() -> frozenset[str]:
    """In light normalization: على and علي stay apart."""
    return frozenset(light_normalize(row[0]) for row in read_tsv("function_words.tsv"))


def is_function_word(ctx: Context, i: int) -> bool:
    return ctx.light(i) in function_words()


def new_actor(name: str, surface: str, kind: str, role: str | None = None) -> Actor:
    """An actor outside the gazetteer: its IRI comes from the normalized Arabic name (so
    every spelling folds to one actor), its label is the text as written."""
    slug = quote(name.replace(" ", "-"), safe="-")
    return Actor(iri=f"{ACTOR}ar/{slug}", kind=kind, label_ar=" ".join(surface.split()), role=role)


def actor_at(ctx: Context, i: int, known: list[Located]) -> Located | None:
    """A gazetteer mention, titled person or institution starting at token i."""
    if i >= len(ctx.tokens):
        return None
    return (
        ctx.mention_at(i)
        or titled_person(ctx, i)
        or institution(ctx, i, known)
        or titled_reference(ctx, i, known)
        or surname_reference(ctx, i, known)
    )


def surname_reference(ctx: Context, i: int, known: list[Located]) -> Located | None:
    """غروندبرغ after هانس غروندبرغ: a person's last name alone refers back to them."""
    word = ctx.tokens[i].text
    for loc in reversed(known):
        actor = loc.mention.actor
        if loc.first < i and actor.kind == "Person" and loc.last > loc.first and ctx.tokens[loc.last].text == word:
            return Located(Mention(actor, ctx.span(ctx.tokens[i].start, ctx.tokens[i].end)), i, i)
    return None


def titled_reference(ctx: Context, i: int, known: list[Located]) -> Located | None:
    """الوزير الأميركي / الأمين العام / رئيس الوزراء القطري with no name: the last person named
    with that title."""
    end = _title_end(ctx, i)
    if end is None:
        return None
    title = [t.text for t in ctx.tokens[i:end]]
    if not title[0].startswith("ال") and not (len(title) > 1 and title[1].startswith("ال")):
        return None  # وزير: a minister, not the one named before; وزير الخارجية is
    last = end - 1
    while _definite_next(ctx, last):
        last += 1  # الوزير الأميركي
    wanted = [w.removeprefix("ال") for w in title]  # رئيس الوزراء is رئيس وزراء قطر
    office = office_end(ctx, i)
    if office is not None and office[0] - 1 > last:  # المتحدث باسم وزارة الخارجية الفرنسية: that whole office
        wanted = [t.text.removeprefix("ال") for t in ctx.tokens[i : office[0]]]
    state = _office_state(ctx, i, last)
    for loc in reversed(known):
        actor = loc.mention.actor
        if not actor.role or loc.first >= i or actor.kind != "Person":
            continue
        if state and actor.affiliation and actor.affiliation != state:
            continue  # الوزير الأميركي is not the Russian minister named before
        words = list(words_of(actor.role))
        if [w.removeprefix("ال") for w in words[: len(wanted)]] == wanted:
            span = ctx.span(ctx.tokens[i].start, ctx.tokens[last].end)
            return Located(Mention(loc.mention.actor, span), i, last)
    return None


def _definite_next(ctx: Context, last: int) -> bool:
    nxt = last + 1
    return (
        nxt < len(ctx.tokens)
        and not ctx.gap(last, nxt)
        and ctx.tokens[nxt].text.startswith("ال")
        and not is_function_word(ctx, nxt)
    )


def institution(ctx: Context, i: int, known: list[Located]) -> Located | None:
    """An institution or group named from its head noun at token i; the head may carry
    the proclitics written onto it (لوزارة الصحة after وفقا، بوزارة)."""
    tokens = ctx.tokens
    readings = [(form, dropped) for form, dropped in proclitic_readings(tokens[i].text) if form in _head_firsts()]
    for first_word, dropped in readings:
        for head, kind in sorted(actor_heads().items(), key=lambda h: len(h[0]), reverse=True):
            n = len(head)
            if head[0] != first_word or tuple(t.text for t in tokens[i + 1 : i + n]) != head[1:] \
                    or _gaps(ctx, i, i + n - 1):
                continue
            head_last = i + n - 1
            quoted = None if head[0].startswith("ال") else _quoted_name_end(ctx, head_last)
            if quoted is not None:
                known = _known_with_head(ctx, i, head_last, quoted, dropped, first_word)
                return known or _located(ctx, head_last + 1, quoted, kind)  # صحيفة «صنداي تايمز»: the name in the marks
            last = _name_continues(ctx, head_last, definite=head[0].startswith("ال"))
            if last == head_last:
                if dropped:
                    return None  # a bare head after a proclitic: too weak to refer back
                # a definite head alone (الوزارة) refers back; an indefinite one names nothing,
                # unless it is an unnamed source (أكد مسؤولون يوم الخميس، قال شهود إن)
                if not head[0].startswith("ال"):
                    return _located(ctx, i, head_last, kind) if head[0] in _anonymous_heads() else None
                earlier = _refer_back(ctx, i, head, known)
                if earlier is None and head in heads_named_alone():
                    return _located(ctx, i, head_last, kind)
                return earlier
            if head[0].startswith("ال") and _described_only(ctx, head_last, last):
                earlier = _refer_back(ctx, i, head, known)  # الشبكة الطبية المستقلة: the network named before
                if earlier is not None:
                    span = ctx.span(ctx.tokens[i].start + dropped, ctx.tokens[last].end)
                    return Located(Mention(earlier.mention.actor, span), i, last, ctx.tokens[i].text[:dropped])
            located = _located(ctx, i, last, kind, dropped, first_word)
            return _shortened_name(ctx, located, known) or located
    return None


def _described_only(ctx: Context, head_last: int, last: int) -> bool:
    """Whether what follows a definite head only describes it (الطبية المستقلة), naming no
    state (السودانية) and nothing the gazetteer knows."""
    words = [t.text for t in ctx.tokens[head_last + 1 : last + 1]]
    describing = all(w.startswith("ال") and _adjective(w) and w not in ctx.gazetteer.demonyms for w in words)
    return bool(words) and describing and not any(ctx.mention_at(k) for k in range(head_last + 1, last + 1))


def _shortened_name(ctx: Context, located: Located, known: list[Located]) -> Located | None:
    """وزارة الصحة after وزارة الصحة السودانية (or وزارة الصحة في غزة): a name that leaves out
    the state or place an earlier name gave it is that earlier actor."""
    if located.mention.actor.affiliation or located.last == located.first:
        return None
    words = _words_of(ctx, located)
    if words[0] in _anonymous_heads():
        return None
    for loc in reversed(known):
        if loc.last >= located.first or loc.last - loc.first + 1 <= len(words):
            continue  # not before it, or not longer
        earlier = _words_of(ctx, loc)
        if earlier[: len(words)] == words and _names_a_state(ctx, earlier[len(words):]):
            return Located(Mention(loc.mention.actor, located.mention.span), located.first, located.last,
                           located.prefix)
    return None


def _words_of(ctx: Context, loc: Located) -> list[str]:
    """The normalized words of a mention, without the proclitics written on its first word."""
    words = [t.text for t in ctx.tokens[loc.first : loc.last + 1]]
    words[0] = words[0][len(loc.prefix):] if loc.prefix and words[0].startswith(loc.prefix) else words[0]
    return words


def _names_a_state(ctx: Context, words: list[str]) -> bool:
    """السودانية، في غزة، بأرمينيا: what an institution's name adds to say whose it is."""
    if len(words) == 1 and words[0] in ctx.gazetteer.demonyms:
        return True
    if words[:1] == ["في"]:
        words = words[1:]
    if not words:
        return False
    first = words[0]
    forms = (first, first[1:]) if first.startswith("ب") and len(first) > 2 else (first,)
    named = (ctx.gazetteer.lookup((form, *words[1:])) for form in forms)
    return any(n is not None and n.actor.kind in ("State", "Place") for n in named)


def _known_with_head(ctx: Context, i: int, head_last: int, quoted: int, dropped: int, first_word: str
                     ) -> Located | None:
    """حركة "الشباب"، جماعة "الحوثي": the head and the name in marks, or the name alone, as
    the gazetteer knows it (a group, not a person, place or state)."""
    words = tuple(t.text for t in ctx.tokens[head_last + 1 : quoted + 1])
    head = (first_word, *(t.text for t in ctx.tokens[i + 1 : head_last + 1]))
    for name, first in ((ctx.gazetteer.lookup(head + words), i), (ctx.gazetteer.lookup(words), head_last + 1)):
        if name is not None and name.actor.kind not in ("Person", "Place", "State"):
            start = ctx.tokens[first].start + (dropped if first == i else 0)
            prefix = ctx.tokens[i].text[:dropped] if first == i else ""
            return Located(Mention(name.actor, ctx.span(start, ctx.tokens[quoted].end)), first, quoted, prefix)
    return None


QUOTED_NAME_WORDS = 5


def _quoted_name_end(ctx: Context, head_last: int) -> int | None:
    """The last word of a name in quotation marks right after an indefinite head (صحيفة
    «صنداي تايمز»، حركة "الشباب"), if the marks close within a few words."""
    tokens, text = ctx.tokens, ctx.norm.text
    if head_last + 1 >= len(tokens):
        return None
    mark = text[tokens[head_last].end : tokens[head_last + 1].start].strip()
    if not mark or mark not in OPENING_QUOTES:
        return None
    for k in range(head_last + 1, min(head_last + 1 + QUOTED_NAME_WORDS, len(tokens))):
        after = text[tokens[k].end : tokens[k + 1].start] if k + 1 < len(tokens) else text[tokens[k].end :]
        if after.strip()[:1] in CLOSING_QUOTES and after.strip():
            return k
        if after.strip():
            return None
    return None


def _name_continues(ctx: Context, last: int, definite: bool) -> int:
    """The last token of an institution's name that runs on from token last: its
    complement (الصحة، أطباء، الأمم المتحدة), adjectives (السودانية), ل- complements
    (للهجرة، لحقوق الإنسان), coordinated nouns (والطوارئ), بلا حدود, في + a state (بعثة الأمم
    المتحدة في ليبيا), and a place with ب written on it (وزارة الصحة بغزة)."""
    tokens = ctx.tokens
    first_after_head = last + 1
    steps = 0
    construct = False  # an indefinite head took a complement: وزارة الصحة، حركة الشباب
    named_once = False
    while last + 1 < len(tokens) and steps < MAX_MODIFIERS + 2 and not ctx.gap(last, last + 1):
        j = last + 1
        word = tokens[j].text
        named = ctx.mention_at(j)
        if word in time_words():
            break  # أكد مسؤولون | يوم الخميس
        if word.startswith("ال") and word in title_words() and titled_person(ctx, j) is not None:
            break  # المتحدث باسم الجيش | الكولونيل عظيم أغونا: the body, then its officer's rank and name
        if named is not None and named.mention.actor.kind == "MediaOrganization" and "ل" in named.prefix:
            break  # مصدر مطلع | لوكالة رويترز: the outlet the source spoke to, not part of its name
        if named is not None and named.mention.actor.kind not in ("Person", "Place") and not named.prefix.strip("ل"):
            if named_once:
                break  # حكومة الكونغو الديمقراطية | رواندا
            last, definite, named_once = named.last, True, True  # شبكة أطباء السودان، بعثة الأمم المتحدة
        elif named is not None and named.mention.actor.kind in ("Place", "State") and named.prefix == "ب":
            return named.last  # وزارة الصحة بغزة، وزارة الدفاع بأرمينيا
        elif named is not None and named.mention.actor.kind == "Place" and not named.prefix \
                and j == first_after_head and not definite:
            last, definite, named_once = named.last, True, True  # شرطة ولاية بورنو، سلطات إقليم تيغراي
        elif word in ("بلا", "بدون") and j + 1 < len(tokens) and not ctx.gap(j, j + 1):
            last = j + 1  # منظمة أطباء بلا حدود
        elif word == "من" and tokens[last].text in _CLOSE_TO and j + 1 < len(tokens) and not ctx.gap(j, j + 1) \
                and (ctx.mention_at(j + 1) is not None or tokens[j + 1].text.startswith("ال")):
            close = ctx.mention_at(j + 1)
            return close.last if close is not None else j + 1  # مصدر مقرب من المحادثات / من حماس
        elif word == "في" and j + 1 < len(tokens) and tokens[first_after_head - 1].text in _anonymous_heads() \
                and (body := _body_at(ctx, j + 1)) is not None:
            return body.last  # مصدر في الخارجية الجزائرية، مسؤول في الشرطة: whose source
        elif word.startswith("ب") and tokens[first_after_head - 1].text in _anonymous_heads() \
                and (body := _body_at(ctx, j)) is not None and body.prefix == "ب":
            return body.last  # مصدر بالجيش السوداني، مصادر بحكومة جنوب السودان
        elif word == "في" and j + 1 < len(tokens):
            place = ctx.mention_at(j + 1)
            if place is None or place.mention.actor.kind != "State":
                break  # في + a city is where the body acted as often as part of its name
            if tokens[first_after_head - 1].text.startswith("ال") and not construct:
                break  # الشرطة | في نيجيريا، التلفزيون الرسمي | في النيجر: the body, and where it is
            return place.last  # بعثة الأمم المتحدة للدعم في ليبيا
        elif _complement_with_li(ctx, j) or (definite and word.startswith("وال")):
            last = j
        elif construct and word.startswith("ال") and not _adjective(word) and tokens[last].text.startswith("ال"):
            break  # حركة الشباب | الهجوم: after a definite complement only adjectives continue
        elif _modifier(ctx, j, genitive=not definite and (j == first_after_head or _indefinite_chain(ctx, j, last)),
                       definite=definite):
            construct = construct or (j == first_after_head and not definite)
            last, definite = j, definite or word.startswith("ال")
        else:
            break
        steps += 1
    return last


def _body_at(ctx: Context, j: int) -> Located | None:
    """A body (not a place or a person) named at token j, by the gazetteer or from its head."""
    named = ctx.mention_at(j) or institution(ctx, j, [])
    if named is None or named.mention.actor.kind in ("Place", "Person", "State"):
        return None
    return named


def _indefinite_chain(ctx: Context, j: int, last: int) -> bool:
    """مركز عمليات طوارئ الصحة: a chain of indefinite nouns in construct continues when it
    ends on a definite word within two words."""
    tokens = ctx.tokens
    return j == last + 1 and any(
        k < len(tokens) and not _gaps(ctx, j, k) and tokens[k].text.startswith("ال") and not is_function_word(ctx, k)
        for k in (j + 1, j + 2))


_CLOSE_TO = ("مقرب", "مقربه", "مقربين", "مقربون", "قريب", "قريبه")  # مصادر مقربة من …


@cache
def name_adjectives() -> frozenset[str]:
    return frozenset(words_of(row[0])[0] for row in read_tsv("name_adjectives.tsv"))


def _adjective(word: str) -> bool:
    return word.endswith(("ي", "يه", "يين", "يون")) or word in name_adjectives()


def state_bodies(ctx: Context) -> list[Located]:
    """Armies, governments and police named with a state's adjective anywhere in the text
    (الجيش الروسي، للحكومة الصومالية), and the security forces (قوات الأمن), beyond the
    gazetteer: they are the sides of a war."""
    taken = {j for loc in ctx.mentions for j in range(loc.first, loc.last + 1)}
    found = []
    i = 0
    while i < len(ctx.tokens):
        head = next((f for f, _ in proclitic_readings(ctx.tokens[i].text) if f in state_body_heads()), None)
        if head is None or i in taken:
            i += 1
            continue
        construct = _state_after_head(ctx, i, head)
        if construct is not None:
            found.append(construct)
            i = construct.last + 1
            continue
        last = _name_continues(ctx, i, definite=head.startswith("ال"))
        state = _state_of(ctx, i, last)
        security = head == "قوات" and [t.text for t in ctx.tokens[i + 1 : last + 1]][:1] == ["الامن"]
        if (state is None and not security) or any(j in taken for j in range(i, last + 1)):
            i += 1
            continue
        prefix = ctx.tokens[i].text[: len(ctx.tokens[i].text) - len(head)]
        start = ctx.tokens[i].start + len(prefix)
        span = ctx.span(start, ctx.tokens[last].end)
        name = " ".join([head, *(t.text for t in ctx.tokens[i + 1 : last + 1])])
        actor = replace(new_actor(name, span.text, state_body_heads()[head]), affiliation=state)
        if last == i + 1:  # الجيش الإسرائيلي / القوات الإسرائيلية: one actor, the state's
            actor = _canonical_body(actor, head, ctx.gazetteer.actor_by_iri(state), ctx.gazetteer)
        found.append(Located(Mention(actor, span), i, last, prefix))
        i = last + 1
    return found


_CANONICAL = {
    "ArmedForces": ("armed-forces", "Armed forces of {}"),
    "GovernmentBody": ("government", "Government of {}"),
}


# The names under which the gazetteer may know a state's one army or government.
_GAZETTEER_HEADS = {"ArmedForces": (("الجيش",), ("القوات", "المسلحه")), "GovernmentBody": (("الحكومه",),)}


def _state_after_head(ctx: Context, i: int, head: str) -> Located | None:
    """حكومة إثيوبيا، لجيش السودان: an indefinite head and the name of a state right after it
    name that state's body (the state stays named on its own too)."""
    if head.startswith("ال") or i + 1 >= len(ctx.tokens) or ctx.gap(i, i + 1):
        return None
    named = ctx.mention_at(i + 1)
    if named is None or named.prefix or named.mention.actor.kind != "State":
        return None
    after = named.last + 1
    if after < len(ctx.tokens) and not ctx.gap(named.last, after) and _modifier(ctx, after, genitive=False,
                                                                                  definite=True):
        return None  # جيش لبنان الجنوبي: a name of its own, not the state's army
    prefix = ctx.tokens[i].text[: len(ctx.tokens[i].text) - len(head)]
    span = ctx.span(ctx.tokens[i].start + len(prefix), ctx.tokens[named.last].end)
    state = named.mention.actor
    actor = replace(new_actor(f"{head} {state.label_ar or ''}".strip(), span.text, state_body_heads()[head]),
                    affiliation=state.iri)
    return Located(Mention(_canonical_body(actor, head, state, ctx.gazetteer), span), i, named.last, prefix)


def _canonical_body(actor: Actor, head: str, state: Actor | None, gazetteer: Gazetteer) -> Actor:
    """An army or government named only by the state's adjective is that state's one army
    or government, whatever the head (الجيش، القوات، الحكومة، السلطات): the gazetteer's when
    it knows it (القوات السودانية is its الجيش السوداني), else one made for the state."""
    if state is None or head in ("الرئاسه",):
        return actor
    for words in _GAZETTEER_HEADS[actor.kind]:
        for adjective in gazetteer.demonyms_of.get(state.iri, ()):
            named = gazetteer.lookup((*words, adjective))
            if named is not None and named.actor.kind == actor.kind:
                return named.actor
    path, english = _CANONICAL[actor.kind]
    slug = state.iri.rsplit("/", 1)[-1]
    label = english.format(state.label_en) if state.label_en else None
    return replace(actor, iri=f"{ACTOR}{path}/{slug}", label_en=label)


TOLD_TO = ("لوكاله", "لصحيفه", "لقناه", "لموقع", "لاذاعه", "لتلفزيون")  # قال … لوكالة رويترز: the outlet told


def _complement_with_li(ctx: Context, j: int) -> bool:
    """للهجرة، لحقوق الإنسان، للدعم: a ل complement inside a name; not a news agency or
    outlet the words were told to (قال شهود عيان لوكالة الأنباء الألمانية، لرويترز)."""
    word = ctx.tokens[j].text
    told = ctx.mention_at(j)
    if told is not None and told.mention.actor.kind == "MediaOrganization":
        return False
    if word.startswith(TOLD_TO):
        return False
    if word.startswith("لل") and len(word) > 3:
        return True
    nxt = j + 1
    return (word.startswith("ل") and len(word) > 3 and nxt < len(ctx.tokens) and not ctx.gap(j, nxt)
            and ctx.tokens[nxt].text.startswith("ال") and not is_function_word(ctx, nxt))


def office_end(ctx: Context, i: int) -> tuple[int, bool] | None:
    """The token after the office that starts at token i (a title and what it is of:
    وزير الخارجية السوداني، المبعوث الأممي إلى اليمن، الأمين العام للأمم المتحدة), and whether
    it ended on a name; None when no title starts there."""
    tokens = ctx.tokens
    j = _title_end(ctx, i)
    if j is None:
        return None
    first, definite = True, any(t.text.startswith("ال") for t in tokens[i:j])
    after_name = False  # the office ended on a name (الأمين العام للأمم المتحدة | بان غي مون)
    for _ in range(MAX_MODIFIERS + 1):  # the office: الخارجية السوداني، باسم الجيش، أرمينيا
        if j >= len(tokens) or ctx.gap(j - 1, j):
            break
        named = ctx.mention_at(j)
        if named is None and tokens[j - 1].text == "باسم":
            named = institution(ctx, j, [])  # المتحدث باسم وزارة الداخلية | خالد عبد الستار
        after_prep = None
        if tokens[j].text in ("الي", "في", "لدي") and j + 1 < len(tokens):
            # المبعوث الأممي إلى اليمن، المسؤول في الشرطة: the office names a place or a body
            after_prep = ctx.mention_at(j + 1) or institution(ctx, j + 1, [])
        if named is not None and named.mention.actor.kind != "Person":
            j, first, after_name = named.last + 1, False, True
        elif after_prep is not None and after_prep.mention.actor.kind != "Person":
            j, first, after_name = after_prep.last + 1, False, True
        elif _modifier(ctx, j, genitive=first, definite=definite):
            definite = definite or tokens[j].text.startswith("ال")
            # الرئيس الكولومبي | خوان مانويل سانتوس: a state's adjective ends the office as a name does
            j, first, after_name = j + 1, False, tokens[j].text in ctx.gazetteer.demonyms
        else:
            break
    return j, after_name


def unnamed_office_holder(ctx: Context, i: int) -> Located | None:
    """وزير خارجية تايلاند، مدير المستشفى، الممثل الخاص للأمم المتحدة with no name after: the
    person who holds the office, named by it (and of the state it names)."""
    office = office_end(ctx, i)
    if office is None:
        return None
    last = office[0] - 1
    if any(i <= loc.first <= last and loc.mention.actor.kind == "MediaOrganization" for loc in ctx.mentions):
        return None  # مراسل لوكالة الصحافة الفرنسية: the agency reports
    span = ctx.span(ctx.tokens[i].start, ctx.tokens[last].end)
    name = " ".join(t.text for t in ctx.tokens[i : last + 1])
    actor = replace(new_actor(name, span.text, "Person", role=span.text), affiliation=_office_state(ctx, i, last))
    return Located(Mention(actor, span), i, last)


def titled_person(ctx: Context, i: int) -> Located | None:
    """وزير الخارجية السوداني علي الصادق / نائب رئيس وزراء أرمينيا، تيغران أفينيان /
    المبعوث الأممي إلى اليمن هانس غروندبرغ"""
    tokens = ctx.tokens
    office = office_end(ctx, i)
    if office is None:
        return None
    j, after_name = office
    if j >= len(tokens):
        return None
    named = ctx.mention_at(j)  # a known name, even one that reads as a word (بان كي مون)
    if named is None and (tokens[j].text.startswith("ال") or not is_name_word(ctx, j)):
        return None
    role = ctx.span(tokens[i].start, tokens[j - 1].end).text
    state = _office_state(ctx, i, j - 1)
    if named is not None:
        if named.mention.actor.kind != "Person":
            return None
        actor = replace(named.mention.actor, role=role, affiliation=named.mention.actor.affiliation or state)
        return Located(Mention(actor, _with_rank(ctx, i, j, named.mention.span)), named.first, named.last)
    name_first, name_last = _person_name(ctx, j, after_name or j == i + 1)  # اللواء حسن محمود رشاد: all three
    if name_last - name_first + 1 < 2:
        return None
    if ctx.gap(j - 1, j) and any(t.text.startswith("ال") for t in tokens[j : name_last + 1]):
        return None  # رئيس منتدى آسيان، | وقف إطلاق النار يوم …: after a comma, words that are no name
    name = " ".join(t.text for t in tokens[name_first : name_last + 1])
    span = ctx.span(tokens[name_first].start, tokens[name_last].end)
    if name_first > j:
        role = ctx.span(tokens[i].start, tokens[name_first - 1].end).text
    actor = replace(new_actor(name, span.text, "Person", role=role), affiliation=state)
    span = _with_rank(ctx, i, j, span) if name_first == j else span
    return Located(Mention(actor, span), name_first, name_last)


def _with_rank(ctx: Context, i: int, j: int, span: Span) -> Span:
    """العميد عبد الكريم الجبوري: a one-word rank or title right before the name names the
    person too, so the mention covers it (the name stays the label)."""
    if j != i + 1 or ctx.gap(i, j):
        return span
    start = ctx.original_offset(i)
    return Span(start, span.end, ctx.norm.original[start : span.end])


def _office_state(ctx: Context, first: int, last: int) -> str | None:
    """The state an office is of: وزير الخارجية التايلاندي، وزير خارجية تايلاند، المتحدث باسم
    الجيش السوداني (the state of the body named in it)."""
    for k in range(first, last + 1):
        state = ctx.gazetteer.demonyms.get(ctx.tokens[k].text)
        if state:
            return state.iri
        named = ctx.mention_at(k)
        if named is not None and named.last <= last:
            actor = named.mention.actor
            if actor.kind == "State":
                return actor.iri
            if actor.affiliation and actor.kind != "Place":
                return actor.affiliation
    return None


NAME_PARTICLES = {"عبد", "ابو", "ابي", "بن", "ابن", "ال", "بنت", "ولد"}
COMPOUND_SECONDS = {"الله", "الدين"}  # the second word of a compound given name (أسد الله، صلاح الدين)


def _person_name(ctx: Context, j: int, after_name: bool = False) -> tuple[int, int]:
    """The tokens of a name after a title: the run of name-like words, of which the name is
    the last two (حاكم منطقة خاركيف أوليغ سينيغوبوف), or from the word before its first
    particle (رامي عبد الرحمن، محمد بن عبد الرحمن، عبد الفتاح البرهان), or all of a run of
    three right after an office that ends on a name (الأمين العام للأمم المتحدة بان غي مون)."""
    last = j - 1
    for k in range(j, min(j + MAX_NAME_WORDS, len(ctx.tokens))):
        if k > j and not ctx.gap(k - 1, k) and (named := ctx.mention_at(k)) is not None \
                and named.mention.actor.kind == "Person" and named.mention.actor.iri.startswith(f"{ACTOR}ar/"):
            last = named.last  # حسن | محمود رشاد: a name read from its given name goes on the first word
            break
        if (k > j and ctx.gap(k - 1, k)) or not is_name_word(ctx, k) or (k > j and ctx.mention_at(k)):
            break
        last = k
    run = [t.text for t in ctx.tokens[j : last + 1]]
    surname = run[-1].endswith("ي") and len(run[-1]) >= 5 and run[-1] not in ctx.gazetteer.demonyms  # الجبوري
    if len(run) >= 3 and run[-1].startswith("ال") and run[-2] not in NAME_PARTICLES and not surname:
        run, last = run[:-1], last - 1  # آموس هوكستين | الطرفين
    if len(run) <= 2:
        return j, last
    particle = next((k for k, word in enumerate(run) if word in NAME_PARTICLES), None)
    if particle is not None:
        return j + max(particle - 1, 0), last
    second = next((k for k, word in enumerate(run) if word in COMPOUND_SECONDS and k > 0), None)
    if second is not None:
        return j + second - 1, last  # وزير الدفاع أسد الله خالد، نور الدين …: the compound and what follows
    if after_name and len(run) == 3:
        return j, last
    return last - 1, last


def titled_start(ctx: Context, i: int) -> bool:
    """Whether a title starts at token i (its name may come later: مفوض حقوق الإنسان …، روبن فاردانيان)."""
    return _title_end(ctx, i) is not None


@cache
def _title_table() -> dict[str, list[Words]]:
    table: dict[str, list[Words]] = {}
    for title in titles():  # longest first
        table.setdefault(title[0], []).append(title)
    return table


def _title_at(ctx: Context, j: int) -> Words | None:
    if j >= len(ctx.tokens):
        return None
    for title in _title_table().get(ctx.tokens[j].text, ()):
        if tuple(x.text for x in ctx.tokens[j : j + len(title)]) == title:
            return title
    return None


def _title_end(ctx: Context, i: int) -> int | None:
    """The token after a title, or after a chain of titles (نائب رئيس وزراء)."""
    end = None
    j = i
    while True:
        title = _title_at(ctx, j)
        if title is None or (end is not None and ctx.gap(j - 1, j)):
            return end
        end = j = j + len(title)


# وكالة فرات للأنباء | المقربة من حزب العمال: whom a body is close to is not part of its name
_ALIGNED_WITH = frozenset({"المقرب", "المقربه", "المقربين", "الموالي", "المواليه", "الموالين",
                           "المدعوم", "المدعومه", "المحسوب", "المحسوبه", "المتحالف", "المتحالفه"})


def _modifier(ctx: Context, j: int, genitive: bool, definite: bool) -> bool:
    """Whether token j continues a name: a definite word, a nisba adjective while the name
    is still indefinite (وسائل إعلام روسية), or a genitive right after the head."""
    word = ctx.tokens[j].text
    if is_function_word(ctx, j) or word.isdigit() or ctx.mention_at(j) is not None:
        return False
    if word in _ALIGNED_WITH:
        return False
    if definite and (word in _casualty_words() or word.removeprefix("ال") in _casualty_words()):
        return False  # واتهمت الشرطة | المسلحين: whom the body accused, not part of its name
    if word.startswith("ال"):
        return True
    if definite:
        return False
    if word.endswith(("ي", "يه", "يين", "يون")):
        return True
    if not genitive or len(word) < 3:
        return False
    # و / ف may be a conjunction, unless a ل complement follows: وكالة فرات للأنباء
    return not word.startswith(("و", "ف")) or (j + 1 < len(ctx.tokens) and not ctx.gap(j, j + 1)
                                               and _complement_with_li(ctx, j + 1))


def is_name_word(ctx: Context, k: int) -> bool:
    word = ctx.tokens[k].text
    if is_function_word(ctx, k) or word.isdigit() or len(word) < 2 or word.startswith(("بال", "لل", "وال", "فال")):
        return False
    if word[:1] in ("و", "ف") and word[1:] in _title_table():
        return False  # رئيس وزراء قطر | ووزير الخارجية: a second office, not a name
    if any(dropped and form in function_words() for form, dropped in proclitic_readings(ctx.light(k))):
        return False  # رحب رئيس المفوضية | بهذا الإعلان
    if word in _casualty_words() or word in statement_words("not_a_name") or word in _ceasefire_words():
        return False  # أعلن مسؤول عسكري | مقتل جنديين، أكد المبعوث | أهمية وضع…، طلب الرئيس | وقفا فوريا: no name
    if word.startswith(TOLD_TO):
        return False  # تيرنا تيوبيف | لوكالة: the outlet told, not a name
    return _title_at(ctx, k) is None


@cache
def _ceasefire_words() -> frozenset[str]:
    """The words of what lexicons/mediation_cues.tsv calls a ceasefire, talks or a stop to
    the fighting (وقف، فوريا، إطلاق، النار، مفاوضات): never part of a person's name."""
    roles = lexicon_roles("mediation_cues")
    return frozenset(word for role in ("ceasefire", "talks", "stop", "fighting") for phrase in roles[role]
                     for word in phrase)


@cache
def _casualty_words() -> frozenset[str]:
    """The first words of lexicons/casualty_terms.tsv (مقتل، جنديين، جرحى)."""
    return frozenset(term[0] for term in casualty_terms())


def _refer_back(ctx: Context, i: int, head: Words, known: list[Located]) -> Located | None:
    """الوزارة / الرئاسة / الجيش alone: the last actor named with this head before token i."""
    bare = head[0][2:]
    for loc in reversed(known):
        if loc.first >= i or not loc.mention.actor.label_ar:
            continue
        first_word = words_of(loc.mention.actor.label_ar)[0]
        if first_word in (head[0], bare) or first_word.removeprefix("ال") == bare:
            span = ctx.span(ctx.tokens[i].start, ctx.tokens[i].end)
            return Located(Mention(loc.mention.actor, span), i, i)
    return None


def _located(ctx: Context, first: int, last: int, kind: str, dropped: int = 0, first_word: str | None = None
             ) -> Located:
    """The name over tokens [first, last], without the first dropped characters (the
    proclitics written onto its first word, which reads as first_word without them)."""
    start = ctx.tokens[first].start + dropped
    name = " ".join([first_word or ctx.tokens[first].text, *(t.text for t in ctx.tokens[first + 1 : last + 1])])
    span = ctx.span(start, ctx.tokens[last].end)
    label = span.text
    if first_word and first_word.startswith("ال") and label.startswith("لل"):
        label = "ال" + label[2:]  # للسلطات المحلية: the actor is السلطات المحلية, the span keeps its ل
    actor = replace(new_actor(name, label, kind), affiliation=_state_of(ctx, first, last))
    return Located(Mention(actor, span), first, last, ctx.tokens[first].text[:dropped])


def _state_of(ctx: Context, first: int, last: int) -> str | None:
    """الجيش السوداني → Sudan: the state whose adjective is part of the name."""
    for token in ctx.tokens[first + 1 : last + 1]:
        state = ctx.gazetteer.demonyms.get(token.text)
        if state:
            return state.iri
    return None


def _gaps(ctx: Context, first: int, last: int) -> bool:
    return any(ctx.gap(k, k + 1) for k in range(first, last))

