"""Arabic-script words read in Latin letters as sanctions lists write them ("محمد علي" ->
"muhammad ali"): frequent name words from a table, any other word letter by letter (short
vowels are not written, so "زواهري" reads "zwahri"), the article "ال" as its own word "al".
The tables are data (`data/arabic_names.yaml`, after the ALA-LC romanisation tables).
"""

from __future__ import annotations

import functools
import re

from chainbreaker.parties.names.tables import str_map

__all__ = ["ARABIC_WORD", "romanise_arabic"]

_FILE = "arabic_names.yaml"
ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # vowel signs, tatweel
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه"}
)
_ARTICLE = "ال"


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    letters = {k: v[0] for k, v in str_map(_FILE, "letters").items()}
    words = {k.translate(_FOLD): v[0] for k, v in str_map(_FILE, "words").items()}
    return letters, words


def _letters(word: str) -> str:
    letters, _ = _tables()
    out = []
    for i, char in enumerate(word):
        latin = letters.get(char)
        if latin is None:
            continue
        if i > 0 and latin in ("w", "y"):  # after the first letter, و and ي are mostly vowels
            latin = "u" if latin == "w" else "i"
        out.append(latin)
    if word.endswith("ه") and len(word) > 2:  # ة folded to ه: a final "a"
        out[-1] = "a"
    return "".join(out)


def _word(word: str) -> str:
    _, words = _tables()
    if word in words:
        return words[word]
    if word.startswith(_ARTICLE) and len(word) > 3:
        rest = word[len(_ARTICLE) :]
        return f"al {words.get(rest) or _letters(rest)}"
    return _letters(word)


@functools.lru_cache(maxsize=8192)
def romanise_arabic(text: str) -> str:
    """`text` with every Arabic-script word replaced by its Latin reading."""
    return ARABIC_WORD.sub(lambda m: f" {_word(_MARKS.sub('', m.group()).translate(_FOLD))} ", text)
