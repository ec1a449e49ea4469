"""Coverage figures equal counts made independently from the bundled files, on every backend."""

from __future__ import annotations

import csv
import io
import zipfile
from importlib.resources import files

import pytest

from jobforge.canada.service import BUNDLED_CANADA
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn
from tests.onet_subset import MEMBER_FOLDER


def socs(archive: zipfile.ZipFile, name: str, keep=lambda row: True) -> set[str]:
    text = archive.read(f"{MEMBER_FOLDER}/{name}").decode("utf-8-sig")
    return {row["O*NET-SOC Code"] for row in csv.DictReader(io.StringIO(text), delimiter="\t") if keep(row)}


@pytest.fixture(scope="module")
def counted(sample_zip) -> dict[str, int]:
    with zipfile.ZipFile(sample_zip) as archive:
        return {
            "total": len(socs(archive, "Occupation Data.txt")),
            "tasks": len(socs(archive, "Task Statements.txt")),
            "core_tasks": len(socs(archive, "Task Statements.txt", lambda row: row["Task Type"] == "Core")),
            "technology_skills": len(socs(archive, "Technology Skills.txt")),
            "tools": len(socs(archive, "Tools Used.txt")),
            "alternate_titles": len(socs(archive, "Alternate Titles.txt")),
            "job_zone": len(socs(archive, "Job Zones.txt")),
            "skills": len(socs(archive, "Skills.txt")),
            "knowledge": len(socs(archive, "Knowledge.txt")),
            "interests": len(socs(archive, "Interests.txt")),
            "work_styles": len(socs(archive, "Work Styles.txt")),
            "work_values": len(socs(archive, "Work Values.txt")),
            "education_training_experience": len(socs(archive, "Education, Training, and Experience.txt")),
        }


def test_occupation_coverage_is_what_the_release_files_hold(sample_kb, counted):
    report = sample_kb.enrich.coverage()
    occupations = report.kinds["occupations"]
    assert occupations.total == counted["total"] == 193
    for name, expected in counted.items():
        if name != "total":
            assert occupations.fields[name].covered == expected, name
            assert occupations.fields[name].by_source == ({"onet": expected} if expected else {}), name
    assert occupations.fields["abilities"].covered == 0  # the shared 29.3 copy lacks Abilities.txt
    assert occupations.share("skills") < 1  # some occupations have no ratings (the 137 of the full release)
    bands = occupations.fields["knowledge"].by_band
    assert sum(bands.values()) == counted["knowledge"]


def test_unit_group_and_role_coverage(kb, sample_zip):
    kb.onet.load(sample_zip)
    kb.canada.load_bundled()
    with files("jobforge.data").joinpath(BUNDLED_CANADA).open("rb") as handle, zipfile.ZipFile(handle) as bundle:
        structure = bundle.read("noc/noc_2021_version_1.0_-_classification_structure.csv").decode("utf-8-sig")
        duties = bundle.read("noc/oasis_2023/main-duties_oasis-2023_v1.0.csv").decode("utf-8-sig")
        crosswalk = bundle.read("crosswalk/noc2021_onet26.csv").decode("utf-8-sig")
    groups = {row["Code - NOC 2021 V1.0"] for row in csv.DictReader(io.StringIO(structure)) if row["Level"] == "5"}
    with_duties = {row["OaSIS profile code"][:5] for row in csv.DictReader(io.StringIO(duties))}
    mapped = {row["noc"].zfill(5) for row in csv.DictReader(io.StringIO(crosswalk))} & groups
    report = kb.enrich.coverage()
    unit_groups = report.kinds["unit_groups"]
    assert unit_groups.total == len(groups) == 516
    assert unit_groups.fields["main_duties"].covered == len(with_duties & groups)
    assert unit_groups.fields["main_duties"].by_source == {"authoritative": len(with_duties & groups)}
    assert unit_groups.fields["onet_mapped"].covered == len(mapped)

    admin = Caller("acme", Access.ADMIN, "test")
    kb.roles.create_organisation("acme", "Acme")
    nurse = kb.roles.create(admin, RoleIn(title="Charge Nurse", initial_code="29-1141.00"), suggest=False)
    kb.roles.approve(admin, nurse.id, kb.roles.suggestions(admin, nurse.id)[0].id)
    kb.roles.create(admin, RoleIn(title="Not yet coded"), suggest=False)
    kb.roles.override(admin, nurse.id, "tools", ["Stethoscopes"], "our kit")
    roles = kb.enrich.coverage().kinds["roles"]
    assert roles.total == 2
    assert roles.fields["skills"].covered == 1 and roles.fields["skills"].by_source == {"onet": 1}
    assert roles.fields["tools"].by_source == {"custom": 1}  # the override, not the inherited list
