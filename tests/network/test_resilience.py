"""Rerouting after a cut, on graphs checked by hand."""

from __future__ import annotations

from chainbreaker.network.plan import PlanOptions, plan_interdiction
from chainbreaker.network.resilience import reroute
from tests.network.helpers import flow_graph


def test_latent_partners_replace_a_removed_broker() -> None:
    # s -> a -> t carries 10; b is a latent alternative (s -> b, b -> t, 10 each).
    g = flow_graph([("s", "a", 10), ("a", "t", 10)], latent=[("s", "b", 10), ("b", "t", 10)])
    after = reroute(g, ["s"], ["t"], ["a"], [], model="latent")
    assert after.model == "latent"
    assert after.flow == 10
    assert after.added_edges == 2


def test_latent_edges_carry_no_more_than_was_lost() -> None:
    # a carried 4; the latent partner could carry 10 but replaces only the 4 lost
    g = flow_graph([("s", "a", 4), ("a", "t", 4)], latent=[("s", "b", 10), ("b", "t", 10)])
    assert reroute(g, ["s"], ["t"], ["a"], [], model="latent").flow == 4


def test_no_latent_partner_no_recovery() -> None:
    g = flow_graph([("s", "a", 10), ("a", "t", 10)], latent=[("s", "b", 10)])
    assert reroute(g, ["s"], ["t"], ["a"], [], model="latent").flow == 0


def test_rewire_needs_a_peer_of_the_same_type() -> None:
    # a and c both sit between s and t; with a cut and recovery 1, s's and t's lost edges are
    # rewired to the peer c: s -> c gains 10 and c -> t gains 10, so c carries 5 + 10 = 15
    # (capped by s -> c = 5 + 10 and c -> t = 5 + 10).
    g = flow_graph([("s", "a", 10), ("a", "t", 10), ("s", "c", 5), ("c", "t", 5)])
    after = reroute(g, ["s"], ["t"], ["a"], [], model="rewire", recovery=1.0, runs=3)
    assert after.flow == 15
    none = reroute(g, ["s"], ["t"], ["a"], [], model="rewire", recovery=0.0, runs=3)
    assert none.flow == 5


def test_plan_reports_the_rerouted_flow() -> None:
    g = flow_graph([("s", "a", 10), ("a", "t", 10)], latent=[("s", "b", 10), ("b", "t", 10)])
    plan = plan_interdiction(g, ["s"], ["t"], PlanOptions(budget=1, protect_terminals=True))
    assert plan.reroute_model == "latent"
    mine = plan.outcomes[0]
    assert mine.targets == ("a",)
    assert (mine.flow_after, mine.flow_rerouted) == (0, 10)
