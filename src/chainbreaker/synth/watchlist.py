"""The synthetic watch list: its invented entries, their spelling variants, its OFAC CSV file.

`data/watchlist.yaml` holds the entries. `write_watchlist` writes them in OFAC's legacy
`sdn.csv` form (no header, `-0- ` for empty, CR LF, a final 0x1A byte), which
`chainbreaker.parties.loaders.load_list(path, "ofac-csv")` reads. `Variants.written` gives the
way a planted record writes a listed name: Wade-Giles for pinyin, another word order, another
legal form, one typo, one of two Spanish surnames, or a listed a.k.a.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from chainbreaker.synth.parties import between, pick
from chainbreaker.synth.vocab import Vocab

__all__ = ["Listed", "Variants", "listed_entries", "reserved_names", "typo", "write_watchlist"]

_AKA = re.compile(r"a\.k\.a\. '([^']+)'")
_SMALL_WORDS = {"de", "del", "la", "los", "las", "y", "and", "of"}
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True, slots=True)
class Listed:
    """One invented watch-list entry."""

    id: str
    name: str  # as listed: "LAST, Given" for persons, capitals for entities
    type: str  # "individual" or "entity"
    programs: tuple[str, ...]
    country: str
    remarks: str
    planted: bool
    surname: str = ""  # Chinese persons (pinyin)
    given: tuple[str, ...] = ()  # pinyin syllables, or Spanish given names
    surnames: tuple[str, ...] = ()  # Spanish persons: paternal, maternal
    place: str = ""  # entities
    core: str = ""
    form: str = ""

    @property
    def aliases(self) -> tuple[str, ...]:
        """The a.k.a. names written in the remarks."""
        return tuple(_AKA.findall(self.remarks))

    @property
    def culture(self) -> str:
        """'cn', 'es' or 'entity'."""
        if self.type != "individual":
            return "entity"
        return "cn" if self.surname else "es"


def listed_entries(vocab: Vocab) -> tuple[Listed, ...]:
    """The entries of the synthetic watch list, in file order."""
    out = []
    for raw in vocab.watchlist["entries"]:
        out.append(
            Listed(
                id=str(raw["id"]),
                name=str(raw["name"]),
                type=str(raw["type"]),
                programs=tuple(raw["programs"]),
                country=str(raw["country"]),
                remarks=str(raw["remarks"]),
                planted=bool(raw["planted"]),
                surname=str(raw.get("surname", "")),
                given=tuple(str(g) for g in raw.get("given", ())),
                surnames=tuple(str(s) for s in raw.get("surnames", ())),
                place=str(raw.get("place", "")),
                core=str(raw.get("core", "")),
                form=str(raw.get("form", "")),
            )
        )
    return tuple(out)


def reserved_names(entries: tuple[Listed, ...]) -> set[tuple[str, str]]:
    """(surname, given) keys, lower case, that clean records must not draw."""
    out: set[tuple[str, str]] = set()
    for e in entries:
        if e.culture == "cn":
            out.add((e.surname.lower(), "".join(e.given).lower()))
        elif e.culture == "es":
            given = " ".join(e.given).lower()
            out.add((" ".join(e.surnames).lower(), given))
            out.add((e.surnames[0].lower(), given))
    return out


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_watchlist(path: Path, entries: tuple[Listed, ...]) -> None:
    """Write the entries as OFAC's sdn.csv: 12 columns, no header, CR LF, final 0x1A."""
    empty = "-0- "
    rows = []
    for e in entries:
        kind = _quoted("individual") if e.type == "individual" else empty
        columns = [e.id, _quoted(e.name), kind, _quoted("] [".join(e.programs))]
        columns += [empty] * 7 + [_quoted(e.remarks) if e.remarks else empty]
        rows.append(",".join(columns))
    data = "".join(row + "\r\n" for row in rows).encode("ascii") + b"\x1a"
    path.write_bytes(data)


def title(text: str) -> str:
    """Title case as a sender writes a name ('del' and the like stay small)."""
    words = text.lower().split(" ")
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def _neighbour(rng: random.Random, ch: str) -> str:
    for row in _KEYBOARD:
        i = row.find(ch.lower())
        if i >= 0:
            options = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            new = pick(rng, options)
            return new.upper() if ch.isupper() else new
    return ch


def typo(rng: random.Random, text: str) -> str:
    """The text with one typing slip in its longest word (never its first letter)."""
    words = text.split(" ")
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 4:
        return text
    i = between(rng, 1, len(word) - 2)
    op = rng.randrange(4)
    if op == 0 and word[i] != word[i + 1]:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == 1:
        word = word[:i] + word[i + 1 :]
    elif op == 2:
        word = word[:i] + word[i] + word[i:]
    else:
        word = word[:i] + _neighbour(rng, word[i]) + word[i + 1 :]
    words[index] = word
    return " ".join(words)


class Variants:
    """How a planted record writes a listed name."""

    def __init__(self, vocab: Vocab) -> None:
        cn = vocab.parties["cultures"]["cn"]
        self.wg_surnames: dict[str, str] = dict(cn["surnames"])
        self.wg_syllables: dict[str, str] = dict(cn["syllables"])
        self.legal_forms: dict[str, list[str]] = dict(vocab.watchlist["legal_forms"])

    def wade_giles(self, rng: random.Random, entry: Listed) -> str:
        """The Chinese name in Wade-Giles: 'Chou Chien-kuo' (apostrophes and umlauts often lost)."""
        surname = self.wg_surnames[entry.surname]
        given = "-".join(self.wg_syllables[s] for s in entry.given).capitalize()
        text = f"{surname} {given}" if rng.random() < 0.6 else f"{given} {surname}"
        if rng.random() < 0.5:
            text = text.replace("'", "")
        if rng.random() < 0.7:
            text = text.replace("ü", "u")
        return text

    def written(self, rng: random.Random, entry: Listed) -> tuple[str, str]:
        """(the name as the planted record writes it, how it differs from the list)."""
        if entry.culture == "cn":
            given = "".join(entry.given).capitalize()
            how = pick(rng, ("wade_giles", "wade_giles", "word_order", "split_syllables", "typo"))
            if how == "wade_giles":
                return self.wade_giles(rng, entry), how
            if how == "word_order":
                return f"{given} {entry.surname}", how
            if how == "split_syllables":
                return f"{entry.surname} " + " ".join(s.capitalize() for s in entry.given), how
            return typo(rng, f"{given} {entry.surname}"), how
        if entry.culture == "es":
            given = " ".join(entry.given)
            how = pick(rng, ("word_order", "one_surname", "one_surname", "typo"))
            if how == "word_order":
                return f"{given} {' '.join(entry.surnames)}", how
            if how == "one_surname":
                return f"{given} {entry.surnames[0]}", how
            return typo(rng, f"{given} {' '.join(entry.surnames)}"), how
        hows = ["legal_form", "legal_form", "typo"]
        if entry.place:
            hows.append("place_moved")
        if entry.aliases:
            hows.append("aka")
        how = pick(rng, hows)
        place = title(entry.place)
        form = entry.form.title().replace(" De ", " de ").replace("C.v.", "C.V.")
        form = form.replace("R.l.", "R.L.")
        if how == "legal_form":
            form = pick(rng, self.legal_forms.get(entry.form, [entry.form]))
            return " ".join(p for p in (place, title(entry.core), form) if p), how
        if how == "place_moved":
            return f"{title(entry.core)} ({place}) {form}", how
        if how == "aka":
            return title(pick(rng, entry.aliases)), how
        return typo(rng, " ".join(p for p in (place, title(entry.core), form) if p)), how
