"""SSD extracts: mapped to the import format, validated, and linked to other agencies' records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.folder import validate_tables
from loaders.linkage import link, records_from_people
from loaders.ssd import SsdError, parse_nhs, ssd_tables, ssd_to_import_frames
from tests.test_linkage import county_model

FIXTURES = Path(__file__).parent / "fixtures" / "ssd"
OPTIONS = {"source_id": "csc", "agency_id": "AG-CSC", "extracted_at": "2025-01-31"}


def frames(name: str = "liquidlogic", **extra: str) -> dict[str, pd.DataFrame]:
    return ssd_to_import_frames(FIXTURES / name, **{**OPTIONS, **extra})


def test_liquidlogic_extract_maps_to_the_import_files():
    out = frames()
    assert set(out) == {"sources", "people", "families", "memberships", "professionals", "involvements",
                        "episodes", "needs"}
    people = out["people"].set_index("person_id")
    fields = ["given_name", "family_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn"]
    assert people.loc["csc:1003", fields].tolist() == [
        "Thomas", "Whitfield", "2014-03-09", "M", "FX2 4QT", "9991158383", "A899200114001"]
    assert people.loc["csc:1001", "postcode"] == "FX2 4QT"  # the open address, not the ended one
    assert people.loc["csc:1002", "nhs_number"] == "9991316760"  # from ssd_linked_identifiers
    assert people.loc["csc:1004", "upn"] == "A899200118007"  # 'UN1' is a UPN-unknown code, not a UPN
    assert people.loc["csc:1002", "postcode"] is None
    roles = out["memberships"].set_index("person_id")["role"].to_dict()
    assert (roles["csc:1001"], roles["csc:1002"], roles["csc:1005"]) == ("parent", "other_adult", "child")
    assert out["families"].set_index("family_id").loc["csc:F1", "name"] == "Whitfield family"
    assert "csc:1006:family" in set(out["families"]["family_id"])  # early help without an ssd_family row


def test_needs_come_from_cin_primary_need_and_early_help_reason():
    involvements = frames()["involvements"].set_index("involvement_id")
    assert involvements.loc["csc:I1", "need_codes"] == "neglect"  # referral R1, CIN code N1
    assert involvements.loc["csc:I2", "need_codes"] == "parental_conflict"  # open EH episode E1 at the time
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
    found = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert {("ssd_person.csv", 2, "pers_dob"), ("ssd_person.csv", 3, "pers_sex"),
            ("ssd_person.csv", 3, "pers_single_unique_id"), ("ssd_person.csv", 4, "pers_forename"),
            ("ssd_person.csv", 5, "pers_person_id"), ("ssd_family.csv", 3, "fami_person_id"),
            ("ssd_address.csv", 2, "addr_address_postcode"),
            ("ssd_involvements.csv", 2, "invo_involvement_start_date"),
            ("ssd_involvements.csv", 2, "invo_professional_id")} <= found
    assert any("31/02/2015" in p.reason for p in caught.value.problems)


def test_default_need_code_maps_involvements_without_a_need():
    with pytest.raises(SsdError) as caught:
        frames("bad", default_need_code="crime_asb")
    assert not any(p.column == "invo_referral_id" for p in caught.value.problems)


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
        ("school:P1", "Tom", "Whitfield", "2014-03-09", "M", "FX2 4QT", None, "A899200114001", "school"),
        ("school:P2", "Lilly", "Whitfield", "2017-12-01", "F", "FX2 4QT", None, None, "school"),
        ("school:P3", "Amira", "Hasan", "2010-05-05", "F", "FX11 2DE", None, None, "school"),
        ("school:P4", "Grace", "Whitfield", "2019-04-11", "F", "FX2 4QT", None, None, "school"),
    ], columns=list(ssd_people.columns))
    records = records_from_people(pd.concat([ssd_people, school], ignore_index=True))
    result = link(records, None, model=county_model())
    resolved = result.clusters.set_index("record_id")["resolved_id"]
    for csc, other in (("csc:1003", "school:P1"), ("csc:1004", "school:P2"), ("csc:1006", "school:P3")):
        assert resolved[csc] == resolved[other]
    assert resolved["school:P4"] not in set(resolved.drop("school:P4"))


def test_agency_ids_are_always_prefixed_so_they_cannot_collide() -> None:
    out = frames()
    for stem, column in (("people", "person_id"), ("families", "family_id"), ("involvements", "involvement_id"),
                         ("professionals", "professional_id"), ("episodes", "episode_id")):
        assert out[stem][column].str.startswith("csc:").all(), stem
    with pytest.raises(ValueError, match="must not be empty"):
        frames(id_prefix="")
