"""`jobforge orgs`, `jobforge tokens` and `jobforge roles`: organisations, their API tokens and
company roles from the command line. Whoever can open the database administers it, so the CLI
acts as an admin of the organisation named (`--org`), recorded in every event as `--actor`."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.errors import InputError
from jobforge.store.limits import MAX_ROW_ID

orgs_app = typer.Typer(help="Organisations (tenants) that own company roles.", no_args_is_help=True)
tokens_app = typer.Typer(
    help="API tokens: one organisation and access level each, stored hashed.", no_args_is_help=True
)
app = typer.Typer(help="Company roles: inherit an approved occupation, override fields, review codes.",
                  no_args_is_help=True)  # fmt: skip

Org = Annotated[str, typer.Option("--org", help="The organisation (its slug).")]
Actor = Annotated[str, typer.Option("--actor", help="Who acts, as events record it. Default: your login.")]
RoleId = Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The role's id.")]
SuggestionId = Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The suggestion's id.")]
Limit = Annotated[int, typer.Option(min=1, max=MAX_ROW_ID)]
Reason = Annotated[str, typer.Option("--reason", help="Why: kept with the change.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _actor(actor: str | None) -> str:
    return f"cli:{actor or getpass.getuser()}"


def _print(answer: object) -> None:
    from pydantic import BaseModel  # not at import: `jobforge --help` stays quick

    from jobforge.roles.models import RESOLVED, ResolvedRole

    if isinstance(answer, ResolvedRole):
        typer.echo(RESOLVED.dump_json(answer, indent=2))
    elif isinstance(answer, BaseModel):
        typer.echo(answer.model_dump_json(indent=2))
    elif isinstance(answer, list) and answer and isinstance(answer[0], BaseModel):
        typer.echo(json.dumps([item.model_dump(mode="json") for item in answer], indent=2, ensure_ascii=False))
    else:
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False, default=str))


def _value(attribute: str, text: str) -> float | str | list[str]:
    """A field value typed on the command line: a JSON list, else a text for a title or
    description ("2024" stays a text), a number for the rest."""
    if text.lstrip().startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"value {text[:40]!r} starts like a JSON list but is not one ({error.msg})") from None
        except RecursionError:
            raise InputError(f"value {text[:40]!r} is a JSON list nested too deep to read") from None
    from jobforge.roles.overrides import from_text

    return from_text(attribute, text)


def _ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise InputError(f"role ids {text[:60]!r} must be whole numbers separated by commas") from None
    if not ids:
        raise InputError("name at least one role id")
    if not all(1 <= role_id <= MAX_ROW_ID for role_id in ids):
        raise InputError(f"role ids {text[:60]!r} must be from 1 to {MAX_ROW_ID:,}")
    return ids


@orgs_app.command("create")
@fail_cleanly
def create_org(ctx: typer.Context, slug: str, name: Annotated[str, typer.Option(help="Display name.")] = "") -> None:
    """Create an organisation."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    console.print(f"organisation [bold]{kb.roles.create_organisation(slug, name)}[/bold] created")


@orgs_app.command("list")
@fail_cleanly
def list_orgs(ctx: typer.Context) -> None:
    """The organisations."""
    _print(knowledge_base(ctx).roles.organisations())


@tokens_app.command("create")
@fail_cleanly
def create_token(
    ctx: typer.Context, org: Org, name: Annotated[str, typer.Option(help="What the token is for.")],
    access: Annotated[str, typer.Option(help="admin, editor or viewer.")] = "viewer", actor: Actor = "",
) -> None:  # fmt: skip
    """Create a token; it is printed once and stored only as its hash."""
    token, info = knowledge_base(ctx).roles.tokens.create(org, name, access, _actor(actor))
    console.print(f"token {info.id} ({info.access} of {info.organisation}), shown once — keep it secret:")
    typer.echo(token)


@tokens_app.command("list")
@fail_cleanly
def list_tokens(ctx: typer.Context, org: Annotated[str | None, typer.Option("--org")] = None) -> None:
    """Tokens, without their secret."""
    _print([info.__dict__ for info in knowledge_base(ctx).roles.tokens.list(org)])


@tokens_app.command("revoke")
@fail_cleanly
def revoke_token(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The token's id.")]
) -> None:
    """Revoke a token: it is refused from the next request on."""
    info = knowledge_base(ctx).roles.tokens.revoke(token_id)
    console.print(f"token {info.id} ({info.name}) revoked")


def _options(fields: dict, **renamed: str) -> dict[str, str]:
    """Each field by the option (or argument) it was typed as, so an error names `--code`, not `initial_code`."""
    return {field: renamed.get(field, f"--{field}") for field in fields}


def _caller(ctx: typer.Context, org: str, actor: str):
    kb = knowledge_base(ctx)
    return kb, kb.roles.local_admin(org, _actor(actor))


@app.command("create")
@fail_cleanly
def create_role(
    ctx: typer.Context, title: str, org: Org, description: str = "", family: str | None = None,
    unit: str | None = None, level: str | None = None, language: str = "en",
    code: Annotated[str | None, typer.Option(help="Initial code: O*NET-SOC or NOC unit group.")] = None,
    suggest: Annotated[bool, typer.Option(help="Ask the title coder for codes to review.")] = True,
    actor: Actor = "",
) -> None:  # fmt: skip
    """Create a role; its initial code and the title coder's candidates wait for review."""
    from jobforge.roles.models import RoleIn, validated

    kb, caller = _caller(ctx, org, actor)
    fields = dict(title=title, description=description, family=family, unit=unit, level=level, language=language,
                  initial_code=code)  # fmt: skip
    role = validated(RoleIn, fields, _options(fields, title="TITLE", initial_code="--code"))
    _print(kb.roles.create(caller, role, suggest=suggest))


@app.command("import")
@fail_cleanly
def import_roles(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with a header row: title, description, family, unit, level, "
                                              "language, initial_code ('-': standard input).")],
    org: Org,
    suggest: Annotated[bool, typer.Option(help="Ask the title coder for codes to review.")] = True,
    actor: Actor = "",
) -> None:  # fmt: skip
    """Make many roles from a CSV file, all or none; their codes wait for review."""
    from jobforge.cli.input_files import read_text
    from jobforge.roles.csv_files import roles_from_csv

    text, source = read_text(file, "far more than the 10,000 roles an import takes")
    rows = roles_from_csv(text, source)
    kb, caller = _caller(ctx, org, actor)
    with console.status(f"making {len(rows.roles):,} roles and coding their titles…"):
        report = kb.roles.import_roles(caller, rows.roles, suggest=suggest, places=rows.places)
    console.print(f"{report.created:,} roles made (ids {report.ids[0]}–{report.ids[-1]}); "
                  f"{report.suggestions:,} codes wait for review (`jobforge roles suggestions ID --org {org}`)")  # fmt: skip


@app.command("export")
@fail_cleanly
def export_roles(
    ctx: typer.Context, org: Org,
    status: Annotated[str, typer.Option(help="active, archived or all.")] = "active",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.")] = None,
) -> None:  # fmt: skip
    """The organisation's roles as CSV, in the columns `roles import` reads (then id, approved code …)."""
    import io

    from jobforge.output_files import write_text
    from jobforge.roles.csv_files import write_roles

    if status not in ("active", "archived", "all"):
        raise InputError(f"--status '{status}': active, archived or all")
    kb, caller = _caller(ctx, org, "")
    text = io.StringIO()
    write_roles(text, kb.roles.every(caller, None if status == "all" else status))
    if out is None:
        typer.echo(text.getvalue(), nl=False)
    else:
        write_text(out, text.getvalue())
        console.print(f"roles of {org} written to {out}")


@app.command("update")
@fail_cleanly
def update_role(
    ctx: typer.Context, role_id: RoleId, org: Org, title: str | None = None, description: str | None = None,
    family: Annotated[str | None, typer.Option(help="A blank one clears it.")] = None,
    unit: Annotated[str | None, typer.Option(help="A blank one clears it.")] = None,
    level: Annotated[str | None, typer.Option(help="A blank one clears it.")] = None, language: str | None = None,
    version: Annotated[
        int | None, typer.Option(min=1, max=MAX_ROW_ID, help="Refuse if the role is past this version (default: as read now).")
    ] = None,
    actor: Actor = "",
) -> None:  # fmt: skip
    """Change a role's title, description, family, unit, level or language (only the options given)."""
    from jobforge.roles.models import RoleUpdate, validated

    kb, caller = _caller(ctx, org, actor)
    given = dict(title=title, description=description, family=family, unit=unit, level=level, language=language)
    fields = {name: value for name, value in given.items() if value is not None}
    if not fields:
        raise InputError("name what to change: --title, --description, --family, --unit, --level or --language")
    version = version or kb.roles.get(caller, role_id).version
    asked = {"version": version, **fields}
    _print(kb.roles.update(caller, role_id, validated(RoleUpdate, asked, _options(asked))))


@app.command("archive")
@fail_cleanly
def archive_role(ctx: typer.Context, role_id: RoleId, org: Org, reason: Reason = "", actor: Actor = "") -> None:
    """Archive a role: it leaves the default listing and refuses edits; nothing of it is deleted."""
    from jobforge.roles.models import Decision, validated

    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.archive(caller, role_id, validated(Decision, {"reason": reason}, {"reason": "--reason"}).reason))


@app.command("unarchive")
@fail_cleanly
def unarchive_role(ctx: typer.Context, role_id: RoleId, org: Org, reason: Reason = "", actor: Actor = "") -> None:
    """Undo an archive: the role is listed and editable again, as it was."""
    from jobforge.roles.models import Decision, validated

    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.unarchive(caller, role_id, validated(Decision, {"reason": reason}, {"reason": "--reason"}).reason))


@app.command("list")
@fail_cleanly
def list_roles(
    ctx: typer.Context, org: Org, q: str | None = None, archived: bool = False, limit: Limit = 50,
    offset: Annotated[int, typer.Option(min=0, max=MAX_ROW_ID)] = 0, as_json: Json = False,
) -> None:  # fmt: skip
    """The organisation's roles."""
    kb, caller = _caller(ctx, org, "")
    page = kb.roles.search(caller, q=q, status="archived" if archived else "active", limit=limit, offset=offset)
    if as_json:
        return _print(page)
    table = Table(title=f"{page.total:,} roles of {org}")
    for column in ("id", "title", "family", "unit", "level", "approved code", "version"):
        table.add_column(column)
    for role in page.roles:
        table.add_row(str(role.id), role.title, role.family or "", role.unit or "", role.level or "",
                      role.approved_code or "—", str(role.version))  # fmt: skip
    console.print(table)


@app.command("show")
@fail_cleanly
def show_role(ctx: typer.Context, role_id: RoleId, org: Org, as_json: Json = False) -> None:
    """The role with every field resolved: custom or inherited, with its citation."""
    kb, caller = _caller(ctx, org, "")
    resolved = kb.roles.resolved(caller, role_id)
    if as_json:
        return _print(resolved)
    role = resolved.role
    table = Table(title=f"role {role.id}: {role.title} — inherits {role.approved_code or 'nothing yet'}")
    for column in ("field", "value", "status", "source", "citation"):
        table.add_column(column, overflow="fold")
    for field in resolved.fields:
        value = json.dumps(field.value, ensure_ascii=False) if isinstance(field.value, list) else str(field.value)
        flag = " (update available)" if field.update_available else ""
        table.add_row(field.attribute, value[:80], field.status + flag, field.source_kind, field.citation[:100])
    console.print(table)


@app.command("suggestions")
@fail_cleanly
def list_suggestions(ctx: typer.Context, role_id: RoleId, org: Org) -> None:
    """The codes proposed for the role and their review status."""
    kb, caller = _caller(ctx, org, "")
    _print(kb.roles.suggestions(caller, role_id))


@app.command("suggest")
@fail_cleanly
def suggest(
    ctx: typer.Context, role_id: RoleId, org: Org,
    code: Annotated[str | None, typer.Option(help="Propose this code; without: ask the title coder.")] = None,
    reason: Reason = "", actor: Actor = "",
) -> None:  # fmt: skip
    """Propose a code for review."""
    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.suggest(caller, role_id, code, reason))


@app.command("approve")
@fail_cleanly
def approve(
    ctx: typer.Context, role_id: RoleId, suggestion: SuggestionId, org: Org, reason: Reason = "", actor: Actor = ""
) -> None:
    """Approve a suggested code: the role inherits it from the next read."""
    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.approve(caller, role_id, suggestion, reason))


@app.command("reject")
@fail_cleanly
def reject(
    ctx: typer.Context, role_id: RoleId, suggestion: SuggestionId, org: Org, reason: Reason = "", actor: Actor = ""
) -> None:
    """Reject a suggested code."""
    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.reject(caller, role_id, suggestion, reason))


@app.command("override")
@fail_cleanly
def override(
    ctx: typer.Context, role_id: RoleId, attribute: str, value: str, org: Org, reason: Reason, actor: Actor = ""
) -> None:
    """Override one field for this role (VALUE: a number, text, or a JSON list for tasks/tools)."""
    kb, caller = _caller(ctx, org, actor)
    resolved = kb.roles.override(caller, role_id, attribute, _value(attribute, value), reason)
    console.print(f"role {role_id}: {attribute} overridden (version {resolved.role.version})")


@app.command("restore")
@fail_cleanly
def restore(ctx: typer.Context, role_id: RoleId, attribute: str, org: Org, actor: Actor = "") -> None:
    """Remove an override: the inherited value shows again."""
    kb, caller = _caller(ctx, org, actor)
    kb.roles.restore(caller, role_id, attribute)
    console.print(f"role {role_id}: {attribute} restored to the inherited value")


@app.command("diff")
@fail_cleanly
def diff(ctx: typer.Context, role_id: RoleId, org: Org) -> None:
    """Custom against default, per overridden field."""
    kb, caller = _caller(ctx, org, "")
    _print(kb.roles.diff(caller, role_id))


@app.command("bulk-override")
@fail_cleanly
def bulk_override(
    ctx: typer.Context, attribute: str, value: str, org: Org,
    roles: Annotated[str, typer.Option(help="Role ids, comma-separated.")], reason: Reason, actor: Actor = "",
) -> None:  # fmt: skip
    """One override on many roles, all-or-nothing."""
    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.bulk_override(caller, _ids(roles), attribute, _value(attribute, value), reason))


@app.command("copy")
@fail_cleanly
def copy(
    ctx: typer.Context, from_role: RoleId, org: Org, to: Annotated[str, typer.Option(help="Role ids, comma-separated.")],
    attribute: Annotated[list[str] | None, typer.Option(help="Only this field (repeatable).")] = None,
    reason: Reason = "copied", actor: Actor = "",
) -> None:  # fmt: skip
    """Copy one role's overrides to other roles, all-or-nothing."""
    kb, caller = _caller(ctx, org, actor)
    _print(kb.roles.copy(caller, from_role, _ids(to), attribute or None, reason))


@app.command("updates")
@fail_cleanly
def updates(ctx: typer.Context, org: Org) -> None:
    """Overridden fields whose upstream value changed since ("update available")."""
    kb, caller = _caller(ctx, org, "")
    _print(kb.roles.updates(caller))


@app.command("events")
@fail_cleanly
def events(ctx: typer.Context, role_id: RoleId, org: Org, limit: Limit = 50) -> None:
    """What happened to the role, newest first."""
    kb, caller = _caller(ctx, org, "")
    _print(kb.roles.events(caller, role_id, limit))
