"""The exchange's tables (SQLAlchemy 2 typed declarative models).

Times are naive UTC (`clock.utcnow`) on both backends, so SQLite and PostgreSQL compare alike.
The migration in `migrations/versions/` creates exactly these tables; a test compares them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: The roles of a user: an admin manages its member's users and reads its audit; an analyst
#: reads and writes incidents; a read-only user reads (not TLP:RED of other members).
ROLES = ("admin", "analyst", "read_only")
#: Who an incident is shared with: the reporting member only, named members, every member.
SHARING = ("member", "named", "coalition")
#: Traffic Light Protocol 2.0 markings (FIRST), most open first.
TLPS = ("clear", "green", "amber", "amber+strict", "red")
#: The kinds of incident (INCB PICS/IONICS incident types).
INCIDENT_KINDS = (
    "seizure",
    "suspicious_shipment",
    "stopped_order",
    "diversion_attempt",
    "clandestine_lab",
)
#: The kinds of indicator drawn from incidents; all but `substance` are the kinds that
#: `chainbreaker screen --indicators` reads.
INDICATOR_KINDS = ("name", "address", "phone", "email", "company_number", "substance")
#: What a sighting member lets the alerted member see.
SIGHTING_SHARES = ("anonymous", "member", "details")


class Base(DeclarativeBase):
    """The exchange's tables."""


class Member(Base):
    """A country or an agency of the coalition."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class User(Base):
    """A person (or a system) of a member, with one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Token(Base):
    """An API token (or a web session): only the sha256 of its secret is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "api" or "session"
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Incident(Base):
    """An incident: the searchable fields as columns, the whole report in `body`."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_member_created", "member_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    sharing: Mapped[str] = mapped_column(String(20), index=True)
    tlp: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    search_text: Mapped[str] = mapped_column(Text)


class Recipient(Base):
    """A member named in an incident's sharing (`sharing == "named"`)."""

    __tablename__ = "incident_recipients"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True, index=True)


class Indicator(Base):
    """A value drawn from an incident (a party's name, address...; a substance)."""

    __tablename__ = "indicators"
    __table_args__ = (Index("ix_indicators_kind_key_incident", "kind", "key", "incident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(400))  # the normalised form correlation compares
    note: Mapped[str] = mapped_column(Text, default="")


class NameToken(Base):
    """A word of a name indicator's normalised name: finds candidates for the party matcher."""

    __tablename__ = "name_tokens"

    __table_args__ = (Index("ix_name_tokens_token_indicator", "token", "indicator_id"),)

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(100), primary_key=True)


class Correlation(Base):
    """Two incidents whose party names the matcher linked, stored once: `incident_id` is the
    newer incident, `related_id` the earlier one (readers take both directions). Links by an
    exact shared value (address, phone, e-mail, company number, substance) are not stored:
    they are read from the indicators sharing a key (`correlation.links_of`)."""

    __tablename__ = "correlations"
    __table_args__ = (UniqueConstraint("incident_id", "related_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(Text)  # the value as the incident itself writes it
    related_value: Mapped[str] = mapped_column(Text)  # as the related incident writes it
    score: Mapped[float] = mapped_column(Float, default=1.0)


class Sighting(Base):
    """A member saw an indicator (a screening or search hit)."""

    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    share: Mapped[str] = mapped_column(String(20))
    context: Mapped[str] = mapped_column(Text, default="")


class Alert(Base):
    """A sighting told to the member that shared the indicator."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    sighting_id: Mapped[int] = mapped_column(ForeignKey("sightings.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One read or write by a user (append-only: the store never updates or deletes it)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    member_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    owner_member_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(80), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    detail: Mapped[str] = mapped_column(Text, default="")
