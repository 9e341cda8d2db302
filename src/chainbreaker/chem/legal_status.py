"""Which controls are in force on a date.

A control whose start date could not be verified is taken to be in force on and after the date
the catalog's facts were last checked (the catalog reports current law), and unknown before.
A control that is itself unverified (reported, not confirmed from its instrument) is shown
with `in_force` unknown and never makes a substance `controlled` on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chainbreaker.chem.models import Control

#: The date the catalog's facts were last checked against their sources.
CATALOG_CHECKED = date(2026, 11, 29)


def in_force_on(control: Control, on: date) -> bool | None:
    """True when the control is in force on the date, False when not, None when unknown.

    A control the catalog marks unverified is never more than None (shown, not relied on).
    """
    state = control.in_force(on)
    if state is None and on >= CATALOG_CHECKED:
        state = True
    if state and not control.verified:
        return None
    return state


def split_by_date(
    controls: Iterable[Control], on: date
) -> tuple[tuple[Control, ...], tuple[Control, ...]]:
    """(controls in force or possibly in force on the date, controls not in force on it)."""
    current: list[Control] = []
    other: list[Control] = []
    seen: set[tuple[str, str, str, date | None]] = set()
    for control in controls:
        # the same control reached twice (named, and again through its class) is shown once,
        # as it came first: a substance's own listing is passed before class controls
        key = (control.jurisdiction, control.instrument, control.category, control.effective)
        if key in seen:
            continue
        seen.add(key)
        (other if in_force_on(control, on) is False else current).append(control)
    return tuple(current), tuple(other)


def describe(control: Control, on: date) -> str:
    """One line for a human: 'US List I (21 CFR 1310.02), since 2023-05-12'."""
    since = control.effective.isoformat() if control.effective else "date unverified"
    state = in_force_on(control, on)
    text = f"{control.jurisdiction} {control.category} ({control.instrument}), since {since}"
    if control.ended:
        text += f", ended {control.ended.isoformat()}"
    if state is None and control.verified:
        text += ", in force on that date not established"
    if control.via_class:
        text += f", via class {control.via_class}"
    if not control.verified:
        text += " (not verified)"
    return text
