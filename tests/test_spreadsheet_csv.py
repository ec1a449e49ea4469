"""No cell of a CSV file JobForge writes runs as a formula when it is opened in a spreadsheet."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from jobforge.spreadsheet_csv import SpreadsheetWriter, as_typed, inert

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_a_text_a_spreadsheet_would_run_is_kept_as_text_and_numbers_stay_numbers():
    assert inert('=HYPERLINK("http://x.example","click")') == '\'=HYPERLINK("http://x.example","click")'
    assert [inert(text) for text in ("+1 from review", "-2+3", "@SUM(A1)", "\tx", "\rx")] == [
        "'+1 from review", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [inert(text) for text in ("-0.5", "+3", "-1e-3", ".5", "nurse", "", "a=b")] == [
        "-0.5", "+3", "-1e-3", ".5", "nurse", "", "a=b",
    ]  # fmt: skip
    assert [inert(value) for value in (-0.5, 3, None, True)] == [-0.5, 3, None, True]
    assert [inert(text) for text in ("'=x", "'-1", "'nurse")] == ["''=x", "'-1", "'nurse"]  # exact when read back


@given(st.lists(st.text(max_size=12) | st.text(alphabet="'=-+@1. x", max_size=6), min_size=1, max_size=5))
def test_every_written_text_cell_reads_back_as_text_or_as_a_number(cells):
    out = io.StringIO()
    SpreadsheetWriter(out).writerow(cells)
    read = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(read) == len(cells)
    for written, cell in zip(read, cells, strict=True):
        assert written in (cell, "'" + cell)
        assert as_typed(written) == cell  # read back as it was given
        if written.startswith(FORMULA_START):
            assert float(written) == float(cell)  # only a number may start so
