"""The one exception root of chainbreaker and its branches.

ChainbreakerError
 +-- InvalidInput        a query, record or argument that cannot be read (the batch goes on)
 |    +-- InvalidCAS     a CAS Registry Number with a wrong form or check digit
 |    +-- InvalidStructure  SMILES / InChI / InChIKey that cannot be parsed
 +-- DataError           a packaged or user-supplied data file is malformed (names file and place)

Every message says what was wrong and, where it helps, what to do.
"""

from __future__ import annotations


class ChainbreakerError(Exception):
    """Root of every error chainbreaker raises on purpose."""


class InvalidInput(ChainbreakerError):
    """A user-supplied value that cannot be understood."""


class InvalidCAS(InvalidInput):
    """A CAS Registry Number with a bad form or a bad check digit."""


class InvalidStructure(InvalidInput):
    """A structure (SMILES, InChI, InChIKey) that cannot be parsed."""


class DataError(ChainbreakerError):
    """A data file is malformed; the message names the file and the place."""
