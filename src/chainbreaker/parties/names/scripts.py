"""Which writing system a name uses; Latin-script text folded to ASCII (accents, tone marks)."""

from __future__ import annotations

import functools
import unicodedata

from chainbreaker.transliteration import to_ascii

__all__ = ["fold_ascii", "is_han", "script_of"]

# Unicode blocks (start, end, script); letters outside them are "other".
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),  # Basic Latin .. Latin Extended-B (letters only reach here)
    (0x0250, 0x02AF, "latin"),  # IPA extensions
    (0x1E00, 0x1EFF, "latin"),  # Latin Extended Additional (Vietnamese, pinyin ǎ...)
    (0x2C60, 0x2C7F, "latin"),
    (0xA720, 0xA7FF, "latin"),
    (0xAB30, 0xAB6F, "latin"),
    (0xFF21, 0xFF5A, "latin"),  # fullwidth Latin
    (0x0400, 0x052F, "cyrillic"),
    (0x1C80, 0x1C8F, "cyrillic"),
    (0x2DE0, 0x2DFF, "cyrillic"),
    (0xA640, 0xA69F, "cyrillic"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x3400, 0x4DBF, "han"),  # CJK Extension A
    (0x4E00, 0x9FFF, "han"),  # CJK Unified Ideographs
    (0xF900, 0xFAFF, "han"),  # CJK Compatibility Ideographs
    (0x20000, 0x2FA1F, "han"),  # Extensions B-F and compatibility supplement
)


@functools.lru_cache(maxsize=8192)
def _char_script(char: str) -> str:
    cp = ord(char)
    for start, end, script in _RANGES:
        if start <= cp <= end:
            return script
    return "other"


def is_han(char: str) -> bool:
    """True for a Han character (CJK ideograph, simplified or traditional)."""
    return char.isalpha() and not char.isascii() and _char_script(char) == "han"


def script_of(text: str) -> str:
    """ "latin", "han", "cyrillic", "arabic", "mixed" (letters of several) or "other".

    Digits, spaces and punctuation do not count; text without letters is "latin".
    """
    if text.isascii():
        return "latin"
    found: set[str] = set()
    for char in text:
        if char.isalpha():
            found.add("latin" if char.isascii() else _char_script(char))
    if not found:
        return "latin"
    if len(found) > 1:
        return "mixed"
    return found.pop()


def fold_ascii(text: str) -> str:
    """ASCII text: accents and tone marks dropped ("Wáng Guóyīng" -> "Wang Guoying"), other
    scripts transliterated (unidecode's letters, see `chainbreaker.transliteration`). Case is
    kept."""
    if text.isascii():
        return text
    return to_ascii(unicodedata.normalize("NFC", text))
