"""Token patterns over kg's units, for extraction rules kept as data (rules/*.toml).

A pattern is a list of elements, each matching one or more tokens of a sentence:

    {word = "بوساطة"}                     a word (or words) as written, through normalization
                                           and the proclitics written onto its first word
    {lex = "mediation_cues", role = "broker"}   a phrase of a lexicon with that role
    {actor = ["State", "Person"]}          a mention of an actor of these classes ([] = any but Place)
    {nisba = true}                         a demonym standing for its state (روسية، التركية)
    {quantity = true}                      a figure, in digits or words (96، سبعة آلاف، 44 ألفا); not a
                                           date (منذ 7 أكتوبر، عام 2014) nor the value a count rose from
    {gap = [0, 3]}                         between 0 and 3 tokens of any kind, the fewest that let the rest match
                                           (with `figures = false`: none of them a figure)
    {any = true}                           one token
    {end = true}                           no token: where a clause ends (the sentence ends, or
                                           a mark stands there: a comma, a full stop, a quote)

with `op = "?"` (optional), `"+"` (one or more) or `"*"` (none or more), `label = "name"` for
the parts a rule's output refers to, and `anchor = true` on the word or lexicon element the
rule is looked up by (one per rule). All of a match lies in one sentence. spaCy's Matcher is
the model; the elements are kg's own (mentions, lexicon roles, demonyms).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from kg.extract.context import Context
from kg.extract.lexicons import Words, lexicon_roles, words_of
from kg.extract.matching import PhraseTable
from kg.extract.mentions import Located
from kg.extract.model import Actor
from kg.text import QUOTE_MARKS

OPS = ("?", "+", "*")
KINDS = ("word", "lex", "actor", "nisba", "quantity", "gap", "any", "end")


@dataclass(frozen=True)
class Element:
    kind: str  # one of KINDS
    words: tuple[Words, ...] = ()  # word: its forms; lex: the role's phrases
    classes: frozenset[str] = frozenset()  # actor: allowed classes (empty: any actor, not a place)
    gap: tuple[int, int] = (1, 1)
    figures: bool = True  # gap: whether the tokens it covers may hold a figure
    op: str | None = None
    label: str | None = None
    anchor: bool = False

    @property
    def table(self) -> PhraseTable:
        return _table(self.words)


@cache
def _table(words: tuple[Words, ...]) -> PhraseTable:
    return PhraseTable(words)


@dataclass(frozen=True)
class Pattern:
    elements: tuple[Element, ...]

    @property
    def anchor_index(self) -> int:
        return next(i for i, e in enumerate(self.elements) if e.anchor)


@dataclass
class Match:
    start: int  # first token
    end: int  # one past the last token
    labels: dict[str, object] = field(default_factory=dict)  # label -> Located, Actor or (start, end)

    def actor(self, label: str) -> Actor | None:
        value = self.labels.get(label)
        if isinstance(value, Located):
            return value.mention.actor
        return value if isinstance(value, Actor) else None


def element(spec: dict) -> Element:
    """An element from its data form (ValueError with the reason when it is not one)."""
    known = {"word", "lex", "role", "actor", "nisba", "quantity", "gap", "figures", "any", "end", "op", "label",
             "anchor"}
    if unknown := sorted(set(spec) - known):
        raise ValueError(f"unknown key {unknown[0]!r} (an element has one of {', '.join(KINDS)})")
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        raise ValueError(f"an element is exactly one of {', '.join(KINDS)}, not {kinds or 'none'}")
    kind = kinds[0]
    op = spec.get("op")
    if op is not None and op not in OPS:
        raise ValueError(f"op must be one of {' '.join(OPS)}, not {op!r}")
    common = {"op": op, "label": spec.get("label"), "anchor": bool(spec.get("anchor"))}
    if kind == "word":
        forms = spec["word"] if isinstance(spec["word"], list) else [spec["word"]]
        if not forms or not all(isinstance(f, str) and words_of(f) for f in forms):
            raise ValueError("word must be a non-empty word or list of words")
        return Element("word", tuple(words_of(f) for f in forms), **common)
    if kind == "lex":
        roles = lexicon_roles(spec["lex"])
        role = spec.get("role")
        if role not in roles:
            raise ValueError(f"lexicon {spec['lex']!r} has no role {role!r} (it has {', '.join(sorted(roles))})")
        return Element("lex", tuple(roles[role]), **common)
    if kind == "actor":
        from kg.extract.model import ACTOR_CLASSES

        classes = spec["actor"]
        if not isinstance(classes, list) or any(c not in ACTOR_CLASSES for c in classes):
            raise ValueError(f"actor must list classes among {', '.join(ACTOR_CLASSES)}")
        return Element("actor", classes=frozenset(classes), **common)
    if kind == "gap":
        bounds = spec["gap"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, int) for b in bounds)
                and 0 <= bounds[0] <= bounds[1] <= 12):
            raise ValueError("gap must be [min, max] with 0 <= min <= max <= 12")
        figures = spec.get("figures", True)
        if not isinstance(figures, bool):
            raise ValueError("figures must be true or false")
        return Element("gap", gap=(bounds[0], bounds[1]), figures=figures, **common)
    if "figures" in spec:
        raise ValueError("figures is a key of a gap element only")
    if spec[kind] is not True:
        raise ValueError(f"{kind} must be true")
    return Element(kind, **common)


def pattern(specs: list) -> Pattern:
    if not isinstance(specs, list) or not specs:
        raise ValueError("a pattern is a non-empty list of elements")
    elements = []
    for index, spec in enumerate(specs):
        if not isinstance(spec, dict):
            raise ValueError(f"element {index + 1} is not a table")
        try:
            elements.append(element(spec))
        except ValueError as err:
            raise ValueError(f"element {index + 1}: {err}") from None
    anchors = [e for e in elements if e.anchor]
    if len(anchors) != 1 or anchors[0].kind not in ("word", "lex") or anchors[0].op:
        raise ValueError("a pattern has exactly one anchor, a word or lex element that is not optional")
    return Pattern(tuple(elements))


def rule_matches(ctx: Context, rule) -> list[Match]:
    """A rule's matches whose sentence has what the rule requires (its sentence_has), found
    once per article however many extractors ask."""
    key = ("rule matches", rule.iri)
    if key not in ctx.memo:
        ctx.memo[key] = [m for m in matches(ctx, rule.pattern)
                         if all(_sentence_has(ctx, m.start, required) for required in rule.sentence_has)]
    return ctx.memo[key]


def _sentence_has(ctx: Context, i: int, required: Pattern) -> bool:
    key = ("sentences with", required)
    if key not in ctx.memo:
        ctx.memo[key] = {ctx.sentences.index_of(ctx.tokens[m.start].start) for m in matches(ctx, required)}
    return ctx.sentences.index_of(ctx.tokens[i].start) in ctx.memo[key]


def matches(ctx: Context, rule_pattern: Pattern) -> Iterator[Match]:
    """Every match of the pattern in the text, one per anchor position (the longest)."""
    anchor_index = rule_pattern.anchor_index
    anchor = rule_pattern.elements[anchor_index]
    before = rule_pattern.elements[:anchor_index]
    after = rule_pattern.elements[anchor_index + 1 :]
    for position, words in sorted(ctx.phrases(anchor.table).items()):
        sentence = ctx.sentences.index_of(ctx.tokens[position].start)
        end_of_anchor = position + len(words)
        labels = {anchor.label: (position, end_of_anchor)} if anchor.label else {}
        best = None
        for start, head in _match_backward(ctx, before, position, sentence, labels):
            for end, tail in _match_forward(ctx, after, end_of_anchor, sentence, head):
                if best is None or end - start > best.end - best.start:
                    best = Match(start, end, tail)
                break
        if best is not None:
            yield best


def _match_forward(ctx, elements, i, sentence, labels) -> Iterator[tuple[int, dict]]:
    if not elements:
        yield i, labels
        return
    first, rest = elements[0], elements[1:]
    for j, value in _repeated(ctx, first, i, sentence, forward=True):
        yield from _match_forward(ctx, rest, j, sentence, _with(labels, first, value))


def _match_backward(ctx, elements, i, sentence, labels) -> Iterator[tuple[int, dict]]:
    """Matches of the elements ending just before token i: (their first token, labels)."""
    if not elements:
        yield i, labels
        return
    last, rest = elements[-1], elements[:-1]
    for j, value in _repeated(ctx, last, i, sentence, forward=False):
        yield from _match_backward(ctx, rest, j, sentence, _with(labels, last, value))


def _with(labels: dict, e: Element, value) -> dict:
    if e.label is None or value is None:
        return labels
    return {**labels, e.label: value}


def _repeated(ctx, e: Element, i: int, sentence: int, forward: bool) -> Iterator[tuple[int, object]]:
    """Where the element (with its op) can end (forward) or begin (backward) from token i,
    most tokens first."""
    if e.op not in ("+", "*"):
        yield from _once(ctx, e, i, sentence, forward)
        if e.op == "?":
            yield i, None
        return
    reached: list[tuple[int, object]] = []
    frontier, seen = [i], {i}
    while frontier:
        new = []
        for k in frontier:
            for j, value in _once(ctx, e, k, sentence, forward):
                if j not in seen:
                    seen.add(j)
                    new.append(j)
                    reached.append((j, value))
        frontier = new
    yield from sorted(reached, key=lambda reach: -abs(reach[0] - i))
    if e.op == "*":
        yield i, None


def _once(ctx, e: Element, i: int, sentence: int, forward: bool) -> Iterator[tuple[int, object]]:
    tokens = ctx.tokens
    if e.kind == "end":
        if _clause_boundary(ctx, i):
            yield i, None  # takes no token: the clause ends (or starts) at i
        return
    if e.kind == "gap":
        lo, hi = e.gap
        sizes = range(lo, hi + 1)  # lazy: the nearest match (بجهود من X مبعوث الرئيس Y: X)
        for n in sizes:
            j = i + n if forward else i - n
            if not e.figures and n > 0 and _figure_in(ctx, min(i, j), max(i, j)):
                return  # the gap would take in a figure, and so would every longer one
            if _inside(ctx, min(i, j), max(i, j), sentence):
                yield j, (min(i, j), max(i, j))
        return
    if forward:
        if i >= len(tokens) or ctx.sentences.index_of(tokens[i].start) != sentence:
            return
        if e.kind == "any":
            yield i + 1, (i, i + 1)
        elif e.kind in ("word", "lex"):
            words = ctx.phrases(e.table).get(i)
            if words:
                yield i + len(words), (i, i + len(words))
        elif e.kind == "actor":
            loc = _mention_from(ctx, i)
            if loc and _of_classes(loc, e.classes):
                yield loc.last + 1, loc
        elif e.kind == "nisba":
            actor = _demonym(ctx, tokens[i].text)
            if actor:
                yield i + 1, actor
        elif e.kind == "quantity":
            q = _quantities(ctx)[0].get(i)
            if q:
                yield q.last + 1, q
        return
    j = i - 1
    if j < 0 or ctx.sentences.index_of(tokens[j].start) != sentence:
        return
    if e.kind == "any":
        yield j, (j, i)
    elif e.kind in ("word", "lex"):
        for start, _words in _phrases_ending(ctx, e, j):
            yield start, (start, i)
    elif e.kind == "actor":
        loc = _mention_to(ctx, j)
        if loc and _of_classes(loc, e.classes):
            yield loc.first, loc
    elif e.kind == "nisba":
        actor = _demonym(ctx, tokens[j].text)
        if actor:
            yield j, actor
    elif e.kind == "quantity":
        q = _quantities(ctx)[1].get(j)
        if q:
            yield q.first, q


def _clause_boundary(ctx: Context, i: int) -> bool:
    """Whether a clause ends before token i: the sentence does, or a mark stands between
    tokens i - 1 and i (a comma, a full stop, a quote)."""
    tokens, text = ctx.tokens, ctx.norm.text
    if i <= 0:
        return True
    end = tokens[i].start if i < len(tokens) else len(text)
    mark = text[tokens[i - 1].end : end].lstrip(" \t")[:1]
    if not mark:
        return i >= len(tokens)  # the text's end; two words side by side are one clause
    return mark == "\n" or mark in _CLAUSE_MARKS  # a comma, a stop, a quote; not 13%، 13-، (


_CLAUSE_MARKS = "،,.؛;:!?؟" + QUOTE_MARKS


def _demonym(ctx: Context, word: str) -> Actor | None:
    """The state a demonym stands for, also after و and in the plural (الوسيطين المصري
    والقطري، الوسطاء الأميركيون، وسطاء أمريكيين)."""
    demonyms = ctx.gazetteer.demonyms
    for form in (word, word[1:] if word.startswith("و") else ""):
        if form in demonyms:
            return demonyms[form]
        if form.endswith(("يون", "يين")) and form[:-2] in demonyms:
            return demonyms[form[:-2]]
    return None


def _of_classes(loc: Located, classes: frozenset[str]) -> bool:
    """Whether the mention is of one of the classes; no class given means any actor, and a
    place is not an actor (ck:Place): a rule that wants one names "Place"."""
    kind = loc.mention.actor.kind
    return kind in classes if classes else kind != "Place"


def _quantities(ctx: Context) -> tuple[dict, dict]:
    """The figures of the text by their first and their last token."""
    key = "pattern quantities"
    if key not in ctx.memo:
        from kg.extract.quantities import is_date, is_previous_value

        found = ctx.quantities()
        starts = {q.first for q in found}
        found = [q for q in found if not is_date(ctx.tokens, q) and not is_previous_value(ctx.tokens, q, starts)]
        ctx.memo[key] = ({q.first: q for q in found}, {q.last: q for q in found})
    return ctx.memo[key]


def _figure_in(ctx, start: int, end: int) -> bool:
    """Whether a figure of the text starts at a token in [start, end), a date or not."""
    key = "figure starts"
    if key not in ctx.memo:
        ctx.memo[key] = {q.first for q in ctx.quantities()}
    return any(k in ctx.memo[key] for k in range(start, end))


def _inside(ctx, start: int, end: int, sentence: int) -> bool:
    """Whether tokens [start, end) all lie in the sentence (an empty run at its edge does)."""
    if start < 0 or end > len(ctx.tokens):
        return False
    if end == start:
        return True
    index = ctx.sentences.index_of  # sentences are contiguous: the run's ends decide
    return index(ctx.tokens[start].start) == sentence == index(ctx.tokens[end - 1].start)


def _phrases_ending(ctx, e: Element, j: int) -> list[tuple[int, Words]]:
    found = ctx.phrases(e.table)
    longest = max((len(w) for w in e.words), default=1)
    return [(start, found[start]) for start in range(max(0, j - longest + 1), j + 1)
            if start in found and start + len(found[start]) - 1 == j]


def _mention_from(ctx: Context, i: int) -> Located | None:
    """The gazetteer mention at token i, else an actor the gazetteer does not hold (a titled
    person, an institution named from its head noun: kg.extract.actors)."""
    found = _mention_index(ctx)[0].get(i)
    if found is None:
        from kg.extract.actors import actor_at

        key = ("pattern actor at", i)
        if key not in ctx.memo:
            ctx.memo[key] = actor_at(ctx, i, ctx.mentions)  # المرصد after المرصد السوري …: refers back
        found = ctx.memo[key]
    return found


def _mention_to(ctx: Context, j: int) -> Located | None:
    return _mention_index(ctx)[1].get(j)


def _mention_index(ctx: Context) -> tuple[dict[int, Located], dict[int, Located]]:
    key = "pattern mention index"
    if key not in ctx.memo:
        by_first: dict[int, Located] = {}
        by_last: dict[int, Located] = {}
        for loc in ctx.mentions:
            by_first.setdefault(loc.first, loc)
            by_last[loc.last] = loc
        ctx.memo[key] = (by_first, by_last)
    return ctx.memo[key]
