"""Mapping the tables of one SSD extract to import frames (people, families, professionals, work, needs).

- People: names are optional (the SSD object model has none); bad dates, sex codes and identifiers are
  value problems (the person loads without the value).
- Roles: a child is under 18 (or unborn) on the extraction date; a mother (pers_is_mother, ssd_mother)
  or a father is a parent. Fathers come from a relationship column in ssd_family when the extract has
  one, else from the one adult man in a family whose children he could be father to (16 to 60 years
  older); other adults are other_adult.
- Professionals belong to their own organisation when their department names one outside the agency
  given (a GP surgery, a school, the police ...; docs/linkage.md), else to the agency given; their team
  is their department.
- Early help work is emitted once: an ssd_involvements row for the same worker and person within the
  episode stands for it.
- An involvement with no need in the extract gets the need 'unspecified' (never counted by the rules).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from graphmodel.taxonomy import UNSPECIFIED
from loaders.ssd_codes import CIN_NEED_CODES, RELATION_COLUMNS, organisation_sector, reason_needs, relation_role
from loaders.ssd_extract import (
    Extract,
    mode,
    none,
    numbered,
    parse_date,
    parse_nhs,
    parse_postcode,
    parse_sex,
    parse_upn,
)

__all__ = ["Mapper"]

def _age(dob: str | None, on: str) -> int | None:
    if not isinstance(dob, str):
        return None
    born, day = dt.date.fromisoformat(dob), dt.date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Mapper:
    """Maps one extract's SSD tables to import frames, noting problems on the extract."""

    def __init__(self, ex: Extract, source_id: str, agency_id: str, extracted: str, prefix: str) -> None:
        self.ex, self.source, self.agency, self.extracted, self.p = ex, source_id, agency_id, extracted, prefix
        self.referral_needs: dict[str, str] = {}
        self.nameless = not (ex.has("ssd_person", "pers_forename") or ex.has("ssd_person", "pers_surname"))

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every import frame the extract supports."""
        ex = self.ex
        people = self.people()
        professionals, agencies = self.professionals()
        eh = ex.frame("ssd_early_help_episodes",
                      ("earl_episode_id", "earl_person_id", "earl_episode_start_date"))
        cin = ex.frame("ssd_cin_episodes", ("cine_referral_id", "cine_person_id", "cine_referral_date"))
        memberships = self.memberships(people, set(eh["earl_person_id"].dropna()) | set(
            cin["cine_person_id"].dropna()))
        family_of = memberships.sort_values("family_id").groupby("person_id")["family_id"].first()
        cin_episodes, cin_needs = self.cin(cin, people, family_of)
        episodes, eh_needs, eh_work = self.early_help(eh, people, family_of, professionals)
        involvements = self.involvements(people, professionals, eh_needs)
        eh_work = self.not_recorded_twice(eh_work, involvements)
        needs = pd.concat([eh_needs, cin_needs]).drop_duplicates(["person_id", "need_code", "since"])
        out = {"agencies": agencies,
               "sources": pd.DataFrame([{"source_id": self.source, "agency_id": self.agency,
                                         "extracted_at": self.extracted,
                                         "description": "Standard Safeguarding Dataset extract"}]),
               "people": people.drop(columns=["_ssd_id", "_role"]),
               "families": self.name_families(memberships, people), "memberships": memberships,
               "professionals": professionals.drop(columns=["_ssd_id"]),
               "involvements": pd.concat([involvements, eh_work]),
               "episodes": pd.concat([episodes, cin_episodes]), "needs": needs}
        return {stem: numbered(frame) for stem, frame in out.items() if len(frame) or stem == "people"}

    def people(self) -> pd.DataFrame:
        """ssd_person (+ ssd_address, ssd_linked_identifiers, ssd_mother) -> people."""
        ex, t = self.ex, "ssd_person"
        person = ex.frame(t, ("pers_person_id",))
        ex.ids(t, person, "pers_person_id")
        sex = ex.cells(t, person, "pers_sex", parse_sex, "a sex code (F, M, U)", "unknown code") \
            if "pers_sex" in person else none(person.index)
        if "pers_gender" in person:
            sex = sex.fillna(ex.cells(t, person[sex.isna()], "pers_gender", parse_sex,
                                      "a gender code (00, 01, 02, 09)", "unknown code"))
        nhs = none(person.index)
        for column in (c for c in ("pers_single_unique_id", "pers_common_child_id") if c in person):
            nhs = nhs.fillna(ex.cells(t, person, column, parse_nhs, "a valid NHS number", "invalid identifier"))
        upn_cells = person.get("pers_upn", none(person.index))
        upn_cells = upn_cells.where(~upn_cells.fillna("").str.fullmatch(r"(?i)UN\d+"))  # 'UPN unknown' codes
        upn = ex.cells(t, person.assign(pers_upn=upn_cells), "pers_upn", parse_upn, "a valid UPN",
                       "invalid identifier")
        dob = ex.cells(t, person, "pers_dob", parse_date, "a date", "impossible date") if "pers_dob" in person \
            else none(person.index)
        expected = ex.cells(t, person, "pers_expected_dob", parse_date, "a date", "impossible date") \
            if "pers_expected_dob" in person else none(person.index)
        pid = person["pers_person_id"]
        ids = set(pid.dropna())
        mothers = set(pid[person.get("pers_is_mother", none(person.index)).fillna("").str.upper().eq("Y")])
        mothers |= self.mothers(ids)
        linked_nhs, linked_upn = self.linked_identifiers(ids)
        addresses = self.current_addresses(ids)
        out = pd.DataFrame({
            "person_id": self.p + pid.astype(object), "given_name": person.get("pers_forename"),
            "family_name": person.get("pers_surname"), "date_of_birth": dob, "sex": sex,
            "postcode": pid.map(addresses.get("pc", {})), "nhs_number": nhs.fillna(pid.map(linked_nhs)),
            "upn": upn.fillna(pid.map(linked_upn)), "source_id": self.source, "_ssd_id": pid,
            "address_line1": pid.map(addresses.get("line1", {})), "town": pid.map(addresses.get("town", {}))})
        out["_role"] = [self.role(d, e, p in mothers) for d, e, p in zip(dob, expected, pid, strict=True)]
        return out.astype(object).where(out.notna(), None)

    def role(self, dob: str | None, expected: str | None, mother: bool) -> str:
        """child under 18 (or unborn) on the extraction date; else parent if a mother, else other_adult."""
        age = _age(dob, self.extracted)
        if age is None:
            return "child" if isinstance(expected, str) else ("parent" if mother else "other_adult")
        return "child" if age < 18 else ("parent" if mother else "other_adult")

    def mothers(self, ids: set[str]) -> set[str]:
        """Mothers named in ssd_mother (moth_person_id)."""
        t = "ssd_mother"
        if t not in self.ex.tables:
            return set()
        frame = self.ex.frame(t, ("moth_person_id",))
        self.ex.known(t, frame, "moth_person_id", ids, "person (pers_person_id)")
        return set(frame["moth_person_id"].dropna())

    def linked_identifiers(self, ids: set[str]) -> tuple[dict[str, str], dict[str, str]]:
        """NHS numbers and UPNs from ssd_linked_identifiers, by SSD person id."""
        ex, t = self.ex, "ssd_linked_identifiers"
        link = ex.frame(t, ("link_person_id", "link_identifier_type", "link_identifier_value"))
        ex.known(t, link, "link_person_id", ids, "person (pers_person_id)")
        kind = link["link_identifier_type"].fillna("").str.strip().str.lower()
        nhs, upn = link[kind == "nhs number"], link[kind == "unique pupil number"]
        nhs_values = ex.cells(t, nhs, "link_identifier_value", parse_nhs, "a valid NHS number", "invalid identifier")
        upn_values = ex.cells(t, upn, "link_identifier_value", parse_upn, "a valid UPN", "invalid identifier")
        return (dict(zip(nhs["link_person_id"], nhs_values, strict=True)),
                dict(zip(upn["link_person_id"], upn_values, strict=True)))

    def current_addresses(self, ids: set[str]) -> dict[str, dict[str, str | None]]:
        """Each person's address at the extraction date (open address, latest start) from ssd_address:
        {'pc': postcode by person, 'line1': house and street, 'town': town} (from addr_address_json)."""
        ex, t = self.ex, "ssd_address"
        addr = ex.frame(t, ("addr_person_id", "addr_address_postcode"))
        if addr.empty:
            return {}
        ex.known(t, addr, "addr_person_id", ids, "person (pers_person_id)")
        dates = {c: ex.cells(t, addr, c, parse_date, "a date", "impossible date") if c in addr
                 else none(addr.index) for c in ("addr_address_start_date", "addr_address_end_date")}
        parts = (ex.cells(t, addr, "addr_address_json", _address_parts, "an address as JSON", "not an address")
                 if "addr_address_json" in addr else none(addr.index))
        addr = addr.assign(pc=ex.cells(t, addr, "addr_address_postcode", parse_postcode, "a UK postcode",
                                       "invalid identifier"),
                           start=dates["addr_address_start_date"], end=dates["addr_address_end_date"],
                           line1=parts.map(lambda p: p.split("\n")[0] or None if p else None),
                           town=parts.map(lambda p: p.split("\n")[1] or None if p else None))
        current = addr[addr["end"].isna() | (addr["end"].fillna("") >= self.extracted)]
        current = current.sort_values("start", na_position="first", kind="stable").groupby("addr_person_id")
        return {column: current[column].last().to_dict() for column in ("pc", "line1", "town")}

    def departments(self) -> dict[str, str]:
        """Team name by team id, and each team's top organisation name by team id (ssd_department)."""
        t = "ssd_department"
        if t not in self.ex.tables:
            return {}
        dept = self.ex.frame(t, ("dept_team_id", "dept_team_name"))
        return {str(i): str(n) for i, n in zip(dept["dept_team_id"], dept["dept_team_name"], strict=True)
                if i is not None and n is not None}

    def professionals(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """ssd_professionals -> professionals (name falls back to 'Worker <staff id>'), and the organisations
        of those whose department names one of its own."""
        ex, t = self.ex, "ssd_professionals"
        prof = ex.frame(t, ("prof_professional_id",))
        ex.ids(t, prof, "prof_professional_id")
        staff = prof.get("prof_staff_id", none(prof.index)).fillna(prof["prof_professional_id"])
        names = self.departments()
        team = prof.get("prof_professional_department", none(prof.index)).map(
            lambda d: names.get(d, d) if isinstance(d, str) else None)
        sectors = [organisation_sector(d) if isinstance(d, str) else None for d in team]
        agency = [f"{self.p}org:{_slug(d)}" if s else self.agency for d, s in zip(team, sectors, strict=True)]
        agencies = pd.DataFrame([{"agency_id": a, "name": d, "sector": s} for a, d, s
                                 in zip(agency, team, sectors, strict=True) if s],
                                columns=["agency_id", "name", "sector"]).drop_duplicates("agency_id")
        return pd.DataFrame({
            "professional_id": self.p + prof["prof_professional_id"].astype(object),
            "name": prof.get("prof_professional_name", none(prof.index)).fillna("Worker " + staff),
            "agency_id": agency, "role": prof.get("prof_professional_job_title"), "team": team,
            "source_id": self.source, "_ssd_id": prof["prof_professional_id"]}), agencies

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
        relation = next((c for c in RELATION_COLUMNS if c in fam.columns), None)
        stated = {(f, p): relation_role(r) for f, p, r in zip(
            fam["fami_family_id"], fam["fami_person_id"], fam[relation], strict=True)} if relation else {}
        alone = sorted((need_family & known) - set(fam["fami_person_id"]))
        pairs = list(zip(fam["fami_person_id"], fam["fami_family_id"], strict=True))
        roles = people.set_index("_ssd_id")["_role"].to_dict()
        fathers = self.fathers(pairs, people) if not relation else set()
        rows = [(pid, self.p + fid, stated.get((fid, pid)) or ("parent" if (fid, pid) in fathers else roles.get(pid)))
                for pid, fid in pairs]
        rows += [(pid, f"{self.p}{pid}:family", roles.get(pid)) for pid in alone]
        return pd.DataFrame({"person_id": [self.p + pid for pid, _, _ in rows], "family_id": [f for _, f, _ in rows],
                             "role": [r for _, _, r in rows], "resident": "true", "source_id": self.source})

    def fathers(self, pairs: list[tuple[str, str]], people: pd.DataFrame) -> set[tuple[str, str]]:
        """(family, person) of the one adult man in a family whose children he could be father to."""
        unique = people.dropna(subset=["_ssd_id"]).drop_duplicates("_ssd_id")
        info = unique.set_index("_ssd_id")[["sex", "date_of_birth", "_role"]].to_dict("index")
        found = set()
        for family in {f for _, f in pairs}:
            members = [p for p, f in pairs if f == family and p in info]
            children = [info[p]["date_of_birth"] for p in members if info[p]["_role"] == "child"]
            men = [p for p in members if info[p]["_role"] == "other_adult" and info[p]["sex"] == "M"]
            if len(men) != 1 or not children:
                continue
            born = info[men[0]]["date_of_birth"]
            gaps = [_age(born, c) for c in children if isinstance(c, str)]
            if isinstance(born, str) and gaps and all(g is not None and 16 <= g <= 60 for g in gaps):
                found.add((family, men[0]))
        return found

    def name_families(self, members: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
        """One family row per family id: '<usual surname> family' and the usual postcode of its members."""
        joined = members.merge(people[["person_id", "family_name", "postcode"]], on="person_id", how="left")
        rows = [{"family_id": fid, "name": f"{mode(g['family_name']) or 'Unnamed'} family",
                 "postcode": mode(g["postcode"]), "source_id": self.source}
                for fid, g in joined.groupby("family_id", sort=True)]
        return pd.DataFrame(rows, columns=["family_id", "name", "postcode", "source_id"])

    def dated(self, t: str, frame: pd.DataFrame, start: str, end: str | None) -> tuple[pd.Series, pd.Series]:
        """Start (required) and end dates of a table's rows (a bad end date is a value problem)."""
        first = self.ex.cells(t, frame, start, parse_date, "a date")
        for row in frame.index[frame[start].isna()]:
            self.ex.problem(t, int(row), start, "start date is empty")
        last = self.ex.cells(t, frame, end, parse_date, "a date", "impossible date") if end and end in frame \
            else none(frame.index)
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
        codes = eh.get("earl_episode_reason", none(eh.index)).map(lambda v: reason_needs(v) if v else [])
        episodes = pd.DataFrame({"episode_id": self.p + eh["earl_episode_id"].astype(object),
                                 "family_id": person.map(family_of), "kind": "early_help", "opened": start,
                                 "closed": end, "end_reason": eh.get("earl_episode_end_reason"),
                                 "source_id": self.source})
        needs = pd.DataFrame([(pid, code, s, e, self.source)
                              for pid, cs, s, e in zip(person, codes, start, end, strict=True)
                              for code in cs],
                             columns=["person_id", "need_code", "since", "until", "source_id"])
        worker = eh.get("earl_episode_worker_id", none(eh.index))
        if "ssd_professionals" in self.ex.tables:
            self.ex.known(t, eh.assign(w=worker), "w", set(professionals["_ssd_id"].dropna()),
                          "professional (prof_professional_id)")
        staffed = worker.notna() & worker.isin(set(professionals["_ssd_id"].dropna()))
        work = pd.DataFrame({"involvement_id": self.p + "eh:" + eh["earl_episode_id"].astype(object),
                             "professional_id": self.p + worker.astype(object), "person_id": person,
                             "need_codes": codes.map(lambda cs: ";".join(cs) or UNSPECIFIED), "service": "Early help",
                             "start": start, "end": end, "source_id": self.source})[staffed]
        return episodes, needs, work

    @staticmethod
    def not_recorded_twice(eh_work: pd.DataFrame, involvements: pd.DataFrame) -> pd.DataFrame:
        """Early help work not already recorded in ssd_involvements (same worker and person within the episode)."""
        if eh_work.empty or involvements.empty:
            return eh_work
        recorded = list(zip(involvements["professional_id"], involvements["person_id"], involvements["start"],
                            strict=True))
        keep = []
        for worker, person, start, end in zip(eh_work["professional_id"], eh_work["person_id"], eh_work["start"],
                                              eh_work["end"], strict=True):
            keep.append(not any(w == worker and p == person and isinstance(s, str) and isinstance(start, str)
                                and start <= s and (not isinstance(end, str) or s <= end)
                                for w, p, s in recorded))
        return eh_work[keep]

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
        codes = self.ex.cells(t, cin, "cine_cin_primary_need_code", need, "a CIN primary need code (N1-N9)",
                              "unknown code") if "cine_cin_primary_need_code" in cin else none(cin.index)
        self.referral_needs = {ref: code for ref, code in zip(cin["cine_referral_id"], codes, strict=True)
                               if code}
        episodes = pd.DataFrame({"episode_id": self.p + "cin:" + cin["cine_referral_id"].astype(object),
                                 "family_id": person.map(family_of), "kind": "social_care", "opened": start,
                                 "closed": end, "end_reason": cin.get("cine_close_reason"),
                                 "source_id": self.source})
        needs = pd.DataFrame({"person_id": person, "need_code": codes, "since": start, "until": end,
                              "source_id": self.source})
        return episodes, needs[needs["need_code"].fillna("") != ""]

    def involvements(self, people: pd.DataFrame, professionals: pd.DataFrame,
                     eh_needs: pd.DataFrame) -> pd.DataFrame:
        """ssd_involvements -> involvements, their needs from the CIN referral or early help at the time,
        else 'unspecified'."""
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
        referral = inv.get("invo_referral_id", none(inv.index))
        need_codes = []
        held_needs = [(p, c, s, u if isinstance(u, str) else None) for p, c, s, u in zip(
            eh_needs["person_id"], eh_needs["need_code"], eh_needs["since"], eh_needs["until"], strict=True)
            if isinstance(s, str)]
        for pid, ref, on in zip(person, referral, start, strict=True):
            day = on if isinstance(on, str) else ""
            held = {c for p, c, s, u in held_needs if p == pid and s <= day and (u is None or u >= day)}
            codes = [self.referral_needs[ref]] if ref in self.referral_needs else sorted(held)
            need_codes.append(";".join(codes) or UNSPECIFIED)
        return pd.DataFrame({"involvement_id": self.p + inv["invo_involvements_id"].astype(object),
                             "professional_id": self.p + inv["invo_professional_id"].astype(object),
                             "person_id": person, "need_codes": need_codes,
                             "service": inv.get("invo_professional_role_id"), "start": start, "end": end,
                             "source_id": self.source})


_LINE_KEYS = (("FLAT", "HOUSE", "HOUSE_NUMBER", "NUMBER", "BUILDING"), ("STREET", "ROAD", "LINE1", "ADDRESS1"))
_TOWN_KEYS = ("TOWN", "POST_TOWN", "CITY", "LOCALITY")


def _address_parts(text: str) -> str | None:
    """An SSD address JSON ({"HOUSE": "4", "STREET": "Mill Lane", "TOWN": "Ely"}) as 'first line\ntown'; None
    when the cell is not a JSON object (the record loads without the address)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    fields = {str(k).strip().upper(): str(v).strip() for k, v in data.items() if v is not None and str(v).strip()}
    line = " ".join(next((fields[k] for k in keys if k in fields), "") for keys in _LINE_KEYS).strip()
    town = next((fields[k] for k in _TOWN_KEYS if k in fields), "")
    return f"{line}\n{town}" if line or town else ""
