"""The Splink (DuckDB) person-matching model: comparisons, blocking rules, unsupervised training, scoring."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from loaders.linkage.explain import COMPARISONS, Comparison, reasons
from loaders.linkage.identifiers import IDENTIFIERS

_log = logging.getLogger(__name__)

__all__ = [
    "MIN_TRAINING_RECORDS",
    "PAIR_COLUMNS",
    "LinkageModel",
    "ScoredPairs",
    "active_comparisons",
    "blocking_rules",
    "candidate_pairs",
    "score",
    "train",
]

PAIR_COLUMNS: tuple[str, ...] = ("record_id_l", "record_id_r", "match_probability", "match_weight", "reason")
"""Columns of scored pairs (record_id_l < record_id_r)."""

M_FLOOR = 0.001
"""Smallest m probability a comparison level may have after training."""
MIN_TRAINING_RECORDS = 1000
"""Below this many records u and m are not estimated from the data: the priors below are used."""
U_PAIRS_PER_RECORD = 100
U_PAIRS_MIN, U_PAIRS_MAX = 1e6, 5e6
EM_MAX_PAIRS = 2e6

def _one_edit(column: str, *, spaceless: bool = False) -> str:
    """SQL: the column's two values are at most one edit apart (Damerau-Levenshtein <= 1, transpositions too).

    Equal to `damerau_levenshtein(l, r) <= 1` wherever both are present (NULL reads as false), at a tenth of
    its cost: DuckDB's damerau_levenshtein is slow, so it runs only on equal-length values two characters
    apart (a transposition); other equal-length values need Hamming distance <= 1, values one character
    longer or shorter Levenshtein <= 1, the rest are more than one edit apart. CASE evaluates each branch
    only on the rows that reach it.
    """
    a, b = f"{column}_l", f"{column}_r"
    if spaceless:  # a postcode's digits swapped across the space (CB1 2AB / CB2 1AB) are one edit apart
        a, b = f"replace({a}, ' ', '')", f"replace({b}, ' ', '')"
    return (f"(CASE WHEN length({a}) = length({b}) THEN (CASE WHEN hamming({a}, {b}) <= 1 THEN true "
            f"WHEN hamming({a}, {b}) = 2 THEN damerau_levenshtein({a}, {b}) <= 1 ELSE false END) "
            f"WHEN abs(length({a}) - length({b})) = 1 THEN levenshtein({a}, {b}) <= 1 ELSE false END)")


_DOB_SWAP = ("substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
             "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)")
_SWAPPED = "given_key_l = family_key_r AND family_key_l = given_key_r"
_NICKNAME = "list_contains(given_related_l, given_key_r) OR list_contains(given_related_r, given_key_l)"
_GIVEN_LIKE = f"({_one_edit('given_key')} OR jaro_winkler_similarity(given_key_l, given_key_r) >= 0.88)"
_FAMILY_LIKE = ("jaro_winkler_similarity(family_key_l, family_key_r) >= 0.88"
                f" OR {_one_edit('family_key')}"
                " OR list_has_any(family_parts_l, family_parts_r)"
                " OR jaro_winkler_similarity(family_first_l, family_first_r) >= 0.9")
_ADDRESS_NULL = ("(address_key_l IS NULL OR address_key_r IS NULL)"
                 " AND (town_key_l IS NULL OR town_key_r IS NULL)")


def _levels(name: str) -> list[Any]:
    """Splink levels of one comparison, in the order explain.COMPARISONS labels them."""
    if name == "given_name":
        return [cll.NullLevel("given_key"), cll.ExactMatchLevel("given_key", term_frequency_adjustments=True),
                cll.CustomLevel(_SWAPPED), cll.CustomLevel(_NICKNAME),
                cll.CustomLevel(f"given_real_l AND given_real_r AND {_GIVEN_LIKE}"),
                cll.CustomLevel(_one_edit("given_key")), cll.JaroWinklerLevel("given_key", 0.88),
                cll.ElseLevel()]
    if name == "family_name":
        return [cll.NullLevel("family_key"), cll.ExactMatchLevel("family_key", term_frequency_adjustments=True),
                cll.CustomLevel(_SWAPPED), cll.CustomLevel(_FAMILY_LIKE), cll.ElseLevel()]
    if name == "dob":
        return [cll.NullLevel("dob"), cll.ExactMatchLevel("dob", term_frequency_adjustments=True),
                cll.CustomLevel(_DOB_SWAP), cll.CustomLevel(_one_edit("dob")),
                cll.CustomLevel("dob_year_l = dob_year_r"), cll.ElseLevel()]
    if name == "postcode":
        return [cll.NullLevel("postcode"), cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
                cll.CustomLevel(_one_edit("postcode", spaceless=True)),
                cll.CustomLevel("postcode_district_l = postcode_district_r"), cll.ElseLevel()]
    if name == "address":
        return [cll.CustomLevel(_ADDRESS_NULL).configure(is_null_level=True),
                cll.CustomLevel("address_key_l = address_key_r"),
                cll.CustomLevel("address_number_l = address_number_r AND "
                                "jaro_winkler_similarity(address_key_l, address_key_r) >= 0.85"),
                cll.CustomLevel("town_key_l = town_key_r"), cll.ElseLevel()]
    return [cll.NullLevel(name), cll.ExactMatchLevel(name), cll.ElseLevel()]


_ID_PRIORS = ((0.95, 0.05), (1e-5, 1 - 1e-5))
PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "given_name": ((0.86, 0.005, 0.05, 0.002, 0.05, 0.028, 0.005),
                   (0.01, 1e-5, 0.002, 0.003, 0.002, 0.01, 0.973)),
    "family_name": ((0.88, 0.005, 0.08, 0.035), (0.005, 1e-5, 0.01, 0.985)),
    "dob": ((0.9, 0.03, 0.05, 0.015, 0.005), (5e-5, 2e-5, 0.001, 0.02, 0.979)),
    "postcode": ((0.7, 0.02, 0.1, 0.18), (5e-4, 2e-4, 0.05, 0.9493)),
    "address": ((0.7, 0.1, 0.1, 0.1), (5e-4, 1e-3, 0.05, 0.9485)),
    "sex": ((0.98, 0.02), (0.5, 0.5)),
    **{identifier.column: _ID_PRIORS for identifier in IDENTIFIERS},
}
"""(m, u) per non-null level, best first: typical agency error rates and county frequencies. The model's
starting point; m and u are estimated from the data when there are enough records."""

FIXED_M = {("given_name", 4)}
"""Levels whose m stays at its prior: two different registered names that look alike are (by definition)
rare among records of one person, but common among twins, which EM would otherwise take for duplicates."""


def active_comparisons(features: pd.DataFrame) -> tuple[Comparison, ...]:
    """The comparisons whose fields hold a value in at least two records."""
    def present(*columns: str) -> bool:
        return sum(int(features[c].notna().sum()) for c in columns) >= 2

    need = {"address": ("address_key", "town_key"), "given_name": ("given_key",),
            "family_name": ("family_key",)}
    return tuple(c for c in COMPARISONS if present(*need.get(c.name, (c.name,))))


def _comparisons(active: tuple[Comparison, ...]) -> list[ComparisonCreator | dict[str, Any]]:
    """One Splink comparison per active field, with prior m and u (the fallback where training cannot see a
    level: u for a level random pairs never reach, m for one no training pair shows)."""
    out: list[ComparisonCreator | dict[str, Any]] = []
    for comparison in active:
        m_prior, u_prior = PRIORS[comparison.name]
        named = []
        for index, (level, label) in enumerate(zip(_levels(comparison.name), comparison.labels, strict=True)):
            if index == 0:
                named.append(level.configure(label_for_charts=label))
                continue
            options: dict[str, Any] = {"m_probability": m_prior[index - 1], "u_probability": u_prior[index - 1]}
            if (comparison.name, index) in FIXED_M:
                options["fix_m_probability"] = True
            named.append(level.configure(label_for_charts=label, **options))
        out.append(cl.CustomComparison(named, output_column_name=comparison.name,
                                       comparison_description=comparison.title))
    return out


def blocking_rules(active: tuple[Comparison, ...]) -> list[BlockingRuleCreator | dict[str, Any]]:
    """Candidate pairs: any rule admits a pair. Each rule tolerates errors in the fields it leaves out."""
    names = {c.name for c in active}
    rules: list[BlockingRuleCreator | dict[str, Any]] = [block_on(i.column) for i in IDENTIFIERS if i.column in names]
    rules += [
        block_on("given_key", "family_key"),
        {"blocking_rule": "l.given_key = r.family_key AND l.family_key = r.given_key"},
        {"blocking_rule": "l.given_key = r.family_key AND l.postcode = r.postcode"},
        {"blocking_rule": "l.family_key = r.given_key AND l.postcode = r.postcode"},
        {"blocking_rule": "l.given_key = r.family_key AND l.dob = r.dob"},
        {"blocking_rule": "l.family_key = r.given_key AND l.dob = r.dob"},
        block_on("dob", "family_meta"),
        block_on("dob", "given_meta"),
        block_on("dob", "postcode"),
        block_on("dob_md", "family_meta"),
        block_on("family_meta", "substr(given_key, 1, 1)", "dob_year"),
        block_on("family_meta", "substr(given_key, 1, 1)", "postcode_district"),
        block_on("postcode", "family_meta"),
        block_on("postcode", "given_meta"),
        block_on("given_key", "dob_year", "postcode_district"),
    ]
    if "address" in names:
        rules += [block_on("address_key", "substr(given_key, 1, 1)"), block_on("address_key", "family_meta"),
                  block_on("address_key", "postcode_district"), block_on("address_number", "town_key"),
                  block_on("dob", "address_number"), block_on("family_key", "town_key"),
                  block_on("dob", "town_key"), block_on("given_key", "address_number"),
                  block_on("town_key", "given_meta", "family_meta")]
    return rules


_TRAINING_BLOCKS: tuple[BlockingRuleCreator | dict[str, Any], ...] = (
    block_on("given_key", "dob"),
    {"blocking_rule": "l.given_key = r.given_key AND l.family_key = r.family_key AND l.postcode <> r.postcode"},
    {"blocking_rule": "l.dob = r.dob AND l.family_meta = r.family_meta AND l.postcode <> r.postcode"},
)
"""EM passes without identifiers, none of which a household can fill: the first (same first name and
birthday: twins have two names, a father and son two birthdays) learns m for family name, postcode,
address and sex; the second learns date of birth and the third the given name, each only from pairs at
different postcodes, so a father and son of one name, or twins, at one address never pass for duplicates."""
MIN_IDENTIFIER_PAIRS = 30
"""With at least this many pairs sharing an identifier, EM learns from those pairs instead: records
sharing an NHS number are almost all one person, so no household (twins share a birthday and an address,
a father and son a name) can pass for a duplicate while m is learned."""


def training_blocks(features: pd.DataFrame) -> list[BlockingRuleCreator | dict[str, Any]]:
    """EM passes: on shared identifiers where there are enough such pairs, else on name and date blocks."""
    blocks: list[BlockingRuleCreator | dict[str, Any]] = []
    for identifier in IDENTIFIERS:
        counts = features[identifier.column].value_counts()
        if int((counts * (counts - 1) // 2).sum()) >= MIN_IDENTIFIER_PAIRS:
            blocks.append(block_on(identifier.column))
    return [*blocks, block_on("given_key", "dob")] if blocks else list(_TRAINING_BLOCKS)

_KNOWN_SAME = ("l.nhs_number = r.nhs_number AND l.dob = r.dob",
               "l.given_key = r.given_key AND l.family_key = r.family_key AND l.dob = r.dob")
"""Near-certain rules used only to estimate how often two random records are the same person."""


RETAINED = ("source_id", "given_key", "family_key", "dob", "dob_year", "nhs_number", "upn")
"""Columns every scored pair carries, for the certain and household rules."""


def _settings(active: tuple[Comparison, ...]) -> SettingsCreator:
    """The model's settings before training."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=_comparisons(active),
        blocking_rules_to_generate_predictions=blocking_rules(active),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=list(RETAINED),
        max_iterations=25,
    )


@dataclass(frozen=True, slots=True)
class LinkageModel:
    """A trained model: Splink's settings with estimated m and u probabilities, and how it was trained."""

    settings: dict[str, Any]
    trained: dict[str, Any] = field(default_factory=dict)  # when, records, how (priors / sampled u / EM)

    def to_json(self) -> str:
        """The model as JSON (save it to reuse the same parameters on the next run)."""
        return json.dumps({"settings": self.settings, "trained": self.trained}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LinkageModel:
        """A model saved with to_json."""
        data = json.loads(text)
        if "settings" not in data:  # saved before training metadata was kept
            return cls(data)
        return cls(data["settings"], data.get("trained", {}))

    def comparisons(self) -> tuple[Comparison, ...]:
        """The comparisons the model holds, in order."""
        names = {c["output_column_name"] for c in self.settings["comparisons"]}
        return tuple(c for c in COMPARISONS if c.name in names)


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Pairs at or above the floor (or that a household rule must see), and how many pairs were scored."""

    pairs: pd.DataFrame  # PAIR_COLUMNS
    pairs_scored: int


_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")
"""A DuckDB memory limit as FAMILYGRAPH_LINKAGE_MEMORY may give it (default 4GB)."""


def _linker(features: pd.DataFrame, settings: SettingsCreator | dict[str, Any],
            threads: int | None) -> Linker:
    """A Linker over an in-memory DuckDB holding the feature frame."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads TO {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    limit = os.environ.get("FAMILYGRAPH_LINKAGE_MEMORY", "4GB").strip()
    con.execute(f"SET memory_limit = '{limit if _MEMORY.match(limit) else '4GB'}'")  # beyond it, DuckDB spills
    spill = str(Path(tempfile.gettempdir()) / "familygraph-linkage").replace("'", "''")
    con.execute(f"SET temp_directory = '{spill}'")
    db_api = DuckDBAPI(connection=con)
    table = db_api.register(features, table_name="person_features")
    # Our own settings (built here, covered by the tests): Splink's column check parses every level again.
    return Linker(table, settings, log_level=logging.WARNING, validate_settings=False)


MAX_PRIOR = 0.5
"""The prior when the near-certain rules match more pairs than their recall allows (two records, one person)."""
FALLBACK_DUPLICATE_RATE = 0.02
"""Share of records assumed to have a duplicate when the near-certain rules find no pair to estimate it."""


def train(features: pd.DataFrame, *, seed: int = 42, max_pairs: float | None = None, threads: int | None = None,
          em: bool = True, priors_only: bool = False) -> LinkageModel:
    """Estimate the model without labels (deterministic for a seed).

    The prior from near-certain rules; u by random sampling sized to the data; m by expectation
    maximisation over blocks that no household shares (a pass that fails keeps the earlier m). Below
    MIN_TRAINING_RECORDS records the priors are used for m and u.
    """
    active = active_comparisons(features)
    small = priors_only or len(features) < MIN_TRAINING_RECORDS
    linker = _linker(features, _settings(active), threads)
    how = ["prior from near-certain rules"]
    try:
        linker.training.estimate_probability_two_random_records_match(list(_KNOWN_SAME), recall=0.7)
    except ValueError:  # the rules match more pairs than recall 0.7 allows: a handful of records, mostly duplicates
        estimated = linker.misc.save_model_to_json()
        estimated["probability_two_random_records_match"] = MAX_PRIOR
        linker = _linker(features, estimated, threads)
        how = [f"prior {MAX_PRIOR} (the near-certain rules match most pairs)"]
    estimated = linker.misc.save_model_to_json()
    if not estimated.get("probability_two_random_records_match"):
        # No near-certain pair at all (a small or very clean extract): assume about 2% of records have a
        # duplicate rather than none, or every score would be zero.
        estimated["probability_two_random_records_match"] = FALLBACK_DUPLICATE_RATE / max(len(features), 2)
        linker = _linker(features, estimated, threads)
    if small:
        how.append("m and u priors" + ("" if priors_only else f" (fewer than {MIN_TRAINING_RECORDS} records)"))
    else:
        n = len(features)
        pairs = max_pairs or min(U_PAIRS_MAX, max(U_PAIRS_MIN, U_PAIRS_PER_RECORD * n), n * (n - 1) / 2)
        linker.training.estimate_u_using_random_sampling(max_pairs=pairs, seed=seed)
        how.append(f"u from {pairs:,.0f} random pairs")
    for rule in training_blocks(features) if em and not small else ():
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule if not isinstance(rule, dict) else rule["blocking_rule"],
                estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS)
            sql = (rule["blocking_rule"] if isinstance(rule, dict)
                   else rule.get_blocking_rule("duckdb").blocking_rule_sql)
            how.append(f"m by EM on {sql}")
        except (ValueError, ZeroDivisionError) as error:  # Splink 5 refuses an m that underflows to 0
            _log.warning("EM pass skipped, earlier m values kept: %s", error)
            linker = _linker(features, before, threads)
    trained = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "records": len(features),
               "sources": int(features["source_id"].nunique()), "how": how}
    return LinkageModel(_with_m_floor(linker.misc.save_model_to_json()), trained)


def _with_m_floor(settings: dict[str, Any]) -> dict[str, Any]:
    """Give every non-null level at least M_FLOOR of the m mass, so no disagreement is taken as impossible.

    EM sets m to 0 (or leaves it untrained) for a level never seen among matches in the training pairs,
    e.g. two NHS numbers that differ; real extracts do hold mistyped identifiers, so a single disagreement
    must lower the score, not veto the link (a different *checked* identifier is a rule, household.py).
    """
    for comparison in settings["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        m = [max(float(level.get("m_probability") or 0.0), M_FLOOR) for level in levels]
        for level, value in zip(levels, m, strict=True):
            level["m_probability"] = value / sum(m)
    return settings


HOUSEHOLD_CANDIDATE = (
    "(dob_l = dob_r AND family_key_l = family_key_r AND given_key_l <> given_key_r)"
    " OR (given_key_l = given_key_r AND family_key_l = family_key_r"
    "     AND abs(try_cast(dob_year_l AS INTEGER) - try_cast(dob_year_r AS INTEGER)) >= 15)")
"""Pairs a household rule may call different people: kept whatever their score so the rule sees them."""
CERTAIN = "(nhs_number_l = nhs_number_r OR upn_l = upn_r) AND dob_l = dob_r"
"""Same checked identifier and date of birth: near-certain at any data size."""
CERTAIN_PROBABILITY = 0.9999


def score(features: pd.DataFrame, model: LinkageModel, *, floor: float = 0.05, threads: int | None = None,
          touched: set[str] | None = None) -> ScoredPairs:
    """Score candidate pairs; keep those with match probability >= floor, each with its reason.

    With `touched`, only pairs involving one of those records are scored (the others' scores are known):
    every blocking rule gains the condition, so the pairs scored are exactly the full run's pairs that
    involve a touched record, scored against the whole population (term frequencies included).
    """
    settings = {**model.settings, "retain_matching_columns": True,
                "retain_intermediate_calculation_columns": True}
    if touched is not None:
        features = features.assign(touched=features["record_id"].isin(touched))
        settings["blocking_rules_to_generate_predictions"] = [
            {**rule, "blocking_rule": f"({rule['blocking_rule']}) AND (l.touched OR r.touched)"}
            for rule in settings["blocking_rules_to_generate_predictions"]]
    if len(features) < MIN_TRAINING_RECORDS:
        settings = _without_term_frequencies(settings)
    if len(features) >= LARGE:
        return _score_large(features, settings, model, floor, threads)
    linker = _linker(features, settings, threads)
    predicted = linker.inference.predict()
    total = int(predicted.query_sql("SELECT count(*) AS n FROM {this}").as_pandas_dataframe()["n"].iloc[0])
    return ScoredPairs(_kept(predicted, model, floor, household=True), total)


def _kept(predicted: Any, model: LinkageModel, floor: float, household: bool) -> pd.DataFrame:
    """The predictions at or above the floor (or certain, or a household candidate), each with its reason."""
    columns = set(predicted.query_sql("SELECT * FROM {this} LIMIT 0").as_pandas_dataframe().columns)
    comparisons = model.comparisons()
    gammas = ", ".join(f"gamma_{c.name}, {_weight_sql(c.name, columns)} AS mw_{c.name}" for c in comparisons)
    certain, candidate = (CERTAIN, HOUSEHOLD_CANDIDATE) if "upn_l" in columns else ("false", "false")
    if not household:
        candidate = "false"
    kept = predicted.query_sql(
        "SELECT least(record_id_l, record_id_r) AS record_id_l,"  # noqa: S608 (own column names, a float)
        " greatest(record_id_l, record_id_r) AS record_id_r,"
        f" CASE WHEN {certain} THEN greatest(match_probability, {CERTAIN_PROBABILITY}) ELSE match_probability"
        f" END AS match_probability, match_weight, ({certain}) AS certain, {gammas} FROM {{this}}"
        f" WHERE match_probability >= {float(floor)} OR ({certain}) OR ({candidate})"
        " ORDER BY record_id_l, record_id_r"
    ).as_pandas_dataframe()
    kept["certain"] = kept["certain"].fillna(False).astype(bool)
    text = reasons(kept, comparisons)
    kept["reason"] = text.where(~kept["certain"], "same checked identifier and date of birth; " + text)
    return kept[list(PAIR_COLUMNS)].reset_index(drop=True)


LARGE = 200_000
"""From this many records, predictions below the floor are dropped inside Splink's predict (a million records
give tens of millions of candidate pairs, too many to hold with their comparison columns), and household
candidates below the floor come from a second, small prediction: twins (same birthday and family name).
pairs_scored then counts the pairs kept."""


def _score_large(features: pd.DataFrame, settings: dict[str, Any], model: LinkageModel, floor: float,
                 threads: int | None) -> ScoredPairs:
    """Score a large population in bounded memory (see LARGE)."""
    linker = _linker(features, settings, threads)
    kept = _kept(linker.inference.predict(threshold_match_probability=floor), model, floor, household=False)
    twins = {**settings, "blocking_rules_to_generate_predictions": [
        {"blocking_rule": "l.dob = r.dob AND l.family_key = r.family_key AND l.given_key <> r.given_key",
         "sql_dialect": "duckdb"}]}
    linker = _linker(features, twins, threads)
    candidates = _kept(linker.inference.predict(), model, floor, household=True)
    both = pd.concat([kept, candidates], ignore_index=True).drop_duplicates(["record_id_l", "record_id_r"])
    both = both.sort_values(["record_id_l", "record_id_r"]).reset_index(drop=True)
    return ScoredPairs(both, len(both))


def _without_term_frequencies(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings without term-frequency adjustments: a handful of records says nothing about how common
    a name is (every name would look rare or, worse, common)."""
    out = json.loads(json.dumps(settings))
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return out


def _weight_sql(name: str, columns: set[str]) -> str:
    """A comparison's match weight including its term-frequency adjustment, if it has one."""
    tf = f"mw_tf_adj_{name}"
    return f"mw_{name} + coalesce({tf}, 0)" if tf in columns else f"mw_{name}"


def candidate_pairs(features: pd.DataFrame, model: LinkageModel) -> set[tuple[str, str]]:
    """Every pair the blocking rules admit (record_id_l < record_id_r), for measuring blocking recall."""
    linker = _linker(features, model.settings, None)
    predicted = linker.inference.predict()
    frame = predicted.query_sql(
        "SELECT least(record_id_l, record_id_r) AS a, greatest(record_id_l, record_id_r) AS b FROM {this}"
    ).as_pandas_dataframe()
    return set(zip(frame["a"], frame["b"], strict=True))
