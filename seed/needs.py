"""Needs held by family members, drawn in the patterns that go together (toxic trio, worklessness...)."""

from __future__ import annotations

from seed.dice import Weighted
from seed.model import Cluster, Family, Need, Person
from seed.world import World

__all__ = ["INTENSITY", "Needs", "make_needs"]

INTENSITY: Weighted[float] = Weighted([(0.0, 0.34), (0.6, 0.36), (1.4, 0.20), (2.6, 0.10)])
_MIN_AGE_DAYS = {"early_years": 60, "teenage_pregnancy": 14 * 365}
OPEN_SHARE = 0.6  # of needs still open on the reference date
MET_SHARE = 0.84  # of open needs with open work addressing them
HAD_WORK_SHARE = 0.8  # of closed needs with (ended) work on record


class Needs:
    """The needs of one cluster, with a fast 'does this person already hold this need' check."""

    def __init__(self, world: World, cluster: Cluster) -> None:
        self.w = world
        self.c = cluster
        self._held: dict[tuple[str, str], Need] = {}

    def holds(self, person: Person, code: str) -> bool:
        """True when the person already has this need on record."""
        return (person.id, code) in self._held

    def record(self, need: Need) -> None:
        """Record a need made elsewhere (an agency's own record)."""
        self._held[(need.person.id, need.code)] = need
        self.c.needs.append(need)

    def add(
        self, person: Person, code: str, onset: int, open_: bool | None = None, met: bool | None = None
    ) -> Need | None:
        """Record a need near `onset` (None when held already or the person is too young)."""
        if (person.id, code) in self._held:
            return None
        w, d = self.w, self.w.dice
        since = max(onset + d.between(-120, 120), person.dob + _MIN_AGE_DAYS.get(code, 30), w.today - 1095)
        if since >= w.today:
            return None
        if open_ is None:
            open_ = d.chance(OPEN_SHARE)
        until = None if open_ else since + d.between(45, 600)
        if until is not None and until >= w.today:
            until = None
        if met is None:
            met = d.chance(MET_SHARE if until is None else HAD_WORK_SHARE)
        need = Need(person, code, since, until, w.council.source_id, met)
        self._held[(person.id, code)] = need
        self.c.needs.append(need)
        return need


def make_needs(world: World, needs: Needs, fam: Family, m: float) -> None:
    """Draw the needs of a family's members; m scales every rate (0 = a family with no needs)."""
    if m <= 0:
        return
    d = world.dice

    def p(base: float) -> bool:
        return d.chance(min(0.9, base * m))

    onset = world.today - d.below(1000)
    adults = [x.person for x in fam.members if x.adult]
    residents = [x.person for x in fam.members if x.adult and x.resident] or adults
    kids = [x.person for x in fam.members if not x.adult]
    school = [k for k in kids if 5 <= k.age <= 16]
    teens = [k for k in kids if k.age >= 11]
    main = next((a for a in residents if a.sex == "F"), residents[0] if residents else None)
    other = next((a for a in adults if a is not main), None)
    add = needs.add
    if main is not None:
        if p(0.025):  # toxic trio, often split between partners
            add(main, "domestic_abuse", onset)
            add(main, "mental_health", onset)
            add(other if other is not None and d.chance(0.6) else main, "substance_misuse", onset)
            for k in kids:
                if k.age >= 5 and d.chance(0.3):
                    add(k, "mental_health", onset)
                if k.age < 12 and d.chance(0.3):
                    add(k, "neglect", onset)
        if p(0.09):  # parental mental health and a child's attendance
            add(d.pick(residents), "mental_health", onset)
            for k in school:
                if d.chance(0.35):
                    add(k, "school_attendance", onset)
        if p(0.10):  # worklessness, housing and debt
            holder = d.pick(residents)
            add(holder, "worklessness", onset)
            if d.chance(0.45):
                add(d.pick(residents), "housing", onset)
            if d.chance(0.4):
                add(holder, "debt", onset)
            if d.chance(0.25):
                add(holder, "low_skills", onset)
        if p(0.05):  # debt and mental health
            add(main, "debt", onset)
            if d.chance(0.3):
                add(main, "mental_health", onset)
        if p(0.03):  # substance misuse and neglect
            add(d.pick(adults), "substance_misuse", onset)
            for k in kids:
                if k.age < 14 and d.chance(0.35):
                    add(k, "neglect", onset)
        if p(0.04):
            add(main, "domestic_abuse", onset)
            for k in kids:
                if k.age >= 4 and d.chance(0.2):
                    add(k, "mental_health", onset)
        if other is not None and p(0.05):
            add(main, "parental_conflict", onset)
            if d.chance(0.5):
                add(other, "parental_conflict", onset)
        if p(0.05):  # a parent's poor health and a young carer
            add(main, "physical_health", onset)
            carers = [k for k in kids if 8 <= k.age <= 17]
            if carers and d.chance(0.5):
                add(d.pick(carers), "young_carer", onset)
        if p(0.04):
            add(d.pick(residents), "housing", onset)
        if other is not None and not any(x.resident for x in fam.members if x.person is other) and p(0.05):
            add(other, "crime_asb", onset)
    for k in kids:
        if k.age < 5 and p(0.12):
            add(k, "early_years", onset)
        if 4 <= k.age <= 17 and p(0.06):
            add(k, "send", onset)
        if k in school and p(0.05):
            add(k, "school_attendance", onset)
        if 12 <= k.age <= 17 and p(0.06):
            add(k, "mental_health", onset)
        if k.age < 17 and p(0.01):
            add(k, "neglect", onset)
        if p(0.01):
            add(k, "physical_health", onset)
    for k in teens:
        if p(0.015):  # exploitation shows as missed school and offending
            add(k, "exploitation", onset)
            if 5 <= k.age <= 16 and d.chance(0.7):
                add(k, "school_attendance", onset)
            if d.chance(0.6):
                add(k, "crime_asb", onset)
        if p(0.05):
            add(k, "crime_asb", onset)
        if k.age >= 13 and p(0.015):
            add(k, "substance_misuse", onset)
        if k.sex == "F" and k.age >= 15 and p(0.02):
            add(k, "teenage_pregnancy", onset)
    if not kids and main is not None and main.sex == "F" and main.age <= 21 and p(0.6):
        add(main, "teenage_pregnancy", onset)
