"""OFAC's fact grammar: remark facts, identifier labels, dates of birth and their ranges."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.parties.loaders.ofac_facts import (
    birth_dates,
    date_span,
    is_identifier_kind,
    is_listed_identifier,
    read_identifier,
    read_remarks,
    split_person_name,
)
from chainbreaker.parties.models import Identifier, ListedName


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ("Passport G23851362 (China)", Identifier("Passport", "G23851362", "CN")),
        (
            "alt. Passport E590976 (Tunisia) issued 19 Jun 1987 expires 18 Jun 1992",
            Identifier("Passport", "E590976", "TN"),
        ),
        ("Passport G025057 issued 23 Jun 1999", Identifier("Passport", "G025057")),
        (
            "Registration Number HRA 738077 (Stuttgart) (Germany)",
            Identifier("Registration Number", "HRA 738077 (Stuttgart)", "DE"),
        ),
        (
            "Unified Social Credit Code (USCC) 91130104MA07T43608 (China)",
            Identifier("Unified Social Credit Code (USCC)", "91130104MA07T43608", "CN"),
        ),
        ("Chinese Commercial Code 1728 4320", Identifier("Chinese Commercial Code", "1728 4320")),
        (
            "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            Identifier(
                "Digital Currency Address - ETH", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
            ),
        ),
        ("Telephone: 0097282851500", Identifier("Telephone", "0097282851500")),
        ("NIT # 800018928-0 (Colombia)", Identifier("NIT #", "800018928-0", "CO")),
        (
            "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968",
            Identifier("C.U.R.P.", "AIMM67125HCHRRG06", "MX"),
        ),
        ("RFC SAEA740214 (Mexico)", Identifier("RFC", "SAEA740214", "MX")),
        (
            "alt. Passport Booklet: A5199819 (Pakistan)",
            Identifier("Passport Booklet", "A5199819", "PK"),
        ),
        ("National ID No. 216040 (Yemen)", Identifier("National ID No.", "216040", "YE")),
        ("Email Address info@example.com", Identifier("Email Address", "info@example.com")),
        (
            "Vessel Registration Identification IMO 7406784",
            Identifier("Vessel Registration Identification", "IMO 7406784"),
        ),
        # a bracket that is not a country stays in the value
        ("Telephone (98)(21)(66153220)", Identifier("Telephone", "(98)(21)(66153220)")),
    ],
)
def test_read_identifier(fact: str, expected: Identifier) -> None:
    assert read_identifier(fact) == expected


@pytest.mark.parametrize(
    "fact",
    ["Gender Male", "Passportless 123", "Passport", "Passport (China)", "Brigadier General"],
)
def test_not_identifiers(fact: str) -> None:
    assert read_identifier(fact) is None


def test_identifier_kinds() -> None:
    assert is_identifier_kind("Passport")
    assert is_identifier_kind("Some New Registry Number")  # an unknown idType is an identifier
    assert not is_identifier_kind("Gender")
    assert not is_identifier_kind("Secondary sanctions risk:")
    assert not is_identifier_kind("Listing Date (EO 14024 Directive 2):")
    assert is_listed_identifier("Digital Currency Address - XMR")
    assert is_listed_identifier("Email Address")
    assert not is_listed_identifier("Place of Birth")
    assert not is_listed_identifier("Vessel Tonnage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09 Sep 1984", ("1984-09-09",)),
        ("Sep 1984", ("1984-09",)),
        ("1984", ("1984",)),
        ("circa 1970", ("1970",)),
        ("1970 to 1972", ("1970", "1971", "1972")),
        ("circa 1965-1969", ("1965", "1966", "1967", "1968", "1969")),
        ("01 Jan 1961 to 31 Dec 1963", ("1961", "1962", "1963")),
        ("01 Jan 1973 to 31 Dec 1973", ("1973",)),
        ("01 Feb 1960 to 29 Feb 1960", ("1960-02",)),
        ("21 Mar 1950 to 20 Mar 1951", ("1950-03-21", "1951-03-20")),
        ("Mar 1962 to Feb 1963", ("1962-03", "1963-02")),
        ("1900 to 1950", ("1900", "1950")),  # too wide to list year by year
        ("sometime", ()),
        ("31 Feb 1970", ()),
        ("", ()),
    ],
)
def test_birth_dates(text: str, expected: tuple[str, ...]) -> None:
    assert birth_dates(text) == expected


def test_date_span() -> None:
    assert date_span("1970-01-31", "1970-01-31") == ("1970-01-31",)
    assert date_span("1970-01-01", "1970-12-31") == ("1970",)
    assert date_span("1970-03-01", "1970-03-31") == ("1970-03",)
    assert date_span("1970-03-01", "1970-03-30") == ("1970-03-01", "1970-03-30")
    assert date_span("1972", "1970") == ("1972", "1970")  # reversed: both ends as written


def test_split_person_name() -> None:
    assert split_person_name("GUZMAN LOERA, Joaquin") == (
        ("last", "GUZMAN LOERA"),
        ("first", "Joaquin"),
    )
    assert split_person_name("ZHANG, Lei, Jr.") == (("last", "ZHANG"), ("first", "Lei, Jr."))
    assert split_person_name("MADURO") == ()
    assert split_person_name(", Lei") == ()


def test_read_remarks() -> None:
    facts = read_remarks(
        "DOB 09 Sep 1984; alt. DOB 1985; POB Hebei, China; nationality China; "
        "citizen Korea, North; Gender Male; Passport G23851362 (China); "
        "a.k.a. 'AL QA'IDA'; f.k.a. 'OLD NAME CO., LTD.'; n.k.a. NEW NAME; "
        "Linked To: SOMEONE ELSE; possibly Palestinian;arrested 23 Apr 2002; a.k.a. 'CUT OF"
    )
    assert facts.birth_dates == ["1984-09-09", "1985"]
    assert facts.countries == ["CN", "KP"]
    assert facts.identifiers == [Identifier("Passport", "G23851362", "CN")]
    assert facts.aliases == [
        ListedName("AL QA'IDA", kind="aka"),
        ListedName("OLD NAME CO., LTD.", kind="fka"),
        ListedName("NEW NAME", kind="nka"),
    ]
    assert facts.unread == ["possibly Palestinian", "arrested 23 Apr 2002", "a.k.a. 'CUT OF"]


def test_read_remarks_final_full_stop() -> None:
    assert read_remarks("a.k.a. 'X CO.'.").aliases == [ListedName("X CO.", kind="aka")]
    assert read_remarks("DOB 1970.").birth_dates == ["1970"]
    assert read_remarks(None).aliases == [] and read_remarks("").unread == []


_NAME = (
    st.text(
        alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789 '-.,&()/"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@given(aliases=st.lists(_NAME, min_size=1, max_size=5), year=st.integers(1900, 2020))
def test_aliases_round_trip(aliases: list[str], year: int) -> None:
    remarks = "; ".join([f"DOB {year}"] + [f"a.k.a. '{a}'" for a in aliases]) + "."
    facts = read_remarks(remarks)
    assert [n.full for n in facts.aliases] == aliases
    assert facts.birth_dates == [str(year)]


@given(st.text(max_size=200))
def test_any_remarks_text_is_read_without_error(text: str) -> None:
    facts = read_remarks(text)
    for iso in facts.birth_dates:
        assert len(iso) in (4, 7, 10)
    assert all(len(code) == 2 for code in facts.countries)


@given(
    st.dates(date(1900, 1, 1), date(2020, 12, 31)), st.dates(date(1900, 1, 1), date(2020, 12, 31))
)
def test_date_span_stays_within_its_ends(a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    span = date_span(lo.isoformat(), hi.isoformat())
    # every date, at its own precision, lies between the two ends
    assert all(lo.isoformat()[: len(d)] <= d <= hi.isoformat()[: len(d)] for d in span)
    assert list(span) == sorted(span)
    if lo == hi:
        assert span == (lo.isoformat(),)
