"""A spreadsheet's title column is found by its header, and every row keeps its place."""

from __future__ import annotations

import pytest

from jobforge.errors import InputError
from jobforge.title_table import table_titles


def test_the_column_headed_as_a_job_title_is_read_whatever_its_place_and_spelling():
    text = 'Employee ID,Department,JOB_TITLE\n1001,Ward 3,Registered Nurse\n1002,HQ,"Manager, IT"\n'
    assert table_titles(text, "f") == (["Registered Nurse", "Manager, IT"], 2)


def test_a_job_title_beats_a_position_which_may_be_a_number():
    text = "Position,Job Title\nP-77,Welder\n"
    assert table_titles(text, "f") == (["Welder"], 2)
    assert table_titles("Titre du poste\n", "f") == ([], 2)  # a header alone: no title


def test_without_a_title_header_the_first_column_of_every_row():
    assert table_titles("Registered Nurse,3\nWelder\n", "f") == (["Registered Nurse", "Welder"], 1)


def test_semicolons_or_tabs_separate_when_the_first_line_says_so():
    assert table_titles("matricule;Titre du poste\n7;Infirmière, soins intensifs\n", "f")[0] == [
        "Infirmière, soins intensifs"
    ]
    assert table_titles("id\tJob title\n7\tCook, line\n", "f")[0] == ["Cook, line"]


def test_a_short_row_is_an_empty_title_in_its_place_and_a_title_may_span_lines():
    text = 'id,title\n1\n2,"Chef\nde partie"\n3,Cook\n'
    assert table_titles(text, "f") == (["", "Chef\nde partie", "Cook"], 2)


def test_text_that_is_not_csv_names_its_line():
    with pytest.raises(InputError, match=r"f, line 3: not CSV"):
        table_titles('title\n"a quote left open\nCook\n', "f")
