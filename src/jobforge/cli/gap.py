"""`jobforge skill-gap`: the skill gap from the command line."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from jobforge.careers.domains import GapDomain
from jobforge.cli.context import console, fail_cleanly, knowledge_base


@fail_cleanly
def skill_gap(
    ctx: typer.Context,
    from_code: Annotated[str, typer.Argument(metavar="FROM", help="O*NET-SOC code now, NN-NNNN.NN, or role:N")],
    to_code: Annotated[str, typer.Argument(metavar="TO", help="Target O*NET-SOC code, or role:N")],
    domain: Annotated[GapDomain, typer.Option(help="skills, knowledge or abilities")] = GapDomain.skills,
    org: Annotated[str | None, typer.Option("--org", help="The organisation of a role:N side.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the gap as one JSON object.")] = False,
) -> None:
    """The elements TO needs at a higher level (LV) than FROM has, largest gap first.

    Either side may be a company role (role:N, with --org). What local data lacks is fetched from
    O*NET Web Services when ONET_API_KEY is set."""
    kb = knowledge_base(ctx)
    named = [code.strip() for code in (from_code, to_code) if code.strip().startswith("role:")]
    if named and not org:
        raise typer.BadParameter("a role:N side needs --org, the organisation that owns it")
    roles = kb.roles.rating_profiles(kb.roles.local_admin(org, "cli"), named) if named and org else {}
    occupations = [code for code in (from_code, to_code) if code.strip() not in roles]
    gap = asyncio.run(kb.answer_or_fetch(occupations, lambda: kb.careers.skill_gap(from_code, to_code, domain, roles)))
    if as_json:
        typer.echo(gap.model_dump_json(indent=2))
        return
    table = Table(title=f"{gap.from_occupation_title} → {gap.to_occupation_title} ({gap.domain.value}, LV)")
    for column in ("element", "from", "to", "gap", "importance", "from source", "to source"):
        table.add_column(column, justify="left" if column == "element" else "right")
    for item in gap.skill_gaps:
        table.add_row(
            item.element_name,
            f"{item.from_data_value:.2f}",
            f"{item.to_data_value:.2f}",
            f"{item.gap:.2f}",
            "" if item.to_importance is None else f"{item.to_importance:.2f}",
            _source(item.from_source_kind, item.from_confidence),
            _source(item.to_source_kind, item.to_confidence),
        )
    console.print(table)
    if not gap.skill_gaps:
        console.print("no gap: FROM meets every level TO needs")


def _source(kind: str | None, confidence: float | None) -> str:
    """Which kind of source a side's value comes from, and how sure it is (none: not rated, so 0)."""
    if kind is None:
        return "–"
    return kind if confidence is None else f"{kind} {confidence:.2f}"
