"""Controls in force on a date."""

from __future__ import annotations

from datetime import date

from chainbreaker.chem.legal_status import CATALOG_CHECKED, in_force_on, split_by_date
from chainbreaker.chem.models import Control


def _control(effective: date | None, ended: date | None = None, inst: str = "x") -> Control:
    return Control("US", inst, "List I", effective, ("src",), ended=ended)


def test_before_and_after_the_effective_date() -> None:
    c = _control(date(2020, 5, 15))
    assert in_force_on(c, date(2020, 5, 14)) is False
    assert in_force_on(c, date(2020, 5, 15)) is True


def test_ended_control_is_out_of_force_from_its_end() -> None:
    c = _control(date(2018, 2, 6), ended=date(2025, 7, 16))
    assert in_force_on(c, date(2025, 7, 15)) is True
    assert in_force_on(c, date(2025, 7, 16)) is False


def test_unverified_start_is_current_law_but_unknown_in_the_past() -> None:
    c = _control(None)
    assert in_force_on(c, CATALOG_CHECKED) is True
    assert in_force_on(c, date(2010, 1, 1)) is None


def test_split_keeps_unknowns_with_the_current_and_drops_duplicates() -> None:
    old = _control(date(2018, 2, 6), ended=date(2025, 7, 16), inst="order")
    new = _control(date(2025, 7, 16), inst="act")
    unknown = _control(None, inst="unknown")
    current, other = split_by_date([old, new, new, unknown], date(2019, 1, 1))
    assert current == (old, unknown)
    assert other == (new,)


def test_unverified_control_is_shown_but_never_relied_on() -> None:
    c = Control("MX", "DOF", "precursor", date(2021, 5, 14), ("src",), verified=False)
    assert in_force_on(c, date(2026, 1, 1)) is None
    assert in_force_on(c, date(2020, 1, 1)) is False  # before its date it is certainly not in force


def test_named_and_class_copies_of_one_control_are_shown_once() -> None:
    own = Control("US", "21 CFR 1310.02(a)", "List I", date(2020, 5, 15), ("src",))
    via = Control("US", "21 CFR 1310.02(a)", "List I", date(2020, 5, 15), ("src",), via_class="c")
    current, _ = split_by_date([own, via], date(2021, 1, 1))
    assert current == (own,)
