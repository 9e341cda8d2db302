"""A chemical mention found in free text: its span, what it resolved to and how."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a chemical in a text.

    `start`/`end` index the ORIGINAL text (`text[start:end] == mention.text`). `matched` is the
    catalog name or synonym, or the canonical CAS RN (for a bad check digit: the number as
    written, hyphenated). `substance_id` is None for a CAS RN that is not in the catalog or that
    fails its check digit (then `cas_error` says why). `obfuscated` is True when the mention
    matched only after undoing an obfuscation (spaced letters, punctuation between letters,
    digit-for-letter swaps, look-alike characters, a CAS RN split by spaces, dots or slashes).
    `in_longer_name` is set when a name is the tail of a longer chemical word joined to it by a
    hyphen or bracket ("N-Phenethyl-4-piperidinone" around "4-piperidinone"): a substituted
    derivative may be meant, which the caller should resolve by structure.
    """

    start: int
    end: int
    text: str
    kind: Literal["name", "cas"]
    matched: str
    substance_id: str | None
    cas_error: str | None
    obfuscated: bool
    how: str
    in_longer_name: str | None = None  # the whole word when the name is glued to a prefix

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a mention (part of the command-line contract)."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "matched": self.matched,
            "substance_id": self.substance_id,
            "cas_error": self.cas_error,
            "obfuscated": self.obfuscated,
            "how": self.how,
            "in_longer_name": self.in_longer_name,
        }
