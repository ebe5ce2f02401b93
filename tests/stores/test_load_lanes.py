"""Which batches of a Neo4j load may commit side by side (graphmodel/stores/load_lanes.py)."""

from __future__ import annotations

from graphmodel.schema import Label, node_spec, rel_spec
from graphmodel.stores.load_lanes import Batch, InFlight

PEOPLE = node_spec(Label.PERSON)
FAMILIES = node_spec(Label.FAMILY)
MEMBER_OF = rel_spec("member_of")
RELATED_TO = rel_spec("related_to")


def _people(*ids: str) -> Batch:
    return [(PEOPLE, "", [{"id": i, "given_name": "A"} for i in ids])]


def _members(*pairs: tuple[str, str]) -> Batch:
    return [(MEMBER_OF, "", [{"src": p, "dst": f, "role": None} for p, f in pairs])]


def test_relationships_wait_for_a_batch_writing_the_nodes_they_join() -> None:
    people = InFlight.of(_people("P1", "P2"))
    assert InFlight.of(_members(("P9", "F9"))).must_follow(people)  # even other ids: a MATCH must see them all
    assert not InFlight.of(_members(("P9", "F9"))).must_follow(InFlight.of(_members(("P1", "F1"))))


def test_a_row_naming_an_id_in_flight_waits_so_the_later_row_wins() -> None:
    earlier = InFlight.of(_people("P1", "P2"))
    assert InFlight.of(_people("P2", "P3")).must_follow(earlier)
    assert not InFlight.of(_people("P3", "P4")).must_follow(earlier)


def test_relationship_keys_include_their_key_properties() -> None:
    def related(kind: str) -> InFlight:
        return InFlight.of([(RELATED_TO, "", [{"src": "P1", "dst": "P2", "kind": kind, "source_id": None}])])

    assert related("sibling").must_follow(related("sibling"))
    assert not related("sibling").must_follow(related("parent"))  # another relationship between the same two


def test_nodes_never_wait_for_relationships_or_other_labels() -> None:
    relationships = InFlight.of(_members(("P1", "F1")))
    assert not InFlight.of(_people("P1")).must_follow(relationships)
    families = InFlight.of([(FAMILIES, "", [{"id": "F1"}])])
    assert not InFlight.of(_people("F1")).must_follow(families)
