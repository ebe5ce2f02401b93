"""Who may open which family, on both stores: a practitioner only with open or recent work (or their team's),
hub staff with a reason outside their own work, strategic leads never; every outcome is in the audit log."""

from __future__ import annotations

import pytest

from graphmodel.audit import AuditFilter
from graphmodel.contract import GraphStore
from queries import frontdoor
from queries.access import AccessDenied, open_family, require, visible_hits
from queries.roles import Role, RoleMapping, User
from tests.conftest import SMALL_AS_OF

JO = User("jo.carter@eh.example.org", "Jo Carter", "jo.carter@eh.example.org", frozenset({Role.PRACTITIONER}))
ALEX = User("alex.reed@eh.example.org", "Alex Reed", "alex.reed@eh.example.org", frozenset({Role.PRACTITIONER}))
LEE = User("lee.morgan@police.example.org", "Lee Morgan", "lee.morgan@police.example.org",
           frozenset({Role.PRACTITIONER}))
ANN = User("ann@hub.example", "Ann Hub", "ann@hub.example", frozenset({Role.HUB}))
BOB = User("bob@council.example", "Bob Lead", "bob@council.example", frozenset({Role.STRATEGIC}))


def _actions(store: GraphStore, user: User) -> list[tuple[str, str | None]]:
    return [(e.action, e.family_id) for e in store.audit_log().entries(AuditFilter(user=user.id))]


def test_a_practitioner_opens_a_family_they_lead_and_not_one_they_do_not_work_with(small_store: GraphStore) -> None:
    assert open_family(small_store, JO, "F1", SMALL_AS_OF).family.id == "F1"
    with pytest.raises(AccessDenied, match="no open or recent work"):
        open_family(small_store, ALEX, "F1", SMALL_AS_OF)
    assert ("family-view", "F1") in _actions(small_store, JO)
    assert _actions(small_store, ALEX) == [("refused", "F1")]


def test_work_that_ended_long_ago_is_no_longer_a_relationship(small_store: GraphStore) -> None:
    # Lee's domestic abuse follow-up with F1's father ended on 2025-12-01: recent in January, not in June.
    assert open_family(small_store, LEE, "F1", "2026-01-15").family.id == "F1"
    with pytest.raises(AccessDenied):
        open_family(small_store, LEE, "F1", SMALL_AS_OF)


def test_a_team_claim_gives_the_teams_families(small_store: GraphStore) -> None:
    colleague = User("new@eh.example.org", "New Worker", "new@eh.example.org", frozenset({Role.PRACTITIONER}),
                     team="North Early Help")
    assert open_family(small_store, colleague, "F1", SMALL_AS_OF).family.id == "F1"
    with pytest.raises(AccessDenied):
        open_family(small_store, colleague, "F3", SMALL_AS_OF)


def test_hub_staff_break_the_glass_with_a_reason_that_is_recorded(small_store: GraphStore) -> None:
    with pytest.raises(AccessDenied, match="reason"):
        open_family(small_store, ANN, "F2", SMALL_AS_OF, reason="because")
    open_family(small_store, ANN, "F2", SMALL_AS_OF, reason="Front door call from the school about Liam")
    entries = small_store.audit_log().entries(AuditFilter(user=ANN.id))
    assert [(e.action, e.family_id) for e in entries] == [("break-glass", "F2"), ("family-view", "F2")]
    assert entries[0].reason == "Front door call from the school about Liam"


def test_strategic_leads_never_open_a_family_and_the_refusal_is_recorded(small_store: GraphStore) -> None:
    with pytest.raises(AccessDenied, match="not open to the strategic role"):
        open_family(small_store, BOB, "F1", SMALL_AS_OF, reason="I would like to see it please")
    with pytest.raises(AccessDenied):
        require(small_store, BOB, {Role.HUB}, "The Hub worklist")
    assert [a for a, _ in _actions(small_store, BOB)] == ["refused", "refused"]


def test_a_practitioners_search_shows_only_families_they_may_open(small_store: GraphStore) -> None:
    hits = frontdoor.search(small_store, "Liam Taylor", None, None, SMALL_AS_OF)
    everyone = {f.family_id for h in hits for f in h.families}
    assert {"F1", "F2"} <= everyone
    assert visible_hits(small_store, ANN, hits, SMALL_AS_OF) == hits
    jo_sees = {f.family_id for h in visible_hits(small_store, JO, hits, SMALL_AS_OF) for f in h.families}
    assert jo_sees == {"F1"}
    assert visible_hits(small_store, BOB, hits, SMALL_AS_OF) == []


def test_roles_come_from_claims_through_the_configured_mapping() -> None:
    mapping = RoleMapping.from_config({"roles_claim": "groups", "roles": {"fg-hub": "hub", "fg-audit": "auditor"}})
    user = mapping.user_from_claims({"sub": "x1", "email": "Ann@Hub.Example", "name": "Ann",
                                     "groups": ["fg-hub", "fg-audit", "all-staff"]})
    assert user.roles == {Role.HUB, Role.AUDITOR} and user.email == "ann@hub.example"
    nobody = mapping.user_from_claims({"sub": "x2", "groups": "all-staff"})
    assert nobody.roles == frozenset() and nobody.id == "x2"
    with pytest.raises(ValueError, match="not a role"):
        RoleMapping.from_config({"roles": {"fg-x": "superuser"}})


def test_panel_members_see_the_families_on_a_list_around_its_meeting(small_store: GraphStore, tmp_path,
                                                                     monkeypatch) -> None:
    lists = tmp_path / "panels.csv"
    lists.write_text("panel,meeting_date,family_id\nNorth TAF panel,12/06/2026,F3\n")
    monkeypatch.setenv("FAMILYGRAPH_PANELS", str(lists))
    cat = User("cat@panel.example", "Cat Panel", "cat@panel.example", frozenset({Role.PANEL}))
    assert open_family(small_store, cat, "F3", SMALL_AS_OF).family.id == "F3"  # 11 days before the meeting
    with pytest.raises(AccessDenied, match="no panel list"):
        open_family(small_store, cat, "F1", SMALL_AS_OF)
    with pytest.raises(AccessDenied):
        open_family(small_store, cat, "F3", "2026-07-01")  # the meeting was three weeks ago
    lists.write_text("panel,meeting_date,family_id\nNorth TAF panel,next week,F3\n")
    with pytest.raises(ValueError, match=r"panels\.csv, row 2, column meeting_date"):
        open_family(small_store, cat, "F3", SMALL_AS_OF)
