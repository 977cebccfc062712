"""Loading the tab-separated lexicons in lexicons/ as normalized word sequences."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.resources import resource_dir
from kg.text import light_normalize, normalize

Words = tuple[str, ...]


def read_tsv(name: str) -> list[list[str]]:
    rows = []
    path = resource_dir("lexicons") / name
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def words_of(form: str) -> Words:
    # "وفقا ل" is written with a detached preposition; keep it as its own word.
    return tuple(normalize(form).split())


@dataclass(frozen=True)
class ReportingVerb:
    kind: str
    gender: str  # m, f or p: the subject the form agrees with
    takes_object: bool  # دعا X إلى: the name after the verb may be the addressee


@cache
def reporting_verbs() -> dict[str, ReportingVerb]:
    verbs = {}
    for row in read_tsv("reporting_verbs.tsv"):
        form, kind, gender, obj = (row + ["", "", ""])[:4]
        verbs[normalize(form)] = ReportingVerb(kind, gender or "m", obj == "o")
    return verbs


@cache
def speech_nouns() -> dict[str, str]:
    return {normalize(form): kind for form, kind in read_tsv("speech_nouns.tsv")}


@cache
def relay_cues() -> list[Words]:
    return sorted((words_of(row[0]) for row in read_tsv("relay_cues.tsv")), key=len, reverse=True)


STATEMENT_WORD_ROLES = frozenset({
    "complementizer", "clause_start", "content_preposition", "content_after_verb", "about", "needs_about",
    "noun_preposition", "clause_opener", "verb_particle", "addressee_marker", "not_a_name", "statement_noun",
    "the_statement", "statement_adjective", "statement_author", "relay_verb", "relayed_from", "spokesperson",
    "official", "on_behalf_of", "masculine_head", "call_cue", "demand_cue", "plain_say", "verb_pronoun",
    "needs_content", "verb_adverb", "needs_toll", "toll_noun", "command_of", "needs_statement_noun", "partitive",
    "as_reported", "same_source", "the_same", "object_suffix",
    "for_its_part"})


@cache
def statement_words(role: str, light: bool = False) -> frozenset[str]:
    """The forms lexicons/statement_words.tsv gives a role in reported speech, normalized
    (light: only lightly, so that على, on, and the name علي stay apart)."""
    if role not in STATEMENT_WORD_ROLES:
        raise ValueError(f"no role {role!r} in lexicons/statement_words.tsv")
    fold = light_normalize if light else normalize
    return frozenset(fold(form) for form, found in read_tsv("statement_words.tsv") if found == role)


@cache
def titles() -> list[Words]:
    """The offices of lexicons/titles.tsv, longest first."""
    return sorted((words_of(row[0]) for row in read_tsv("titles.tsv")), key=len, reverse=True)


@cache
def title_words() -> frozenset[str]:
    """The one-word offices (وزير، وزيرة، رئيس…)."""
    return frozenset(title[0] for title in titles() if len(title) == 1)


@cache
def state_body_heads() -> dict[str, str]:
    """Heads that name a state's own body when the state or its adjective follows (جيش مالي،
    الجيش الروسي), normalized, with their class: column 4 `state` of lexicons/actor_heads.tsv."""
    return {normalize(row[0]): row[1] for row in read_tsv("actor_heads.tsv") if row[3:4] == ["state"]}


@cache
def locative_cues() -> dict[str, frozenset[str]]:
    """lexicons/locative_cues.tsv by role: in (في طهران), city (العاصمة [الإيرانية] طهران) and
    part (غرب بغداد)."""
    cues: dict[str, set[str]] = {"in": set(), "city": set(), "part": set()}
    for form, role in read_tsv("locative_cues.tsv"):
        cues[role].add(normalize(form))
    return {role: frozenset(forms) for role, forms in cues.items()}


@dataclass(frozen=True)
class CasualtyTerm:
    kind: str | None  # killed, injured … or None when the word only says who
    victims: str | None  # civilians, military … or None for a trigger word
    number: str  # sg, du, pl, n (the form after numbers) or - for trigger words


@cache
def casualty_terms() -> dict[Words, CasualtyTerm]:
    terms = {}
    for row in read_tsv("casualty_terms.tsv"):
        form, kind, victims, number = (row + ["", "", ""])[:4]
        terms[words_of(form)] = CasualtyTerm(kind or None, victims or None, number or "-")
    return terms


@cache
def casualty_links() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("casualty_links.tsv"))


@cache
def number_words() -> dict[Words, dict[str, int]]:
    """normalized words -> {role: value}, role one of unit, tens, hundreds, thousands, multiplier"""
    words: dict[Words, dict[str, int]] = {}
    for form, value, role in read_tsv("number_words.tsv"):
        words.setdefault(words_of(form), {})[role] = int(value)
    return words


@cache
def qualifiers() -> list[tuple[Words, str, str]]:
    rows = [(words_of(f), q, pos) for f, q, pos in read_tsv("qualifiers.tsv")]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@cache
def mediation_cues() -> dict[str, list[Words]]:
    """role (broker, agreement, ceasefire, talks, modal, offer, guarantor, host, meeting) -> phrases"""
    cues: dict[str, list[Words]] = {}
    for form, role in read_tsv("mediation_cues.tsv"):
        cues.setdefault(role, []).append(words_of(form))
    return cues


ANY_ROLE = "*"


@cache
def lexicon_roles(name: str) -> dict[str, list[Words]]:
    """A lexicon's phrases by the value of its second column (its role, kind or class), and
    every phrase under "*" (a one-column lexicon has only that): what a pattern's
    {lex = NAME, role = ROLE} element matches. ValueError when there is no such lexicon."""
    path = resource_dir("lexicons") / f"{name}.tsv"
    if not name.replace("_", "").isalnum() or not path.is_file():
        raise ValueError(f"no lexicon {name!r} (lexicons/{name}.tsv)")
    roles: dict[str, list[Words]] = {ANY_ROLE: []}
    for row in read_tsv(f"{name}.tsv"):
        words = words_of(row[0])
        if not words:
            continue
        roles[ANY_ROLE].append(words)
        if len(row) > 1 and row[1]:
            roles.setdefault(row[1], []).append(words)
    return roles

