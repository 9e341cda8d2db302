import pickle

from chainbreaker.screen.models import Decision, Hit


def test_decisions_cross_processes_unchanged() -> None:
    hit = Hit(
        "party", "party.listed", 0.91, "The shipper matches.", "parties[shipper].name", {"a": [1]}
    )
    bare = Hit("rule", "rule.vague_description", 0.2, "Vague.")
    decision = Decision("R1", "postal", "day.csv", 7, 0.93, "hold", (hit, bare))
    back = pickle.loads(pickle.dumps([decision, Decision("R2", "order", "o.csv", 2, 0.0, "clear")]))
    assert back == [decision, Decision("R2", "order", "o.csv", 2, 0.0, "clear")]
    assert back[0].hits[0].evidence == {"a": [1]}
    assert back[0].hits[1].where is None and back[0].hits[1].evidence == {}
