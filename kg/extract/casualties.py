"""Casualty claims: figures about people killed, injured, evacuated, displaced, missing
or captured.

A claim needs a figure and a word for people: a number followed by a noun (27 قتيلا،
أربعة جنود، 7 آلاف شخص، 23 من عناصرها), a dual noun (قتيلين، جنديين), or a singular noun
right after a trigger (وفاة مواطن). The kind comes from the noun (قتيل), a trigger before
or after the figure (مقتل، إجلاء، أصيبوا), or — for a figure that only says who, joined to
an earlier claim (بينهم مدنيان، ومدنيين اثنين) — from that claim. Equipment, places,
distances, dates and troop numbers have no word for people or no trigger, so they never
become claims. Vague amounts (عشرات، مئات) never get a number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache

from kg.extract.actors import is_function_word
from kg.extract.context import Context
from kg.extract.lexicons import (
    CasualtyTerm,
    casualty_links,
    casualty_terms,
    mediation_cues,
    number_words,
    qualifiers,
    read_tsv,
)
from kg.extract.matching import PhraseTable, phrase_at, token_index_at
from kg.extract.mentions import Located, proclitic_readings
from kg.extract.model import Actor, CasualtyClaim, Statement
from kg.extract.patterns import matches, rule_matches
from kg.extract.quantities import Quantity, find_quantities, is_date
from kg.extract.rules import rules_for
from kg.text import QUOTE_MARKS, normalize

TRIGGER_WINDOW = 3  # tokens between a trigger and its figure (qualifiers not counted)
TRIGGER_AFTER = 6  # tokens from the counted noun to a verb after it (27 شخصا قتلوا)
LINK_WINDOW = 6  # tokens between an earlier claim and a figure that inherits its kind
_ENCLITICS = ("هما", "هم", "هن", "ها", "نا", "ه")
_DUAL_SUKUN = "\u064a\u0652\u0646"  # يْن: the sukun marks a dual, not a plural


@dataclass
class _Found:
    kind: str | None
    count: int | None
    victims: str
    qualifier: str
    start: int  # normalized offsets of the evidence
    end: int
    last_token: int
    anchor: int  # token of the figure or of the counted noun
    subset: bool = False  # بينهم طفلان: part of the figure before it
    how: str = "figure-and-noun"  # the way it was found: the rule the claim records


def find_casualties(ctx: Context, statements: list[Statement]) -> list[CasualtyClaim]:
    found = _figures(ctx) + _dual_and_singular(ctx) + _vague(ctx)
    found = _with_rules(ctx, found)
    found.sort(key=lambda f: f.start)
    _inherit_kinds(ctx, found)
    claims = [_to_claim(ctx, f, statements) for f in found if f.kind]
    return _merge_restatements(claims)


def _with_rules(ctx: Context, found: list[_Found]) -> list[_Found]:
    """rules/casualties.toml: the kind of a figure found without one, or a figure the noun
    lookup did not find (وارتفع عدد الشهداء إلى 44 ألفا)."""
    by_anchor = {f.anchor: f for f in found}
    for rule in rules_for("casualties"):
        for match in matches(ctx, rule.pattern):
            q = match.labels.get(rule.labels["count"])
            if q is None or is_date(ctx.tokens, q):
                continue
            known = by_anchor.get(q.first)
            if known is not None:
                if known.kind is None:
                    known.kind, known.how = rule.kind, rule.id
                continue
            qualifier, start, _ = _qualifier_before(ctx, q)
            end_token = q.last
            f = _Found(rule.kind, q.value, rule.victims, qualifier, ctx.tokens[match.start].start,
                       ctx.tokens[end_token].end, end_token, q.first, how=rule.id)
            found.append(f)
            by_anchor[q.first] = f
    return found




# ---------------------------------------------------------------- noun lookup

def term_at(ctx: Context, i: int) -> CasualtyTerm | None:
    """The casualty term at token i, seen through proclitics and possessive suffixes."""
    if i >= len(ctx.tokens):
        return None
    memo = ctx.memo.setdefault("casualty terms", {})
    if i not in memo:
        memo[i] = _term_at(ctx, i)
    return memo[i]


def _term_at(ctx: Context, i: int) -> CasualtyTerm | None:
    """The longest term at token i: عناصر الشرطة (police) before عناصر (military)."""
    if i + 1 < len(ctx.tokens):
        term = casualty_terms().get((ctx.tokens[i].text, ctx.tokens[i + 1].text))
        if term is not None and not _gap(ctx, i, i + 1):
            return term
    return _one_word_term(ctx.tokens[i].text)


_NATIONALS = CasualtyTerm(None, "people", "pl")


def _demonym_noun(ctx: Context, word: str) -> bool:
    forms = [word] + [word[: -len(end)] for end in ("يين", "يون", "ين", "ون", "ا") if word.endswith(end)]
    forms += [f + "ي" for f in forms if word.endswith(("يين", "يون"))]
    return any(f in ctx.gazetteer.demonyms for f in forms)


@lru_cache(maxsize=65536)
def _one_word_term(word: str) -> CasualtyTerm | None:
    terms = casualty_terms()
    for form, _ in proclitic_readings(word):
        for candidate in _without_enclitics(form):
            term = terms.get((candidate,))
            if term:
                return term
    return None


def _without_enclitics(form: str) -> list[str]:
    out = [form]
    for suffix in _ENCLITICS:
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            stem = form[: -len(suffix)]
            out += [stem, stem[:-1] + "ء" if stem.endswith("ئ") else stem]
            if stem.endswith("ي"):
                out.append(stem + "ن")  # مقاتليه → مقاتلين
    return out


def _is_dual(ctx: Context, i: int, term: CasualtyTerm) -> bool:
    if term.number == "du":
        return True
    token = ctx.tokens[i]
    original = ctx.span(token.start, token.end).text
    return term.number == "pl" and original.endswith(_DUAL_SUKUN)


# ---------------------------------------------------------------- figures

def _figures(ctx: Context) -> list[_Found]:
    out = []
    for q in ctx.quantities():
        found = _figure(ctx, q)
        if found:
            out.append(found)
    return out


def _figure(ctx: Context, q: Quantity) -> _Found | None:
    tokens = ctx.tokens
    noun_i = q.last + 1
    if noun_i < len(tokens) and tokens[noun_i].text == "من" and not _gap(ctx, q.last, noun_i):
        noun_i += 1  # 23 من عناصرها
    term = term_at(ctx, noun_i) if noun_i < len(tokens) and not _gap(ctx, noun_i - 1, noun_i) else None
    if term is not None and _conjoined(tokens[noun_i].text):
        term = None  # عدد القتلى يزيد عن 30 | والمصابين يقارب المئة: the next figure's noun
    if term is not None and term.victims is None and term.kind and term.number == "after":
        term = CasualtyTerm(term.kind, "people", "pl")  # لقي 12 حتفهم، أصيب 18 بجروح: the verb's noun, no victims noun
    if term is None and noun_i < len(tokens) and _demonym_noun(ctx, tokens[noun_i].text):
        term = _NATIONALS  # 400 ألف تايلاندي، 5 فلسطينيين: people named by their nation
    some_of = term is None and noun_i == q.last + 2 and noun_i < len(tokens) \
        and tokens[noun_i].text.startswith("ال") and not is_function_word(ctx, noun_i)
    if some_of:
        term = _NATIONALS  # قتلت القوات 4 من المتهمين: some of a group, people (the kind must come from a trigger)
    if term is None or term.victims is None:
        shared = _shared_noun(ctx, q) or _elided_noun(ctx, q) or _parallel_noun(ctx, q)
        if shared is None:
            return None
        term, noun_i = shared
        end = q.start + len(ctx.norm.text[q.start : tokens[q.last].end])
        last = q.last
    else:
        last = noun_i
        end = tokens[noun_i].end
    victims, last, end = _victim_adjective(ctx, term.victims, last, end)
    qualifier, start, before = _qualifier_before(ctx, q)
    after = _qualifier_after(ctx, last)
    if after:
        qualifier, last, end = "at_least", after, tokens[after].end
    kind = term.kind
    if kind is None:
        trigger = _trigger_before(ctx, before)
        joined = q.start > ctx.tokens[q.first].start or (q.first > 0 and ctx.tokens[q.first - 1].text == "و")
        if trigger is None and some_of and not joined:
            return None  # سبعة من الشرطة | وإصابة …: a trigger before, or a figure joined by و, says what befell them
        after = _trigger_after(ctx, last) if trigger is None or trigger[0] == "missing" else None
        if trigger is None or (after is not None and after[0] == "killed"):
            trigger = after or trigger  # فقد 3 أشخاص حياتهم: lost their lives, not went missing
        if trigger:
            kind, t_i = trigger
            start, end = min(start, tokens[t_i].start), max(end, tokens[t_i].end)
            last = max(last, t_i)
    return _Found(kind, q.value, victims, qualifier, start, end, last, q.first, how="figure-and-noun")


def _conjoined(word: str) -> bool:
    """A noun with و written on it (والمصابين), when it is not a term without it."""
    terms = casualty_terms()
    return word.startswith("و") and not any(terms.get((form,)) for form in _without_enclitics(word))


def _shared_noun(ctx: Context, q: Quantity) -> tuple[CasualtyTerm, int] | None:
    """مقتل 1280 وجرح 2700 جندي: the first figure counts the noun of the second."""
    tokens = ctx.tokens
    i = q.last + 1
    if i + 2 >= len(tokens) or _gap(ctx, q.last, i) or not tokens[i].text.startswith("و"):
        return None
    trigger = _trigger_term(tokens[i].text[1:]) if len(tokens[i].text) > 1 else None
    if trigger is None:
        return None
    for q2 in find_quantities(ctx.norm.text, tokens[i + 1 : i + 4]):
        noun_i = i + 1 + q2.last + 1
        term = term_at(ctx, noun_i)
        if term and term.victims:
            return CasualtyTerm(None, term.victims, term.number), noun_i
    return None


def _elided_noun(ctx: Context, q: Quantity) -> tuple[CasualtyTerm, int] | None:
    """وإصابة أكثر من 50: a figure right after a trigger, with no noun of its own, counts
    people when another figure about people stands in the same sentence."""
    _, _, before = _qualifier_before(ctx, q)
    if before == 0 or _gap(ctx, before - 1, before) or _trigger_term(ctx.tokens[before - 1].text) is None:
        return None
    nxt = q.last + 1
    if nxt < len(ctx.tokens) and not _gap(ctx, q.last, nxt) and _conjoined(ctx.tokens[nxt].text) \
            and term_at(ctx, nxt) is not None:
        return CasualtyTerm(None, "people", "n"), q.last  # مقتل 30 | والمصابين …
    if nxt < len(ctx.tokens) and not _gap(ctx, q.last, nxt) and not is_function_word(ctx, nxt):
        return None  # some other noun follows: 50 دبابة
    start, end = ctx.sentence_of_token(q.first)
    others = [x for x in ctx.quantities()
              if x.first != q.first and start <= ctx.tokens[x.first].start < end
              and (t := term_at(ctx, x.last + 1)) is not None and t.victims]
    return (CasualtyTerm(None, "people", "n"), q.last) if others else None


PARALLEL_REACH = 8  # words back to the figure whose noun a place-by-place figure shares


def _parallel_noun(ctx: Context, q: Quantity) -> tuple[CasualtyTerm, int] | None:
    """قتل 365 شخصا في لبنان و37 في إسرائيل: a figure joined by و and followed by في, with no
    noun of its own, counts the noun of the figure before it in the same clause."""
    tokens = ctx.tokens
    joined = q.start > tokens[q.first].start or (q.first > 0 and tokens[q.first - 1].text == "و")
    nxt = q.last + 1
    if not joined or nxt >= len(tokens) or _gap(ctx, q.last, nxt) or tokens[nxt].text != "في":
        return None
    earlier = [x for x in ctx.quantities() if q.first - PARALLEL_REACH <= x.first < q.first]
    for x in reversed(earlier):
        if any(_gap(ctx, k, k + 1) for k in range(x.first, q.first - 1)):
            return None
        term = term_at(ctx, x.last + 1)
        if term is not None and term.victims and (found := _figure(ctx, x)) is not None and found.kind:
            return CasualtyTerm(found.kind, found.victims, "n"), q.last
    return None


def _victim_adjective(ctx: Context, victims: str, last: int, end: int) -> tuple[str, int, int]:
    """قتيلين مدنيين، 27 قتيلا مدنيا: an adjective after the noun says who."""
    nxt = term_at(ctx, last + 1)
    says_who = nxt is not None and nxt.kind is None and nxt.victims not in (None, "people")
    if victims == "people" and says_who and not _gap(ctx, last, last + 1):
        return nxt.victims, last + 1, ctx.tokens[last + 1].end
    return victims, last, end


def _qualifier_before(ctx: Context, q: Quantity) -> tuple[str, int, int]:
    for words, qualifier, position in qualifiers():
        n = len(words)
        if position != "before" or q.first - n < 0 or _gap(ctx, q.first - 1, q.first):
            continue
        if phrase_at(ctx.tokens, q.first - n, words, ctx.norm.text):
            return qualifier, ctx.tokens[q.first - n].start, q.first - n
    return "exact", q.start, q.first


def _qualifier_after(ctx: Context, last: int) -> int | None:
    for words, _qualifier, position in qualifiers():
        if position != "after" or last + 1 >= len(ctx.tokens) or _gap(ctx, last, last + 1):
            continue
        if phrase_at(ctx.tokens, last + 1, words, ctx.norm.text):
            return last + len(words)
    return None


def _trigger_term(word: str) -> str | None:
    for form, _ in proclitic_readings(word):
        for candidate in (form, form[2:] if form.startswith("ال") else None):
            term = casualty_terms().get((candidate,)) if candidate else None
            if term and term.kind and term.number in ("-", "pl", "after"):
                return term.kind
    return None


def _trigger_before(ctx: Context, before: int) -> tuple[str, int] | None:
    """The trigger at most TRIGGER_WINDOW words before the figure; an actor named in between
    counts as one word (قتلت قوات الأمن الباكستانية ستة متشددين)."""
    if "mention ends" not in ctx.memo:
        ctx.memo["mention ends"] = {loc.last: loc.first for loc in ctx.mentions}
    ends = ctx.memo["mention ends"]
    i, words = before - 1, 0
    while i >= 0 and words < TRIGGER_WINDOW:
        if _gap(ctx, i, i + 1):
            return None
        kind = _trigger_at(ctx, i)
        if kind:
            return kind, i
        first = ends.get(i, i)
        if first < i and any(_gap(ctx, k, k + 1) for k in range(first, i)):
            first = i
        i, words = first - 1, words + 1
    return None


def _trigger_after(ctx: Context, last: int) -> tuple[str, int] | None:
    """27 شخصا قتلوا، 10 مدنيين لقوا حتفهم"""
    for i in range(last + 1, min(last + 1 + TRIGGER_AFTER, len(ctx.tokens))):
        if _gap(ctx, i - 1, i):
            return None
        kind = _trigger_at(ctx, i)
        if kind:
            return kind, i
    return None


def _trigger_at(ctx: Context, i: int) -> str | None:
    """The trigger at token i, a two-word one first: فقدوا أرواحهم (killed) before فقدوا (missing)."""
    if i + 1 < len(ctx.tokens) and not _gap(ctx, i, i + 1):
        term = casualty_terms().get((ctx.tokens[i].text, ctx.tokens[i + 1].text))
        if term and term.kind and term.number in ("-", "pl", "after"):
            return term.kind
    return _trigger_term(ctx.tokens[i].text)


def _gap(ctx: Context, a: int, b: int) -> bool:
    """Whether anything but spaces and quotes separates tokens a and b."""
    between = ctx.norm.text[ctx.tokens[a].end : ctx.tokens[b].start]
    return any(not ch.isspace() and ch not in QUOTE_MARKS + "'" for ch in between)


# ---------------------------------------------------------------- no figure: dual and singular nouns

def _dual_and_singular(ctx: Context) -> list[_Found]:
    out = []
    for i in range(len(ctx.tokens)):
        term = term_at(ctx, i)
        if term is None or term.victims is None:
            continue
        if i > 0 and _is_number_token(ctx, i - 1):
            continue  # counted by a figure
        victims, last, end = _victim_adjective(ctx, term.victims, i, ctx.tokens[i].end)
        nxt = last + 1
        if nxt < len(ctx.tokens) and not _gap(ctx, last, nxt) and _is_number_word(ctx, nxt):
            count = _number_value(ctx, nxt)  # مدنيين اثنين، جنود ثلاثة: the number word follows
            last, end = nxt, ctx.tokens[nxt].end
        elif _is_dual(ctx, i, term):
            count = 2
        elif _after_trigger(ctx, i) and (
            term.number == "sg" or (term.number == "n" and ctx.tokens[i - 1].text in _KIND_PLURALS)
        ):
            count = 1  # وفاة مواطن، من بين القتلى طفلا
        elif term.number in ("sg", "n") and i > 0 and ctx.tokens[i - 1].text in _THAT and _trigger_after(ctx, last):
            count = 1  # أن جنديا أميركيا قتل
        elif term.number == "sg" and i > 0 and ctx.tokens[i - 1].text in _SUBSET_MARKERS and not _gap(ctx, i - 1, i):
            count = 1  # قتل 16 فلسطينيا، بينهم طفلة
        elif term.number in ("sg", "n") and _joined_to_victims(ctx, i):
            count = 1  # مقتل جنديين ومدني
        elif term.number == "sg" and _own_death_after(ctx, last):
            count = 1  # لقي شخص مصرعه
        else:
            continue
        start = ctx.tokens[i].start
        kind = term.kind
        trigger = _trigger_before(ctx, i) if kind is None else None
        if trigger:
            kind, t_i = trigger
            start = ctx.tokens[t_i].start
        elif kind is None and count <= 2 and (after := _trigger_after(ctx, last)):
            kind, t_i = after  # شخصين قتلا
            end = ctx.tokens[t_i].end
        out.append(_Found(kind, count, victims, "exact", start, end, last, i, how="dual-or-singular-noun"))
    return out


def _joined_to_victims(ctx: Context, i: int) -> bool:
    """ومدني after جنديين: a singular victim noun (as written, no suffix: not وطفلاها) joined by
    و to the victims just named."""
    if i == 0 or not ctx.tokens[i].text.startswith("و") or _gap(ctx, i - 1, i):
        return False
    before, term = term_at(ctx, i - 1), casualty_terms().get((ctx.tokens[i].text[1:],))
    return before is not None and before.victims is not None and term is not None and term.kind is None


def _own_death_after(ctx: Context, last: int) -> bool:
    """لقي شخص مصرعه / حتفه: a word for what happened to one person, right after the noun."""
    nxt = last + 1
    if nxt >= len(ctx.tokens) or _gap(ctx, last, nxt):
        return False
    term = term_at(ctx, nxt)
    word = ctx.tokens[nxt].text
    return term is not None and term.number == "after" and word.endswith(("ه", "ها")) \
        and not word.endswith(("هم", "هما", "هن"))


_KIND_PLURALS = ("القتلي", "الجرحي")
_THAT = ("ان", "بان")  # أن / إن / بأن, normalized: a singular noun right after one is its subject


def _after_trigger(ctx: Context, i: int) -> bool:
    return i > 0 and not _gap(ctx, i - 1, i) and _trigger_term(ctx.tokens[i - 1].text) is not None


@cache
def _vague_words() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("vague_amounts.tsv"))


def _vague(ctx: Context) -> list[_Found]:
    """قتل عشرات المدنيين، مقتل العشرات، نزوح مئات الآلاف: a claim without a count."""
    out = []
    for i, token in enumerate(ctx.tokens):
        if not any(f in _vague_words() for f, _ in proclitic_readings(token.text)):
            continue
        if i > 0 and (_is_number_token(ctx, i - 1) or any(f in _vague_words() for f, _ in
                                                          proclitic_readings(ctx.tokens[i - 1].text))):
            continue  # 7 آلاف is a figure; مئات الآلاف is one amount
        last = i + 1 if i + 1 < len(ctx.tokens) and ctx.tokens[i + 1].text in _vague_words() else i
        term = term_at(ctx, last + 1) if last + 1 < len(ctx.tokens) and not _gap(ctx, last, last + 1) else None
        trigger = _trigger_before(ctx, i)
        kind = (term.kind if term else None) or (trigger[0] if trigger else None)
        if kind is None or (term is None and trigger is None):
            continue
        start = ctx.tokens[trigger[1]].start if trigger else ctx.tokens[i].start
        end_token = last + 1 if term else last
        victims = term.victims if term and term.victims else "people"
        out.append(_Found(kind, None, victims, "approx", start, ctx.tokens[end_token].end, end_token, i,
                          how="vague-amount"))
    return out


def _is_number_token(ctx: Context, i: int) -> bool:
    return ctx.tokens[i].text.isdigit() or _is_number_word(ctx, i)


def _is_number_word(ctx: Context, i: int) -> bool:
    return i < len(ctx.tokens) and _number_value(ctx, i) is not None


def _number_value(ctx: Context, i: int) -> int | None:
    roles = number_words().get((ctx.tokens[i].text,), {})
    return next((v for role, v in roles.items() if role != "multiplier"), None)


# ---------------------------------------------------------------- kinds from earlier claims

def _inherit_kinds(ctx: Context, found: list[_Found]) -> None:
    """بينهم مدنيان / ومدنيين اثنين / بالإضافة إلى مدنيين اثنين: a figure that only says who
    takes the kind of the claim just before it, if only linking words stand between."""
    links = casualty_links()
    for index, (prev, cur) in enumerate(zip(found, found[1:], strict=False)):
        first = _first_token(ctx, cur)
        cur.subset = first > 0 and ctx.tokens[first - 1].text in _SUBSET_MARKERS
        if not prev.kind or not ctx.same_sentence(prev.last_token, cur.anchor):
            continue
        if cur.victims == "people" and _says_others(ctx, cur):
            main = next((f for f in reversed(found[: index + 1]) if not f.subset), prev)
            cur.victims = main.victims  # وأسر ثلاثة آخرين after 15 من عناصر الحركة
        if cur.kind:
            continue
        between = ctx.tokens[prev.last_token + 1 : first]
        near = cur.anchor - prev.last_token <= LINK_WINDOW and all(
            any(form in links for form, _ in proclitic_readings(t.text)) for t in between
        )
        if cur.subset or near:
            cur.kind = prev.kind


_SUBSET_MARKERS = ("بينهم", "منهم", "بينهن", "منهن")
_OTHERS = ("اخرين", "اخرون", "اخري")


def _says_others(ctx: Context, f: _Found) -> bool:
    return any(t.text in _OTHERS for t in ctx.tokens[f.anchor : f.last_token + 1])


def _first_token(ctx: Context, f: _Found) -> int:
    return token_index_at(ctx.tokens, f.start)


# ---------------------------------------------------------------- claims

def _to_claim(ctx: Context, f: _Found, statements: list[Statement]) -> CasualtyClaim:
    evidence = ctx.span(f.start, f.end)
    claimant, how = _claimant(ctx, f, evidence.start, statements)
    return CasualtyClaim(
        kind=f.kind,
        count=f.count,
        qualifier=f.qualifier,
        victims=f.victims,
        evidence=(evidence,),
        claimant=claimant,
        place=_place(ctx, f.anchor),
        rule=rule_iri(f.how),
        claimant_rule=how,
    )


def rule_iri(name: str) -> str:
    """The IRI of a way figures are found or attributed (a component in this module)."""
    from kg.namespaces import BASE

    return f"{BASE}rule/casualties/{name}"


def _claimant(ctx: Context, f: _Found, position: int, statements: list[Statement]) -> tuple[Actor | None, str | None]:
    """Who reports the figure, and the step that says so: the speaker of the statement that
    holds it; else of a statement begun earlier in its sentence (a figure belongs to its
    speaker wherever the statement's span was cut); else the "according to X" of its
    sentence (rules/attribution.toml); else nobody — never guessed."""
    for s in statements:
        if s.evidence.start <= position < s.evidence.end:
            return s.speaker, rule_iri("claimant-speaks-it")
    sentence = ctx.sentences.index_of(f.start)
    begun = [s for s in statements if s.evidence.start <= position
             and ctx.sentences.index_of(ctx.norm_offset(s.evidence.start)) == sentence]
    if begun:
        return max(begun, key=lambda s: s.evidence.start).speaker, rule_iri("claimant-speaks-its-sentence")
    for rule in rules_for("attribution"):
        for match in rule_matches(ctx, rule):
            if ctx.sentences.index_of(ctx.tokens[match.start].start) == sentence:
                actor = match.actor(rule.labels["claimant"])
                if actor is not None:
                    return actor, rule.iri
    return None, None


def _place(ctx: Context, token_i: int) -> Actor | None:
    """Where the figure's people fell: the first place named after the figure in its
    sentence (قتل 5 في غارة على رفح), else the last one before it. A place that opens the
    sentence is often where the news was told (وفي باكو، أعلنت النيابة وفاة مواطن نتيجة
    القصف على مدينة شوشي: he died in Shusha)."""
    places = [loc for loc in ctx.mentions
              if _where(ctx, loc) and ctx.same_sentence(loc.first, token_i)]
    after = [loc for loc in places if loc.first > token_i]
    chosen = after[0] if after else places[-1] if places else None
    return chosen.mention.actor if chosen else None


def _where(ctx: Context, loc: Located) -> bool:
    """A place, or a state named as one (22 في تايلاند و19 في كمبوديا), unless it is named
    as the host of talks (محادثات استضافتها العاصمة الدوحة): the dead did not fall there."""
    kind = loc.mention.actor.kind
    if kind != "Place" and not (kind == "State" and loc.first > 0 and ctx.tokens[loc.first - 1].text == "في"):
        return False
    return not any(loc.first - HOST_REACH <= i < loc.first for i in ctx.phrases(_host_cues()))


HOST_REACH = 3  # استضافتها | العاصمة القطرية | الدوحة


@cache
def _host_cues() -> PhraseTable:
    return PhraseTable(mediation_cues()["host"])


def _merge_restatements(claims: list[CasualtyClaim]) -> list[CasualtyClaim]:
    """The same figure repeated in one article (headline, subtitle, body) is one claim with
    several evidence spans. Figures attributed to different claimants stay apart."""
    merged: list[CasualtyClaim] = []
    for claim in claims:
        same = next((m for m in merged if _restates(m, claim)), None)
        if same is None:
            merged.append(claim)
            continue
        index = merged.index(same)
        merged[index] = replace(
            same,
            evidence=tuple(sorted({*same.evidence, *claim.evidence}, key=lambda s: (s.start, s.end))),
            claimant=same.claimant or claim.claimant,
            qualifier=same.qualifier if same.qualifier != "exact" else claim.qualifier,
            place=same.place or claim.place,
        )
    return merged


def _restates(a: CasualtyClaim, b: CasualtyClaim) -> bool:
    if (a.kind, a.count, a.victims) != (b.kind, b.count, b.victims):
        return False
    if a.claimant and b.claimant and a.claimant.iri != b.claimant.iri:
        return False
    return a.qualifier == b.qualifier or "exact" in (a.qualifier, b.qualifier)
