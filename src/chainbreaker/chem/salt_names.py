"""Salt and hydrate words at the end of a chemical name ("fentanyl citrate", "4-AP 2HCl").

The words live in `data/salt_names.yaml`, with the reason for the rule.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

from chainbreaker.errors import DataError


@functools.cache
def _pattern() -> re.Pattern[str]:
    path = resources.files("chainbreaker.chem") / "data" / "salt_names.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = data.get("salt_words") if isinstance(data, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise DataError(f"{path}: expected a list of strings under 'salt_words'")
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
