"""Legal forms of companies ("Co., Ltd.", "S.A. de C.V.", "Limitada", 有限公司): found in a
company's tokens, removed, and named by a canonical label ("co ltd", "sa de cv", "ltda").

The table is data (`data/legal_forms.yaml`, with its sources and the rules for where a form is
removed). A form is compared on the letters of consecutive tokens joined, so that "S A DE C V",
"SA DE CV" and "S.A. de C.V." are the same form.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from chainbreaker.errors import DataError
from chainbreaker.parties.names.scripts import fold_ascii, is_han
from chainbreaker.parties.names.tables import DATA_DIR, entries, field
from chainbreaker.parties.names.tokens import Token, tokenise

__all__ = ["LegalForm", "ends_with_form", "strip_han_legal_forms", "strip_legal_forms"]

_FILE = "legal_forms.yaml"
_MAX_TOKENS = 8  # the longest form in tokens ("s de r l de c v" is 7)


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One written form of a legal form: its label and where it may be removed."""

    label: str
    tokens: tuple[str, ...]
    anywhere: bool
    start: bool
    ambiguous: bool


@dataclass(frozen=True, slots=True)
class _Table:
    by_joined: dict[str, LegalForm]  # "sadecv" -> form
    forms: tuple[LegalForm, ...]
    han: tuple[tuple[str, str], ...]  # (Han form, label), longest first
    suffixes: frozenset[str]  # every ending of a joined form: a trailing match can still grow
    middle_prefixes: frozenset[str]  # every beginning of a joined `anywhere` form
    start_prefixes: frozenset[str]  # every beginning of a joined `start` form


def _prefixes(forms: list[str]) -> frozenset[str]:
    return frozenset(f[:i] for f in forms for i in range(1, len(f) + 1))


@functools.cache
def _table() -> _Table:
    by_joined: dict[str, LegalForm] = {}
    han: list[tuple[str, str]] = []
    for entry in entries(_FILE, "legal_forms"):
        label = field(_FILE, "legal_forms", entry, "label", str)
        written = field(_FILE, "legal_forms", entry, "forms", list)
        flags = {k: bool(entry.get(k, False)) for k in ("anywhere", "start", "ambiguous")}
        for text in written:
            if not isinstance(text, str) or not text.strip():
                raise DataError(f"{DATA_DIR / _FILE}: '{label}' has an empty form")
            if any(is_han(c) for c in text):
                han.append((text, label))
                continue
            tokens = tuple(t.text for t in tokenise(fold_ascii(text)))
            joined = "".join(tokens)
            if not joined:
                raise DataError(f"{DATA_DIR / _FILE}: '{label}' form {text!r} has no letters")
            if joined in by_joined and by_joined[joined].label != label:
                raise DataError(f"{DATA_DIR / _FILE}: form {text!r} is under two labels")
            by_joined[joined] = LegalForm(label, tokens, **flags)
    han.sort(key=lambda item: -len(item[0]))
    return _Table(
        by_joined,
        tuple(by_joined.values()),
        tuple(han),
        frozenset(j[i:] for j in by_joined for i in range(len(j))),
        _prefixes([j for j, f in by_joined.items() if f.anywhere]),
        _prefixes([j for j, f in by_joined.items() if f.start]),
    )


def _usable(joined: str, company: bool) -> LegalForm | None:
    form = _table().by_joined.get(joined)
    if form is None or (form.ambiguous and not company):
        return None
    return form


def _at_end(tokens: list[Token], company: bool) -> tuple[int, LegalForm] | None:
    """The longest form the tokens end with (leaving one token), as (its length, form)."""
    suffixes = _table().suffixes
    best = None
    joined = ""
    for k in range(1, min(_MAX_TOKENS, len(tokens) - 1) + 1):
        joined = tokens[-k].text + joined
        if joined not in suffixes:
            break
        form = _usable(joined, company)
        if form is not None:
            best = (k, form)
    return best


def _at(
    tokens: list[Token], i: int, prefixes: frozenset[str], company: bool
) -> tuple[int, LegalForm] | None:
    """The longest form starting at token i (leaving one token), as (its length, form), among
    the forms that may stand there: `anywhere` forms after the first token, `start` forms at it.
    """
    best = None
    joined = ""
    for k in range(1, min(_MAX_TOKENS, len(tokens) - 1 - (i > 0)) + 1):
        if i + k > len(tokens):
            break
        joined += tokens[i + k - 1].text
        if joined not in prefixes:
            break
        form = _usable(joined, company)
        if form is not None and (form.anywhere if i > 0 else form.start):
            best = (k, form)
    return best


def _truncated(tokens: list[Token]) -> tuple[int, LegalForm] | None:
    """A legal form cut short at the end ("GROUP CO LIMITE" at 35 characters)."""
    last = tokens[-1].text
    for form in _table().forms:
        *head, tail = form.tokens
        n = len(head)
        if len(tokens) <= n + 1 or not (len(last) < len(tail) and tail.startswith(last)):
            continue
        if len(last) < (2 if head else 3):
            continue
        if [t.text for t in tokens[-1 - n : -1]] == head:
            return n + 1, form
    return None


def strip_legal_forms(
    tokens: list[Token], company: bool, truncated: bool = False
) -> tuple[list[Token], list[tuple[LegalForm, int, int]]]:
    """(tokens without legal forms, each form found with the span of text it covered).

    `company`: the schema says Company (ambiguous forms such as "sa", "co" are removed only
    then). `truncated`: the text was cut at a field width, so its last word may be a form cut
    short. At least one token always remains.
    """
    found: list[tuple[LegalForm, int, int]] = []
    tokens = list(tokens)
    if truncated and len(tokens) > 1:
        cut = _truncated(tokens)
        if cut is not None:
            n, form = cut
            found.append((form, tokens[-n].start, tokens[-1].end))
            del tokens[-n:]
    while len(tokens) > 1:
        before = len(tokens)
        _strip_once(tokens, company, found)
        if len(tokens) == before:
            break
    return tokens, found


def _strip_once(
    tokens: list[Token], company: bool, found: list[tuple[LegalForm, int, int]]
) -> None:
    """One round of removals (in place): at the end, in the middle, before the name."""
    table = _table()
    hit = _at_end(tokens, company)
    if hit is not None:  # at the end
        k, form = hit
        found.append((form, tokens[-k].start, tokens[-1].end))
        del tokens[-k:]
        return
    for i in range(1, len(tokens) - 1):  # in the middle: only forms never ordinary words
        hit = _at(tokens, i, table.middle_prefixes, company)
        if hit is not None and i + hit[0] < len(tokens):
            k, form = hit
            found.append((form, tokens[i].start, tokens[i + k - 1].end))
            del tokens[i : i + k]
            return
    hit = _at(tokens, 0, table.start_prefixes, company)
    if hit is not None:  # before the name
        k, form = hit
        found.append((form, tokens[0].start, tokens[k - 1].end))
        del tokens[:k]


def ends_with_form(tokens: list[Token], company: bool) -> bool:
    """True when the last tokens are a legal form."""
    return _at_end([Token("", 0, 0), *tokens], company) is not None


_BRANCH = "分"  # 分公司: a branch, not the legal form 公司


def strip_han_legal_forms(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(Han `text` without its legal forms such as 有限公司, [(form, label)]).

    Forms of three or more characters are removed wherever they stand ("…有限公司…分公司");
    a shorter one (公司) only at the end, and not from 分公司 (a branch)."""
    found: list[tuple[str, str]] = []
    stripped = text.strip()
    if any(stripped == form for form, _ in _table().han):
        return stripped, found
    for form, label in _table().han:
        if len(form) >= 3 and form in stripped and stripped != form:
            found.append((form, label))
            stripped = stripped.replace(form, " ").strip()
    for form, label in _table().han:
        if (
            len(form) < 3
            and stripped.endswith(form)
            and len(stripped) > len(form)
            and not stripped[: -len(form)].endswith(_BRANCH)
        ):
            found.append((form, label))
            stripped = stripped[: -len(form)].rstrip()
            break
    return stripped, found
