"""Document noise: attention and care-of lines, labels, phone and e-mail, a trailing country."""

from __future__ import annotations

import pytest

from chainbreaker.parties.names.noise import strip_noise


@pytest.mark.parametrize(
    ("text", "company", "rest", "why"),
    [
        ("CEC LIMITED/ATTN SALES", True, "CEC LIMITED", ["attention line '/ATTN SALES'"]),
        ("ACME, ATTN: John", True, "ACME", ["attention line 'ATTN: John'"]),
        ("ACME ATTENTION PURCHASING", True, "ACME", ["attention line 'ATTENTION PURCHASING'"]),
        (
            "ELLISSA SHIPPING C/O FREIGHT AGENT",
            True,
            "ELLISSA SHIPPING",
            ["care of 'C/O FREIGHT AGENT'"],
        ),
        ("ELLISSA SHIPPING C / O AGENT", True, "ELLISSA SHIPPING", ["care of 'C / O AGENT'"]),
        ("ATTN: ZHANG WEI", False, "ZHANG WEI", ["attention label 'ATTN:'"]),
        ("C/O ACME LOGISTICS", True, "ACME LOGISTICS", ["care-of label 'C/O'"]),
        (
            "TO THE ORDER OF BANK OF CHINA",
            True,
            "BANK OF CHINA",
            ["order consignment 'TO THE ORDER OF'"],
        ),
        ("CONSIGNEE: ACME", True, "ACME", ["party label 'CONSIGNEE:'"]),
        (
            "ACME TRADING TEL: +86 21 5555 0000",
            True,
            "ACME TRADING",
            ["phone or fax 'TEL: +86 21 5555 0000'"],
        ),
        ("ACME TRADING sales@acme.cn", True, "ACME TRADING", ["e-mail 'sales@acme.cn'"]),
        ("SOCIALIKA S A DE C V, MEXICO", True, "SOCIALIKA S A DE C V", ["country 'MEXICO'"]),
        ("ACME LTD, P.R. CHINA", False, "ACME LTD", ["country 'P.R. CHINA'"]),
        ("ACME LTD, Germany", True, "ACME LTD", ["country 'Germany'"]),
        # nothing to remove
        ("STEPHEN MATTHEWS", False, "STEPHEN MATTHEWS", []),  # "ph", "att" inside words
        ("HOTEL DEL CELTA", True, "HOTEL DEL CELTA", []),
        ("Smile Technologies Canada, Ltd.", True, "Smile Technologies Canada, Ltd.", []),
        # a person's given name may be a country
        ("SMITH, Jordan", False, "SMITH, Jordan", []),
        # all noise: nothing left
        ("/ATTN SALES", True, "", ["attention line '/ATTN SALES'"]),
    ],
)
def test_strip_noise(text: str, company: bool, rest: str, why: list[str]) -> None:
    assert strip_noise(text, company) == (rest, why)
