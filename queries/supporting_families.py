"""Supporting Families: which families meet the 2021 rule (needs in two of six categories) and the
2022 rule (needs across three or more of the ten headline outcomes), and which are ready to claim
(a lead professional, a whole-family assessment and a family plan in place)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphmodel.contract import GraphStore
from graphmodel.records import CountyTable
from graphmodel.taxonomy import COUNTED_NEEDS, NEEDS
from queries.common import open_on, today

__all__ = ["SfFamily", "SfReport", "supporting_families", "supporting_families_from_tables"]


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


def supporting_families_from_tables(tables: dict[CountyTable, pd.DataFrame], as_of: str) -> SfReport:
    """Apply the rules to county-shaped tables (person needs, leads, episodes)."""
    needs = open_on(tables, CountyTable.PERSON_NEEDS, as_of)
    led = set(open_on(tables, CountyTable.LEADS, as_of).family_id)
    episodes = open_on(tables, CountyTable.EPISODES, as_of)
    eh = episodes[episodes.kind == "early_help"]
    assessed = set(eh[eh.assessment_date.notna() & (eh.assessment_date.astype(str) <= as_of)].family_id)
    planned = set(eh[eh.plan_date.notna() & (eh.plan_date.astype(str) <= as_of)].family_id)
    families = []
    for family_id, group in needs.groupby("family_id", sort=True):
        codes = [c for c in set(group.need_code) if c in COUNTED_NEEDS]
        categories = tuple(sorted({cat for c in codes if (cat := NEEDS[c].category_2021)}))
        outcomes = tuple(sorted({NEEDS[c].outcome_2022 for c in codes}))
        families.append(SfFamily(str(family_id), categories, outcomes, len(categories) >= 2, len(outcomes) >= 3,
                                 family_id in led, family_id in assessed, family_id in planned))
    return SfReport(as_of, tuple(families))


def supporting_families(store: GraphStore, as_of: str | None = None, district: str | None = None) -> SfReport:
    """Supporting Families eligibility for every family with an open need."""
    tables = {t: store.county_table(t, district) for t in (CountyTable.PERSON_NEEDS, CountyTable.LEADS,
                                                           CountyTable.EPISODES)}
    return supporting_families_from_tables(tables, as_of or today())
