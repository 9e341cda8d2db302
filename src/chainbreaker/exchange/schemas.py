"""What an incident report holds, validated (pydantic): the API's and the importers' input.

Unknown fields are refused (a misspelt field is an error, not silently dropped); strings have
length limits; countries are ISO 3166-1 alpha-2 codes; dates are ISO dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

__all__ = [
    "Attachment",
    "IncidentIn",
    "Party",
    "Route",
    "SharingIn",
    "SightingIn",
    "SubstanceIn",
    "WithdrawIn",
]

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Kind = Literal[
    "seizure", "suspicious_shipment", "stopped_order", "diversion_attempt", "clandestine_lab"
]
SharingLevel = Literal["member", "named", "coalition"]
Tlp = Literal["clear", "green", "amber", "amber+strict", "red"]
MemberCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


def _storable(value: object) -> object:
    """Refuse text that no database stores as given: NUL characters, lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("text must be valid Unicode (a lone surrogate was sent)") from exc
    elif isinstance(value, list):
        for item in value:
            _storable(item)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return _storable(value)


class SubstanceIn(_Strict):
    """A substance as reported: name, CAS, SMILES or InChIKey (resolved through `chem`)."""

    name: Name
    quantity: Annotated[float, Field(ge=0, le=1e12)] | None = None
    unit: Literal["mg", "g", "kg", "t", "ml", "l", "units", "tablets"] | None = None
    form: Short | None = None  # powder, liquid, tablets, crystals, ...


class Party(_Strict):
    """A party of the incident with the identifiers the reporter knows."""

    role: Literal[
        "consignor",
        "consignee",
        "notify",
        "buyer",
        "seller",
        "carrier",
        "broker",
        "suspect",
        "other",
    ] = "other"
    name: Name
    kind: Literal["company", "person"] | None = None
    country: Country | None = None
    address: Short | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None
    company_numbers: Annotated[list[Short], Field(max_length=20)] = []

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("an e-mail address has the form name@domain")
        return value or None


class Route(_Strict):
    """Where the goods came from, went through and were going."""

    origin: Country | None = None
    transit: Annotated[list[Country], Field(max_length=20)] = []
    destination: Country | None = None


class Attachment(_Strict):
    """A document kept elsewhere, by reference (the exchange stores no files)."""

    name: Name
    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


class IncidentIn(_Strict):
    """A new incident report."""

    kind: Kind
    occurred_on: date
    country: Country | None = None
    location: Short | None = None
    reporting_authority: Short | None = None
    substances: Annotated[list[SubstanceIn], Field(max_length=50)] = []
    parties: Annotated[list[Party], Field(max_length=50)] = []
    route: Route = Route()
    conveyance: Short | None = None  # e.g. express courier, container, post, air cargo
    concealment: Short | None = None
    declared_description: Short | None = None
    hs_code: Annotated[str, StringConstraints(pattern=r"^\d{4}(\.?\d{2}){0,3}$")] | None = None
    modus_operandi: Text | None = None
    narrative: Text | None = None
    attachments: Annotated[list[Attachment], Field(max_length=20)] = []
    sharing: SharingLevel = "member"
    recipients: Annotated[list[MemberCode], Field(max_length=200)] = []
    tlp: Tlp = "amber"

    @field_validator("occurred_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value.year < 1900 or value > date.today() + timedelta(days=2):
            raise ValueError("the date must be between 1900 and today")
        return value


class SharingIn(_Strict):
    """A change of who may see an incident."""

    sharing: SharingLevel
    recipients: Annotated[list[MemberCode], Field(max_length=200)] = []
    tlp: Tlp | None = None


class WithdrawIn(_Strict):
    """Why an incident is withdrawn."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class SightingIn(_Strict):
    """A hit on an indicator in the sighting member's own screening or search."""

    indicator_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    kind: Literal["name", "address", "phone", "email", "company_number", "substance"] | None = None
    value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=400)] | None = None
    seen_at: datetime | None = None

    @field_validator("seen_at")
    @classmethod
    def _when(cls, value: datetime | None) -> datetime | None:
        if value is not None and not 1900 <= value.year <= 2200:
            raise ValueError("seen_at must be between 1900 and 2200")
        return value

    share: Literal["anonymous", "member", "details"] = "member"
    context: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class TokenIn(_Strict):
    """A new API token for the caller (an admin may name a user of its member)."""

    username: MemberCode | None = None
    days: Annotated[float, Field(gt=0, le=3660)] = 90
    label: Short = ""
