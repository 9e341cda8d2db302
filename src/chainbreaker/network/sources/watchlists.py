"""Watch lists (any format `chainbreaker.parties.loaders` reads) as network nodes and edges.

Each listed entity becomes a company or person (its aliases asserted to be the same party), is
`listed_with` its entry (`listing` node list/entry id), `has_address` its addresses and
`has_company_number` or `has_email` its registration numbers and e-mail identifiers. Records
the loader could not read are reported as problems.
"""

from __future__ import annotations

from chainbreaker.network.raw import Problem, RawBatch, RawEdge, Ref
from chainbreaker.parties.loaders import load_list, parse_list_spec

_KIND = {"Person": "person", "Company": "company"}
_REGISTRATION = ("registration", "company", "tax", "vat", "uscc", "business", "cr no")


def read_watchlist(spec: str) -> RawBatch:
    """Read a list given as `PATH` or `PATH:FORMAT` (see `parties.loaders`)."""
    path, fmt = parse_list_spec(spec)
    loaded = load_list(path, fmt)
    batch = RawBatch()
    name = str(path)
    for problem in loaded.problems:
        batch.problems.append(Problem(problem.file, problem.record, problem.field, problem.why))
    list_id = loaded.info.list_id
    for entity in loaded.entities:
        batch.records += 1
        if not entity.names:
            continue
        kind = _KIND.get(entity.schema, "company")
        record = f"{list_id}/{entity.entity_id}"
        party = Ref(kind, entity.name)
        listing = Ref(
            "listing",
            record,
            (("programs", " ".join(entity.programs)), ("listed_on", entity.listed_on or "")),
        )

        date = entity.listed_on or ""

        def add(
            dst: Ref, edge: str, party: Ref = party, record: str = record, date: str = date
        ) -> None:
            batch.edges.append(RawEdge(party, dst, edge, 1.0, name, record, date))

        add(listing, "listed_with")
        for alias in entity.names[1:]:
            batch.same.append((party, Ref(kind, alias.full), f"alias on {record}"))
        for address in entity.addresses:
            if address.text.strip():
                add(Ref("address", address.text), "has_address")
        for ident in entity.identifiers:
            label = ident.kind.lower()
            if "mail" in label:
                add(Ref("email", ident.value), "has_email")
            elif any(word in label for word in _REGISTRATION):
                add(Ref("company_number", ident.value), "has_company_number")
    return batch
