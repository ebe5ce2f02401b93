"""What every step of generating a cluster shares: dice, reference date, ids, staff, the council's extract."""

from __future__ import annotations

from dataclasses import dataclass, field

from seed.dice import Dice
from seed.identifiers import IdCounter
from seed.model import Agency, Cluster, Family, Involvement, Person, Professional
from seed.quota import Quota
from seed.staff import Staff

__all__ = ["World"]


@dataclass(slots=True)
class World:
    """Shared state of one generation run (small: no family data is kept here)."""

    dice: Dice
    as_of: int
    ids: IdCounter
    staff: Staff
    council: Agency  # the early help service: source of families, people, needs, episodes and leads
    social_care: Agency
    quotas: dict[str, Quota] = field(default_factory=dict)

    def quota(self, name: str, rate: float) -> Quota:
        """The run's quota of a planted case (created on first use)."""
        found = self.quotas.get(name)
        if found is None:
            found = self.quotas[name] = Quota(self.dice, rate)
        return found

    @property
    def today(self) -> int:
        """The last day the council's extract covers: council facts never date after it."""
        return self.council.extracted_at

    def involve(
        self,
        cluster: Cluster,
        prof: Professional,
        person: Person | None,
        family: Family | None,
        codes: list[str],
        service: str,
        start: int,
        end: int | None,
    ) -> Involvement:
        """Record a new involvement; an open one adds to the professional's caseload."""
        start = min(start, prof.agency.extracted_at)
        if end is not None:
            end = max(start, min(end, prof.agency.extracted_at))
        inv = Involvement(self.ids.next("IN"), prof, person, family, codes, service, start, end)
        if end is None:
            prof.caseload += 1
        cluster.involvements.append(inv)
        return inv
