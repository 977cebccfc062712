"""Mediation: acts by a third party aimed at stopping the fighting or getting the sides
to talk.

- the constructions that name a mediator (بوساطة X، توسطت فيه X، استضافت X محادثات، X ضامن…)
  are the rules of rules/mediation.toml, over the cues of lexicons/mediation_cues.tsv;
- offer_to_mediate, call_for_ceasefire, call_for_talks come from statements (a discourse
  step): a proposal whose content is mediation (اقترح … توسط موسكو), or a statement that
  calls, demands or says something must happen (دعا، طالب، ضرورة، يجب) about a ceasefire or
  talks — the first cue in the text decides which; one mediation per statement.

Armed forces and armed groups are parties, never mediators.
"""

from __future__ import annotations

from functools import cache

from kg.extract.actors import anonymous
from kg.extract.context import Context
from kg.extract.lexicons import mediation_cues, statement_words, title_words
from kg.extract.matching import PhraseTable, token_index_at
from kg.extract.mentions import Located
from kg.extract.model import Actor, CasualtyClaim, Mediation, Span, Statement
from kg.extract.patterns import Match, rule_matches
from kg.extract.rules import Rule, rules_for
from kg.extract.statements import reporting_verb_of, statement_verbs
from kg.namespaces import BASE

PARTY_KINDS = {"ArmedForces", "ArmedGroup"}
OFFICE_WORDS = 4  # ورئيس الوزراء الماليزي | أنور إبراهيم: the words of an office before a name


def find_mediations(ctx: Context, statements: list[Statement], casualties: list[CasualtyClaim]) -> list[Mediation]:
    found = _persons_for_their_states(_from_rules(ctx)) + _from_statements(ctx, statements)
    sides = belligerents(ctx) | _states_hit(casualties)
    unique: dict[tuple, Mediation] = {}
    for m in found:
        if m.mediator.kind in PARTY_KINDS or m.mediator.iri in sides or m.mediator.affiliation in sides:
            continue  # a side of the fighting is not a third party
        if anonymous(m.mediator):
            continue  # مصدر حكومي: whose side an unnamed source is on, the text does not say
        unique.setdefault((m.mediator.iri, m.evidence.start), m)  # one act per mediator and sentence
    return list(unique.values())


def _persons_for_their_states(found: list[tuple[Mediation, range]]) -> list[Mediation]:
    """الوسيط الأمريكي آموس هوكستين: the mediator is the person, not also their state, when
    the words that name the state are among those that name the person; the state stays when
    other words name it (محادثات استضافتها ماليزيا … برعاية أنور إبراهيم: both)."""
    persons = [(m.mediator.affiliation, words) for m, words in found if m.mediator.kind == "Person"]

    def named_with_person(m: Mediation, words: range) -> bool:
        return any(state == m.mediator.iri and _overlap(words, theirs) for state, theirs in persons)

    return [m for m, words in found if m.mediator.kind == "Person" or not named_with_person(m, words)]


def _overlap(a: range, b: range) -> bool:
    return a.start < b.stop and b.start < a.stop


def belligerents(ctx: Context) -> set[str]:
    """The sides of the fighting in the article: the states whose armed forces are named,
    and the armed groups."""
    sides = set()
    for loc in ctx.mentions:
        actor = loc.mention.actor
        if actor.kind == "ArmedForces" and actor.affiliation and not _peacekeeping_context(ctx, loc.first):
            sides.add(actor.affiliation)
        elif actor.kind == "ArmedGroup":
            sides.add(actor.iri)
    return sides


def _states_hit(casualties: list[CasualtyClaim]) -> set[str]:
    """The states where the article's dead and wounded fell (the country of the claims'
    places): the fighting is on their soil, so they are a side, not a third party."""
    hit = (c.place for c in casualties if c.place is not None and c.kind in ("killed", "injured"))
    return {place.iri if place.kind == "State" else place.affiliation for place in hit} - {None}


_PEACEKEEPING = "حفظ السلام"


def _peacekeeping_context(ctx: Context, i: int) -> bool:
    """القوات الروسية next to قوات حفظ السلام are those peacekeepers, not a side."""
    here = ctx.sentences.index_of(ctx.tokens[i].start)
    start = ctx.sentences.bounds[max(here - 1, 0)][0]
    end = ctx.sentences.bounds[here][1]
    return _PEACEKEEPING in ctx.norm.text[start:end]


@cache
def _tables() -> dict[str, PhraseTable]:
    return {role: PhraseTable(phrases) for role, phrases in mediation_cues().items()}


def _sentence_span(ctx: Context, i: int):
    start, end = ctx.sentence_of_token(i)
    return ctx.span(start, end)


def _from_rules(ctx: Context) -> list[tuple[Mediation, range]]:
    """Each rule's mediations, with the tokens of the match that named them."""
    out = []
    for rule in rules_for("mediation"):
        for match in rule_matches(ctx, rule):
            for mediator in _mediators(ctx, rule, match):
                found = Mediation(mediator, rule.kind, _sentence_span(ctx, match.start),
                                  _parties(ctx, match.start, mediator), rule=rule.iri)
                out.append((found, range(match.start, match.end)))
    return out


def _mediators(ctx: Context, rule: Rule, match: Match) -> list[Actor]:
    """The rule's mediator, and with the coordinated flag those joined to it by و before it
    (وكانت الولايات المتحدة والسعودية قد استضافتا …), with coordinated-after those after it."""
    label = rule.labels["mediator"]
    value = match.labels.get(label)
    actor = match.actor(label)
    if actor is not None and actor.kind == "Place":
        actor = ctx.gazetteer.actor_by_iri(actor.affiliation)  # تستضيف الدوحة: Qatar hosts
    if actor is None:
        return []
    found = [actor]
    if "coordinated-after" in rule.flags and isinstance(value, Located):
        loc = value
        while (after := _joined_after(ctx, loc)) is not None:
            found.append(after.mention.actor)  # وتشرف على المفاوضات الأمم المتحدة والنرويج وسويسرا
            loc = after
    if "coordinated" in rule.flags and isinstance(value, Located):
        loc = value
        while loc.prefix.startswith("و"):
            before = next((m for m in ctx.mentions if m.last == loc.first - 1), None)
            if before is None or before.mention.actor.kind == "Place" or not ctx.same_sentence(before.first, loc.first):
                break
            found.insert(0, before.mention.actor)
            loc = before
    return found


def _joined_after(ctx: Context, loc: Located) -> Located | None:
    """The actor joined to loc by و right after it (والنرويج), or after an office written
    with و (ترامب ورئيس الوزراء الماليزي أنور إبراهيم)."""
    after = ctx.mention_at(loc.last + 1)
    if after is not None:
        joined = after.prefix.startswith("و") and after.mention.actor.kind != "Place"
        return after if joined else None
    j = loc.last + 1
    if j >= len(ctx.tokens) or ctx.gap(loc.last, j) or not ctx.tokens[j].text.startswith("و"):
        return None
    if ctx.tokens[j].text[1:] not in title_words():
        return None
    named = next((m for m in ctx.mentions if j < m.first <= j + OFFICE_WORDS), None)
    if named is None or named.mention.actor.kind != "Person" or not ctx.same_sentence(j, named.first):
        return None
    return named


def _from_statements(ctx: Context, statements: list[Statement]) -> list[Mediation]:
    out = []
    for s in statements:
        span = _statement_tokens(ctx, s)
        for clause, kind_of_act, evidence in _clauses(ctx, s, span):
            found = _statement_mediation_kind(ctx, kind_of_act, clause)
            if found:
                kind, cue = found
                for caller in _reported_callers(ctx, range(clause.start, cue)) or [s.speaker]:
                    out.append(Mediation(caller, kind, evidence, rule=f"{BASE}rule/mediation/statement-{kind}"))
    return out


def _clauses(ctx: Context, s: Statement, span: range) -> list[tuple[range, str, Span]]:
    """The statement, cut before each participle that makes a call of its own (…، داعيا إلى
    الحوار): each part with the kind of its own verb and its evidence. A call in a later part
    is an act apart from the first part's (two in one sentence when both are calls)."""
    participles = sorted(p for p in ctx.phrases(_tables()["call_participle"]) if p in span and p > span.start)
    if not participles:
        return [(span, s.kind, s.evidence)]
    ends = [*participles, span.stop]
    head = range(span.start, ends[0])
    verb = next((v.info.kind for v in statement_verbs(ctx) if v.index in head), s.kind)  # not the kind the call gave it
    clauses = [(head, verb, s.evidence)]
    for p, end in zip(participles, ends[1:], strict=True):
        clause_end = ctx.tokens[end - 1].end if end < span.stop else ctx.norm_offset(s.evidence.end)
        clauses.append((range(p, end), "call", ctx.span(ctx.tokens[p].start, clause_end)))
    return clauses


def _statement_tokens(ctx: Context, s: Statement) -> range:
    first_token = token_index_at(ctx.tokens, ctx.norm_offset(s.evidence.start))
    return range(first_token, token_index_at(ctx.tokens, ctx.norm_offset(s.evidence.end)))


def _statement_mediation_kind(ctx: Context, kind_of_act: str, span: range) -> tuple[str, int] | None:
    """The kind of mediation a statement (or a clause of it: …، داعيا إلى الحوار) is, and the
    token of its first cue."""

    def first(role: str) -> int | None:
        return min((i for i in ctx.phrases(_tables()[role]) if i in span), default=None)

    offer = first("offer")
    if kind_of_act == "propose" and offer is not None:
        return "offer_to_mediate", offer
    if kind_of_act not in ("call", "demand", "propose") and first("modal") is None:
        return None
    ceasefire, talks = first("ceasefire"), first("talks")
    if ceasefire is None:
        ceasefire = _stop_the_fighting(ctx, span)
    if talks is None or (ceasefire is not None and ceasefire < talks):
        return None if ceasefire is None else ("call_for_ceasefire", ceasefire)
    return "call_for_talks", talks


def _reported_callers(ctx: Context, before_cue: range) -> list[Actor]:
    """قال المتحدث إن بلينكن شدد على أهمية الحوار، وأضاف: تحث السعودية والولايات المتحدة
    الطرفين على الحوار: those whose call the statement reports — an actor (and those joined
    to it by و) and a reporting verb, in either order, right after a complementizer or a
    colon — are the callers, not the reporter; the last such pair before the cue."""
    callers: list[Actor] = []
    for k in before_cue:
        if k == before_cue.start or not _content_opens(ctx, k):
            continue
        start = k + 1 if ctx.tokens[k].text in statement_words("complementizer") else k
        subject = ctx.mention_at(start)
        if subject is None or not (subject.last + 1 in before_cue and _reporting_verb(ctx, subject.last + 1)):
            subject = ctx.mention_at(start + 1) if _reporting_verb(ctx, start) else None
            if subject is not None and subject.prefix:
                subject = None  # دعا لبنان: the verb's addressee, not its subject
        if subject is not None:
            callers = [subject.mention.actor]
            while (subject := _joined_after(ctx, subject)) is not None:
                callers.append(subject.mention.actor)
    return callers


def _content_opens(ctx: Context, k: int) -> bool:
    """What was said opens at token k: a complementizer (إن، أن) or a colon before it."""
    gap = ctx.norm.text[ctx.tokens[k - 1].end : ctx.tokens[k].start]
    return ctx.tokens[k].text in statement_words("complementizer") or ":" in gap


def _reporting_verb(ctx: Context, i: int) -> bool:
    """Whether token i is a reporting verb (شدد، يحض، تحث)."""
    return i < len(ctx.tokens) and reporting_verb_of(ctx.tokens[i].text) is not None


STOP_GAP = 2


def _stop_the_fighting(ctx: Context, span: range) -> int | None:
    """وقف فوري لأعمال العنف، إنهاء كل أشكال القتال: a stop word and, at most STOP_GAP words
    after it in the same clause, what is fought (mediation_cues.tsv, roles stop and fighting)."""
    stops, fought = ctx.phrases(_tables()["stop"]), ctx.phrases(_tables()["fighting"])
    for i in sorted(k for k in stops if k in span):
        end = i + len(stops[i])
        for j in range(end, end + STOP_GAP + 1):
            if j in fought and j in span and not any(ctx.gap(k, k + 1) for k in range(i, j)):
                return i
    return None


def _parties(ctx: Context, i: int, mediator: Actor) -> tuple[Actor, ...]:
    """The states named in the sentence, other than the mediator."""
    start, end = ctx.sentence_of_token(i)
    seen: dict[str, Actor] = {}
    for loc in ctx.mentions:
        actor = loc.mention.actor
        if start <= ctx.tokens[loc.first].start < end and actor.kind == "State" and actor.iri != mediator.iri:
            seen.setdefault(actor.iri, actor)
    return tuple(seen.values())
