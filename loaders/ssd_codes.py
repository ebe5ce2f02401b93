"""The SSD's codes and words as FamilyGraph's: CIN primary needs, early help reasons, organisations named in a
department, family relationships."""

from __future__ import annotations

import re

from graphmodel.taxonomy import NEEDS, UNSPECIFIED

__all__ = ["CIN_NEED_CODES", "EH_REASON_KEYWORDS", "ORGANISATION_KEYWORDS", "RELATION_COLUMNS", "organisation_sector",
           "reason_needs", "relation_role"]

CIN_NEED_CODES: dict[str, str] = {"N1": "neglect", "N2": "physical_health", "N3": "physical_health",
                                  "N4": "parental_conflict", "N5": "parental_conflict", "N6": "crime_asb",
                                  "N7": "worklessness", "N8": "neglect"}
"""CIN primary need code (cine_cin_primary_need_code) -> need code; N9 (not in need) maps to none."""

EH_REASON_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("substance", "substance_misuse"), ("alcohol", "substance_misuse"), ("mental health", "mental_health"),
    ("parenting", "parental_conflict"), ("family dynamics", "parental_conflict"),
    ("disabilit", "physical_health"), ("illness", "physical_health"), ("domestic", "domestic_abuse"),
    ("neglect", "neglect"), ("child abuse", "neglect"), ("socio-economic", "debt"), ("socioeconomic", "debt"),
    ("well-being", "early_years"), ("wellbeing", "early_years"), ("development", "early_years"),
    ("housing", "housing"), ("homeless", "housing"), ("attendance", "school_attendance"),
    ("exploitation", "exploitation"), ("crime", "crime_asb"), ("anti-social", "crime_asb"),
    ("young carer", "young_carer"),
)
"""Words in earl_episode_reason (the SSD's suggested categories, or free text) -> need code."""

ORGANISATION_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("surgery", "primary_care"), ("medical centre", "primary_care"), ("medical practice", "primary_care"),
    ("health centre", "primary_care"), (r"\bgp\b", "primary_care"), ("health visit", "health_visiting"),
    ("school nurs", "health_visiting"), ("midwi", "maternity"), ("maternity", "maternity"), ("camhs", "camhs"),
    ("adult mental health", "adult_mental_health"), ("police", "police"), ("constabulary", "police"),
    ("probation", "probation"), ("jobcentre", "jobcentre"), ("school", "school"), ("academy", "school"),
    ("college", "school"), ("drug", "drug_alcohol"), ("alcohol", "drug_alcohol"),
)
"""Words in a professional's department naming an organisation of its own, and its sector."""

RELATION_ROLES: tuple[tuple[str, str], ...] = (
    ("step", "step_parent"), ("grand", "grandparent"), ("mother", "parent"), ("father", "parent"),
    ("parent", "parent"), ("carer", "carer"), ("guardian", "carer"), ("child", "child"), ("son", "child"),
    ("daughter", "child"),
)
RELATION_COLUMNS = ("fami_relationship", "fami_person_role", "fami_role")


def reason_needs(text: str) -> list[str]:
    """Need codes named by an early help reason (keywords, or need codes written as such)."""
    lowered = text.lower()
    found = [code for word, code in EH_REASON_KEYWORDS if word in lowered]
    found += [code for code in re.split(r"[;,/ ]+", lowered) if code in NEEDS and code != UNSPECIFIED]
    return sorted(set(found))


def organisation_sector(name: str) -> str | None:
    """The sector of an organisation named in a department, if the name gives one away."""
    lowered = name.lower()
    return next((sector for word, sector in ORGANISATION_KEYWORDS if re.search(word, lowered)), None)




def relation_role(text: object) -> str | None:
    """The membership role a family relationship names (mother, father, step-parent, ...), if any."""
    lowered = str(text).lower() if isinstance(text, str) else ""
    return next((role for word, role in RELATION_ROLES if word in lowered), None)
