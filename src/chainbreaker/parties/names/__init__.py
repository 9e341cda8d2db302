"""Name normalisation and transliteration: the building blocks of party matching.

- `normalise_name(text, schema)` -> `NormalName`: tokens, legal forms, what was dropped, the
  script, and other readings (Han characters in pinyin, a name written in two scripts);
- Chinese romanisation: `split_pinyin`, `chinese_key` (pinyin and Wade-Giles meet),
  `looks_chinese`;
- given names and particles: `given_name_forms`, `SPANISH_PARTICLES`, `is_particle`.
"""

from chainbreaker.parties.names.given_names import (
    SPANISH_PARTICLES,
    given_name_forms,
    is_particle,
)
from chainbreaker.parties.names.normalise import NormalName, normalise_name
from chainbreaker.parties.names.pinyin import (
    chinese_key,
    is_surname,
    looks_chinese,
    split_pinyin,
    syllable_keys,
)

__all__ = [
    "SPANISH_PARTICLES",
    "NormalName",
    "chinese_key",
    "given_name_forms",
    "is_particle",
    "is_surname",
    "looks_chinese",
    "normalise_name",
    "split_pinyin",
    "syllable_keys",
]
