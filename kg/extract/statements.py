"""Reported speech: who said it, what kind of act, who relayed it, and the evidence span.

A statement starts at a reporting verb (lexicons/reporting_verbs.tsv). Its speaker is,
in this order: the actor named after the verb before the reported content starts
(قالت وزارة الدفاع الروسية إن …; with title and name, the person: نائب رئيس الوزراء،
تيغران أفينيان); several persons named together each make their own statement (ودعا
الرؤساء الروسي فلاديمير بوتين، والأميركي دونالد ترامب …); the actor named right before the
verb (لكن باكو قالت …); and for a verb with no subject of its own (وأضاف أن …، مشيرا إلى)
the latest speaker whose gender agrees with the verb. A verb that takes an addressee
(دعا X إلى) in the middle of someone's statement keeps that speaker: X is who is called on.
A sentence no verb's statement holds, whose source an attribution rule names (rules/
attribution.toml: وفقا للسلطات الأفغانية), is that source's announcement. The words these
constructions turn on are lexicons/statement_words.tsv.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from kg.extract.actors import (
    NAME_PARTICLES,
    TOLD_TO,
    actor_at,
    anonymous,
    is_function_word,
    is_head_word,
    is_name_word,
    new_actor,
    office_end,
    titled_start,
    unnamed_office_holder,
)
from kg.extract.context import Context
from kg.extract.dates import time_words
from kg.extract.lexicons import (
    ReportingVerb,
    casualty_terms,
    number_words,
    relay_cues,
    reporting_verbs,
    speech_nouns,
)
from kg.extract.lexicons import statement_words as speech_words
from kg.extract.matching import PhraseTable, token_index_at
from kg.extract.mentions import Located, proclitic_readings
from kg.extract.model import Actor, Mention, Statement
from kg.extract.patterns import Match, rule_matches
from kg.extract.persons import same_as_longer_name
from kg.extract.rules import rules_for
from kg.text import OPENING_QUOTES, QUOTE_MARKS, QUOTE_PAIRS, normalize

SUBJECT_WINDOW = 16  # tokens after the verb in which its subject may be named
BARE_NAME_WORDS = 3  # a name nobody knows, between a reporting verb and إن / أن
CONTINUATION_SENTENCES = 3  # how far back a verb without subject looks for its speaker
RELAY_WINDOW = 2
RELAYED_FROM_WINDOW = 6  # نقلت | قناة "المسيرة" التابعة لجماعة الحوثي اليمنية | عن
ADDRESSEE_OFFICE = 6  # مع | سفير السعودية لدى اليمن | محمد آل جابر
_ALSO = frozenset({"كما", "وكما"})
_KANA = frozenset({"كان", "كانت", "وكان", "وكانت"})
SUBJECT_AFTER_KANA = 7  # وكان | رئيس مفوضية الاتحاد الأفريقي موسى فقي | ، دعا
_NOT_SOURCES = {"Place", "MediaOrganization"}  # a medium named as the source relays (via), it does not speak
ORGANIZATIONS = {"GovernmentBody", "ArmedForces", "ArmedGroup", "MediaOrganization", "OtherOrganization"}
_STOP_MARKS = ":" + QUOTE_MARKS


@dataclass(frozen=True)
class _Verb:
    index: int
    info: ReportingVerb
    addressee_written_on: bool = False  # حثتهما روسيا: whom it calls on is the pronoun; the name after is the subject


def find_statements(ctx: Context) -> tuple[list[Statement], list[Located]]:
    """The statements, and the actors outside the gazetteer that were found as speakers."""
    finder = _Finder(ctx)
    finder.remember_sources()
    for verb in _verbs(ctx):
        finder.statements_at(verb)
    finder.relayed()
    finder.attributed()
    ordered = _end_at_next_statement(ctx, sorted(finder.statements, key=lambda s: s.evidence.start))
    statements = _merge_same_speaker(ctx, ordered)
    return [_refine_kind(s) for s in statements], finder.new_mentions


def statement_verbs(ctx: Context) -> list[_Verb]:
    """The reporting verbs of the text (a noun use such as في رد على left out), found once."""
    return _verbs(ctx)


def _verbs(ctx: Context) -> list[_Verb]:
    if "verbs" not in ctx.memo:
        ctx.memo["verbs"] = _find_verbs(ctx)
    return ctx.memo["verbs"]


def reporting_verb_of(word: str) -> ReportingVerb | None:
    """The reporting verb a word is, under the proclitics written on it (وقال، فأعلنت) and,
    for a verb that takes an addressee, the pronoun written after it (حثتهما، ودعاهم)."""
    return _reading_of(word) or _with_addressee_written_on(word)


def _reading_of(word: str) -> ReportingVerb | None:
    verbs = reporting_verbs()
    return next((verbs[f] for f, _ in proclitic_readings(word) if f in verbs), None)


def _with_addressee_written_on(word: str) -> ReportingVerb | None:
    for suffix in sorted(speech_words("object_suffix"), key=len, reverse=True):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            info = _reading_of(word[: -len(suffix)])
            if info is not None and info.takes_object:
                return info
    return None


def _find_verbs(ctx: Context) -> list[_Verb]:
    found = []
    for i, token in enumerate(ctx.tokens):
        info = _reading_of(token.text)
        suffixed = info is None and (info := _with_addressee_written_on(token.text)) is not None
        if info is None:
            continue
        if i > 0 and not ctx.gap(i - 1, i) and ctx.light(i - 1) in speech_words("noun_preposition", light=True):
            continue  # في رد على، بعد طلب: a noun, not a verb
        if _written_passive(ctx.span(token.start, token.end).text):
            continue  # وأُبلغ عن غارات، وُصفت بأنها: no one is said to speak
        found.append(_Verb(i, info, suffixed))
    return found


class _Finder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.statements: list[Statement] = []
        self.content_before: list[tuple[int, int]] = []  # (statement, its verb): على ما أعلن X
        self.new_mentions: list[Located] = []
        self.known: list[Located] = list(ctx.mentions)  # in text order
        self._named_at: dict[str, list[Located]] = {}
        self._index_size = -1
        self._known_set = set(self.known)
        self._gazetteer_mentions = frozenset(ctx.mentions)
        self._new_set: set[Located] = set()
        self._nested_memo: dict[tuple[str, int], tuple[int, bool]] = {}
        self.verb_starts = {v.index for v in _verbs(ctx)}

    # ------------------------------------------------------------ speakers

    def statements_at(self, verb: _Verb) -> None:
        ctx, i = self.ctx, verb.index
        speakers, start, how = self._speakers(verb)
        if not speakers:
            return
        content_before = self._content_before(i) and all(a.kind not in _NOT_SOURCES for a in speakers)
        if content_before:
            start = min(start, ctx.sentence_of_token(i)[0])
        evidence = ctx.span(start, self._evidence_end(i))
        for speaker in speakers:
            body = self._spoken_for(speaker, i)
            if body is not None:  # المتحدث باسم الوزارة أنيس الأصبحي: the ministry speaks, through him
                statement = Statement(body, verb.info.kind, evidence, speaker, rule=rule_iri("spokesperson"))
            else:
                via = self._via(verb, speaker) or self._told_to(speaker, i)
                if speaker.kind == "MediaOrganization" and via is not None and via.kind not in _NOT_SOURCES:
                    speaker, via = via, speaker  # وأفادت وسائل إعلام ليبية نقلا عن وزير الصحة: the minister speaks
                statement = Statement(speaker, verb.info.kind, evidence, via, rule=rule_iri(how))
            if content_before:
                self.content_before.append((len(self.statements), i))
            self.statements.append(statement)

    def _content_before(self, i: int) -> bool:
        """قتل 26 مدنيا، على ما أعلن الناطق باسم الجيش: what was said came before the verb
        (not كما أعلن X أن …: also)."""
        ctx = self.ctx
        k = i - 1
        if k >= 0 and ctx.tokens[k].text == "ما" and not ctx.gap(k, i):
            k -= 1
        if k < 0 or ctx.gap(k, k + 1) or ctx.light(k) not in speech_words("as_reported", light=True):
            return False
        sentence_start = ctx.sentence_of_token(i)[0]
        if self._said_follows(i):
            return False  # …، كما أفادت الأمم المتحدة في تقرير أن …: also, and what it said follows
        return ctx.tokens[k].start > sentence_start and ctx.gap(k - 1, k)

    def _spoken_for(self, speaker: Actor, near: int | None = None) -> Actor | None:
        """The body a spokesperson speaks for (المتحدث / الناطق [الرسمي] باسم X, before a
        titled name or after any name): the statement's speaker, the person its relay
        (tests/gold/SCHEMA.md: via is "the outlet/agency/spokesperson that relays it")."""
        loc = self._where_named(speaker, near)
        if loc is None:
            return None
        tokens = self.ctx.tokens
        if speaker.kind != "Person":  # متحدث باسم الوزارة, unnamed: the ministry speaks
            if not self._spokesperson_title_at(loc.first):
                return None
            behalf = next((k for k in range(loc.first, loc.last + 1) if tokens[k].text in speech_words("on_behalf_of")),
                          None)
            return self._body_after(behalf) if behalf is not None else None
        before = range(loc.first - 1, max(loc.first - 8, 0), -1)
        after = range(loc.last + 2, min(loc.last + 5, len(tokens)))
        for k in (*before, *after):
            if tokens[k].text not in speech_words("on_behalf_of") or k < 1:
                continue
            if not _spokesperson_word(tokens[k - 1].text, tokens[k - 2].text if k > 1 else ""):
                continue
            if k < loc.first and not speaker.role:
                body = self._actor_at(k + 1)
                if body is None or body.last != loc.first - 1:
                    return None  # an untitled name: only المتحدث باسم الوزارة أنيس الأصبحي, right after the body
            spoken_for = self._body_after(k, persons=k > loc.last)  # ستيفان دوغاريك المتحدث باسم غوتيريش
            return spoken_for if spoken_for is None or spoken_for.iri != speaker.iri else None
        return self._spoke_for_before(speaker)

    def _spoke_for_before(self, person: Actor) -> Actor | None:
        """وقال المتحدث إن …: a person who spoke for a body earlier in the article still does."""
        return next((s.speaker for s in reversed(self.statements)
                     if s.rule == rule_iri("spokesperson") and s.via is not None and s.via.iri == person.iri), None)

    def _body_after(self, behalf: int, persons: bool = False) -> Actor | None:
        """The body named after باسم at token behalf, if it is one (not a place; a person only
        when persons: المتحدث باسم غوتيريش speaks for him)."""
        body = self._actor_at(behalf + 1)
        if body is None or body.mention.actor.kind == "Place" or (body.mention.actor.kind == "Person" and not persons):
            return None
        self._remember([body])
        return body.mention.actor

    def _told_to(self, speaker: Actor, near: int | None = None) -> Actor | None:
        """The outlet a speaker spoke to, right after the speaker's name: وقال مصدر حكومي
        لـ«فرانس برس»، قال شهود عيان لرويترز (it relays the statement)."""
        loc = self._where_named(speaker, near)
        if loc is None:
            return None
        for j in (loc.last + 1, loc.last + 2):
            outlet = self.ctx.mention_at(j)
            if outlet is not None and outlet.mention.actor.kind == "MediaOrganization":
                told = "ل" in outlet.prefix or (j == loc.last + 2 and self.ctx.tokens[loc.last + 1].text in ("ل", "لـ"))
                return outlet.mention.actor if told else None
        return None

    def _where_named(self, actor: Actor, near: int | None = None) -> Located | None:
        """Where the actor was named: nearest to token near in its sentence (the speaker of
        that verb, not the same name said later: وقال المتحدث … إن بلينكن), else the latest."""
        if len(self.known) != self._index_size:  # where each actor is named, made again as names are found
            self._named_at = {}
            for loc in self.known:
                self._named_at.setdefault(loc.mention.actor.iri, []).append(loc)
            self._index_size = len(self.known)
        named = self._named_at.get(actor.iri, [])
        if near is not None:
            here = [loc for loc in named if self.ctx.same_sentence(loc.first, near)]
            if here:
                return min(here, key=lambda loc: abs(loc.first - near))
        return named[-1] if named else None

    def _speakers(self, verb: _Verb) -> tuple[list[Actor], int, str]:
        """The speakers of a reporting verb, where the statement starts, and which way they
        were found (the rule the statement records)."""
        ctx, i = self.ctx, verb.index
        start = ctx.tokens[i].start
        announced = self._statement_noun_subject(i)
        if announced:
            return [announced], start, "statement-noun"
        if self._verb_form(i) in speech_words("needs_statement_noun"):
            return [], start, ""
        talk_only = self._verb_form(i) in speech_words("needs_about") and not self._about_follows(i)
        before = self._subject_before(i) if verb.info.takes_object else None
        if before:
            return [before.mention.actor], ctx.tokens[before.first].start, "subject-before-verb"
        continuing = self._earlier_statement_in_sentence(i) or self._after_complementizer(i)
        mid_statement = verb.info.takes_object and continuing and not self._new_clause(i) \
            and not verb.addressee_written_on
        if mid_statement:  # ودعا باكو إلى …: the name after the verb is who is called on
            previous = self._previous_speaker(i, verb.info.gender)
            return ([previous] if previous else []), start, "continued-speaker"
        if not mid_statement:
            if not self._reports_here(i):
                return [], start, ""
            if self._same_source(i + 1):
                previous = self._previous_speaker(i, "p")
                return ([previous] if previous else []), start, "same-source"
            subjects = self._subjects_after(i)
            if subjects:
                if talk_only:
                    return [], start, ""  # تحدث مع: a call, but its subject is still an actor
                return subjects, start, "subject-after-verb"
            before = self._subject_before(i)
            if before and not talk_only:  # ماكرون تحدث إلى نتنياهو: a call, whoever made it
                return [before.mention.actor], ctx.tokens[before.first].start, "subject-before-verb"
        if talk_only or not self._subjectless(i):
            return [], start, ""
        previous = self._previous_speaker(i, verb.info.gender)
        return ([previous] if previous else []), start, "continued-speaker"

    def _new_clause(self, i: int) -> bool:
        """في حين دعت واشنطن …، بينما طالبت …: a contrast opens a clause with a subject of its own."""
        before = " ".join(t.text for t in self.ctx.tokens[max(i - 2, 0) : i])
        return any(before == opener or before.endswith(" " + opener) for opener in speech_words("clause_opener"))

    def _verb_form(self, i: int) -> str:
        word = self.ctx.tokens[i].text
        return word[1:] if word[:1] in ("و", "ف") else word

    def _about_follows(self, i: int) -> bool:
        ctx = self.ctx
        for j in range(i + 1, min(i + 1 + SUBJECT_WINDOW, len(ctx.tokens))):
            if self._content_starts(j):
                return ctx.tokens[j].text in speech_words("about")
        return False

    def _said_follows(self, i: int) -> bool:
        """Whether what was said follows the verb at token i within its subject window."""
        return any(self._content_at(j) for j in range(i + 1, min(i + 1 + SUBJECT_WINDOW, len(self.ctx.tokens))))

    def _reports_here(self, i: int) -> bool:
        """Whether a verb that is mostly not about speech reports here: with what was said
        after it (وتابع: …) or a toll (رفعت الوزارة حصيلة …). Checked before its subject is
        looked for: رفع المتظاهرون لافتات names no speaker."""
        form = self._verb_form(i)
        return not (
            (form in speech_words("needs_content") and not self._said_follows(i))
            or (form in speech_words("needs_toll") and not self._toll_follows(i))
        )

    def _toll_follows(self, i: int) -> bool:
        """Whether a toll or count (حصيلة، عدد) is named within the verb's subject window."""
        tolls = speech_words("toll_noun")
        window = self.ctx.tokens[i + 1 : i + 1 + SUBJECT_WINDOW]
        return any(f in tolls for t in window for f, _ in proclitic_readings(t.text))

    def _content_at(self, j: int) -> bool:
        """What was said starts at token j: a complementizer, or a colon or quote mark before it."""
        gap = self.ctx.norm.text[self.ctx.tokens[j - 1].end : self.ctx.tokens[j].start]
        return self.ctx.tokens[j].text in speech_words("clause_start") or any(ch in gap for ch in _STOP_MARKS)

    def _earlier_statement_in_sentence(self, i: int) -> bool:
        ctx = self.ctx
        start, _ = ctx.sentence_of_token(i)
        here = ctx.original_offset(i)
        first = ctx.norm.to_original(start, start + 1)[0]
        return any(first <= s.evidence.start < here for s in self.statements)

    def _statement_noun_subject(self, i: int) -> Actor | None:
        """وقال بيان لوزارة الخارجية …: the statement's author; وأضاف البيان: the author of
        the last statement that was issued as one."""
        ctx = self.ctx
        if i + 1 < len(ctx.tokens) and ctx.tokens[i + 1].text in speech_words("the_statement"):
            position = ctx.original_offset(i)
            issued = [s for s in self.statements
                      if s.evidence.start < position and _issued_as_statement(s)]
            return issued[-1].speaker if issued else None
        if i + 2 < len(ctx.tokens) and ctx.tokens[i + 1].text == "في" and not ctx.gap(i, i + 1):
            i += 1  # وجاء في بيان الخارجية القطرية أن …
        if i + 2 >= len(ctx.tokens) or ctx.tokens[i + 1].text not in speech_words("statement_noun"):
            return None
        j = i + 2  # بيان لوزارة …، بيان صادر عن الوزارة، بيان رسمي من الوزارة
        while j < min(i + 4, len(ctx.tokens) - 1) and ctx.tokens[j].text in speech_words("statement_adjective"):
            j += 1
        by = ctx.tokens[j].text in speech_words("statement_author") and not ctx.gap(j, j + 1)
        loc = self._actor_at(j + 1 if by else j)
        genitive = loc is not None and j == i + 2 and not loc.prefix and not ctx.gap(i + 1, j)  # بيان الاتحاد الإفريقي
        if loc and (by or genitive or loc.prefix.endswith("ل")) and loc.mention.actor.kind != "Place":
            self._remember([loc])
            return loc.mention.actor
        return None

    def _subjects_after(self, i: int) -> list[Actor]:
        """The actor named right after the verb; several persons named together (joint
        statements) are all speakers. The subject must start at the word after the verb (or
        after a pronoun on a preposition: أعلنت عنه)."""
        ctx = self.ctx
        if i + 1 >= len(ctx.tokens):
            return []
        first = i + 1  # حسب ما أعلنت عنه وزارة الصحة: a pronoun may stand between
        if ctx.tokens[first].text in speech_words("verb_pronoun") and first + 1 < len(ctx.tokens):
            first += 1
        while first + 1 < len(ctx.tokens) and not ctx.gap(first - 1, first):
            if ctx.tokens[first].text in time_words():
                first += 1  # وقالت اليوم الأحد وزارة الصحة إن
            elif self._for_its_part(first):
                first += 2  # وأعلنت من جهتها قوات سوريا الديمقراطية
            else:
                break
        if ctx.tokens[first].text in speech_words("command_of") and ctx.mention_at(first + 1) is not None:
            first += 1  # أكدت قيادة الجيش السوداني: the army speaks
        if [t.text for t in ctx.tokens[first : first + 2]] == ["كل", "من"] and first + 2 < len(ctx.tokens):
            first += 2  # أفادت كل من أذربيجان وأرمينيا: each speaks
        quoted = self._quoted_subject(first)
        if quoted is not None:
            self._remember([quoted])
            return [quoted.mention.actor]
        if not (self._actor_at(first) or titled_start(ctx, first)):
            named = self._bare_name_after(i)
            if named is None:
                return []
            self._remember([named])
            return [named.mention.actor]
        found: list[Located] = []
        j = first
        while j < min(i + 1 + SUBJECT_WINDOW, len(ctx.tokens)) and ctx.same_sentence(i, j):
            gap = ctx.norm.text[ctx.tokens[j - 1].end : ctx.tokens[j].start]
            quoted_name = ctx.tokens[j - 1].text in speech_words("on_behalf_of")  # الناطق باسم "حركة الشباب"
            if self._content_starts(j) or j in self.verb_starts or ctx.tokens[j].text in _casualty_triggers() \
                    or (any(ch in gap for ch in _STOP_MARKS) and not quoted_name):
                break  # أكدت كتائب القسام في بيان مقتل أحمد …: the news, not who told it
            loc = self._actor_at(j)
            if loc is None:
                j += 1
                continue
            if loc.mention.actor.kind == "MediaOrganization" and (office := office_end(ctx, first)) \
                    and j >= office[0]:
                break  # أفاد ممثل مجموعة مسلحة | وكالة الصحافة الفرنسية: the agency told, not who spoke
            if loc.mention.actor.kind != "Place" and not self._addressee(loc):
                found.append(loc)
            j = loc.last + 1
        persons = [loc for loc in found if loc.mention.actor.kind == "Person"]
        if persons and found[0] is not persons[0] and not self._names_the_holder(found, persons[0]):
            persons = []  # أعلنت الوزارة في بيانها أن محمد …: the body speaks, not someone it names
        chosen = self._coordinated(persons) if persons else self._coordinated_states(found)
        if not persons:
            chosen = self._office_holder(first, chosen) or chosen
        self._remember(chosen)
        return [loc.mention.actor for loc in chosen]

    def _names_the_holder(self, found: list[Located], person: Located) -> bool:
        """Whether the person right follows the actors before them, as the holder of an office
        they name (المتحدث باسم الجيش X، وزير خارجية قطر X): nothing else stands between."""
        before = [loc for loc in found if loc.last < person.first]
        return bool(before) and person.first - before[-1].last <= 2

    def _office_holder(self, first: int, chosen: list[Located]) -> list[Located] | None:
        """وأكد وزير خارجية تايلاند أن …: an office no name follows speaks as the person who
        holds it, not as the state it names (a spokesperson speaks for the body instead)."""
        if not titled_start(self.ctx, first) or self._spokesperson_title_at(first):
            return None
        ctx = self.ctx
        holder = unnamed_office_holder(ctx, first)
        if holder is None or not self._name_ends(holder.last):
            return None
        beyond = next((loc for loc in chosen if loc.last > holder.last), None)
        if beyond is not None and not any(ctx.gap(k, k + 1) for k in range(holder.last, beyond.first)):
            return None
        if anonymous(holder.mention.actor):  # مسئول بالجيش الباكستاني: an official speaks for the body
            body = next((loc for loc in ctx.mentions if first <= loc.first and loc.last <= holder.last
                         and loc.mention.actor.kind not in ("Person", "Place")), None)
            return [body] if body is not None else None
        return [holder]

    def _name_ends(self, last: int) -> bool:
        """Whether no name can follow token last: the sentence, a mark or what was said does
        (الجنرال | علي أن: a name the title goes with)."""
        ctx, j = self.ctx, last + 1
        if j >= len(ctx.tokens) or not ctx.same_sentence(last, j) or ctx.gap(last, j):
            return True
        return (self._content_starts(j) or ctx.tokens[j].text in speech_words("complementizer")
                or ctx.tokens[j].text in speech_words("not_a_name") or j in self.verb_starts
                or not is_name_word(ctx, j))  # رحب رئيس المفوضية | بهذا الإعلان

    def _quoted_subject(self, j: int) -> Located | None:
        """وقال "الشباب" إنهم …: a name in quote marks right after the verb, then what was said."""
        ctx = self.ctx
        loc = self._actor_at(j)
        if loc is None or loc.mention.actor.kind == "Place" or loc.last + 1 >= len(ctx.tokens):
            return None
        text = ctx.norm.text
        opened = text[ctx.tokens[j - 1].end : ctx.tokens[j].start]
        closed = text[ctx.tokens[loc.last].end : ctx.tokens[loc.last + 1].start]
        if not (any(q in opened for q in QUOTE_MARKS) and any(q in closed for q in QUOTE_MARKS)):
            return None
        return loc if ctx.tokens[loc.last + 1].text in speech_words("clause_start") else None

    def _bare_name_after(self, i: int) -> Located | None:
        """وقال خليل إن … / أضاف فروانة أن …: one to three words nobody knows, between a
        reporting verb and the complementizer that opens what was said, name a person."""
        ctx = self.ctx
        for last in range(i + 1, min(i + 1 + BARE_NAME_WORDS, len(ctx.tokens) - 1)):
            nxt = ctx.tokens[last + 1].text
            if any(ctx.gap(k, k + 1) for k in range(i, last)):
                return None
            if last > i + 1 and (self._spokesperson_title_at(last + 1) or titled_start(ctx, last + 1)):
                break  # وقال سوراسانت كونجسيري، المتحدث باسم وزارة الدفاع / أفاد قاسم دخيل مسؤول الإدارة
            word = ctx.tokens[last].text
            if last > i + 1 and word.startswith(("لل", *TOLD_TO)):
                last -= 1  # وقال أنطونيو جوتيريس | للصحفيين: whom it was said to
                break
            if last > i + 1 and self._object_from(last):
                last -= 1  # واتهم جمجوم | الحكومة بأنها …: the name, then whom the verb is about
                break
            if (is_function_word(ctx, last) or last in self.verb_starts or word.isdigit()
                    or (last == i + 1 and word.startswith("ال") and not self._nisba_surname(last))
                    or word in speech_words("not_a_name") or word in time_words() or _names_a_casualty(word)):
                return None  # أفاد | بمقتل عشرة: the news, not a name; وقالت | يوم الأحد: when
            mark = ctx.norm.text[ctx.tokens[last].end : ctx.tokens[last + 1].start].strip()
            if mark and any(q in mark for q in ":" + OPENING_QUOTES) and self._plain_say(i) and not any(
                    is_head_word(t.text) for t in ctx.tokens[i + 1 : last + 1]):
                break  # وقال هايدن «…»: what was said, in quotes (not كشفت صحيفة "هآرتس")
            if mark in ("،", ",") and last > i + 1 and (self._spokesperson_title_at(last + 1)
                                                        or titled_start(ctx, last + 1)):
                break  # وقال رضوان حسين، ممثل الحكومة الإثيوبية: the name, then the office after a comma
            if mark:
                return None
            if nxt in speech_words("complementizer") or (last == i + 1 and self._preposition_of_verb(i, last + 1)):
                break  # وقال خليل إن، أشار رشوان إلى، أعرب رجبي عن
        else:
            return None
        name = " ".join(t.text for t in ctx.tokens[i + 1 : last + 1])
        span = ctx.span(ctx.tokens[i + 1].start, ctx.tokens[last].end)
        named = Located(Mention(new_actor(name, span.text, "Person"), span), i + 1, last)
        return same_as_longer_name(ctx, named, ctx.mentions)

    def _preposition_of_verb(self, i: int, j: int) -> bool:
        """إلى after أشار، عن after أعرب: what was said follows, so the one word between is the
        speaker — for a verb that takes no object (دعا خليل إلى: whom it called on)."""
        verb = reporting_verb_of(self.ctx.tokens[i].text)
        word = self.ctx.tokens[j - 1].text
        if (word in speech_words("verb_adverb") or word.startswith(("ب", "ل")) or word in speech_words("partitive")
                or (word.endswith("ا") and len(word) > 3) or (word,) in number_words()):
            return False  # أشار خصوصا إلى، رحب بمندوبين من، لفت ساخرا إلى، أعلن جزء من، قال اثنان من
        return (verb is not None and not verb.takes_object and not _participle(self._verb_form(i))
                and self.ctx.light(j) in speech_words("content_preposition", light=True))

    def _plain_say(self, i: int) -> bool:
        """قال، أضاف، تابع: a verb of saying that is not a participle and takes no addressee."""
        word = self._verb_form(i)
        verb = reporting_verbs().get(word)
        return verb is not None and not verb.takes_object and not _participle(word)

    def _object_from(self, j: int) -> bool:
        """Whether a definite noun at token j (not a surname) is an object the complementizer
        follows within two words (واتهم جمجوم الحكومة بأنها، ووصفت اسكوتلنديارد الوفاة بأنها)."""
        ctx = self.ctx
        word = ctx.tokens[j].text
        if not word.startswith("ال") or self._nisba_surname(j) or ctx.tokens[j - 1].text in NAME_PARTICLES:
            return False
        ahead = range(j + 1, min(j + 3, len(ctx.tokens)))
        return any(ctx.tokens[k].text in speech_words("complementizer") for k in ahead) and not any(
            ctx.gap(k - 1, k) for k in ahead)

    def _nisba_surname(self, j: int) -> bool:
        """A surname such as الجيزاني or الصفدي: ال + a nisba ending, not a nation's adjective."""
        word = self.ctx.tokens[j].text
        return (len(word) >= 6 and word.endswith("ي") and word not in self.ctx.gazetteer.demonyms
                and not titled_start(self.ctx, j) and actor_at(self.ctx, j, self.known) is None)

    def _spokesperson_title_at(self, j: int) -> bool:
        """Whether المتحدث باسم / الناطق الرسمي باسم starts at token j."""
        title = [t.text for t in self.ctx.tokens[j : j + 3]] + ["", ""]
        if title[0] not in speech_words("spokesperson"):
            return False
        behalf = speech_words("on_behalf_of")
        return title[1] in behalf or (title[1] in speech_words("official") and title[2] in behalf)

    def _coordinated_states(self, found: list[Located]) -> list[Located]:
        """ودعت الأردن ومصر، أعلنت الحكومة وحركة 23 مارس: actors joined by و each speak;
        otherwise the first actor."""
        chosen = found[:1]
        for loc in found[1:]:
            joined = loc.prefix.startswith("و") and loc.first == chosen[-1].last + 1
            if not joined or loc.mention.actor.kind == "Person":
                break
            chosen.append(loc)
        return chosen

    def _coordinated(self, persons: list[Located]) -> list[Located]:
        """The first person and those joined to it by و (والأميركي دونالد ترامب)."""
        chosen = persons[:1]
        for prev, loc in zip(persons, persons[1:], strict=False):
            between = self.ctx.tokens[prev.last + 1 : loc.first + 1]
            if not any(t.text.startswith("و") for t in between):
                break
            chosen.append(loc)
        return chosen

    def _subject_before(self, i: int) -> Located | None:
        """لكن باكو قالت / عبد اللهيان فقد أكد / إن بلينكن طلب; not a name before و and the verb
        (… في البيت الأبيض وقال: the verb goes on from a clause whose subject came before)."""
        ctx = self.ctx
        if _joined_by_wa(ctx.tokens[i].text):
            return None
        j = i - 1
        while j >= 0 and ctx.tokens[j].text in speech_words("verb_particle") and not ctx.gap(j, j + 1):
            j -= 1
        if j < 0 or (ctx.gap(j, j + 1 if j + 1 < i else i) and not self._comma_before_particle(j, i)):
            return None
        for first in range(max(j - 5, 0), j + 1):  # the longest name ending there: بعثة الأمم المتحدة في ليبيا
            loc = self._actor_at(first) or unnamed_office_holder(ctx, first)  # وزير الخارجية الأمريكي يدعو
            if loc and loc.last == j and loc.mention.actor.kind != "Place" and not loc.prefix.endswith(("ل", "ب", "ك")):
                self._remember([loc])
                return loc
        return None

    def _comma_before_particle(self, j: int, i: int) -> bool:
        """وكان الرئيس الأمريكي دونالد ترامب، قد أعلن: a comma between the subject and قد, or
        between a subject after كان and its verb (وكان رئيس المفوضية موسى فقي، دعا)."""
        ctx = self.ctx
        between = ctx.norm.text[ctx.tokens[j].end : ctx.tokens[j + 1].start].strip()
        if between not in ("،", ","):
            return False
        if j + 1 == i:  # the subject is the whole of what stands between كان and the comma
            return any(ctx.tokens[k].text in _KANA and not ctx.gap(k, k + 1)
                       and (named := self._actor_at(k + 1)) is not None and named.last == j
                       for k in range(max(j - SUBJECT_AFTER_KANA, 0), j))
        return ctx.tokens[j + 1].text in speech_words("verb_particle")

    def _subjectless(self, i: int) -> bool:
        """A verb whose content follows at once (وأضاف أن، وأشارت إلى، مشيرا إلى، قالت فيه إن)
        and that continues a text (joined by و، a participle, after a comma, or opening the
        sentence) refers back to a speaker."""
        ctx = self.ctx
        nxt = self._past_adverbs(i + 1)
        if nxt >= len(ctx.tokens):
            return False
        if ctx.tokens[nxt].text in speech_words("content_after_verb") and nxt + 1 < len(ctx.tokens):
            nxt += 1
        if not (self._content_starts(nxt) or self._content_at(nxt)):
            return False
        word = ctx.tokens[i].text
        sentence_start, _ = ctx.sentence_of_token(i)
        before = ctx.norm.text[sentence_start : ctx.tokens[i].start]
        return (
            word[:1] in ("و", "ف")
            or _participle(word)
            or not before.strip()
            or normalize(before.strip()) in _ALSO  # كما أشارت إلى: she also pointed to
            or before.rstrip().endswith(("،", ","))
            or nxt > i + 1
        )

    def _past_adverbs(self, j: int) -> int:
        """The first token from j on that is not an adverb (خصوصا، أيضا), a time word (وقالت
        يوم الأحد إن) or the outlet told (وأكد لوكالة فرانس برس أن), in the same clause."""
        ctx = self.ctx
        while j < len(ctx.tokens) and not ctx.gap(j - 1, j):
            if ctx.tokens[j].text in speech_words("verb_adverb") or ctx.tokens[j].text in time_words():
                j += 1
                continue
            if self._for_its_part(j):
                j += 2
                continue
            outlet = ctx.mention_at(j)
            if outlet is None or outlet.mention.actor.kind != "MediaOrganization" or not outlet.prefix.endswith("ل"):
                break
            j = outlet.last + 1
        return j

    def _for_its_part(self, j: int) -> bool:
        """من جهته / من جانبها at token j."""
        tokens = self.ctx.tokens
        return j + 1 < len(tokens) and tokens[j].text == "من" and tokens[j + 1].text in speech_words("for_its_part") \
            and not self.ctx.gap(j, j + 1)

    def _same_source(self, j: int) -> bool:
        """المصدر ذاته / المصادر نفسها at token j: the source of the statement before."""
        tokens = self.ctx.tokens
        return j + 1 < len(tokens) and tokens[j].text in speech_words("same_source") \
            and tokens[j + 1].text in speech_words("the_same") and not self.ctx.gap(j, j + 1)

    def _previous_speaker(self, i: int, gender: str) -> Actor | None:
        """The speaker of the last statement in this sentence, else the first actor named
        earlier in it, else the last speaker of the sentences before — agreeing in gender."""
        ctx = self.ctx
        here = ctx.sentences.index_of(ctx.tokens[i].start)
        position = ctx.original_offset(i)
        earlier = sorted((s for s in self.statements if s.evidence.start < position and not self._nested(s)),
                         key=lambda s: s.evidence.start, reverse=True)
        same_sentence = [s for s in earlier if ctx.sentences.index_of(ctx.norm_offset(s.evidence.start)) == here]
        for s in same_sentence:
            if self._agrees(s.speaker, gender):
                return s.speaker
        sentence_start, _ = ctx.sentence_of_token(i)
        for loc in self.known:
            if sentence_start <= ctx.tokens[loc.first].start < ctx.tokens[i].start:
                actor = loc.mention.actor
                if actor.kind != "Place" and not self._addressee(loc) and _agrees(actor, gender, loc.mention.span.text):
                    return actor
        for s in earlier:
            if here - ctx.sentences.index_of(ctx.norm_offset(s.evidence.start)) > CONTINUATION_SENTENCES:
                return None
            if self._agrees(s.speaker, gender) or self._spokesperson_agrees(s, gender):
                return s.speaker
        return None

    def _spokesperson_agrees(self, s: Statement, gender: str) -> bool:
        """وقال المتحدث باسم المفوضية … وأشار: the spokesperson goes on, for the body."""
        return s.rule == rule_iri("spokesperson") and s.via is not None and self._agrees(s.via, gender)

    def _nested(self, statement: Statement) -> bool:
        # Statements are only ever added, so each is checked against the new ones only.
        key = (statement.speaker.iri, statement.evidence.start)
        checked, nested = self._nested_memo.get(key, (0, False))
        if not nested:
            nested = any(o.speaker.iri != statement.speaker.iri and self._reported_within(o, statement.evidence.start)
                         for o in self.statements[checked:])
            self._nested_memo[key] = (len(self.statements), nested)
        return nested

    def _reported_within(self, outer: Statement, position: int) -> bool:
        """Whether original offset position lies in the content outer reports: after a quote
        mark or a complementizer (إن، أن) that follows outer's verb."""
        if not outer.evidence.start < position < outer.evidence.end:
            return False
        ctx = self.ctx
        between = ctx.norm.original[outer.evidence.start : position]
        if any(mark in between for mark in _STOP_MARKS):
            return True
        return not speech_words("clause_start").isdisjoint(normalize(w) for w in between.split())

    def _agrees(self, actor: Actor, gender: str) -> bool:
        """Agreement with the name the actor was last called by (القيادة الانفصالية is
        feminine although the group's label, الانفصاليون الأرمن, is not)."""
        named = [loc.mention.span.text for loc in self.known if loc.mention.actor.iri == actor.iri]
        surface = named[-1] if named else None
        return _agrees(actor, gender, surface)

    def _inside_statement(self, i: int) -> bool:
        position = self.ctx.original_offset(i)
        return any(s.evidence.start < position < s.evidence.end for s in self.statements)

    def _after_complementizer(self, i: int) -> bool:
        return i > 0 and self.ctx.tokens[i - 1].text in speech_words("clause_start")

    def _content_starts(self, j: int) -> bool:
        ctx = self.ctx
        word = ctx.tokens[j].text
        starts = speech_words("clause_start")
        return word in starts or ctx.light(j) in speech_words("content_preposition", light=True) or (
            word.startswith("ب") and normalize(word[1:]) in starts
        )

    def _addressee(self, loc: Located) -> bool:
        ctx = self.ctx
        if loc.prefix.endswith(("ل", "ب", "ك")):
            return True
        earlier = [t for k, t in enumerate(ctx.tokens[max(loc.first - 3, 0) : loc.first], start=max(loc.first - 3, 0))
                   if ctx.same_sentence(k, loc.first)]  # not مع in the headline above
        if any(f in speech_words("addressee_marker") for t in earlier for f, _ in proclitic_readings(t.text)):
            return True
        k = loc.first - 1  # مع سفير السعودية لدى اليمن محمد آل جابر: the office after مع, then the name
        while k >= max(loc.first - ADDRESSEE_OFFICE, 0) and not ctx.gap(k, k + 1):
            if ctx.tokens[k].text == "مع":
                return True
            k -= 1
        return False

    def _actor_at(self, j: int) -> Located | None:
        return actor_at(self.ctx, j, self.known)

    def _remember(self, found: list[Located]) -> None:
        for loc in found:
            if loc not in self._known_set:
                self._known_set.add(loc)
                insort(self.known, loc, key=_first_token)
            if loc not in self._gazetteer_mentions and loc not in self._new_set:
                self._new_set.add(loc)
                self.new_mentions.append(loc)

    # ------------------------------------------------------------ spans and relays

    def _evidence_end(self, i: int) -> int:
        """The end of the verb's sentence, or the next reporting verb in it."""
        ctx = self.ctx
        _, end = ctx.sentence_of_token(i)
        for j in range(i + 1, len(ctx.tokens)):
            if ctx.tokens[j].start >= end:
                break
            if j in self.verb_starts and ctx.tokens[j].text.startswith("و"):
                end = ctx.tokens[j].start
                break
        text = ctx.norm.text
        end = _quote_closed(text, ctx.tokens[i].end, end)
        while end > ctx.tokens[i].end and (text[end - 1].isspace() or text[end - 1] in "،,"):
            end -= 1
        return end

    def _via(self, verb: _Verb, speaker: Actor) -> Actor | None:
        position = self.ctx.original_offset(verb.index)
        for s in self.statements:
            if s.speaker.iri != speaker.iri and self._reported_within(s, position):
                return s.speaker  # said inside another actor's statement
        if self._first_verb_of_sentence(verb.index):
            return self._relay_in_sentence(verb.index, speaker)
        return None

    def _first_verb_of_sentence(self, i: int) -> bool:
        ctx = self.ctx
        start, _ = ctx.sentence_of_token(i)
        return not any(ctx.tokens[j].start >= start for j in self.verb_starts if j < i)

    def _relay_in_sentence(self, i: int, speaker: Actor) -> Actor | None:
        ctx = self.ctx
        start, end = ctx.sentence_of_token(i)
        first = token_index_at(ctx.tokens, start)
        for j in range(first, len(ctx.tokens)):
            if ctx.tokens[j].start >= end:
                break
            cue = ctx.phrases(_relay_table()).get(j)
            if cue:
                after = j + len(cue)
                found = ctx.mention_starting_in(after, after + RELAY_WINDOW - 1) or self._actor_at(after)
                if found and found.mention.actor.kind != "Place" and found.mention.actor.iri != speaker.iri:
                    return found.mention.actor
        return None

    def relayed(self) -> None:
        """ونقلت رويترز عن وزارة الخارجية الروسية دعوتها إلى …"""
        ctx = self.ctx
        for i, token in enumerate(ctx.tokens):
            if token.text not in speech_words("relay_verb"):
                continue
            media = self._actor_at(i + 1) if i + 1 < len(ctx.tokens) else None
            if media is None or media.last + 2 >= len(ctx.tokens):
                continue
            source = self._relayed_from(media.last + 1)
            if source is None:
                continue
            speaker = self._actor_at(source) or self._whole_office(source)
            if speaker is None or speaker.mention.actor.kind == "Place":
                continue
            self._remember([media, speaker])
            noun_i = speaker.last + 1
            kind = "assert"
            if noun_i < len(ctx.tokens):
                kind = next((speech_nouns()[f] for f in _stems(ctx.tokens[noun_i].text) if f in speech_nouns()),
                            "assert")
            evidence = ctx.span(token.start, self._sentence_end(i))
            self.statements.append(Statement(speaker.mention.actor, kind, evidence, media.mention.actor,
                                             rule=rule_iri("relayed-by-media")))

    def _whole_office(self, j: int) -> Located | None:
        """عن وزير الدفاع الأمريكي قوله: an office with no name, when the words said follow it
        at once (not عن رئيس مجلس | حكومة …: an office cut short)."""
        holder = unnamed_office_holder(self.ctx, j)
        nxt = holder.last + 1 if holder else len(self.ctx.tokens)
        if nxt >= len(self.ctx.tokens) or not any(f in speech_nouns() for f in _stems(self.ctx.tokens[nxt].text)):
            return None
        return holder

    def _relayed_from(self, j: int) -> int | None:
        """The token after عن, at j or after what more is said of the medium in the same
        clause (قناة "المسيرة" التابعة لجماعة الحوثي عن …), within RELAYED_FROM_WINDOW words."""
        ctx = self.ctx
        for k in range(j, min(j + RELAYED_FROM_WINDOW + 1, len(ctx.tokens) - 1)):
            if k > j and ctx.gap(k - 1, k):
                return None
            if ctx.tokens[k].text in speech_words("relayed_from"):
                return k + 1
            if k in self.verb_starts:
                return None
        return None

    def _attributed_sources(self, opening_media: bool = False) -> Iterator[tuple[str, Match, Located]]:
        """(rule IRI, match, source) for each source an attribution rule names that may speak
        (not a place; a medium named as the source relays, it does not speak). opening_media:
        also a medium named at the start of its sentence (وبحسب صحيفة الغارديان، فإنه …: no
        one else is named, the paper itself reports it)."""
        for rule in rules_for("attribution"):
            for match in rule_matches(self.ctx, rule):
                source = match.labels.get(rule.labels["claimant"])
                if not isinstance(source, Located) or source.mention.actor.kind == "Place":
                    continue
                opening = opening_media and self._opens_sentence(match.start)
                if source.mention.actor.kind in _NOT_SOURCES and not opening:
                    continue
                yield rule.iri, match, source

    def _opens_sentence(self, i: int) -> bool:
        return self.ctx.sentence_of_token(i)[0] == self.ctx.tokens[i].start

    def remember_sources(self) -> None:
        """The sources attribution rules name (وفقا لوزارة الصحة التابعة للحوثيين), known before
        any verb is read, so that a later الوزارة refers back to them."""
        for _, _, source in self._attributed_sources():
            self._remember([source])

    def attributed(self) -> None:
        """A sentence no statement holds, whose source an attribution rule names (وبحسب وزارة
        الدفاع "بلغت الخسائر …"، … وفقا للسلطات الأفغانية، حسبما أفاد بيان صادر عن X;
        rules/attribution.toml): that source announces what the sentence says."""
        ctx = self.ctx
        self._credit_attribution_rules()
        held = {ctx.sentences.index_of(ctx.norm_offset(s.evidence.start)) for s in self.statements}
        for rule, match, source in self._attributed_sources(opening_media=True):
            sentence = ctx.sentences.index_of(ctx.tokens[match.start].start)
            if sentence in held:
                continue
            start, end = ctx.sentences.bounds[sentence]
            if any(start <= ctx.tokens[j].start < end and not match.start <= j < match.end for j in self.verb_starts):
                continue  # a verb whose speaker was not found: the source may only relay it
            self._remember([source])
            self.statements.append(Statement(source.mention.actor, "announce", ctx.span(start, end), rule=rule))
            held.add(sentence)

    def _credit_attribution_rules(self) -> None:
        """A statement whose content came before its verb (على ما أعلنت وزارة الصحة) was found
        by the attribution rule that matches its verb and speaker, when one does."""
        for n, verb in self.content_before:
            s = self.statements[n]
            for rule, match, source in self._attributed_sources():
                if source.mention.actor.iri == s.speaker.iri and match.start <= verb < match.end:
                    self.statements[n] = replace(s, rule=rule)

    def _sentence_end(self, i: int) -> int:
        _, end = self.ctx.sentence_of_token(i)
        return end


QUOTE_REACH = 600  # characters a quotation may run on past its first sentence


def _quote_closed(text: str, start: int, end: int) -> int:
    """The end of a statement whose quotation runs on past the sentence it opened in
    (قال: "… رعاة ماشية. لقد هاجموا … وقتلوا خمسة أشخاص"): after the closing mark, if it
    comes within the paragraph; else end."""
    span = text[start:end]
    for opening, closing in QUOTE_PAIRS.items():
        at = span.find(opening)
        if at < 0:
            continue
        rest = span[at + 1 :]
        if (rest.count('"') % 2 == 1) if opening == '"' else closing in rest:
            return end  # the quotation closes within the sentence (one more " after the opening one)
        limit = min(len(text), end + QUOTE_REACH)
        paragraph = text.find("\n", end, limit)
        close = text.find(closing, end, paragraph if paragraph >= 0 else limit)
        return close + 1 if close >= 0 else end
    return end


def _spokesperson_word(word: str, before: str) -> bool:
    """Whether the words before باسم make a spokesperson: المتحدث باسم، الناطق الرسمي باسم."""
    title = speech_words("spokesperson")
    return word in title or (word in speech_words("official") and before in title)


def _issued_as_statement(s: Statement) -> bool:
    text = normalize(s.evidence.text)
    return any(noun in text for noun in speech_words("statement_noun"))


def _first_token(loc: Located) -> int:
    return loc.first


@cache
def _casualty_triggers() -> frozenset[str]:
    """The one-word triggers of lexicons/casualty_terms.tsv (مقتل، إصابة، اختطاف)."""
    return frozenset(form[0] for form, term in casualty_terms().items() if len(form) == 1 and term.number == "-")


@cache
def _relay_table() -> PhraseTable:
    return PhraseTable(relay_cues())


def _stems(word: str) -> list[str]:
    out = []
    for form, _ in proclitic_readings(word):
        out.append(form)
        for suffix in ("ها", "ه", "هم", "هما"):
            if form.endswith(suffix):
                stem = form[: -len(suffix)]
                out += [stem, stem[:-1] + "ه" if stem.endswith("ت") else stem]
    return out


def _names_a_casualty(word: str) -> bool:
    """بمقتل، وإصابة: a casualty word under its proclitics."""
    return any(form in _casualty_triggers() for form, _ in proclitic_readings(word))


DAMMA = "\u064f"


def _written_passive(original: str) -> bool:
    """A past-tense verb written with a damma on its first letter (أُعلن، وأُبلغ، وُصفت) is
    passive. The present tense is left alone: its prefix takes a damma in the active too
    (يُعلن، تُشير)."""
    letters = [(k, ch) for k, ch in enumerate(original) if not "\u064b" <= ch <= "\u0652"]
    for skip in (0, 1):  # the verb itself, or after و / ف written on it
        if skip and (not letters or letters[0][1] not in "وف"):
            break
        if len(letters) <= skip + 1 or letters[skip][1] in "يتن":
            continue
        k = letters[skip][0]
        if DAMMA in original[k + 1 : letters[skip + 1][0]]:
            return True
    return False


def _joined_by_wa(word: str) -> bool:
    """Whether the verb has و written on it (وقال), not as a letter of its own (وصف)."""
    return word.startswith("و") and word not in reporting_verbs()


def _participle(word: str) -> bool:
    """مشيرا، مؤكدة، مطالبين، قائلا: active participles used as circumstantial verbs."""
    return (word.startswith("م") or word.startswith("قائل")) and word.endswith(("ا", "ه", "ين"))


def _agrees(actor: Actor, gender: str, surface: str | None = None) -> bool:
    actual = _gender(actor, surface)
    return gender == "p" or actual == "?" or actual == gender


def _gender(actor: Actor, surface: str | None = None) -> str:
    """m, f, or ? when the name does not tell (الأمم المتحدة: a plural that takes a
    feminine verb)."""
    if actor.kind == "Person":
        return "f" if actor.role and normalize(actor.role.split()[0]).endswith("ه") else "m"
    if actor.kind in ("State", "Place"):
        return "f"
    first = normalize(surface or actor.label_ar or "").split()[:1]
    if not first:
        return "?"
    word = first[0]
    if word.endswith(("ه", "ات")):
        return "f"
    if word.endswith(("ون", "ين", "ي")) or word in speech_words("masculine_head"):
        return "m"
    return "?"


def _end_at_next_statement(ctx: Context, statements: list[Statement]) -> list[Statement]:
    """A statement's evidence ends where the next statement in its sentence begins
    (… من 16 قرية، بينما قالت وزارة الدفاع الروسية …)."""
    out = []
    for s in statements:
        nxt = next((o for o in statements if s.evidence.start < o.evidence.start < s.evidence.end), None)
        if nxt is not None:
            end = nxt.evidence.start
            while end > s.evidence.start + 1 and ctx.norm.original[end - 1] in " \t\n،,":
                end -= 1
            s = replace(s, evidence=replace(s.evidence, end=end, text=ctx.norm.original[s.evidence.start : end]))
        out.append(s)
    return out


def _merge_same_speaker(ctx: Context, statements: list[Statement]) -> list[Statement]:
    """One speaker's verbs in one sentence (ندد … ودعا …، قال …، مشيرا إلى …) are one
    statement; its kind is the first that says more than assert. A verb after a comma and و
    (نفت …، وطلبت …) is a statement of its own."""
    merged: list[Statement] = []
    for s in statements:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.speaker.iri == s.speaker.iri
            and ctx.sentences.index_of(ctx.norm_offset(prev.evidence.start))
            == ctx.sentences.index_of(ctx.norm_offset(s.evidence.start))
            and s.evidence.start <= prev.evidence.end + 2
            and not _coordinated_after_comma(ctx, prev, s)
        ):
            start, end = prev.evidence.start, max(prev.evidence.end, s.evidence.end)
            evidence = replace(prev.evidence, end=end, text=ctx.norm.original[start:end])
            kind = prev.kind if prev.kind != "assert" else s.kind
            merged[-1] = Statement(prev.speaker, kind, evidence, prev.via or s.via, rule=prev.rule)
        else:
            merged.append(s)
    return merged


def _coordinated_after_comma(ctx: Context, prev: Statement, s: Statement) -> bool:
    between = ctx.norm.original[prev.evidence.end : s.evidence.start]
    return any(mark in between for mark in "،,") and s.evidence.text.startswith("و")


_NOT_A_LETTER = re.compile(r"[^\w\s]")


def _has_words(text: str, cue: str) -> bool:
    """Whether the cue stands in the text as whole words, or with و / ف / ب / ل written on
    its first word (شرط is not in الشرطة)."""
    return any(f" {prefix}{cue} " in text for prefix in ("", "و", "ف", "ب", "ل", "وب", "ول"))


def _refine_kind(s: Statement) -> Statement:
    """قال/أكد by an institution reports news (announce); the content can say more."""
    if s.kind != "assert":
        return s
    words = _NOT_A_LETTER.sub(" ", normalize(s.evidence.text)).split()
    text = " " + " ".join(words) + " "
    if any(_has_words(text, cue) for cue in speech_words("call_cue")):
        return replace(s, kind="call")
    if any(_has_words(text, cue) for cue in speech_words("demand_cue")):
        return replace(s, kind="demand")
    first_word = normalize(s.evidence.text.split()[0]).lstrip("و")
    if s.speaker.kind in ORGANIZATIONS and first_word in speech_words("plain_say"):
        return replace(s, kind="announce")
    return s


def rule_iri(name: str) -> str:
    """The IRI of a way statements are found (a discourse component in this module)."""
    from kg.namespaces import BASE

    return f"{BASE}rule/statements/{name}"
