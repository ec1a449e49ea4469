"""Every backend's bulk path stores text exactly, escapes included."""

from __future__ import annotations

from sqlalchemy import select

from jobforge.sources.onet import tables as t
from jobforge.store.bulk import copy_text


def test_copy_text_escapes_what_copy_and_load_data_would_misread():
    text = copy_text([["a\\b", None, "tab\there"], [1.5, None, 2.0], [True, False, None]])
    assert text == "a\\\\b\t1.5\t1\n\\N\t\\N\t0\ntab\\there\t2.0\t\\N\n"


def test_backslashes_and_quotes_round_trip_on_every_backend(kb, sample_release):
    path = sample_release / "Occupation Data.txt"
    tricky = "Clerks \\N of \"C:\\temp\\new\" and 'quotes' — é ✓"
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[1].split("\t")
    fields[2] = tricky
    lines[1] = "\t".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")

    kb.onet.load(sample_release)

    with kb.engine.connect() as connection:
        stored = connection.scalar(select(t.Occupation.description).where(t.Occupation.soc_code == fields[0]))
    assert stored == tricky
