"""Plain-English reasons for a match score: which fields agreed, partly agreed, disagreed or were missing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["COMPARISONS", "Comparison", "reasons"]

AGREE, PARTLY, DISAGREE, MISSING, SOURCE = "agree", "partly", "disagree", "missing", "source"


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field's comparison levels, from 'missing' (Splink's null level) down to 'different' (else)."""

    name: str  # Splink output column name (gamma_<name>, mw_<name>)
    title: str
    labels: tuple[str, ...]
    kinds: tuple[str, ...]

    def level(self, gamma: int) -> tuple[str, str]:
        """(kind, label) of a Splink comparison vector value (-1 null; highest = first non-null level)."""
        index = 0 if gamma == -1 else len(self.labels) - 1 - gamma
        return self.kinds[index], self.labels[index]


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given_name", "given name",
               ("missing", "same", "same name, nickname", "one letter different", "similar", "different"),
               (MISSING, AGREE, AGREE, PARTLY, PARTLY, DISAGREE)),
    Comparison("family_postcode", "family name and postcode",
               ("missing", "same name, same postcode", "same name, same postcode district",
                "same name, no postcode", "same name, different postcode", "similar name, same postcode",
                "similar name", "different name, same postcode", "different"),
               (MISSING, AGREE, AGREE, AGREE, PARTLY, PARTLY, PARTLY, PARTLY, DISAGREE)),
    Comparison("dob", "date of birth",
               ("missing", "same", "day and month swapped", "one character different", "same year",
                "within ten years", "more than ten years apart"),
               (MISSING, AGREE, PARTLY, PARTLY, PARTLY, DISAGREE, DISAGREE)),
    Comparison("sex", "sex", ("missing", "same", "different"), (MISSING, AGREE, DISAGREE)),
    Comparison("nhs_number", "NHS number", ("missing", "same", "different"), (MISSING, AGREE, DISAGREE)),
    Comparison("upn", "UPN", ("missing", "same", "different"), (MISSING, AGREE, DISAGREE)),
    Comparison("source", "records", ("of unknown source", "from the same extract", "from different extracts"),
               (MISSING, SOURCE, SOURCE)),
)
"""The model's comparisons in settings order; splink_model builds its levels in the same order."""

_SECTIONS = (AGREE, PARTLY, DISAGREE, MISSING, SOURCE)


def reasons(scored: pd.DataFrame) -> pd.Series:
    """Reason text per scored pair from its gamma_<name> and mw_<name> columns.

    e.g. 'agree: family name same (+9.1), date of birth same (+8.7); partly: given name similar (+2.0);
    disagree: postcode different (-2.6); missing: NHS number, UPN'
    """
    n = len(scored)
    sections = {kind: np.full(n, "", dtype=object) for kind in _SECTIONS}
    for comparison in COMPARISONS:
        gamma = scored[f"gamma_{comparison.name}"].astype(int).to_numpy()
        weight = scored[f"mw_{comparison.name}"].astype(float).to_numpy()
        for value in np.unique(gamma):
            kind, label = comparison.level(int(value))
            rows = gamma == value
            if kind == MISSING:
                parts = np.full(int(rows.sum()), comparison.title, dtype=object)
            else:
                parts = _parts(f"{comparison.title} {label}", weight[rows])
            current = sections[kind][rows]
            sections[kind][rows] = np.where(current == "", parts, current + ", " + parts)
    text = np.full(n, "", dtype=object)
    for kind in _SECTIONS:
        body = sections[kind]
        piece = np.where(body == "", "", kind + ": " + body)
        text = np.where(piece == "", text, np.where(text == "", piece, text + "; " + piece))
    return pd.Series(text, index=scored.index, dtype=object)


def _parts(text: str, weights: np.ndarray) -> np.ndarray:
    """'<text> (+w)' per row; formatted once when the weight is the same on every row (no tf adjustment)."""
    rounded = np.round(weights, 1)
    if len(rounded) and (rounded == rounded[0]).all():
        return np.full(len(rounded), f"{text} ({rounded[0]:+.1f})", dtype=object)
    return np.array([f"{text} ({w:+.1f})" for w in rounded], dtype=object)
