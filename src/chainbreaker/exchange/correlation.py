"""Correlation: incidents are linked by the values they share, within entitlement.

Links by an exact value (address, phone, e-mail, company number, substance) are not stored: an
incident's indicators are its values (`indicators`, indexed on (kind, key, incident_id)), and
its links are the other incidents holding an indicator of the same kind and key, found when
the incident is read, in one SQL query that also applies `entitlement.visible`. A new incident
is therefore linked at once to every earlier (and later) holder of its values, and a change of
sharing or a withdrawal changes the links of every reader at the next read.

A value held by more than `common_value_incidents` incidents that every member may see
(`entitlement.seen_by_everyone`) is *common*: it is reported once, as common, instead of
being expanded into a link to each holder (MISP's over-correlation limit: a popular precursor or
a courier hub's address would link every incident to thousands of others, the quadratic
correlation table of ../shared/reference/sharing/misp.md, section 1.10). Counting only holders
every member may see keeps the bound from telling a reader about incidents it may not see.

Party names correlate through the `parties` matcher at write time: earlier names sharing a word
of the normalised name are the candidates (at most `name_candidates`), scored in full as a
`Screener` built on them would score them (`parties.subset.SubsetScreener`, which keeps each
name's readings and the comparer's caches across reports instead of building one); a score
at or above `name_threshold` links the incidents. Those links are stored once (`Correlation`:
the new incident, the earlier one) and read in both directions.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    literal,
    null,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from chainbreaker.exchange.entitlement import seen_by_everyone, visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.indicator_keys import DrawnIndicator
from chainbreaker.exchange.models import Correlation, Incident, Indicator, NameToken
from chainbreaker.exchange.settings import ExchangeSettings, exchange_settings
from chainbreaker.parties.screening import PartyQuery
from chainbreaker.parties.subset import SubsetScreener

__all__ = ["linked_incidents", "links_of", "name_links", "warm_up_matcher"]

#: (indicator id, what was drawn) of the new incident's indicators.
Drawn = list[tuple[int, DrawnIndicator]]


def name_links(
    session: Session, incident_id: int, rows: Drawn, words: list[set[str]]
) -> list[dict[str, Any]]:
    """The name links (`Correlation` rows, to be inserted) of a new incident whose indicator
    `rows` are inserted (`words`: the words of each name) to earlier incidents. Exact-value
    links need nothing stored: they are read from the indicators (`links_of`)."""
    names = [(i, d) for (i, d), w in zip(rows, words, strict=True) if d.kind == "name" and w]
    tokens = set().union(*words) if words else set()
    if not names or not tokens:
        return []
    settings = exchange_settings()
    first = min(i for i, _d in rows)  # earlier names were stored before its indicators
    candidates = _name_candidates(session, first, tokens, settings.name_candidates)
    if not candidates:
        return []
    subset = sorted((str(ind_id), value) for ind_id, _inc, value in candidates)
    where = {str(ind_id): (inc, value) for ind_id, inc, value in candidates}
    links: dict[tuple[int, str], dict[str, Any]] = {}
    for ind_id, d in names:
        query = PartyQuery(str(ind_id), d.value, d.schema)
        for match in _matcher().screen(query, subset, min_score=settings.name_threshold, limit=50):
            other_incident, other_value = where[match.id]
            links.setdefault(
                (other_incident, d.value),
                {
                    "incident_id": incident_id,
                    "related_id": other_incident,
                    "kind": "name",
                    "value": d.value,
                    "related_value": other_value,
                    "score": round(match.score, 3),
                },
            )
    return list(links.values())


#: The most words of a new incident's names looked up for candidates (the longest first:
#: long words are the rarer ones); names have a handful.
_MAX_TOKENS = 12


def _name_candidates(
    session: Session, before: int, tokens: set[str], budget: int
) -> list[tuple[int, int, str]]:
    """(indicator id, incident id, name) of at most `budget` earlier names (stored before
    indicator id `before`) sharing words with the new incident's names. Each word contributes
    at most its `budget` newest holders, so the cost does not grow with how many names hold a
    common word ("trading"); each holder of a word weighs 1 / its holders returned, and the
    names of most weight (then the newest) are kept, so a name sharing a rare word is found
    however many names share the common ones."""
    words = sorted(tokens, key=lambda t: (-len(t), t))[:_MAX_TOKENS]
    params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(words)}
    params.update(before=before, budget=budget)
    rows = _rows(session, _candidates_statement(len(words)), params)
    holders: dict[int, int] = {}  # per word: how many holders it returned (rarity)
    for _ind, _inc, _value, word in rows:
        holders[word] = holders.get(word, 0) + 1
    weight: dict[int, float] = {}
    found: dict[int, tuple[int, int, str]] = {}
    for ind_id, inc, value, word in rows:
        weight[ind_id] = weight.get(ind_id, 0.0) + 1 / holders[word]
        found[ind_id] = (ind_id, inc, value)
    best = sorted(found, key=lambda i: (-weight[i], -i))[:budget]
    return [found[i] for i in best]


@functools.lru_cache(maxsize=_MAX_TOKENS)
def _candidates_statement(n: int) -> Select[Any]:
    """For words t0..t{n-1}: the `budget` newest holders of each among the indicators stored
    before the new incident's (`before`: its first indicator id), then their incidents and
    names. Each word's part reads the index on (token, indicator_id) backwards and stops at
    `budget`, the one plan for it whatever the table's statistics (a fresh PostgreSQL database
    has none: a join inside the limit had been planned as a sort of every holder)."""
    per_word = []
    for i in range(n):
        newest = (
            select(NameToken.indicator_id, literal(i, Integer).label("word"))
            .where(
                NameToken.token == bindparam(f"t{i}", type_=String),
                NameToken.indicator_id < bindparam("before", type_=Integer),
            )
            .order_by(NameToken.indicator_id.desc())
            .limit(bindparam("budget", type_=Integer))
            .subquery(f"w{i}")
        )
        per_word.append(select(newest))
    words = (union_all(*per_word) if n > 1 else per_word[0]).subquery("words")
    return select(words.c.indicator_id, Indicator.incident_id, Indicator.value, words.c.word).join(
        Indicator, Indicator.id == words.c.indicator_id
    )


def _common(mine: Any, settings: ExchangeSettings | None = None) -> ColumnElement[bool]:
    """True when the value of indicator `mine` is held by more than `common_value_incidents`
    incidents every member may see (an index scan of at most that many holders).

    Each holder's incident is checked by its primary key in a scalar subquery, not joined: a
    join let PostgreSQL's generic plan of a young database (no statistics yet) scan every
    incident shared with the coalition for each holder (the sharing index, thought selective),
    ~5 ms of PostgreSQL's CPU per read by the thousandth incident; a scalar subquery is not
    turned into a join, and the primary key is its only sensible plan."""
    settings = settings or exchange_settings()
    held = aliased(Indicator, name="h")
    holder = aliased(Incident, name="hi")
    everyone = (
        select(seen_by_everyone(holder)).where(holder.id == held.incident_id).scalar_subquery()
    )
    return (
        select(held.id)
        .where(held.kind == mine.kind, held.key == mine.key, everyone)
        .limit(1)
        .offset(settings.common_value_incidents)
        .exists()
    )


def links_of(
    session: Session | Connection, viewer: Viewer, incident_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The links of an incident to the other incidents `viewer` may see (newest first, at most
    `max_links`), and its common values (kind and value), from one query."""
    stmt = _links_statement(viewer, exchange_settings(), _backend(session))
    rows = _rows(session, stmt, {"incident_id": incident_id})
    links = [
        {
            "incident_id": related,
            "uid": uid,
            "incident_kind": kind,
            "occurred_on": occurred_on,
            "kind": link_kind,
            "value": value,
            "related_value": related_value,
            "score": score,
        }
        for grp, related, uid, kind, occurred_on, link_kind, value, related_value, score in rows
        if grp
    ]
    commons = [{"kind": row[5], "value": row[6]} for row in rows if not row[0]]
    return links, commons


def _backend(session: Session | Connection) -> str:
    """The database's dialect name ("sqlite", "postgresql")."""
    bind = session.get_bind() if isinstance(session, Session) else session
    return bind.dialect.name


def _same_value(mine: Any, other: Any) -> ColumnElement[bool]:
    """`other` holds the same value (kind and key) as `mine`, for another incident."""
    return and_(
        other.kind == mine.kind,
        other.key == mine.key,
        other.incident_id != mine.incident_id,
    )


@functools.lru_cache(maxsize=1024)
def _links_statement(viewer: Viewer, settings: ExchangeSettings, backend: str) -> Select[Any]:
    """The query of `links_of` for a viewer, the incident a bound parameter: built once per
    viewer (building it costs ten times more than running it on SQLite). Sharing, TLP and
    withdrawals are columns it reads, so their changes still take effect at the next read.
    Its aliases are short to keep its text under 4,096 characters, the longest whose parsing
    psycopg caches (parsing it again cost ~0.5 ms of each read on PostgreSQL)."""
    incident_id = bindparam("incident_id", type_=Integer)
    mine = aliased(Indicator, name="m")
    other = aliased(Indicator, name="o")
    occurred = cast(Incident.occurred_on, String)  # ISO text on both backends, not parsed
    if backend == "postgresql":
        # the incident's own values (an indexed equality: a few rows), each with its common
        # check (EXISTS) run once for the links and the common values both (a CTE read twice
        # is materialised); SQLite would drive such a join from the incidents instead
        own = (
            select(
                mine.incident_id,
                mine.kind,
                mine.key,
                mine.value,
                _common(mine, settings).label("common"),
            )
            .where(mine.incident_id == incident_id, mine.kind != "name")
            .cte("w")
        )
        source: Any = own.c
        start: Any = own
        is_common: ColumnElement[bool] = own.c.common
        not_common: ColumnElement[bool] = ~own.c.common
        own_filter: list[ColumnElement[bool]] = []
    else:
        # driven by the incident's own indicators, each joined to the holders of its key;
        # SQLite runs the common check (EXISTS) once per own value in each part
        source = start = mine
        not_common, is_common = ~_common(mine, settings), _common(mine, settings)
        own_filter = [mine.incident_id == incident_id, mine.kind != "name"]
    exact = (
        select(
            literal(1).label("grp"),
            other.incident_id.label("related"),
            Incident.uid,
            Incident.kind.label("incident_kind"),
            occurred.label("occurred_on"),
            source.kind,
            source.value,
            other.value.label("related_value"),
            literal(1.0, Float).label("score"),
        )
        .select_from(start)
        .join(other, _same_value(source, other))
        .join(Incident, Incident.id == other.incident_id)
        .where(*own_filter, not_common, visible(viewer))
    )

    def named(theirs: Any, ours: Any, own_value: Any, their_value: Any) -> Select[Any]:
        """Stored name links of one direction: the other incident is `theirs`."""
        return (
            select(
                literal(1),
                theirs,
                Incident.uid,
                Incident.kind,
                occurred,
                Correlation.kind,
                own_value,
                their_value,
                Correlation.score,
            )
            .join(Incident, Incident.id == theirs)
            .where(ours == incident_id, visible(viewer))
        )

    # name links are stored once, from the later incident to the earlier: read both ways
    later = named(
        Correlation.incident_id,
        Correlation.related_id,
        Correlation.related_value,
        Correlation.value,
    )
    earlier = named(
        Correlation.related_id,
        Correlation.incident_id,
        Correlation.value,
        Correlation.related_value,
    )
    linked = union_all(exact, later, earlier).subquery("l")
    newest = (
        select(linked)
        .order_by(linked.c.related.desc(), linked.c.kind)
        .limit(settings.max_links)
        .subquery("n")
    )
    common = select(
        literal(0).label("grp"),
        cast(null(), Integer).label("related"),
        cast(null(), String).label("uid"),
        cast(null(), String).label("incident_kind"),
        cast(null(), String).label("occurred_on"),
        source.kind,
        source.value,
        cast(null(), Text).label("related_value"),
        cast(null(), Float).label("score"),
    ).where(*own_filter, is_common)
    everything = union_all(common, select(newest)).subquery("e")
    return select(everything).order_by(
        everything.c.grp, everything.c.related.desc(), everything.c.kind
    )


def linked_incidents(viewer: Viewer, incident_ids: set[int]) -> Select[int]:
    """The ids of the incidents `viewer` may see that are linked to any of `incident_ids`
    (by an exact value that is not common, or by a name), in ascending order."""
    mine = aliased(Indicator, name="mine")
    other = aliased(Indicator, name="other")
    exact = (
        select(other.incident_id.label("id"))
        .select_from(mine)
        .join(other, _same_value(mine, other))
        .join(Incident, Incident.id == other.incident_id)
        .where(
            mine.incident_id.in_(incident_ids),
            mine.kind != "name",
            ~_common(mine),
            visible(viewer),
        )
    )
    earlier = (
        select(Correlation.related_id)
        .join(Incident, Incident.id == Correlation.related_id)
        .where(Correlation.incident_id.in_(incident_ids), visible(viewer))
    )
    later = (
        select(Correlation.incident_id)
        .join(Incident, Incident.id == Correlation.incident_id)
        .where(Correlation.related_id.in_(incident_ids), visible(viewer))
    )
    found = union(exact, earlier, later).subquery("found")
    return select(found.c.id).order_by(found.c.id)


class _Compiled:
    """A statement compiled once for a dialect, run on the DBAPI cursor of a connection: for
    the hot statements, whose columns are plain values (numbers and text), SQLAlchemy's work
    per execution (the statement's cache key, its parameters, a result of rows) cost about as
    much as SQLite's running it (links of an incident: 0.21 -> 0.12 ms in process)."""

    __slots__ = ("names", "sql", "static")

    def __init__(self, stmt: Select[Any], dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        # the literals built into it (the parameters given at each run are None here)
        self.static = dict(compiled.construct_params(_check=False))
        positions = compiled.positiontup
        self.names = tuple(positions) if dialect.paramstyle == "qmark" and positions else None

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[Any]:
        values = {**self.static, **params}
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if self.names is not None:
                cursor.execute(self.sql, tuple(values[n] for n in self.names))
            else:
                cursor.execute(self.sql, values)
            return list(cursor.fetchall())
        finally:
            cursor.close()


_compiled: dict[tuple[int, str], tuple[Select[Any], _Compiled]] = {}


def _rows(session: Session | Connection, stmt: Select[Any], params: dict[str, Any]) -> list[Any]:
    """The rows of `stmt` (built once and kept, as the statements of this module are) with
    `params`, as plain tuples; through SQLAlchemy when it must render parameters at run
    time."""
    conn = session.connection() if isinstance(session, Session) else session
    key = (id(stmt), conn.dialect.name)
    found = _compiled.get(key)
    if found is None or found[0] is not stmt:
        found = (stmt, _Compiled(stmt, conn.dialect))
        if len(_compiled) >= 4096:
            _compiled.clear()
        _compiled[key] = found
    if "POSTCOMPILE" in found[1].sql:
        return [tuple(r) for r in conn.execute(stmt, params)]
    return found[1].rows(conn, params)


@functools.cache
def _matcher() -> SubsetScreener:
    """The process's matcher of names against their candidates: it keeps each name's readings
    and its comparer's caches across reports (`parties.subset`: the scores of a `Screener`
    built on the candidates, without building one per report)."""
    return SubsetScreener()


def warm_up_matcher() -> None:
    """Load what the parties matcher loads on first use (settings, name tables), so the first
    writes after a start do not wait for it."""
    _matcher().screen(
        PartyQuery("0", "Warm-up Trading Company"),
        [("0", "Warm-up Trading Company Ltd.")],
        min_score=exchange_settings().name_threshold,
    )
