"""Involvements: who works with whom on which need, since when."""

from __future__ import annotations

from seed.model import Agency, Cluster, Family, Involvement, Need, Person, Professional
from seed.needs import Needs
from seed.routes import FAMILY_SUITED, Route, route_for
from seed.world import World

__all__ = ["Home", "Work", "is_open"]

Home = tuple[Family, bool]  # the family a person lives in (or is best known to) and whether an adult there
NATURAL_OVERLAP = 0.02  # share of met open needs that a second agency also works on
WHOLE_FAMILY_SHARE = 0.4  # share of family-suited needs a family worker takes on in an open early help case


def is_open(start: int, end: int | None, as_of: int) -> bool:
    """Open on as_of: started by then and not ended before it."""
    return start <= as_of and (end is None or end >= as_of)


class Work:
    """Hands out involvements for the needs of one cluster."""

    def __init__(self, world: World, cluster: Cluster, needs: Needs, homes: dict[str, Home]) -> None:
        self.w = world
        self.c = cluster
        self.needs = needs
        self.homes = homes
        self._open: dict[tuple[str, str], Involvement] = {}  # (professional, person) -> open work
        self.family_codes: dict[str, list[str]] = {}  # family id -> needs left to whole-family work
        self.no_social_care: set[str] = set()  # family ids whose needs must not go to children's social care
        counts: dict[str, int] = {}
        for fam in cluster.families:
            for m in fam.members:
                counts[m.person.id] = counts.get(m.person.id, 0) + 1
        self.shared = {pid for pid, n in counts.items() if n > 1}  # people in more than one family

    def agency(self, route: Route, fam: Family, person: Person) -> Agency:
        """The agency a route points to for this person ('school' = primary or secondary by age)."""
        key = route.key
        if key == "school":
            key = "primary" if person.age < 11 else "secondary"
        return self.w.staff.agency(key, fam)

    def route(self, person: Person, code: str) -> Route:
        """Draw a route for a person's need."""
        fam, adult = self.homes[person.id]
        route = route_for(self.w.dice, code, adult, person.age)
        for _ in range(5):
            if route.key != "csc" or fam.id not in self.no_social_care:
                break
            route = route_for(self.w.dice, code, adult, person.age)
        return route

    def assign_all(self, whole_family: set[str]) -> None:
        """Work for every need: open needs mostly met, closed needs mostly with ended work.

        In an open early help case a family worker takes some needs on for the whole family; the choice is
        made once per need code, so whole-family and person-level work on one code overlap only by chance.
        """
        d = self.w.dice
        to_family: dict[tuple[str, str], bool] = {}
        for need in list(self.c.needs):
            if not need.met:
                continue
            fam, _ = self.homes[need.person.id]
            if need.until is None and fam.id in whole_family and need.code in FAMILY_SUITED:
                key = (fam.id, need.code)
                if key not in to_family:
                    to_family[key] = d.chance(WHOLE_FAMILY_SHARE)
                    if to_family[key]:
                        self.family_codes.setdefault(fam.id, []).append(need.code)
                if to_family[key] and not d.chance(NATURAL_OVERLAP):
                    continue
            first = self.for_need(need, self.route(need.person, need.code))
            if need.until is None and first is not None and d.chance(NATURAL_OVERLAP):
                self.for_need(need, self.route(need.person, need.code), avoid_agency=first.prof.agency)

    def for_need(self, need: Need, route: Route, avoid_agency: Agency | None = None) -> Involvement | None:
        """Work on one need by the route's agency (None when that is the agency to avoid)."""
        d = self.w.dice
        fam, _ = self.homes[need.person.id]
        agency = self.agency(route, fam, need.person)
        if agency is avoid_agency:
            return None
        prof = self.w.staff.pick(agency, route.kind, fam.district)
        start = need.since + d.between(0, 75)
        end = None if need.until is None else max(start, need.until + d.between(-20, 10))
        return self.person_work(prof, need.person, need.code, route.service, start, end)

    def person_work(
        self, prof: Professional, person: Person, code: str, service: str, start: int, end: int | None
    ) -> Involvement:
        """Person-level work; a professional already working openly with the person takes the need on too."""
        if end is None:
            current = self._open.get((prof.id, person.id))
            if current is not None:
                if code not in current.codes:
                    current.codes.append(code)
                return current
        inv = self.w.involve(self.c, prof, person, None, [code], service, start, end)
        if inv.end is None:
            self._open[(prof.id, person.id)] = inv
        return inv

    def family_involvements(self, fam: Family) -> list[Involvement]:
        """Whole-family work with fam and person-level work with any member (duplicates included)."""
        ids = {m.person.id for m in fam.members}
        return [
            i for i in self.c.involvements if i.family is fam or (i.person is not None and i.person.id in ids)
        ]

    def open_professionals(self, fam: Family) -> set[str]:
        """Professionals with open work with the family or a member on the reference date."""
        as_of = self.w.as_of
        return {i.prof.id for i in self.family_involvements(fam) if is_open(i.start, i.end, as_of)}

    def top_up(self, fam: Family, lead_capable: bool = False) -> Involvement | None:
        """A new open need of a member of this family only, met by a professional new to the family.

        lead_capable: the professional is one who can lead (school DSL, health visitor, youth worker...).
        """
        d = self.w.dice
        involved = frozenset(self.open_professionals(fam))
        members = [m for m in fam.members if m.person.duplicate_of is None and m.person.id not in self.shared]
        if lead_capable:
            members = [m for m in members if not m.adult] or members
        for _ in range(16):
            if not members:
                return None
            member = d.pick(members)
            person = member.person
            if lead_capable:
                code, route = _lead_capable_work(person.age, member.adult, person.sex)
            else:
                code = d.pick(_fitting_codes(person.age, member.adult, person.sex))
                route = self.route(person, code)
            if self.needs.holds(person, code):
                continue
            agency = self.agency(route, fam, person)
            prof = self.w.staff.pick(agency, route.kind, fam.district, avoid=involved, lead=lead_capable)
            if prof.id in involved:
                continue
            need = self.needs.add(person, code, self.w.today - d.between(30, 360), open_=True, met=True)
            if need is None:
                continue
            return self.person_work(prof, person, code, route.service, need.since + d.between(0, 40), None)
        return None

    def new_family_need(self, fam: Family, onset: int) -> Need | None:
        """A need an assessment finds that no one works on yet in the family (for whole-family work)."""
        d = self.w.dice
        as_of = self.w.as_of
        worked = {c for i in self.family_involvements(fam) if is_open(i.start, i.end, as_of) for c in i.codes}
        members = [
            m
            for m in fam.members
            if m.resident and m.person.duplicate_of is None and m.person.id not in self.shared
        ]
        options = [
            (m.person, c)
            for m in members
            for c in _found_codes(m.person.age, m.adult, len(members))
            if c not in worked and not self.needs.holds(m.person, c)
        ]
        if not options:
            return None
        person, code = d.pick(options)
        return self.needs.add(person, code, onset, open_=True, met=True)

    def move(self, inv: Involvement, person: Person) -> None:
        """Attach person-level work to another person record (an agency's own record of them)."""
        if inv.person is not None and self._open.get((inv.prof.id, inv.person.id)) is inv:
            del self._open[(inv.prof.id, inv.person.id)]
        inv.person = person


def _found_codes(age: int, adult: bool, household: int) -> tuple[str, ...]:
    if adult:
        return ("parental_conflict", "debt", "housing") if household > 2 else ("debt", "housing")
    if age < 5:
        return ("early_years",)
    return ("young_carer", "school_attendance") if age >= 8 else ("school_attendance",)


def _lead_capable_work(age: int, adult: bool, sex: str) -> tuple[str, Route]:
    if adult:
        if sex == "F":
            return "domestic_abuse", Route("das", "outreach", "Domestic abuse outreach")
        return "housing", Route("homes", "tenancy", "Tenancy sustainment")
    if age < 5:
        return "early_years", Route("hv", "hv", "Healthy Child Programme")
    if age <= 16:
        return "school_attendance", Route("school", "dsl", "Pastoral support")
    return "crime_asb", Route("tys", "yw", "Targeted youth support")


def _fitting_codes(age: int, adult: bool, sex: str) -> tuple[str, ...]:
    if adult:
        return _ADULT_CODES_F if sex == "F" else _ADULT_CODES
    if age < 5:
        return ("early_years", "physical_health")
    if age < 11:
        return ("school_attendance", "send", "young_carer", "physical_health")
    return ("school_attendance", "send", "mental_health", "young_carer", "crime_asb")


_ADULT_CODES = (
    "mental_health",
    "physical_health",
    "worklessness",
    "debt",
    "housing",
    "low_skills",
    "substance_misuse",
    "crime_asb",
)
_ADULT_CODES_F = (
    "mental_health",
    "physical_health",
    "worklessness",
    "debt",
    "housing",
    "low_skills",
    "domestic_abuse",
)
