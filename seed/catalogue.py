"""The county's agencies as templates: sector, naming, reach, freshness of extract and staffing."""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.taxonomy import Tier

__all__ = ["CATALOGUE", "LOCAL_KEYS", "AgencyTemplate", "RoleDef", "StaffLine"]

RoleDef = tuple[str, tuple[int, int] | None]  # job title, lead capacity range (None = not a lead)


@dataclass(frozen=True, slots=True)
class StaffLine:
    """One kind of practitioner in an agency: titles, numbers and team."""

    kind: str
    roles: tuple[RoleDef, ...]
    size: float  # per 1,000 families served (county and district agencies) or per agency (local agencies)
    team: str  # pattern: {district}, {agency}
    by_district: bool = True  # county agencies: one team per district, else one county-wide team


@dataclass(frozen=True, slots=True)
class AgencyTemplate:
    """A kind of agency: one county-wide, one per district, or local (one per N families in a district)."""

    key: str
    sector: str
    name: str  # pattern: {district}, {place}; alternatives separated by '|'
    scope: str  # county | district | local
    staff: tuple[StaffLine, ...]
    description: str
    tier: Tier | None = None  # override of the sector's default tier
    stale_days: int = 0  # extract taken this many days before as_of (0 = within the last month)
    families_per_agency: int = 0


# fmt: off
def _line(kind: str, roles: tuple[RoleDef, ...], size: float, team: str, split: bool = True) -> StaffLine:
    return StaffLine(kind, roles, size, team, split)  # split: a team per district, else one county-wide


def _agency(key: str, sector: str, scope: str, name: str, description: str, *staff: StaffLine,
            tier: Tier | None = None, stale_days: int = 0, per: int = 0) -> AgencyTemplate:
    return AgencyTemplate(key, sector, name, scope, staff, description, tier, stale_days, per)


_CC = "Fenmarsh County Council"
_SIMS = "School information management system extract"
CATALOGUE: tuple[AgencyTemplate, ...] = (
    _agency("eh", "early_help", "county", f"{_CC} Early Help Service",
            "Early help case management extract: families, people, needs, episodes and lead professionals",
            _line("fw", (("Family Worker", (12, 20)), ("Family Worker", (12, 20)),
                         ("Senior Family Worker", (8, 12))), 10.0, "Early Help Team {district}"),
            _line("fit", (("Family Intervention Worker", (10, 14)),), 1.0, "Family Intervention Team", False),
            _line("eoc", (("Edge of Care Practitioner", (8, 12)),), 0.6, "Edge of Care Team", False),
            _line("coord", (("Early Help Coordinator", (0, 2)),), 0.3, "Early Help Hub", False)),
    _agency("csc", "childrens_social_care", "county", f"{_CC} Children's Social Care",
            "Children's social care case management extract",
            _line("sw", (("Social Worker", (15, 15)), ("Senior Social Worker", (12, 15))), 1.5,
                  "Child in Need Team {district}"),
            _line("sw", (("Social Worker", (15, 15)),), 0.4, "Assessment Team", False)),
    _agency("tys", "youth_support", "county", "Fenmarsh Targeted Youth Support", "Youth support case records",
            _line("yw", (("Youth Worker", (0, 5)), ("Senior Youth Worker", (2, 5))), 0.8,
                  "Youth Support {district}")),
    _agency("cc", "childrens_centre", "district", "{district} Children's Centre",
            "Children's centre registrations and family support",
            _line("cc", (("Family Support Worker", (0, 5)), ("Early Years Practitioner", None)), 1.0,
                  "{agency}")),
    _agency("asc", "adult_social_care", "county", f"{_CC} Adult Social Care",
            "Adult social care case records",
            _line("asc", (("Social Worker (Adults)", None), ("Care Coordinator", None)), 0.7,
                  "Adult Locality Team {district}")),
    _agency("housing", "housing", "district", "{district} District Council Housing Options",
            "Housing options and homelessness case records",
            _line("housing", (("Housing Officer", None), ("Housing Options Adviser", None)), 1.2,
                  "Housing Options")),
    _agency("homes", "housing", "county", "Fenmarsh Homes", "Housing association tenancy support records",
            _line("tenancy", (("Tenancy Sustainment Officer", (0, 3)),), 0.7, "Tenancy Support {district}")),
    _agency("gp", "primary_care", "local", "{place} Surgery|{place} Medical Practice|{place} Health Centre",
            "GP practice clinical system extract",
            _line("gp", (("GP", None),), 3, "{agency}"),
            _line("gp", (("Practice Nurse", None), ("Social Prescribing Link Worker", (0, 2))), 1,
                  "{agency}"),
            per=400),
    _agency("hv", "health_visiting", "county", "Fenmarsh Community Health 0-19 Service",
            "Community health (0-19) record extract",
            _line("hv", (("Health Visitor", (0, 5)),), 1.5, "Health Visiting {district}"),
            _line("sn", (("School Nurse", (0, 3)),), 0.6, "School Nursing {district}"),
            _line("fnp", (("Family Nurse", (0, 4)),), 0.2, "Family Nurse Partnership", False)),
    _agency("maternity", "maternity", "county", "Fenmarsh Hospitals NHS Trust Maternity Service",
            "Maternity system extract",
            _line("mw", (("Community Midwife", None),), 0.4, "Community Midwifery {district}")),
    _agency("amh", "adult_mental_health", "county",
            "Fenmarsh and Fens NHS Foundation Trust Adult Mental Health",
            "Mental health trust record extract",
            _line("amh", (("Community Psychiatric Nurse", None), ("Mental Health Practitioner", None)), 1.0,
                  "Community Mental Health Team {district}")),
    _agency("iapt", "adult_mental_health", "county", "Talking Therapies Fenmarsh",
            "Talking therapies referrals extract",
            _line("pwp", (("Psychological Wellbeing Practitioner", None),), 0.7,
                  "Talking Therapies {district}"),
            tier=Tier.TARGETED),
    _agency("camhs", "camhs", "county", "Fenmarsh CAMHS", "CAMHS record extract",
            _line("camhs", (("CAMHS Practitioner", None), ("Clinical Psychologist", None)), 0.8,
                  "CAMHS {district}")),
    _agency("recovery", "drug_alcohol", "county", "Fenmarsh Recovery Partnership",
            "Drug and alcohol treatment records",
            _line("da", (("Recovery Worker", None),), 0.8, "Adult Recovery {district}"),
            _line("ypda", (("Young People's Substance Misuse Worker", (0, 3)),), 0.2,
                  "Young People's Service",
                  False)),
    _agency("money", "debt_advice", "county", "Fenmarsh Money Advice Service",
            "Debt and benefits advice case records",
            _line("debt", (("Debt Adviser", None), ("Welfare Rights Adviser", None)), 0.9,
                  "Money Advice {district}")),
    _agency("jc", "jobcentre", "district", "Jobcentre Plus {district}",
            "Jobcentre Plus work coach caseload extract",
            _line("jc", (("Work Coach", None),), 1.2, "Work Coaches")),
    _agency("primary", "school", "local",
            "{place} Primary School|{place} CofE Primary School|{place} Community Primary School", _SIMS,
            _line("dsl", (("Designated Safeguarding Lead", (0, 5)),), 1, "{agency} Safeguarding Team"),
            _line("att", (("Pastoral Lead", None),), 1, "{agency} Pastoral Team"),
            _line("senco", (("SENCo", None),), 1, "{agency} Inclusion Team"),
            _line("teacher", (("Class Teacher", None),), 2, "{agency} Teaching Staff"),
            per=530),
    _agency("secondary", "school", "local", "{place} Academy|{place} High School|{place} School", _SIMS,
            _line("dsl", (("Designated Safeguarding Lead", (0, 5)),), 1, "{agency} Safeguarding Team"),
            _line("att", (("Attendance Officer", None),), 1, "{agency} Pastoral Team"),
            _line("senco", (("SENCo", None),), 1, "{agency} Inclusion Team"),
            _line("teacher", (("Head of Year", None),), 3, "{agency} Pastoral Team"),
            per=1600),
    _agency("pru", "school", "county", "Fenmarsh Pupil Referral Unit", "Alternative provision roll",
            _line("pru", (("Teacher in Charge", None), ("Key Worker", None)), 0.1, "Alternative Provision",
                  False),
            tier=Tier.SPECIALIST),
    _agency("police", "police", "district", "Fenmarsh Constabulary {district} Neighbourhood Policing Team",
            "Police records extract (quarterly, last run late)",
            _line("police", (("PCSO", None), ("Police Constable", None)), 0.8,
                  "{district} Neighbourhood Team"),
            stale_days=243),
    _agency("ppu", "police", "county", "Fenmarsh Constabulary Public Protection Unit",
            "Police public protection extract",
            _line("ppu", (("Detective Constable", None),), 0.8, "Public Protection Unit", False),
            tier=Tier.SPECIALIST, stale_days=243),
    _agency("asb", "asb_team", "district", "{district} District Council Community Safety and ASB Team",
            "Anti-social behaviour case records",
            _line("asb", (("ASB Officer", None),), 0.5, "Community Safety")),
    _agency("probation", "probation", "county", "Probation Service Fenmarsh",
            "Probation case management extract",
            _line("probation", (("Probation Officer", None), ("Probation Services Officer", None)), 0.5,
                  "Probation {district}"),
            stale_days=92),
    _agency("yot", "youth_offending", "county", "Fenmarsh Youth Justice Service",
            "Youth justice case records",
            _line("yot", (("YOT Case Manager", (0, 3)), ("Youth Justice Officer", None)), 0.5,
                  "Youth Justice {district}")),
    _agency("das", "domestic_abuse_service", "county", "Fenmarsh Domestic Abuse Service",
            "Domestic abuse service case records",
            _line("idva", (("IDVA", None),), 0.8, "IDVA Service", False),
            _line("outreach", (("Domestic Abuse Outreach Worker", (0, 3)),), 0.4, "Outreach {district}"),
            tier=Tier.TARGETED),
    _agency("refuge", "domestic_abuse_service", "county", "Fenmarsh Women's Refuge",
            "Refuge residents and outreach records",
            _line("refuge", (("Refuge Support Worker", None),), 0.1, "Refuge", False)),
    _agency("young_carers", "third_sector", "county", "Fenmarsh Young Carers", "Young carers register",
            _line("charity", (("Young Carers Support Worker", (0, 3)),), 0.5, "Young Carers", False)),
    _agency("parenting", "third_sector", "county", "Fenmarsh Parenting Network",
            "Parenting programme attendance records",
            _line("charity", (("Parenting Practitioner", (0, 3)),), 0.8, "Parenting {district}")),
    _agency("learning", "third_sector", "county", "Pathways Adult Learning and Employment",
            "Adult learning and employment support records",
            _line("charity", (("Employment Adviser", None), ("Adult Learning Tutor", None)), 0.7,
                  "Pathways {district}")),
    _agency("foodbank", "third_sector", "county", "Fenmarsh Foodbank and Advice",
            "Foodbank referrals spreadsheet",
            _line("charity", (("Advice Volunteer Coordinator", None),), 0.4, "Foodbank Advice", False),
            tier=Tier.UNIVERSAL, stale_days=151),
    _agency("mentoring", "third_sector", "county", "Fenmarsh Youth Mentoring Trust", "Mentoring referrals",
            _line("charity", (("Youth Mentor", (0, 3)),), 0.2, "Mentoring", False)),
    _agency("familystart", "third_sector", "county", "Family Start Fenmarsh",
            "Home-visiting family support records",
            _line("charity", (("Family Support Coordinator", (0, 4)),), 0.5, "Family Start {district}")),
)
# fmt: on

LOCAL_KEYS: tuple[str, ...] = tuple(t.key for t in CATALOGUE if t.scope == "local")
