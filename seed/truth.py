"""The known answers: each rule recomputed from one cluster's final records."""

from __future__ import annotations

from seed.model import Cluster, Family, Involvement
from seed.work import is_open

__all__ = ["TRUTH_COLUMNS", "detect"]

TRUTH_COLUMNS: dict[str, tuple[str, ...]] = {
    "duplicated_involvement": ("family_id", "need_code", "person_id", "involvement_ids"),
    "duplicated_involvement_background": ("family_id", "need_code", "person_id", "involvement_ids"),
    "duplicate_lookalikes": ("family_id", "need_code", "person_ids", "kind", "involvement_ids"),
    "parallel_work": ("family_id", "need_code", "person_ids"),
    "leaderless": ("family_id", "professionals"),
    "two_leads": ("family_id",),
    "two_open_early_help": ("family_id", "episode_ids"),
    "re_referrals": ("family_id", "closed_episode_id", "next_kind", "next_id", "gap_days"),
    "repeated_transfers": ("family_id", "lead_changes"),
    "duplicate_people": ("person_id", "duplicate_person_id", "variant"),
}
LEADERLESS_MIN = 5
YEAR = 365
Row = tuple[str, ...]
# Shared care (the generator's own statement of the rule, kept apart from the product's taxonomy):
# (universal sector, specialist sector, need). The universal side is set aside when its partner is present.
SHARED_CARE: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("primary_care", "adult_mental_health", "mental_health"),
        ("primary_care", "camhs", "mental_health"),
        ("school", "camhs", "mental_health"),
        ("primary_care", "drug_alcohol", "substance_misuse"),
        ("primary_care", "adult_social_care", "physical_health"),
        ("school", "youth_offending", "crime_asb"),
        ("police", "youth_offending", "crime_asb"),
        ("police", "probation", "crime_asb"),
    }
)
LOOKALIKE = "lookalike"  # fam.plants entries "lookalike|kind|need|person ids joined by ;"
DUPLICATED = "duplicated_involvement"  # fam.plants entries "duplicated_involvement|need|person id"


def detect(cluster: Cluster, as_of: int) -> dict[str, list[Row]]:
    """Rows of every truth file (but duplicate_people) for the families of a cluster."""
    out: dict[str, list[Row]] = {name: [] for name in TRUTH_COLUMNS if name != "duplicate_people"}
    for fam in cluster.families:
        ids = {m.person.id for m in fam.members}
        invs = [
            i
            for i in cluster.involvements
            if is_open(i.start, i.end, as_of)
            and (i.family is fam or (i.person is not None and i.person.id in ids))
        ]
        duplicated = _duplicated(invs)
        for code, person_id, inv_ids in duplicated:
            planted = f"{DUPLICATED}|{code}|{person_id}" in fam.plants
            name = "duplicated_involvement" if planted else "duplicated_involvement_background"
            out[name].append((fam.id, code, person_id, ";".join(inv_ids)))
        for code, person_ids in _parallel(invs):
            out["parallel_work"].append((fam.id, code, ";".join(person_ids)))
        flagged = {(code, pid) for code, pid, _ in duplicated}
        for plant in sorted(fam.plants):
            if plant.startswith(LOOKALIKE + "|"):
                _, kind, code, pids = plant.split("|")
                if not any((code, p) in flagged for p in pids.split(";")):
                    work = sorted({i.id for i in invs if code in i.codes and i.person is not None
                                   and i.person.id in pids.split(";")} | _sequential_ids(kind, code, pids, cluster))
                    out["duplicate_lookalikes"].append((fam.id, code, pids, kind, ";".join(work)))
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
        out["re_referrals"].extend(_re_referrals(fam, cluster, as_of))
        changes = sorted(ld.since for ld in fam.leads)[1:]
        most = max((sum(1 for c in changes if s <= c < s + YEAR) for s in changes), default=0)
        if most >= 3:
            out["repeated_transfers"].append((fam.id, str(most)))
    return out


def _duplicated(invs: list[Involvement]) -> list[tuple[str, str, list[str]]]:
    """(need, person id or '' for the whole family, involvement ids) of duplicated work, by person.

    For each member, their own open work on a need plus the family's whole-family work on it; duplicated when
    two or more professionals remain after the universal side of a shared-care pairing is set aside. Whole-family
    work alone is duplicated when two or more professionals do it.
    """
    found: list[tuple[str, str, list[str]]] = []
    for code in sorted({c for i in invs for c in i.codes}):
        on_code = [i for i in invs if code in i.codes]
        whole = [i for i in on_code if i.person is None]
        if len({i.prof.id for i in whole}) >= 2:
            found.append((code, "", sorted(i.id for i in whole)))
        for pid in sorted({i.person.id for i in on_code if i.person is not None}):
            group = [i for i in on_code if i.person is not None and i.person.id == pid] + whole
            sectors = {i.prof.agency.sector for i in group}
            core = [i for i in group
                    if not any((i.prof.agency.sector, other, code) in SHARED_CARE for other in sectors)]
            if len({i.prof.id for i in core}) >= 2:
                found.append((code, pid, sorted(i.id for i in core)))
    return found


def _parallel(invs: list[Involvement]) -> list[tuple[str, list[str]]]:
    """(need, person ids) where two or more members have their own open work on a need and no one professional
    works with all of them."""
    found: list[tuple[str, list[str]]] = []
    for code in sorted({c for i in invs for c in i.codes}):
        own: dict[str, set[str]] = {}
        for i in invs:
            if code in i.codes and i.person is not None:
                own.setdefault(i.person.id, set()).add(i.prof.id)
        if len(own) >= 2 and not set.intersection(*own.values()):
            found.append((code, sorted(own)))
    return found


def _sequential_ids(kind: str, code: str, pids: str, cluster: Cluster) -> set[str]:
    """The ended involvement of a planted sequential look-alike (it is not open, so not among the open ones)."""
    if kind != "sequential":
        return set()
    return {i.id for i in cluster.involvements if code in i.codes and i.person is not None
            and i.person.id in pids.split(";") and i.end is not None}


def _re_referrals(fam: Family, cluster: Cluster, as_of: int) -> list[Row]:
    """Closed early help episodes followed within 365 days by a new early help or social care episode, or by new
    children's social care work with a member or the family (the first such contact)."""
    ids = {m.person.id for m in fam.members}
    contacts = [(e.opened, 0 if e.kind == "early_help" else 1, e.kind, e.id) for e in fam.episodes]
    contacts += [(i.start, 2, "social_care_work", i.id) for i in cluster.involvements
                 if i.prof.agency.sector == "childrens_social_care"
                 and (i.family is fam or (i.person is not None and i.person.id in ids))]
    rows: list[Row] = []
    for e in sorted(fam.episodes, key=lambda x: (x.opened, x.id)):
        if e.kind != "early_help" or e.closed is None or e.closed > as_of:
            continue
        closed = e.closed
        later = sorted(c for c in contacts if c[3] != e.id and closed <= c[0] <= min(as_of, closed + YEAR))
        if later:
            when, _, kind, next_id = later[0]
            rows.append((fam.id, e.id, kind, next_id, str(when - closed)))
    return rows
