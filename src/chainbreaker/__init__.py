"""chainbreaker: an open platform for disrupting synthetic-drug supply chains."""

from chainbreaker.native import guard as _guard

__version__ = "0.1.0"

#: "compiled", "source" or "stale": which form of the hot modules runs (see chainbreaker.native).
NATIVE = _guard()

__all__ = ["NATIVE", "__version__"]
