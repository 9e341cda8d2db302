"""The exchange's errors, rooted in `chainbreaker.errors` (each maps to one HTTP status)."""

from __future__ import annotations

from chainbreaker.errors import InvalidInput


class NotFound(InvalidInput):
    """No such object, or none the reader may see (the same answer: existence is not leaked)."""


class Forbidden(InvalidInput):
    """The reader's role or member may not do this."""
