"""Everything the family page shows, read from one family snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.contract import GraphStore
from graphmodel.records import FamilySnapshot, is_open
from queries.common import snapshot_tables
from queries.duplicates import DuplicateFinding, find_duplicates
from queries.interrelated import FamilyNeeds, needs_from_snapshot
from queries.rereferral import FamilyHistory, history_from_snapshot
from queries.suggest import LeadSuggestion, suggest_from_snapshot
from queries.supporting_families import SfFamilyDetail, sf_from_snapshot
from queries.team import TeamView, team_from_snapshot

__all__ = ["FamilyView", "family_view"]


@dataclass(frozen=True, slots=True)
class FamilyView:
    """One family on a date: snapshot, team, duplicated work, needs, lead suggestion, history and SF."""

    snapshot: FamilySnapshot
    team: TeamView
    duplicates: tuple[DuplicateFinding, ...]
    needs: FamilyNeeds | None
    suggestion: LeadSuggestion
    history: FamilyHistory | None = None
    sf: SfFamilyDetail | None = None


def family_view(store: GraphStore, family_id: str, as_of: str) -> FamilyView | None:
    """Read a family once and answer the family page's questions from it; None if the id is unknown."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        return None
    involved = {i.professional_id for i in snap.involvements if is_open(i.start, i.end, as_of)}
    return FamilyView(
        snapshot=snap,
        team=team_from_snapshot(snap, as_of),
        duplicates=tuple(find_duplicates(snapshot_tables(snap), as_of)),
        needs=needs_from_snapshot(snap, as_of),
        suggestion=suggest_from_snapshot(snap, store.lead_load(involved, as_of), as_of),
        history=history_from_snapshot(snap, as_of),
        sf=sf_from_snapshot(snap, as_of),
    )
