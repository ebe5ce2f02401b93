"""`familygraph load` refreshes, `sources`, `rollback` and `erase` from the command line (embedded store)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from loaders.erase import subject_hash
from tests.conftest import SMALL
from tests.test_cli import run_cli


def _stats(home: Path) -> dict[str, int]:
    counts: dict[str, int] = json.loads(run_cli("stats", "--json", home=home).stdout)["counts"]
    return counts


def test_identity_change_is_rejected_with_file_row_column_and_both_values(tmp_path: Path) -> None:
    assert run_cli("load", str(SMALL), home=tmp_path).returncode == 0
    other = tmp_path / "other"
    shutil.copytree(SMALL, other)
    people = (other / "people.csv").read_text().replace("P1,Sarah,Taylor,1990-04-12", "P1,Olive,Brien,1961-07-08")
    (other / "people.csv").write_text(people)
    rejected = run_cli("load", str(other), home=tmp_path)
    assert rejected.returncode == 1
    assert "Traceback" not in rejected.stderr
    lines = rejected.stderr.splitlines()
    assert any(line.startswith("people.csv, row 2, column date_of_birth: identity change") and "12/04/1990" in line
               and "08/07/1961" in line for line in lines), rejected.stderr
    assert any("column given_name, family_name" in line and "Sarah Taylor" in line and "Olive Brien" in line
               for line in lines)
    assert ("2 identity change(s): people.csv date_of_birth: 1; people.csv given_name, family_name: 1"
            in rejected.stderr)
    accepted = run_cli("load", str(other), "--accept-identity-changes", home=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    result = json.loads(accepted.stdout)
    assert len(result["identity_changes"]) == 2
    assert result["sources"]["S_EH"]["changed"] == 1
    assert "identity change(s) accepted" in accepted.stderr


def test_sources_rollback_and_erase(tmp_path: Path) -> None:
    run_cli("load", str(SMALL), home=tmp_path)
    second = tmp_path / "second"
    shutil.copytree(SMALL, second)
    work = [line for line in (second / "involvements.csv").read_text().splitlines() if not line.startswith("I13,")]
    (second / "involvements.csv").write_text("\n".join(work) + "\n")
    (second / "sources.csv").write_text((second / "sources.csv").read_text().replace(
        "S_EH,A_EH,2026-05-20,2023-01-01,2026-05-20", "S_EH,A_EH,2026-06-15,2023-01-01,2026-06-15"))
    loaded = run_cli("load", str(second), home=tmp_path)
    assert json.loads(loaded.stdout)["sources"]["S_EH"] == {"extract": 2, "extracted_at": "2026-06-15",
                                                            "mode": "full", "added": 0, "changed": 0,
                                                            "closed": 1, "removed": 0}
    listing = run_cli("sources", home=tmp_path).stdout
    assert "S_EH: agency A_EH, extracted 15/06/2026" in listing
    assert "#2 extracted 15/06/2026" in listing and "1 closed" in listing
    undone = run_cli("rollback", "S_EH", home=tmp_path)
    assert json.loads(undone.stdout)["rolled_back"] == "S_EH#2"
    assert "extracted 20/05/2026" in run_cli("sources", home=tmp_path).stdout
    erased = run_cli("erase", "person", "P9", "--reason", "subject access erasure", "--who", "dpo", home=tmp_path)
    assert erased.returncode == 0, erased.stderr
    report = json.loads(erased.stdout)
    assert report["subject"] == subject_hash("P9") and "P9" not in erased.stdout
    assert _stats(tmp_path)["Person"] == 9
    unknown = run_cli("erase", "person", "P9", "--reason", "again", home=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "familygraph: no person with id 'P9' in the store"


def test_clear_of_a_rejected_folder_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    run_cli("load", str(SMALL), home=tmp_path)
    before = _stats(tmp_path)
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    # an impossible date is a data-quality note since issue 9; a duplicate id is still structural
    (broken / "people.csv").write_text((broken / "people.csv").read_text().replace("P2,Mark", "P1,Mark"))
    result = run_cli("load", str(broken), "--clear", home=tmp_path)
    assert result.returncode == 1
    assert "people.csv, row 3, column person_id: duplicate" in result.stderr
    assert _stats(tmp_path) == before
