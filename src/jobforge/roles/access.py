"""API tokens and what each access level may do.

A token belongs to one organisation and carries one access level; it is stored as its SHA-256
only, so a leaked database does not leak working tokens, and it is shown once, at creation.
Levels nest: a viewer reads its organisation's roles; an editor also creates and edits them
(fields, overrides, restores, bulk and copy, suggestions); an admin also decides which code a
role inherits (approve, reject) and archives roles. Public occupational data needs no token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine, insert, select, update

from jobforge.errors import ForbiddenError, InputError, NotFoundError, UnauthenticatedError
from jobforge.roles.tables import ACTOR_LENGTH, TOKEN_NAME_LENGTH, ApiToken, Organisation

TOKEN_PREFIX = "jf_"


class Access(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {Access.VIEWER: 1, Access.EDITOR: 2, Access.ADMIN: 3}[self]


@dataclass(frozen=True)
class Caller:
    """Who is asking: an organisation, an access level, and the name events record."""

    organisation: str  # slug
    access: Access
    actor: str

    def require(self, needed: Access) -> None:
        if self.access.rank < needed.rank:
            raise ForbiddenError(f"this needs {needed.value} access; the token ({self.actor}) has {self.access.value}")


@dataclass(frozen=True)
class TokenInfo:
    id: int
    organisation: str
    name: str
    access: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Tokens:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, organisation: str, name: str, access: str, actor: str) -> tuple[str, TokenInfo]:
        """A new token (returned once, in clear) and its record."""
        try:
            level = Access(access)
        except ValueError:
            raise InputError(f"access '{access}' is not one of admin, editor, viewer") from None
        check_actor(actor)
        longest = min(TOKEN_NAME_LENGTH, ACTOR_LENGTH - len(token_actor("", organisation)))
        if not name.strip() or len(name.strip()) > longest:
            raise InputError(
                f"a token's name must be 1 to {longest} characters: events name it as "
                f"token:NAME@{organisation}, at most {ACTOR_LENGTH}"
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            org_id = organisation_id(connection, organisation)
            token_id = connection.execute(
                insert(ApiToken).values(
                    organisation_id=org_id,
                    name=name.strip(),
                    token_hash=digest(token),
                    access=level.value,
                    created_by=actor,
                    created_at=now,
                    revoked_at=None,
                )  # fmt: skip
            ).inserted_primary_key[0]  # type: ignore[index]  # never None after an INSERT
        return token, TokenInfo(token_id, organisation, name.strip(), level.value, actor, now, None)

    def list(self, organisation: str | None = None) -> list[TokenInfo]:
        a = ApiToken
        query = (
            select(a.id, Organisation.slug, a.name, a.access, a.created_by, a.created_at, a.revoked_at)
            .join(Organisation, Organisation.id == a.organisation_id)
            .order_by(a.id)
        )
        if organisation is not None:
            query = query.where(Organisation.slug == organisation)
        with self.engine.connect() as connection:
            return [TokenInfo(*row) for row in connection.execute(query)]

    def revoke(self, token_id: int) -> TokenInfo:
        with self.engine.begin() as connection:
            done = connection.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            ).rowcount
        listed = {info.id: info for info in self.list()}
        if token_id not in listed:
            raise NotFoundError(f"no token {token_id}")
        if not done:
            raise InputError(f"token {token_id} was already revoked")
        return listed[token_id]

    def authenticate(self, token: str | None) -> Caller:
        """The caller a bearer token stands for; UnauthenticatedError when it is absent, unknown or revoked."""
        if not token:
            raise UnauthenticatedError("this needs a token: send 'Authorization: Bearer <token>'")
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise UnauthenticatedError("the token is not a JobForge token")
        return self.by_digest(digest(token))

    def by_digest(self, token_digest: str) -> Caller:
        """The caller whose token has this SHA-256: a web session keeps only the digest, and is
        checked again on every request, so revoking the token ends the session too."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(ApiToken.name, ApiToken.access, ApiToken.revoked_at, Organisation.slug)
                .join(Organisation, Organisation.id == ApiToken.organisation_id)
                .where(ApiToken.token_hash == token_digest)
            ).first()
        if row is None or row.revoked_at is not None:
            raise UnauthenticatedError("the token is unknown or revoked")
        return Caller(row.slug, Access(row.access), token_actor(row.name, row.slug))


def check_actor(actor: str) -> None:
    """Who acts, as events name them, fits their column."""
    if len(actor) > ACTOR_LENGTH:
        raise InputError(f"the actor '{actor[:40]}…' is {len(actor):,} characters; at most {ACTOR_LENGTH}")


def token_actor(name: str, organisation: str) -> str:
    """How events name a token's caller; the name cut to fit the column (a token named before its
    length was bounded by it)."""
    actor = f"token:{name}@{organisation}"
    if len(actor) <= ACTOR_LENGTH:
        return actor
    excess = len(actor) - ACTOR_LENGTH + 1  # and one for the ellipsis
    return f"token:{name[:-excess]}…@{organisation}"


def organisation_id(connection: Connection, slug: str) -> int:
    found = connection.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if found is None:
        raise NotFoundError(f"no organisation '{slug}': `jobforge orgs create {slug}` makes one")
    return found
