"""The council's casework with a family: early help and social care episodes and lead professionals."""

from __future__ import annotations

from seed.dice import Weighted
from seed.model import Episode, Family, Involvement, Lead, Need, Professional
from seed.routes import FAMILY_SUITED
from seed.work import Work, is_open
from seed.world import World

__all__ = ["Casework"]

END_REASONS: Weighted[str] = Weighted(
    [
        ("Needs met", 0.55),
        ("Stepped down to universal services", 0.15),
        ("Family declined", 0.10),
        ("Stepped up to social care", 0.10),
        ("Moved out of area", 0.05),
        ("Disengaged", 0.05),
    ]
)
_PRIOR_REASONS: Weighted[str] = Weighted(
    [
        ("Needs met", 0.6),
        ("Stepped down to universal services", 0.2),
        ("Family declined", 0.1),
        ("Disengaged", 0.1),
    ]
)
_FW_SERVICE = {"fw": "Early help family support", "fit": "Family intervention", "eoc": "Edge of care support"}
RE_REFERRAL = 0.06  # open early help cases re-opened within 12 months of an earlier episode closing
LATE_RE_REFERRAL = 0.09  # ... re-opened more than 12 months after
TRANSFER = 0.12  # open cases whose lead changed once
EXISTING_LEAD = (
    0.6  # cases with no whole-family work led by a practitioner already involved (DSL, health visitor)
)


class Casework:
    """Episodes and leads for the families of one cluster, after their involvements are known."""

    def __init__(self, world: World, work: Work) -> None:
        self.w = world
        self.d = world.dice
        self.work = work
        self.eh = world.council

    def run(self, fam: Family, plan: str | None, intent: bool) -> None:
        """Give the family its episodes and leads; plan names a planted case (or None)."""
        if plan == "leaderless":
            self._leaderless(fam)
            return
        if plan is not None:
            self._open_case(fam, plan)
            return
        invs = self.work.family_involvements(fam)
        as_of = self.w.as_of
        social = [i for i in invs if i.prof.agency is self.w.social_care and is_open(i.start, i.end, as_of)]
        if social:
            self._social_care(fam, social)
            return
        n = len(self.work.open_professionals(fam))
        needs = self._needs(fam)
        if intent or n >= 4 or (n == 3 and self.d.chance(0.4)):
            self._open_case(fam, None)
        elif needs and self.d.chance(0.22 if any(nd.until is not None for nd in needs) else 0.07):
            self._closed_case(fam)

    # ---- building blocks ----
    def _needs(self, fam: Family) -> list[Need]:
        ids = {m.person.id for m in fam.members}
        return [nd for nd in self.work.c.needs if nd.person.id in ids]

    def _episode(self, fam: Family, kind: str, opened: int, closed: int | None, reason: str) -> Episode:
        d, limit = self.d, closed if closed is not None else self.w.today
        assessed = opened + d.between(10, 42)
        declined = reason == "Family declined" and d.chance(0.6)
        assessment = None if assessed > limit or declined else assessed
        plan = None if assessment is None else assessment + d.between(5, 28)
        if plan is not None and plan > limit:
            plan = None
        source = (self.eh if kind == "early_help" else self.w.social_care).source_id
        ep = Episode(
            self.w.ids.next("EP"),
            kind,
            opened,
            closed,
            reason if closed is not None else "",
            assessment,
            plan,
            source,
        )
        fam.episodes.append(ep)
        return ep

    def _lead(self, fam: Family, prof: Professional, since: int, until: int | None) -> Lead:
        source = (self.w.social_care if prof.agency is self.w.social_care else self.eh).source_id
        lead = Lead(prof, since, until, source)
        fam.leads.append(lead)
        if until is None:
            prof.leads += 1
        return lead

    def _fw_lead(
        self,
        fam: Family,
        since: int,
        until: int | None,
        codes: list[str],
        kind: str = "fw",
        avoid: frozenset[str] = frozenset(),
    ) -> Professional:
        """A family worker leads (and works with the whole family) from since until until."""
        prof = self.w.staff.pick(self.eh, kind, fam.district, avoid=avoid, lead=True)
        self.w.involve(self.work.c, prof, None, fam, list(codes), _FW_SERVICE[kind], since, until)
        self._lead(fam, prof, since, until)
        return prof

    def _fw_codes(self, fam: Family, since: int) -> list[str]:
        """Needs for open whole-family work: those left to it, an unmet one, or one the assessment finds."""
        codes = self.work.family_codes.get(fam.id)
        if codes:
            return sorted(set(codes))
        needs = self._needs(fam)
        unmet = [nd for nd in needs if nd.until is None and not nd.met]
        found = self.d.pick(unmet) if unmet else self.work.new_family_need(fam, since)
        if found is not None:
            found.met = True
            self.work.family_codes[fam.id] = [found.code]
            return [found.code]
        open_codes = sorted({nd.code for nd in needs if nd.until is None})
        suited = [c for c in open_codes if c in FAMILY_SUITED] or open_codes
        return [self.d.pick(suited)] if suited else ["parental_conflict"]

    def _past_codes(self, fam: Family) -> list[str]:
        """Needs for whole-family work that has ended: the family's closed needs, else any of theirs."""
        needs = self._needs(fam)
        codes = sorted({nd.code for nd in needs if nd.until is not None}) or sorted({nd.code for nd in needs})
        return self.d.sample(codes, self.d.between(1, 2)) if codes else ["parental_conflict"]

    def _capable(self, fam: Family, room: bool = True) -> list[Involvement]:
        """Open person-level work by practitioners outside early help who can lead (and have room to)."""
        as_of = self.w.as_of
        return [
            i
            for i in self.work.family_involvements(fam)
            if is_open(i.start, i.end, as_of)
            and i.person is not None
            and i.prof.agency is not self.eh
            and i.prof.lead_capacity is not None
            and (not room or i.prof.leads < i.prof.lead_capacity)
        ]

    def _opened(self, fam: Family) -> int:
        today = self.w.today
        starts = [nd.since for nd in self._needs(fam) if nd.until is None]
        first = min(starts) if starts else today - self.d.between(30, 400)
        return min(today - 1, max(first, today - 540) + self.d.between(0, 60))

    # ---- case shapes ----
    def _open_case(self, fam: Family, plan: str | None) -> None:
        d, today, as_of = self.d, self.w.today, self.w.as_of
        opened = as_of - d.between(420, 640) if plan == "repeated_transfers" else self._opened(fam)
        self._episode(fam, "early_help", opened, None, "")
        if plan == "two_open_early_help":
            self._episode(fam, "early_help", min(today, opened + d.between(20, 150)), None, "")
        elif plan is None:
            soon = self.w.quota("re_referral", RE_REFERRAL).draw()
            if soon or self.w.quota("late_re_referral", LATE_RE_REFERRAL).draw():
                self._prior_episode(fam, opened, soon)
        since = min(today, opened + d.between(0, 21))
        capable = self._capable(fam)
        if plan is None and capable and not self.work.family_codes.get(fam.id) and d.chance(EXISTING_LEAD):
            inv = d.pick(capable)
            self._lead(fam, inv.prof, min(today, max(since, inv.start)), None)
            return
        codes = self._fw_codes(fam, opened)
        if plan == "repeated_transfers":
            self._transfer_chain(fam, opened, codes)
            return
        if plan is None and d.chance(TRANSFER) and since + 40 < today - 10:
            moved = d.between(since + 30, today - 10)
            first = self._fw_lead(fam, since, moved, codes)
            self._fw_lead(fam, moved, None, codes, avoid=frozenset({first.id}))
        else:
            self._fw_lead(fam, since, None, codes)
        second = self._capable(fam, room=False) if plan == "two_leads" else []
        if second:
            inv = d.pick(second)
            self._lead(fam, inv.prof, min(today, max(since, inv.start) + d.between(0, 45)), None)

    def _prior_episode(self, fam: Family, opened: int, soon: bool) -> None:
        """An earlier early help episode, closed; soon: re-opened within 12 months, else after longer."""
        d = self.d
        gap = d.between(20, 330) if soon else d.between(380, 700)
        closed = opened - gap
        start = closed - d.between(90, 400)
        self._episode(fam, "early_help", start, closed, _PRIOR_REASONS.draw(d))
        if d.chance(0.85):
            self._fw_lead(fam, start + d.between(0, 21), closed, self._past_codes(fam))

    def _transfer_chain(self, fam: Family, opened: int, codes: list[str]) -> None:
        """Three or four lead changes in the last 12 months, each to a different team."""
        d, as_of = self.d, self.w.as_of
        changes = sorted(d.sample(range(as_of - 340, self.w.today - 5, 14), 3 if d.chance(0.7) else 4))
        sinces = [opened + d.between(5, 30), *changes]
        kind, prev = "fw", frozenset[str]()
        for idx, since in enumerate(sinces):
            until = sinces[idx + 1] if idx + 1 < len(sinces) else None
            prof = self._fw_lead(fam, since, until, codes, kind, avoid=prev)
            prev = frozenset({prof.id})
            kind = d.pick([k for k in ("fw", "fit", "eoc") if k != kind])

    def _leaderless(self, fam: Family) -> None:
        """Many practitioners and no lead: an early help case awaiting allocation, or none at all."""
        d, today = self.d, self.w.today
        if not d.chance(0.5):
            return
        opened = today - d.between(20, 200)
        self._episode(fam, "early_help", opened, None, "")
        if d.chance(0.4) and opened + 20 < today - 7:
            since = opened + d.between(0, 10)
            self._fw_lead(fam, since, d.between(since + 7, today - 7), self._past_codes(fam))

    def _social_care(self, fam: Family, social: list[Involvement]) -> None:
        """An open social care case led by its social worker, sometimes stepped up from early help."""
        d, today = self.d, self.w.today
        first = min(social, key=lambda i: i.start)
        opened = first.start - d.between(0, 14)
        if d.chance(0.3):
            start = opened - d.between(60, 300)
            self._episode(fam, "early_help", start, opened, "Stepped up to social care")
            self._fw_lead(fam, start + d.between(0, 21), opened, self._past_codes(fam))
        self._episode(fam, "social_care", opened, None, "")
        self._lead(fam, first.prof, min(today, opened + d.between(0, 10)), None)

    def _closed_case(self, fam: Family) -> None:
        """A past early help episode (and the social care episode it stepped up to, when closed since)."""
        d, today = self.d, self.w.today
        opened = today - d.between(200, 1000)
        closed = min(opened + d.between(90, 450), today - d.between(1, 30))
        reason = END_REASONS.draw(d)
        csc_opened = closed + d.between(0, 7)
        csc_closed = csc_opened + d.between(60, 300)
        if reason == "Stepped up to social care" and csc_closed >= today:
            reason = "Needs met"
        self._episode(fam, "early_help", opened, closed, reason)
        if reason == "Stepped up to social care":
            self._episode(fam, "social_care", csc_opened, csc_closed, "Stepped down to universal services")
        if d.chance(0.8):
            self._fw_lead(fam, opened + d.between(0, 21), closed, self._past_codes(fam))
