"""The CLI is a thin shell: it parses, calls the library and formats, including errors."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re

from rich.console import Console
from typer.testing import CliRunner

from jobforge.cli import app
from jobforge.cli.provenance import values_table
from jobforge.errors import ErrorKind
from jobforge.store.migrate import head_revision
from tests.conftest import offline_kb

BAD_INPUT = ErrorKind.BAD_INPUT.exit_code
runner = CliRunner()


def jobforge(database_url: str, words: str, **options):
    """`jobforge --db URL WORDS` as a shell would split WORDS (no word of these holds a space)."""
    return runner.invoke(app, ["--db", database_url, *words.split()], **options)


def test_load_prints_one_json_report(database_url, sample_zip):
    result = runner.invoke(app, ["--db", database_url, "onet", "load", str(sample_zip), "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["release"] == "29.3" and report["status"] == "loaded"
    assert report["files"]["Skills.txt"]["rows"] == 11200
    assert report["files"]["Abilities.txt"]["status"] == "absent"


def test_input_error_is_one_clean_line_and_the_bad_input_exit_code(tmp_path):
    broken = tmp_path / "db_29_3_text.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "onet", "load", str(broken)])

    assert result.exit_code == BAD_INPUT
    assert "error:" in result.output and "db_29_3_text.zip" in result.output
    assert "Traceback" not in result.output


def test_table_report_lists_every_file(tmp_path, sample_zip):
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "onet", "load", str(sample_zip)])

    assert result.exit_code == 0, result.output
    assert "Occupation Level Metadata.txt" in result.output and "absent" in result.output


def test_quickstart_loads_the_bundled_release_into_jobforge_db_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOBFORGE_DATABASE_URL", raising=False)

    result = runner.invoke(app, ["quickstart", "--no-serve"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "jobforge.db").exists()
    assert "occupation_rating" in result.output and "29.3" in result.output
    assert "crosswalk loaded: 1,467 mappings" in result.output
    served = offline_kb(f"sqlite:///{tmp_path / 'jobforge.db'}")
    assert served.occupations.search(None, limit=1).total == 1016  # every occupation of 29.3, not a sample
    assert served.occupations.title("15-1252.00") == "Software Developers"


def test_db_upgrade_then_current_reports_the_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert runner.invoke(app, ["--db", url, "db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["--db", url, "db", "current"])
    head = head_revision()
    assert head and f"database: {head}; newest: {head}" in result.output


def test_skill_gap_from_the_command_line_matches_the_library(sample_kb):
    result = runner.invoke(app, ["--db", sample_kb.database_url, "skill-gap", "29-1141.00", "11-1011.00", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(
        sample_kb.careers.skill_gap("29-1141.00", "11-1011.00").model_dump_json()
    )


def test_skill_gap_with_a_malformed_code_is_one_error_line(sample_kb):
    result = runner.invoke(app, ["--db", sample_kb.database_url, "skill-gap", "29-1141", "11-1011.00"])

    assert result.exit_code == BAD_INPUT and "NN-NNNN.NN" in result.output


def test_crosswalk_lookups_both_ways(canada_kb):
    by_noc = runner.invoke(app, ["--db", canada_kb.database_url, "crosswalk", "noc", "00010"])
    by_soc = runner.invoke(app, ["--db", canada_kb.database_url, "crosswalk", "soc", "11-1011.00"])

    assert by_noc.exit_code == 0 and "11-1031.00" in by_noc.output
    assert by_soc.exit_code == 0 and all(code in by_soc.output for code in ("00011", "00015"))


def test_provenance_commands_set_show_history_audit_export_and_purge(database_url, sample_zip, tmp_path):
    assert jobforge(database_url, f"onet load {sample_zip} --json").exit_code == 0
    edit = "provenance set 11-1011.00 skills/2.A.1.a/LV 6 --source authoritative --confidence 0.9 --actor analyst"
    result = jobforge(database_url, edit)
    assert result.exit_code == 0 and "served (override logged)" in result.output

    shown = jobforge(database_url, "provenance show 11-1011.00 --attribute skills/2.A.1.a/LV --source onet --json")
    assert [json.loads(line)["value"] for line in shown.stdout.splitlines()] == [4.62]
    history = jobforge(database_url, "provenance history 11-1011.00 skills/2.A.1.a/LV --json")
    assert [json.loads(line)["status"] for line in history.stdout.splitlines()] == ["candidate", "served"]
    narrow = Console(width=80, record=True)  # the table as an 80-column terminal shows it
    narrow.print(values_table("history", offline_kb(database_url).values.history("11-1011.00", "skills/2.A.1.a/LV")))
    lines = narrow.export_text().splitlines()
    assert "conf." in lines[2] and len(re.findall(r"\d{4}-\d\d-\d\d ", "\n".join(lines))) == 2  # dates whole
    assert all(kind in "\n".join(lines) for kind in ("authoritative", "candidate"))  # short words never broken
    audit = jobforge(database_url, "provenance audit --since 2020-01-01 --json")
    assert [json.loads(line)["actor"] for line in audit.stdout.splitlines()] == ["analyst"]
    out = tmp_path / "chief.json"
    exported = jobforge(database_url, f"provenance export 11-1011.00 --out {out}")
    assert exported.exit_code == 0 and "wasGeneratedBy" in json.loads(out.read_text())
    nowhere = jobforge(database_url, f"provenance export 11-1011.00 --out {tmp_path / 'missing' / 'chief.json'}")
    assert nowhere.exit_code == BAD_INPUT and "chief.json: cannot be written (No such file or directory)" in " ".join(
        nowhere.output.split()
    )

    refused = jobforge(database_url, "provenance purge", env={"JOBFORGE_RETAIN_REPLACED_DAYS": ""})
    assert refused.exit_code == ErrorKind.MISCONFIGURED.exit_code and "no retention policy" in refused.output
    allowed = jobforge(database_url, "provenance purge --dry-run", env={"JOBFORGE_RETAIN_REPLACED_DAYS": "30"})
    assert allowed.exit_code == 0 and "would dispose of 0 replaced values" in allowed.output
    bad = jobforge(database_url, "provenance set 11-1011.00 job_zone high --source imputed --confidence 0.5")
    assert bad.exit_code == BAD_INPUT and "takes a number" in bad.output


def test_classify_one_title_as_json_matches_the_library(canada_kb):
    result = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "Sr. Software Eng.", "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == canada_kb.classify(["Sr. Software Eng."], "onet", 3)[0].to_json()


def test_classify_a_file_prints_one_json_line_per_title(canada_kb, tmp_path):
    titles = ["Registered Nurse", "engineer, civil", "Technicien en informatique"]
    (tmp_path / "titles.txt").write_text("\n".join(titles) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "--db",
            canada_kb.database_url,
            "classify",
            "--file",
            str(tmp_path / "titles.txt"),
            "--system",
            "noc",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["title"] for line in lines] == titles
    assert lines[1]["candidates"][0]["code"] == "21300"
    assert all(set(line) == {"title", "candidates", "needs_review"} for line in lines)


def test_classify_answers_a_bad_line_in_its_place_and_codes_the_rest(canada_kb, tmp_path):
    (tmp_path / "titles.txt").write_bytes("Nurse\n\n#!\nStatistician\rsenior\r\nChef\u2028de partie\n".encode())
    result = runner.invoke(
        app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "titles.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["title"] for line in lines] == ["Nurse", "", "#!", "Statistician\rsenior", "Chef\u2028de partie"]
    assert lines[1] == {"title": "", "error": "empty"}
    assert lines[2] == {"title": "#!", "error": "no letters or digits to classify"}
    assert lines[0]["candidates"] and lines[3]["candidates"] and lines[4]["candidates"]  # one title each, coded
    assert "titles.txt, line 3: no letters or digits" in " ".join(result.stderr.split())


def test_classify_a_file_into_a_pipe_writes_csv_rows_in_the_coding_pages_layout(canada_kb, tmp_path):
    (tmp_path / "titles.txt").write_bytes(b'Nurse\n\nChef\rde partie\n"Lead", civil engineer\n')
    result = runner.invoke(
        app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "titles.txt"), "-k", "2"]
    )
    assert result.exit_code == 0, result.output
    header, *records = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert header == [
        "title",
        "rank",
        "code",
        "occupation",
        "score",
        "evidence",
        "evidence_origin",
        "needs_review",
        "error",
    ]
    assert [(record[0], record[1]) for record in records] == [
        ("Nurse", "1"), ("Nurse", "2"), ("", ""), ("Chef\rde partie", "1"), ("Chef\rde partie", "2"),
        ('"Lead", civil engineer', "1"), ('"Lead", civil engineer', "2"),
    ]  # fmt: skip
    assert records[2][-1] == "empty" and all(record[-1] == "" for record in records if record[0])
    coded = canada_kb.classify(["Nurse"], "onet", 2)[0]
    assert [record[2] for record in records[:2]] == [candidate.code for candidate in coded.candidates]
    assert records[0][7] == str(coded.needs_review)

    both = runner.invoke(
        app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "titles.txt"), "--csv", "--json"]
    )
    assert both.exit_code == BAD_INPUT and "--json or --csv, not both" in both.output

    (tmp_path / "formula.txt").write_bytes(b"=cmd|' /C calc'!A0 nurse\n")
    formula = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "formula.txt")])
    assert {record[0] for record in list(csv.reader(io.StringIO(formula.stdout)))[1:]} == {"'=cmd|' /C calc'!A0 nurse"}


def test_classify_a_spreadsheet_reads_its_job_title_column_row_by_row(canada_kb, tmp_path):
    (tmp_path / "staff.csv").write_text(
        'Employee ID,Position,Job_Title\n1001,P-7,Registered Nurse\n1002,P-9,\n1003,P-2,"Engineer, civil"\n'
    )
    result = runner.invoke(
        app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "staff.csv"), "--json", "-k", "1"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["title"] for line in lines] == ["Registered Nurse", "", "Engineer, civil"]
    assert lines[0]["candidates"][0]["code"] == "29-1141.00" and lines[1] == {"title": "", "error": "empty"}
    said = " ".join(result.stderr.split())
    assert "staff.csv, row 3: empty" in said and "1 of 3 rows could not be coded" in said


def test_classify_needs_a_title_or_a_file_not_both(canada_kb, tmp_path):
    neither = runner.invoke(app, ["--db", canada_kb.database_url, "classify"])
    assert neither.exit_code == BAD_INPUT and "either a TITLE or --file" in " ".join(neither.output.split())
    (tmp_path / "t.txt").write_text("Nurse\n", encoding="utf-8")
    both = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "Nurse", "--file", str(tmp_path / "t.txt")])
    assert both.exit_code == BAD_INPUT


def test_classify_a_file_that_is_not_utf8_names_the_line(canada_kb, tmp_path):
    (tmp_path / "latin1.txt").write_bytes(b"\xef\xbb\xbfNurse\r\nChef\nIng\xe9nieur\n")  # the last line in Latin-1
    result = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "latin1.txt")])
    assert result.exit_code == BAD_INPUT and "Traceback" not in result.output
    assert "line 3 is not UTF-8 text (byte 0xe9 at offset 18); save it as UTF-8" in " ".join(result.output.split())


def test_classify_reads_a_utf16_file_by_its_byte_order_mark_and_names_a_line_that_breaks_it(canada_kb, tmp_path):
    titles = "Infirmière\r\nChef\r\nIngénieur\r\n"
    for encoding in ("utf-16-le", "utf-16-be"):  # what Excel's "Unicode Text" writes, with its mark
        mark = "\ufeff".encode(encoding)
        (tmp_path / "u16.txt").write_bytes(mark + titles.encode(encoding))
        result = runner.invoke(
            app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "u16.txt"), "--json"]
        )
        assert result.exit_code == 0, result.output
        coded = [json.loads(line) for line in result.stdout.splitlines()]
        assert [c["title"] for c in coded] == ["Infirmière", "Chef", "Ingénieur"]
    broken = codecs.BOM_UTF16_LE + "Nurse\nChef\n".encode("utf-16-le") + b"\x00\xdc"  # half a surrogate pair
    (tmp_path / "broken.txt").write_bytes(broken)
    result = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "--file", str(tmp_path / "broken.txt")])
    said = " ".join(result.output.split())
    assert result.exit_code == BAD_INPUT and "line 3 is not UTF-16 (as its byte-order mark says) text" in said


def test_classify_table_output_shows_the_decision(canada_kb):
    result = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "Registered Nurse", "--system", "noc"])
    assert result.exit_code == 0, result.output
    assert "accepted" in result.output and "31301" in result.output


def test_classify_explain_shows_the_closest_indexed_name(canada_kb):
    result = runner.invoke(
        app,
        [
            "--db",
            canada_kb.database_url,
            "classify",
            "Technicienne en informatique",
            "--system",
            "noc",
            "-k",
            "1",
            "--explain",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "closest indexed name" in result.output and "(french)" in result.output


def test_every_command_is_listed_by_a_one_line_summary_and_its_paragraphs_flow():
    """`jobforge --help` lists a command by its help's first paragraph, line breaks and all: a
    summary running over several docstring lines came out ragged beside the others. A command's
    own help keeps the line breaks of its later paragraphs too, and wraps them again."""
    import typer.main

    def commands(group, path):
        for name, command in group.commands.items():
            yield f"{path} {name}", command
            if hasattr(command, "commands"):
                yield from commands(command, f"{path} {name}")

    ragged = {
        path: summary
        for path, command in commands(typer.main.get_command(app), "jobforge")
        if "\n" in (summary := (command.short_help or command.help or "").strip().split("\n\n")[0])
    }
    assert not ragged
    broken = [
        path
        for path, command in commands(typer.main.get_command(app), "jobforge")
        if any("\n" in paragraph.strip() for paragraph in (command.help or "").split("\n\n"))
    ]
    assert not broken


def test_a_port_in_use_is_refused_naming_it_before_the_quickstart_loads_anything(tmp_path, monkeypatch):
    import socket

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOBFORGE_DATABASE_URL", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])

        served = runner.invoke(app, ["serve", "--port", port])
        started = runner.invoke(app, ["quickstart", "--port", port])

    for result in (served, started):
        assert result.exit_code == BAD_INPUT, result.output
        assert f"cannot listen on 127.0.0.1:{port}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "jobforge.db").exists()  # not after a minute of loading: before it


def test_an_endless_input_is_refused_once_past_the_size_a_file_of_titles_may_have(canada_kb):
    """/dev/zero (or a pipe that never ends, or has no line feed) was read until memory ran out:
    21 GB in a minute."""
    result = runner.invoke(app, ["--db", canada_kb.database_url, "classify", "--file", "/dev/zero", "--csv"])

    assert result.exit_code == BAD_INPUT
    assert "/dev/zero: is larger than 64 MiB (about two million titles): split it" in result.output
    assert "title,rank" not in result.output  # refused before anything was coded


def test_an_id_past_what_the_database_holds_is_refused_as_bad_input(database_url):
    """Such an id went to SQL as it was, and the driver's OverflowError came out as a traceback."""
    huge = "99999999999999999999"
    for words in (
        f"jobs --retry {huge}",
        f"tokens revoke {huge}",
        f"roles show {huge} --org acme",
        f"roles list --org acme --offset {huge}",
        f"provenance audit --limit {huge}",
        f"tbs diff --new {huge}",
    ):
        result = jobforge(database_url, words)
        assert result.exit_code == BAD_INPUT and "2147483647" in result.output, (words, result.output)
    assert jobforge(database_url, "orgs create acme").exit_code == 0
    copied = jobforge(database_url, f"roles copy 1 --to {huge} --org acme")
    assert copied.exit_code == BAD_INPUT and "must be from 1 to 2,147,483,647" in copied.output


def test_an_argument_that_is_not_utf8_is_refused_before_any_command_runs(tmp_path):
    """Python hands such bytes (an "é" typed in a Latin-1 terminal) on as lone surrogates, which
    the database refused with a traceback after the command had started."""
    url = f"sqlite:///{tmp_path / 'jf.db'}"
    for words in (["provenance", "set", "11-1011.00", "description", "Dirige l'entreprise \udce9"],
                  ["classify", "infirmi\udce8re"], ["onet", "load", "/data/caf\udce9"]):  # fmt: skip
        result = runner.invoke(app, ["--db", url, *words])
        said = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())  # out of its box
        assert result.exit_code == BAD_INPUT and "holds the byte 0xe" in said and "which is not UTF-8 text" in said
    assert not (tmp_path / "jf.db").exists()  # refused before any command opened the database
