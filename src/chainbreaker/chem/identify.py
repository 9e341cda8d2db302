"""Identify a chemical from a name, CAS RN, SMILES, InChI or InChIKey.

The work is split in two: what a query *is* (resolution, standardisation, structure classes,
the controls that can reach it) does not depend on the date and is cached per query text;
which of those controls are in force is decided per `as_of` date, cheaply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rdkit import Chem

from chainbreaker.chem.cas import parse_cas
from chainbreaker.chem.catalog import Catalog, load_catalog
from chainbreaker.chem.identification import Identification
from chainbreaker.chem.legal_status import describe, in_force_on, split_by_date
from chainbreaker.chem.models import ClassMatch, Control, InputKind, Substance
from chainbreaker.chem.query_kind import classify_query, could_be_smiles
from chainbreaker.chem.salt_names import strip_salt_words
from chainbreaker.chem.structure import (
    Standardised,
    parse_structure,
    standardise,
    standardise_smiles,
)
from chainbreaker.chem.structure_classes import ClassVerdict, classify
from chainbreaker.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class _Analysis:
    """Everything about a query that does not depend on the date."""

    kind: InputKind
    substance: Substance | None = None
    resolved_by: str | None = None
    smiles: str | None = None
    inchikey: str | None = None
    steps: tuple[str, ...] = ()
    classes: tuple[ClassMatch, ...] = ()
    controls: tuple[Control, ...] = ()
    sentences: tuple[str, ...] = ()
    error: str | None = None


class Identifier:
    """Identifies queries against a catalog; safe to reuse for millions of queries."""

    def __init__(self, catalog: Catalog | None = None, cache_size: int = 100_000) -> None:
        self.catalog = catalog or load_catalog()
        self._analyse = lru_cache(maxsize=cache_size)(self._analyse_uncached)
        self._by_structure = lru_cache(maxsize=cache_size)(self._structure_uncached)
        self._references: tuple[tuple[str, Chem.Mol], ...] | None = None

    # -- public -------------------------------------------------------------------------------

    def identify(self, query: str, as_of: date | None = None) -> Identification:
        """Identify one query; never raises for bad input (the error is in the result)."""
        on = as_of or date.today()
        a = self._analyse(query.strip())
        current, other = split_by_date(a.controls, on)
        controlled = any(in_force_on(c, on) for c in current)
        reasons = tuple(_sentence(s) for s in a.sentences)
        sentences = list(reasons)
        if current:
            sentences.append(
                "Controls on "
                + on.isoformat()
                + ": "
                + "; ".join(describe(c, on) for c in current)
                + "."
            )
        if other:
            sentences.append(
                "Not in force on that date: " + "; ".join(describe(c, on) for c in other) + "."
            )
        if not a.error and not current:
            sentences.append(
                "No control found for it on " + on.isoformat() + " (not a legal finding: the "
                "catalog and structure rules cover fentanyl, its analogues and precursors)."
            )
        return Identification(
            query=query,
            input_kind=a.kind,
            as_of=on,
            substance=a.substance,
            resolved_by=a.resolved_by,
            smiles=a.smiles,
            inchikey=a.inchikey,
            standardisation=a.steps,
            classes=a.classes,
            controls=current,
            other_controls=other,
            controlled=controlled,
            explanation=tuple(_sentence(s) for s in sentences),
            reasons=reasons,
            error=a.error,
        )

    def identify_many(
        self, queries: Iterable[str], as_of: date | None = None
    ) -> Iterator[Identification]:
        """Identify each query in turn; a bad query gives a result with `error`, never stops."""
        for query in queries:
            yield self.identify(query, as_of)

    def identify_substance(self, substance_id: str, as_of: date | None = None) -> Identification:
        """The identification of a catalog entry, as if queried by its preferred name."""
        return self.identify(self.catalog.get(substance_id).name, as_of)

    # -- resolution ---------------------------------------------------------------------------

    def _analyse_uncached(self, text: str) -> _Analysis:
        kind = classify_query(text)
        try:
            if kind == "empty":
                return _Analysis(kind, error="empty query")
            if kind == "cas":
                return self._from_cas(text)
            if kind == "inchikey":
                return self._from_inchikey(text)
            if kind == "inchi":
                return self._from_structure(text, kind)
            substance = self.catalog.by_name(text)
            if substance is not None:
                how = "preferred name" if substance.name == text else "name or synonym"
                return self._from_substance(substance, "name", how)
            if kind == "smiles":
                return self._from_structure(text, kind)
            return self._from_unknown_name(text)
        except InvalidInput as exc:
            return _Analysis(kind, error=str(exc))

    def _from_cas(self, text: str) -> _Analysis:
        cas = parse_cas(text).number
        substance = self.catalog.by_cas(cas)
        if substance is None:
            return _Analysis(
                "cas",
                sentences=(
                    f"CAS {cas} has a valid check digit but is not in the catalog; give the "
                    "structure (SMILES or InChI) to test it against the structure classes.",
                ),
            )
        how = "CAS RN" if substance.cas == cas else f"CAS RN {cas} (a salt or hydrate form)"
        return self._from_substance(substance, "cas", how)

    def _from_inchikey(self, text: str) -> _Analysis:
        substance = self.catalog.by_inchikey(text)
        how = "InChIKey"
        if substance is None:
            same = self.catalog.by_connectivity(text[:14])
            if not same:
                return _Analysis(
                    "inchikey",
                    inchikey=text,
                    sentences=(
                        "InChIKey not in the catalog; an InChIKey cannot be turned back into a "
                        "structure, so give the SMILES or InChI to test the structure classes.",
                    ),
                )
            substance = same[0]
            how = "InChIKey connectivity block (stereo, isotopes or protonation differ)"
        return self._from_substance(substance, "inchikey", how)

    def _from_unknown_name(self, text: str) -> _Analysis:
        stripped = strip_salt_words(text)
        if stripped is not None:
            base, words = stripped
            substance = self.catalog.by_name(base)
            if substance is not None:
                how = f"name or synonym {base!r}, as a salt or hydrate form ({words})"
                return self._from_substance(substance, "name", how)
        if could_be_smiles(text):
            try:
                return self._from_structure(text, "smiles")
            except InvalidInput:
                pass
        return _Analysis(
            "name",
            sentences=(
                f"{text!r} is not a name or synonym in the catalog; give a CAS RN or a structure "
                "(SMILES or InChI) to test it against the structure classes.",
            ),
        )

    def _from_substance(self, substance: Substance, kind: InputKind, how: str) -> _Analysis:
        intro = f"Resolved by {how} to {substance.name} ({substance.role})."
        if not substance.smiles:
            return _Analysis(
                kind,
                substance=substance,
                resolved_by=how,
                controls=self._own_controls(substance),
                sentences=(intro,),
            )
        s = self._by_structure(substance.smiles)
        return dataclasses.replace(
            s,
            kind=kind,
            substance=substance,
            resolved_by=how,
            controls=self._own_controls(substance) + s.controls,
            sentences=(intro, *s.sentences),
        )

    def _from_structure(self, text: str, kind: InputKind, announce: bool = True) -> _Analysis:
        if kind == "inchi":
            std = standardise(parse_structure(text, "inchi"))
        else:
            std = standardise_smiles(text)
        substance, how = self._lookup_parent(std)
        verdict = self._classes(std, substance)
        own = self._own_controls(substance) if substance else ()
        sentences: list[str] = []
        if substance and announce:
            prefix = "a salt, hydrate or charged form of " if std.changed else ""
            sentences.append(f"Structure resolved by {how} to {prefix}{substance.name}.")
        if std.steps and announce:
            sentences.append("Standardised: " + "; ".join(std.steps) + ".")
        return _Analysis(
            kind,
            substance=substance,
            resolved_by=how,
            smiles=std.smiles,
            inchikey=std.inchikey,
            steps=std.steps,
            classes=verdict.classes,
            controls=own + verdict.controls,
            sentences=(*sentences, *verdict.sentences),
        )

    def _structure_uncached(self, smiles: str) -> _Analysis:
        """Structure analysis of a catalog SMILES (cached: many queries resolve to few entries)."""
        return self._from_structure(smiles, "smiles", announce=False)

    def _lookup_parent(self, std: Standardised) -> tuple[Substance | None, str | None]:
        substance = self.catalog.by_inchikey(std.inchikey)
        if substance is not None:
            return self._prefer_parent(substance), "InChIKey of the standardised parent"
        same = self.catalog.by_connectivity(std.inchikey[:14])
        if same:
            return self._prefer_parent(same[0]), (
                "InChIKey connectivity block (stereo, isotopes or protonation differ)"
            )
        return None, None

    def _prefer_parent(self, substance: Substance) -> Substance:
        return self.catalog.get(substance.parent) if substance.parent else substance

    def _own_controls(self, substance: Substance | None) -> tuple[Control, ...]:
        if substance is None:
            return ()
        controls = substance.controls
        if substance.parent:
            controls = controls + self.catalog.get(substance.parent).controls
        return controls

    def _classes(self, std: Standardised, substance: Substance | None) -> ClassVerdict:
        salt = any("counter-ion" in step or "salt" in step for step in std.steps)
        return classify(
            std.flat, substance, self.catalog, salt=salt, references=self._reference_mols
        )

    def _reference_mols(self) -> Sequence[tuple[str, Chem.Mol]]:
        """Fentanyl-class drugs of the catalog, the references of the analogue alert."""
        if self._references is None:
            refs: list[tuple[str, Chem.Mol]] = []
            for substance in self.catalog.substances:
                if substance.role != "drug" or not substance.smiles:
                    continue
                std = standardise(parse_structure(substance.smiles, "smiles"))
                verdict = classify(std.flat, substance, self.catalog, salt=False)
                if any(c.class_id in ("us-frs", "cn-fentanyl-class") for c in verdict.classes):
                    refs.append((substance.name, std.flat))
            self._references = tuple(refs)
        return self._references


def _sentence(text: str) -> str:
    """The text as a sentence: stripped, ending with a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


@lru_cache(maxsize=1)
def default_identifier() -> Identifier:
    """An Identifier over the packaged catalog, built once per process."""
    return Identifier()


def identify(query: str, as_of: date | None = None) -> Identification:
    """Identify one query against the packaged catalog (see `Identifier.identify`)."""
    return default_identifier().identify(query, as_of)
