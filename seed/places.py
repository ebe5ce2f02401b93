"""The synthetic county: districts, their postcode districts and invented place names."""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.names_data import PLACE_PREFIXES, PLACE_SUFFIXES

__all__ = ["DISTRICTS", "LA_CODE", "District", "PlaceNames", "postcode"]

LA_CODE = 899  # local authority number used in unique pupil numbers
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code letters never use C I K M O V
_QUALIFIERS = ("Upper", "Lower", "Great", "Little", "North", "South")


@dataclass(frozen=True, slots=True)
class District:
    """A district of the county: its name, share of families and postcode districts (outward codes)."""

    name: str
    weight: float
    outward: tuple[str, ...]


DISTRICTS: tuple[District, ...] = (
    District("Ashby Fen", 0.19, ("FX1", "FX2", "FX3", "FX4")),
    District("Brackenford", 0.17, ("FX5", "FX6", "FX7")),
    District("Cold Harbour", 0.12, ("FX8", "FX9", "FX10")),
    District("Dunmere", 0.15, ("FX11", "FX12", "FX13", "FX14")),
    District("Eastwold", 0.10, ("FX15", "FX16")),
    District("Fallowmoor", 0.14, ("FX17", "FX18", "FX19")),
    District("Greywater", 0.13, ("FX20", "FX21", "FX22")),
)


def postcode(rng: random.Random, district: District) -> str:
    """A synthetic postcode in the district, e.g. 'FX12 4QT'."""
    outward = district.outward[int(rng.random() * len(district.outward))]
    first, second = _INWARD_LETTERS[int(rng.random() * 20)], _INWARD_LETTERS[int(rng.random() * 20)]
    return f"{outward} {1 + int(rng.random() * 9)}{first}{second}"


class PlaceNames:
    """Invented village and town names, each handed out once."""

    def __init__(self, rng: random.Random) -> None:
        names = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
        rng.shuffle(names)
        self._names = names
        self._used = 0

    def take(self) -> str:
        """The next unused place name (with a numeral once the list runs out)."""
        name = self._names[self._used % len(self._names)]
        round_ = self._used // len(self._names)
        self._used += 1
        if round_ == 0:
            return name
        qualifier = _QUALIFIERS[(round_ - 1) % len(_QUALIFIERS)]
        return f"{qualifier} {name}" if round_ <= len(_QUALIFIERS) else f"{qualifier} {name} {round_}"
