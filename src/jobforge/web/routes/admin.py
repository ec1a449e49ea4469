"""The roles admin: sign in with a token; roles (new, imported from CSV or exported to it, their
details, archived and back) with their inherited and custom fields, overrides, restore, diff,
proposed codes and the code-review queue; bulk override and copy, upstream updates, the audit log
and (for admins) tokens. Every form posts with a CSRF token and redirects back (post/redirect/get)."""

from __future__ import annotations

import io
import re
from typing import Annotated, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jobforge.api.deps import Kb
from jobforge.entities import ROLE_ID
from jobforge.errors import InputError, NotFoundError, UnauthenticatedError
from jobforge.roles.access import Access
from jobforge.roles.csv_files import roles_from_csv, write_roles
from jobforge.roles.models import MAX_IMPORT_REQUEST, Decision, ProposedCode, RoleIn, RoleUpdate, Text, validated
from jobforge.roles.overrides import from_text
from jobforge.roles.resolve import LIST_FIELDS
from jobforge.text_input import decoded_text
from jobforge.web import session
from jobforge.web.render import page

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)
posted = APIRouter(
    prefix="/admin", tags=["pages"], include_in_schema=False, dependencies=[Depends(session.form_checked)]
)
Reason = Annotated[str, Form(max_length=2000)]
Number = Annotated[int, Path(ge=1, le=999_999_999)]  # a role, suggestion or token id: bounded like the API's
Attribute = Annotated[str, Form(min_length=1, max_length=120)]
PAGE = 50


def back(request: Request, to: str, said: str, **values: str | int) -> RedirectResponse:
    """To the page `to`, which says `said` (a key of i18n.SAID, filled with `values`) in its own language."""
    request.session["flash"] = {"said": said, **values}
    return RedirectResponse(to, status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: Annotated[str, Query(max_length=300)] = "/admin/roles") -> HTMLResponse:
    return page(request, "admin/signin.html", next=safe_next(next))


@posted.post("/sign-in", response_model=None)
def sign_in(
    request: Request, token: Annotated[str, Form(max_length=300)], next: Annotated[str, Form(max_length=300)] = ""
) -> Response:
    try:
        caller = session.sign_in(request, token)
    except UnauthenticatedError as error:  # said on the form itself, not by sending it back to an empty one
        return page(request, "admin/signin.html", status=401, next=safe_next(next), problem=str(error))
    return back(request, safe_next(next), "signed_in", actor=caller.actor, access=caller.access.value)


def safe_next(target: str) -> str:
    """Only a page of this site's admin (no open redirect to another host)."""
    return target if re.fullmatch(r"/admin(/[\w\-/]*)?", target) else "/admin/roles"


@posted.post("/sign-out")
def sign_out(request: Request) -> RedirectResponse:
    session.sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("")
def admin_home() -> RedirectResponse:
    return RedirectResponse("/admin/roles", status_code=303)


@router.get("/roles", response_class=HTMLResponse)
def roles(
    request: Request,
    kb: Kb,
    q: Annotated[str, Query(max_length=200)] = "",
    family: Annotated[str, Query(max_length=120)] = "",
    unit: Annotated[str, Query(max_length=120)] = "",
    level: Annotated[str, Query(max_length=60)] = "",
    status: Literal["active", "archived", ""] = "active",
    approved: Literal["yes", "no", ""] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    caller = session.required(request)
    found = kb.roles.search(
        caller, q=q or None, family=family or None, unit=unit or None, level=level or None, status=status or None,
        approved={"yes": True, "no": False}.get(approved), limit=PAGE, offset=offset,
    )  # fmt: skip
    filters = {"q": q, "family": family, "unit": unit, "level": level, "status": status, "approved": approved}
    return page(request, "admin/roles.html", found=found, filters=filters, page_size=PAGE)


@router.get("/roles.csv")
def roles_csv(request: Request, kb: Kb, status: Literal["active", "archived", ""] = "active") -> Response:
    """Every role of the organisation as CSV (status "" is any), in the columns an import reads."""
    out = io.StringIO()
    write_roles(out, kb.roles.every(session.required(request), status or None))
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="roles.csv"'})  # fmt: skip


@router.get("/roles/new", response_class=HTMLResponse)
def new_role_form(request: Request) -> HTMLResponse:
    session.required(request).require(Access.EDITOR)
    return page(request, "admin/new_role.html")


TitleField = Annotated[str, Form(max_length=300)]
DescriptionField = Annotated[str, Form(max_length=20_000)]
GroupField = Annotated[str, Form(max_length=120)]  # a family or a unit
LevelField = Annotated[str, Form(max_length=60)]
LanguageField = Annotated[str, Form(max_length=2)]


@posted.post("/roles")
def create_role(
    request: Request, kb: Kb, title: TitleField, description: DescriptionField = "", family: GroupField = "",
    unit: GroupField = "", level: LevelField = "", language: LanguageField = "en",
    initial_code: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:  # fmt: skip
    fields = dict(title=title, description=description, family=family, unit=unit, level=level, language=language)
    role = validated(RoleIn, {**fields, "initial_code": initial_code.strip() or None})
    created = kb.roles.create(session.required(request), role)
    return back(request, f"/admin/roles/{created.id}", "role_created", role=created.id)


@posted.post("/roles/import")
async def import_roles(request: Request, kb: Kb, file: Annotated[UploadFile, File()]) -> RedirectResponse:
    """A CSV of roles, all or none (the page names every line at fault); the titles are coded in a
    worker thread, not on the event loop every page shares."""
    where = f"file '{file.filename}'"
    rows = roles_from_csv(decoded_text(await file.read(), where), where, MAX_IMPORT_REQUEST)
    caller = session.required(request)
    report = await to_thread.run_sync(lambda: kb.roles.import_roles(caller, rows.roles, places=rows.places))
    return back(
        request, "/admin/review", "roles_imported",
        created=report.created, first=report.ids[0], last=report.ids[-1], suggestions=report.suggestions,
    )  # fmt: skip


@posted.post("/roles/{role_id}/details")
def update_details(
    request: Request, kb: Kb, role_id: Number, version: Annotated[int, Form(ge=1, le=999_999_999)],
    title: TitleField, description: DescriptionField = "", family: GroupField = "", unit: GroupField = "",
    level: LevelField = "", language: LanguageField = "en",
) -> RedirectResponse:  # fmt: skip
    fields = dict(title=title, description=description, family=family, unit=unit, level=level, language=language)
    role = kb.roles.update(session.required(request), role_id, validated(RoleUpdate, {"version": version, **fields}))
    said = "details_saved" if role.version > version else "details_unchanged"
    return back(request, f"/admin/roles/{role_id}", said, role=role_id)


@posted.post("/roles/{role_id}/suggestions")
def propose(
    request: Request, kb: Kb, role_id: Number, code: Annotated[str, Form(max_length=20)] = "", reason: Reason = "",
) -> RedirectResponse:  # fmt: skip
    """A person's code for review; no code asks the title coder again (after the title changed)."""
    proposal = validated(ProposedCode, {"code": code.strip() or None, "reason": reason})
    kb.roles.suggest(session.required(request), role_id, proposal.code, proposal.reason)
    if proposal.code:
        return back(request, f"/admin/roles/{role_id}", "code_proposed", role=role_id, code=proposal.code.strip())
    return back(request, f"/admin/roles/{role_id}", "coder_proposed", role=role_id)


@posted.post("/roles/{role_id}/archive")
def archive(request: Request, kb: Kb, role_id: Number, reason: Reason = "") -> RedirectResponse:
    kb.roles.archive(session.required(request), role_id, validated(Decision, {"reason": reason}).reason)
    return back(request, f"/admin/roles/{role_id}", "role_archived", role=role_id)


@posted.post("/roles/{role_id}/unarchive")
def unarchive(request: Request, kb: Kb, role_id: Number, reason: Reason = "") -> RedirectResponse:
    kb.roles.unarchive(session.required(request), role_id, validated(Decision, {"reason": reason}).reason)
    return back(request, f"/admin/roles/{role_id}", "role_unarchived", role=role_id)


@router.get("/roles/{role_id}", response_class=HTMLResponse)
def role(
    request: Request, kb: Kb, role_id: Number, edit: Annotated[str | None, Query(max_length=120)] = None
) -> HTMLResponse:
    caller = session.required(request)
    resolved = kb.roles.resolved(caller, role_id)
    fields = {field.attribute: field for field in resolved.fields}
    editing = fields.get(edit) if edit else None
    return page(
        request,
        "admin/role.html",
        role=resolved.role,
        fields=resolved.fields,
        names=kb.occupations.element_names(),
        edit=edit or "",
        edit_value=shown(editing.value) if editing else "",
        diff=kb.roles.diff(caller, role_id),
        suggestions=kb.roles.suggestions(caller, role_id),
        events=kb.roles.events(caller, role_id, 50),
        can_edit=caller.access.rank >= Access.EDITOR.rank,
        can_approve=caller.access is Access.ADMIN,
    )


@router.get("/roles/{role_id}/edit", response_class=HTMLResponse)
def edit_row(
    request: Request, kb: Kb, role_id: Number, attribute: Annotated[str, Query(max_length=120)]
) -> HTMLResponse:
    """The override form inside the field's row (what htmx puts under it when "Override" is
    clicked; without JavaScript the link opens the form at the top of the role page instead)."""
    caller = session.required(request)
    caller.require(Access.EDITOR)
    field = {f.attribute: f for f in kb.roles.resolved(caller, role_id).fields}.get(attribute)
    if field is None:
        raise NotFoundError(f"role {role_id} has no field '{attribute}'")
    return page(request, "admin/edit_row.html", role_id=role_id, field=field, value=shown(field.value))


def shown(value: Text) -> str:
    return "\n".join(value) if isinstance(value, list) else f"{value:g}" if isinstance(value, float) else value


def typed(attribute: str, text: str) -> Text:
    """The form's text as the field's type: lines for a list, else a text or a number."""
    if attribute in LIST_FIELDS:
        return [line.strip() for line in text.splitlines() if line.strip()]
    return from_text(attribute, text)


@posted.post("/roles/{role_id}/override")
def override(
    request: Request, kb: Kb, role_id: Number, attribute: Attribute, value: Annotated[str, Form(max_length=20_000)],
    reason: Reason,
) -> RedirectResponse:  # fmt: skip
    kb.roles.override(session.required(request), role_id, attribute, typed(attribute, value), reason)
    return back(request, f"/admin/roles/{role_id}", "overridden", attribute=attribute)


@posted.post("/roles/{role_id}/restore")
def restore(request: Request, kb: Kb, role_id: Number, attribute: Attribute) -> RedirectResponse:
    kb.roles.restore(session.required(request), role_id, attribute)
    return back(request, f"/admin/roles/{role_id}", "restored", attribute=attribute)


@posted.post("/roles/{role_id}/upstream/{choice}")
def upstream(
    request: Request, kb: Kb, role_id: Number, choice: Literal["accept", "dismiss"], attribute: Attribute
) -> RedirectResponse:
    caller = session.required(request)
    if choice == "accept":
        kb.roles.accept_upstream(caller, role_id, attribute)
    else:
        kb.roles.dismiss_upstream(caller, role_id, attribute)
    return back(request, "/admin/updates", f"upstream_{choice}ed", role=role_id, attribute=attribute)


@posted.post("/roles/{role_id}/suggestions/{suggestion_id}/{decision}")
def decide(
    request: Request, kb: Kb, role_id: Number, suggestion_id: Number, decision: Literal["approve", "reject"],
    reason: Reason = "", then: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:  # fmt: skip
    caller = session.required(request)
    to = safe_next(then) if then else f"/admin/roles/{role_id}"
    if decision == "approve":
        answer = kb.roles.approve(caller, role_id, suggestion_id, reason)
        return back(request, to, "approved", role=role_id, code=answer["code"], changed=answer["changed_fields"])
    kb.roles.reject(caller, role_id, suggestion_id, reason)
    return back(request, to, "rejected", role=role_id, suggestion=suggestion_id)


@router.get("/review", response_class=HTMLResponse)
def review(request: Request, kb: Kb) -> HTMLResponse:
    caller = session.required(request)
    return page(request, "admin/review.html", queue=kb.roles.pending(caller), can_approve=caller.access is Access.ADMIN)


def role_ids(text: str, where: str) -> list[int]:
    ids = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if part:
            if not re.fullmatch(rf"(role:)?{ROLE_ID}", part):
                raise InputError(f"{where}: '{part[:20]}' is not a role number")
            ids.append(int(part.removeprefix("role:")))
    if not ids:
        raise InputError(f"{where}: name at least one role")
    if len(ids) > 10_000:
        raise InputError(f"{where}: at most 10,000 roles at once")
    return ids


@router.get("/bulk", response_class=HTMLResponse)
def bulk_form(request: Request) -> HTMLResponse:
    session.required(request)
    return page(request, "admin/bulk.html")


@posted.post("/bulk/override")
def bulk_override(
    request: Request, kb: Kb, roles: Annotated[str, Form(max_length=200_000)], attribute: Attribute,
    value: Annotated[str, Form(max_length=20_000)], reason: Reason,
) -> RedirectResponse:  # fmt: skip
    caller = session.required(request)
    report = kb.roles.bulk_override(caller, role_ids(roles, "roles"), attribute, typed(attribute, value), reason)
    return back(
        request, "/admin/bulk", "bulk_overridden", attribute=attribute, roles=report.roles, unchanged=report.unchanged
    )


@posted.post("/bulk/copy")
def bulk_copy(
    request: Request, kb: Kb, from_role: Annotated[str, Form(max_length=20)], to: Annotated[str, Form(max_length=200_000)],
    attributes: Annotated[str, Form(max_length=20_000)] = "", reason: Reason = "copied",
) -> RedirectResponse:  # fmt: skip
    caller = session.required(request)
    source = role_ids(from_role, "from role")[0]
    chosen = [name for name in re.split(r"[\s,]+", attributes.strip()) if name] or None
    report = kb.roles.copy(caller, source, role_ids(to, "to roles"), chosen, reason or f"copied from role {source}")
    return back(request, "/admin/bulk", "copied", roles=report.roles, written=report.values_written)


@router.get("/updates", response_class=HTMLResponse)
def updates(request: Request, kb: Kb) -> HTMLResponse:
    return page(request, "admin/updates.html", updates=kb.roles.updates(session.required(request)))


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, kb: Kb) -> HTMLResponse:
    return page(request, "admin/audit.html", events=kb.roles.events(session.required(request), None, 200))


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, kb: Kb) -> HTMLResponse:
    return token_page(request, kb)


def token_page(request: Request, kb, created: str | None = None) -> HTMLResponse:
    caller = session.required(request)
    caller.require(Access.ADMIN)
    listed = kb.roles.tokens.list(caller.organisation)
    return page(request, "admin/tokens.html", tokens=listed, created=created, levels=[a.value for a in Access])


@posted.post("/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    kb: Kb,
    name: Annotated[str, Form(min_length=1, max_length=120)],
    access: Annotated[Access, Form()],
) -> HTMLResponse:
    """Answered with the page itself, not a redirect: the new token is shown this once and kept nowhere."""
    caller = session.required(request)
    caller.require(Access.ADMIN)
    token, _info = kb.roles.tokens.create(caller.organisation, name, access.value, caller.actor)
    return token_page(request, kb, created=token)


@posted.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, kb: Kb, token_id: Number) -> RedirectResponse:
    caller = session.required(request)
    caller.require(Access.ADMIN)
    if token_id not in {info.id for info in kb.roles.tokens.list(caller.organisation)}:
        raise NotFoundError(f"no token {token_id} in organisation '{caller.organisation}'")
    info = kb.roles.tokens.revoke(token_id)
    return back(request, "/admin/tokens", "token_revoked", name=info.name)
