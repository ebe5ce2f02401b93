"""The .xlsx bomb: a few-kilobyte workbook whose only cell is XFD1048576 (and one that hides its size).

Each case runs in a fresh process that reads the file as an import file; prints one JSON line per case:
file size, outcome (the one-line problem), wall seconds and the process's peak RSS before and after.

    python bench/xlsx_bomb.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from loaders.problems import LoadRejected
from loaders.reading import read_table
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
try:
    table = read_table(Path(sys.argv[1]))
    outcome = f"read {len(table.frame)} rows"
except LoadRejected as rejected:
    outcome = str(rejected.problems[0])
print(json.dumps({"seconds": round(time.perf_counter() - started, 3), "outcome": outcome,
                  "rss_before_mb": round(before, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def make_bomb(path: Path) -> Path:
    """A workbook whose only cell is the last one Excel allows (declares A1:XFD1048576)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


def make_headed_bomb(path: Path) -> Path:
    """A real header row, one data row, and the last cell Excel allows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["family_id", "name", "postcode", "district", "source_id"])
    sheet.append(["F1", "Taylor family", None, None, None])
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


def hide_dimension(source: Path, target: Path) -> Path:
    """The same workbook with the sheet's <dimension> removed, so only the cell itself gives the size away."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            zout.writestr(item, data)
    return target


def run(path: Path) -> dict[str, object]:
    """Read one file in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return {"file": path.name, "bytes": path.stat().st_size, **json.loads(done.stdout)}


def main() -> None:
    """Build the bombs and read each."""
    with tempfile.TemporaryDirectory() as tmp:
        bomb = make_bomb(Path(tmp) / "families.xlsx")
        hidden = hide_dimension(bomb, Path(tmp) / "people.xlsx")
        headed = hide_dimension(make_headed_bomb(Path(tmp) / "h.xlsx"), Path(tmp) / "leads.xlsx")
        for path in (bomb, hidden, headed):
            print(json.dumps({"bench": "xlsx_bomb", **run(path)}))


if __name__ == "__main__":
    main()
