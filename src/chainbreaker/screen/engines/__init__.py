"""Engines: the same pipeline over many records, on one machine (`local`) or on Spark (`spark`).

Both read the inputs with the project's readers on the driver (bad records set aside and
counted), make a first pass to count the cross-record context keys, then decide every record
with one pipeline per worker process. On the same input they give the same decisions.
"""

from chainbreaker.screen.engines.run import RunStats
from chainbreaker.screen.engines.spec import DEFAULT_SPEC, PipelineSpec

ENGINES = ("local", "spark")

__all__ = ["DEFAULT_SPEC", "ENGINES", "PipelineSpec", "RunStats"]
