"""Plain Splink with a standard configuration: the baseline every linkage benchmark prints beside ours.

The configuration follows Splink's own deduplication tutorial: library comparisons for names, date of
birth, postcode, address and identifiers; name and date blocking; the prior from deterministic rules, u
by random sampling, m by EM on two blocks; pairs clustered at match probability 0.9.
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

__all__ = ["plain_splink"]

THRESHOLD = 0.9


def plain_splink(records: pd.DataFrame, *, seed: int = 42) -> pd.Series:
    """record_id -> cluster id from a standard Splink model (records: PersonRecord columns)."""
    frame = pd.DataFrame({
        "unique_id": records["record_id"], "first_name": records["given_name"].str.lower(),
        "surname": records["family_name"].str.lower(), "dob": records["dob"],
        "postcode": records["postcode"].str.upper(), "address": records.get("address_line1"),
        "town": records.get("town"), "identifier": _identifier(records)})
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
                   cl.NameComparison("first_name"), cl.NameComparison("surname"),
                   cl.DateOfBirthComparison("dob", input_is_string=True),
                   cl.LevenshteinAtThresholds("postcode", [1, 2])]
    if frame["address"].notna().any():
        comparisons += [cl.JaroWinklerAtThresholds("address", [0.95, 0.85]), cl.ExactMatch("town")]
    if frame["identifier"].notna().any():
        comparisons.append(cl.ExactMatch("identifier"))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"), block_on("dob"), block_on("surname", "postcode"),
            block_on("first_name", "postcode")],
        retain_intermediate_calculation_columns=False,
    )
    con = duckdb.connect(":memory:")
    api = DuckDBAPI(connection=con)
    linker = Linker(api.register(frame, table_name="plain"), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([  # the deduplication tutorial's rules
        "l.first_name = r.first_name AND levenshtein(r.dob, l.dob) <= 1",
        "l.surname = r.surname AND levenshtein(r.dob, l.dob) <= 1",
        "l.first_name = r.first_name AND levenshtein(r.surname, l.surname) <= 2"], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    for rule in (block_on("dob"), block_on("first_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    return pd.Series(clusters["cluster_id"].astype(str).to_numpy(), index=clusters["unique_id"].astype(str))


def _identifier(records: pd.DataFrame) -> pd.Series:
    """The first identifier a record holds (NHS number, UPN, another agency's id)."""
    out = pd.Series(None, index=records.index, dtype=object)
    for column in ("nhs_number", "upn", "other_id"):
        if column in records:
            out = out.where(out.notna(), records[column])
    return out
