"""Roles read from a CSV file: the header's usual spellings, and every fault said by its line."""

from __future__ import annotations

import csv
import io

import pytest

from jobforge.errors import InputError
from jobforge.roles.csv_files import roles_from_csv, write_roles


def test_columns_are_read_by_their_usual_spellings_and_blank_cells_take_the_default():
    text = "Job Title;Job_Family;LEVEL;Initial Code;Language\nPayroll Analyst;Finance;P2;13-2011.00;\n;;;;\nInfirmière;;;31301;fr\n"
    rows = roles_from_csv(text, "roles.csv")
    assert [(r.title, r.family, r.level, r.initial_code, r.language) for r in rows.roles] == [
        ("Payroll Analyst", "Finance", "P2", "13-2011.00", "en"),
        ("Infirmière", None, None, "31301", "fr"),
    ]
    assert rows.places == ["roles.csv, line 2", "roles.csv, line 4"]  # the blank row is skipped, not miscounted


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Title,Famly\nClerk,Admin\n", "line 1: unknown column 'Famly'; the columns read are title, description"),
        ("family\nAdmin\n", "line 1: no title column"),
        ("title," + ",".join(f"c{i}" for i in range(5000)) + "\nClerk\n", "'c9' and 4,990 more; the columns read are"),
        ("title,Job Title\nClerk,Clerk\n", "line 1: title named by two columns"),
        ("", "is empty: a header row"),
        ("title\n", "0 roles; import 1 to 10,000 at once"),
        ("title,level\nClerk,1,extra\n", "line 2: 3 cells under 2 columns"),
        ('title\n"Clerk\nCook\n', "line 3: not CSV"),
        ("title\nClerk\x00\n", "holds a NUL character"),
    ],
)
def test_a_file_that_cannot_be_read_as_roles_says_where(text, said):
    with pytest.raises(InputError) as refused:
        roles_from_csv(text, "roles.csv")
    assert said in str(refused.value)


def test_every_faulty_line_is_named_and_nothing_is_kept():
    text = "title,initial_code,language\nA,1234,\nB,,de\nC,29-1141.00,en\n,29-1141.00,\n" + "D,1,\n" * 30
    with pytest.raises(InputError) as refused:
        roles_from_csv(text, "roles.csv")
    said = str(refused.value)
    assert said.startswith("roles.csv: nothing imported; line 2: initial_code '1234' is neither an O*NET-SOC code")
    assert "line 3: language: Input should be 'en' or 'fr'" in said and "line 4" not in said
    assert "line 5: title is required" in said and said.endswith("; and 13 more")  # 33 faults, 20 shown


def test_an_export_is_read_back_by_an_import_which_skips_the_columns_the_store_sets():
    from datetime import UTC, datetime

    from jobforge.roles.models import RoleRecord

    now = datetime(2026, 12, 4, tzinfo=UTC)
    role = RoleRecord(id=7, organisation="acme", title="=cmd|' /C calc'!A0", description="Leads, plans; checks",
                      family="Care", unit=None, level="P3", language="fr", initial_code="onet:29-1141.00",
                      approved_code="onet:29-1141.01", status="active", version=4, created_at=now, updated_at=now)  # fmt: skip
    out = io.StringIO()
    write_roles(out, [role])
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert header[:7] == ["title", "description", "family", "unit", "level", "language", "initial_code"]
    assert row[0] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
    assert dict(zip(header, row))["approved_code"] == "onet:29-1141.01"
    [back] = roles_from_csv(out.getvalue(), "roles.csv").roles
    assert back.title == "=cmd|' /C calc'!A0"  # as it was, not with the export's apostrophe
    assert (back.description, back.family, back.unit, back.level, back.language, back.initial_code) == (
        "Leads, plans; checks", "Care", None, "P3", "fr", "onet:29-1141.00",
    )  # fmt: skip
