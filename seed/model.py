"""The records one cluster of families is built from before it is written (dates are day ordinals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from seed.places import District

__all__ = [
    "Agency",
    "Cluster",
    "Episode",
    "Family",
    "Involvement",
    "Lead",
    "Member",
    "Need",
    "Person",
    "Professional",
    "Relationship",
]


@dataclass(slots=True, eq=False)
class Agency:
    """An agency or service and its one extract (source)."""

    id: str
    key: str
    name: str
    sector: str
    tier: str
    district: str | None
    source_id: str
    extracted_at: int
    description: str
    slug: str


@dataclass(slots=True, eq=False)
class Professional:
    """A practitioner; caseload and leads count the open work handed out so far."""

    id: str
    name: str
    agency: Agency
    role: str
    team: str
    email: str
    phone: str
    lead_capacity: int | None
    kind: str
    caseload: int = 0
    leads: int = 0


@dataclass(slots=True, eq=False)
class Person:
    """One person record."""

    id: str
    given: str
    family_name: str
    dob: int
    sex: str
    postcode: str
    source_id: str
    age: int
    nhs: str = ""
    upn: str = ""
    duplicate_of: Person | None = None


@dataclass(slots=True, eq=False)
class Member:
    """A person's place in one family."""

    person: Person
    role: str
    resident: bool
    source_id: str

    @property
    def adult(self) -> bool:
        """True for every role but child."""
        return self.role != "child"


@dataclass(slots=True, eq=False)
class Need:
    """A need held by a person over time; met tells whether open work must address it."""

    person: Person
    code: str
    since: int
    until: int | None
    source_id: str
    met: bool = True


@dataclass(slots=True, eq=False)
class Involvement:
    """A piece of work by one professional with a person (person set) or a whole family (family set)."""

    id: str
    prof: Professional
    person: Person | None
    family: Family | None
    codes: list[str]
    service: str
    start: int
    end: int | None

    @property
    def source_id(self) -> str:
        """The extract of the professional's agency."""
        return self.prof.agency.source_id


@dataclass(slots=True, eq=False)
class Lead:
    """A lead professional assignment."""

    prof: Professional
    since: int
    until: int | None
    source_id: str


@dataclass(slots=True, eq=False)
class Episode:
    """An early help or social care episode."""

    id: str
    kind: str
    opened: int
    closed: int | None
    end_reason: str
    assessment: int | None
    plan: int | None
    source_id: str


@dataclass(slots=True, eq=False)
class Family:
    """A family: its members and the council's casework with it."""

    id: str
    name: str
    postcode: str
    district: District
    source_id: str
    local: dict[str, Agency] = field(default_factory=dict)  # GP practice and schools, by catalogue key
    members: list[Member] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    plants: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class Relationship:
    """How the first person relates to the second."""

    a: Person
    b: Person
    kind: str
    source_id: str


@dataclass(slots=True, eq=False)
class Cluster:
    """One to two families generated together because they share people (a parent living elsewhere)."""

    families: list[Family] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
