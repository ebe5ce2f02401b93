"""Record-linkage benchmark on generated counties with planted duplicate people (truth from the generator).

    python -m bench.linkage --sizes 10000 1000000 --runs 3 1

Each measurement runs in a fresh process (so peak RSS is its own) and prints one JSON line: records, pairs
scored, precision, recall and F1 of the automatic links (pairs within resolved persons against the planted
duplicates), B-cubed precision and recall, groups holding two people, the generator's look-alike pairs
merged by kind (twins, twins_look_alike, triplets, namesakes, siblings, half_siblings: truth/
different_people.csv), review queue, wall seconds and peak RSS MB; then the same for plain Splink with a
standard configuration (bench/plain_splink.py) and an exact given name + family name + date of birth
baseline. A final line per size and method gives the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from graphmodel.names import family_key, name_key

PEOPLE_PER_FAMILY = 3.9  # generator's average person records per family


def county(size: int, seed: int, work: Path) -> Path:
    """A generated county of about `size` person records (cached on disk)."""
    out = work / f"county-{size}-{seed}"
    if not (out / "truth" / "manifest.json").exists():
        from seed.generator import generate

        generate(max(1, round(size / PEOPLE_PER_FAMILY)), seed, out)
    return out


def truth_pairs_within(clusters: pd.Series, folder: Path) -> tuple[int, int, int]:
    """(pairs predicted, true pairs, pairs both) with persons from truth/duplicate_people.csv."""
    dup = pd.read_csv(folder / "truth" / "duplicate_people.csv", dtype=str)
    entity = pd.Series(clusters.index.to_numpy(), index=clusters.index)  # every record its own person...
    entity[dup["duplicate_person_id"].to_numpy()] = dup["person_id"].to_numpy()  # ...but a duplicate's

    def pairs(groups: pd.Series) -> int:
        sizes = groups.value_counts()
        return int((sizes * (sizes - 1) // 2).sum())

    return pairs(clusters), pairs(entity), pairs(clusters.astype(str) + "|" + entity.astype(str))


def scores(predicted: int, true: int, both: int) -> dict[str, float | None]:
    """Precision (None when nothing was linked), recall and F1 of predicted pairs."""
    precision = both / predicted if predicted else None
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision and precision + recall else 0.0
    return {"precision": None if precision is None else round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4)}


def run_once(folder: Path, method: str, threads: int | None) -> dict[str, object]:
    """Link one county's people with a method; the measurement printed by a child process."""
    started = time.perf_counter()
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False).replace("", None)
    if method == "plain_splink":
        from bench.plain_splink import plain_splink
        from loaders.linkage import records_from_people as to_records

        clusters = plain_splink(to_records(people))
        pairs_scored, review = 0, 0
    elif method == "baseline":
        key = (people["given_name"].map(name_key) + "|" + people["family_name"].map(family_key) + "|"
               + people["date_of_birth"].fillna(people["person_id"]))
        clusters = pd.Series(key.to_numpy(), index=people["person_id"].to_numpy())
        pairs_scored, review = int((key.value_counts() * (key.value_counts() - 1) // 2).sum()), 0
    else:
        from loaders.linkage import link, records_from_people

        def stage(name: str, share: float) -> None:  # how far a long run got, on stderr
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{time.perf_counter() - started:7.1f} s  {name}  (peak RSS so far {rss:,.0f} MB)", file=sys.stderr,
                  flush=True)

        result = link(records_from_people(people), None, threads=threads, progress=stage)
        clusters = pd.Series(result.clusters["resolved_id"].to_numpy(), index=result.clusters["record_id"])
        pairs_scored, review = result.pairs_scored, len(result.review_queue)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": method, "records": len(people), "pairs_scored": pairs_scored,
            **scores(*truth_pairs_within(clusters, folder)), **household_scores(clusters, folder),
            "review_queue": review, "wall_s": round(wall, 1), "peak_rss_mb": round(peak_mb)}


def household_scores(clusters: pd.Series, folder: Path) -> dict[str, float | int]:
    """B-cubed, groups with two people, and the generator's look-alike pairs merged, by kind."""
    from bench.linkage_metrics import group_scores

    dup = pd.read_csv(folder / "truth" / "duplicate_people.csv", dtype=str)
    entity = pd.Series(clusters.index.to_numpy(), index=clusters.index)
    entity[dup["duplicate_person_id"].to_numpy()] = dup["person_id"].to_numpy()
    path = folder / "truth" / "different_people.csv"
    negatives = pd.read_csv(path, dtype=str).itertuples(index=False) if path.exists() else ()
    return group_scores(clusters.astype(str), entity, negatives)


def measure(folder: Path, method: str, threads: int | None) -> dict[str, object]:
    """run_once in a fresh Python process (so peak memory is this run's alone)."""
    command = [sys.executable, "-m", "bench.linkage", "--child", str(folder), "--method", method]
    if threads:
        command += ["--threads", str(threads)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(values: list[object]) -> float | None:
    """Median of the numbers among values (None if there are none)."""
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return statistics.median(numbers) if numbers else None


def main(argv: list[str] | None = None) -> None:
    """Benchmark linkage and the exact-match baseline at each size; print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000],
                        help="person records (10,000 households is about 39,000)")
    parser.add_argument("--runs", type=int, nargs="+", default=[3, 1], help="runs per size (last repeats)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/familygraph-bench"))
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--methods", nargs="+", default=["splink", "plain_splink", "baseline"],
                        choices=["splink", "plain_splink", "baseline"], help="which methods to run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--method", default="splink", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_once(args.child, args.method, args.threads)), flush=True)
        return
    for i, size in enumerate(args.sizes):
        folder = county(size, args.seed, args.work)
        runs = args.runs[min(i, len(args.runs) - 1)]
        for method in args.methods:
            results = []
            for run in range(runs):
                result = measure(folder, method, args.threads)
                results.append(result)
                print(json.dumps({"size": size, "run": run + 1, **result}), flush=True)
            keys = [k for k, v in results[0].items() if isinstance(v, int | float) and k != "records"]
            numbers = {k: _median([r.get(k) for r in results]) for k in keys}
            print(json.dumps({"size": size, "method": method, "median_of": runs,
                              "records": results[0]["records"],
                              "pairs_scored": results[0]["pairs_scored"], **numbers}), flush=True)


if __name__ == "__main__":
    main()
