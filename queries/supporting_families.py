"""Supporting Families: which families meet the 2021 rule (needs in two of six categories) and the
2022 rule (needs across three or more of the ten headline outcomes), and which are ready to claim
(a lead professional, a whole-family assessment and a family plan in place)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.names import person_name
from graphmodel.records import CountyTable, FamilySnapshot
from graphmodel.taxonomy import CATEGORIES_2021, COUNTED_NEEDS, NEEDS, OUTCOMES_2022
from queries.common import (
    UnknownFilter,
    as_of_or_default,
    check_district,
    county_tables,
    missing,
    open_on,
    snapshot_tables,
)

__all__ = ["RULE_2021", "RULE_2022", "SfCriterion", "SfFamily", "SfFamilyDetail", "SfReport", "sf_for_family",
           "sf_from_snapshot", "supporting_families", "supporting_families_from_tables"]

RULE_2021 = "2021 rule: needs in at least two of the six headline categories"
RULE_2022 = "2022-25 rule: needs across at least three of the ten headline outcomes"


@dataclass(frozen=True, slots=True)
class SfFamily:
    """One family's standing against the Supporting Families rules."""

    family_id: str
    categories_2021: tuple[str, ...]
    outcomes_2022: tuple[str, ...]
    eligible_2021: bool
    eligible_2022: bool
    has_lead: bool
    has_assessment: bool
    has_plan: bool

    @property
    def claim_ready(self) -> bool:
        """Eligible under 2022 with a lead, an assessment and a plan."""
        return self.eligible_2022 and self.has_lead and self.has_assessment and self.has_plan


@dataclass(frozen=True, slots=True)
class SfReport:
    """Families with any open need, and the counts a strategic lead reports."""

    as_of: str
    families: tuple[SfFamily, ...]

    def counts(self) -> dict[str, int]:
        """Eligible and claim-ready counts."""
        return {
            "families_with_needs": len(self.families),
            "eligible_2021": sum(f.eligible_2021 for f in self.families),
            "eligible_2022": sum(f.eligible_2022 for f in self.families),
            "claim_ready": sum(f.claim_ready for f in self.families),
        }


def _in_place(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> tuple[set[str], set[str], set[str]]:
    """Families with a lead, with an assessment and with a plan (of an open early help episode) on as_of."""
    led = set(open_on(tables, CountyTable.LEADS, as_of).family_id)
    episodes = open_on(tables, CountyTable.EPISODES, as_of)
    eh = episodes[episodes.kind == "early_help"]
    assessed = set(eh[eh.assessment_date.notna() & (eh.assessment_date.astype(str) <= as_of)].family_id)
    planned = set(eh[eh.plan_date.notna() & (eh.plan_date.astype(str) <= as_of)].family_id)
    return led, assessed, planned


def supporting_families_from_tables(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> SfReport:
    """Apply the rules to county-shaped tables (person needs, leads, episodes)."""
    needs = open_on(tables, CountyTable.PERSON_NEEDS, as_of)
    led, assessed, planned = _in_place(tables, as_of)
    held: dict[object, set[object]] = {}  # each family's open need codes (one pass, not a frame per family)
    for family_id, code in zip(needs.family_id, needs.need_code, strict=True):
        if not missing(family_id):
            held.setdefault(family_id, set()).add(code)
    families = []
    for family_id in sorted(held):  # type: ignore[type-var]  # family ids are text
        codes = [c for c in held[family_id] if c in COUNTED_NEEDS]
        categories = tuple(sorted({cat for c in codes if (cat := NEEDS[str(c)].category_2021)}))
        outcomes = tuple(sorted({NEEDS[str(c)].outcome_2022 for c in codes}))
        families.append(SfFamily(str(family_id), categories, outcomes, len(categories) >= 2, len(outcomes) >= 3,
                                 family_id in led, family_id in assessed, family_id in planned))
    return SfReport(as_of, tuple(families))


def supporting_families(store: GraphStore, as_of: str | None = None, district: str | None = None) -> SfReport:
    """Supporting Families eligibility for every family with an open need."""
    day = as_of_or_default(store, as_of)
    district = check_district(store, district)
    wanted = (CountyTable.PERSON_NEEDS, CountyTable.LEADS, CountyTable.EPISODES)
    tables = county_tables(store, wanted, district, day, wanted)  # the rules look only at rows open on the day
    return supporting_families_from_tables(tables, day)


@dataclass(frozen=True, slots=True)
class SfCriterion:
    """A 2021 category or 2022 outcome the family meets, and the open needs behind it."""

    code: str
    name: str
    needs: tuple[tuple[str, str], ...]  # (member name, need code)

    @property
    def sentence(self) -> str:
        """'Children not attending school regularly ...: Liam Taylor (poor school attendance or exclusion).'."""
        behind = "; ".join(f"{who} ({NEEDS[code].name.lower() if code in NEEDS else code})" for who, code in self.needs)
        return f"{self.name}: {behind}."


@dataclass(frozen=True, slots=True)
class SfFamilyDetail:
    """One family against Supporting Families on a date: what is met, with the needs behind it, and what is missing."""

    family_id: str
    family_name: str
    as_of: str
    standing: SfFamily
    categories: tuple[SfCriterion, ...]
    outcomes: tuple[SfCriterion, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """What stands between the family and a claim: lead, assessment, plan (and eligibility itself)."""
        s = self.standing
        gaps = [] if s.eligible_2022 else ["needs across at least three 2022 outcomes"]
        gaps += [] if s.has_lead else ["a lead professional"]
        gaps += [] if s.has_assessment else ["a whole-family assessment (early help assessment)"]
        gaps += [] if s.has_plan else ["a family plan"]
        return tuple(gaps)

    @property
    def summary(self) -> str:
        """One sentence: eligibility under each rule and whether the family is claim-ready."""
        s = self.standing
        verdict = {True: "eligible", False: "not eligible"}
        ready = "it is claim-ready" if s.claim_ready else "it is not claim-ready: missing " + ", ".join(self.missing)
        return (f"Under the 2021 rule the family is {verdict[s.eligible_2021]} (needs in {len(s.categories_2021)} "
                f"of the 6 categories); under the 2022-25 rule it is {verdict[s.eligible_2022]} (needs across "
                f"{len(s.outcomes_2022)} of the 10 outcomes); {ready}.")


def sf_from_snapshot(snap: FamilySnapshot, as_of: str) -> SfFamilyDetail:
    """Supporting Families for one family from its snapshot."""
    tables = snapshot_tables(snap)
    report = supporting_families_from_tables(tables, as_of)
    if report.families:
        standing = report.families[0]
    else:  # no open need: still say whether a lead, an assessment and a plan are in place
        led, assessed, planned = _in_place(tables, as_of)
        fid = snap.family.id
        standing = SfFamily(fid, (), (), False, False, fid in led, fid in assessed, fid in planned)
    names = {m.person_id: person_name(m.given_name, m.family_name) for m in snap.members}
    held = sorted({(names.get(n.person_id, n.person_id), n.need_code) for n in snap.person_needs
                   if n.need_code in NEEDS and (n.since is None or n.since <= as_of)
                   and (n.until is None or n.until >= as_of)})
    categories = tuple(SfCriterion(code, CATEGORIES_2021[code],
                                   tuple(h for h in held if NEEDS[h[1]].category_2021 == code))
                       for code in standing.categories_2021)
    outcomes = tuple(SfCriterion(code, OUTCOMES_2022[code], tuple(h for h in held if NEEDS[h[1]].outcome_2022 == code))
                     for code in standing.outcomes_2022)
    return SfFamilyDetail(snap.family.id, snap.family.name, as_of, standing, categories, outcomes)


def sf_for_family(store: GraphStore, family_id: str, as_of: str | None = None) -> SfFamilyDetail:
    """Supporting Families for one family; an UnknownFilter when the id is unknown."""
    snap = store.family_snapshot(family_id)
    if snap is None:
        raise UnknownFilter(f"unknown family id {family_id!r}")
    return sf_from_snapshot(snap, as_of_or_default(store, as_of))
