"""Readable names for codes shown on screen: needs (short forms for the ecomap), sectors, kinds, groups."""

from __future__ import annotations

from graphmodel.taxonomy import NEEDS, SECTORS

__all__ = ["FINDING_KINDS", "GROUP_NAMES", "need_name", "need_short", "role_name", "sector_name"]

NEED_SHORT: dict[str, str] = {
    "crime_asb": "crime/ASB",
    "school_attendance": "attendance",
    "send": "SEND",
    "early_years": "early years",
    "worklessness": "work",
    "debt": "debt",
    "low_skills": "skills",
    "domestic_abuse": "domestic abuse",
    "parental_conflict": "parental conflict",
    "neglect": "neglect",
    "exploitation": "exploitation",
    "mental_health": "mental health",
    "physical_health": "physical health",
    "substance_misuse": "substance misuse",
    "teenage_pregnancy": "teenage pregnancy",
    "housing": "housing",
    "young_carer": "young carer",
}

GROUP_NAMES: dict[str, str] = {
    "social_care": "Social care",
    "early_help": "Early help and youth",
    "health": "Health",
    "education": "Education",
    "justice": "Police and justice",
    "housing_money": "Housing, work and money",
    "voluntary": "Voluntary and domestic abuse",
}

FINDING_KINDS: dict[str, str] = {
    "duplicated_work": "Duplicated work",
    "parallel_work": "Parallel work: coordinate",
    "shared_care": "Shared care (not duplication)",
    "two_leads": "Two lead professionals",
    "two_early_help": "Two early help episodes",
    "no_lead": "Many professionals, no lead",
    "repeated_transfers": "Repeated lead transfers",
}

_NAME_TO_CODE = {n.name: code for code, n in NEEDS.items()}


def need_name(code: str) -> str:
    """The taxonomy name of a need code (the code itself when unknown)."""
    return NEEDS[code].name if code in NEEDS else code


def need_short(code_or_name: str) -> str:
    """A short label for a need given by code or by its taxonomy name."""
    code = _NAME_TO_CODE.get(code_or_name, code_or_name)
    return NEED_SHORT.get(code, code_or_name)


def sector_name(code: str) -> str:
    """The name of a sector code."""
    return SECTORS[code].name if code in SECTORS else code


def role_name(role: str) -> str:
    """A member role as words (step_parent -> step parent)."""
    return role.replace("_", " ")
