"""Per-source disclosure rules (queries/source_rules.toml) on both stores: police work shows as 'known to police
since DATE' with the officer's contact to practitioners, its service description (offence details) to nobody;
a sector's listed needs only to the roles named."""

from __future__ import annotations

from graphmodel.contract import GraphStore
from queries.roles import Role, User
from queries.source_rules import SourceRule, apply_source_rules, source_rules
from queries.team import team_from_snapshot
from tests.conftest import SMALL_AS_OF

WORKER = User("w@eh.example", "Worker", "w@eh.example", frozenset({Role.PRACTITIONER}))
HUB = User("h@hub.example", "Hub", "h@hub.example", frozenset({Role.HUB}))


def _police_row(store: GraphStore, user: User):
    snap = store.family_snapshot("F3")
    assert snap is not None
    team = team_from_snapshot(apply_source_rules(snap, user), SMALL_AS_OF)
    return next(t for t in team.team if t.name == "Lee Morgan")


def test_police_work_is_a_contact_and_a_date_for_practitioners(small_store: GraphStore) -> None:
    raw = team_from_snapshot(small_store.family_snapshot("F3"), SMALL_AS_OF)  # type: ignore[arg-type]
    plain = next(t for t in raw.team if t.name == "Lee Morgan")
    assert plain.service == "Youth ASB diversion" and plain.addresses
    row = _police_row(small_store, WORKER)
    assert row.addresses == () and row.service == "Known to police since 05/01/2026: ask the officer named for " \
                                                   "anything more"
    assert row.phone == plain.phone and row.email == plain.email


def test_offence_details_go_to_nobody_and_needs_to_hub_staff(small_store: GraphStore) -> None:
    row = _police_row(small_store, HUB)
    assert row.service is not None and row.service.startswith("Known to police since")
    assert row.addresses, "hub staff see which needs police work on, for coordination"


def test_a_sectors_listed_needs_only_to_the_roles_named(small_store: GraphStore) -> None:
    rules = (SourceRule("housing", frozenset({"housing"}), frozenset({Role.HUB}), frozenset({Role.HUB}), ""),)
    snap = small_store.family_snapshot("F3")
    assert snap is not None
    def codes(user: User) -> set[str]:
        seen = apply_source_rules(snap, user, rules)
        return {c for w in seen.involvements if w.professional_id == "PR5" for c in w.need_codes}
    assert codes(HUB) == {"housing", "worklessness"}
    assert codes(WORKER) == {"worklessness"}


def test_the_rules_file_reads() -> None:
    sectors = {r.sector: r for r in source_rules()}
    assert sectors["police"].service_roles == frozenset() and sectors["housing"].needs == {"debt"}
