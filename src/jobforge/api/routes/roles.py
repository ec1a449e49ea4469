"""/roles: an organisation's company roles, for its tokens only (every route needs one).

The token says which organisation and access level; a role of another organisation answers 404.
Reads need viewer access, edits editor, approving codes and archiving admin (jobforge.roles.access).
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from jobforge.api.deps import Authenticated, Kb
from jobforge.api.errors import error_responses
from jobforge.roles.csv_files import write_roles
from jobforge.roles.models import (
    RESOLVED,
    BulkOverrideIn,
    BulkReport,
    CopyIn,
    Decision,
    DiffEntry,
    ImportReport,
    OverrideIn,
    ProposedCode,
    ResolvedRole,
    RoleEventOut,
    RoleIn,
    RolePage,
    RoleRecord,
    RolesIn,
    RoleUpdate,
    Suggestion,
)  # fmt: skip
from jobforge.store.limits import MAX_ROW_ID

router = APIRouter(prefix="/roles", tags=["roles"])

RoleIdPath = Annotated[int, Path(ge=1, le=999_999_999, description="The role's id")]
SuggestionPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The suggestion's id")]
AttributeQuery = Annotated[
    str, Query(min_length=1, max_length=120, description="The field: skills/2.A.1.a/LV, job_zone, tasks/core …")
]
READ = error_responses(400, 401, 404)
WRITE = error_responses(400, 401, 403, 404, 409)


@router.get("", response_model=RolePage, responses=READ)
def list_roles(
    kb: Kb,
    caller: Authenticated,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or description")] = None,
    family: Annotated[str | None, Query(max_length=120)] = None,
    unit: Annotated[str | None, Query(max_length=120)] = None,
    level: Annotated[str | None, Query(max_length=60)] = None,
    role_status: Annotated[str, Query(alias="status", pattern="^(active|archived)$")] = "active",
    approved: Annotated[
        bool | None, Query(description="Only roles with (true) or without (false) an approved code")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> RolePage:
    """The organisation's roles, by id, filtered and paged."""
    return kb.roles.search(caller, q=q, family=family, unit=unit, level=level, status=role_status, approved=approved,
                           limit=limit, offset=offset)  # fmt: skip


@router.post("", response_model=RoleRecord, status_code=status.HTTP_201_CREATED, responses=WRITE)
def create_role(
    kb: Kb,
    caller: Authenticated,
    role: RoleIn,
    suggest: Annotated[bool, Query(description="Ask the title coder for codes to review")] = True,
) -> RoleRecord:
    """A new role; its initial code and the title coder's candidates wait in its review queue."""
    return kb.roles.create(caller, role, suggest=suggest)


@router.post("/import", response_model=ImportReport, status_code=status.HTTP_201_CREATED, responses=WRITE)
def import_roles(
    kb: Kb,
    caller: Authenticated,
    body: RolesIn,
    suggest: Annotated[bool, Query(description="Ask the title coder for codes to review")] = True,
) -> ImportReport:
    """Many roles at once (up to 1,000; `jobforge roles import` takes 10,000), all or none: each is checked before the first is made; the
    title coder codes their titles in one batch, and the codes wait for review."""
    return kb.roles.import_roles(caller, body.roles, suggest=suggest)


@router.get(
    "/export.csv",
    response_class=Response,
    responses={
        200: {"description": "The roles as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
        **READ,
    },
)
def export_roles(
    kb: Kb, caller: Authenticated,
    role_status: Annotated[str, Query(alias="status", pattern="^(active|archived|all)$")] = "active",
) -> Response:  # fmt: skip
    """Every role of the organisation as CSV: the columns an import reads (title … initial_code), then
    those the store sets (id, approved_code, status, version, updated_at), which an import skips."""
    out = io.StringIO()
    write_roles(out, kb.roles.every(caller, None if role_status == "all" else role_status))
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="roles-{caller.organisation}.csv"'})  # fmt: skip


@router.get("/updates", response_model=list[dict], responses=READ)
def upstream_updates(kb: Kb, caller: Authenticated) -> list[dict]:
    """Overridden fields whose upstream value changed since the override ("update available")."""
    return kb.roles.updates(caller)


@router.post("/bulk/override", response_model=BulkReport, responses=WRITE)
def bulk_override(kb: Kb, caller: Authenticated, change: BulkOverrideIn) -> BulkReport:
    """One override on many roles, in one transaction: all of them or none."""
    return kb.roles.bulk_override(caller, change.role_ids, change.attribute, change.value, change.reason)


@router.get("/{role_id:int}", response_model=ResolvedRole, responses=READ)
def read_role(kb: Kb, caller: Authenticated, role_id: RoleIdPath) -> Response:
    """The role and every field it shows — custom, or inherited from its approved code with its citation."""
    # Serialised once here, not validated again by FastAPI: a role has hundreds of fields.
    return Response(RESOLVED.dump_json(kb.roles.resolved(caller, role_id)), media_type="application/json")


@router.patch("/{role_id:int}", response_model=RoleRecord, responses=WRITE)
def update_role(kb: Kb, caller: Authenticated, role_id: RoleIdPath, change: RoleUpdate) -> RoleRecord:
    """Change the role's own fields; `version` must be the one read (409 otherwise: no lost update)."""
    return kb.roles.update(caller, role_id, change)


@router.post("/{role_id:int}/archive", response_model=RoleRecord, responses=WRITE)
def archive_role(kb: Kb, caller: Authenticated, role_id: RoleIdPath, decision: Decision) -> RoleRecord:
    """Archive the role (admin): it leaves the default listing and refuses edits; nothing is deleted."""
    return kb.roles.archive(caller, role_id, decision.reason)


@router.post("/{role_id:int}/unarchive", response_model=RoleRecord, responses=WRITE)
def unarchive_role(kb: Kb, caller: Authenticated, role_id: RoleIdPath, decision: Decision) -> RoleRecord:
    """Undo an archive (admin): the role is listed and editable again, as it was."""
    return kb.roles.unarchive(caller, role_id, decision.reason)


@router.get("/{role_id:int}/diff", response_model=list[DiffEntry], responses=READ)
def diff(kb: Kb, caller: Authenticated, role_id: RoleIdPath) -> list[DiffEntry]:
    """Custom against default, per overridden field."""
    return kb.roles.diff(caller, role_id)


@router.get("/{role_id:int}/events", response_model=list[RoleEventOut], responses=READ)
def events(
    kb: Kb, caller: Authenticated, role_id: RoleIdPath, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[RoleEventOut]:
    """What happened to the role, newest first, with who did it."""
    return kb.roles.events(caller, role_id, limit)


@router.put("/{role_id:int}/overrides", response_model=ResolvedRole, responses=WRITE)
def override(
    kb: Kb, caller: Authenticated, role_id: RoleIdPath, attribute: AttributeQuery, change: OverrideIn
) -> ResolvedRole:
    """Override one field for this role only; the inherited value and its release are kept beside it."""
    return kb.roles.override(caller, role_id, attribute, change.value, change.reason)


@router.delete("/{role_id:int}/overrides", response_model=ResolvedRole, responses=WRITE)
def restore(kb: Kb, caller: Authenticated, role_id: RoleIdPath, attribute: AttributeQuery) -> ResolvedRole:
    """Remove an override: the inherited value shows again."""
    return kb.roles.restore(caller, role_id, attribute)


@router.post("/{role_id:int}/upstream/accept", response_model=ResolvedRole, responses=WRITE)
def accept_upstream(kb: Kb, caller: Authenticated, role_id: RoleIdPath, attribute: AttributeQuery) -> ResolvedRole:
    """Take the changed upstream value: the override goes."""
    return kb.roles.accept_upstream(caller, role_id, attribute)


@router.post("/{role_id:int}/upstream/dismiss", response_model=ResolvedRole, responses=WRITE)
def dismiss_upstream(kb: Kb, caller: Authenticated, role_id: RoleIdPath, attribute: AttributeQuery) -> ResolvedRole:
    """Keep the override; the flag clears until the upstream value moves again."""
    return kb.roles.dismiss_upstream(caller, role_id, attribute)


@router.post("/{role_id:int}/copy", response_model=BulkReport, responses=WRITE)
def copy(kb: Kb, caller: Authenticated, role_id: RoleIdPath, change: CopyIn) -> BulkReport:
    """Copy this role's overrides (all, or those named) to other roles, all-or-nothing."""
    return kb.roles.copy(caller, role_id, change.to, change.attributes, change.reason)


@router.get("/{role_id:int}/suggestions", response_model=list[Suggestion], responses=READ)
def suggestions(kb: Kb, caller: Authenticated, role_id: RoleIdPath) -> list[Suggestion]:
    """The codes proposed for the role, with their scores, evidence and review status."""
    return kb.roles.suggestions(caller, role_id)


@router.post("/{role_id:int}/suggestions", response_model=list[Suggestion], responses=WRITE)
def suggest(kb: Kb, caller: Authenticated, role_id: RoleIdPath, proposal: ProposedCode) -> list[Suggestion]:
    """Propose a code (a person's), or ask the title coder again (no code)."""
    return kb.roles.suggest(caller, role_id, proposal.code, proposal.reason)


@router.post("/{role_id:int}/suggestions/{suggestion_id}/approve", response_model=dict, responses=WRITE)
def approve(
    kb: Kb, caller: Authenticated, role_id: RoleIdPath, suggestion_id: SuggestionPath, decision: Decision
) -> dict:
    """Approve a code (admin): the role inherits it from the next read; says which inherited values changed."""
    return kb.roles.approve(caller, role_id, suggestion_id, decision.reason)


@router.post("/{role_id:int}/suggestions/{suggestion_id}/reject", response_model=Suggestion, responses=WRITE)
def reject(
    kb: Kb, caller: Authenticated, role_id: RoleIdPath, suggestion_id: SuggestionPath, decision: Decision
) -> Suggestion:
    """Reject a suggestion (admin), with the reason."""
    return kb.roles.reject(caller, role_id, suggestion_id, decision.reason)
