"""Re-referral and "previously known": one definition for the family page, the front door and the strategic rate.

A closed early help episode is re-referred when, on or after the day it closed and no more than 365 days later
(and by the as-of date), the family has a new early help episode, a children's social care episode, or a piece
of work by children's social care begins. The first such contact counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from graphmodel.records import CountyTable, FamilySnapshot
from queries.common import display_date, missing

__all__ = ["DEFINITION", "WINDOW_DAYS", "ClosedEpisode", "FamilyHistory", "ReReferral",
           "family_history", "history_from_snapshot", "re_referrals"]

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


class _Episode(NamedTuple):
    family_id: str
    episode_id: str
    kind: str
    opened: str | None
    closed: str | None
    end_reason: str | None


class _Contact(NamedTuple):
    family_id: str
    next_id: str
    next_kind: str
    next_date: str


_RANK = {"early_help": 0, "social_care": 1, "social_care_work": 2}


def _text(value: object) -> str | None:
    """A cell as text; None for a missing one (None or NaN)."""
    return None if missing(value) else str(value)


def _next_contacts(episodes: Iterable[_Episode], social_work: Iterable[tuple[object, object, object]],
                   as_of: str) -> dict[str, list[_Contact]]:
    """Every episode opening and every start of children's social care work (family, involvement, start), by
    family, up to as_of."""
    contacts: dict[str, list[_Contact]] = {}
    for e in episodes:
        if e.opened is not None and e.opened <= as_of:
            kind = "early_help" if e.kind == "early_help" else "social_care"
            contacts.setdefault(e.family_id, []).append(_Contact(e.family_id, e.episode_id, kind, e.opened))
    seen = set()
    for family, involvement, start in social_work:
        key, day = (str(family), str(involvement)), _text(start)
        if day is None or key in seen:
            continue
        seen.add(key)
        if day <= as_of:
            contacts.setdefault(key[0], []).append(_Contact(key[0], key[1], "social_care_work", day))
    return contacts


def _first_contacts(episodes: list[_Episode], social_work: Iterable[tuple[object, object, object]],
                    as_of: str) -> list[ReReferral]:
    """The rule on plain rows: each early help episode closed by as_of and its first contact within the window."""
    contacts = _next_contacts(episodes, social_work, as_of)
    found = []
    for e in episodes:
        if e.kind != "early_help" or e.closed is None or e.closed > as_of:
            continue
        closed = dt.date.fromisoformat(e.closed)
        after = [(c, (dt.date.fromisoformat(c.next_date) - closed).days) for c in contacts.get(e.family_id, ())
                 if c.next_id != e.episode_id and c.next_date >= e.closed]
        after = [(c, gap) for c, gap in after if gap <= WINDOW_DAYS]
        if not after:
            continue
        first, gap = min(after, key=lambda cg: (cg[0].next_date, _RANK[cg[0].next_kind], cg[0].next_id))
        found.append(ReReferral(e.family_id, e.episode_id, e.closed, e.end_reason, first.next_kind, first.next_id,
                                first.next_date, gap))
    return sorted(found, key=lambda r: (r.closed, r.family_id, r.closed_episode_id))


def re_referrals(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> list[ReReferral]:
    """Every early help episode closed by as_of that was followed within 12 months (by as_of), oldest first."""
    frame = tables[CountyTable.EPISODES]
    episodes = [_Episode(str(f), str(i), str(k), _text(o), _text(c), _text(r))
                for f, i, k, o, c, r in zip(frame.family_id, frame.episode_id, frame.kind, frame.opened, frame.closed,
                                            frame.end_reason, strict=True)]
    inv = tables.get(CountyTable.INVOLVEMENTS)
    social: Iterable[tuple[object, object, object]] = ()
    if inv is not None and not inv.empty:
        care = inv[inv.sector == SOCIAL_CARE]
        social = zip(care.family_id, care.involvement_id, care.start, strict=True)
    return _first_contacts(episodes, social, as_of)


def history_from_snapshot(snap: FamilySnapshot, as_of: str) -> FamilyHistory:
    """The family's closed early help and its re-referrals, from its snapshot."""
    closed = sorted((e for e in snap.episodes if e.kind == "early_help" and e.closed and e.closed <= as_of),
                    key=lambda e: (e.closed or "", e.id), reverse=True)
    fid = snap.family.id
    episodes = [_Episode(fid, e.id, e.kind, e.opened, e.closed, e.end_reason) for e in snap.episodes]
    sectors = {p.id: a.sector for p in snap.professionals for a in snap.agencies if a.id == p.agency_id}
    social = [(fid, i.id, i.start) for i in snap.involvements
              if i.need_codes and sectors.get(i.professional_id) == SOCIAL_CARE]
    return FamilyHistory(fid, as_of,
                         tuple(ClosedEpisode(e.id, e.opened, e.closed or "", e.end_reason) for e in closed),
                         tuple(_first_contacts(episodes, social, as_of)))


def family_history(snap: FamilySnapshot | None, as_of: str) -> FamilyHistory | None:
    """history_from_snapshot, or None for a missing snapshot."""
    return history_from_snapshot(snap, as_of) if snap is not None else None
