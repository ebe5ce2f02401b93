"""Unmet needs counted in one pass give what the frame-based count gives, on random tables with gaps."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from queries.coverage import UnmetNeed, _unmet


def _frame_way(needs: pd.DataFrame, inv: pd.DataFrame) -> tuple[UnmetNeed, ...]:
    """The plain pandas way: a person's need is met by open work with them, or with their whole family."""
    person_level = set(zip(inv.person_id, inv.need_code, strict=True))
    whole = inv[inv.person_id.isna()]
    family_level = set(zip(whole.family_id, whole.need_code, strict=True))
    people = needs.drop_duplicates(["person_id", "need_code", "family_id"])
    met = [(p, n) in person_level or (f, n) in family_level
           for p, n, f in zip(people.person_id, people.need_code, people.family_id, strict=True)]
    people = people.assign(met=met).groupby(["person_id", "need_code"]).met.any().reset_index()
    result = people.groupby("need_code").agg(people=("person_id", "nunique"), met=("met", "sum"))
    return tuple(UnmetNeed(str(code), int(r.people), int(r.people - r.met)) for code, r in result.iterrows())


@pytest.mark.parametrize("seed", range(8))
def test_unmet_needs_match_the_frame_way(seed: int) -> None:
    rng = random.Random(seed)
    codes = ["housing", "mental_health", "domestic_abuse", "school_attendance", None]
    families = [f"F{i}" for i in range(rng.randrange(1, 40))]
    people = [(f"P{i}", rng.choice(families)) for i in range(rng.randrange(1, 120))]
    needs = pd.DataFrame([(f, p, rng.choice(codes)) for p, f in rng.choices(people, k=rng.randrange(0, 300))]
                         + [(rng.choice(families), None, "housing")],  # a need with no person is not counted
                         columns=["family_id", "person_id", "need_code"], dtype=object)
    inv = pd.DataFrame([(f, p if rng.random() < 0.6 else None, rng.choice(codes))
                        for p, f in rng.choices(people, k=rng.randrange(0, 200))],
                       columns=["family_id", "person_id", "need_code"], dtype=object)
    found = _unmet(needs, inv)
    assert found == _frame_way(needs, inv)
    assert sum(u.people for u in found) == len({(p, n) for _, p, n in needs.itertuples(index=False)
                                               if p is not None and n is not None})
