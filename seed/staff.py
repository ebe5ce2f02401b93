"""Agencies, their extracts and professionals for a county of a given size; picks who does new work."""

from __future__ import annotations

import math

from graphmodel.names import family_key, name_key
from graphmodel.taxonomy import SECTORS
from seed.catalogue import CATALOGUE, AgencyTemplate, StaffLine
from seed.dice import Dice
from seed.identifiers import IdCounter, email_slug, phone_number
from seed.model import Agency, Family, Professional
from seed.names_data import FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE
from seed.places import DISTRICTS, District, PlaceNames

__all__ = ["Staff"]

PoolKey = tuple[str, str, str]  # agency id, kind, district name or "*"


class Staff:
    """Every agency and professional, with caseload counters for handing out new work."""

    def __init__(self, dice: Dice, families: int, as_of: int, ids: IdCounter) -> None:
        self._dice = dice
        self._as_of = as_of
        self._ids = ids
        self._places = PlaceNames(dice.rng)
        self._emails: set[str] = set()
        self.agencies: list[Agency] = []
        self.professionals: list[Professional] = []
        self._county: dict[str, Agency] = {}
        self._district: dict[tuple[str, str], Agency] = {}
        self._local: dict[tuple[str, str], list[Agency]] = {}
        self._pools: dict[PoolKey, list[Professional]] = {}
        for template in CATALOGUE:
            self._add_template(template, families)

    # ---- building ----
    def _add_template(self, t: AgencyTemplate, families: int) -> None:
        if t.scope == "county":
            agency = self._new_agency(t, None)
            self._county[t.key] = agency
            for line in t.staff:
                if line.by_district:
                    for d in DISTRICTS:
                        self._staff(agency, line, d, _count(line.size * families * d.weight / 1000))
                else:
                    self._staff(agency, line, None, _count(line.size * families / 1000))
        elif t.scope == "district":
            for d in DISTRICTS:
                agency = self._new_agency(t, d)
                self._district[(t.key, d.name)] = agency
                for line in t.staff:
                    self._staff(agency, line, d, _count(line.size * families * d.weight / 1000))
        else:
            for d in DISTRICTS:
                count = _count(families * d.weight / t.families_per_agency)
                locals_ = self._local.setdefault((t.key, d.name), [])
                for _ in range(count):
                    agency = self._new_agency(t, d)
                    locals_.append(agency)
                    for line in t.staff:
                        self._staff(agency, line, d, int(line.size))

    def _new_agency(self, t: AgencyTemplate, district: District | None) -> Agency:
        pattern = self._dice.pick(t.name.split("|"))
        name = pattern.format(district=district.name if district else "", place=self._places.take())
        agency_id = self._ids.next("AG")
        lag = t.stale_days + self._dice.between(0, 12) if t.stale_days else self._dice.between(1, 28)
        tier = (t.tier or SECTORS[t.sector].default_tier).value
        agency = Agency(
            agency_id,
            t.key,
            name,
            t.sector,
            tier,
            district.name if district else None,
            f"SRC-{agency_id}",
            self._as_of - lag,
            t.description,
            email_slug(name),
        )
        self.agencies.append(agency)
        return agency

    def _staff(self, agency: Agency, line: StaffLine, district: District | None, count: int) -> None:
        pool = self._pools.setdefault((agency.id, line.kind, district.name if district else "*"), [])
        for _ in range(count):
            role, lead = self._dice.pick(line.roles)
            female = self._dice.chance(0.7)
            given = self._dice.pick(GIVEN_FEMALE if female else GIVEN_MALE)
            family = self._dice.pick(FAMILY_NAMES)
            index = len(self.professionals)
            team = line.team.format(district=district.name if district else "", agency=agency.name)
            capacity = self._dice.between(*lead) if lead else None
            prof = Professional(
                self._ids.next("PR"),
                f"{given} {family}",
                agency,
                role,
                team,
                self._email(given, family, agency.slug),
                phone_number(index, self._dice.chance(0.5)),
                capacity,
                line.kind,
            )
            self.professionals.append(prof)
            pool.append(prof)

    def _email(self, given: str, family: str, slug: str) -> str:
        local = f"{name_key(given).replace(' ', '')}.{family_key(family)}"
        email, n = f"{local}@{slug}.example.org", 1
        while email in self._emails:
            n += 1
            email = f"{local}{n}@{slug}.example.org"
        self._emails.add(email)
        return email

    # ---- lookups ----
    def agency_of(self, key: str) -> Agency:
        """The county-wide agency of a catalogue key."""
        return self._county[key]

    def local_agency(self, key: str, district: District) -> Agency:
        """A local agency (GP practice, school) in the district, drawn at random."""
        return self._dice.pick(self._local[(key, district.name)])

    def agency(self, key: str, family: Family) -> Agency:
        """The agency of this kind that serves the family."""
        if key in family.local:
            return family.local[key]
        found = self._county.get(key)
        return found if found is not None else self._district[(key, family.district.name)]

    def pick(
        self,
        agency: Agency,
        kind: str,
        district: District,
        avoid: frozenset[str] = frozenset(),
        lead: bool = False,
    ) -> Professional:
        """A practitioner of this kind for a family in the district: the lighter loaded of two drawn."""
        pool = self._pools.get((agency.id, kind, district.name)) or self._pools[(agency.id, kind, "*")]
        drawn: list[Professional] = []
        for _ in range(8):
            prof = pool[int(self._dice.random() * len(pool))]
            if prof.id not in avoid:
                drawn.append(prof)
                if len(drawn) == 2:
                    break
        if not drawn:
            return next((p for p in pool if p.id not in avoid), pool[0])
        load = _lead_load if lead else _caseload
        return min(drawn, key=load)


def _caseload(prof: Professional) -> float:
    return prof.caseload


def _lead_load(prof: Professional) -> float:
    return prof.leads / max(1, prof.lead_capacity or 0)


def _count(x: float) -> int:
    return max(1, math.ceil(x))
