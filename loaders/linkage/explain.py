"""Plain-English reasons for a match score: which fields agreed, partly agreed, disagreed or were missing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.linkage.identifiers import IDENTIFIERS

__all__ = ["COMPARISONS", "Comparison", "reasons"]

AGREE, PARTLY, DISAGREE, MISSING = "agree", "partly", "disagree", "missing"


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
               ("missing", "same", "given and family names swapped", "same name, nickname",
                "different names that look alike", "one letter different", "similar", "different"),
               (MISSING, AGREE, AGREE, AGREE, DISAGREE, PARTLY, PARTLY, DISAGREE)),
    Comparison("family_name", "family name",
               ("missing", "same", "given and family names swapped", "similar", "different"),
               (MISSING, AGREE, AGREE, PARTLY, DISAGREE)),
    Comparison("dob", "date of birth",
               ("missing", "same", "day and month swapped", "one character different", "same year",
                "different"),
               (MISSING, AGREE, PARTLY, PARTLY, PARTLY, DISAGREE)),
    Comparison("postcode", "postcode",
               ("missing", "same", "one character different", "same district", "different"),
               (MISSING, AGREE, PARTLY, PARTLY, DISAGREE)),
    Comparison("address", "address",
               ("missing", "same first line", "similar first line", "same town", "different"),
               (MISSING, AGREE, PARTLY, PARTLY, DISAGREE)),
    Comparison("sex", "sex", ("missing", "same", "different"), (MISSING, AGREE, DISAGREE)),
    *(Comparison(identifier.column, identifier.title, ("missing", "same", "different"), (MISSING, AGREE, DISAGREE))
      for identifier in IDENTIFIERS),
)
"""Every comparison the model may hold, in settings order; a run uses those whose fields hold values
(splink_model builds their levels in the same order)."""

_SECTIONS = (AGREE, PARTLY, DISAGREE, MISSING)


def reasons(scored: pd.DataFrame, comparisons: tuple[Comparison, ...] = COMPARISONS) -> pd.Series:
    """Reason text per scored pair from its gamma_<name> and mw_<name> columns.

    e.g. 'agree: family name same (+9.1), date of birth same (+8.7); partly: given name similar (+2.0);
    disagree: postcode different (-2.6); missing: NHS number, UPN'
    """
    n = len(scored)
    sections = {kind: np.full(n, "", dtype=object) for kind in _SECTIONS}
    for comparison in comparisons:
        if f"gamma_{comparison.name}" not in scored.columns:
            continue
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
