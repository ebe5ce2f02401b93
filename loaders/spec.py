"""The import format as data: every file, its columns, their types and references.

docs/data-format.md documents this; tests/test_data_format_doc.py fails when a column is undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graphmodel.roles import ADULT_ROLES, MEMBER_ROLES
from graphmodel.taxonomy import NEEDS, SECTORS, Tier

__all__ = [
    "ADULT_ROLES",
    "FILES",
    "FILE_ORDER",
    "MEMBER_ROLES",
    "RELATIONSHIP_KINDS",
    "ColumnSpec",
    "ColumnType",
    "FileSpec",
]


class ColumnType(StrEnum):
    """How a cell is checked and converted."""

    ID = "id"  # non-empty text, unique in the file
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD or DD/MM/YYYY (UK); Excel date cells accepted
    INT = "int"  # whole number >= 0
    BOOL = "bool"  # true/false, yes/no, y/n, 1/0
    ENUM = "enum"  # one of `choices`
    CODES = "codes"  # one or more of `choices`, separated by ';'


RELATIONSHIP_KINDS: tuple[str, ...] = (
    "parent_of", "step_parent_of", "grandparent_of", "partner_of", "ex_partner_of", "sibling_of", "carer_of",
)
EPISODE_KINDS: tuple[str, ...] = ("early_help", "social_care")
NEED_STATUSES: tuple[str, ...] = ("open", "closed")
SEXES: tuple[str, ...] = ("F", "M", "X", "U")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of an import file."""

    name: str
    type: ColumnType
    required: bool = False
    references: str | None = None  # stem of the file whose id this refers to
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One import file (CSV or .xlsx with the same stem)."""

    stem: str
    columns: tuple[ColumnSpec, ...]
    unique: tuple[str, ...]  # columns that together identify a row
    doc: str

    @property
    def id_column(self) -> str | None:
        """The column of type ID, if the file has one."""
        return next((c.name for c in self.columns if c.type is ColumnType.ID), None)

    def column(self, name: str) -> ColumnSpec:
        """The spec of a named column."""
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: ColumnType, required: bool = False, ref: str | None = None,
       choices: tuple[str, ...] = (), doc: str = "") -> ColumnSpec:
    return ColumnSpec(name, type_, required, ref, choices, doc)


T, D, N, B, E, C = (ColumnType.TEXT, ColumnType.DATE, ColumnType.INT, ColumnType.BOOL, ColumnType.ENUM,
                    ColumnType.CODES)
_SOURCE = _c("source_id", T, ref="sources", doc="The extract this row came from (sources.csv).")
_NEED_CODES = tuple(sorted(NEEDS))

FILES: dict[str, FileSpec] = {
    f.stem: f
    for f in (
        FileSpec("agencies", (
            _c("agency_id", ColumnType.ID, True, doc="Id of the agency."),
            _c("name", T, True, doc="Name of the agency or service."),
            _c("sector", E, True, choices=tuple(SECTORS), doc="Sector code (see the sector table)."),
            _c("tier", E, choices=tuple(t.value for t in Tier), doc="universal, targeted or specialist; "
               "defaults to the sector's usual tier."),
            _c("district", T, doc="District served, if local."),
        ), ("agency_id",), "Agencies and services."),
        FileSpec("sources", (
            _c("source_id", ColumnType.ID, True, doc="Id of the extract."),
            _c("agency_id", T, ref="agencies", doc="Agency that supplied the extract."),
            _c("extracted_at", D, True, doc="Date the extract was taken."),
            _c("coverage_from", D, doc="First date the extract covers."),
            _c("coverage_to", D, doc="Last date the extract covers."),
            _c("description", T, doc="Free text."),
        ), ("source_id",), "One row per extract (per agency file): freshness and coverage."),
        FileSpec("professionals", (
            _c("professional_id", ColumnType.ID, True, doc="Id of the professional."),
            _c("name", T, True, doc="Full name."),
            _c("agency_id", T, True, "agencies", doc="Agency they work for."),
            _c("role", T, doc="Job title, e.g. Family Worker."),
            _c("team", T, doc="Team within the agency (used to count transfers)."),
            _c("email", T, doc="Work email."),
            _c("phone", T, doc="Work phone."),
            _c("lead_capacity", N, doc="How many families they can lead at once."),
            _SOURCE,
        ), ("professional_id",), "Professionals (practitioners)."),
        FileSpec("families", (
            _c("family_id", ColumnType.ID, True, doc="Id of the family."),
            _c("name", T, True, doc="Label, e.g. 'Smith family'."),
            _c("postcode", T, doc="Main household postcode."),
            _c("district", T, doc="District (for strategic filters)."),
            _SOURCE,
        ), ("family_id",), "Families (wider than a household)."),
        FileSpec("people", (
            _c("person_id", ColumnType.ID, True, doc="Id of the person record."),
            _c("given_name", T, True, doc="Given name."),
            _c("family_name", T, True, doc="Family name."),
            _c("date_of_birth", D, doc="Date of birth; not in the future."),
            _c("sex", E, choices=SEXES, doc="F, M, X or U (unknown)."),
            _c("postcode", T, doc="Postcode."),
            _c("nhs_number", T, doc="NHS number, if known."),
            _c("upn", T, doc="Unique pupil number, if known."),
            _SOURCE,
        ), ("person_id",), "People (one row per record)."),
        FileSpec("memberships", (
            _c("person_id", T, True, "people", doc="The person."),
            _c("family_id", T, True, "families", doc="The family."),
            _c("role", E, True, choices=MEMBER_ROLES, doc="Their place in the family; child or an adult role."),
            _c("resident", B, True, doc="Lives in the household (a non-resident father is false)."),
            _SOURCE,
        ), ("person_id", "family_id"), "Who belongs to which family; a person may belong to several."),
        FileSpec("relationships", (
            _c("person_id", T, True, "people", doc="The first person."),
            _c("related_person_id", T, True, "people", doc="The second person."),
            _c("kind", E, True, choices=RELATIONSHIP_KINDS, doc="How the first relates to the second."),
            _SOURCE,
        ), ("person_id", "related_person_id", "kind"), "Relationships between people."),
        FileSpec("needs", (
            _c("person_id", T, True, "people", doc="Who holds the need."),
            _c("need_code", E, True, choices=_NEED_CODES, doc="Need code (see the need table)."),
            _c("since", D, True, doc="Identified on."),
            _c("until", D, doc="Resolved on; empty while open; not before since."),
            _c("status", E, choices=NEED_STATUSES, doc="open or closed; defaults from until."),
            _SOURCE,
        ), ("person_id", "need_code", "since"), "Needs held by people over time."),
        FileSpec("involvements", (
            _c("involvement_id", ColumnType.ID, True, doc="Id of the piece of work (the agency's own id)."),
            _c("professional_id", T, True, "professionals", doc="Who does the work."),
            _c("person_id", T, ref="people", doc="The member worked with; empty for whole-family work."),
            _c("family_id", T, ref="families", doc="The family, for whole-family work."),
            _c("need_codes", C, True, choices=_NEED_CODES, doc="Needs addressed, separated by ';'."),
            _c("service", T, doc="Service or programme."),
            _c("start", D, True, doc="Start date."),
            _c("end", D, doc="End date; empty while open; not before start."),
            _SOURCE,
        ), ("involvement_id",), "Involvements: one professional's work with a person or a family."),
        FileSpec("leads", (
            _c("professional_id", T, True, "professionals", doc="The lead professional."),
            _c("family_id", T, True, "families", doc="The family they lead for."),
            _c("since", D, True, doc="Assigned on."),
            _c("until", D, doc="Ended on; empty while current; not before since."),
            _SOURCE,
        ), ("professional_id", "family_id", "since"), "Lead professional assignments (history kept)."),
        FileSpec("episodes", (
            _c("episode_id", ColumnType.ID, True, doc="Id of the episode."),
            _c("family_id", T, True, "families", doc="The family."),
            _c("kind", E, True, choices=EPISODE_KINDS, doc="early_help or social_care."),
            _c("opened", D, True, doc="Opened on."),
            _c("closed", D, doc="Closed on; empty while open; not before opened."),
            _c("end_reason", T, doc="Why it closed."),
            _c("assessment_date", D, doc="Whole-family assessment completed on."),
            _c("plan_date", D, doc="Family plan agreed on."),
            _SOURCE,
        ), ("episode_id",), "Early help and social care episodes."),
    )
}

FILE_ORDER: tuple[str, ...] = tuple(FILES)
"""Files in the order they are read and reported."""
