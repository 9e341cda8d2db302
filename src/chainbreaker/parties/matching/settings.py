"""The matcher's settings, read from `parties/data/matcher.yaml` (every value with its reason)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from chainbreaker.errors import DataError

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "matcher.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenSimilarity(_Strict):
    exact: float
    romanisation: float
    abbreviation: float
    plural: float
    one_edit: float
    two_edits: float
    truncated: float
    initial: float


class ScoreSettings(_Strict):
    missing_listed_weight: float
    extra_query_weight: float
    conflict_factor: float
    distinctive_mass: float
    common_floor: float
    weak_alias_factor: float
    background_names: int


class QualifierSettings(_Strict):
    dob_same: float
    dob_close: float
    dob_same_year: float
    dob_conflict_factor: float
    country_same: float
    country_conflict_factor: float
    schema_conflict_factor: float


class CandidateSettings(_Strict):
    per_query: int
    typo_min_length: int


class MatcherSettings(_Strict):
    version: str
    token_similarity: TokenSimilarity
    score: ScoreSettings
    qualifiers: QualifierSettings
    candidates: CandidateSettings
    place_weight_factor: float
    places: frozenset[str]
    company_abbreviations: dict[str, tuple[str, ...]]
    equivalent_words: tuple[tuple[str, ...], ...]
    minor_words: frozenset[str]


def read_settings(path: Path) -> MatcherSettings:
    """Read and validate a matcher settings file; DataError naming the file and field."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return MatcherSettings.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot be read as YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DataError(f"{path}: field {where}: {first['msg']}") from exc


@functools.cache
def default_settings() -> MatcherSettings:
    """The packaged settings (read once)."""
    return read_settings(DATA_FILE)
