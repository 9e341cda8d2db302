"""Building a worker's pipeline from the spec: the collector paused while loading, then on."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from chainbreaker.screen.engines.spec import PipelineSpec
from tests.screen.engines import standin

SPEC = PipelineSpec(standin.MODULE)


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_pipeline_is_built_with_its_counts_and_the_collector_is_on_after() -> None:
    pipeline = SPEC.build(standin.StandinConfig(), {"consignee_day": {"ann lee|2024-05-01": 3}})
    assert gc.isenabled()
    assert pipeline.version == "standin-1"
    assert isinstance(pipeline, standin.Pipeline)
    assert pipeline.context.counts == {"consignee_day": {"ann lee|2024-05-01": 3}}


@pytest.mark.usefixtures("collector_on")
def test_what_was_loaded_is_frozen() -> None:
    gc.unfreeze()
    SPEC.build(standin.StandinConfig(), {})
    assert gc.get_freeze_count() > 0
