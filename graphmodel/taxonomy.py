"""The need taxonomy, agency sectors and service tiers, as data.

Sources: Supporting Families 2021 criteria (six headline categories, seed 002), the 2022-25
framework's ten headline outcomes, and the Think Family risk factors (seed 004).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CATEGORIES_2021",
    "INTERRELATION_RULES",
    "NEEDS",
    "OUTCOMES_2022",
    "RISK_FACTORS",
    "SECTORS",
    "SHARED_CARE",
    "InterrelationRule",
    "NeedDef",
    "SectorDef",
    "SharedCare",
    "Tier",
    "need",
    "shared_care",
]


class Tier(StrEnum):
    """Service tier: universal, targeted or specialist."""

    UNIVERSAL = "universal"
    TARGETED = "targeted"
    SPECIALIST = "specialist"


CATEGORIES_2021: dict[str, str] = {
    "crime_asb": "Parents or children involved in crime or anti-social behaviour",
    "education": "Children not attending school regularly or excluded repeatedly",
    "worklessness": "Adults or young people out of work or at risk of worklessness and financial exclusion",
    "domestic_abuse": "Families affected by domestic violence and abuse",
    "children_need_help": "Children who need help",
    "health": "Family members with mental or physical health problems, including substance misuse",
}

OUTCOMES_2022: dict[str, str] = {
    "education": "Getting a good education",
    "early_years": "Good early years development",
    "health": "Improved mental and physical health",
    "substance_use": "Promoting recovery and reducing harm from substance use",
    "family_relationships": "Improved family relationships",
    "safe_from_abuse": "Children safe from abuse and exploitation",
    "crime": "Crime prevention and tackling crime",
    "domestic_abuse": "Safe from domestic abuse",
    "housing": "Secure housing",
    "financial_stability": "Financial stability",
}

RISK_FACTORS: dict[str, str] = {
    "poverty": "Poverty, debt, inactivity or worklessness and low aspirations",
    "low_education": "Low parental education and skills",
    "domestic_violence": "Domestic violence",
    "relationship_conflict": "Relationship conflict",
    "neglect": "Neglect and poor parenting",
    "mental_health": "Poor mental health",
    "physical_health": "Poor physical health and disability",
    "teenage_pregnancy": "Teenage pregnancy",
    "learning_disability": "Learning disability",
    "school": "Poor school attendance and attainment",
    "crime_substance": "Crime, anti-social behaviour and substance misuse",
    "housing": "Poor housing and homelessness",
}


@dataclass(frozen=True, slots=True)
class NeedDef:
    """One need code and where it sits in the national frameworks."""

    code: str
    name: str
    category_2021: str | None
    outcome_2022: str
    risk_factor: str | None


NEEDS: dict[str, NeedDef] = {
    n.code: n
    for n in (
        NeedDef("crime_asb", "Crime or anti-social behaviour", "crime_asb", "crime", "crime_substance"),
        NeedDef("school_attendance", "Poor school attendance or exclusion", "education", "education", "school"),
        NeedDef("send", "Special educational needs or learning disability", "children_need_help", "education",
                "learning_disability"),
        NeedDef("early_years", "Early years development concern", "children_need_help", "early_years", None),
        NeedDef("worklessness", "Out of work or at risk of worklessness", "worklessness",
                "financial_stability", "poverty"),
        NeedDef("debt", "Debt or financial exclusion", "worklessness", "financial_stability", "poverty"),
        NeedDef("low_skills", "Low education and skills (adult)", "worklessness", "financial_stability",
                "low_education"),
        NeedDef("domestic_abuse", "Domestic violence and abuse", "domestic_abuse", "domestic_abuse",
                "domestic_violence"),
        NeedDef("parental_conflict", "Relationship conflict between parents", "children_need_help",
                "family_relationships", "relationship_conflict"),
        NeedDef("neglect", "Neglect or poor parenting", "children_need_help", "safe_from_abuse", "neglect"),
        NeedDef("exploitation", "Child exploitation (sexual or criminal)", "children_need_help",
                "safe_from_abuse", "crime_substance"),
        NeedDef("mental_health", "Poor mental health", "health", "health", "mental_health"),
        NeedDef("physical_health", "Poor physical health or disability", "health", "health", "physical_health"),
        NeedDef("substance_misuse", "Drug or alcohol misuse", "health", "substance_use", "crime_substance"),
        NeedDef("teenage_pregnancy", "Teenage pregnancy", "children_need_help", "early_years",
                "teenage_pregnancy"),
        NeedDef("housing", "Poor housing or risk of homelessness", None, "housing", "housing"),
        NeedDef("young_carer", "Young carer", "children_need_help", "family_relationships", None),
    )
}


def need(code: str) -> NeedDef:
    """Return the need definition for a code, or raise KeyError naming the known codes."""
    try:
        return NEEDS[code]
    except KeyError:
        raise KeyError(f"unknown need code {code!r}; known: {', '.join(sorted(NEEDS))}") from None


@dataclass(frozen=True, slots=True)
class SectorDef:
    """An agency sector, its usual tier and its colour group in the ecomap."""

    code: str
    name: str
    default_tier: Tier
    group: str


SECTORS: dict[str, SectorDef] = {
    s.code: s
    for s in (
        SectorDef("childrens_social_care", "Children's social care", Tier.SPECIALIST, "social_care"),
        SectorDef("early_help", "Early help", Tier.TARGETED, "early_help"),
        SectorDef("youth_support", "Targeted youth support", Tier.TARGETED, "early_help"),
        SectorDef("childrens_centre", "Children's centre", Tier.UNIVERSAL, "early_help"),
        SectorDef("adult_social_care", "Adult social care", Tier.SPECIALIST, "social_care"),
        SectorDef("housing", "Housing", Tier.UNIVERSAL, "housing_money"),
        SectorDef("primary_care", "GP and primary care", Tier.UNIVERSAL, "health"),
        SectorDef("health_visiting", "Health visiting and school nursing", Tier.UNIVERSAL, "health"),
        SectorDef("maternity", "Maternity", Tier.UNIVERSAL, "health"),
        SectorDef("adult_mental_health", "Adult mental health", Tier.SPECIALIST, "health"),
        SectorDef("camhs", "CAMHS", Tier.SPECIALIST, "health"),
        SectorDef("drug_alcohol", "Drug and alcohol services", Tier.SPECIALIST, "health"),
        SectorDef("debt_advice", "Benefits and debt advice", Tier.TARGETED, "housing_money"),
        SectorDef("jobcentre", "Jobcentre Plus", Tier.UNIVERSAL, "housing_money"),
        SectorDef("school", "School", Tier.UNIVERSAL, "education"),
        SectorDef("police", "Police", Tier.UNIVERSAL, "justice"),
        SectorDef("asb_team", "Anti-social behaviour team", Tier.TARGETED, "justice"),
        SectorDef("probation", "Probation", Tier.SPECIALIST, "justice"),
        SectorDef("youth_offending", "Youth offending team", Tier.SPECIALIST, "justice"),
        SectorDef("domestic_abuse_service", "Domestic abuse service", Tier.SPECIALIST, "voluntary"),
        SectorDef("third_sector", "Voluntary and community sector", Tier.TARGETED, "voluntary"),
    )
}

SECTOR_GROUP_COLOURS: dict[str, str] = {
    "social_care": "#d62728",
    "early_help": "#2ca02c",
    "health": "#1f77b4",
    "education": "#9467bd",
    "justice": "#4d4d4d",
    "housing_money": "#ff7f0e",
    "voluntary": "#17becf",
}


@dataclass(frozen=True, slots=True)
class InterrelationRule:
    """A known link between needs held across a family; each part names a need and who holds it."""

    code: str
    name: str
    parts: tuple[tuple[str, str], ...]  # (need code, "parent" | "adult" | "child" | "any")
    why: str


INTERRELATION_RULES: tuple[InterrelationRule, ...] = (
    InterrelationRule(
        "toxic_trio", "Toxic trio",
        (("domestic_abuse", "parent"), ("mental_health", "parent"), ("substance_misuse", "parent")),
        "Domestic abuse, parental mental ill-health and parental substance misuse together: the pattern most "
        "often found in serious case reviews.",
    ),
    InterrelationRule(
        "parent_mh_child_attendance", "Parental mental health and a child's attendance",
        (("mental_health", "parent"), ("school_attendance", "child")),
        "Children of parents with poor mental health often miss school to care or because mornings fail.",
    ),
    InterrelationRule(
        "worklessness_housing", "Worklessness and housing",
        (("worklessness", "adult"), ("housing", "any")),
        "Loss of income drives arrears and the risk of homelessness.",
    ),
    InterrelationRule(
        "debt_mental_health", "Debt and mental health",
        (("debt", "adult"), ("mental_health", "adult")),
        "Problem debt and poor mental health reinforce each other.",
    ),
    InterrelationRule(
        "substance_neglect", "Parental substance misuse and neglect",
        (("substance_misuse", "parent"), ("neglect", "child")),
        "Parental drug or alcohol misuse is a leading cause of neglect.",
    ),
    InterrelationRule(
        "domestic_abuse_child_mh", "Domestic abuse and a child's mental health",
        (("domestic_abuse", "adult"), ("mental_health", "child")),
        "Children living with domestic abuse are victims of it in their own right.",
    ),
    InterrelationRule(
        "exploitation_attendance_crime", "Exploitation, missing school and offending",
        (("exploitation", "child"), ("school_attendance", "child"), ("crime_asb", "child")),
        "Criminal exploitation often shows first as missed school and low-level offending.",
    ),
    InterrelationRule(
        "young_carer_parent_health", "Young carer for an unwell parent",
        (("young_carer", "child"), ("physical_health", "adult")),
        "A child caring for a parent with poor health may go without support of their own.",
    ),
)


@dataclass(frozen=True, slots=True)
class SharedCare:
    """A universal service working beside a specialist one on the same need for the same person: expected
    shared care, not duplicated work."""

    universal: str  # sector code of the universal (or targeted) service
    specialist: str  # sector code of the specialist service
    needs: tuple[str, ...]
    why: str


SHARED_CARE: tuple[SharedCare, ...] = (
    SharedCare("primary_care", "adult_mental_health", ("mental_health",),
               "The GP keeps caring for a patient, and usually prescribes, while the adult mental health team treats "
               "them: that is shared care, not two services doing the same job."),
    SharedCare("primary_care", "camhs", ("mental_health",),
               "The GP refers a child to CAMHS and stays their doctor while CAMHS treats them."),
    SharedCare("school", "camhs", ("mental_health",),
               "A school's pastoral care supports a pupil day to day while CAMHS provides the treatment."),
    SharedCare("primary_care", "drug_alcohol", ("substance_misuse",),
               "GP shared-care prescribing beside the drug and alcohol service is the standard treatment model."),
    SharedCare("primary_care", "adult_social_care", ("physical_health",),
               "The GP manages the condition while adult social care assesses for and arranges care and support."),
    SharedCare("school", "youth_offending", ("crime_asb",),
               "The school keeps teaching and supporting a pupil while the youth justice service supervises their "
               "order."),
    SharedCare("police", "youth_offending", ("crime_asb",),
               "The police deal with the offence; the youth justice service carries out the disposal or order."),
    SharedCare("police", "probation", ("crime_asb",),
               "The police deal with new offending; probation supervises the sentence."),
)
"""Pairings of a universal service with a specialist one that are expected on the same need for one person."""


def shared_care(sector_a: str, sector_b: str, need_code: str) -> SharedCare | None:
    """The shared-care pairing two sectors form on a need (in either order), or None."""
    for pair in SHARED_CARE:
        if need_code in pair.needs and {sector_a, sector_b} == {pair.universal, pair.specialist}:
            return pair
    return None
