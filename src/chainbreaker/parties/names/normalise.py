"""`normalise_name`: a party's name as matchable tokens, with what was removed and why.

Steps (each one reported in `NormalName.dropped`): Unicode compatibility forms folded (NFKC);
Arabic script romanised (`arabic`); Han characters read in pinyin (`chinese`); the rest
folded to ASCII (accents and tone marks dropped); document noise cut (`noise`); tokens cut
(`tokens`); for a company (or an unknown party) legal forms removed (`legal_forms`); for a
person (or an unknown party) titles removed (`titles`); for a company, single letters written
apart joined ("V P PROPERTIES" -> "vp", "properties"). Titles and legal forms are removed
until neither finds more, so that normalising a result again changes nothing. A name written
in two scripts keeps the Latin reading as its tokens and the other as an alternative.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from chainbreaker.parties.names.arabic import ARABIC_WORD, romanise_arabic
from chainbreaker.parties.names.chinese import (
    han_company_readings,
    han_given_readings,
    han_person_readings,
)
from chainbreaker.parties.names.legal_forms import (
    ends_with_form,
    strip_han_legal_forms,
    strip_legal_forms,
)
from chainbreaker.parties.names.noise import country_words, strip_noise
from chainbreaker.parties.names.pinyin import syllable_keys
from chainbreaker.parties.names.scripts import fold_ascii, script_of
from chainbreaker.parties.names.tables import read_yaml
from chainbreaker.parties.names.titles import strip_titles
from chainbreaker.parties.names.tokens import Token, tokenise

__all__ = ["NormalName", "normalise_name"]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN_RUN = re.compile(rf"[{_HAN}]+(?:\s+[{_HAN}]+)*")
_COMPANY_SCHEMAS = frozenset({"company", "organization", "organisation", "legalentity"})
_OBJECT_SCHEMAS = frozenset({"vessel", "aircraft"})
_MAX_ALTERNATIVES = 8


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name ready for matching. `tokens` are ASCII lower case, in the written order."""

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]  # canonical labels: "co ltd", "sa de cv", "ltda"...
    dropped: tuple[str, ...]  # what was removed and why: "title 'Lic.'", "legal form 'S.A.'"
    script: str  # "latin" | "han" | "cyrillic" | "arabic" | "mixed" | "other"
    alternatives: tuple[tuple[str, ...], ...]  # other readings (other script, other pinyin)


def _kind(schema: str | None) -> str:
    """ "person", "company", "object" (vessel, aircraft: names kept whole) or "unknown"."""
    value = (schema or "").strip().lower()
    if value == "person":
        return "person"
    if value in _COMPANY_SCHEMAS:
        return "company"
    if value in _OBJECT_SCHEMAS:
        return "object"
    return "unknown"


@functools.cache
def _field_widths() -> frozenset[int]:
    widths = read_yaml("document_noise.yaml").get("field_widths") or []
    return frozenset(w for w in widths if isinstance(w, int))


def _shown(text: str, start: int, end: int) -> str:
    """The text of a span as written, with a dot that closes it ("S.A." rather than "S.A")."""
    if text[end : end + 1] == ".":
        end += 1
    return text[start:end]


def _join_letters(tokens: list[Token]) -> list[Token]:
    """Runs of two or more single letters joined into one token ("v", "p" -> "vp")."""
    out: list[Token] = []
    run: list[Token] = []
    for token in [*tokens, Token("", 0, 0)]:
        if len(token.text) == 1 and token.text.isalpha():
            run.append(token)
            continue
        if len(run) > 1:
            out.append(Token("".join(t.text for t in run), run[0].start, run[-1].end))
        else:
            out.extend(run)
        run = []
        if token.text:
            out.append(token)
    return out


@dataclass(slots=True)
class _Latin:
    tokens: list[str]
    labels: list[str]
    dropped: list[str]
    company: bool


def _latin(text: str, kind: str, truncated: bool) -> _Latin:
    """Tokens of ASCII text, with noise, legal forms and titles removed."""
    text, dropped = strip_noise(text, company=kind == "company")
    tokens = tokenise(text)
    labels: list[str] = []
    strip_forms = kind in ("company", "unknown")
    strip_person = kind in ("person", "unknown")
    if strip_forms and len(tokens) > 1:
        company = kind == "company"
        countries = country_words()
        for k in (3, 2, 1):  # a country after the legal form: "… CO LTD CHINA"
            if tokens[-1].text not in countries.last_words:
                break
            tail = " ".join(t.text for t in tokens[-k:])
            if len(tokens) > k + 1 and tail in countries.names:
                if ends_with_form(tokens[:-k], company):
                    dropped.append(f"country '{_shown(text, tokens[-k].start, tokens[-1].end)}'")
                    del tokens[-k:]
                break
    # titles and legal forms until nothing changes (an unknown party may show both)
    while len(tokens) > 1:
        before = len(tokens)
        if strip_person:
            first = tokens[0]
            tokens, removed = strip_titles(tokens, text)
            for token in removed:
                what = "title" if token.start <= first.start else "suffix"
                dropped.append(f"{what} '{_shown(text, token.start, token.end)}'")
        if strip_forms:
            tokens, found = strip_legal_forms(tokens, kind == "company", truncated)
            truncated = False
            for form, start, end in sorted(found, key=lambda f: f[1]):
                labels.append(form.label)
                dropped.append(f"legal form '{_shown(text, start, end)}'")
        if len(tokens) == before:
            break
    is_company = kind == "company" or (kind == "unknown" and bool(labels))
    if is_company:
        tokens = _join_letters(tokens)
    return _Latin([t.text for t in tokens], labels, dropped, is_company)


def _syllables(tokens: tuple[str, ...]) -> Counter[str] | None:
    """The multiset of Chinese syllable keys of a name (None: not all tokens are syllables)."""
    out: Counter[str] = Counter()
    for token in tokens:
        keys = syllable_keys(token)
        if keys is None:
            return None
        out.update(keys)
    return out


def _with_han(
    latin: _Latin, han: str, han_first: bool, kind: str
) -> tuple[tuple[str, ...], list[tuple[str, ...]], list[str], list[str]]:
    """(tokens, alternatives, legal-form labels, dropped) of a name with Han characters."""
    labels, dropped = list(latin.labels), list(latin.dropped)
    company = latin.company or kind == "company"
    if company or kind == "unknown":
        stripped, found = strip_han_legal_forms(han)
        if found:
            company = kind != "person"
        if company:
            han = stripped
            for form, label in found:
                labels.append(label)
                dropped.append(f"legal form '{form}'")
    readings = han_company_readings(han) if company else han_person_readings(han)
    tokens = tuple(latin.tokens)
    if not tokens:
        return (readings[0] if readings else ()), list(readings[1:]), labels, dropped
    if not company and len(tokens) == 1 and len("".join(han.split())) <= 3:
        han_syl = _syllables(readings[0]) if readings else None
        if han_syl is None or han_syl != _syllables(tokens):  # a surname with a Han given name
            givens = han_given_readings(han)
            combined: list[tuple[str, ...]] = [
                ((g, tokens[0]) if han_first else (tokens[0], g)) for g in givens
            ]
            if combined:
                return combined[0], combined[1:], labels, dropped
    return tokens, [r for r in readings if r != tokens], labels, dropped


def _normalise(text: str, kind: str) -> NormalName:
    source = text if text.isascii() else unicodedata.normalize("NFKC", text)
    script = script_of(source)
    truncated = len(source.rstrip()) in _field_widths()
    arabic_reading: tuple[str, ...] = ()
    if script == "arabic":
        source = romanise_arabic(source)
    elif script == "mixed" and ARABIC_WORD.search(source):  # the same name in two scripts
        arabic = " ".join(ARABIC_WORD.findall(source))
        source = ARABIC_WORD.sub(" ", source)
        arabic_reading = tuple(_latin(romanise_arabic(arabic), kind, False).tokens)
    han_parts: list[tuple[int, str]] = []
    if script in ("han", "mixed"):
        han_parts = [(m.start(), m.group()) for m in _HAN_RUN.finditer(source)]
        source = _HAN_RUN.sub(" ", source)
    latin = _latin(fold_ascii(source), kind if kind != "object" else "other", truncated)
    alternatives: list[tuple[str, ...]] = []
    labels, dropped = latin.labels, latin.dropped
    tokens = tuple(latin.tokens)
    if han_parts:
        han = " ".join(part for _, part in han_parts)
        latin_start = len(source) - len(source.lstrip())
        han_first = han_parts[0][0] <= latin_start
        tokens, alternatives, labels, dropped = _with_han(latin, han, han_first, kind)
    if arabic_reading:
        if tokens:
            alternatives.append(arabic_reading)
        else:
            tokens = arabic_reading
    alternatives = [a for a in dict.fromkeys(alternatives) if a and a != tokens]
    return NormalName(
        original=text,
        tokens=tokens,
        legal_forms=tuple(dict.fromkeys(labels)),
        dropped=tuple(dropped),
        script=script,
        alternatives=tuple(alternatives[:_MAX_ALTERNATIVES]),
    )


@functools.lru_cache(maxsize=32_768)
def _cached(text: str, kind: str) -> NormalName:
    return _normalise(text, kind)


def normalise_name(text: str, schema: str | None = None) -> NormalName:
    """The matchable form of a party's name.

    `schema` is "Person", "Company" or None/"Unknown" (also "Organization", "LegalEntity";
    "Vessel" and "Aircraft" keep their names whole). Legal forms are removed only from a
    company or an unknown party, titles only from a person or an unknown party. Never raises
    on any text; an empty or all-noise name gives no tokens.

    >>> normalise_name("Lic. BRAYAN MOISES LUQUIN RODRIGUEZ", "Person").tokens
    ('brayan', 'moises', 'luquin', 'rodriguez')
    >>> normalise_name("COPY RED S A DE C V C/O FREIGHT AGENT", "Company").legal_forms
    ('sa de cv',)
    """
    if not isinstance(text, str):
        text = ""
    return _cached(text, _kind(schema))
