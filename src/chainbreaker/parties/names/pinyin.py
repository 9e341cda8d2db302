"""Romanised Chinese: pinyin and Wade-Giles syllables, their segmentation and a shared key.

The syllable table (`data/pinyin.yaml`) maps every pinyin syllable to its Wade-Giles spelling.
The key of a syllable is its Wade-Giles spelling without apostrophes and umlauts, the coarsest
of the two systems, so that "xia" and "hsia", "guo" and "kuo", "zheng" and "cheng" meet; the
merges this implies are listed and justified in the data file.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from chainbreaker.errors import DataError
from chainbreaker.parties.names.tables import DATA_DIR, entries, field, str_list, str_map

__all__ = ["chinese_key", "is_surname", "looks_chinese", "split_pinyin", "syllable_keys"]

_FILE = "pinyin.yaml"
_MAX_SYLLABLE = 6  # "chuang", "shuang", "hsiung"
_MAX_TOKEN_SYLLABLES = 4  # a whole name joined: compound surname + two-syllable given name
_MAX_PART_SYLLABLES = 3  # one part of a name written in several tokens


def _strip_marks(text: str) -> str:
    """Wade-Giles as records write it: no apostrophes, no umlauts or circumflexes."""
    text = text.replace("'", "").replace("`", "").replace("\u2019", "")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@functools.cache
def _tables() -> tuple[dict[str, str], int]:
    """(syllable -> key, for every pinyin and Wade-Giles syllable; longest syllable)."""
    to_wg = {k: _strip_marks(v[0]) for k, v in str_map(_FILE, "pinyin_to_wade_giles").items()}
    keys: dict[str, str] = {}
    for wg in to_wg.values():  # a Wade-Giles-only spelling is its own key
        keys[wg] = wg
    for py, wg in to_wg.items():  # a pinyin spelling takes its Wade-Giles key
        keys[py] = wg
    for variant, target in str_map(_FILE, "wade_giles_variants").items():
        if target[0] not in to_wg:
            raise DataError(f"{DATA_DIR / _FILE}: variant {variant!r} names unknown {target!r}")
        keys[variant] = to_wg[target[0]]
    for entry in entries(_FILE, "ambiguous"):
        token = field(_FILE, "ambiguous", entry, "token", str)
        reading = field(_FILE, "ambiguous", entry, "reading", str)
        if reading not in ("pinyin", "wade_giles") or token not in to_wg:
            raise DataError(f"{DATA_DIR / _FILE}: 'ambiguous' entry {entry!r} is not usable")
        keys[token] = to_wg[token] if reading == "pinyin" else token
    return keys, max(len(s) for s in keys)


_VOWELS = frozenset("aeiou")


@functools.lru_cache(maxsize=65_536)
def split_pinyin(token: str) -> tuple[str, ...] | None:
    """The syllables of a run of pinyin or Wade-Giles (no apostrophes), or None.

    Longest syllable first, backing off when the rest cannot be read: "xian" -> ("xian",),
    "yunnian" -> ("yun", "nian"), "xianing" -> ("xia", "ning"); "gonzalez" -> None. A syllable
    of one vowel ("a", "e", "i", "o") never follows a syllable ending in a vowel: written
    pinyin would need an apostrophe there, and without the rule "maria" (ma-ri-a) or "louie"
    would read as Chinese.
    """
    keys, longest = _tables()
    n = len(token)
    if n == 0 or n > 40 or not token.isascii() or not token.isalpha():
        return None
    token = token.lower()
    # step[v][i]: length of the syllable chosen at i when the previous one ended in a vowel (v=1)
    # or not (v=0); 0 when the rest cannot be read
    step = [[0] * (n + 1), [0] * (n + 1)]
    ok = [[False] * (n + 1), [False] * (n + 1)]
    ok[0][n] = ok[1][n] = True
    for i in range(n - 1, -1, -1):
        for after_vowel in (0, 1):
            for length in range(min(longest, n - i), 0, -1):
                syllable = token[i : i + length]
                if syllable not in keys or (after_vowel and length == 1 and syllable in _VOWELS):
                    continue
                if ok[syllable[-1] in _VOWELS][i + length]:
                    step[after_vowel][i], ok[after_vowel][i] = length, True
                    break
    if not ok[0][0]:
        return None
    out: list[str] = []
    i, after_vowel = 0, 0
    while i < n:
        syllable = token[i : i + step[after_vowel][i]]
        out.append(syllable)
        i += len(syllable)
        after_vowel = int(syllable[-1] in _VOWELS)
    return tuple(out)


@functools.lru_cache(maxsize=65_536)
def syllable_keys(token: str) -> tuple[str, ...] | None:
    """The romanisation key of each syllable of `token` (None: not Chinese syllables;
    cached: every query name's words are asked about, and words recur)."""
    syllables = split_pinyin(token)
    if syllables is None:
        return None
    keys = _tables()[0]
    return tuple(keys[s] for s in syllables)


@functools.lru_cache(maxsize=65_536)
def chinese_key(token: str) -> str | None:
    """A key under which pinyin and Wade-Giles spellings of the same syllables meet, or None.

    "xia" and "hsia" -> "hsia"; "guo" and "kuo" -> "kuo"; "tianmin" and "tienmin" -> "tienmin".
    Joined and separate syllables concatenate: key("yunnian") == key("yun") + key("nian").
    """
    keys = syllable_keys(token)
    return None if keys is None else "".join(keys)


@functools.cache
def _surname_keys() -> frozenset[str]:
    out = set()
    for surname in str_list("chinese_surnames.yaml", "surname_syllables"):
        key = chinese_key(surname)
        if key is None:
            raise DataError(f"{DATA_DIR / 'chinese_surnames.yaml'}: {surname!r} is not pinyin")
        out.add(key)
    return frozenset(out)


@functools.cache
def _non_chinese() -> frozenset[str]:
    return frozenset(str_list("given_names.yaml", "non_chinese"))


def is_surname(token: str) -> bool:
    """True when `token` spells a common Chinese surname, in pinyin or Wade-Giles."""
    key = chinese_key(token)
    return key is not None and key in _surname_keys()


def looks_chinese(tokens: Sequence[str]) -> bool:
    """True when a person's name reads as a romanised Chinese name (pinyin or Wade-Giles).

    The rule, in order:
    1. every token spells Chinese syllables: at most 4 in a name written as one token
       ("guoyunnian"), at most 3 per token otherwise; at most 5 tokens;
    2. no token is a foreign given name of two or more syllables ("elena" = e-le-na, "diana");
    3. some token is a Chinese surname that is not also a foreign given name ("zhang", "hsia";
       "juan" does not count), or the name is one token starting with a surname syllable.
    So ("zhang", "lei"), ("hsia", "feng", "ping"), ("guoyunnian",), ("juan", "fan") are
    Chinese; ("juan", "carlos"), ("soto", "luna"), ("elena", "lin") are not.
    """
    if not tokens or len(tokens) > 5:
        return False
    limit = _MAX_TOKEN_SYLLABLES if len(tokens) == 1 else _MAX_PART_SYLLABLES
    foreign = _non_chinese()
    surnames = _surname_keys()
    evidence = False
    for token in tokens:
        keys = syllable_keys(token)
        if keys is None or len(keys) > limit:
            return False
        if token in foreign:
            if len(keys) > 1:
                return False
            continue
        if "".join(keys) in surnames or (
            len(tokens) == 1 and len(keys) > 1 and keys[0] in surnames
        ):
            evidence = True
    return evidence
