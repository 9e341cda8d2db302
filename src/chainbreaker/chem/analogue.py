"""A similarity alert for fentanyl-like molecules that neither class definition reaches.

Outside the US and Chinese classes a substance may still be a controlled analogue case by case
(e.g. the US Federal Analogue Act), which is a question for a chemist, not a structural rule. This
alert says only "looks like X": Morgan fingerprint (radius 2) Tanimoto similarity to the most
similar reference substance, at or above a threshold chosen and documented in the data file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator

from chainbreaker.chem.china_class import classify_cn_fentanyl
from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.fentanyl_scaffold import has_anchor
from chainbreaker.chem.models import ClassMatch

_GENERATOR = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
_CACHE: dict[int, tuple[object, AnalogueReferences]] = {}
_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class AnalogueReferences:
    """Reference substances with their fingerprints computed once."""

    names: tuple[str, ...]
    fingerprints: tuple[Any, ...]


def fingerprint(mol: Chem.Mol) -> Any:
    """The Morgan (radius 2, 2048-bit) fingerprint used by the alert."""
    return _GENERATOR.GetFingerprint(mol)


def prepare_references(references: Sequence[tuple[str, Chem.Mol]]) -> AnalogueReferences:
    """Compute the reference fingerprints once; pass the result to `analogue_alert`."""
    return AnalogueReferences(
        names=tuple(name for name, _ in references),
        fingerprints=tuple(fingerprint(mol) for _, mol in references),
    )


def _prepared(
    references: Sequence[tuple[str, Chem.Mol]] | AnalogueReferences,
) -> AnalogueReferences:
    if isinstance(references, AnalogueReferences):
        return references
    hit = _CACHE.get(id(references))
    if hit is not None and hit[0] is references:
        return hit[1]
    prepared = prepare_references(references)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(references)] = (references, prepared)  # keeps the object alive: ids stay valid
    return prepared


def best_reference(
    mol: Chem.Mol, references: Sequence[tuple[str, Chem.Mol]] | AnalogueReferences
) -> tuple[str, float] | None:
    """The most similar reference and its Tanimoto similarity (None without references)."""
    refs = _prepared(references)
    if not refs.names:
        return None
    sims = DataStructs.BulkTanimotoSimilarity(fingerprint(mol), list(refs.fingerprints))
    best = max(range(len(sims)), key=sims.__getitem__)
    return refs.names[best], float(sims[best])


def analogue_alert(
    mol: Chem.Mol,
    references: Sequence[tuple[str, Chem.Mol]] | AnalogueReferences,
    threshold: float | None = None,
) -> ClassMatch | None:
    """Alert on a molecule in neither fentanyl class that resembles a reference substance.

    `references` are (name, standardised mol) pairs, or their `prepare_references` result; plain
    sequences are prepared once and cached by identity. `threshold` defaults to the documented
    value in the data file (0.55). Returns None below the threshold or when the molecule is in
    the US or the Chinese class (then the class match is the answer, not an alert).
    """
    data = load()
    limit = data.alert_threshold if threshold is None else threshold
    if has_anchor(mol) and _in_a_class(mol):
        return None
    found = best_reference(mol, references)
    if found is None or found[1] < limit:
        return None
    name, sim = found
    return ClassMatch(
        class_id="analogue-alert",
        name=data.alert_name,
        rule=data.alert_rule,
        explanation=(
            f"possible analogue of {name} (Tanimoto {sim:.2f}) — refer to a chemist; "
            "not a legal finding"
        ),
    )


def _in_a_class(mol: Chem.Mol) -> bool:
    # Imported here, not at the top: frs imports this module to re-export the alert.
    from chainbreaker.chem.frs import classify_us_frs

    return classify_us_frs(mol) is not None or classify_cn_fentanyl(mol) is not None
