"""Per-source disclosure rules, as data (queries/source_rules.toml), applied to a family's snapshot before any
view is built from it, so the team table, needs, ecomap, findings and suggestion all show the same."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from graphmodel.records import FamilySnapshot
from queries.roles import Role, User

__all__ = ["RULES_FILE", "SourceRule", "apply_source_rules", "source_rules"]

RULES_FILE = Path(__file__).with_name("source_rules.toml")


@dataclass(frozen=True, slots=True)
class SourceRule:
    """What the records of one sector show, to whom."""

    sector: str
    needs: frozenset[str]
    detail_roles: frozenset[Role]
    service_roles: frozenset[Role]
    summary: str


@cache
def source_rules(path: Path = RULES_FILE) -> tuple[SourceRule, ...]:
    """The rules in the file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(SourceRule(str(r["sector"]), frozenset(r.get("needs", [])),
                            frozenset(Role(x) for x in r.get("detail_roles", [])),
                            frozenset(Role(x) for x in r.get("service_roles", [])), str(r.get("summary", "")))
                 for r in data.get("rule", []))


def _shown_date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "an unknown date"


def apply_source_rules(snap: FamilySnapshot, user: User,
                       rules: tuple[SourceRule, ...] | None = None) -> FamilySnapshot:
    """The snapshot as this user may see it."""
    rules = source_rules() if rules is None else rules
    sector_of_agency = {a.id: a.sector for a in snap.agencies}
    agency_of_prof = {p.id: p.agency_id for p in snap.professionals}
    agency_of_source = {s.id: s.agency_id for s in snap.sources}
    involvements, needs = list(snap.involvements), list(snap.person_needs)
    for rule in rules:
        sees_detail = user.has(*rule.detail_roles)
        sees_service = user.has(*rule.service_roles)

        def hidden(code: str, rule: SourceRule = rule, sees_detail: bool = sees_detail) -> bool:
            return not sees_detail and (not rule.needs or code in rule.needs)

        for i, work in enumerate(involvements):
            if sector_of_agency.get(agency_of_prof.get(work.professional_id, "")) != rule.sector:
                continue
            codes = tuple(c for c in work.need_codes if not hidden(c))
            service = work.service if sees_service else (rule.summary.format(since=_shown_date(work.start))
                                                         if rule.summary else None)
            involvements[i] = replace(work, need_codes=codes, service=service)
        needs = [n for n in needs if not (sector_of_agency.get(agency_of_source.get(n.source_id or "") or "")
                                          == rule.sector and hidden(n.need_code))]
    return replace(snap, involvements=tuple(involvements), person_needs=tuple(needs))
