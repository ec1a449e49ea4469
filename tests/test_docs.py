"""The README stays true: its commands are the ones CI runs, and it documents every command and setting."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from jobforge.cli import app
from jobforge.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_commands(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def cli_command_paths() -> list[str]:
    def walk(group, prefix: str):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, f"{prefix} {name}")
            else:
                yield f"{prefix} {name}"

    return list(walk(typer.main.get_command(app), "jobforge"))


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    main_job, tests = fenced_commands(quick_start)
    assert main_job.endswith("jobforge quickstart")
    assert "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_cli_command_is_documented():
    paths = cli_command_paths()
    assert "jobforge onet load" in paths
    for path in paths:
        assert f"`{path}" in README, f"README does not document {path}"


def test_every_setting_is_documented():
    for name, field in Settings.model_fields.items():
        aliases = getattr(field.validation_alias, "choices", None)
        variable = aliases[0] if aliases else f"JOBFORGE_{name.upper()}"
        assert f"`{variable}`" in README, f"README does not document {variable}"


def test_onet_attribution_sentence_is_kept():
    assert (
        "This data includes information from the O\\*NET 29.3 Database by the U.S. Department of Labor, "
        "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license."
    ) in " ".join(README.split())


def test_every_api_route_is_documented():
    from jobforge.api import create_app
    from jobforge.knowledge_base import KnowledgeBase

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])

    documented = {
        (method, shape(path)) for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)", README)
    }
    app = create_app(KnowledgeBase("sqlite://"))
    routes = [
        (method.upper(), shape(path)) for path, operations in app.openapi()["paths"].items() for method in operations
    ]
    assert len(routes) > 15
    for route in routes:
        assert route in documented, f"README does not document {route[0]} {route[1]}"


def test_the_readme_error_table_is_the_one_the_shells_use():
    from jobforge.errors import ErrorKind

    table = README.split("## Errors", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("| ") and "HTTP" not in line]
    answered = {(int(http.split(",")[0]), int(exit_code.split()[0])) for _kind, _classes, http, exit_code in rows}
    assert answered == {kind.value for kind in ErrorKind}
