"""Household shapes: who belongs to a family, with their roles, dates of birth and relationships."""

from __future__ import annotations

import random
from datetime import date

from seed.catalogue import LOCAL_KEYS
from seed.dates import DAYS_PER_YEAR
from seed.dice import Weighted
from seed.identifiers import nhs_number, upn
from seed.model import Cluster, Family, Member, Person, Relationship
from seed.names_data import FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, LOOK_ALIKE_PAIRS
from seed.places import DISTRICTS, LA_CODE, District, postcode
from seed.world import World

__all__ = ["SHAPES", "make_cluster"]

SHAPES: Weighted[str] = Weighted(
    [
        ("two_parent", 0.38),
        ("lone_mother", 0.28),
        ("lone_father", 0.04),
        ("step_family", 0.13),
        ("kinship", 0.04),
        ("adult_only", 0.05),
        ("multi_generation", 0.08),
    ]
)
_DISTRICT: Weighted[District] = Weighted([(d, d.weight) for d in DISTRICTS])


def _zipf(names: tuple[str, ...], power: float) -> Weighted[str]:
    return Weighted([(n, 1 / (rank + 1) ** power) for rank, n in enumerate(names)])


_FEMALE = _zipf(GIVEN_FEMALE, 0.5)
_MALE = _zipf(GIVEN_MALE, 0.5)
_FAMILY = _zipf(FAMILY_NAMES, 0.7)
_CHILD_COUNT: Weighted[int] = Weighted([(1, 0.42), (2, 0.34), (3, 0.15), (4, 0.06), (5, 0.03)])
TWIN_LOOK_ALIKE = 0.5
"""Share of twins given look-alike names (Ava and Eva)."""
NAMESAKE_SON = 0.08
"""Chance that a father's first son takes his given name (a mother's first daughter: a quarter of it)."""


class _Builder:
    """Makes the people of one cluster."""

    def __init__(self, world: World, cluster: Cluster) -> None:
        self.w = world
        self.d = world.dice
        self.c = cluster
        self.source = world.council.source_id
        self.year = date.fromordinal(world.as_of).year

    def surname(self) -> str:
        """A family name; about 2% double-barrelled."""
        name = _FAMILY.draw(self.d)
        if self.d.chance(0.02):
            other = _FAMILY.draw(self.d)
            if other != name and " " not in name + other:
                name = f"{name}-{other}"
        return name

    def person(self, sex: str, age: int, family_name: str, where: str, given: str | None = None,
               dob: int | None = None) -> Person:
        """A new person record aged `age` on the reference date (born on `dob` when given: a twin)."""
        d = self.d
        latest = self.w.today - 7
        if dob is None:
            dob = min(latest, self.w.as_of - int(age * DAYS_PER_YEAR) - d.below(365))
        if given is None:
            given = (_FEMALE if sex == "F" or (sex != "M" and d.chance(0.5)) else _MALE).draw(d)
        real_age = int((self.w.as_of - dob) / DAYS_PER_YEAR)
        p = Person(self.w.ids.next("P"), given, family_name, dob, sex, where, self.source, real_age)
        if d.chance(0.6):
            p.nhs = nhs_number(d.rng)
        if 4 <= real_age <= 17 and d.chance(0.85):
            p.upn = upn(d.rng, LA_CODE, self.year - real_age + 5)
        self.c.people.append(p)
        return p

    def child_sex(self) -> str:
        r = self.d.random()
        return "F" if r < 0.49 else "M" if r < 0.98 else "U" if r < 0.997 else "X"

    def child_ages(self, n: int, max_age: int = 17) -> list[int]:
        """Ages of n siblings, youngest first (some twins; a few aged 18-19 still living at home)."""
        d = self.d
        max_age = max(0, max_age)
        ages = [d.below(min(max_age, 16) + 1)]
        for _ in range(n - 1):
            ages.append(ages[-1] + (0 if d.chance(0.03) else d.between(1, 4)))
        grown = 19 if max_age >= 17 else max_age
        return [a for a in ages if a <= max_age or (a <= grown and d.chance(0.35))] or [ages[0]]

    def family(self, name: str, district: District, where: str) -> Family:
        fam = Family(self.w.ids.next("F"), f"{name} family", where, district, self.source)
        staff = self.w.staff
        fam.local = {k: staff.local_agency(k, district) for k in LOCAL_KEYS}
        self.c.families.append(fam)
        return fam

    def member(self, fam: Family, person: Person, role: str, resident: bool = True) -> None:
        fam.members.append(Member(person, role, resident, self.source))

    def rel(self, a: Person, b: Person, kind: str) -> None:
        if kind in ("partner_of", "ex_partner_of", "sibling_of") and b.id < a.id:
            a, b = b, a
        self.c.relationships.append(Relationship(a, b, kind, self.source))

    def children(
        self, fam: Family, parents: list[Person], name: str, ages: list[int], step: tuple[Person, ...] = ()
    ) -> list[Person]:
        """Children of `parents` living in fam (step: resident step-parents); same-age children are twins.

        Twins and namesakes are made with a side generator seeded from the child's id, so the county's main
        random stream (and every other record) is the same as without them.
        """
        kids: list[Person] = []
        previous: int | None = None
        for age in ages:
            child_name = name
            if len(parents) == 2 and parents[0].family_name != parents[1].family_name and self.d.chance(0.05):
                child_name = f"{parents[1].family_name}-{parents[0].family_name}"
            twin = kids[-1] if kids and previous == age else None
            kid = self.person(self.child_sex(), age, child_name, fam.postcode)
            self.member(fam, kid, "child")
            for parent in parents:
                self.rel(parent, kid, "parent_of")
            for sp in step:
                self.rel(sp, kid, "step_parent_of")
            if twin is not None:
                _make_twin(twin, kid, fam, parents)
            kids.append(kid)
            previous = age
        _namesake(parents, kids)
        return kids

    def siblings(self, kids: list[Person]) -> None:
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                self.rel(a, b, "sibling_of")

    def parent_age(self, kids_ages: list[int]) -> int:
        return max(kids_ages, default=0) + 17 + int(self.d.rng.triangular(0, 22, 8))


def _make_twin(twin: Person, kid: Person, fam: Family, parents: list[Person]) -> None:
    """kid becomes twin's twin: the same birthday and a different name (half the time a look-alike one)."""
    rng = random.Random(f"twin:{kid.id}")
    kid.dob = twin.dob
    taken = {m.person.given for m in fam.members if m.person is not kid} | {p.given for p in parents}
    if rng.random() < TWIN_LOOK_ALIKE:
        gender, first, second = LOOK_ALIKE_PAIRS[int(rng.random() * len(LOOK_ALIKE_PAIRS))]
        if first not in taken - {twin.given} and second not in taken:
            twin.given, twin.sex, kid.given, kid.sex = first, gender, second, gender
            return
    names = GIVEN_FEMALE if kid.sex == "F" else GIVEN_MALE
    while kid.given in taken:
        kid.given = names[int(rng.random() * min(len(names), 60))]


def _namesake(parents: list[Person], kids: list[Person]) -> None:
    """Now and then a first son takes his father's given name (a first daughter her mother's)."""
    for parent in parents:
        same_sex = [k for k in kids if k.sex == parent.sex]
        chance = NAMESAKE_SON if parent.sex == "M" else NAMESAKE_SON / 4
        if (same_sex and parent.family_name == same_sex[0].family_name
                and random.Random(f"namesake:{parent.id}").random() < chance
                and all(k.given != parent.given for k in kids)):
            same_sex[0].given = parent.given


def make_cluster(world: World, cluster: Cluster, allow_second: bool) -> None:
    """Fill the cluster with one household (and the own household of a parent living elsewhere)."""
    b = _Builder(world, cluster)
    d = world.dice
    shape = SHAPES.draw(d)
    district = _DISTRICT.draw(d)
    where = postcode(d.rng, district)
    if shape == "adult_only":
        _adult_only(b, district, where)
        return
    if shape == "kinship":
        _kinship(b, district, where)
        return
    ages = b.child_ages(_CHILD_COUNT.draw(d))
    m_age = b.parent_age(ages)
    oldest = max(ages)
    if shape == "lone_father":
        dad = b.person("M", m_age + 2, b.surname(), where)
        fam = b.family(dad.family_name, district, where)
        b.member(fam, dad, "parent")
        kids = b.children(fam, [dad], dad.family_name, ages)
        b.siblings(kids)
        if d.chance(0.4):
            mum = b.person("F", m_age, b.surname(), postcode(d.rng, district))
            b.member(fam, mum, "parent", resident=False)
            b.rel(mum, dad, "ex_partner_of")
            for k in kids:
                b.rel(mum, k, "parent_of")
        return
    mum_name = b.surname()
    if shape in ("two_parent", "multi_generation"):
        same_sex = d.chance(0.015)
        dad = b.person(
            "F" if same_sex else "M", max(oldest + 16, m_age + int(d.rng.gauss(2.5, 3))), b.surname(), where
        )
        mum = b.person("F", m_age, dad.family_name if d.chance(0.6) else mum_name, where)
        name = dad.family_name if d.chance(0.85) else mum.family_name
        fam = b.family(name, district, where)
        b.member(fam, mum, "parent")
        b.member(fam, dad, "parent")
        b.rel(mum, dad, "partner_of")
        kids = b.children(fam, [mum, dad], name, ages)
        b.siblings(kids)
        _extras(b, fam, mum, kids, resident_grandparent=shape == "multi_generation")
        return
    # lone mother or step-family: the children's father may live elsewhere, with a household of his own
    mum = b.person("F", m_age, mum_name, where)
    ex_name = b.surname()
    kids_name = ex_name if d.chance(0.5) else mum_name
    ex_included = d.chance(0.65 if shape == "lone_mother" else 0.7)
    second = ex_included and allow_second and d.chance(0.35 if shape == "lone_mother" else 0.4)
    ex_district = district if d.chance(0.8) else _DISTRICT.draw(d)
    ex_age = max(oldest + 16, m_age + int(d.rng.gauss(2.5, 3)))
    ex = b.person("M", ex_age, ex_name, postcode(d.rng, ex_district)) if ex_included else None
    stepdad = (
        b.person("M", max(oldest + 18, m_age + int(d.rng.gauss(1, 4))), b.surname(), where)
        if shape == "step_family"
        else None
    )
    fam = b.family(stepdad.family_name if stepdad and d.chance(0.4) else kids_name, district, where)
    b.member(fam, mum, "parent")
    parents = [mum, ex] if ex else [mum]
    kids = b.children(fam, parents, kids_name, ages, step=(stepdad,) if stepdad else ())
    if stepdad:
        b.member(fam, stepdad, "step_parent")
        b.rel(mum, stepdad, "partner_of")
        if d.chance(0.45):
            kids += b.children(fam, [mum, stepdad], stepdad.family_name, [d.below(max(1, min(ages) + 1))])
    b.siblings(kids)
    if ex:
        b.member(fam, ex, "parent", resident=False)
        b.rel(mum, ex, "ex_partner_of")
        if second:
            _own_household(b, ex, kids[: len(ages)], ex_district)
    _extras(b, fam, mum, kids, resident_grandparent=False)


def _own_household(b: _Builder, ex: Person, elsewhere_kids: list[Person], district: District) -> None:
    """The non-resident father's own household: a new partner, their children and hers."""
    d = b.d
    fam = b.family(ex.family_name, district, ex.postcode)
    joint = b.child_ages(d.between(1, 2), max_age=6) if d.chance(0.75) else []
    age = max(20, ex.age - d.between(0, 8), max(joint, default=0) + 17)
    partner = b.person("F", age, ex.family_name if d.chance(0.5) else b.surname(), ex.postcode)
    b.member(fam, partner, "parent")
    b.rel(ex, partner, "partner_of")
    kids = b.children(fam, [ex, partner], ex.family_name, joint)
    if not joint or d.chance(0.3):
        older = b.child_ages(1, max_age=partner.age - 18)
        kids += b.children(fam, [partner], partner.family_name, older, step=(ex,))
    b.member(fam, ex, "parent" if joint else "step_parent")
    b.siblings(kids)
    for k in elsewhere_kids if joint else []:
        b.rel(k, kids[0], "sibling_of")


def _extras(b: _Builder, fam: Family, mum: Person, kids: list[Person], resident_grandparent: bool) -> None:
    """Grandparents (resident or not) and the odd other adult in the household."""
    d = b.d
    if resident_grandparent or d.chance(0.10):
        gran = b.person(
            "F" if d.chance(0.75) else "M",
            mum.age + d.between(20, 30),
            mum.family_name,
            fam.postcode if resident_grandparent else postcode(d.rng, fam.district),
        )
        b.member(fam, gran, "grandparent", resident=resident_grandparent)
        b.rel(gran, mum, "parent_of")
        for k in kids:
            b.rel(gran, k, "grandparent_of")
    if d.chance(0.03):
        uncle = b.person("M", max(18, mum.age + d.between(-6, 6)), mum.family_name, fam.postcode)
        b.member(fam, uncle, "other_adult")
        b.rel(uncle, mum, "sibling_of")


def _kinship(b: _Builder, district: District, where: str) -> None:
    """Children brought up by a grandparent or another relative (role carer); a parent may stay involved."""
    d = b.d
    ages = b.child_ages(d.between(1, 3))
    mum_age = b.parent_age(ages)
    name = b.surname()
    kids_name = name if d.chance(0.6) else b.surname()
    grandparent = d.chance(0.6)
    carer_age = mum_age + d.between(20, 28) if grandparent else max(21, mum_age + d.between(-8, 8))
    carer = b.person("F", carer_age, name, where)
    fam = b.family(name, district, where)
    b.member(fam, carer, "grandparent" if grandparent else "carer")
    mum = b.person("F", mum_age, name, postcode(d.rng, district)) if d.chance(0.6) else None
    kids = b.children(fam, [mum] if mum else [], kids_name, ages)
    for k in kids:
        b.rel(carer, k, "grandparent_of" if grandparent else "carer_of")
    b.siblings(kids)
    if mum:
        b.member(fam, mum, "parent", resident=False)
        b.rel(carer, mum, "parent_of" if grandparent else "sibling_of")


def _adult_only(b: _Builder, district: District, where: str) -> None:
    """A parent with grown-up children (role child, 18-19) or a young couple expecting a baby."""
    d = b.d
    name = b.surname()
    fam = b.family(name, district, where)
    if d.chance(0.6):
        ages = [d.between(18, 19) for _ in range(d.between(1, 2))]
        parent = b.person("F" if d.chance(0.75) else "M", b.parent_age(ages), name, where)
        b.member(fam, parent, "parent")
        kids = []
        for age in ages:
            kid = b.person(b.child_sex(), age, name, where)
            b.member(fam, kid, "child")
            b.rel(parent, kid, "parent_of")
            kids.append(kid)
        b.siblings(kids)
    else:
        mum = b.person("F", d.between(16, 24), name, where)
        dad = b.person("M", mum.age + d.between(0, 5), b.surname(), where)
        b.member(fam, mum, "parent")
        b.member(fam, dad, "parent")
        b.rel(mum, dad, "partner_of")
