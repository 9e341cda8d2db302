"""Salt and hydrate words at the end of a chemical name ("fentanyl citrate", "4-AP 2HCl").

The words live in `data/salt_names.yaml`, with the reason for the rule.
"""

from __future__ import annotations

import functools
import re

from chainbreaker.chem.data_files import DATA_DIR, read_entries
from chainbreaker.errors import DataError


@functools.cache
def _pattern() -> re.Pattern[str]:
    path = DATA_DIR / "salt_names.yaml"
    words = read_entries(path, "salt_words")
    if not all(isinstance(w, str) and w.strip() for w in words):
        raise DataError(f"{path}: every entry under 'salt_words' must be a non-empty string")
    alternatives = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)
    )
    # one or more salt words at the end, separated by spaces, commas, dots or hyphens
    return re.compile(rf"(?:[\s,.\-]+(?:{alternatives}))+\s*$", re.IGNORECASE)


def strip_salt_words(name: str) -> tuple[str, str] | None:
    """(the name without its trailing salt/hydrate words, the words removed), or None.

    >>> strip_salt_words("Fentanyl citrate")
    ('Fentanyl', 'citrate')
    """
    match = _pattern().search(name)
    if match is None or match.start() == 0:
        return None
    return name[: match.start()], match.group().strip(" ,.-")
