"""The exchange server's settings (`data/exchange.yaml`, each value with its reason)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file

DATA_DIR = Path(__file__).with_name("data")
#: The environment variable naming another settings file (the whole file, every key).
SETTINGS_ENV = "CHAINBREAKER_EXCHANGE_SETTINGS"


class ExchangeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name_threshold: float
    name_candidates: int
    common_value_incidents: int
    max_links: int
    max_body_bytes: int
    audit_flush_seconds: float
    session_hours: float
    token_days: float
    page_size: int
    max_page_size: int
    #: Optional (files written before it keep working): see data/exchange.yaml.
    postgresql_reads_on_event_loop: bool = True


@functools.cache
def exchange_settings(path: Path | None = None) -> ExchangeSettings:
    """The settings file read and checked (DataError naming the file when malformed): `path`,
    else `$CHAINBREAKER_EXCHANGE_SETTINGS`, else the packaged `data/exchange.yaml`."""
    env = os.environ.get(SETTINGS_ENV)
    path = path or (Path(env) if env else DATA_DIR / "exchange.yaml")
    try:
        return ExchangeSettings.model_validate(load_yaml_file(path))
    except ValidationError as exc:
        raise DataError(f"{path}: {exc}") from exc
