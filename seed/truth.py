"""The known answers: each rule recomputed from one cluster's final records."""

from __future__ import annotations

from seed.model import Cluster, Family, Involvement
from seed.work import is_open

__all__ = ["TRUTH_COLUMNS", "detect"]

TRUTH_COLUMNS: dict[str, tuple[str, ...]] = {
    "duplicated_involvement": ("family_id", "need_code", "involvement_ids"),
    "duplicated_involvement_background": ("family_id", "need_code", "involvement_ids"),
    "leaderless": ("family_id", "professionals"),
    "two_leads": ("family_id",),
    "two_open_early_help": ("family_id", "episode_ids"),
    "re_referrals": ("family_id", "closed_episode_id", "reopened_episode_id", "gap_days"),
    "repeated_transfers": ("family_id", "lead_changes"),
    "duplicate_people": ("person_id", "duplicate_person_id", "variant"),
    "different_people": ("person_id", "other_person_id", "kind"),
}
"""different_people: pairs that look alike but are two people (kind: twins, twins_look_alike, triplets,
namesakes (a parent and child with one name), siblings (same surname and address), half_siblings
(different surnames: step-families)). Record linkage must never put them in one group."""
LEADERLESS_MIN = 5
YEAR = 365
Row = tuple[str, ...]


def detect(cluster: Cluster, as_of: int) -> dict[str, list[Row]]:
    """Rows of every truth file (but duplicate_people) for the families of a cluster."""
    out: dict[str, list[Row]] = {name: [] for name in TRUTH_COLUMNS if name != "duplicate_people"}
    out["different_people"] = _different_people(cluster)
    for fam in cluster.families:
        ids = {m.person.id for m in fam.members}
        invs = [
            i
            for i in cluster.involvements
            if is_open(i.start, i.end, as_of)
            and (i.family is fam or (i.person is not None and i.person.id in ids))
        ]
        for code, inv_ids in _duplicated(fam, invs):
            planted = f"duplicated_involvement:{code}" in fam.plants
            name = "duplicated_involvement" if planted else "duplicated_involvement_background"
            out[name].append((fam.id, code, ";".join(inv_ids)))
        profs = sorted({i.prof.id for i in invs})
        leads = sorted({ld.prof.id for ld in fam.leads if is_open(ld.since, ld.until, as_of)})
        if len(profs) >= LEADERLESS_MIN and not leads:
            out["leaderless"].append((fam.id, ";".join(profs)))
        if len(leads) >= 2:
            out["two_leads"].append((fam.id,))
        early = sorted((e for e in fam.episodes if e.kind == "early_help"), key=lambda e: (e.opened, e.id))
        open_eh = [e.id for e in early if is_open(e.opened, e.closed, as_of)]
        if len(open_eh) >= 2:
            out["two_open_early_help"].append((fam.id, ";".join(sorted(open_eh))))
        for e in early:
            if e.closed is None:
                continue
            later = [x for x in early if x is not e and x.opened >= e.closed]
            if later:
                nxt = min(later, key=lambda x: (x.opened, x.id))
                gap = nxt.opened - e.closed
                if gap < YEAR:
                    out["re_referrals"].append((fam.id, e.id, nxt.id, str(gap)))
        changes = sorted(ld.since for ld in fam.leads)[1:]
        most = max((sum(1 for c in changes if s <= c < s + YEAR) for s in changes), default=0)
        if most >= 3:
            out["repeated_transfers"].append((fam.id, str(most)))
    return out


def _duplicated(fam: Family, invs: list[Involvement]) -> list[tuple[str, list[str]]]:
    """(need, involvement ids) where 2+ agencies work openly on one need of one member or the family."""
    found: list[tuple[str, list[str]]] = []
    for code in sorted({c for i in invs for c in i.codes}):
        on_code = [i for i in invs if code in i.codes]
        whole = [i for i in on_code if i.person is None]
        people = {i.person.id: i.person for i in on_code if i.person is not None}
        groups = [whole] + [[i for i in on_code if i.person is p] + whole for p in people.values()]
        hit: dict[str, None] = {}
        for group in groups:
            if len({i.prof.agency.id for i in group}) >= 2:
                hit.update((i.id, None) for i in group)
        if hit:
            found.append((code, sorted(hit)))
    return found


def _different_people(cluster: Cluster) -> list[Row]:
    """Pairs of people in a household that a matcher could take for one: twins, namesakes, siblings."""
    rows: list[Row] = []
    for rel in cluster.relationships:
        a, b = sorted((rel.a, rel.b), key=lambda p: p.id)
        kind = None
        if rel.kind == "sibling_of" and a.dob == b.dob:
            multiple = sum(1 for r in cluster.relationships if r.kind == "sibling_of" and a.dob == r.a.dob == r.b.dob
                           and {a.id, b.id} & {r.a.id, r.b.id})
            kind = "triplets" if multiple > 1 else "twins_look_alike" if _look_alike(a.given, b.given) else "twins"
        elif rel.kind == "sibling_of":
            kind = "siblings" if a.family_name == b.family_name else "half_siblings"
        elif rel.kind in ("parent_of", "grandparent_of") and a.given == b.given and a.family_name == b.family_name:
            kind = "namesakes"
        if kind is not None:
            rows.append((a.id, b.id, kind))
    return sorted(set(rows))


def _look_alike(a: str, b: str) -> bool:
    """Names one letter apart or sharing all but their ending (Ava/Eva, Harry/Harvey)."""
    short, long = sorted((a.lower(), b.lower()), key=len)
    if len(long) - len(short) <= 1 and sum(x != y for x, y in zip(short, long, strict=False)) <= 1:
        return True
    return len(short) >= 3 and long.startswith(short[:3])
