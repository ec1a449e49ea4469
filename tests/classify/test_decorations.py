"""A posting's decorations are not read as words of the title; the titles of the index are untouched."""

from __future__ import annotations

import csv
import io
import zipfile
from importlib.resources import files

import pytest

from jobforge.classify import System, read_corpus
from jobforge.classify.decorations import undecorated
from jobforge.classify.text import normalize
from jobforge.sources.onet.service import BUNDLED_ONET


@pytest.mark.parametrize(
    ("posting", "title"),
    [
        ("Warehouse Associate - 1st Shift - $18/hr", "Warehouse Associate"),
        ("Line Cook - $17-$20 per hour", "Line Cook"),
        ("Delivery Driver - Earn up to $25/hr", "Delivery Driver"),
        ("Class A Truck Driver, OTR, $1,500/week", "Class A Truck Driver, OTR"),
        ("Data Analyst ($65,000 - $80,000/year)", "Data Analyst"),
        ("Paralegal - 60K/yr", "Paralegal"),
        ("Dental Hygienist - Req #12345", "Dental Hygienist"),
        ("Millwright (Job ID: 48213)", "Millwright"),
        ("Buyer - Ref. 2024-117", "Buyer"),
        ("Accountant (m/w/d)", "Accountant"),
        ("Ingénieur H/F", "Ingénieur"),
        ("Hiring Now: Welder", "Welder"),
        ("URGENT: Welder", "Welder"),
        ("CNA - up to $22/hr + shift differential", "CNA"),
        ("Forklift Operator - Immediate Start!", "Forklift Operator"),
        ("Registered Nurse - $5,000 Sign-On Bonus", "Registered Nurse"),
        ("Paralegal - Work From Home", "Paralegal"),
        ("Registered Nurse (RN) - Toronto, ON", "Registered Nurse (RN)"),
        ("Cook (Salt Lake City, UT)", "Cook"),
    ],
)
def test_pay_numbers_gender_marks_slogans_and_places_are_taken_off(posting, title):
    assert normalize(posting) == normalize(title)


@pytest.mark.parametrize(
    "title",
    [
        "Urgent Care Nurse",  # a slogan's word inside a part of the title is the title's
        "On-Site Supervisor",
        "Compensation, Benefits, and Job Analysis Specialists",
        "HR/Payroll Specialist",  # "hr" is human resources unless it follows an amount
        "Payroll/HR Coordinator",
        "24 Hour Fitness Trainer",
        "Job Coach",
        "Physician - Pediatrics, MD",  # a place's code that is also a title's word is not a place
        "Surgical Technologist - Operating Room, OR",
        "Nurse w/ ICU experience",
    ],
)
def test_words_that_only_look_like_decorations_stay(title):
    assert undecorated(title) == title


def test_a_title_of_decorations_alone_keeps_its_words():
    assert normalize("Remote") == "remote"
    assert normalize("$18/hr") == normalize("18 hr")


def test_no_name_of_either_index_changes(canada_kb):
    """The index reads every name through the same rule: a name losing a word to it would code
    differently (and be embedded again). The full bundled O*NET release and the NOC data."""
    bundle = zipfile.ZipFile(str(files("jobforge.data") / BUNDLED_ONET))
    texts: set[str] = set()
    for member, columns in (
        ("Occupation Data.txt", ("Title",)),
        ("Alternate Titles.txt", ("Alternate Title", "Short Title")),
        ("Sample of Reported Titles.txt", ("Reported Job Title",)),
    ):
        rows = csv.DictReader(io.StringIO(bundle.read(f"db_29_3_text/{member}").decode()), delimiter="\t")
        texts |= {row[column] for row in rows for column in columns}
    with canada_kb.engine.connect() as connection:
        texts |= {name.text for name in read_corpus(connection, System.noc).names}
    assert len(texts) > 55_000  # every distinct name text of both systems
    assert [text for text in texts if undecorated(text) and undecorated(text) != text] == []


def test_a_posting_codes_as_its_title(canada_kb):
    for system in ("onet", "noc"):
        plain, posting = canada_kb.classify(
            ["Registered Nurse", "Hiring Now: Registered Nurse - $45/hr (m/w/d)"], system, 3
        )
        assert posting.candidates == plain.candidates
