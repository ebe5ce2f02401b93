"""Planted cases with known answers: duplicate person records and duplicated involvement."""

from __future__ import annotations

import itertools

from seed.dice import Weighted
from seed.model import Agency, Family, Involvement, Member, Need, Person
from seed.names_data import FAMILY_NAMES
from seed.places import postcode
from seed.routes import Route
from seed.truth import DUPLICATED, LOOKALIKE, SHARED_CARE
from seed.variants import hyphenation, nickname, swap_day_month, typo
from seed.work import Work, is_open
from seed.world import World

__all__ = ["DUPLICATE_PERSON_RATE", "LOOKALIKE_KINDS", "plant_duplicate_people", "plant_duplicated_work",
           "plant_lookalike"]

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
    sectors = {first.prof.agency.sector}
    extra = 1 if d.chance(0.7) else 2
    for _ in range(20):
        if extra == 0:
            break
        start = max(first.start, world.today - 300) + d.between(0, 60)
        if d.chance(0.2):
            agency = world.staff.agency("familystart", fam)
            if agency.id in used or _pairs(agency.sector, sectors, code):
                continue
            prof = world.staff.pick(agency, "charity", fam.district)
            world.involve(work.c, prof, None, fam, [code], "Family Start home visiting", start, None)
        else:
            route = work.route(person, code)
            agency = work.agency(route, fam, person)
            if agency.id in used or _pairs(agency.sector, sectors, code):
                continue
            work.person_work(
                world.staff.pick(agency, route.kind, fam.district), person, code, route.service, start, None
            )
        used.add(agency.id)
        sectors.add(agency.sector)
        extra -= 1
    if len(used) < 2:
        return None
    fam.plants.add(f"{DUPLICATED}|{code}|{person.id}")
    return code


def _pairs(sector: str, others: set[str], code: str) -> bool:
    """True when the sector forms a shared-care pairing with one of the others on this need."""
    return any((sector, o, code) in SHARED_CARE or (o, sector, code) in SHARED_CARE for o in others)


# ---- look-alikes: work the duplicate rule must NOT flag ----------------------------------------------------

LOOKALIKE_KINDS = ("parallel_work", "shared_care", "sequential", "same_professional")
_PROBATION = Route("probation", "probation", "Community order supervision")
_YOT = Route("yot", "yot", "Youth justice (referral order)")
_ATTENDANCE = Route("school", "att", "Attendance support")
_YOUTH = Route("tys", "yw", "Targeted youth support")
_AMH = Route("amh", "amh", "Community mental health team")
_IAPT = Route("iapt", "pwp", "Talking therapies")
_GP_MH = Route("gp", "gp", "GP mental health review")
_CAMHS = Route("camhs", "camhs", "CAMHS treatment")
_PASTORAL = Route("school", "dsl", "Pastoral support")
_JC = Route("jc", "jc", "Universal Credit work coaching")
_LEARNING = Route("learning", "charity", "Employment support")
_MONEY = Route("money", "debt", "Debt advice")
_CRISIS = Route("foodbank", "charity", "Crisis support")


def plant_lookalike(world: World, work: Work, fam: Family, kind: str) -> bool:
    """Plant one look-alike of duplicated work in the family (parallel work across members, a shared-care
    pairing, sequential work, or one professional on two needs); False when the family has no room for it."""
    members = [m for m in fam.members if m.person.duplicate_of is None and m.person.id not in work.shared
               and work.homes.get(m.person.id, (None, False))[0] is fam]
    options = _lookalike_options(kind, members)
    if options:
        turn = world.dice.below(len(options))
        options = options[turn:] + options[:turn]
    for people, code, routes in options:
        if _worked(work, fam, code, people, world.as_of):
            continue
        onset = world.today - world.dice.between(300, 600 if kind == "sequential" else 400)
        needs = [work.needs.add(m.person, code, onset, open_=True, met=True) for m in people]
        if any(n is None for n in needs):
            continue
        _plant(world, work, fam, kind, code, people, routes, needs)
        fam.plants.add(f"{LOOKALIKE}|{kind}|{code}|{';'.join(sorted(m.person.id for m in people))}")
        return True
    return False


def _worked(work: Work, fam: Family, code: str, people: list[Member], as_of: int) -> bool:
    """True when anyone in the family has open work on the need, or a chosen member holds the need already."""
    busy = any(code in i.codes and is_open(i.start, i.end, as_of) for i in work.family_involvements(fam))
    return busy or any(work.needs.holds(m.person, code) for m in people)


def _lookalike_options(kind: str, members: list[Member]) -> list[tuple[list[Member], str, tuple[Route, ...]]]:
    """(members, need, routes) that fit the family for this kind of look-alike, best fitting first."""
    adults = [m for m in members if m.adult and m.person.age >= 18]
    men = [m for m in adults if m.person.sex == "M"]
    teens = [m for m in members if not m.adult and 10 <= m.person.age <= 17]
    pupils = [m for m in members if not m.adult and 5 <= m.person.age <= 16]
    out: list[tuple[list[Member], str, tuple[Route, ...]]] = []
    if kind == "parallel_work":
        out += [([a, t], "crime_asb", (_PROBATION, _YOT)) for a in men for t in teens]
        out += [([a, b], "school_attendance", (_ATTENDANCE, _YOUTH)) for a, b in itertools.pairwise(pupils)]
        out += [([a, b], "mental_health", (_AMH, _IAPT)) for a, b in itertools.pairwise(adults)]
    elif kind == "shared_care":
        out += [([a], "mental_health", (_GP_MH, _AMH)) for a in adults]
        out += [([p], "mental_health", (_PASTORAL, _CAMHS)) for p in pupils if p.person.age >= 8]
    elif kind == "sequential":
        out += [([p], "school_attendance", (_ATTENDANCE, _YOUTH)) for p in pupils]
        out += [([a], "worklessness", (_JC, _LEARNING)) for a in adults]
        out += [([a], "debt", (_MONEY, _CRISIS)) for a in adults]
    elif kind == "same_professional":
        out += [([a], "worklessness", (_JC,)) for a in adults]
        out += [([p], "school_attendance", (_PASTORAL,)) for p in pupils]
    return out


def _plant(world: World, work: Work, fam: Family, kind: str, code: str, people: list[Member],
           routes: tuple[Route, ...], needs: list[Need | None]) -> None:
    d, today = world.dice, world.today
    since = max(n.since for n in needs if n is not None)
    if kind == "sequential":
        person = people[0].person
        before, after = (world.staff.pick(work.agency(r, fam, person), r.kind, fam.district) for r in routes[:2])
        latest = min(today, before.agency.extracted_at, after.agency.extracted_at) - 12  # both extracts show it
        first_end = min(latest, max(since + 30, today - d.between(20, 200)))
        world.involve(work.c, before, person, None, [code], routes[0].service, since, first_end)
        world.involve(work.c, after, person, None, [code], routes[1].service,
                      min(latest + 10, first_end + d.between(1, 30)), None)
        return
    if kind == "same_professional":
        person, route = people[0].person, routes[0]
        prof = world.staff.pick(work.agency(route, fam, person), route.kind, fam.district)
        other = "low_skills" if code == "worklessness" else "send"
        second = work.needs.add(person, other, since, open_=True, met=True)
        codes = [code] if second is None else [code, other]  # two pieces of work, one professional
        world.involve(work.c, prof, person, None, [code], route.service, since + d.between(0, 30), None)
        world.involve(work.c, prof, person, None, codes, route.service, since + d.between(0, 60), None)
        return
    involved: frozenset[str] = frozenset()
    for i, member in enumerate(people if kind == "parallel_work" else people * len(routes)):
        route = routes[i]
        prof = world.staff.pick(work.agency(route, fam, member.person), route.kind, fam.district, avoid=involved)
        involved = involved | {prof.id}
        world.involve(work.c, prof, member.person, None, [code], route.service, since + d.between(0, 60), None)
