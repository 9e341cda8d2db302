"""CAS Registry Numbers written in free text, with or without separators, check digit tested.

What is read as a CAS RN (manifests are full of other numbers: phone numbers, weights, HS codes,
tracking numbers):

- after a cue ("CAS", "CAS No.", "CAS#", "CAS号", ... see `cas_cues` in scan.yaml): the number in
  any form (hyphens, spaces, dots, slashes, dashes, or bare 5-10 digits); a bad check digit is
  reported as a mention with `cas_error`;
- without a cue, the hyphenated shape 2-7 digits / 2 digits / 1 digit (any dash, optional spaces
  around it): offered as a CAS RN, so a bad check digit is reported too;
- without a cue, the same three parts split by spaces, dots or slashes: only when the check
  digit is valid AND the number names a catalog entry (such numbers are otherwise too often
  something else: "10.15.7", "120 10 5");
- a bare digit run without a cue is never read as a CAS RN.

Written with spaces, dots, slashes or doubled separators the mention is reported as obfuscated;
typographic dashes (en dash, minus sign) are not, as word processors put them in for hyphens, nor
bare digits after a cue, as data exports routinely strip the hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chainbreaker.chem.cas import check_digit
from chainbreaker.chem.mention import Mention
from chainbreaker.chem.models import Substance

_TYPO_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASHES = "\\-" + _TYPO_DASHES
# At most four separator characters: " - ", "--", "  " (the pre-filter shape test relies on it).
_SEP = rf"(?:[ \t]?[{_DASHES}./\\]{{1,2}}[ \t]?|[ \t]{{1,2}})"
_HYPHEN_ONLY = re.compile(rf"^[ \t]?[{_DASHES}][ \t]?$")
# Over the shape of a text (text_normalise.prefilter): where a CAS RN or a "CAS" cue may be.
SHAPE_CANDIDATE = re.compile(r"0(?:[-d]{1,4}00[-d]{1,4}0(?!0)|as[-d_0p])")


def cas_possible(shape: str) -> bool:
    """False when the shape of a text rules out any CAS RN or cue (most lines: a few `in`)."""
    if "-00-" in shape or "0as" in shape:
        return SHAPE_CANDIDATE.search(shape) is not None
    if "d" in shape and ("d00" in shape or "00d" in shape):
        return SHAPE_CANDIDATE.search(shape) is not None
    return False


def _cue_pattern(cues: tuple[str, ...]) -> str:
    words = sorted(cues, key=len, reverse=True)
    alts = "|".join(r"[ \t.\-]*".join(map(re.escape, w.split())) for w in words)
    return rf"(?<![A-Za-z])(?:{alts})[ \t]*[.:#=\uff1a\u00b0{_DASHES}]*[ \t]*"


def compile_cas_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """The regular expression for a CAS RN with an optional cue before it."""
    return re.compile(
        rf"(?:(?P<cue>{_cue_pattern(cues)})|(?<![0-9A-Za-z]))(?<![0-9][.,/\-])"
        rf"(?:(?P<a>[0-9]{{2,7}})(?P<s1>{_SEP})(?P<b>[0-9]{{2}})(?P<s2>{_SEP})(?P<c>[0-9])"
        rf"|(?P<bare>[0-9]{{5,10}}))"
        rf"(?![0-9])(?![.,/{_DASHES}][0-9])",
        re.IGNORECASE,
    )


def _describe_separators(s1: str, s2: str) -> tuple[str, bool]:
    """How the separators were written, and whether that is an obfuscation.

    Typographic dashes alone are not: word processors put them in for hyphens.
    """
    seps = s1 + s2
    kinds = []
    if " " in seps or "\t" in seps:
        kinds.append("spaces")
    if "." in seps:
        kinds.append("dots")
    if "/" in seps or "\\" in seps:
        kinds.append("slashes")
    if len(s1.strip()) > 1 or len(s2.strip()) > 1:
        kinds.append("doubled separators")
    typographic = any(c in seps for c in _TYPO_DASHES)
    if not kinds and not typographic:
        return "", False
    text = " and ".join(kinds + (["typographic dashes"] if typographic else []))
    return f" written with {text}", bool(kinds)


def find_cas(
    text: str,
    pattern: re.Pattern[str],
    by_cas: Callable[[str], Substance | None],
    offset: int = 0,
) -> list[Mention]:
    """CAS RN mentions in a text (see the module docstring for what counts)."""
    out: list[Mention] = []
    for m in pattern.finditer(text):
        cued = m.group("cue") is not None
        if m.group("bare") is not None:
            if not cued:
                continue
            digits = m.group("bare")
            first, second, check = digits[:-3], digits[-3:-1], digits[-1]
            start, end = m.span("bare")
            shaped, style, obfuscated = False, " written without hyphens", False
        else:
            first, second, check = m.group("a"), m.group("b"), m.group("c")
            start, end = m.start("a"), m.end("c")
            s1, s2 = m.group("s1"), m.group("s2")
            shaped = bool(_HYPHEN_ONLY.match(s1) and _HYPHEN_ONLY.match(s2))
            style, obfuscated = _describe_separators(s1, s2)
        number = f"{first}-{second}-{check}"
        expected = check_digit(first + second)
        error = None
        if first.startswith("0"):
            error = "the first part has a leading 0"
        elif expected != int(check):
            error = (
                f"bad check digit: {check} given, {expected} expected "
                f"({first}-{second}-{expected} would be valid)"
            )
        cue = " after a 'CAS' cue" if cued else ""
        if error is not None:
            if not (cued or shaped):
                continue
            sid = None
            how = f"CAS-shaped number {number}{style}{cue}: {error}"
        else:
            substance = by_cas(number)
            if substance is None and not (cued or shaped):
                continue
            known = f" ({substance.name})" if substance else " (not in the catalog)"
            how = f"CAS {number}{known}{style}{cue}"
            sid = substance.id if substance else None
        out.append(
            Mention(
                start + offset,
                end + offset,
                text[start:end],
                "cas",
                number,
                sid,
                error,
                obfuscated,
                how,
            )
        )
    return out
