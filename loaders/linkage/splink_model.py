"""The Splink (DuckDB) person-matching model: comparisons, blocking rules, unsupervised training, scoring."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

from loaders.linkage.explain import COMPARISONS, reasons

_log = logging.getLogger(__name__)

__all__ = ["PAIR_COLUMNS", "LinkageModel", "ScoredPairs", "score", "train"]

PAIR_COLUMNS: tuple[str, ...] = ("record_id_l", "record_id_r", "match_probability", "match_weight", "reason")
"""Columns of scored pairs (record_id_l < record_id_r)."""

M_FLOOR = 0.001
"""Smallest m probability a comparison level may have after training."""

_DOB_SWAP = ("substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
             "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)")
_SAME_YEAR = "dob_year_l = dob_year_r"
_DECADE = "abs(try_cast(dob_year_l AS INTEGER) - try_cast(dob_year_r AS INTEGER)) <= 10"
_FAMILY_SAME = "family_key_l = family_key_r"
_FAMILY_LIKE = ("jaro_winkler_similarity(family_key_l, family_key_r) >= 0.88"
                " OR damerau_levenshtein(family_key_l, family_key_r) <= 1"
                " OR list_has_any(family_parts_l, family_parts_r)"
                " OR jaro_winkler_similarity(family_first_l, family_first_r) >= 0.9")

BLOCKING_RULES = (
    block_on("nhs_number"),
    block_on("upn"),
    block_on("dob_md", "family_meta"),
    block_on("dob", "family_first"),
    block_on("postcode", "family_meta"),
    block_on("dob", "given_canon"),
    block_on("given_canon", "family_meta", "dob_year"),
    block_on("postcode", "dob"),
    block_on("dob", "substr(given_key, 1, 1)", "substr(family_key, 1, 1)"),
    block_on("given_canon", "dob_year", "postcode_district"),
)
"""Candidate pairs: any rule admits a pair. Each rule tolerates errors in the fields it leaves out."""

_TRAINING_BLOCKS = (block_on("dob"), block_on("given_canon", "family_key"))
"""EM passes: the first learns m for everything but date of birth, the second learns it for date of birth."""

_KNOWN_SAME = ("l.nhs_number = r.nhs_number AND l.dob = r.dob",
               "l.given_canon = r.given_canon AND l.family_key = r.family_key AND l.dob = r.dob")
"""Near-certain rules used only to estimate how often two random records are the same person."""


PRIOR_M: dict[str, tuple[float, ...]] = {
    "given_name": (0.85, 0.05, 0.05, 0.04, 0.002),
    "family_postcode": (0.60, 0.05, 0.02, 0.20, 0.04, 0.05, 0.02, 0.02),
    "dob": (0.88, 0.05, 0.04, 0.01, 0.015, 0.005),
    "sex": (0.98, 0.02),
    "nhs_number": (0.98, 0.02),
    "upn": (0.97, 0.03),
    "source": (0.2, 0.8),
}
"""m (share of true matches at each non-null level, best first): typical error rates of agency records.
They are the model's m unless train(em=True) refines them (see docs/linkage.md)."""


def _comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """One Splink comparison per field, levels in the order explain.COMPARISONS names them."""
    levels: dict[str, list[Any]] = {
        "given_name": [cll.NullLevel("given_key"),
                       cll.ExactMatchLevel("given_key", term_frequency_adjustments=True),
                       cll.ExactMatchLevel("given_canon"), cll.DamerauLevenshteinLevel("given_key", 1),
                       cll.JaroWinklerLevel("given_key", 0.85), cll.ElseLevel()],
        "family_postcode": [
            cll.NullLevel("family_key"),
            cll.CustomLevel(f"{_FAMILY_SAME} AND postcode_l = postcode_r"),
            cll.CustomLevel(f"{_FAMILY_SAME} AND postcode_district_l = postcode_district_r"),
            cll.CustomLevel(f"{_FAMILY_SAME} AND (postcode_l IS NULL OR postcode_r IS NULL)"),
            cll.CustomLevel(_FAMILY_SAME),
            cll.CustomLevel(f"({_FAMILY_LIKE}) AND postcode_l = postcode_r"),
            cll.CustomLevel(_FAMILY_LIKE),
            cll.CustomLevel("postcode_l = postcode_r"),
            cll.ElseLevel()],
        "dob": [cll.NullLevel("dob"), cll.ExactMatchLevel("dob", term_frequency_adjustments=True),
                cll.CustomLevel(_DOB_SWAP), cll.DamerauLevenshteinLevel("dob", 1),
                cll.CustomLevel(_SAME_YEAR), cll.CustomLevel(_DECADE), cll.ElseLevel()],
        "sex": [cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
        "nhs_number": [cll.NullLevel("nhs_number"), cll.ExactMatchLevel("nhs_number"), cll.ElseLevel()],
        "upn": [cll.NullLevel("upn"), cll.ExactMatchLevel("upn"), cll.ElseLevel()],
        "source": [cll.NullLevel("source_id"), cll.ExactMatchLevel("source_id"), cll.ElseLevel()],
    }
    out: list[ComparisonCreator | dict[str, Any]] = []
    for comparison in COMPARISONS:
        priors = (None, *PRIOR_M[comparison.name])
        named = [level.configure(label_for_charts=label) if m is None else
                 level.configure(label_for_charts=label, m_probability=m)
                 for level, label, m in zip(levels[comparison.name], comparison.labels, priors, strict=True)]
        out.append(cl.CustomComparison(named, output_column_name=comparison.name,
                                       comparison_description=comparison.title))
    return out


def _settings() -> SettingsCreator:
    """The model's settings before training."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
    )


@dataclass(frozen=True, slots=True)
class LinkageModel:
    """A trained model: Splink's settings with estimated m and u probabilities, as JSON-able data."""

    settings: dict[str, Any]

    def to_json(self) -> str:
        """The model as JSON (save it to reuse the same parameters on the next run)."""
        return json.dumps(self.settings, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LinkageModel:
        """A model saved with to_json."""
        return cls(json.loads(text))


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Pairs at or above the floor, and how many candidate pairs were scored in all."""

    pairs: pd.DataFrame  # PAIR_COLUMNS
    pairs_scored: int


def _linker(features: pd.DataFrame, settings: SettingsCreator | dict[str, Any],
            threads: int | None) -> Linker:
    """A Linker over an in-memory DuckDB holding the feature frame."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads TO {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    db_api = DuckDBAPI(connection=con)
    table = db_api.register(features, table_name="person_features")
    return Linker(table, settings, log_level=logging.WARNING)


FALLBACK_DUPLICATE_RATE = 0.02
"""Share of records assumed to have a duplicate when the near-certain rules find no pair to estimate it."""


def train(features: pd.DataFrame, *, seed: int = 42, max_pairs: float = 5e6, threads: int | None = None,
          em: bool = False) -> LinkageModel:
    """Estimate the model without labels (deterministic for a seed).

    u by random sampling, the prior from near-certain rules, m from PRIOR_M; with em=True, EM passes
    refine m where they converge (a pass that fails is skipped). See docs/linkage.md for why EM is off.
    """
    linker = _linker(features, _settings(), threads)
    linker.training.estimate_probability_two_random_records_match(list(_KNOWN_SAME), recall=0.7)
    estimated = linker.misc.save_model_to_json()
    if not estimated.get("probability_two_random_records_match"):
        # No near-certain pair at all (a small or very clean extract): assume about 2% of records have a
        # duplicate rather than none, or every score would be zero.
        estimated["probability_two_random_records_match"] = FALLBACK_DUPLICATE_RATE / max(len(features), 2)
        linker = _linker(features, estimated, threads)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in _TRAINING_BLOCKS if em else ():
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=max_pairs)
        except ValueError as error:  # Splink 5 refuses an m that underflows to 0 (too few pairs to learn it)
            _log.warning("EM pass skipped, earlier m values kept: %s", error)
            linker = _linker(features, before, threads)
    return LinkageModel(_with_m_floor(linker.misc.save_model_to_json()))


def _with_m_floor(settings: dict[str, Any]) -> dict[str, Any]:
    """Give every non-null level at least M_FLOOR of the m mass, so no disagreement is taken as impossible.

    EM sets m to 0 (or leaves it untrained) for a level never seen among matches in the training pairs,
    e.g. two NHS numbers that differ; real extracts do hold mistyped identifiers, so a single disagreement
    must lower the score, not veto the link.
    """
    for comparison in settings["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        m = [max(float(level.get("m_probability") or 0.0), M_FLOOR) for level in levels]
        for level, value in zip(levels, m, strict=True):
            level["m_probability"] = value / sum(m)
    return settings


def score(features: pd.DataFrame, model: LinkageModel, *, floor: float = 0.05, threads: int | None = None,
          ) -> ScoredPairs:
    """Score candidate pairs; keep those with match probability >= floor, each with its reason."""
    settings = {**model.settings, "retain_matching_columns": True,
                "retain_intermediate_calculation_columns": True}
    linker = _linker(features, settings, threads)
    predicted = linker.inference.predict()
    total = int(predicted.query_sql("SELECT count(*) AS n FROM {this}").as_pandas_dataframe()["n"].iloc[0])
    columns = set(predicted.query_sql("SELECT * FROM {this} LIMIT 0").as_pandas_dataframe().columns)
    gammas = ", ".join(f"gamma_{c.name}, {_weight_sql(c.name, columns)} AS mw_{c.name}" for c in COMPARISONS)
    kept = predicted.query_sql(
        "SELECT least(record_id_l, record_id_r) AS record_id_l,"  # noqa: S608 (own column names, a float)
        " greatest(record_id_l, record_id_r) AS record_id_r,"
        f" match_probability, match_weight, {gammas} FROM {{this}} WHERE match_probability >= {float(floor)}"
        " ORDER BY record_id_l, record_id_r"
    ).as_pandas_dataframe()
    kept["reason"] = reasons(kept)
    return ScoredPairs(kept[list(PAIR_COLUMNS)].reset_index(drop=True), total)


def _weight_sql(name: str, columns: set[str]) -> str:
    """A comparison's match weight including its term-frequency adjustment, if it has one."""
    tf = f"mw_tf_adj_{name}"
    return f"mw_{name} + coalesce({tf}, 0)" if tf in columns else f"mw_{name}"
