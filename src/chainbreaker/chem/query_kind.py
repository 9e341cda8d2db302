"""Telling what kind of identifier a query is: name, CAS RN, SMILES, InChI or InChIKey."""

from __future__ import annotations

import re

from chainbreaker.chem.cas import looks_like_cas
from chainbreaker.chem.models import InputKind

_INCHIKEY = re.compile(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$")
# Characters a SMILES string may hold; a name with a space or a comma is never a SMILES.
_SMILES_CHARS = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$%/\\.:*]+$")
# Characters that chemical names rarely hold but SMILES often do.
# Lowercase letters a SMILES holds only inside brackets or in Cl/Br (aromatic: b c n o p s).
_BRACKETS_AND_HALOGENS = re.compile(r"\[[^\]]*\]|Cl|Br")
_NON_SMILES_LOWER = re.compile(r"[ad-mq-rt-z]")
_SMILES_SYNTAX = re.compile(r"[\[\]=#@/\\()]|[A-Za-z]\d|\d[a-z]")


def classify_query(text: str) -> InputKind:
    """The most likely kind of the query; 'name' covers everything that is not clearly another kind.

    A query that could be both a name and a SMILES (e.g. "NPP") is classed as a name here; the
    identifier falls back to reading it as a SMILES when no catalog name matches.
    """
    stripped = text.strip()
    if not stripped:
        return "empty"
    if stripped.startswith("InChI="):
        return "inchi"
    if _INCHIKEY.match(stripped):
        return "inchikey"
    if looks_like_cas(stripped):
        return "cas"
    if looks_like_smiles(stripped):
        return "smiles"
    return "name"


def could_be_smiles(text: str) -> bool:
    """True when every character of the text may appear in a SMILES string."""
    if not _SMILES_CHARS.match(text):
        return False
    return not _NON_SMILES_LOWER.search(_BRACKETS_AND_HALOGENS.sub("", text))


def looks_like_smiles(text: str) -> bool:
    """True when the text is SMILES-shaped and has syntax that names seldom have (bonds, rings)."""
    if not could_be_smiles(text) or not _SMILES_SYNTAX.search(text):
        return False
    return not _NON_SMILES_LOWER.search(_BRACKETS_AND_HALOGENS.sub("", text))
