"""Occupation search: every occupation whose title or an alternate title holds all the words typed,
the one most likely meant first.

Listed by code, "engineer" began with Architectural and Engineering Managers and "driver" with Pile
Driver Operators; the skill-gap page, which compares the first occupation a word finds, compared
those. Someone typing a word means the occupation it names, not one it qualifies. So a match ranks,
in this order, by: whether its title *is* the words typed, plural aside (Electricians for
"electrician"); whether each word typed starts a word of the name (the RN of "CCU RN" before the rn
inside "Internal"); a title before an alternate title; whether the last word typed is the name's
head word (the last one before a comma, dash or bracket: Drivers in "Bus Drivers, School"); an
alternate title that is the words typed (O*NET gives "Engineer" to many occupations, so this one
comes late); the shorter name (the more general one); the code.

Every occupation matching is ranked (at most the 1,016 of a release), then the page is cut from
that order, so paging stays consistent.
"""

from __future__ import annotations

import re

from pydantic import BaseModel
from sqlalchemy import Engine, and_, case, func, or_, select

from jobforge.sources.onet import tables as t


class OccupationSummary(BaseModel):
    code: str
    title: str
    # the alternate title that matched when the title did not, or that is the very words typed
    matched_alternate_title: str | None = None


class OccupationPage(BaseModel):
    total: int
    limit: int
    offset: int
    occupations: list[OccupationSummary]


_QUALIFIER = re.compile(r",| - | – | \(")  # "Bus Drivers, School", "Foreman - mining"
_WORD_SEPARATORS = (" ", "(", "-", "/")  # what comes before a word inside a title, as SQL's LIKE spells it


def search_occupations(engine: Engine, q: str | None, limit: int = 20, offset: int = 0) -> OccupationPage:
    """Occupations whose title or an alternate title contains every word of `q` (any case), best
    match first (see the module); no `q`: all, by code."""
    words = (q or "").lower().split()
    if not words:
        return _every_occupation(engine, limit, offset)
    title_hit = and_(*(_contains(t.Occupation.title, word) for word in words))
    # of an occupation's matching alternate titles, the words typed themselves if it has them, else
    # one where each word starts a word if there is one
    spellings = _spellings(" ".join(words))
    alternate = (
        select(
            t.AlternateTitle.soc_code,
            func.min(case((func.lower(t.AlternateTitle.title).in_(spellings), t.AlternateTitle.title))).label("exact"),
            func.min(case((_at_word_starts(t.AlternateTitle.title, words), t.AlternateTitle.title))).label("at_start"),
            func.min(t.AlternateTitle.title).label("anywhere"),
        )
        .where(and_(*(_contains(t.AlternateTitle.title, word) for word in words)))
        .group_by(t.AlternateTitle.soc_code)
        .subquery()
    )
    matching = (
        select(
            t.Occupation.soc_code,
            t.Occupation.title,
            case((title_hit, None), else_=func.coalesce(alternate.c.exact, alternate.c.at_start, alternate.c.anywhere)),
        )
        .outerjoin(alternate, alternate.c.soc_code == t.Occupation.soc_code)
        .where(or_(title_hit, alternate.c.anywhere.is_not(None)))
    )
    with engine.connect() as connection:
        rows = connection.execute(matching).all()
    ranked = sorted((_ranked(words, spellings, code, title, via) for code, title, via in rows), key=lambda i: i[0])
    return OccupationPage(
        total=len(ranked),
        limit=limit,
        offset=offset,
        occupations=[summary for _, summary in ranked[offset : offset + limit]],
    )


def _ranked(
    words: list[str], spellings: set[str], code: str, title: str, alternate: str | None
) -> tuple[tuple, OccupationSummary]:
    """(rank key, summary) of one match; `alternate` is the alternate title that matched when the
    title did not; `spellings`, the words typed as a name would spell them."""
    name = (alternate or title).lower()
    head = _head_part(name).split()
    key = (
        _head_part(title) not in spellings,
        not all(re.search(rf"(?<![a-z0-9]){re.escape(word)}", name) for word in words),  # "abc" in "babcock"
        alternate is not None,
        not (head and (head[-1].startswith(words[-1]) or head[-1] in _spellings(words[-1]))),
        name not in spellings,  # Tellers, alternately titled "Cashier", before "Cage Cashier"
        len(name),
        code,
    )
    return key, OccupationSummary(code=code, title=title, matched_alternate_title=alternate)


def _head_part(name: str) -> str:
    return _QUALIFIER.split(name.lower(), maxsplit=1)[0].strip()


def _spellings(text: str) -> set[str]:
    """`text` and its plural or singular: what "is" the words typed, plural aside."""
    spelled = {text, f"{text}s", f"{text}es"}
    if text.endswith("es"):
        spelled.add(text[:-2])
    if text.endswith("s") and not text.endswith("ss"):
        spelled.add(text[:-1])
    return spelled


def _every_occupation(engine: Engine, limit: int, offset: int) -> OccupationPage:
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(t.Occupation)) or 0
        rows = connection.execute(
            select(t.Occupation.soc_code, t.Occupation.title)
            .order_by(t.Occupation.soc_code)
            .limit(limit)
            .offset(offset)
        ).all()
    occupations = [OccupationSummary(code=code, title=title) for code, title in rows]
    return OccupationPage(total=total, limit=limit, offset=offset, occupations=occupations)


def _contains(column, word: str):
    return column.ilike(f"%{_escaped(word)}%", escape="\\")


def _at_word_starts(column, words: list[str]):
    """Each word begins a word of `column` (after a space, a bracket, a dash or a slash)."""
    return and_(
        *(
            or_(column.ilike(f"{_escaped(word)}%", escape="\\"),
                *(column.ilike(f"%{sep}{_escaped(word)}%", escape="\\") for sep in _WORD_SEPARATORS))
            for word in words
        )
    )  # fmt: skip


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
