"""The import format as one declarative mapping: every file, its columns (types, references, key), and the
graph it becomes (a node label with its properties, relationships with their ends and properties).

Validation (loaders/validate.py, loaders/folder.py), conversion to graph rows for both stores
(loaders/to_graph.py) and the file tables of docs/data-format.md (loaders/docs.py) are all driven from
FILES. To add an import file: a FileSpec here, its label or relationship in graphmodel/schema.py,
`python -m loaders.docs` to regenerate the doc, and a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graphmodel.identifiers import SEXES
from graphmodel.roles import ADULT_ROLES, MEMBER_ROLES
from graphmodel.schema import Label
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
    "NodeMap",
    "RelMap",
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
    NHS_NUMBER = "nhs number"  # 10 digits with a modulus-11 check digit
    UPN = "upn"  # unique pupil number: check letter and 12 characters
    POSTCODE = "postcode"  # a UK postcode


RELATIONSHIP_KINDS: tuple[str, ...] = (
    "parent_of", "step_parent_of", "grandparent_of", "partner_of", "ex_partner_of", "sibling_of", "carer_of",
)
EPISODE_KINDS: tuple[str, ...] = ("early_help", "social_care")
NEED_STATUSES: tuple[str, ...] = ("open", "closed")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of an import file."""

    name: str
    type: ColumnType
    required: bool = False
    references: str | None = None  # stem of the file whose id this refers to
    choices: tuple[str, ...] = ()
    doc: str = ""
    droppable: bool | None = None
    """Whether a bad value is a value problem (the record loads without it); None = by the rule in FileSpec."""
    default: str | None = None
    """How an empty cell is filled after validation: a name in loaders.folder.DEFAULTS."""


@dataclass(frozen=True, slots=True)
class NodeMap:
    """A file's rows as nodes: the label, and which column becomes which property (the id column -> 'id')."""

    label: Label
    properties: dict[str, str]
    derive: str | None = None
    """Properties computed from the row (search keys, normalised postcodes): a name in loaders.to_graph.DERIVED."""


@dataclass(frozen=True, slots=True)
class RelMap:
    """A file's rows as relationships of a schema relationship: start and end columns, properties by column."""

    name: str  # the RelSpec name in graphmodel/schema.py
    src: str
    dst: str
    properties: tuple[str, ...] = ()  # columns stored under the same name (the RelSpec's key and properties)
    when: str | None = None  # only rows where this column has a value
    each_code: bool = False  # dst is a codes column: one relationship per code


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One import file (CSV or .xlsx with the same stem) and the graph it becomes."""

    stem: str
    singular: str  # what one row is, in messages ("unknown person id")
    columns: tuple[ColumnSpec, ...]
    unique: tuple[str, ...]  # columns that together identify a row
    doc: str
    node: NodeMap | None = None
    rels: tuple[RelMap, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()  # (earlier, later) pairs: the later may not be before
    one_of: tuple[str, ...] = ()  # exactly one of these columns must be given
    distinct: tuple[str, ...] = ()  # these columns may not hold the same value in a row

    @property
    def id_column(self) -> str | None:
        """The column of type ID, if the file has one."""
        return next((c.name for c in self.columns if c.type is ColumnType.ID), None)

    def column(self, name: str) -> ColumnSpec:
        """The spec of a named column."""
        return next(c for c in self.columns if c.name == name)

    def droppable(self, column: ColumnSpec) -> bool:
        """True if a bad value in this column is a value problem: the record loads without the value.

        Ids, references and key columns never are; nor are required columns other than text and dates
        (a role, a need code or a yes/no the record means nothing without); columns may say otherwise.
        """
        if column.droppable is not None:
            return column.droppable
        if column.type is ColumnType.ID or column.references or column.name in self.unique:
            return False
        return not column.required or column.type in (ColumnType.TEXT, ColumnType.DATE)


def _c(name: str, type_: ColumnType, required: bool = False, ref: str | None = None,
       choices: tuple[str, ...] = (), doc: str = "", droppable: bool | None = None,
       default: str | None = None) -> ColumnSpec:
    return ColumnSpec(name, type_, required, ref, choices, doc, droppable, default)


T, D, N, B, E, C = (ColumnType.TEXT, ColumnType.DATE, ColumnType.INT, ColumnType.BOOL, ColumnType.ENUM,
                    ColumnType.CODES)
_SOURCE = _c("source_id", T, ref="sources", doc="The extract this row came from (sources.csv).")
_NEED_CODES = tuple(sorted(NEEDS))

FILES: dict[str, FileSpec] = {
    f.stem: f
    for f in (
        FileSpec("agencies", "agency", (
            _c("agency_id", ColumnType.ID, True, doc="Id of the agency."),
            _c("name", T, True, doc="Name of the agency or service."),
            _c("sector", E, True, choices=tuple(SECTORS), doc="Sector code (see the sector table)."),
            _c("tier", E, choices=tuple(t.value for t in Tier), doc="universal, targeted or specialist; "
               "defaults to the sector's usual tier.", default="sector_tier"),
            _c("district", T, doc="District served, if local."),
        ), ("agency_id",), "Agencies and services.",
            node=NodeMap(Label.AGENCY, {"agency_id": "id", "name": "name", "sector": "sector", "tier": "tier",
                                        "district": "district"})),
        FileSpec("sources", "source", (
            _c("source_id", ColumnType.ID, True, doc="Id of the extract."),
            _c("agency_id", T, ref="agencies", doc="Agency that supplied the extract."),
            _c("extracted_at", D, True, doc="Date the extract was taken.", droppable=False),
            _c("coverage_from", D, doc="First date the extract covers."),
            _c("coverage_to", D, doc="Last date the extract covers."),
            _c("description", T, doc="Free text."),
        ), ("source_id",), "One row per extract (per agency file): freshness and coverage.",
            node=NodeMap(Label.SOURCE, {"source_id": "id", "agency_id": "agency_id", "extracted_at": "extracted_at",
                                        "coverage_from": "coverage_from", "coverage_to": "coverage_to",
                                        "description": "description"}),
            date_order=(("coverage_from", "coverage_to"),)),
        FileSpec("professionals", "professional", (
            _c("professional_id", ColumnType.ID, True, doc="Id of the professional."),
            _c("name", T, True, doc="Full name."),
            _c("agency_id", T, True, "agencies", doc="Agency they work for."),
            _c("role", T, doc="Job title, e.g. Family Worker."),
            _c("team", T, doc="Team within the agency (used to count transfers)."),
            _c("email", T, doc="Work email."),
            _c("phone", T, doc="Work phone."),
            _c("lead_capacity", N, doc="How many families they can lead at once."),
            _SOURCE,
        ), ("professional_id",), "Professionals (practitioners).",
            node=NodeMap(Label.PROFESSIONAL, {"professional_id": "id", "name": "name", "role": "role", "team": "team",
                                              "email": "email", "phone": "phone", "lead_capacity": "lead_capacity",
                                              "source_id": "source_id"}),
            rels=(RelMap("works_for", "professional_id", "agency_id"),)),
        FileSpec("families", "family", (
            _c("family_id", ColumnType.ID, True, doc="Id of the family."),
            _c("name", T, True, doc="Label, e.g. 'Smith family'."),
            _c("postcode", ColumnType.POSTCODE, doc="Main household postcode."),
            _c("district", T, doc="District (for strategic filters)."),
            _SOURCE,
        ), ("family_id",), "Families (wider than a household).",
            node=NodeMap(Label.FAMILY, {"family_id": "id", "name": "name", "postcode": "postcode",
                                        "district": "district", "source_id": "source_id"}, derive="postcode_key")),
        FileSpec("people", "person", (
            _c("person_id", ColumnType.ID, True, doc="Id of the person record."),
            _c("given_name", T, True, doc="Given name."),
            _c("family_name", T, True, doc="Family name."),
            _c("date_of_birth", D, doc="Date of birth; not in the future."),
            _c("sex", E, choices=SEXES, doc="F, M, X or U (unknown)."),
            _c("postcode", ColumnType.POSTCODE, doc="Postcode."),
            _c("nhs_number", ColumnType.NHS_NUMBER, doc="NHS number, if known (its check digit must be right)."),
            _c("upn", ColumnType.UPN, doc="Unique pupil number, if known (its check letter must be right)."),
            _SOURCE,
            _c("address_line1", T, doc="First line of the address (house and street), for record linkage."),
            _c("town", T, doc="Town or locality of the address, for record linkage."),
            _c("police_id", T, doc="The police's id for the person, if known (compared exactly in record linkage)."),
            _c("other_id", T, doc="Another agency's id for the person, if known (compared exactly in record "
               "linkage)."),
        ), ("person_id",), "People (one row per record).",
            node=NodeMap(Label.PERSON, {"person_id": "id", "given_name": "given_name", "family_name": "family_name",
                                        "date_of_birth": "dob", "sex": "sex", "postcode": "postcode",
                                        "address_line1": "address_line1", "town": "town",
                                        "police_id": "police_id", "other_id": "other_id",
                                        "nhs_number": "nhs_number", "upn": "upn", "source_id": "source_id"},
                         derive="person_keys")),
        FileSpec("memberships", "membership", (
            _c("person_id", T, True, "people", doc="The person."),
            _c("family_id", T, True, "families", doc="The family."),
            _c("role", E, True, choices=MEMBER_ROLES, doc="Their place in the family; child or an adult role."),
            _c("resident", B, True, doc="Lives in the household (a non-resident father is false)."),
            _SOURCE,
        ), ("person_id", "family_id"), "Who belongs to which family; a person may belong to several.",
            rels=(RelMap("member_of", "person_id", "family_id", ("role", "resident", "source_id")),)),
        FileSpec("relationships", "relationship", (
            _c("person_id", T, True, "people", doc="The first person."),
            _c("related_person_id", T, True, "people", doc="The second person."),
            _c("kind", E, True, choices=RELATIONSHIP_KINDS, doc="How the first relates to the second."),
            _SOURCE,
        ), ("person_id", "related_person_id", "kind"), "Relationships between people.",
            rels=(RelMap("related_to", "person_id", "related_person_id", ("kind", "source_id")),),
            distinct=("person_id", "related_person_id")),
        FileSpec("needs", "need", (
            _c("person_id", T, True, "people", doc="Who holds the need."),
            _c("need_code", E, True, choices=_NEED_CODES, doc="Need code (see the need table)."),
            _c("since", D, True, doc="Identified on."),
            _c("until", D, doc="Resolved on; empty while open; not before since."),
            _c("status", E, choices=NEED_STATUSES, doc="open or closed; defaults from until.",
               default="status_from_until"),
            _SOURCE,
        ), ("person_id", "need_code", "since"), "Needs held by people over time.",
            rels=(RelMap("has_need", "person_id", "need_code", ("since", "until", "status", "source_id")),),
            date_order=(("since", "until"),)),
        FileSpec("involvements", "involvement", (
            _c("involvement_id", ColumnType.ID, True, doc="Id of the piece of work (the agency's own id)."),
            _c("professional_id", T, True, "professionals", doc="Who does the work."),
            _c("person_id", T, ref="people", doc="The member worked with; empty for whole-family work."),
            _c("family_id", T, ref="families", doc="The family, for whole-family work."),
            _c("need_codes", C, True, choices=_NEED_CODES, doc="Needs addressed, separated by ';'."),
            _c("service", T, doc="Service or programme."),
            _c("start", D, True, doc="Start date."),
            _c("end", D, doc="End date; empty while open; not before start."),
            _SOURCE,
        ), ("involvement_id",), "Involvements: one professional's work with a person or a family.",
            node=NodeMap(Label.INVOLVEMENT, {"involvement_id": "id", "service": "service", "start": "start_date",
                                             "end": "end_date", "source_id": "source_id"}),
            rels=(RelMap("delivers", "professional_id", "involvement_id"),
                  RelMap("with_person", "involvement_id", "person_id", when="person_id"),
                  RelMap("with_family", "involvement_id", "family_id", when="family_id"),
                  RelMap("addresses", "involvement_id", "need_codes", each_code=True)),
            date_order=(("start", "end"),), one_of=("person_id", "family_id")),
        FileSpec("leads", "lead", (
            _c("professional_id", T, True, "professionals", doc="The lead professional."),
            _c("family_id", T, True, "families", doc="The family they lead for."),
            _c("since", D, True, doc="Assigned on."),
            _c("until", D, doc="Ended on; empty while current; not before since."),
            _SOURCE,
        ), ("professional_id", "family_id", "since"), "Lead professional assignments (history kept).",
            rels=(RelMap("leads", "professional_id", "family_id", ("since", "until", "source_id")),),
            date_order=(("since", "until"),)),
        FileSpec("episodes", "episode", (
            _c("episode_id", ColumnType.ID, True, doc="Id of the episode."),
            _c("family_id", T, True, "families", doc="The family."),
            _c("kind", E, True, choices=EPISODE_KINDS, doc="early_help or social_care."),
            _c("opened", D, True, doc="Opened on.", droppable=False),
            _c("closed", D, doc="Closed on; empty while open; not before opened."),
            _c("end_reason", T, doc="Why it closed."),
            _c("assessment_date", D, doc="Whole-family assessment completed on."),
            _c("plan_date", D, doc="Family plan agreed on."),
            _SOURCE,
        ), ("episode_id",), "Early help and social care episodes.",
            node=NodeMap(Label.EPISODE, {"episode_id": "id", "kind": "kind", "opened": "opened", "closed": "closed",
                                         "end_reason": "end_reason", "assessment_date": "assessment_date",
                                         "plan_date": "plan_date", "source_id": "source_id"}),
            rels=(RelMap("had", "family_id", "episode_id"),),
            date_order=(("opened", "closed"), ("opened", "assessment_date"), ("assessment_date", "plan_date"))),
    )
}

FILE_ORDER: tuple[str, ...] = tuple(FILES)
"""Files in the order they are read and reported (every reference points at an earlier file)."""
