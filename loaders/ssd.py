"""Standard Safeguarding Dataset (SSD) extracts, as Liquidlogic or Mosaic export them, in the import format.

Column names are those of data-to-insight/ssd-data-model (data/objects/*.yml and the deployment scripts);
docs/linkage.md has the mapping table. The frames come back keyed by import file stem, as text, ready for
loaders.folder.validate_tables (ssd_tables wraps them), so the usual validation and all-or-nothing rules hold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from graphmodel.taxonomy import NEEDS
from loaders.problems import LoadRejected, Problem
from loaders.reading import RawTable, read_table

__all__ = ["CIN_NEED_CODES", "EH_REASON_KEYWORDS", "SSD_TABLES", "SsdError", "parse_date", "parse_nhs",
           "parse_postcode", "parse_sex", "parse_upn", "reason_needs", "ssd_tables", "ssd_to_import_frames"]

SSD_TABLES: tuple[str, ...] = ("ssd_person", "ssd_family", "ssd_address", "ssd_linked_identifiers",
                               "ssd_professionals", "ssd_involvements", "ssd_early_help_episodes",
                               "ssd_cin_episodes")
"""SSD tables read when present; only ssd_person is required."""

CIN_NEED_CODES: dict[str, str] = {"N1": "neglect", "N2": "physical_health", "N3": "physical_health",
                                  "N4": "parental_conflict", "N5": "parental_conflict", "N6": "crime_asb",
                                  "N7": "worklessness", "N8": "neglect"}
"""CIN primary need code (cine_cin_primary_need_code) -> need code; N9 (not in need) maps to none."""

EH_REASON_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("substance", "substance_misuse"), ("alcohol", "substance_misuse"), ("mental health", "mental_health"),
    ("parenting", "parental_conflict"), ("family dynamics", "parental_conflict"),
    ("disabilit", "physical_health"), ("illness", "physical_health"), ("domestic", "domestic_abuse"),
    ("neglect", "neglect"), ("child abuse", "neglect"), ("socio-economic", "debt"), ("socioeconomic", "debt"),
    ("well-being", "early_years"), ("wellbeing", "early_years"), ("development", "early_years"),
    ("housing", "housing"), ("homeless", "housing"), ("attendance", "school_attendance"),
    ("exploitation", "exploitation"), ("crime", "crime_asb"), ("anti-social", "crime_asb"),
    ("young carer", "young_carer"),
)
"""Words in earl_episode_reason (the SSD's suggested categories, or free text) -> need code."""

_PLACEHOLDERS = ("SSD_PH", "PLACEHOLDER_DATA")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
_SEX = {"M": "M", "MALE": "M", "F": "F", "FEMALE": "F", "U": "U", "UNKNOWN": "U", "X": "X", "I": "X",
        "01": "M", "1": "M", "02": "F", "2": "F", "00": "U", "0": "U", "09": "X", "9": "X"}
_NHS_COLUMNS = ("pers_single_unique_id", "pers_common_child_id")  # deployment scripts / object definitions


class SsdError(LoadRejected):
    """The SSD extract cannot be mapped; `problems` name the SSD file, row, column and reason."""


class _Extract:
    """The SSD tables of one folder, and the problems found while mapping them."""

    def __init__(self, folder: Path) -> None:
        self.problems: list[Problem] = []
        self.tables: dict[str, RawTable] = {}
        files = {p.stem.lower(): p for p in sorted(folder.iterdir())
                 if p.is_file() and p.suffix.lower() in (".csv", ".xlsx")} if folder.is_dir() else {}
        for name in SSD_TABLES:
            if name in files:
                raw = read_table(files[name])
                frame = raw.frame.rename(columns=lambda c: str(c).strip().lower())
                cleaned = frame.astype(object).map(_clean).astype(object)
                self.tables[name] = RawTable(raw.name, cleaned.where(cleaned.notna(), None), raw.note)
        if "ssd_person" not in self.tables:
            raise SsdError([Problem(str(folder / "ssd_person.csv"), 0, "-", "ssd_person is required")])

    def frame(self, name: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
        """A table (empty if absent), after checking its required columns are there."""
        if name not in self.tables:
            return pd.DataFrame(columns=list(required))
        raw = self.tables[name]
        for column in required:
            if column not in raw.frame.columns:
                self.problem(name, 1, column, "required column is missing")
        return raw.frame.reindex(columns=sorted(set(raw.frame.columns) | set(required)))

    def problem(self, table: str, row: int, column: str, reason: str) -> None:
        """Note a problem against the SSD file."""
        name = self.tables[table].name if table in self.tables else f"{table}.csv"
        self.problems.append(Problem(name, int(row), column, reason))

    def cells(self, table: str, frame: pd.DataFrame, column: str, parse: Callable[[str], str | None],
              what: str) -> pd.Series:
        """Parse a column; a cell parse rejects (returns None for) is a problem naming what was expected."""
        out = pd.Series(None, index=frame.index, dtype=object)
        for row, value in frame[column].dropna().items():
            parsed = parse(str(value))
            if parsed is None:
                self.problem(table, int(row), column, f"{value!r} is not {what}")
            out[row] = parsed
        return out

    def ids(self, table: str, frame: pd.DataFrame, column: str) -> None:
        """Report empty and repeated ids."""
        for row in frame.index[frame[column].isna()]:
            self.problem(table, int(row), column, "id is empty")
        repeated = frame[column].duplicated(keep="first") & frame[column].notna()
        for row, value in frame[column][repeated].items():
            self.problem(table, int(row), column, f"id {value!r} is repeated")

    def known(self, table: str, frame: pd.DataFrame, column: str, ids: set[str], target: str) -> None:
        """Report references to ids the target table does not hold."""
        for row, value in frame[column].dropna().items():
            if value not in ids:
                self.problem(table, int(row), column, f"{value!r} is not a {target} in this extract")


def ssd_to_import_frames(folder: Path, *, source_id: str, agency_id: str, extracted_at: str | None = None,
                         default_need_code: str | None = None, id_prefix: str | None = None,
                         ) -> dict[str, pd.DataFrame]:
    """Convert an SSD extract folder to import frames (sources, people, families, memberships, ...).

    Ids are prefixed with `id_prefix` (default '<source_id>:') so agencies' own ids never collide.
    An involvement needs at least one need code: it comes from its CIN referral's primary need, else the
    person's early help episode reason at the time, else `default_need_code`; failing all, it is a problem.
    Raises SsdError listing every (file, row, column, reason) that cannot be mapped.
    """
    if default_need_code is not None and default_need_code not in NEEDS:
        raise ValueError(f"unknown need code {default_need_code!r}")
    ex = _Extract(Path(folder))
    extracted = extracted_at or dt.date.today().isoformat()
    prefix = f"{source_id}:" if id_prefix is None else id_prefix
    if not prefix.strip():
        raise ValueError("id_prefix must not be empty: the agency's own ids would share the council-wide id space")
    frames = _Mapper(ex, source_id, agency_id, extracted, default_need_code, prefix).frames()
    if ex.problems:
        raise SsdError(ex.problems)
    return frames


def ssd_tables(folder: Path, **options: str | None) -> dict[str, RawTable]:
    """ssd_to_import_frames wrapped as RawTables for loaders.folder.validate_tables."""
    frames = ssd_to_import_frames(folder, **options)  # type: ignore[arg-type]
    return {stem: RawTable(f"{stem} (from SSD extract {Path(folder).name})", frame)
            for stem, frame in frames.items()}


def _clean(value: object) -> object:
    """Strip text; SSD placeholders ('SSD_PH', 'PLACEHOLDER_DATA') and blanks become None."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    text = str(value).strip()
    return None if not text or text.upper().startswith(_PLACEHOLDERS) else text


def parse_date(text: str) -> str | None:
    """An SSD datetime ('2024-03-01', '2024-03-01 00:00:00.000', '01/03/2024') as an ISO date, or None."""
    iso, uk = _ISO.match(text), _UK.match(text)
    parts = (iso.group(1), iso.group(2), iso.group(3)) if iso else (uk.group(3), uk.group(2), uk.group(1)) \
        if uk else None
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


def parse_sex(text: str) -> str | None:
    """pers_sex (M/F/U) or pers_gender code (01/02/00/09) as F, M, X or U."""
    return _SEX.get(text.strip().upper())


def parse_nhs(text: str) -> str | None:
    """A 10-digit NHS number whose modulus-11 check digit is right, spaces removed."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{10}", digits):
        return None
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return digits if (0 if check == 11 else check) == int(digits[9]) else None


def parse_upn(text: str) -> str | None:
    """A 13-character unique pupil number (letter, 11 digits, digit or letter)."""
    upn = text.strip().upper()
    return upn if _UPN.match(upn) else None


def parse_postcode(text: str) -> str | None:
    """A UK postcode in standard form ('fx124qt' -> 'FX12 4QT')."""
    match = _POSTCODE.match(re.sub(r"\s+", "", text).upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def reason_needs(text: str) -> list[str]:
    """Need codes named by an early help reason (keywords, or need codes written as such)."""
    lowered = text.lower()
    found = [code for word, code in EH_REASON_KEYWORDS if word in lowered]
    found += [code for code in re.split(r"[;,/ ]+", lowered) if code in NEEDS]
    return sorted(set(found))


def _mode(values: pd.Series) -> str | None:
    """The most common value (alphabetically first among ties), or None."""
    counts = values.dropna().value_counts()
    return None if counts.empty else str(sorted(counts[counts == counts.max()].index)[0])


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells with None for empty, rows numbered from 2 (as a spreadsheet under its header)."""
    out = frame.reset_index(drop=True).astype(object)
    out.index = pd.RangeIndex(2, 2 + len(out))
    return out.where(out.notna(), None)


def _none(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype=object)


class _Mapper:
    """Maps one extract's SSD tables to import frames, noting problems on the extract."""

    def __init__(self, ex: _Extract, source_id: str, agency_id: str, extracted: str, default_need: str | None,
                 prefix: str) -> None:
        self.ex, self.source, self.agency, self.extracted = ex, source_id, agency_id, extracted
        self.default_need, self.p = default_need, prefix
        self.referral_needs: dict[str, str] = {}

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every import frame the extract supports."""
        ex = self.ex
        people = self.people()
        professionals = self.professionals()
        eh = ex.frame("ssd_early_help_episodes",
                      ("earl_episode_id", "earl_person_id", "earl_episode_start_date"))
        cin = ex.frame("ssd_cin_episodes", ("cine_referral_id", "cine_person_id", "cine_referral_date"))
        memberships = self.memberships(people, set(eh["earl_person_id"].dropna()) | set(
            cin["cine_person_id"].dropna()))
        family_of = memberships.sort_values("family_id").groupby("person_id")["family_id"].first()
        episodes, eh_needs, eh_work = self.early_help(eh, people, family_of, professionals)
        cin_episodes, cin_needs = self.cin(cin, people, family_of)
        involvements = pd.concat([self.involvements(people, professionals, cin, eh_needs), eh_work])
        needs = pd.concat([eh_needs, cin_needs]).drop_duplicates(["person_id", "need_code", "since"])
        out = {"sources": pd.DataFrame([{"source_id": self.source, "agency_id": self.agency,
                                          "extracted_at": self.extracted,
                                          "description": "Standard Safeguarding Dataset extract"}]),
               "people": people.drop(columns=["_ssd_id", "_role"]),
               "families": self.name_families(memberships, people), "memberships": memberships,
               "professionals": professionals.drop(columns=["_ssd_id"]), "involvements": involvements,
               "episodes": pd.concat([episodes, cin_episodes]), "needs": needs}
        return {stem: _numbered(frame) for stem, frame in out.items() if len(frame) or stem == "people"}

    def people(self) -> pd.DataFrame:
        """ssd_person (+ ssd_address, ssd_linked_identifiers) -> people."""
        ex, t = self.ex, "ssd_person"
        person = ex.frame(t, ("pers_person_id", "pers_forename", "pers_surname"))
        ex.ids(t, person, "pers_person_id")
        for column in ("pers_forename", "pers_surname"):
            for row in person.index[person[column].isna()]:
                ex.problem(t, int(row), column, "name is empty; every person needs a given and a family name")
        sex = ex.cells(t, person, "pers_sex", parse_sex, "a sex code (F, M, U)") if "pers_sex" in person \
            else _none(person.index)
        if "pers_gender" in person:
            sex = sex.fillna(ex.cells(t, person[sex.isna()], "pers_gender", parse_sex,
                                      "a gender code (00, 01, 02, 09)"))
        nhs = _none(person.index)
        for column in (c for c in _NHS_COLUMNS if c in person):
            nhs = nhs.fillna(ex.cells(t, person, column, parse_nhs, "a valid NHS number"))
        upn_cells = person.get("pers_upn", _none(person.index))
        upn_cells = upn_cells.where(~upn_cells.fillna("").str.fullmatch(r"(?i)UN\d+"))  # 'UPN unknown' codes
        upn = ex.cells(t, person.assign(pers_upn=upn_cells), "pers_upn", parse_upn, "a 13-character UPN")
        dob = ex.cells(t, person, "pers_dob", parse_date, "a date") if "pers_dob" in person else _none(
            person.index)
        expected = ex.cells(t, person, "pers_expected_dob", parse_date, "a date") \
            if "pers_expected_dob" in person else _none(person.index)
        mother = person.get("pers_is_mother", _none(person.index)).fillna("").str.upper().eq("Y")
        pid = person["pers_person_id"]
        ids = set(pid.dropna())
        linked_nhs, linked_upn = self.linked_identifiers(ids)
        out = pd.DataFrame({
            "person_id": self.p + pid.astype(object), "given_name": person["pers_forename"],
            "family_name": person["pers_surname"], "date_of_birth": dob, "sex": sex,
            "postcode": pid.map(self.current_postcodes(ids)), "nhs_number": nhs.fillna(pid.map(linked_nhs)),
            "upn": upn.fillna(pid.map(linked_upn)), "source_id": self.source, "_ssd_id": pid})
        out["_role"] = [self.role(d, e, m) for d, e, m in zip(dob, expected, mother, strict=True)]
        return out.astype(object).where(out.notna(), None)

    def role(self, dob: str | None, expected: str | None, mother: bool) -> str:
        """child under 18 (or unborn) on the extraction date; else parent if a mother, else other_adult."""
        if not isinstance(dob, str):
            return "child" if isinstance(expected, str) else "other_adult"
        born, on = dt.date.fromisoformat(dob), dt.date.fromisoformat(self.extracted)
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        return "child" if age < 18 else ("parent" if mother else "other_adult")

    def linked_identifiers(self, ids: set[str]) -> tuple[dict[str, str], dict[str, str]]:
        """NHS numbers and UPNs from ssd_linked_identifiers, by SSD person id."""
        ex, t = self.ex, "ssd_linked_identifiers"
        link = ex.frame(t, ("link_person_id", "link_identifier_type", "link_identifier_value"))
        ex.known(t, link, "link_person_id", ids, "person (pers_person_id)")
        kind = link["link_identifier_type"].fillna("").str.strip().str.lower()
        nhs, upn = link[kind == "nhs number"], link[kind == "unique pupil number"]
        nhs_values = ex.cells(t, nhs, "link_identifier_value", parse_nhs, "a valid NHS number")
        upn_values = ex.cells(t, upn, "link_identifier_value", parse_upn, "a 13-character UPN")
        return (dict(zip(nhs["link_person_id"], nhs_values, strict=True)),
                dict(zip(upn["link_person_id"], upn_values, strict=True)))

    def current_postcodes(self, ids: set[str]) -> dict[str, str | None]:
        """Each person's postcode at the extraction date (open address, latest start) from ssd_address."""
        ex, t = self.ex, "ssd_address"
        addr = ex.frame(t, ("addr_person_id", "addr_address_postcode"))
        if addr.empty:
            return {}
        ex.known(t, addr, "addr_person_id", ids, "person (pers_person_id)")
        dates = {c: ex.cells(t, addr, c, parse_date, "a date") if c in addr else _none(addr.index)
                 for c in ("addr_address_start_date", "addr_address_end_date")}
        addr = addr.assign(pc=ex.cells(t, addr, "addr_address_postcode", parse_postcode, "a UK postcode"),
                           start=dates["addr_address_start_date"], end=dates["addr_address_end_date"])
        current = addr[addr["end"].isna() | (addr["end"].fillna("") >= self.extracted)]
        current = current.sort_values("start", na_position="first", kind="stable")
        return current.groupby("addr_person_id")["pc"].last().to_dict()

    def professionals(self) -> pd.DataFrame:
        """ssd_professionals -> professionals (name falls back to 'Worker <staff id>')."""
        ex, t = self.ex, "ssd_professionals"
        prof = ex.frame(t, ("prof_professional_id",))
        ex.ids(t, prof, "prof_professional_id")
        staff = prof.get("prof_staff_id", _none(prof.index)).fillna(prof["prof_professional_id"])
        return pd.DataFrame({
            "professional_id": self.p + prof["prof_professional_id"].astype(object),
            "name": prof.get("prof_professional_name", _none(prof.index)).fillna("Worker " + staff),
            "agency_id": self.agency, "role": prof.get("prof_professional_job_title"),
            "team": prof.get("prof_professional_department"), "source_id": self.source,
            "_ssd_id": prof["prof_professional_id"]})

    def memberships(self, people: pd.DataFrame, need_family: set[str]) -> pd.DataFrame:
        """ssd_family -> resident memberships; people with episodes but no family get one of their own."""
        ex, t = self.ex, "ssd_family"
        fam = ex.frame(t, ("fami_family_id", "fami_person_id"))
        for column in ("fami_family_id", "fami_person_id"):
            for row in fam.index[fam[column].isna()]:
                ex.problem(t, int(row), column, "value is empty")
        known = set(people["_ssd_id"].dropna())
        ex.known(t, fam, "fami_person_id", known, "person (pers_person_id)")
        fam = fam.dropna(subset=["fami_family_id", "fami_person_id"]).drop_duplicates(
            ["fami_family_id", "fami_person_id"])
        alone = sorted((need_family & known) - set(fam["fami_person_id"]))
        pairs = list(zip(fam["fami_person_id"], self.p + fam["fami_family_id"].astype(object), strict=True))
        pairs += [(pid, f"{self.p}{pid}:family") for pid in alone]
        roles = people.set_index("_ssd_id")["_role"]
        return pd.DataFrame({"person_id": [self.p + pid for pid, _ in pairs],
                             "family_id": [f for _, f in pairs],
                             "role": [roles.get(pid) for pid, _ in pairs], "resident": "true",
                             "source_id": self.source})

    def name_families(self, members: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
        """One family row per family id: '<usual surname> family' and the usual postcode of its members."""
        joined = members.merge(people[["person_id", "family_name", "postcode"]], on="person_id", how="left")
        rows = [{"family_id": fid, "name": f"{_mode(g['family_name']) or 'Unnamed'} family",
                 "postcode": _mode(g["postcode"]), "source_id": self.source}
                for fid, g in joined.groupby("family_id", sort=True)]
        return pd.DataFrame(rows, columns=["family_id", "name", "postcode", "source_id"])

    def dated(self, t: str, frame: pd.DataFrame, start: str, end: str | None) -> tuple[pd.Series, pd.Series]:
        """Start (required) and end dates of a table's rows."""
        first = self.ex.cells(t, frame, start, parse_date, "a date")
        for row in frame.index[frame[start].isna()]:
            self.ex.problem(t, int(row), start, "start date is empty")
        last = self.ex.cells(t, frame, end, parse_date, "a date") if end and end in frame \
            else _none(frame.index)
        return first, last

    def person_rows(self, t: str, frame: pd.DataFrame, column: str, people: pd.DataFrame) -> pd.Series:
        """Import person ids of a table's person column, reporting empty and unknown ones."""
        for row in frame.index[frame[column].isna()]:
            self.ex.problem(t, int(row), column, "person is empty")
        self.ex.known(t, frame, column, set(people["_ssd_id"].dropna()), "person (pers_person_id)")
        return self.p + frame[column].astype(object)

    def early_help(self, eh: pd.DataFrame, people: pd.DataFrame, family_of: pd.Series,
                   professionals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """ssd_early_help_episodes -> family episodes, the person's needs, and the allocated worker's work."""
        t = "ssd_early_help_episodes"
        self.ex.ids(t, eh, "earl_episode_id")
        person = self.person_rows(t, eh, "earl_person_id", people)
        start, end = self.dated(t, eh, "earl_episode_start_date", "earl_episode_end_date")
        codes = eh.get("earl_episode_reason", _none(eh.index)).map(lambda v: reason_needs(v) if v else [])
        episodes = pd.DataFrame({"episode_id": self.p + eh["earl_episode_id"].astype(object),
                                 "family_id": person.map(family_of), "kind": "early_help", "opened": start,
                                 "closed": end, "end_reason": eh.get("earl_episode_end_reason"),
                                 "source_id": self.source})
        needs = pd.DataFrame([(pid, code, s, e, self.source)
                              for pid, cs, s, e in zip(person, codes, start, end, strict=True)
                              for code in cs],
                             columns=["person_id", "need_code", "since", "until", "source_id"])
        worker = eh.get("earl_episode_worker_id", _none(eh.index))
        if "ssd_professionals" in self.ex.tables:
            self.ex.known(t, eh.assign(w=worker), "w", set(professionals["_ssd_id"].dropna()),
                          "professional (prof_professional_id)")
        staffed = worker.notna() & worker.isin(set(professionals["_ssd_id"].dropna()))
        need_text = codes.map(lambda cs: ";".join(cs) or (self.default_need or ""))
        staffed &= need_text != ""
        work = pd.DataFrame({"involvement_id": self.p + "eh:" + eh["earl_episode_id"].astype(object),
                             "professional_id": self.p + worker.astype(object), "person_id": person,
                             "need_codes": need_text, "service": "Early help", "start": start, "end": end,
                             "source_id": self.source})[staffed]
        return episodes, needs, work

    def cin(self, cin: pd.DataFrame, people: pd.DataFrame, family_of: pd.Series,
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """ssd_cin_episodes -> social care episodes and primary needs (also used for involvements' needs)."""
        t = "ssd_cin_episodes"
        self.ex.ids(t, cin, "cine_referral_id")
        person = self.person_rows(t, cin, "cine_person_id", people)
        start, end = self.dated(t, cin, "cine_referral_date", "cine_close_date")

        def need(code: str) -> str | None:
            key = code.strip().upper()
            return CIN_NEED_CODES.get(key, "") if re.fullmatch(r"N[1-9]", key) else None
        codes = self.ex.cells(t, cin, "cine_cin_primary_need_code", need, "a CIN primary need code (N1-N9)") \
            if "cine_cin_primary_need_code" in cin else _none(cin.index)
        self.referral_needs = {ref: code for ref, code in zip(cin["cine_referral_id"], codes, strict=True)
                               if code}
        episodes = pd.DataFrame({"episode_id": self.p + "cin:" + cin["cine_referral_id"].astype(object),
                                 "family_id": person.map(family_of), "kind": "social_care", "opened": start,
                                 "closed": end, "end_reason": cin.get("cine_close_reason"),
                                 "source_id": self.source})
        needs = pd.DataFrame({"person_id": person, "need_code": codes, "since": start, "until": end,
                              "source_id": self.source})
        return episodes, needs[needs["need_code"].fillna("") != ""]

    def involvements(self, people: pd.DataFrame, professionals: pd.DataFrame, cin: pd.DataFrame,
                     eh_needs: pd.DataFrame) -> pd.DataFrame:
        """ssd_involvements -> involvements, their needs from the CIN referral or early help at the time."""
        ex, t = self.ex, "ssd_involvements"
        inv = ex.frame(t, ("invo_involvements_id", "invo_professional_id", "invo_person_id",
                           "invo_involvement_start_date"))
        ex.ids(t, inv, "invo_involvements_id")
        for row in inv.index[inv["invo_professional_id"].isna()]:
            ex.problem(t, int(row), "invo_professional_id", "worker is empty")
        ex.known(t, inv, "invo_professional_id", set(professionals["_ssd_id"].dropna()),
                 "professional (prof_professional_id)")
        person = self.person_rows(t, inv, "invo_person_id", people)
        start, end = self.dated(t, inv, "invo_involvement_start_date", "invo_involvement_end_date")
        referral = inv.get("invo_referral_id", _none(inv.index))
        need_codes = []
        for row, pid, ref, on in zip(inv.index, person, referral, start, strict=True):
            held = eh_needs[(eh_needs["person_id"] == pid) & (eh_needs["since"] <= (on or ""))
                            & (eh_needs["until"].isna() | (eh_needs["until"] >= (on or "")))]
            codes = [self.referral_needs[ref]] if ref in self.referral_needs \
                else sorted(set(held["need_code"]))
            codes = codes or ([self.default_need] if self.default_need else [])
            if not codes and pd.notna(pid):
                ex.problem(t, int(row), "invo_referral_id", "no need found for this involvement (no CIN "
                           "primary need or early help reason at the time); give default_need_code")
            need_codes.append(";".join(codes))
        return pd.DataFrame({"involvement_id": self.p + inv["invo_involvements_id"].astype(object),
                             "professional_id": self.p + inv["invo_professional_id"].astype(object),
                             "person_id": person, "need_codes": need_codes,
                             "service": inv.get("invo_professional_role_id"), "start": start, "end": end,
                             "source_id": self.source})
