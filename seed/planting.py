"""Planted cases with known answers: duplicate person records and duplicated involvement."""

from __future__ import annotations

from seed.dice import Weighted
from seed.model import Agency, Family, Involvement, Member, Need, Person
from seed.names_data import FAMILY_NAMES
from seed.places import postcode
from seed.variants import hyphenation, nickname, swap_day_month, typo
from seed.work import Work, is_open
from seed.world import World

__all__ = ["DUPLICATE_PERSON_RATE", "plant_duplicate_people", "plant_duplicated_work"]

DUPLICATE_PERSON_RATE = 0.02
_HEALTH = frozenset(
    {"primary_care", "health_visiting", "maternity", "adult_mental_health", "camhs", "drug_alcohol"}
)
_VARIANTS: Weighted[tuple[str, ...]] = Weighted(
    [
        (("nickname",), 0.25),
        (("typo",), 0.30),
        (("dob_swap",), 0.15),
        (("hyphenation",), 0.10),
        (("nickname", "dob_swap"), 0.06),
        (("typo", "dob_swap"), 0.06),
        (("typo", "hyphenation"), 0.04),
        (("nickname", "typo"), 0.04),
    ]
)
MOVED_POSTCODE = 0.25


def plant_duplicate_people(world: World, work: Work) -> list[tuple[str, ...]]:
    """Give ~2% of people a second record from another agency; returns (person, duplicate, variant) rows."""
    d = world.dice
    cluster = work.c
    rows: list[tuple[str, ...]] = []
    for person in list(cluster.people):
        if not d.chance(DUPLICATE_PERSON_RATE):
            continue
        places = [(f, m) for f in cluster.families for m in f.members if m.person is person]
        home, _ = work.homes[person.id]
        own = [
            i
            for i in cluster.involvements
            if i.person is person and i.prof.agency.sector not in ("early_help", "childrens_social_care")
        ]
        agency = (
            own[d.below(len(own))].prof.agency
            if own and d.chance(0.7)
            else _other_agency(world, home, person)
        )
        dup, variant = _variant_record(world, person, home, agency)
        cluster.people.append(dup)
        for fam, member in places:
            fam.members.append(Member(dup, member.role, member.resident, agency.source_id))
        work.homes[dup.id] = work.homes[person.id]
        for inv in own:
            if inv.prof.agency is agency:
                work.move(inv, dup)
                _agency_need(work, dup, inv)
        rows.append((person.id, dup.id, variant))
    return rows


def _other_agency(world: World, fam: Family, person: Person) -> Agency:
    staff, d = world.staff, world.dice
    if person.age < 5 and d.chance(0.5):
        return staff.agency("hv", fam)
    if 5 <= person.age <= 16 and d.chance(0.4):
        return staff.agency("primary" if person.age < 11 else "secondary", fam)
    return staff.agency("police" if d.chance(0.5) else "gp", fam)


def _variant_record(world: World, person: Person, fam: Family, agency: Agency) -> tuple[Person, str]:
    """A new record of the same person, differing as an agency's own record would."""
    d = world.dice
    given, family_name, dob, where = person.given, person.family_name, person.dob, person.postcode
    applied: list[str] = []
    for change in _VARIANTS.draw(d):
        if change == "nickname" and (short := nickname(d, given)) is not None:
            given = short
        elif change == "dob_swap" and (swapped := swap_day_month(dob, world.today)) is not None:
            dob = swapped
        elif change == "hyphenation" and (other := hyphenation(d, family_name, d.pick(FAMILY_NAMES))):
            family_name = other
        elif d.chance(0.5):
            change, given = "typo", typo(d, given)
        else:
            change, family_name = "typo", typo(d, family_name)
        if change not in applied:
            applied.append(change)
    if (given, family_name, dob) == (person.given, person.family_name, person.dob):
        family_name = typo(d, family_name)
        if "typo" not in applied:
            applied.append("typo")
    if d.chance(MOVED_POSTCODE):
        where = postcode(d.rng, fam.district)
        applied.append("postcode")
    dup = Person(
        world.ids.next("P"),
        given,
        family_name,
        dob,
        person.sex,
        where,
        agency.source_id,
        person.age,
        duplicate_of=person,
    )
    if agency.sector in _HEALTH and person.nhs and d.chance(0.7):
        dup.nhs = person.nhs
    if agency.sector == "school" and person.upn and d.chance(0.7):
        dup.upn = person.upn
    return dup, "+".join(applied)


def _agency_need(work: Work, dup: Person, inv: Involvement) -> None:
    """The need the agency records against its own record of the person."""
    for code in inv.codes:
        if not work.needs.holds(dup, code):
            work.needs.record(Need(dup, code, inv.start, inv.end, inv.source_id))


def plant_duplicated_work(world: World, work: Work, fam: Family) -> str | None:
    """Two or three agencies working openly on the same need of a member; returns the need code."""
    d, as_of = world.dice, world.as_of
    candidates = [
        i
        for i in work.family_involvements(fam)
        if i.person is not None
        and i.person.duplicate_of is None
        and is_open(i.start, i.end, as_of)
        and i.person.id not in work.shared
    ]
    if not candidates:
        top = work.top_up(fam)
        if top is None:
            return None
        candidates = [top]
    first = d.pick(candidates)
    person, code = first.person, d.pick(first.codes)
    assert person is not None
    used = {first.prof.agency.id}
    extra = 1 if d.chance(0.7) else 2
    for _ in range(20):
        if extra == 0:
            break
        start = max(first.start, world.today - 300) + d.between(0, 60)
        if d.chance(0.2):
            agency = world.staff.agency("familystart", fam)
            if agency.id in used:
                continue
            prof = world.staff.pick(agency, "charity", fam.district)
            world.involve(work.c, prof, None, fam, [code], "Family Start home visiting", start, None)
        else:
            route = work.route(person, code)
            agency = work.agency(route, fam, person)
            if agency.id in used:
                continue
            work.person_work(
                world.staff.pick(agency, route.kind, fam.district), person, code, route.service, start, None
            )
        used.add(agency.id)
        extra -= 1
    if len(used) < 2:
        return None
    fam.plants.add(f"duplicated_involvement:{code}")
    return code
