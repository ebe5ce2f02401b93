"""Front door: is this person or family already known, who leads, who else is involved?

Tolerant of misspelt names (phonetic candidates, Jaro-Winkler scoring), nicknames (Bob = Robert),
and dates of birth with swapped day and month or a one-digit typo.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from graphmodel.contract import GraphStore
from graphmodel.dates import day_month_swapped
from graphmodel.names import family_key, given_key, person_name, phonetic, postcode_display, postcode_key
from graphmodel.nicknames import related_names
from graphmodel.records import FamilySnapshot, PersonHitRecord
from queries.common import as_of_or_default
from queries.rereferral import history_from_snapshot
from queries.team import team_from_snapshot

__all__ = ["FamilySummary", "FrontDoorHit", "LeadContact", "dob_similarity", "search"]

MIN_SCORE = 0.6
CANDIDATES = 100
"""Most people one key lookup brings back: the best by the store's estimate of the score below (exact for names that
match exactly, by nickname included, and for the date of birth and postcode), so a common name's crowd does not push
out the person asked about or a near match."""
BY_SOUND = 500
"""Most people a one-word name's family-name sound brings back (the first by id, unranked)."""


@dataclass(frozen=True, slots=True)
class LeadContact:
    """How to reach a family's lead professional."""

    professional_id: str
    name: str
    agency: str
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class FamilySummary:
    """What the Hub needs to know about a family at a glance."""

    family_id: str
    family_name: str
    known: bool
    leads: tuple[LeadContact, ...]
    open_episodes: int
    professionals: int
    previously_known: str | None = None  # "Previously known: early help closed on 31/03/2025 (Needs met)."
    re_referrals: tuple[str, ...] = ()  # one sentence per re-referral (queries.rereferral)


@dataclass(frozen=True, slots=True)
class FrontDoorHit:
    """A person who may be the one asked about, how well they match, and their families."""

    person_id: str
    name: str
    dob: str | None
    postcode: str | None
    score: float
    why: tuple[str, ...]
    families: tuple[FamilySummary, ...]


def dob_similarity(asked: str, held: str | None) -> tuple[float, str]:
    """1 for the same date; less for a day/month swap, a one-digit typo or the same year."""
    if not held:
        return 0.0, "no date of birth held"
    if asked == held:
        return 1.0, "same date of birth"
    if asked[:4] == held[:4] and asked[5:7] == held[8:10] and asked[8:10] == held[5:7]:
        return 0.8, "date of birth with day and month swapped"
    if len(asked) == len(held) and sum(map(operator.ne, asked, held)) == 1:
        return 0.6, "date of birth one digit different"
    if asked[:4] == held[:4]:
        return 0.3, "same year of birth"
    return 0.0, "different date of birth"


def _similarity(asked: str, held: str, memo: dict[tuple[str, str], float]) -> float:
    """Jaro-Winkler similarity, remembered for one search (common names repeat across candidates)."""
    key = (asked, held)
    if key not in memo:
        memo[key] = JaroWinkler.similarity(asked, held)
    return memo[key]


def _score(hit: PersonHitRecord, given: str, family: str, dob: str | None, postcode: str,
           memo: dict[tuple[str, str], float], explain: bool = True) -> tuple[float, list[str]]:
    """The weighted match score and, when explain is set, one reason per part (kept for the best hits only)."""
    parts: list[tuple[float, float]] = []
    why: list[str] = []
    if family:
        sim = _similarity(family, hit.family_key or "", memo)
        parts.append((0.35, sim))
        if explain:
            why.append(f"family name {'matches' if sim == 1 else f'is similar ({sim:.2f})'}")
    if given:
        held = hit.given_key or ""
        nickname = held != given and held in related_names(given)
        sim = 1.0 if nickname else _similarity(given, held, memo)
        parts.append((0.25, sim))
        if explain:
            why.append("given name is a nickname or full form of the name asked" if nickname else
                       f"given name {'matches' if sim == 1 else f'is similar ({sim:.2f})'}")
    if dob:
        sim, text = dob_similarity(dob, hit.dob)
        parts.append((0.3, sim))
        why.append(text)
    if postcode:
        held = hit.postcode or ""
        sim = 1.0 if held == postcode else 0.5 if held[:-3] == postcode[:-3] and held else 0.0
        parts.append((0.1, sim))
        if explain:
            why.append("same postcode" if sim == 1 else "same postcode district" if sim else "different postcode")
    total = sum(w for w, _ in parts)
    return (sum(w * s for w, s in parts) / total if total else 0.0), why


def _split_name(text: str) -> tuple[str, str]:
    words = text.strip().split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", family_key(words[0])
    return given_key(words[0]), family_key(" ".join(words[1:]))


def search(store: GraphStore, name: str = "", dob: str | None = None, postcode: str | None = None,
           as_of: str | None = None, limit: int = 10) -> list[FrontDoorHit]:
    """People matching a name, date of birth and/or postcode, best first, with their families' status."""
    as_of = as_of_or_default(store, as_of)
    given, family = _split_name(name)
    pc = postcode_key(postcode)
    if not (given or family or dob or pc):
        return []
    sound = phonetic(family) or None
    forms = sorted(related_names(given))
    single = given_key(name) if len(name.split()) == 1 else ""
    rank: dict[str, object] = {"limit": CANDIDATES}  # each lookup keeps its best candidates by estimated score,
    if given or dob or pc:  # unless a one-word name is all that is asked (every candidate scores alike on it)
        rank.update(rank_family=family or None, rank_given=given or None, rank_dob=dob, rank_postcode=pc or None)
    searches: list[dict[str, object]] = []
    if sound and forms:  # Bob Smith finds Robert Smith: any given name with an initial of the name or its nicknames
        searches += [{"family_phonetic": sound, "given_prefix": initial, **rank}
                     for initial in sorted({form[:1] for form in forms})]
    elif sound:  # a one-word name: the first by id with that sound (ranking a whole surname would cost more than
        searches.append({"family_phonetic": sound, "limit": BY_SOUND})  # it changes; date and postcode are asked too)
    if dob:
        searches.append({"dob": dob, **rank})
    if pc:
        searches.append({"postcode": pc, **rank})
    searches += [{"given_key": form, **rank} for form in sorted(related_names(single))]
    swapped = day_month_swapped(dob)
    if swapped and swapped != dob:
        searches.append({"dob": swapped, **rank})
    found = store.search_people_many(searches)  # one round trip
    candidates = [hit for hits in found for hit in hits]
    scored = {}
    memo: dict[tuple[str, str], float] = {}
    for hit in dict.fromkeys(candidates):  # a person found by two keys is the same record: scored once
        score, _ = _score(hit, given, family, dob, pc, memo, explain=False)
        asked = (given, family)
        if single:
            alt, _ = _score(hit, single, "", dob, pc, memo, explain=False)
            if alt > score:
                score, asked = alt, (single, "")
        if score >= MIN_SCORE:
            scored[hit.person_id] = (round(score, 3), asked, hit)
    best = [(score, _score(hit, *asked, dob, pc, memo)[1], hit)
            for score, asked, hit in sorted(scored.values(), key=lambda s: (-s[0], s[2].person_id))[:limit]]
    snapshots = store.family_snapshots((fid for _, _, hit in best for fid in hit.family_ids), sources=False)
    summaries = {fid: _summary(snap, as_of) for fid, snap in snapshots.items()}
    results = []
    for score, why, hit in best:
        results.append(FrontDoorHit(hit.person_id, person_name(hit.given_name, hit.family_name), hit.dob,
                                    postcode_display(hit.postcode),
                                    score, tuple(why), tuple(summaries[f] for f in hit.family_ids if f in summaries)))
    return results


def _summary(snap: FamilySnapshot, as_of: str) -> FamilySummary:
    team = team_from_snapshot(snap, as_of)
    profs = {p.id: p for p in snap.professionals}
    agencies = {a.id: a.name for a in snap.agencies}
    leads = tuple(LeadContact(pid, profs[pid].name, agencies[profs[pid].agency_id], profs[pid].phone,
                              profs[pid].email) for pid in team.lead_ids)
    known = bool(team.team or team.open_episodes or leads)
    history = history_from_snapshot(snap, as_of)
    return FamilySummary(snap.family.id, snap.family.name, known, leads, len(team.open_episodes),
                         team.professional_count, history.previously_known,
                         tuple(r.sentence for r in history.re_referrals))
