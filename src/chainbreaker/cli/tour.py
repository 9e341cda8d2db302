"""The guided tour behind `chainbreaker chem tour` (the README's main-job command for now)."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from chainbreaker.chem.identification import Identification
from chainbreaker.chem.identify import Identifier
from chainbreaker.chem.legal_status import describe
from chainbreaker.chem.scan import Scanner

#: (what the stop shows, query, as-of date or None for today)
STOPS: tuple[tuple[str, str, date | None], ...] = (
    ("A name: fentanyl itself", "fentanyl", None),
    ("A synonym, written loosely", "despropionyl-fentanyl", None),
    ("A CAS number alone, as vendors advertise", "125541-22-2", None),
    ("A CAS number with a typing error", "125541-22-3", None),
    (
        "4-piperidone HCl monohydrate drawn as sold (4,4-piperidinediol hydrochloride)",
        "OC1(O)CCNCC1.Cl",
        None,
    ),
    (
        "A designer precursor no list names: Cbz-protected, ring-chlorinated 4-AP",
        "O=C(OCc1ccccc1)N1CCC(Nc2ccc(Cl)cc2)CC1",
        None,
    ),
    (
        "An unlisted fentanyl analogue: furylethyl, para-chloroanilide, cyclopropanoyl",
        "O=C(C1CC1)N(c1ccc(Cl)cc1)C1CCN(CCc2ccco2)CC1",
        None,
    ),
    ("Carfentanil: within modifications A-E but scheduled on its own", "carfentanil", None),
    ("Benzylfentanyl: outside the US class, inside China's", "benzylfentanyl", None),
    ("4-AP on 1 January 2016, before any country listed it", "4-AP", date(2016, 1, 1)),
)

SCAN_LINES = (
    "CAS 79099 07 3 1-boc-4-piperidone 99% purity, 25kg drum",
    "f e n t a n y l citrate powder sample",
    "4-p1per1d0ne hydrochloride for research",
    "cotton T-shirt size M, 2 pcs",
)


def _stop(console: Console, title: str, result: Identification) -> None:
    status = "[bold red]CONTROLLED[/]" if result.controlled else "[green]not controlled[/]"
    head = result.substance.name if result.substance else (result.error or "not in the catalog")
    lines = [f"query: [bold]{escape(result.query)}[/]  ({result.input_kind})"]
    lines.append(f"{escape(head)}: {status}")
    for c in result.classes:
        mods = "+".join(c.modifications) or "no modification"
        extra = " (excluded: scheduled in its own right)" if c.legal_member is False else ""
        extra += " (designer precursor)" if c.designer else ""
        lines.append(f"class [bold]{c.class_id}[/] {escape(mods)}{extra}")
    lines.extend(f"  why: {escape(reason)}" for reason in result.reasons)
    on = result.as_of.isoformat()
    if result.controls:
        lines.append(f"controls in force on {on}:")
        lines.extend(f"  - {escape(describe(c, result.as_of))}" for c in result.controls)
    elif not result.error:
        lines.append(f"no control in force on {on}")
    console.print(Panel("\n".join(lines), title=escape(title), title_align="left"))


def run_tour(console: Console) -> None:
    """Print the tour: identify stops, then a text scan."""
    identifier = Identifier()
    console.rule("chainbreaker chem: identify")
    for title, query, on in STOPS:
        _stop(console, title, identifier.identify(query, on))
    console.rule("chainbreaker chem: scan goods descriptions")
    scanner = Scanner(identifier.catalog)
    for line in SCAN_LINES:
        found = scanner.scan(line)
        console.print(f"[bold]{escape(line)}[/]")
        if not found:
            console.print("  no chemical mention")
        for m in found:
            target = identifier.catalog.get(m.substance_id).name if m.substance_id else m.matched
            console.print(escape(f"  [{m.start}:{m.end}] {m.text!r} -> {target}  ({m.how})"))
    console.rule()
    console.print(
        "Try: chainbreaker chem identify 'QUERY' --json   |   "
        "chainbreaker chem scan FILE   |   chainbreaker --help"
    )
