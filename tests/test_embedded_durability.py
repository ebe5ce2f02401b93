"""The embedded store survives a crash mid-load: the previous state stays readable and whole."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from graphmodel.stores.embedded import EmbeddedStore
from loaders.load import load_folder
from tests.conftest import SMALL

WRITER = textwrap.dedent("""
    import sys, time
    from graphmodel.records import GraphBatch
    from graphmodel.stores.embedded import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    rows = [{"id": f"X{i}", "name": f"Family {i}", "postcode": None, "district": None, "source_id": None}
            for i in range(2_000_000)]
    def progress(done, total):
        if done >= 20_000:
            print("writing", flush=True)
            time.sleep(60)   # killed here, mid-transaction
    store.write(GraphBatch(nodes={"Family": rows}), progress)
""")


def test_a_killed_load_leaves_the_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = EmbeddedStore(path)
    load_folder(store, SMALL)
    before = store.counts()
    store.close()
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    reopened = EmbeddedStore(path)
    assert reopened.counts() == before
    assert reopened.family_snapshot("X0") is None
    assert reopened.family_snapshot("F1") is not None
    reopened.close()


def test_data_persists_between_runs(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    first = EmbeddedStore(path)
    load_folder(first, SMALL)
    counts = first.counts()
    first.close()
    assert EmbeddedStore(path).counts() == counts
