"""Legal forms: where they are removed, their labels, Han forms, forms cut short."""

from __future__ import annotations

import pytest

from chainbreaker.parties.names.legal_forms import (
    ends_with_form,
    strip_han_legal_forms,
    strip_legal_forms,
)
from chainbreaker.parties.names.tokens import tokenise


def _strip(text: str, company: bool = True, truncated: bool = False) -> tuple[list[str], list[str]]:
    tokens, found = strip_legal_forms(tokenise(text), company, truncated)
    return [t.text for t in tokens], [form.label for form, _, _ in found]


@pytest.mark.parametrize(
    ("text", "rest", "labels"),
    [
        # the spellings of one form share a label
        ("HEBEI ATUN TRADING CO., LTD.", ["hebei", "atun", "trading"], ["co ltd"]),
        ("HEBEI ATUN TRADING Company Limited", ["hebei", "atun", "trading"], ["co ltd"]),
        ("HEBEI ATUN TRADING CO LIMITED", ["hebei", "atun", "trading"], ["co ltd"]),
        ("HEBEI ATUN TRADING Co.,Ltd.", ["hebei", "atun", "trading"], ["co ltd"]),
        ("BASALTOS TONALA, S.A. DE C.V.", ["basaltos", "tonala"], ["sa de cv"]),
        ("BASALTOS TONALA SA DE CV", ["basaltos", "tonala"], ["sa de cv"]),
        ("BASALTOS TONALA S A DE C V", ["basaltos", "tonala"], ["sa de cv"]),
        ("COCINA DE TIJUANA, S. de R.L. de C.V.", ["cocina", "de", "tijuana"], ["s de rl de cv"]),
        ("COMERCIALIZADORA CGQ LTDA.", ["comercializadora", "cgq"], ["ltda"]),
        ("COMERCIALIZADORA CGQ Limitada", ["comercializadora", "cgq"], ["ltda"]),
        ("Valerian Labs, Incorporated", ["valerian", "labs"], ["inc"]),
        ("PALEA D.O.O.", ["palea"], ["doo"]),
        ("GREEN CARRENT LIMITED PARTNERSHIP", ["green", "carrent"], ["lp"]),
        # India: "Private Limited" and its contractions (Companies Act 2013, s. 453)
        ("KRIPANSH ORGANICS PRIVATE LIMITED", ["kripansh", "organics"], ["pte ltd"]),
        ("Kripansh Organics Pvt. Ltd.", ["kripansh", "organics"], ["pte ltd"]),
        ("Kripansh Organics P. Ltd.", ["kripansh", "organics"], ["pte ltd"]),
        ("Kripansh Organics (P) Ltd", ["kripansh", "organics"], ["pte ltd"]),
        # several at the end, in the order found (from the end)
        ("SMILETECHNOLOGIES S.A. LLC", ["smiletechnologies"], ["llc", "sa"]),
        # in the middle, only forms that are never ordinary words
        ("YASON CO., LTD. NANCHANG BRANCH", ["yason", "nanchang", "branch"], ["co ltd"]),
        ("ACME SA TRADING", ["acme", "sa", "trading"], []),
        # before the name
        ("OOO ROMASHKA", ["romashka"], ["ooo"]),
        ("PT MAJU JAYA", ["maju", "jaya"], ["pt"]),
        # a form is never the whole name, and never the first word of the name
        ("LIMITED", ["limited"], []),
        ("AG AND CARLON", ["ag", "and", "carlon"], []),
    ],
)
def test_strip_legal_forms(text: str, rest: list[str], labels: list[str]) -> None:
    assert _strip(text) == (rest, labels)


def test_ambiguous_forms_only_for_a_company() -> None:
    assert _strip("GLOBAL CHEMICAL CO", company=True) == (["global", "chemical"], ["co"])
    assert _strip("GLOBAL CHEMICAL CO", company=False) == (["global", "chemical", "co"], [])
    assert _strip("ZHANG SA", company=False) == (["zhang", "sa"], [])
    # an unambiguous form is removed for an unknown party too
    assert _strip("GLOBAL CHEMICAL CO LTD", company=False) == (["global", "chemical"], ["co ltd"])


def test_a_form_cut_short_is_only_read_when_the_text_was_cut() -> None:
    assert _strip("ALLYRISE GROUP CO LIMITE", truncated=True) == (["allyrise", "group"], ["co ltd"])
    assert _strip("TING SHING TAI HK CO LIMI", truncated=True)[1] == ["co ltd"]
    assert _strip("ALLYRISE GROUP CO LIMITE", truncated=False) == (
        ["allyrise", "group", "co", "limite"],
        [],
    )
    # a single short piece is not enough to call it a form ("LI" may be a name)
    assert _strip("ZHANG LI", truncated=True) == (["zhang", "li"], [])


def test_ends_with_form() -> None:
    assert ends_with_form(tokenise("ACME CO LTD"), company=True)
    assert not ends_with_form(tokenise("ACME TRADING"), company=True)


def test_han_legal_forms() -> None:
    assert strip_han_legal_forms("河北奥诺机械设备有限公司") == (
        "河北奥诺机械设备",
        [("有限公司", "co ltd")],
    )
    assert strip_han_legal_forms("华为技术股份有限公司") == (
        "华为技术",
        [("股份有限公司", "co ltd")],
    )
    assert strip_han_legal_forms("奥诺公司") == ("奥诺", [("公司", "co")])
    # a branch (分公司) is not the legal form 公司
    text, found = strip_han_legal_forms("奥诺有限公司南昌分公司")
    assert text == "奥诺 南昌分公司"
    assert found == [("有限公司", "co ltd")]
    assert strip_han_legal_forms("有限公司") == ("有限公司", [])
