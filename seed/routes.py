"""Which agency and kind of practitioner takes on a need, for adults and for children."""

from __future__ import annotations

from typing import NamedTuple

from seed.dice import Dice, Weighted

__all__ = ["FAMILY_SUITED", "Route", "route_for"]


class Route(NamedTuple):
    """An agency (catalogue key; 'school' = the child's school), a practitioner kind and a service name."""

    key: str
    kind: str
    service: str


_POLICE = Route("police", "police", "Neighbourhood policing")
_ASB = Route("asb", "asb", "ASB case management")
_YOUTH = Route("tys", "yw", "Targeted youth support")
_PASTORAL = Route("school", "dsl", "Pastoral support")
_TEACHER = Route("school", "teacher", "Pastoral support")
_GP = Route("gp", "gp", "Primary care")
_SCHOOL_NURSE = Route("hv", "sn", "School nursing")
_FNP = Route("hv", "fnp", "Family Nurse Partnership")
_MIDWIFE = Route("maternity", "mw", "Midwifery care")
_HOUSING = Route("housing", "housing", "Housing options")
_TENANCY = Route("homes", "tenancy", "Tenancy sustainment")
_CRISIS = Route("foodbank", "charity", "Crisis support")
_MENTOR = Route("mentoring", "charity", "Mentoring")

_ADULT: dict[str, Weighted[Route]] = {
    "crime_asb": Weighted(
        [(_POLICE, 0.45), (Route("probation", "probation", "Community order supervision"), 0.35), (_ASB, 0.2)]
    ),
    "worklessness": Weighted(
        [
            (Route("jc", "jc", "Universal Credit work coaching"), 0.85),
            (Route("learning", "charity", "Employment support"), 0.15),
        ]
    ),
    "debt": Weighted([(Route("money", "debt", "Debt advice"), 0.75), (_CRISIS, 0.15), (_TENANCY, 0.1)]),
    "low_skills": Weighted(
        [(Route("jc", "jc", "Skills referral"), 0.4), (Route("learning", "charity", "Adult learning"), 0.6)]
    ),
    "domestic_abuse": Weighted(
        [
            (Route("das", "idva", "IDVA support"), 0.45),
            (Route("das", "outreach", "Domestic abuse outreach"), 0.2),
            (Route("ppu", "ppu", "Public protection (domestic abuse)"), 0.25),
            (Route("refuge", "refuge", "Refuge accommodation"), 0.1),
        ]
    ),
    "parental_conflict": Weighted(
        [
            (Route("parenting", "charity", "Reducing Parental Conflict programme"), 0.7),
            (Route("cc", "cc", "Parenting support"), 0.3),
        ]
    ),
    "mental_health": Weighted(
        [
            (Route("amh", "amh", "Community mental health team"), 0.45),
            (Route("iapt", "pwp", "Talking therapies"), 0.25),
            (Route("gp", "gp", "GP mental health review"), 0.3),
        ]
    ),
    "physical_health": Weighted(
        [
            (Route("gp", "gp", "Long-term condition care"), 0.6),
            (Route("asc", "asc", "Care Act assessment"), 0.4),
        ]
    ),
    "substance_misuse": Weighted(
        [
            (Route("recovery", "da", "Drug and alcohol treatment"), 0.85),
            (Route("gp", "gp", "Alcohol brief intervention"), 0.15),
        ]
    ),
    "housing": Weighted([(_HOUSING, 0.65), (_TENANCY, 0.25), (_CRISIS, 0.1)]),
    "teenage_pregnancy": Weighted([(_MIDWIFE, 0.7), (_FNP, 0.3)]),
}

_CHILD: dict[str, Weighted[Route]] = {
    "crime_asb": Weighted(
        [
            (Route("yot", "yot", "Youth justice (out-of-court disposal)"), 0.35),
            (_POLICE, 0.25),
            (_ASB, 0.1),
            (_YOUTH, 0.3),
        ]
    ),
    "school_attendance": Weighted(
        [
            (Route("school", "att", "Attendance support"), 0.5),
            (_PASTORAL, 0.2),
            (_TEACHER, 0.15),
            (_YOUTH, 0.1),
            (Route("pru", "pru", "Alternative provision"), 0.05),
        ]
    ),
    "send": Weighted(
        [
            (Route("school", "senco", "SEN support"), 0.75),
            (_SCHOOL_NURSE, 0.1),
            (Route("parenting", "charity", "Parenting a child with SEND"), 0.15),
        ]
    ),
    "early_years": Weighted(
        [
            (Route("hv", "hv", "Healthy Child Programme"), 0.6),
            (Route("cc", "cc", "Children's centre family support"), 0.4),
        ]
    ),
    "domestic_abuse": Weighted(
        [(Route("das", "outreach", "Children's domestic abuse recovery"), 0.6), (_PASTORAL, 0.4)]
    ),
    "neglect": Weighted(
        [
            (Route("csc", "sw", "Child in Need plan"), 0.35),
            (_PASTORAL, 0.35),
            (Route("hv", "hv", "Targeted health visiting"), 0.3),
        ]
    ),
    "exploitation": Weighted(
        [
            (Route("csc", "sw", "Child exploitation plan"), 0.4),
            (_YOUTH, 0.2),
            (Route("ppu", "ppu", "Missing and exploited children"), 0.2),
            (_MENTOR, 0.2),
        ]
    ),
    "mental_health": Weighted(
        [
            (Route("camhs", "camhs", "CAMHS treatment"), 0.6),
            (_PASTORAL, 0.05),
            (_TEACHER, 0.1),
            (_SCHOOL_NURSE, 0.1),
            (_MENTOR, 0.15),
        ]
    ),
    "physical_health": Weighted([(_GP, 0.7), (_SCHOOL_NURSE, 0.3)]),
    "substance_misuse": Weighted(
        [(Route("recovery", "ypda", "Young people's substance misuse"), 0.6), (_YOUTH, 0.4)]
    ),
    "teenage_pregnancy": Weighted([(_MIDWIFE, 0.6), (_FNP, 0.4)]),
    "housing": Weighted([(_HOUSING, 1.0)]),
    "young_carer": Weighted(
        [(Route("young_carers", "charity", "Young carers support"), 0.7), (_PASTORAL, 0.3)]
    ),
    "worklessness": Weighted(
        [
            (Route("jc", "jc", "Youth employment programme"), 0.6),
            (Route("learning", "charity", "Employment support"), 0.4),
        ]
    ),
}
_FALLBACK = Weighted([(_GP, 1.0)])

FAMILY_SUITED: frozenset[str] = frozenset(
    {
        "school_attendance",
        "parental_conflict",
        "neglect",
        "young_carer",
        "housing",
        "debt",
        "early_years",
        "crime_asb",
        "domestic_abuse",
    }
)
"""Needs an early help family worker often takes on as whole-family work."""


def route_for(dice: Dice, code: str, adult: bool, age: int) -> Route:
    """Draw who takes on a person's need: schools for school-age children, health visitors for under-5s."""
    table = _ADULT if adult else _CHILD
    route = (table.get(code) or _CHILD.get(code) or _ADULT.get(code) or _FALLBACK).draw(dice)
    if route.key == "school" and (adult or age < 4):
        return Route("cc", "cc", "Family support") if age < 5 else _GP
    if route.kind == "hv" and age >= 5:
        return _SCHOOL_NURSE if not adult and age <= 18 else _GP
    if route.kind == "sn" and (adult or age < 5):
        return _GP
    return route
