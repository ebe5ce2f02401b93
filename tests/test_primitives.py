"""Domain primitives, once in graphmodel: identifiers (python-stdnum check digits), the formula rule, suppression."""

from __future__ import annotations

import pytest

from graphmodel.formula import looks_like_formula, neutralise
from graphmodel.identifiers import id_key, nhs_number, postcode, sex_code, upn
from graphmodel.suppression import is_small


@pytest.mark.parametrize(("text", "expected"), [
    ("943 476 5919", "9434765919"), ("943-476-5919", "9434765919"), ("9434765918", None), ("12345", None),
    ("999100000A", None),
])
def test_nhs_numbers_need_the_right_check_digit(text: str, expected: str | None) -> None:
    assert nhs_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("H801200001001", "H801200001001"), ("h801200001001", "H801200001001"), ("A801200001001", None),
    ("UN1", None), ("H80120000100", None),
])
def test_upns_need_the_right_check_letter(text: str, expected: str | None) -> None:
    assert upn(text) == expected


def test_postcodes_sex_codes_and_id_keys() -> None:
    assert postcode("fx124qt") == "FX12 4QT" and postcode("NOT A POSTCODE") is None
    assert [sex_code(c) for c in ("f", "Male", "02", "09", "q")] == ["F", "M", "F", "X", None]
    assert id_key("F1") == id_key("f1") == id_key("F1\u200b") == id_key("Ｆ１") == "f1"
    assert id_key("F1") != id_key("F2")


@pytest.mark.parametrize("cell", ["=1+2", " =HYPERLINK(\"http://x\")", "\n=1", "\t=1", "@SUM(A1)", "-1+2*A3",
                                  "\u00a0+cmd|' /C calc'!A0"])
def test_formulas_are_found_past_leading_whitespace_and_neutralised(cell: str) -> None:
    assert looks_like_formula(cell)
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Sarah", " Sarah", "+44 1632 960001", "-12", "(01632) 960001"])
def test_ordinary_cells_are_not_formulas(cell: str) -> None:
    assert not looks_like_formula(cell)


def test_counts_from_one_to_five_are_small() -> None:
    assert [is_small(n) for n in (0, 1, 5, 6)] == [False, True, True, False]
