"""Normalisation of chemical names into lookup keys.

Two spellings of a name get the same key when they differ only in case, spaces, hyphens and
other punctuation, primes, Greek letters written as symbols or spelt out (β / beta), and the
ortho/meta/para prefixes abbreviated or not (p-fluoro / para-fluoro).
"""

from __future__ import annotations

import re
import unicodedata

GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ω": "omega",
    "μ": "mu",
}

_GREEK_TABLE = str.maketrans(GREEK)
# o-/m-/p- as a locant prefix: at a word start, followed by a hyphen and a letter.
_OMP = re.compile(r"(?<![a-z0-9])([omp])-(?=[a-z])")
_OMP_WORDS = {"o": "ortho", "m": "meta", "p": "para"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The lookup key of a chemical name.

    >>> name_key("β-Hydroxy Fentanyl") == name_key("beta-hydroxyfentanyl")
    True
    >>> name_key("p-Fluorofentanyl") == name_key("para fluoro-fentanyl")
    True
    """
    text = unicodedata.normalize("NFKC", name).casefold().translate(_GREEK_TABLE)
    text = _OMP.sub(lambda m: _OMP_WORDS[m.group(1)], text)
    return _NOT_ALNUM.sub("", text)
