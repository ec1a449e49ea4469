"""Reading TBS groups: the current snapshot, a group's history, the difference between snapshots."""

from __future__ import annotations

import json

from pydantic import BaseModel
from sqlalchemy import Engine, func, select

from jobforge.errors import InvalidCodeError, NotFoundError
from jobforge.sources.tbs.tables import TbsGroup, TbsPage, TbsRun

COMPARED = ("code", "occupational_group", "group_name", "subgroup", "definition", "inclusions", "exclusions", "links")


class TbsGroupView(BaseModel):
    abbreviation: str
    code: str | None
    occupational_group: str
    group_name: str | None
    subgroup: str | None
    definition_title: str | None
    definition: str | None
    inclusions: list[str]
    exclusions: list[str]
    links: dict[str, dict]
    source_url: str
    fetched_at: str
    page_title: str
    content_sha256: str
    parser_version: str
    snapshot: int


class TbsRunView(BaseModel):
    id: int
    status: str
    languages: str
    depth: int
    started_at: str
    finished_at: str
    message: str | None
    pages_fetched: int
    pages_changed: int


def _check_lang(lang: str) -> str:
    if lang not in ("en", "fr"):
        raise InvalidCodeError(f"language '{lang}' is not one of en, fr")
    return lang


def _snapshot_id(connection, lang: str) -> int | None:
    return connection.scalar(select(func.max(TbsGroup.run_id)).where(TbsGroup.lang == lang))


def _views(connection, lang: str, run_id: int) -> list[TbsGroupView]:
    rows = connection.execute(
        select(
            TbsGroup.__table__,
            TbsPage.url,
            TbsPage.fetched_at,
            TbsPage.title.label("page_title"),
            TbsPage.sha256,
            TbsPage.parser_version,
        )
        .join(TbsPage, TbsPage.id == TbsGroup.groups_page_id)
        .where(TbsGroup.lang == lang, TbsGroup.run_id == run_id)
        .order_by(TbsGroup.position)
    ).all()
    return [
        TbsGroupView(
            abbreviation=g.abbreviation,
            code=g.code,
            occupational_group=g.occupational_group,
            group_name=g.group_name,
            subgroup=g.subgroup,
            definition_title=g.definition_title,
            definition=g.definition_text,
            inclusions=json.loads(g.inclusions),
            exclusions=json.loads(g.exclusions),
            links=json.loads(g.links),
            source_url=g.url,
            fetched_at=g.fetched_at.isoformat(),
            page_title=g.page_title,
            content_sha256=g.sha256,
            parser_version=g.parser_version,
            snapshot=g.run_id,
        )
        for g in rows
    ]


def current_groups(engine: Engine, lang: str = "en") -> list[TbsGroupView]:
    """The rows of the last good snapshot; none before the first, which a scrape compares against."""
    with engine.connect() as connection:
        run_id = _snapshot_id(connection, _check_lang(lang))
        return _views(connection, lang, run_id) if run_id is not None else []


def snapshot_groups(engine: Engine, lang: str = "en") -> list[TbsGroupView]:
    """The rows of the last good snapshot, for a reader: before the first there is no table to
    show, which an empty one would hide (a scrape that finds no group fails instead of keeping
    one), so it is not found, saying how to make one and why the last scrape did not."""
    groups = current_groups(engine, lang)
    if not groups:
        raise NotFoundError(_no_snapshot(engine, lang))
    return groups


def _no_snapshot(engine: Engine, lang: str) -> str:
    said = f"no TBS snapshot in '{lang}' yet: `jobforge tbs scrape --lang {lang}` makes one"
    run = last_run(engine)
    if run is not None and run.status != "ok":
        said += f" (the last scrape, run {run.id} at {run.finished_at}, failed: {run.message})"
    return said


def group(engine: Engine, code: str, lang: str = "en") -> list[TbsGroupView]:
    """The rows of a group (all its subgroups) in the current snapshot, by abbreviation or numeric code."""
    wanted = code.strip().upper()
    rows = [g for g in snapshot_groups(engine, lang) if g.abbreviation.upper() == wanted or (g.code or "") == wanted]
    if not rows:
        raise NotFoundError(f"no occupational group '{code}' in the last TBS snapshot ({lang})")
    return rows


def history(engine: Engine, code: str, lang: str = "en") -> list[dict]:
    """Every snapshot in which the group's rows differ from the snapshot before."""
    wanted = code.strip().upper()
    with engine.connect() as connection:
        runs = (
            connection.execute(
                select(TbsGroup.run_id).distinct().where(TbsGroup.lang == _check_lang(lang)).order_by(TbsGroup.run_id)
            )
            .scalars()
            .all()
        )
        if not runs:
            raise NotFoundError(_no_snapshot(engine, lang))
        versions = []
        previous = None
        for run_id in runs:
            rows = [g for g in _views(connection, lang, run_id) if g.abbreviation.upper() == wanted or g.code == wanted]
            state = {(g.subgroup or ""): {k: getattr(g, k) for k in COMPARED} for g in rows}
            if state != previous:
                versions.append(
                    {
                        "snapshot": run_id,
                        "fetched_at": rows[0].fetched_at if rows else None,
                        "rows": [g.model_dump() for g in rows],
                        "changes": _changes(previous or {}, state),
                    }
                )
            previous = state
    if not any(v["rows"] for v in versions):
        raise NotFoundError(f"no occupational group '{code}' in any TBS snapshot ({lang})")
    return versions


def diff(engine: Engine, lang: str = "en", old: int | None = None, new: int | None = None) -> dict:
    """What changed between two snapshots (default: the last two). A snapshot named that holds no
    groups in `lang` is not found: read as empty, it made every group look added or removed."""
    _check_lang(lang)
    with engine.connect() as connection:
        held = sorted(connection.scalars(select(TbsGroup.run_id).where(TbsGroup.lang == lang).distinct()))
        for named in (old, new):
            if named is not None and named not in held:
                shown = ", ".join(map(str, held[-10:])) or "none"
                raise NotFoundError(f"no TBS snapshot {named} in '{lang}' (the last ones: {shown})")
        new = new or max(held, default=None)
        old = old or max((run for run in held if new is not None and run < new), default=None)
        if new is None or old is None:
            raise NotFoundError(f"fewer than two TBS snapshots for '{lang}'")
        before = {(g.abbreviation, g.subgroup or ""): g for g in _views(connection, lang, old)}
        after = {(g.abbreviation, g.subgroup or ""): g for g in _views(connection, lang, new)}
    changed = {}
    for key in before.keys() & after.keys():
        fields = {
            k: {"old": getattr(before[key], k), "new": getattr(after[key], k)}
            for k in COMPARED
            if getattr(before[key], k) != getattr(after[key], k)
        }
        if fields:
            changed[" ".join(filter(None, key))] = fields
    return {
        "lang": lang,
        "old": old,
        "new": new,
        "added": sorted(" ".join(filter(None, k)) for k in after.keys() - before.keys()),
        "removed": sorted(" ".join(filter(None, k)) for k in before.keys() - after.keys()),
        "changed": changed,
    }


def last_run(engine: Engine) -> TbsRunView | None:
    with engine.connect() as connection:
        run = connection.execute(select(TbsRun.__table__).order_by(TbsRun.id.desc()).limit(1)).first()
    if run is None:
        return None
    return TbsRunView(
        id=run.id,
        status=run.status,
        languages=run.languages,
        depth=run.depth,
        started_at=run.started_at.isoformat(),
        finished_at=run.finished_at.isoformat(),
        message=run.message,
        pages_fetched=run.pages_fetched,
        pages_changed=run.pages_changed,
    )


def _changes(before: dict, after: dict) -> dict:
    result = {}
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            old, new = before.get(key) or {}, after.get(key) or {}
            result[key or "(group)"] = sorted(k for k in COMPARED if old.get(k) != new.get(k))
    return result
