"""A deterministic synthetic county: families, people, professionals, needs and casework, with planted cases.

Streams: each cluster of families (a household and, sometimes, the own household of a parent living
elsewhere) is generated, checked against the rules and written before the next is started, so memory
stays flat however many families are asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from seed.casework import Casework
from seed.dates import ordinal
from seed.dice import Dice
from seed.households import make_cluster
from seed.identifiers import IdCounter
from seed.model import Cluster, Family
from seed.needs import INTENSITY, Needs, make_needs
from seed.planting import LOOKALIKE_KINDS, plant_duplicate_people, plant_duplicated_work, plant_lookalike
from seed.staff import Staff
from seed.truth import detect
from seed.work import Home, Work
from seed.world import World
from seed.writer import Sink

__all__ = ["GenerationSummary", "generate"]

ProgressFn = Callable[[int, int], None]
PROGRESS_EVERY = 1000
COVERAGE_YEARS = 6
# planted family-level cases (one at most per family), each for about this share of families with children
PLAN_RATES: dict[str, float] = {
    "leaderless": 0.011,
    "two_leads": 0.011,
    "repeated_transfers": 0.011,
    "two_open_early_help": 0.011,
}
DUPLICATED_WORK = 0.022
LOOKALIKE = 0.012  # each kind of duplicated-work look-alike (parallel, shared care, sequential, same professional)
_INTENT = (0.0, 0.08, 0.3, 0.55)  # chance of an open early help case by number of open needs (4+: 0.8)


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """What was written: rows per import file and per truth file (planted cases)."""

    families: int
    seed: int
    as_of: str
    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    truth: dict[str, int] = field(default_factory=dict)


def generate(
    families: int, seed: int, out_dir: Path, *, as_of: str = "2026-11-01", progress: ProgressFn | None = None
) -> GenerationSummary:
    """Write a county of `families` families to out_dir: one CSV per import file, truth/, its manifest."""
    if families < 1:
        raise ValueError(f"families must be at least 1, got {families}")
    day = ordinal(as_of)
    dice = Dice(seed)
    ids = IdCounter()
    staff = Staff(dice, families, day, ids)
    world = World(dice, day, ids, staff, staff.agency_of("eh"), staff.agency_of("csc"))
    out_dir = Path(out_dir)
    with Sink(out_dir) as sink:
        sink.agencies(staff.agencies, day - COVERAGE_YEARS * 365 - 1)
        sink.professionals(staff.professionals)
        done = 0
        while done < families:
            cluster = Cluster()
            truth = _build(world, cluster, allow_second=families - done >= 2)
            sink.cluster(cluster)
            for name, rows in truth.items():
                sink.write_truth(name, rows)
            before = done
            done += len(cluster.families)
            if progress is not None and (
                done // PROGRESS_EVERY > before // PROGRESS_EVERY or done == families
            ):
                progress(done, families)
    summary = GenerationSummary(families, seed, as_of, out_dir, dict(sink.rows), dict(sink.truth))
    manifest = {k: v for k, v in asdict(summary).items() if k != "out_dir"}
    (out_dir / "truth" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return summary


def _build(world: World, cluster: Cluster, allow_second: bool) -> dict[str, list[tuple[str, ...]]]:
    """Generate one cluster end to end; returns its truth rows."""
    d = world.dice
    make_cluster(world, cluster, allow_second)
    homes = _homes(cluster)
    needs = Needs(world, cluster)
    plans: dict[str, str | None] = {}
    duplicated: list[Family] = []
    for fam in cluster.families:
        plan = _plan(world, any(m.role == "child" for m in fam.members))
        plans[fam.id] = plan
        if world.quota("duplicated_involvement", DUPLICATED_WORK).draw():
            duplicated.append(fam)
        m = INTENSITY.draw(d)
        if plan is not None or fam in duplicated:
            m = max(m, 2.6 if plan == "leaderless" else 1.4)
        make_needs(world, needs, fam, m)
    work = Work(world, cluster, needs, homes)
    intent: set[str] = set()
    open_by_person: dict[str, int] = {}
    for nd in cluster.needs:
        if nd.until is None:
            open_by_person[nd.person.id] = open_by_person.get(nd.person.id, 0) + 1
    for fam in cluster.families:
        if plans[fam.id] is not None:  # planted cases are kept clear of social care
            work.no_social_care.add(fam.id)
        open_needs = sum(open_by_person.get(m.person.id, 0) for m in fam.members)
        chance = _INTENT[open_needs] if open_needs < len(_INTENT) else 0.8
        if plans[fam.id] in ("two_leads", "repeated_transfers", "two_open_early_help") or d.chance(chance):
            intent.add(fam.id)
            work.no_social_care.add(fam.id)
    work.assign_all(intent)
    truth: dict[str, list[tuple[str, ...]]] = {"duplicate_people": plant_duplicate_people(world, work)}
    for fam in duplicated:
        plant_duplicated_work(world, work, fam)
    for fam in cluster.families:
        for kind in LOOKALIKE_KINDS:
            if world.quota(f"lookalike_{kind}", LOOKALIKE).draw():
                plant_lookalike(world, work, fam, kind)
    for fam in cluster.families:
        plan = plans[fam.id]
        if plan == "leaderless":
            for _ in range(8):
                if len(work.open_professionals(fam)) >= 5:
                    break
                work.top_up(fam)
        elif plan == "two_leads":
            work.top_up(fam, lead_capable=True)
        elif plan is not None and not any(open_by_person.get(m.person.id) for m in fam.members):
            work.top_up(fam)
    casework = Casework(world, work)
    for fam in cluster.families:
        casework.run(fam, plans[fam.id], fam.id in intent)
    truth.update(detect(cluster, world.as_of))
    return truth


def _plan(world: World, has_children: bool) -> str | None:
    """The planted case due for this family, if any (only families with children take one)."""
    quotas = [world.quota(name, rate) for name, rate in PLAN_RATES.items()]
    for q in quotas:
        q.tick()
    if not has_children:
        return None
    for name, q in zip(PLAN_RATES, quotas, strict=True):
        if q.due:
            q.take()
            return name
    return None


def _homes(cluster: Cluster) -> dict[str, Home]:
    """Each person's home family (where they live, else where known) and whether an adult there."""
    homes: dict[str, Home] = {}
    for fam in cluster.families:
        for m in fam.members:
            if m.resident or m.person.id not in homes:
                homes[m.person.id] = (fam, m.adult)
    return homes
