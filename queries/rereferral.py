"""Re-referral and "previously known": one definition for the family page, the front door and the strategic rate.

A closed early help episode is re-referred when, on or after the day it closed and no more than 365 days later
(and by the as-of date), the family has a new early help episode, a children's social care episode, or a piece
of work by children's social care begins. The first such contact counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.records import CountyTable, FamilySnapshot
from queries.common import display_date, snapshot_tables

__all__ = ["DEFINITION", "WINDOW_DAYS", "ClosedEpisode", "FamilyHistory", "ReReferral", "family_history",
           "history_from_snapshot", "re_referrals"]

WINDOW_DAYS = 365
SOCIAL_CARE = "childrens_social_care"
DEFINITION = ("A re-referral is an early help episode that closed and was followed, within 12 months (0 to 365 "
              "days after it closed), by a new early help episode, a children's social care episode, or new work "
              "by children's social care with the family.")
_KIND_WORDS = {"early_help": "a new early help episode", "social_care": "a children's social care episode",
               "social_care_work": "new work by children's social care"}


@dataclass(frozen=True, slots=True)
class ReReferral:
    """A closed early help episode and the first further intervention within 12 months."""

    family_id: str
    closed_episode_id: str
    closed: str
    end_reason: str | None
    next_kind: str  # early_help | social_care | social_care_work
    next_id: str
    next_date: str
    gap_days: int

    @property
    def sentence(self) -> str:
        """One readable sentence."""
        why = f" ({self.end_reason})" if self.end_reason else ""
        return (f"Early help closed on {display_date(self.closed)}{why} and {_KIND_WORDS[self.next_kind]} "
                f"({self.next_id}) began {self.gap_days} days later, on {display_date(self.next_date)}.")


@dataclass(frozen=True, slots=True)
class ClosedEpisode:
    """An early help episode that had closed by the as-of date."""

    episode_id: str
    opened: str
    closed: str
    end_reason: str | None


@dataclass(frozen=True, slots=True)
class FamilyHistory:
    """What a family's earlier early help tells the Hub: when it closed, why, and whether they came back."""

    family_id: str
    as_of: str
    closed_episodes: tuple[ClosedEpisode, ...]  # newest first
    re_referrals: tuple[ReReferral, ...]

    @property
    def previously_known(self) -> str | None:
        """'Previously known: early help closed on 31/03/2025 (Needs met).' for the newest closure, or None."""
        if not self.closed_episodes:
            return None
        last = self.closed_episodes[0]
        why = f" ({last.end_reason})" if last.end_reason else ""
        more = len(self.closed_episodes) - 1
        earlier = f"; {more} earlier early help episode{'s' if more > 1 else ''} also closed" if more else ""
        return f"Previously known: early help closed on {display_date(last.closed)}{why}{earlier}."


def _next_contacts(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> pd.DataFrame:
    """Every episode opening and every start of children's social care work, by family, up to as_of."""
    episodes = tables[CountyTable.EPISODES]
    parts = [pd.DataFrame({"family_id": episodes.family_id, "next_id": episodes.episode_id,
                           "next_kind": episodes.kind.where(episodes.kind == "early_help", "social_care"),
                           "next_date": episodes.opened})]
    inv = tables.get(CountyTable.INVOLVEMENTS)
    if inv is not None and not inv.empty:
        social = inv[(inv.sector == SOCIAL_CARE) & inv.start.notna()].drop_duplicates(["family_id", "involvement_id"])
        parts.append(pd.DataFrame({"family_id": social.family_id, "next_id": social.involvement_id,
                                   "next_kind": "social_care_work", "next_date": social.start}))
    contacts = pd.concat(parts, ignore_index=True)
    contacts = contacts[contacts.next_date.notna()].astype({"next_date": str})
    return contacts[contacts.next_date <= as_of]


def re_referrals(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> list[ReReferral]:
    """Every early help episode closed by as_of that was followed within 12 months (by as_of), oldest first."""
    episodes = tables[CountyTable.EPISODES]
    eh = episodes[(episodes.kind == "early_help") & episodes.closed.notna()]
    eh = eh[eh.closed.astype(str) <= as_of]
    if eh.empty:
        return []
    pairs = eh[["family_id", "episode_id", "closed", "end_reason"]].astype({"closed": str}).merge(
        _next_contacts(tables, as_of), on="family_id")
    pairs = pairs[(pairs.next_id != pairs.episode_id) & (pairs.next_date >= pairs.closed)]
    gap = (pd.to_datetime(pairs.next_date) - pd.to_datetime(pairs.closed)).dt.days
    pairs = pairs.assign(gap=gap)[gap <= WINDOW_DAYS]
    order = {"early_help": 0, "social_care": 1, "social_care_work": 2}
    pairs = pairs.assign(rank=pairs.next_kind.map(order)).sort_values(
        ["family_id", "episode_id", "next_date", "rank", "next_id"]).drop_duplicates(["family_id", "episode_id"])
    return [ReReferral(str(r.family_id), str(r.episode_id), str(r.closed),
                       None if r.end_reason is None or pd.isna(r.end_reason) else str(r.end_reason),
                       str(r.next_kind), str(r.next_id), str(r.next_date), int(r.gap))
            for r in pairs.sort_values(["closed", "family_id", "episode_id"]).itertuples()]


def history_from_snapshot(snap: FamilySnapshot, as_of: str) -> FamilyHistory:
    """The family's closed early help and its re-referrals, from its snapshot."""
    closed = sorted((e for e in snap.episodes if e.kind == "early_help" and e.closed and e.closed <= as_of),
                    key=lambda e: (e.closed or "", e.id), reverse=True)
    return FamilyHistory(snap.family.id, as_of,
                         tuple(ClosedEpisode(e.id, e.opened, e.closed or "", e.end_reason) for e in closed),
                         tuple(re_referrals(snapshot_tables(snap), as_of)))


def family_history(snap: FamilySnapshot | None, as_of: str) -> FamilyHistory | None:
    """history_from_snapshot, or None for a missing snapshot."""
    return history_from_snapshot(snap, as_of) if snap is not None else None
