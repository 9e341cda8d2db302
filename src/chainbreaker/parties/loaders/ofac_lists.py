"""What OFAC's two lists are called, and the party and alias types of its XML formats.

OFAC publishes the SDN list and the consolidated (non-SDN) list in the same layouts; the
consolidated list's files are named `cons_...` / `consolidated.xml`. SDN.XML (`sdnType`,
`aka/type`) and the advanced XML (party sub-types, alias types) use the same type words.
"""

from __future__ import annotations

from pathlib import Path

from chainbreaker.parties.models import NameKind, Schema

__all__ = ["ALIAS_KINDS", "LIST_TITLES", "SCHEMAS", "list_title", "xml_list_id"]

#: The list ids and titles of OFAC's lists.
LIST_TITLES = {"ofac-sdn": "OFAC SDN list", "ofac-cons": "OFAC consolidated (non-SDN) list"}
#: A party type (lower case) -> its schema; any other type is "Unknown".
SCHEMAS: dict[str, Schema] = {
    "individual": "Person",
    "entity": "Company",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
}
#: An alias type (lower case) -> its name kind; any other type is an "aka".
ALIAS_KINDS: dict[str, NameKind] = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}


def xml_list_id(path: Path, list_id: str) -> str:
    """`list_id`, but "ofac-cons" for "ofac-sdn" when the file is the consolidated list's."""
    if list_id == "ofac-sdn" and path.name.lower().startswith("cons"):
        return "ofac-cons"  # consolidated.xml, cons_advanced.xml: the non-SDN list, same layout
    return list_id


def list_title(list_id: str) -> str:
    """The title of an OFAC list: "OFAC SDN list", or "OFAC list (ID)" for another id."""
    return LIST_TITLES.get(list_id, f"OFAC list ({list_id})")
