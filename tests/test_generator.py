"""The synthetic county generator: deterministic, conforming to the import spec, streaming, truthful.

The planted-case checks recompute every rule from the CSVs with plain pandas, independently of seed.truth.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tracemalloc
from datetime import date
from itertools import pairwise
from pathlib import Path

import jellyfish
import pandas as pd
import pytest

from graphmodel.taxonomy import SHARED_CARE
from loaders.spec import FILES, ColumnType
from seed.generator import generate
from seed.names_data import NICKNAMES as GENERATOR_NICKNAMES
from seed.truth import SHARED_CARE as SEED_SHARED_CARE

AS_OF = "2026-11-01"
ROOT = Path(__file__).resolve().parents[1]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Tables = dict[str, pd.DataFrame]


def _generator_canonical(given: str) -> str:
    """The generator's own nickname table (the product has its own: graphmodel/nicknames.py)."""
    key = given.lower().split()[0]
    return GENERATOR_NICKNAMES.get(key, key)


def _read(folder: Path) -> Tables:
    tables = {stem: pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False) for stem in FILES}
    for path in sorted((folder / "truth").glob("*.csv")):
        tables[f"truth/{path.stem}"] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return tables


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tables]:
    out = tmp_path_factory.mktemp("county")
    generate(600, 11, out, as_of=AS_OF)
    return out, _read(out)


def _open(start: pd.Series, end: pd.Series) -> pd.Series:
    return (start <= AS_OF) & ((end == "") | (end >= AS_OF))


def _family_involvements(t: Tables) -> pd.DataFrame:
    """Each involvement with the family it concerns (person-level work counts for each of their families)."""
    inv = t["involvements"].merge(t["professionals"][["professional_id", "agency_id"]], on="professional_id")
    person = (
        inv[inv.person_id != ""]
        .drop(columns="family_id")
        .merge(t["memberships"][["person_id", "family_id"]], on="person_id")
    )
    return pd.concat([person, inv[inv.family_id != ""]], ignore_index=True)


# ---- determinism -------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    generate(250, 5, tmp_path / "a")
    generate(250, 5, tmp_path / "b")
    generate(250, 6, tmp_path / "c")
    a, b, c = (_digests(tmp_path / x) for x in "abc")
    assert a == b
    assert a["people.csv"] != c["people.csv"] and a["involvements.csv"] != c["involvements.csv"]


def test_output_does_not_depend_on_string_hashing(tmp_path: Path) -> None:
    generate(250, 5, tmp_path / "here")
    code = (
        "import sys; from pathlib import Path; from seed.generator import generate; "
        "generate(250, 5, Path(sys.argv[1]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, cwd=ROOT, env=env)
    assert _digests(tmp_path / "here") == _digests(tmp_path / "there")


def test_committed_demo_county_is_current(tmp_path: Path) -> None:
    demo = ROOT / "seed" / "demo"
    manifest = json.loads((demo / "truth" / "manifest.json").read_text(encoding="utf-8"))
    generate(manifest["families"], manifest["seed"], tmp_path, as_of=manifest["as_of"])
    assert _digests(tmp_path) == _digests(demo)


# ---- conformance to loaders/spec.py ------------------------------------------------------------------------


def test_every_file_has_the_spec_header(county: tuple[Path, Tables]) -> None:
    out, _ = county
    for stem, spec in FILES.items():
        header = (out / f"{stem}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header == ",".join(c.name for c in spec.columns), stem


def test_every_cell_conforms_to_its_column_type(county: tuple[Path, Tables]) -> None:
    _, t = county
    for stem, spec in FILES.items():
        frame = t[stem]
        assert len(frame) > 0, stem
        for col in spec.columns:
            values = frame[col.name]
            if col.required or col.type is ColumnType.ID:
                assert (values != "").all(), f"{stem}.{col.name} has empty required cells"
            filled = values[values != ""]
            if col.type is ColumnType.ID:
                assert values.is_unique, f"{stem}.{col.name} not unique"
            elif col.type is ColumnType.DATE:
                assert filled.str.match(ISO).all(), f"{stem}.{col.name}"
                parsed = filled.map(date.fromisoformat)
                assert (parsed <= date.fromisoformat(AS_OF)).all(), f"{stem}.{col.name} after as_of"
            elif col.type is ColumnType.INT:
                assert filled.str.fullmatch(r"\d+").all(), f"{stem}.{col.name}"
            elif col.type is ColumnType.BOOL:
                assert filled.isin(["true", "false"]).all(), f"{stem}.{col.name}"
            elif col.type is ColumnType.ENUM:
                assert filled.isin(col.choices).all(), f"{stem}.{col.name}: {set(filled) - set(col.choices)}"
            elif col.type is ColumnType.CODES:
                codes = filled.str.split(";").explode()
                assert codes.isin(col.choices).all(), f"{stem}.{col.name}"


def test_references_resolve_and_keys_are_unique(county: tuple[Path, Tables]) -> None:
    _, t = county
    for stem, spec in FILES.items():
        frame = t[stem]
        for col in spec.columns:
            if col.references:
                target = t[col.references][FILES[col.references].id_column]
                filled = frame[col.name][frame[col.name] != ""]
                assert filled.isin(target).all(), f"{stem}.{col.name} -> {col.references}"
        assert not frame.duplicated(list(spec.unique)).any(), f"{stem} key {spec.unique} repeated"


def test_date_ranges_are_ordered(county: tuple[Path, Tables]) -> None:
    _, t = county
    pairs = [
        ("sources", "coverage_from", "coverage_to"),
        ("needs", "since", "until"),
        ("involvements", "start", "end"),
        ("leads", "since", "until"),
        ("episodes", "opened", "closed"),
        ("episodes", "opened", "assessment_date"),
        ("episodes", "assessment_date", "plan_date"),
    ]
    for stem, first, last in pairs:
        frame = t[stem]
        both = frame[(frame[first] != "") & (frame[last] != "")]
        assert (both[first] <= both[last]).all(), f"{stem}: {first} after {last}"
    needs = t["needs"]
    assert ((needs.until == "") == (needs.status == "open")).all()
    sources = t["sources"]
    assert (sources.extracted_at <= AS_OF).all() and (sources.coverage_to == sources.extracted_at).all()


def test_records_hang_together(county: tuple[Path, Tables]) -> None:
    _, t = county
    inv, mem, people = t["involvements"], t["memberships"], t["people"]
    assert ((inv.person_id == "") != (inv.family_id == "")).all(), "exactly one of person_id and family_id"
    assert people.person_id.isin(mem.person_id).all() and t["families"].family_id.isin(mem.family_id).all()
    assert people.nhs_number[people.nhs_number != ""].str.fullmatch(r"\d{10}").all()
    assert people.upn[people.upn != ""].str.fullmatch(r"[A-Z]\d{12}").all()
    profs = t["professionals"].merge(
        t["sources"][["source_id", "agency_id"]], on="source_id", suffixes=("", "_src")
    )
    assert (profs.agency_id == profs.agency_id_src).all(), "professionals come from their agency's extract"
    work = inv.merge(profs[["professional_id", "agency_id"]], on="professional_id").merge(
        t["sources"][["source_id", "agency_id"]], on="source_id", suffixes=("", "_src")
    )
    assert (work.agency_id == work.agency_id_src).all(), (
        "involvements come from the professional's agency extract"
    )
    # work never dates after its agency's extract
    extracted = work.merge(t["sources"][["source_id", "extracted_at"]], on="source_id")
    assert (extracted.start <= extracted.extracted_at).all()
    stale = t["sources"].merge(t["agencies"], on="agency_id")
    assert (stale[stale.sector == "police"].extracted_at < "2026-04-01").all(), "police extract is months old"
    assert set(t["agencies"].sector) >= {
        "school",
        "primary_care",
        "police",
        "early_help",
        "camhs",
        "third_sector",
    }


def test_dates_of_birth_fit_roles_and_relationships(county: tuple[Path, Tables]) -> None:
    _, t = county
    born = t["people"].set_index("person_id").date_of_birth.map(date.fromisoformat)
    years = t["relationships"].assign(
        gap=lambda r: (r.related_person_id.map(born) - r.person_id.map(born)).map(lambda g: g.days / 365.25)
    )
    older = years[years.kind.isin(["parent_of", "step_parent_of", "grandparent_of", "carer_of"])]
    assert (older.gap >= 13).all()
    assert (years[years.kind == "grandparent_of"].gap >= 30).all()
    ages = t["memberships"].person_id.map(born).map(lambda b: (date.fromisoformat(AS_OF) - b).days / 365.25)
    children = t["memberships"].role == "child"
    assert (ages[children] < 20).all() and (ages[~children] >= 16).all()
    assert ((ages[children] >= 18).mean() > 0) and (ages[children] < 5).mean() > 0.1


def test_caseloads_and_lead_capacity_are_plausible(county: tuple[Path, Tables]) -> None:
    _, t = county
    leads = t["leads"][_open(t["leads"].since, t["leads"].until)]
    per_prof = leads.groupby("professional_id").size()
    profs = t["professionals"].set_index("professional_id")
    workers = profs[profs.role.isin(["Family Worker", "Senior Family Worker"])]
    load = per_prof.reindex(workers.index, fill_value=0)
    capacity = workers.lead_capacity.astype(int)
    assert (load <= capacity).mean() >= 0.75 and (load <= capacity * 1.5 + 2).all()


# ---- planted cases, recomputed independently ---------------------------------------------------------------


def _shared_care() -> set[tuple[str, str, str]]:
    """(universal sector, specialist sector, need) from the product's taxonomy (the generator keeps its own)."""
    return {(pair.universal, pair.specialist, code) for pair in SHARED_CARE for code in pair.needs}


def _open_work_by_need(t: Tables) -> pd.DataFrame:
    fi = _family_involvements(t).merge(t["agencies"][["agency_id", "sector"]], on="agency_id")
    return fi[_open(fi.start, fi.end)].assign(code=lambda f: f.need_codes.str.split(";")).explode("code")


def test_duplicated_involvement_truth_holds(county: tuple[Path, Tables]) -> None:
    """By person: a member's own open work on a need plus whole-family work, two or more professionals once the
    universal side of a shared-care pairing is set aside; or two or more professionals doing whole-family work."""
    _, t = county
    pairs = _shared_care()
    assert pairs == set(SEED_SHARED_CARE), "the generator and the taxonomy state the same pairings"
    found = {}
    for (fam, code), group in _open_work_by_need(t).groupby(["family_id", "code"]):
        whole = group[group.person_id == ""]
        if whole.professional_id.nunique() >= 2:
            found[(fam, code, "")] = ";".join(sorted(whole.involvement_id))
        for person, own in group[group.person_id != ""].groupby("person_id"):
            both = pd.concat([own, whole])
            sectors = set(both.sector)
            core = both[[not any((s, o, code) in pairs for o in sectors) for s in both.sector]]
            if core.professional_id.nunique() >= 2:
                found[(fam, code, person)] = ";".join(sorted(core.involvement_id))
    planted = t["truth/duplicated_involvement"]
    background = t["truth/duplicated_involvement_background"]
    assert len(planted) >= 5
    truth = pd.concat([planted, background])
    assert dict(zip(zip(truth.family_id, truth.need_code, truth.person_id, strict=True), truth.involvement_ids,
                    strict=True)) == found


def test_look_alikes_and_parallel_work_truth_holds(county: tuple[Path, Tables]) -> None:
    """Planted negatives are clean (never duplicated); parallel work is every need two or more members each have
    their own work on, with no one professional working with all of them."""
    _, t = county
    work = _open_work_by_need(t)
    own = work[work.person_id != ""]
    expected = set()
    for (fam, code), group in own.groupby(["family_id", "code"]):
        by_person = [set(g.professional_id) for _, g in group.groupby("person_id")]
        if len(by_person) >= 2 and not set.intersection(*by_person):
            expected.add((fam, code, ";".join(sorted(set(group.person_id)))))
    parallel = t["truth/parallel_work"]
    assert set(zip(parallel.family_id, parallel.need_code, parallel.person_ids, strict=True)) == expected
    looks = t["truth/duplicate_lookalikes"]
    duplicated = pd.concat([t["truth/duplicated_involvement"], t["truth/duplicated_involvement_background"]])
    flagged = set(zip(duplicated.family_id, duplicated.need_code, duplicated.person_id, strict=True))
    assert set(looks.kind) == {"parallel_work", "shared_care", "sequential", "same_professional"}
    for row in looks.itertuples():
        people = row.person_ids.split(";")
        assert not any((row.family_id, row.need_code, p) in flagged for p in people)
        rows = t["involvements"].set_index("involvement_id").loc[row.involvement_ids.split(";")]
        if row.kind == "parallel_work":
            assert len(people) == 2 and rows.professional_id.nunique() == 2
        elif row.kind == "shared_care":
            assert rows.professional_id.nunique() == 2 and (rows.end == "").all()
        elif row.kind == "sequential":
            ended, current = rows[rows.end != ""], rows[rows.end == ""]
            assert len(ended) == 1 and len(current) == 1 and ended.end.iloc[0] < current.start.iloc[0]
            assert ended.professional_id.iloc[0] != current.professional_id.iloc[0]
        else:
            assert rows.professional_id.nunique() == 1 and len(rows) == 2


def test_leaderless_truth_is_exact(county: tuple[Path, Tables]) -> None:
    _, t = county
    fi = _family_involvements(t)
    profs = fi[_open(fi.start, fi.end)].groupby("family_id").professional_id.unique()
    led = set(t["leads"][_open(t["leads"].since, t["leads"].until)].family_id)
    expected = {f: ";".join(sorted(p)) for f, p in profs.items() if len(p) >= 5 and f not in led}
    truth = t["truth/leaderless"]
    assert len(truth) >= 3
    assert dict(zip(truth.family_id, truth.professionals, strict=True)) == expected


def test_two_leads_truth_is_exact(county: tuple[Path, Tables]) -> None:
    _, t = county
    leads = t["leads"][_open(t["leads"].since, t["leads"].until)]
    counts = leads.groupby("family_id").professional_id.nunique()
    assert len(t["truth/two_leads"]) >= 3
    assert set(t["truth/two_leads"].family_id) == set(counts[counts >= 2].index)


def test_two_open_early_help_truth_is_exact(county: tuple[Path, Tables]) -> None:
    _, t = county
    eh = t["episodes"][
        (t["episodes"].kind == "early_help") & _open(t["episodes"].opened, t["episodes"].closed)
    ]
    ids = eh.groupby("family_id").episode_id.apply(lambda s: ";".join(sorted(s)))
    truth = t["truth/two_open_early_help"]
    assert len(truth) >= 3
    assert dict(zip(truth.family_id, truth.episode_ids, strict=True)) == {
        f: v for f, v in ids.items() if ";" in v
    }


def test_re_referrals_truth_is_exact_and_near_the_council_rate(county: tuple[Path, Tables]) -> None:
    """A closed early help episode followed within 365 days by any new early help or social care episode, or by
    new children's social care work with the family: the first such contact."""
    _, t = county
    episodes = t["episodes"]
    social = _family_involvements(t).merge(t["agencies"][["agency_id", "sector"]], on="agency_id")
    social = social[social.sector == "childrens_social_care"].drop_duplicates(["family_id", "involvement_id"])
    contacts = pd.concat([
        pd.DataFrame({"family_id": episodes.family_id, "when": episodes.opened, "rank": (episodes.kind != "early_help")
                      .astype(int), "kind": episodes.kind, "id": episodes.episode_id}),
        pd.DataFrame({"family_id": social.family_id, "when": social.start, "rank": 2, "kind": "social_care_work",
                      "id": social.involvement_id})])
    expected, longer = set(), 0
    closed = episodes[(episodes.kind == "early_help") & (episodes.closed != "")]
    for row in closed.itertuples():
        later = contacts[(contacts.family_id == row.family_id) & (contacts.id != row.episode_id)
                         & (contacts.when >= row.closed) & (contacts.when <= AS_OF)]
        if len(later):
            nxt = later.sort_values(["when", "rank", "id"]).iloc[0]
            gap = (date.fromisoformat(nxt.when) - date.fromisoformat(row.closed)).days
            if gap <= 365:
                expected.add((row.family_id, row.episode_id, nxt.kind, nxt.id, str(gap)))
            else:
                longer += 1
    truth = t["truth/re_referrals"]
    assert set(truth.itertuples(index=False, name=None)) == expected
    assert (truth.gap_days.astype(int) <= 365).all() and longer > 0, "some come back after 12 months"
    assert "social_care" in set(truth.next_kind), "a family coming back through social care counts"
    share = truth.family_id.nunique() / closed.family_id.nunique()
    assert 0.03 < share < 0.3


def test_repeated_transfers_truth_is_exact(county: tuple[Path, Tables]) -> None:
    _, t = county
    expected = {}
    for fam, group in t["leads"].groupby("family_id"):
        changes = sorted(date.fromisoformat(s) for s in group.since)[1:]
        most = max((sum(1 for c in changes if 0 <= (c - s).days < 365) for s in changes), default=0)
        if most >= 3:
            expected[fam] = str(most)
    truth = t["truth/repeated_transfers"]
    assert len(truth) >= 3
    assert dict(zip(truth.family_id, truth.lead_changes, strict=True)) == expected
    chains = t["leads"][t["leads"].family_id.isin(truth.family_id)].merge(
        t["professionals"], on="professional_id"
    )
    for _, chain in chains.sort_values("since").groupby("family_id"):
        teams = list(chain.team)
        assert all(a != b for a, b in pairwise(teams)), "each transfer crosses teams"
        assert set(chain.until[:-1]) <= set(chain.since[1:]), "each until is the next since"


def test_duplicate_people_truth_holds(county: tuple[Path, Tables]) -> None:
    _, t = county
    truth = t["truth/duplicate_people"]
    people = t["people"].set_index("person_id")
    mem = t["memberships"].set_index(["person_id", "family_id"])
    assert 0.01 < len(truth) / (len(people) - len(truth)) < 0.03
    for row in truth.itertuples():
        a, b = people.loc[row.person_id], people.loc[row.duplicate_person_id]
        assert a.source_id != b.source_id
        mine = mem.loc[row.person_id][["role", "resident"]]
        theirs = mem.loc[row.duplicate_person_id][["role", "resident"]]
        assert mine.sort_index().equals(theirs.sort_index()), "same families, roles and resident flags"
        parts = row.variant.split("+")
        assert (a.given_name, a.family_name, a.date_of_birth, a.postcode) != (
            b.given_name,
            b.family_name,
            b.date_of_birth,
            b.postcode,
        )
        if "nickname" in parts and "typo" not in parts:
            assert (
                _generator_canonical(a.given_name) == _generator_canonical(b.given_name)
                and a.given_name != b.given_name
            )
        if "dob_swap" in parts:
            x, y = date.fromisoformat(a.date_of_birth), date.fromisoformat(b.date_of_birth)
            assert (x.year, x.month, x.day) == (y.year, y.day, y.month) and x != y
        else:
            assert a.date_of_birth == b.date_of_birth
        if parts == ["typo"]:
            distance = jellyfish.damerau_levenshtein_distance(
                a.given_name, b.given_name
            ) + jellyfish.damerau_levenshtein_distance(a.family_name, b.family_name)
            assert 1 <= distance <= 2
        if "hyphenation" in parts:
            assert "-" in a.family_name + b.family_name
        assert ("postcode" in parts) == (a.postcode != b.postcode)


def test_toxic_trio_and_unmet_needs_occur(county: tuple[Path, Tables]) -> None:
    _, t = county
    needs = t["needs"].merge(t["memberships"], on="person_id")
    adult = needs[needs.role != "child"]
    trio = (
        adult.groupby("family_id")
        .need_code.agg(set)
        .map(lambda s: {"domestic_abuse", "mental_health", "substance_misuse"} <= s)
    )
    assert trio.sum() >= 3
    fi = _family_involvements(t)
    open_work = fi[_open(fi.start, fi.end)].assign(code=lambda f: f.need_codes.str.split(";")).explode("code")
    met_person = set(zip(open_work.person_id, open_work.code, strict=True))
    met_family = set(
        zip(
            open_work[open_work.person_id == ""].family_id,
            open_work[open_work.person_id == ""].code,
            strict=True,
        )
    )
    open_needs = needs[needs.until == ""]
    met = [
        (p, c) in met_person or (f, c) in met_family
        for p, c, f in zip(open_needs.person_id, open_needs.need_code, open_needs.family_id, strict=True)
    ]
    assert 0.05 < 1 - sum(met) / len(met) < 0.25


# ---- streaming, progress, manifest -------------------------------------------------------------------------


def _peak(families: int, out: Path) -> int:
    tracemalloc.start()
    try:
        generate(families, 3, out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_generation_streams_in_flat_memory(tmp_path: Path) -> None:
    small = _peak(500, tmp_path / "small")
    large = _peak(2000, tmp_path / "large")
    assert large < 64 * 2**20
    assert large < small * 1.3, f"peak grew from {small} to {large} bytes for 4x the families"


def test_progress_and_manifest(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    summary = generate(2100, 9, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2100, 2100) and len(calls) == 3
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    manifest = json.loads((tmp_path / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["families"] == 2100 and manifest["seed"] == 9 and manifest["as_of"] == AS_OF
    assert manifest["rows"] == summary.rows and manifest["truth"] == summary.truth
    assert summary.rows["families"] == 2100
    lines = sum(1 for _ in (tmp_path / "people.csv").open(encoding="utf-8")) - 1
    assert summary.rows["people"] == lines


def test_rejects_an_empty_county(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, 1, tmp_path)
