"""Global options and the command groups; each group lives in its own module."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from jobforge.cli import classify, db, enrich, gap, impute, noc, onet, provenance, quickstart, roles, serve, tbs
from jobforge.cli.context import KnowledgeBaseOpener
from jobforge.control_characters import SURROGATE


class Utf8Arguments(TyperGroup):
    """Python reads bytes of the command line that are not UTF-8 (an "é" typed in a Latin-1
    terminal) as lone surrogates, which no database stores and no terminal prints: such an argument
    is refused, naming it and the byte, before any command runs."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer.Context's base is private to typer
        for argument in args:
            escaped = SURROGATE.search(argument)
            if escaped:
                shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                raise typer.BadParameter(
                    f"argument '{shown}' holds the byte 0x{ord(escaped.group()) - 0xDC00:02x}, which is not UTF-8 "
                    "text: use a UTF-8 terminal (e.g. LANG=C.UTF-8) or pass the text in UTF-8",
                    ctx=ctx,
                )
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=Utf8Arguments,
    help="JobForge: O*NET, NOC and Canadian public-service occupational data with provenance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(onet.app, name="onet")
app.add_typer(noc.noc_app, name="noc")
app.add_typer(noc.crosswalk_app, name="crosswalk")
app.add_typer(tbs.app, name="tbs")
app.add_typer(provenance.app, name="provenance")
app.add_typer(roles.orgs_app, name="orgs")
app.add_typer(roles.tokens_app, name="tokens")
app.add_typer(roles.app, name="roles")
app.command("schedule")(enrich.schedule)
app.command("quickstart")(quickstart.quickstart)
app.command("serve")(serve.serve)
app.command("skill-gap")(gap.skill_gap)
app.command("classify", help=classify.HELP)(classify.classify)
app.command("impute")(impute.impute)
app.command("coverage")(enrich.coverage)
app.command("enrich")(enrich.enrich)
app.command("worker")(enrich.worker)
app.command("jobs")(enrich.jobs)


def _flowing(group: typer.Typer) -> None:
    """Rich help keeps a docstring's line breaks inside a paragraph, and then wraps each line to the
    terminal again, so every paragraph but the first came out ragged: each paragraph is made one
    line here, for the terminal to wrap."""
    for command in group.registered_commands:
        text = inspect.cleandoc(command.help or getattr(command.callback, "__doc__", None) or "")
        command.help = "\n\n".join(" ".join(paragraph.split("\n")) for paragraph in text.split("\n\n"))
    for subgroup in group.registered_groups:
        if subgroup.typer_instance is not None:
            _flowing(subgroup.typer_instance)


_flowing(app)


@app.callback()
def main(
    ctx: typer.Context,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="JOBFORGE_DATABASE_URL",
            show_envvar=True,
            help="Database URL (SQLAlchemy form). Default: SQLite file jobforge.db in the working directory.",
        ),
    ] = None,
) -> None:
    ctx.obj = KnowledgeBaseOpener(db_url or "")
