"""Running every structure-class rule on a standardised parent and deciding legal membership.

The rules themselves live in `frs` (US class), `china_class`-style functions and `families`;
this module combines them with what the catalog knows (exclusion of individually scheduled
substances, designer status) and collects the controls that reach the substance via a class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdkit import Chem

from chainbreaker.chem.catalog import Catalog
from chainbreaker.chem.families import classify_precursor_families
from chainbreaker.chem.frs import (
    analogue_alert,
    classify_cn_fentanyl,
    classify_us_frs,
    near_miss_us_frs,
)
from chainbreaker.chem.models import ClassMatch, Control, Substance

#: The jurisdiction whose class each drug-class id belongs to.
_CLASS_JURISDICTION = {"us-frs": "US", "cn-fentanyl-class": "CN"}


@dataclass(frozen=True, slots=True)
class ClassVerdict:
    """The classes that fired, the controls they bring, and sentences explaining them."""

    classes: tuple[ClassMatch, ...]
    controls: tuple[Control, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Listings:
    """Jurisdictions that name a substance (or, for a salt entry, its parent) individually."""

    verified: frozenset[str]
    reported: frozenset[str]  # named only by a control the catalog could not verify

    @property
    def any(self) -> frozenset[str]:
        return self.verified | self.reported


def _listings(substance: Substance | None, catalog: Catalog) -> _Listings:
    if substance is None:
        return _Listings(frozenset(), frozenset())
    entries = [substance]
    if substance.parent:
        entries.append(catalog.get(substance.parent))
    own = [c for entry in entries for c in entry.controls if c.via_class is None]
    verified = frozenset(c.jurisdiction for c in own if c.verified)
    return _Listings(verified, frozenset(c.jurisdiction for c in own) - verified)


def _drug_class(
    match: ClassMatch, listed: _Listings, catalog: Catalog
) -> tuple[ClassMatch, tuple[Control, ...], str]:
    jurisdiction = _CLASS_JURISDICTION[match.class_id]
    mods = ", ".join(match.modifications)
    if not match.modifications:
        member = False
        why = (
            f"{match.name}: this is fentanyl itself, the reference structure of the class, "
            "scheduled in its own right; not a member of the class."
        )
    elif jurisdiction in listed.verified:
        member = False
        why = (
            f"{match.name}: structurally within the class ({mods}), but excluded as a class "
            f"member because {jurisdiction} schedules it individually; its individual listing "
            "applies."
        )
    else:
        member = True
        why = f"{match.name}: a legal member of the class (modifications {mods})."
        if jurisdiction in listed.reported:
            # Either way it is controlled: by its own listing if that is confirmed, else by
            # the class. The class is applied so that the answer does not rest on the report.
            why += (
                f" An individual {jurisdiction} listing is reported but not verified; if it "
                "holds, that listing applies instead of the class."
            )
            match = dataclasses.replace(
                match, flags=(*match.flags, f"individual {jurisdiction} listing not verified")
            )
    verdict = dataclasses.replace(match, legal_member=member)
    controls = catalog.class_controls(match.class_id) if member else ()
    return verdict, controls, why


def classify(
    flat: Chem.Mol,
    substance: Substance | None,
    catalog: Catalog,
    *,
    salt: bool,
    references: Callable[[], Sequence[tuple[str, Chem.Mol]]] | None = None,
) -> ClassVerdict:
    """Every structure class of a standardised flat parent, with legal membership decided.

    `references` gives, when called, the molecules of the analogue alert; it is called only
    for an unknown substance that no class caught.
    """
    listed = _listings(substance, catalog)
    classes: list[ClassMatch] = []
    controls: list[Control] = []
    sentences: list[str] = []
    drug_matches = [m for m in (classify_us_frs(flat), classify_cn_fentanyl(flat)) if m]
    for match in drug_matches:
        verdict, brought, why = _drug_class(match, listed, catalog)
        classes.append(verdict)
        controls.extend(brought)
        if verdict.explanation and verdict.modifications:
            sentences.append(verdict.explanation)
        sentences.append(why)
    if not any(m.class_id == "us-frs" for m in drug_matches):
        near = near_miss_us_frs(flat)
        if near:
            sentences.append(f"Not a US fentanyl-related substance: {near}")
    if not drug_matches:
        for family in classify_precursor_families(flat):
            designer = not listed.any
            kinds = (*family.modifications, *(("salt",) if salt else ()))
            classes.append(dataclasses.replace(family, designer=designer))
            controls.extend(catalog.class_controls(family.class_id, kinds))
            label = "designer precursor (no list names it)" if designer else "named precursor"
            sentences.append(f"{family.name}, {label}: {family.explanation}")
    if not classes and substance is None and references is not None:
        alert = analogue_alert(flat, references())
        if alert:
            classes.append(alert)
            sentences.append(alert.explanation)
    return ClassVerdict(tuple(classes), tuple(controls), tuple(sentences))
