"""Find chemical mentions (names, synonyms, CAS RNs) in free text such as goods descriptions.

How it stays fast: every text is first folded into a *pre-filter skeleton* with C-speed
primitives (letters and digits only, lower case, digit swaps undone; see text_normalise) and run
through one Aho-Corasick automaton of every folded catalog name. A line with no candidate costs a
`bytes.translate`, one automaton pass and one quick regular-expression test for CAS numbers. Only
lines with a candidate are folded again character by character, keeping the position of each
character in the original text, and each candidate is checked exactly:

- at word boundaries of the original text ("aniline" is not in "polyaniline");
- character by character against the catalog spelling, accepting only the known stand-ins for a
  letter (0 for o, 3 for e, ... in scan.yaml); a real digit of the name (the 4 of 4-AP) must be
  written as that digit;
- separators the catalog spelling does not have are classified: single letters or pairs spaced
  out ("f e n t a n y l") and punctuation inside a word ("fen.tanyl") are obfuscations; an extra
  space or hyphen between longer pieces, or a missing hyphen ("1boc4piperidone"), is a spelling
  variant (names.name_key ignores hyphens too) and is said in `how` but not flagged;
- abbreviations (NPP, ANPP, 4-AP: short keys or all capitals) are found only as whole tokens
  written in capitals, or as the catalog writes them, with no obfuscation ("4-APPLE" and
  "npp" are not hits).

Overlapping candidates are resolved longest first; the result is in text order.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import ahocorasick_rs

from chainbreaker.chem.cas_mentions import (
    SHAPE_CANDIDATE,
    cas_possible,
    compile_cas_pattern,
    find_cas,
)
from chainbreaker.chem.mention import Mention
from chainbreaker.chem.models import Substance
from chainbreaker.chem.names import name_key
from chainbreaker.chem.text_normalise import (
    Skeleton,
    ascii_tables,
    break_points,
    exact_skeleton,
    is_swap_for,
    line_numbers,
    name_variants,
    prefilter,
    settings,
    swap_fold,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Mention", "Scanner", "default_scanner"]


class NameCatalog(Protocol):
    """What the scanner needs of a catalog (chem.catalog.Catalog provides it)."""

    def name_forms(self) -> Iterator[tuple[str, Substance]]: ...
    def by_cas(self, cas: str) -> Substance | None: ...


@dataclass(frozen=True, slots=True)
class _Pattern:
    key: str  # plain key of the spelling
    form: str  # the name or synonym as the catalog writes it
    substance: Substance
    breaks: frozenset[int]
    separators: frozenset[int]
    abbreviation: bool
    letters: str  # the letters of the spelling as written, for the case test of abbreviations


_PARENTHESISED = re.compile(r"^(?P<a>[^()]+?)\s+\((?P<b>[^()]+)\)$")
_NL = re.compile("\n")


def _forms_of(name: str) -> list[str]:
    """A name and, for "ABBREVIATION (full name)", each of its two parts."""
    m = _PARENTHESISED.match(name.strip())
    return [name, m.group("a"), m.group("b")] if m else [name]


def _is_abbreviation(key: str, spelling: str) -> bool:
    letters = [c for c in spelling if c.isalpha()]
    max_len = settings().abbreviation_max_key_length
    return len(key) <= max_len or (len(letters) >= 2 and all(c.isupper() for c in letters))


class Scanner:
    """A text scanner over the names, synonyms and CAS RNs of a catalog."""

    def __init__(self, catalog: NameCatalog) -> None:
        """Build the automaton of every scannable name form of the catalog (once)."""
        self._catalog = catalog
        conf = settings()
        self._cas_pattern = compile_cas_pattern(conf.cas_cues)
        table: dict[str, list[_Pattern]] = {}
        seen: set[tuple[str, str]] = set()
        for catalog_form, substance in catalog.name_forms():
            for form in _forms_of(catalog_form):
                if name_key(form) in conf.stop_keys:
                    continue
                for key, spelling in name_variants(form).items():
                    if len(key) < conf.min_key_length or key.isdigit():
                        continue
                    if (key, substance.id) in seen:
                        continue
                    seen.add((key, substance.id))
                    breaks, separators = break_points(spelling)
                    pattern = _Pattern(
                        key=key,
                        form=form,
                        substance=substance,
                        breaks=breaks,
                        separators=separators,
                        abbreviation=_is_abbreviation(key, spelling),
                        letters="".join(c for c in spelling if c.isalpha()),
                    )
                    table.setdefault(swap_fold(key), []).append(pattern)
        # One automaton for every folded key; a match's pattern index finds its patterns.
        keys = list(table) or ["\x00"]  # "\x00" is never in a skeleton: never empty
        self._automaton = ahocorasick_rs.AhoCorasick(keys)
        self._patterns: list[tuple[_Pattern, ...]] = [tuple(table.get(k, ())) for k in keys]
        self.pattern_count = sum(len(p) for p in table.values())
        self._ascii = ascii_tables()
        self._ascii_keys = all(folded.isascii() for folded in table)

    # -- public -----------------------------------------------------------------------------

    def scan(self, text: str) -> list[Mention]:
        """Chemical mentions in a text: non-overlapping, longest first, in text order.

        A text may hold many lines; no mention spans a line break.
        """
        return self._scan(text, None)

    def scan_lines(self, lines: Sequence[str]) -> list[list[Mention]]:
        """Mentions per line, for many lines at once (faster than `scan` on each line).

        Spans index each line, as `scan(line)` would return them. ASCII lines and the others
        are scanned as two texts: ASCII text takes the short path of the pre-filter.
        """
        n = len(lines)
        out: list[list[Mention]] = [*map(list, itertools.repeat((), n))]
        flags = [*map(str.isascii, lines)]
        for keep in (flags, [*map(operator.not_, flags)]):
            indices = [*itertools.compress(range(n), keep)]
            if not indices:
                continue
            group = lines if len(indices) == n else [*itertools.compress(lines, keep)]
            for k, mention in self._scan_group(group):
                out[indices[k]].append(mention)
        return out

    def _scan_group(self, lines: Sequence[str]) -> Iterable[tuple[int, Mention]]:
        """(line index, mention with line offsets) for lines scanned as one text."""
        joined = "\n".join(lines)
        if joined.count("\n") != len(lines) - 1:  # a line holds a line break: no batching
            for k, line in enumerate(lines):
                for mention in self.scan(line):
                    yield k, mention
            return
        offset = previous = 0
        for m in self._scan(joined, lines):  # in text order
            k = previous + joined.count("\n", offset, m.start)
            offset += sum(map(len, lines[previous:k])) + (k - previous)
            previous = k
            yield k, dataclasses.replace(m, start=m.start - offset, end=m.end - offset)

    def _scan(self, text: str, lines: Sequence[str] | None) -> list[Mention]:
        """`scan`, given the lines of the text when the caller has them."""
        if text.isascii():  # text_normalise.prefilter's ASCII path, inlined: most lines
            raw = text.encode("ascii")
            table, delete, shape_table = self._ascii
            skeleton = raw.translate(table, delete).decode("ascii")
            shape = raw.translate(shape_table).decode("ascii")
        else:
            skeleton, shape = prefilter(text, lines, self._ascii_keys)
        found: list[Mention] = []
        if ("-00-" in shape or "0as" in shape or "d" in shape) and cas_possible(shape):
            if "\n" not in shape:
                found.extend(find_cas(text, self._cas_pattern, self._catalog.by_cas))
            else:
                lines = lines if lines is not None else text.split("\n")
                starts = (m.start() for m in SHAPE_CANDIDATE.finditer(shape))
                for line, offset in _lines(lines, line_numbers(shape, starts)):
                    found.extend(find_cas(line, self._cas_pattern, self._catalog.by_cas, offset))
        # Non-overlapping matches suffice here: no key holds a newline, so every line with a
        # candidate keeps at least one match; the exact pass below looks at all of them.
        hits = self._automaton.find_matches_as_indexes(skeleton)
        if hits:
            if "\n" not in skeleton:
                found.extend(self._names_in_line(text, 0))
            else:
                lines = lines if lines is not None else text.split("\n")
                ends = [end - 1 for _, _, end in hits]
                for line, offset in _lines(lines, line_numbers(skeleton, ends)):
                    found.extend(self._names_in_line(line, offset))
        if not found:
            return found
        return [_mark_longer_name(text, m) for m in _longest_first(found)]

    # -- names ------------------------------------------------------------------------------

    def _names_in_line(self, line: str, offset: int) -> Iterable[Mention]:
        sk = exact_skeleton(line)
        n = len(sk.plain)
        for index, s, e in self._automaton.find_matches_as_indexes(sk.folded, overlapping=True):
            patterns = self._patterns[index]
            ostart, oend = sk.origin[s], sk.origin[e - 1] + 1
            if (s > 0 and sk.origin[s - 1] == ostart) or (e < n and sk.origin[e] == oend - 1):
                continue  # starts or ends inside one character's expansion (β -> beta)
            if ostart > 0 and _joins(line[ostart - 1]):
                continue
            if oend < len(line) and _joins(line[oend]):
                continue
            for pattern in patterns:
                mention = _check(pattern, line, sk, s, e, offset)
                if mention is not None:
                    yield mention
                    break


def _lines(lines: Sequence[str], wanted: list[int]) -> Iterable[tuple[str, int]]:
    """The lines with these increasing indices, with their offsets in the joined text."""
    offset = previous = 0
    for k in wanted:
        offset += sum(map(len, lines[previous:k])) + (k - previous)
        previous = k
        yield lines[k], offset


def _joins(c: str) -> bool:
    """True when a character next to a name makes it part of a longer word.

    Latin letters and digits do ("polyaniline"); letters of other scripts do not, so a name
    written straight after Chinese or Russian words ("进口fentanyl") is still found.
    """
    return c.isalnum() and (c.isascii() or "\u00c0" <= c <= "\u024f")


def _check(p: _Pattern, line: str, sk: Skeleton, s: int, e: int, offset: int) -> Mention | None:
    """The mention if the candidate at skeleton [s, e) really is this spelling, else None."""
    swaps: list[str] = []
    if sk.plain[s:e] != p.key:  # written with swaps, or a different spelling: check each
        for written, letter in zip(sk.plain[s:e], p.key, strict=True):
            if written != letter:
                if not (letter.isalpha() and is_swap_for(written, letter)):
                    return None
                swaps.append(f"{written}->{letter}")
        # A swap must sit among letters: "43 217" is a phone number, not "A-3217" spelt 4->a.
        written_letters = sum(1 for c in sk.plain[s:e] if c.isalpha())
        if swaps and written_letters < max(3, len(swaps)):
            return None
    lookalike = sk.any_lookalike and any(sk.lookalike[s:e])
    origin = sk.origin
    ostart, oend = origin[s], origin[e - 1] + 1
    if sk.one_to_one and oend - ostart == e - s:  # contiguous in the original: no gaps
        gaps: list[int] = []
    else:
        gaps = [j for j in range(1, e - s) if origin[s + j] > origin[s + j - 1] + 1]
    inserted = [j for j in gaps if j not in p.breaks]
    if p.abbreviation:
        letters = "".join(c for c in line[ostart:oend] if c.isalpha())
        if swaps or lookalike or inserted or letters not in (p.letters, p.letters.upper()):
            return None
    spaced = punctuated = extra = False
    if inserted:
        edges = [0, *gaps, e - s]
        short = settings().spaced_piece_max_length
        for j in inserted:
            i = edges.index(j)
            if min(edges[i] - edges[i - 1], edges[i + 1] - edges[i]) <= short:
                spaced = True
            between = line[origin[s + j - 1] + 1 : origin[s + j]]
            if between.strip(" \t-"):
                punctuated = True
            elif not spaced:
                extra = True
    missing = any(j not in gaps for j in p.separators)
    notes = []
    if spaced:
        notes.append("spaced letters")
    if punctuated:
        notes.append("punctuation between letters")
    if swaps:
        notes.append("characters swapped for letters (" + ", ".join(dict.fromkeys(swaps)) + ")")
    if lookalike:
        notes.append("look-alike characters (full-width or other script)")
    if extra:
        notes.append("extra spaces or hyphens")
    if missing:
        notes.append("written without some of its hyphens or spaces")
    label = "name" if p.form in _forms_of(p.substance.name) else "synonym"
    if p.abbreviation:
        label = "abbreviation"
    how = f"{label} '{p.form}' of {p.substance.name}"
    if notes:
        how += ": " + ", ".join(notes)
    return Mention(
        start=ostart + offset,
        end=oend + offset,
        text=line[ostart:oend],
        kind="name",
        matched=p.form,
        substance_id=p.substance.id,
        cas_error=None,
        obfuscated=bool(spaced or punctuated or swaps or lookalike),
        how=how,
    )


_WORD_END = re.compile(r"[\s,;:]")
_LOCANTS = re.compile(r"[0-9,'′NOS]+")


def _mark_longer_name(text: str, m: Mention) -> Mention:
    """Note a name glued by a hyphen or bracket to a chemical prefix (a possible derivative)."""
    if m.kind != "name" or m.start < 2 or text[m.start - 1] not in "-)]":
        return m
    if not (text[m.start - 2].isalnum() or text[m.start - 2] in ")]"):
        return m
    left = m.start
    while left > 0 and not _WORD_END.match(text[left - 1]):
        left -= 1
    right = _WORD_END.search(text, m.end)
    word = text[left : right.start() if right else len(text)]
    if _LOCANTS.fullmatch(text[left : m.start - 1]):
        return m  # "1-N-Boc-4-piperidone": the prefix is only a locant
    return dataclasses.replace(
        m,
        in_longer_name=word,
        how=f"{m.how}; inside the longer name {word!r}: a derivative may be meant",
    )


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, longer ones winning, in text order."""
    starts: list[int] = []  # sorted starts of the chosen mentions
    chosen: list[Mention] = []  # in the same order
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        i = bisect.bisect_right(starts, m.start)
        if i > 0 and chosen[i - 1].end > m.start:
            continue
        if i < len(starts) and starts[i] < m.end:
            continue
        starts.insert(i, m.start)
        chosen.insert(i, m)
    return chosen


@functools.cache
def default_scanner() -> Scanner:
    """The scanner over the packaged catalog (built once)."""
    from chainbreaker.chem.catalog import load_catalog

    return Scanner(load_catalog())
