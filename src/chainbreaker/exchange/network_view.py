"""The network around an incident: the incident and those correlated with it, as a graph.

Starting from an incident the viewer may see, the correlations are followed `depth` steps
(shared party, address, phone, e-mail, company number or substance that is not common:
`correlation.linked_incidents`), keeping only incidents the viewer may see
(`entitlement.visible`, the one rule of every read path) and at most `MAX_INCIDENTS` of them.
Their reports are turned into a graph by the `network` package (the same reading as
`chainbreaker network build --incidents`: parties by role, identifiers, substances, places; the
same party across reports merged by the parties matcher), which the API returns as JSON and the
pages as the interactive view of `network export`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainbreaker.exchange.correlation import linked_incidents
from chainbreaker.exchange.entitlement import entitled_incident, visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.models import Incident
from chainbreaker.network.build import graph_from_batches
from chainbreaker.network.html_view import render_html, view_data
from chainbreaker.network.model import Graph
from chainbreaker.network.raw import RawBatch
from chainbreaker.network.sources.incidents import add_incident

__all__ = ["MAX_DEPTH", "MAX_INCIDENTS", "IncidentNetwork", "incident_network"]

#: The most correlation steps followed, and the most incidents drawn.
MAX_DEPTH = 3
MAX_INCIDENTS = 200


class IncidentNetwork:
    """The graph around one incident, and which node is that incident."""

    def __init__(self, graph: Graph, focus: str, incidents: int, cut: bool) -> None:
        self.graph = graph
        self.focus = focus  # the node id of the incident asked about
        self.incidents = incidents  # incidents drawn
        self.cut = cut  # True when MAX_INCIDENTS stopped the walk

    def title(self, incident_id: int) -> str:
        shown = f"{self.incidents} incident{'s' if self.incidents != 1 else ''}"
        more = ", more correlated beyond the limit" if self.cut else ""
        return f"Network around incident {incident_id} ({shown}{more})"

    def data(self, incident_id: int) -> dict[str, Any]:
        """Nodes and edges with provenance, as the interactive view embeds them."""
        out = view_data(self.graph, [self.focus], self.title(incident_id))
        out.update(focus=self.focus, incidents=self.incidents, cut=self.cut)
        return out

    def html(self, incident_id: int) -> str:
        """The self-contained interactive page (search, neighbours, provenance)."""
        return render_html(self.graph, [self.focus], self.title(incident_id))


def incident_network(
    session: Session, viewer: Viewer, incident_id: int, depth: int = 2
) -> IncidentNetwork:
    """The network of the incidents `viewer` may see within `depth` correlation steps of
    `incident_id` (`NotFound` when the viewer may not see that incident)."""
    start = entitled_incident(session, viewer, incident_id)
    seen = {start.id}
    frontier = {start.id}
    cut = False
    for _ in range(max(0, min(depth, MAX_DEPTH))):
        if not frontier:
            break
        related = session.scalars(linked_incidents(viewer, frontier))
        fresh = [i for i in related if i not in seen]
        room = MAX_INCIDENTS - len(seen)
        if len(fresh) > room:
            fresh, cut = fresh[:room], True
        seen.update(fresh)
        frontier = set(fresh)
    incidents = session.scalars(
        select(Incident).where(Incident.id.in_(seen), visible(viewer)).order_by(Incident.id)
    ).all()
    batch = RawBatch()
    for incident in incidents:
        body = dict(incident.body)
        body.setdefault("kind", incident.kind)
        body.setdefault("occurred_on", incident.occurred_on.isoformat())
        add_incident(batch, "exchange", incident.uid, body, f"incident {incident.id}")
    graph, _ = graph_from_batches([batch])
    return IncidentNetwork(graph, f"shipment:{start.uid}", len(incidents), cut)
