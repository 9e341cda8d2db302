"""Shared fixtures for the detector tests: loaded once per session (the scanner takes ~0.2 s)."""

from __future__ import annotations

import datetime as dt

import pytest

from chainbreaker.screen.detectors.chemical import ChemicalDetector
from chainbreaker.screen.scoring import ScoringSettings, load_scoring


@pytest.fixture(scope="session")
def scoring() -> ScoringSettings:
    return load_scoring()


@pytest.fixture(scope="session")
def chem(scoring: ScoringSettings) -> ChemicalDetector:
    return ChemicalDetector(scoring.chemical, today=dt.date(2025, 6, 1))
