"""chainbreaker: an open platform for disrupting synthetic-drug supply chains."""

__version__ = "0.1.0"

__all__ = ["__version__"]
