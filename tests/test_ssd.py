"""SSD extracts: mapped to the import format, validated, and linked to other agencies' records."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from loaders.folder import validate_tables
from loaders.linkage import link, records_from_people
from loaders.ssd import SsdError, parse_nhs, ssd_tables, ssd_to_import_frames
from tests.test_linkage import county_model

FIXTURES = Path(__file__).parent / "fixtures" / "ssd"
OPTIONS: dict[str, Any] = {"source_id": "csc", "agency_id": "AG-CSC", "extracted_at": "2025-01-31"}


def frames(name: str = "liquidlogic", **extra: str) -> dict[str, pd.DataFrame]:
    options = {**OPTIONS, **extra}
    return ssd_to_import_frames(FIXTURES / name, source_id=options["source_id"], agency_id=options["agency_id"],
                                extracted_at=options["extracted_at"], id_prefix=options.get("id_prefix"))


def test_liquidlogic_extract_maps_to_the_import_files():
    out = frames()
    assert set(out) == {"sources", "people", "families", "memberships", "professionals", "involvements",
                        "episodes", "needs"}
    people = out["people"].set_index("person_id")
    fields = ["given_name", "family_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn"]
    assert people.loc["csc:1003", fields].tolist() == [
        "Thomas", "Whitfield", "2014-03-09", "M", "FX2 4QT", "9991158383", "Y899200114001"]
    assert people.loc["csc:1001", "postcode"] == "FX2 4QT"  # the open address, not the ended one
    assert people.loc["csc:1002", "nhs_number"] == "9991316760"  # from ssd_linked_identifiers
    assert people.loc["csc:1004", "upn"] == "B899200118007"  # 'UN1' is a UPN-unknown code, not a UPN
    assert people.loc["csc:1002", "postcode"] is None
    roles = out["memberships"].set_index("person_id")["role"].to_dict()
    # the mother (pers_is_mother) and the father (the one adult man of a family with children) are parents
    assert (roles["csc:1001"], roles["csc:1002"], roles["csc:1005"]) == ("parent", "parent", "child")
    assert out["families"].set_index("family_id").loc["csc:F1", "name"] == "Whitfield family"
    assert "csc:1006:family" in set(out["families"]["family_id"])  # early help without an ssd_family row


def test_needs_come_from_cin_primary_need_and_early_help_reason():
    involvements = frames()["involvements"].set_index("involvement_id")
    assert involvements.loc["csc:I1", "need_codes"] == "neglect"  # referral R1, CIN code N1
    assert involvements.loc["csc:I2", "need_codes"] == "parental_conflict"  # open EH episode E1 at the time
    assert "csc:eh:E1" not in involvements.index  # the same early help work as I2 (W2, Lily, in E1): once
    assert involvements.loc["csc:eh:E2", "professional_id"] == "csc:W3"
    assert frames()["professionals"].set_index("professional_id").loc["csc:W3", "name"] == "Worker S77"


def test_converted_extract_passes_the_loader_validation():
    tables = ssd_tables(FIXTURES / "liquidlogic", **OPTIONS)
    agencies_known = lambda stem, ids: ids if stem == "agencies" else set()  # noqa: E731
    result = validate_tables(tables, agencies_known, today="2025-02-01")
    assert result.problems == []
    assert len(result.frames["people"]) == 6


def test_mosaic_extract_with_object_definition_columns_and_uk_dates():
    out = frames("mosaic", source_id="mosaic")
    people = out["people"].set_index("person_id")
    assert people.loc["mosaic:M-77", ["date_of_birth", "sex", "nhs_number"]].tolist() == [
        "2009-08-14", "F", "9991316760"]  # pers_gender 02, pers_common_child_id with spaces
    assert sorted(out["needs"]["need_code"]) == ["debt", "school_attendance"]
    assert "involvements" not in out  # worker 'SSD_PH' is the SSD placeholder: no involvement


def test_bad_values_are_reported_with_file_row_and_column():
    with pytest.raises(SsdError) as caught:
        frames("bad")
    structural = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert {("ssd_person.csv", 5, "pers_person_id"), ("ssd_family.csv", 3, "fami_person_id"),
            ("ssd_involvements.csv", 2, "invo_involvement_start_date"),
            ("ssd_involvements.csv", 2, "invo_professional_id")} <= structural
    values = {(p.file, p.row, p.column): p.kind for p in caught.value.quality}
    assert values == {("ssd_person.csv", 2, "pers_dob"): "impossible date",
                      ("ssd_person.csv", 3, "pers_sex"): "unknown code",
                      ("ssd_person.csv", 3, "pers_single_unique_id"): "invalid identifier",
                      ("ssd_address.csv", 2, "addr_address_postcode"): "invalid identifier"}
    assert any("31/02/2015" in p.reason for p in caught.value.quality)


def test_an_involvement_with_no_need_gets_unspecified(tmp_path):
    folder = tmp_path / "extract"
    shutil.copytree(FIXTURES / "liquidlogic", folder)
    involvements = folder / "ssd_involvements.csv"
    involvements.write_text(involvements.read_text() + "I3,W1,Allocated Social Worker,,2024-06-01 00:00:00,,,1001,\n")
    out = ssd_to_import_frames(folder, **OPTIONS).get("involvements")
    assert out is not None
    assert out.set_index("involvement_id").loc["csc:I3", "need_codes"] == "unspecified"


def test_missing_person_table_is_an_error(tmp_path):
    with pytest.raises(SsdError, match="ssd_person"):
        ssd_to_import_frames(tmp_path, **OPTIONS)


def test_nhs_check_digit():
    assert parse_nhs("999 100 0003") == "9991000003"
    assert parse_nhs("9991000004") is None
    assert parse_nhs("12345") is None


def test_ssd_people_link_to_the_same_people_in_another_agency_extract():
    ssd_people = frames()["people"]
    school = pd.DataFrame([
        ("school:P1", "Tom", "Whitfield", "2014-03-09", "M", "FX2 4QT", None, "Y899200114001", "school"),
        ("school:P2", "Lilly", "Whitfield", "2017-12-01", "F", "FX2 4QT", None, None, "school"),
        ("school:P3", "Amira", "Hasan", "2010-05-05", "F", "FX11 2DE", None, None, "school"),
        ("school:P4", "Grace", "Whitfield", "2019-04-11", "F", "FX2 4QT", None, None, "school"),
    ], columns=["person_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn",
                "source_id"]).reindex(columns=ssd_people.columns)
    records = records_from_people(pd.concat([ssd_people, school], ignore_index=True))
    result = link(records, None, model=county_model())
    resolved = result.clusters.set_index("record_id")["resolved_id"]
    for csc, other in (("csc:1003", "school:P1"), ("csc:1004", "school:P2"), ("csc:1006", "school:P3")):
        assert resolved[csc] == resolved[other]
    assert resolved["school:P4"] not in set(resolved.drop("school:P4"))


def test_the_current_address_first_line_and_town_come_from_the_address_json():
    people = frames()["people"].set_index("person_id")
    assert (people.loc["csc:1001", "address_line1"], people.loc["csc:1001", "town"]) == (
        "12 Fen Road", "Ashby Fen")  # the open address, not 4 Mill Lane that ended in 2023
    assert people.loc["csc:1006", "address_line1"] == "3 Church Walk"
    assert people.loc["csc:1002", "address_line1"] is None  # no ssd_address row


def test_an_address_that_is_not_json_is_a_value_problem(tmp_path):
    import shutil

    from loaders.ssd import read_ssd

    folder = tmp_path / "extract"
    shutil.copytree(FIXTURES / "liquidlogic", folder)
    path = folder / "ssd_address.csv"
    path.write_text(path.read_text().replace('"{""HOUSE"": ""12""', '"HOUSE 12 {""HOUSE"": ""12""', 1))
    extract = read_ssd(folder, source_id="csc", agency_id="A_CSC", extracted_at="2025-01-31")
    notes = [n for n in extract.quality if n.column == "addr_address_json"]
    assert len(notes) == 1 and notes[0].kind == "not an address" and "not an address as JSON" in notes[0].reason
    people = extract.tables["people"].frame.set_index("person_id")
    assert people.loc["csc:1001", "postcode"] == "FX2 4QT" and people.loc["csc:1001", "address_line1"] is None


OBJECT_MODEL = FIXTURES / "object_model"


def test_an_extract_shaped_like_the_object_model_loads_through_the_cli(
        store, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from familygraph.cli import main
    from graphmodel.records import GraphBatch
    from graphmodel.schema import Label
    from queries.duplicates import family_duplicates

    store.write(GraphBatch(nodes={Label.AGENCY: [{"id": "A_CSC", "name": "Children's Services",
                                                  "sector": "childrens_social_care", "tier": "specialist",
                                                  "district": None}]}))
    if store.kind == "embedded":
        monkeypatch.setenv("FAMILYGRAPH_STORE", "embedded")
        monkeypatch.setenv("FAMILYGRAPH_DB", store.path)
    else:
        monkeypatch.setenv("FAMILYGRAPH_STORE", "neo4j")
    monkeypatch.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    problems = tmp_path / "problems.csv"
    code = main(["load", "--format", "ssd", str(OBJECT_MODEL), "--source-id", "csc", "--agency-id", "A_CSC",
                 "--extracted-at", "31/01/2025", "--problems", str(problems)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"quality": {"implausible date": 1}' in out
    assert "no name columns" in err and "1 implausible date" in err  # 3004's date of birth is in 2030
    assert "implausible date" in problems.read_text()
    from loaders.quality_log import read_quality

    assert [(n.column, n.kind, n.source_id) for n in read_quality(tmp_path / "quality")] == [
        ("date_of_birth", "implausible date", "csc")]  # kept per source for the Data page
    counts = store.counts()
    assert (counts["Person"], counts["Family"], counts["Involvement"]) == (5, 1, 3)  # early help work once
    snapshot = store.family_snapshot("csc:FAM1")
    assert snapshot is not None
    roles = {m.person_id: m.role for m in snapshot.members}
    assert roles["csc:3001"] == roles["csc:3002"] == "parent"  # the mother and the father
    agencies = {p.id: p.agency_id for p in snapshot.professionals}
    assert agencies == {"csc:W1": "A_CSC", "csc:W2": "csc:org:riverside-surgery", "csc:W3": "A_CSC"}
    unspecified = [i for i in snapshot.involvements if i.need_codes == ("unspecified",)]
    assert {i.id for i in unspecified} == {"csc:I1", "csc:I2"}
    # two professionals on 'unspecified' work with the same child in 2023 are not duplicated work,
    # and that work covers no need in the strategic picture
    assert [f for f in family_duplicates(store, "csc:FAM1", "2023-06-01") if f.need_code == "unspecified"] == []
    from queries.coverage import coverage

    report = coverage(store, "2024-03-01")  # I1, I2 (unspecified) and I3 (parental_conflict) open
    assert {cell.need_code for cell in report.agency_need} == {"parental_conflict"}


def test_an_unknown_agency_for_an_ssd_extract_is_one_line(store, tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]):
    from familygraph.cli import main

    monkeypatch.setenv("FAMILYGRAPH_HOME", str(tmp_path))
    if store.kind == "embedded":
        monkeypatch.setenv("FAMILYGRAPH_DB", store.path)
    monkeypatch.setenv("FAMILYGRAPH_STORE", store.kind)
    code = main(["load", "--format", "ssd", str(OBJECT_MODEL), "--source-id", "csc", "--agency-id", "NOPE"])
    err = capsys.readouterr().err
    assert code != 0 and "unknown agency id 'NOPE'" in err and "Traceback" not in err
    assert store.counts()["Person"] == 0


def test_agency_ids_are_always_prefixed_so_they_cannot_collide() -> None:
    out = frames()
    for stem, column in (("people", "person_id"), ("families", "family_id"), ("involvements", "involvement_id"),
                         ("professionals", "professional_id"), ("episodes", "episode_id")):
        assert out[stem][column].str.startswith("csc:").all(), stem
    with pytest.raises(ValueError, match="must not be empty"):
        frames(id_prefix="")
