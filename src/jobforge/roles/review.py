"""Code review of a role: proposals (a person's code, the title coder's candidates, an LLM's
judgement of them), the organisation's queue, and an administrator's approval or rejection — the
one step that changes which occupation a role inherits from.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, insert, select, update

from jobforge.classify.rules import MAX_EXPLAINED
from jobforge.config import Settings
from jobforge.entities import NOC, ONET, entity_kind
from jobforge.errors import ConflictError, NotFoundError, UnusableTitleError
from jobforge.jobs.enqueue import enqueue_enrichment
from jobforge.roles.access import Access, Caller, organisation_id
from jobforge.roles.models import (
    RoleRecord,
    Suggestion,
)
from jobforge.roles.records import (
    RoleRows,
    occupation_entity,
    record_each,
    record_event,
    role_record,
    title_of,
    utcnow,
)
from jobforge.roles.resolve import resolve
from jobforge.roles.tables import CodeSuggestion, Role, objects

SUGGESTIONS = 3  # the title coder's candidates proposed per role


class ReviewQueue(RoleRows):
    settings: Settings
    _classify: Callable

    def suggest(self, caller: Caller, role_id: int, code: str | None = None, reason: str = "") -> list[Suggestion]:
        """Propose codes for review: a person's `code`, or the title coder's best candidates for
        the role's title (O*NET-SOC, and NOC when the role's initial code is a NOC one)."""
        caller.require(Access.EDITOR)
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
        failure = None
        if code is not None:
            entity = occupation_entity(code, "code")
            proposals = [(entity, None, "person", reason or "proposed by a person")]
        else:
            proposals = self._coder_proposals([(role.id, role.title, role.initial_code)])[role.id]
            if proposals and self.settings.llm_model:
                judged, failure = self._refined(role, proposals)
                proposals += judged
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            if code is not None:
                entity_kind(proposals[0][0]).require(connection, entity_kind(proposals[0][0]).code_of(proposals[0][0]))
            self._propose(connection, role.organisation_id, role.id, proposals, caller.actor)
            if failure:
                record_event(connection, role.organisation_id, role.id, "llm refinement failed", caller.actor,
                       {"model": self.settings.llm_model, "reason": failure})  # fmt: skip
        return self.suggestions(caller, role_id)

    def _coder_proposals(self, roles: list[tuple[int, str, str | None]]) -> dict[int, list]:
        """Each role's (id, title, initial code) title coder candidates as proposals, the titles of a
        system coded in one batch: O*NET-SOC, or NOC for a role whose initial code is a NOC one."""
        found: dict[int, list] = {}
        for kind in (ONET, NOC):
            coded = [
                (role_id, title)
                for role_id, title, initial in roles
                if (entity_kind(initial) if initial else ONET) is kind
            ]
            for (role_id, _), classification in zip(
                coded, self._classified([title for _, title in coded], kind.prefix)
            ):
                found[role_id] = [
                    (kind.entity(candidate.code), candidate.score, "title coder", _evidence(candidate))
                    for candidate in (classification.candidates if classification else [])
                ]
        return found

    def _classified(self, titles: list[str], system: str) -> list:
        """Each title's classification, or None: for a title with nothing to read in it ("***"), and
        for every title when the system has nothing loaded; such a role's initial code stays its only
        proposal, and the role is made all the same."""
        answers: list = [None] * len(titles)
        positions = list(range(len(titles)))
        while positions:
            try:
                explain = len(positions) * SUGGESTIONS <= MAX_EXPLAINED  # as GET/POST /classify explain
                coded = self._classify([titles[i] for i in positions], system, SUGGESTIONS, explain)
            except UnusableTitleError as error:  # rare: the others are coded again without it
                del positions[error.position - 1]
                continue
            except NotFoundError:
                break
            for position, classification in zip(positions, coded):
                answers[position] = classification
            break
        return answers

    def _refined(self, role: Role, proposals: list) -> tuple[list, str | None]:
        """The LLM's judgement of the coder's candidates, as proposals of their own (or why not)."""
        from jobforge.roles.refine import refined

        candidates = [{"code": code, "title": evidence.split("; ", 1)[-1].split(":")[0], "coder_score": score}
                      for code, score, _method, evidence in proposals]  # fmt: skip
        choices, failure = refined(self.settings, role.title, role.description, role.language, candidates)
        model = self.settings.llm_model
        judged = [(choice.code, round(choice.fit, 3), "llm", f"llm ({model}): {choice.rationale.strip()[:1000]}")
                  for choice in choices]  # fmt: skip
        return judged, failure

    def suggestions(self, caller: Caller, role_id: int) -> list[Suggestion]:
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
            rows = objects(connection, select(CodeSuggestion).where(CodeSuggestion.role_id == role.id)
                           .order_by(CodeSuggestion.id))  # fmt: skip
            return [_suggestion(connection, row) for row in rows]

    def pending(self, caller: Caller, limit: int = 200) -> list[tuple[RoleRecord, list[Suggestion]]]:
        """The review queue: the organisation's active roles with suggestions waiting, oldest first."""
        with self.engine.connect() as connection:
            org_id = organisation_id(connection, caller.organisation)
            rows = objects(
                connection,
                select(CodeSuggestion).join(Role, Role.id == CodeSuggestion.role_id)
                .where(Role.organisation_id == org_id, Role.status == "active", CodeSuggestion.status == "pending")
                .order_by(CodeSuggestion.role_id, CodeSuggestion.id),
            )  # fmt: skip
            queue: dict[int, list[Suggestion]] = {}
            for row in rows:
                if row.role_id in queue or len(queue) < limit:
                    queue.setdefault(row.role_id, []).append(_suggestion(connection, row))
            roles = objects(connection, select(Role).where(Role.id.in_(queue)).order_by(Role.id)) if queue else []
            return [(role_record(role, caller.organisation), queue[role.id]) for role in roles]

    def approve(self, caller: Caller, role_id: int, suggestion_id: int, reason: str = "") -> dict:
        """Approve a suggestion: the role inherits its code from the next read; says which inherited
        values changed from the previous code."""
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            suggestion = self._suggestion(connection, role, suggestion_id)
            if suggestion.status == "approved":
                raise ConflictError(f"suggestion {suggestion_id} is approved already")
            before = {f.attribute: f.value for f in resolve(connection, role.id, role.approved_code)
                      if f.status == "inherited"}  # fmt: skip
            now = utcnow()
            connection.execute(
                update(CodeSuggestion)
                .where(CodeSuggestion.role_id == role.id, CodeSuggestion.status == "approved")
                .values(status="superseded", decided_at=now)
            )
            connection.execute(
                update(CodeSuggestion).where(CodeSuggestion.id == suggestion.id)
                .values(status="approved", decided_by=caller.actor, decided_at=now, reason=reason)
            )  # fmt: skip
            previous = role.approved_code
            self._touch(connection, [role], approved_code=suggestion.code)
            after = {f.attribute: f.value for f in resolve(connection, role.id, suggestion.code)
                     if f.status == "inherited"}  # fmt: skip
            changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
            detail = {"code": suggestion.code, "previous": previous, "suggestion": suggestion.id, "reason": reason,
                      "changed_fields": len(changed), "changed": changed[:50]}  # fmt: skip
            record_event(connection, role.organisation_id, role.id, "approved", caller.actor, detail)
            if suggestion.code.startswith("onet:"):  # its data gets enriched where it lacks any (kb.enrich)
                enqueue_enrichment(connection, [ONET.code_of(suggestion.code)], "approved")
        return detail

    def reject(self, caller: Caller, role_id: int, suggestion_id: int, reason: str = "") -> Suggestion:
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            suggestion = self._suggestion(connection, role, suggestion_id)
            if suggestion.status != "pending":
                raise ConflictError(f"suggestion {suggestion_id} is {suggestion.status}, not pending")
            connection.execute(
                update(CodeSuggestion).where(CodeSuggestion.id == suggestion.id)
                .values(status="rejected", decided_by=caller.actor, decided_at=utcnow(), reason=reason)
            )  # fmt: skip
            record_event(connection, role.organisation_id, role.id, "rejected", caller.actor,
                   {"code": suggestion.code, "suggestion": suggestion.id, "reason": reason})  # fmt: skip
            return _suggestion(connection, self._suggestion(connection, role, suggestion.id))

    @staticmethod
    def _propose(connection: Connection, org_id: int, role_id: int, proposals: list, actor: str) -> None:
        pending = {
            (code, method)
            for code, method in connection.execute(
                select(CodeSuggestion.code, CodeSuggestion.method).where(
                    CodeSuggestion.role_id == role_id, CodeSuggestion.status == "pending"
                )
            )
        }
        fresh = [p for p in proposals if (p[0], p[2]) not in pending]
        insert_proposals(connection, org_id, {role_id: fresh}, actor)

    @staticmethod
    def _suggestion(connection: Connection, role: Role, suggestion_id: int) -> CodeSuggestion:
        row = _row(connection, suggestion_id)
        if row is None or row.role_id != role.id:
            raise NotFoundError(f"role {role.id} has no suggestion {suggestion_id}")
        return row


def insert_proposals(connection: Connection, org_id: int, proposals: dict[int, list], actor: str) -> None:
    """Each role's proposals, pending, and a "suggested" event for each role given some; none of
    them checked against what the role has pending already (a new role has nothing)."""
    now = utcnow()
    rows = [dict(role_id=role_id, code=c, score=s, method=m, evidence=e, status="pending", created_at=now)
            for role_id, fresh in proposals.items() for c, s, m, e in fresh]  # fmt: skip
    for start in range(0, len(rows), 1000):
        connection.execute(insert(CodeSuggestion), rows[start : start + 1000])
    events = [(org_id, role_id, {"codes": [{"code": c, "score": s, "method": m} for c, s, m, _ in fresh]})
              for role_id, fresh in proposals.items() if fresh]  # fmt: skip
    record_each(connection, events, "suggested", actor)


def _row(connection: Connection, suggestion_id: int) -> CodeSuggestion | None:
    found = objects(connection, select(CodeSuggestion).where(CodeSuggestion.id == suggestion_id))
    return found[0] if found else None


def _suggestion(connection: Connection, row: CodeSuggestion) -> Suggestion:
    return Suggestion(
        id=row.id, role_id=row.role_id, code=row.code, title=title_of(connection, row.code), score=row.score,
        method=row.method, evidence=row.evidence, status=row.status, created_at=row.created_at,
        decided_by=row.decided_by, decided_at=row.decided_at, reason=row.reason,
    )  # fmt: skip


def _evidence(candidate) -> str:
    evidence = getattr(candidate, "evidence", None)
    shown = f"{candidate.title}: matched '{evidence.name}' ({evidence.origin})" if evidence else candidate.title
    return f"title coder score {candidate.score:.2f}; {shown}"
