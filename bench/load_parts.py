"""Where a Neo4j load's time goes: the write path alone, as it is and with each of its extras taken out.

The folder is validated and converted once (not timed); then, for each variant, the local server is cleared
and the rows are written through the store's batched writer. Prints a JSON line per run (wall seconds, client
CPU, server CPU when the server was started by scripts/neo4j-local with this shell's FAMILYGRAPH_NEO4J_HOME)
and the medians. A diagnostic, not a product path: the variants patch the writer for the run.

    python bench/load_parts.py --folder FOLDER --repeat 2

Variants: as-is; before-images (every batch reads what its rows overwrite, as loads did before fresh upserts);
no-undo (plain MERGE, no undo record); no-front-door-keys (given_key, family_key,
family_phonetic left out, so their indexes get no entries); none-of-the-three (plain MERGE, no keys, and no
empty properties sent).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.load import neo4j_config  # noqa: E402
from graphmodel.records import GraphBatch  # noqa: E402
from graphmodel.schema import NODES, RELS  # noqa: E402
from graphmodel.stores import cypher, cypher_loads, neo4j_loads  # noqa: E402
from graphmodel.stores.neo4j_store import Neo4jStore  # noqa: E402

FRONT_DOOR_KEYS = ("given_key", "family_key", "family_phonetic")
VARIANTS = ("as-is", "before-images", "no-undo", "no-front-door-keys", "none-of-the-three")


def converted(folder: Path) -> list[GraphBatch]:
    """The folder validated and turned into graph rows, as a load would write them."""
    from loaders.folder import validate_folder
    from loaders.load import CONVERT_ROWS
    from loaders.to_graph import frames_to_batch

    validated = validate_folder(folder, None)
    if validated.problems:
        raise SystemExit(f"{folder}: {validated.problems[0]}")
    return [frames_to_batch({stem: frame.iloc[start:start + CONVERT_ROWS]}) for stem, frame in validated.frames.items()
            for start in range(0, len(frame), CONVERT_ROWS)]


def shaped(batches: list[GraphBatch], variant: str) -> list[GraphBatch]:
    """The rows a variant writes (keys or empty properties left out)."""
    drop_keys = variant in ("no-front-door-keys", "none-of-the-three")
    drop_empty = variant == "none-of-the-three"

    def row(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items()
                if not (drop_keys and k in FRONT_DOOR_KEYS) and not (drop_empty and v is None)}

    return [GraphBatch(nodes={label: [row(r) for r in rows] for label, rows in batch.nodes.items()},
                       rels={name: [row(r) for r in rows] for name, rows in batch.rels.items()}) for batch in batches]


def _plain_statements() -> tuple[dict[Any, str], dict[str, str]]:
    """The store's one-transaction upserts (no before-image read), answering 'nothing existed' (so no undo is
    kept)."""
    answer = " WITH count(*) AS c RETURN [] AS before"
    return ({spec.label: cypher.upsert_nodes(spec) + answer for spec in NODES},
            {spec.name: cypher.upsert_rels(spec) + answer for spec in RELS})


@contextmanager
def patched(variant: str) -> Iterator[None]:
    """For the no-undo variants: plain upserts and no undo record; for before-images, every batch read what it
    overwrote (as before fresh upserts); put back afterwards."""
    with ExitStack() as stack:
        if variant == "before-images":
            stack.enter_context(mock.patch.object(neo4j_loads.LoadWriter, "_may_be_fresh", lambda *_args: False))
        elif variant in ("no-undo", "none-of-the-three"):
            nodes, rels = _plain_statements()
            stack.enter_context(mock.patch.dict(cypher_loads.LOGGED_NODES, nodes))
            stack.enter_context(mock.patch.dict(cypher_loads.LOGGED_RELS, rels))
            stack.enter_context(mock.patch.object(neo4j_loads.LoadWriter, "_log", lambda *_args: 0))
        yield


def server_cpu() -> float | None:
    """CPU seconds used so far by the local server, if its pid file is found."""
    pid_file = Path(os.environ.get("FAMILYGRAPH_NEO4J_HOME", REPO / ".neo4j-local"), "neo4j.pid")
    try:
        fields = Path(f"/proc/{int(pid_file.read_text())}/stat").read_text().split()
    except (OSError, ValueError):
        return None
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def run(batches: list[GraphBatch], variant: str, store: Neo4jStore) -> dict[str, Any]:
    """Clear the server and write the rows of one variant; its wall, client and server CPU seconds."""
    rows = shaped(batches, variant)
    store.clear()
    with patched(variant):
        server_before, client_before, started = server_cpu(), time.process_time(), time.perf_counter()
        store.write_stream(iter(rows), expected=sum(b.size() for b in rows))
        wall = time.perf_counter() - started
        server_after = server_cpu()
    client = time.process_time() - client_before
    server = None if server_before is None or server_after is None else round(server_after - server_before, 2)
    return {"variant": variant, "wall_s": round(wall, 2), "client_cpu_s": round(client, 2), "server_cpu_s": server}


def main() -> None:
    """Convert once, warm the server up, then run every variant `repeat` times, interleaved; print JSON lines and
    medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (a fresh server compiles its code)")
    args = parser.parse_args()
    batches = converted(args.folder)
    print(json.dumps({"folder": str(args.folder), "writes": sum(b.size() for b in batches)}), flush=True)
    store = Neo4jStore(*neo4j_config())
    for _ in range(args.warmup):
        run(batches, "as-is", store)
    walls: dict[str, list[float]] = {variant: [] for variant in args.variants}
    for _ in range(args.repeat):
        for variant in args.variants:
            result = run(batches, variant, store)
            walls[variant].append(result["wall_s"])
            print(json.dumps(result), flush=True)
    store.close()
    for variant, done in walls.items():
        print(json.dumps({"variant": variant, "median_wall_s": round(statistics.median(done), 2), "runs": len(done),
                          "load_average": round(os.getloadavg()[0], 2)}), flush=True)


if __name__ == "__main__":
    main()
