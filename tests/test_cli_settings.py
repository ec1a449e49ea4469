"""Where the CLI's database and servers come from (`--db`, the environment) and how a bad one is
refused: named by its variable, with the misconfigured exit code, never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jobforge.cli import app
from jobforge.errors import ErrorKind

runner = CliRunner()


def refused_with(monkeypatch, url: str, variable: str, value: str, command: tuple[str, ...] = ("db", "current")) -> str:
    """What `command` says with `variable` set (whitespace squashed), once it has exited as misconfigured."""
    monkeypatch.setenv(variable, value)
    refused = runner.invoke(app, ["--db", url, *command])
    monkeypatch.delenv(variable)
    assert refused.exit_code == ErrorKind.MISCONFIGURED.exit_code, refused.output
    return " ".join(refused.output.split())


def test_database_url_can_come_from_the_environment(tmp_path, sample_zip):
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    result = runner.invoke(app, ["onet", "load", str(sample_zip), "--json"], env={"JOBFORGE_DATABASE_URL": url})

    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env.db").exists()


def test_an_in_memory_database_is_refused_before_a_load_that_would_keep_nothing(sample_zip):
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:jobs?mode=memory&uri=true"):
        result = runner.invoke(app, ["--db", url, "onet", "load", str(sample_zip)])
        assert result.exit_code == 7, result.output
        assert "is an in-memory database, gone when the command ends: name a file" in " ".join(result.output.split())


def test_a_database_url_whose_host_or_port_cannot_be_read_is_named_not_a_traceback(sample_zip):
    for url in ("postgresql+psycopg://postgres@[::1/test", "mysql+pymysql://root@127.0.0.1:x/test"):
        result = runner.invoke(app, ["--db", url, "onet", "load", str(sample_zip)])
        assert result.exit_code == 7, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "is not a database URL JobForge can use" in " ".join(result.output.split())


def test_a_server_address_that_is_no_http_url_is_refused_when_the_settings_are_read(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for variable, value, said in (
        ("ONET_API_BASE_URL", "http://[::1", "not a URL (Invalid IPv6 URL)"),
        ("JOBFORGE_ONET_API_BASE_URL", "http://127.0.0.1:99999/", "not a URL (Port out of range"),
        ("JOBFORGE_LLM_BASE_URL", "ftp://llm.example", "not the http:// or https:// address of a server"),
        ("OPENAI_BASE_URL", "localhost:11434/v1", "not the http:// or https:// address of a server"),
    ):
        assert f"{variable}='{value}': Value error, {said}" in refused_with(monkeypatch, url, variable, value)


def test_a_malformed_setting_is_named_by_its_variable_not_a_traceback(tmp_path, monkeypatch):
    from jobforge.errors import ConfigurationError
    from jobforge.knowledge_base import KnowledgeBase

    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("JOBFORGE_LLM_MAX_COST", "abc")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")

    result = runner.invoke(app, ["--db", url, "db", "current"])

    assert result.exit_code == ErrorKind.MISCONFIGURED.exit_code
    assert "JOBFORGE_LLM_MAX_COST='abc': Input should be a valid number" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert runner.invoke(app, ["--db", url, "db", "current", "--help"]).exit_code == 0  # help needs no settings
    with pytest.raises(ConfigurationError, match="JOBFORGE_LLM_MAX_COST"):
        KnowledgeBase(url)
    monkeypatch.delenv("JOBFORGE_LLM_MAX_COST")
    for variable, value in (("JOBFORGE_RETAIN_REPLACED_DAYS", "99999999999"), ("JOBFORGE_ONET_API_CACHE_DAYS", "inf"),
                            ("JOBFORGE_LLM_TIMEOUT", "nan"), ("JOBFORGE_LLM_INPUT_PRICE", "Infinity"),
                            ("JOBFORGE_LLM_MODEL", "m" * 121)):  # fmt: skip
        said = refused_with(monkeypatch, url, variable, value, ("provenance", "purge", "--dry-run"))
        assert f"{variable}='{value}'" in said


def test_a_misspelt_variable_is_refused_not_left_to_a_default(tmp_path, monkeypatch):
    """JOBFORGE_DATABSE_URL ignored would put the work in ./jobforge.db instead of the database meant."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("JOBFORGE_TEST_ANYTHING", "the test suite's own")
    said = refused_with(monkeypatch, url, "JOBFORGE_DATABSE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    assert "JOBFORGE_DATABSE_URL is not a JobForge setting: did you mean JOBFORGE_DATABASE_URL?" in said
    assert "JOBFORGE_TEST_ANYTHING" not in said
    said = refused_with(monkeypatch, url, "JOBFORGE_COLOUR", "blue")
    assert "JOBFORGE_COLOUR is not a JobForge setting" in said and "did you mean" not in said
    for variable in ("JOBFORGE_LLM_BASE_URL", "OPENAI_BASE_URL", "JOBFORGE_ONET_API_KEY", "JOBFORGE_WEB_SECRET"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9/" if "URL" in variable else "x")
    assert runner.invoke(app, ["--db", url, "db", "current"]).exit_code == 0
