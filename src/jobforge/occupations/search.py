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
_WORD_SEPARATORS = (" ", "(", "-", "/")  # what comes before a word inside a title


def search_occupations(engine: Engine, q: str | None, limit: int = 20, offset: int = 0) -> OccupationPage:
    """Occupations whose title or an alternate title contains every word of `q` (any case), best
    match first (see the module); no `q`: all, by code."""
    words = (q or "").lower().split()
    if not words:
        return _every_occupation(engine, limit, offset)
    title_hit = and_(*(t.Occupation.title.icontains(word, autoescape=True) for word in words))
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
        .where(and_(*(t.AlternateTitle.title.icontains(word, autoescape=True) for word in words)))
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
    key = _rank_key(words, spellings)
    ranked = sorted(rows, key=lambda row: key(*row))
    return OccupationPage(
        total=len(ranked),
        limit=limit,
        offset=offset,
        occupations=[
            OccupationSummary(code=code, title=title, matched_alternate_title=alternate)
            for code, title, alternate in ranked[offset : offset + limit]
        ],
    )


def _rank_key(words: list[str], spellings: set[str]):
    """The sort key of a match (code, title, the alternate title that matched when the title did
    not), what the words typed ask of it worked out once per search."""
    at_word_start = [re.compile(rf"(?<![a-z0-9]){re.escape(word)}") for word in words]  # not "abc" in "babcock"
    last, last_spellings = words[-1], _spellings(words[-1])

    def key(code: str, title: str, alternate: str | None) -> tuple:
        name = (alternate or title).lower()
        head = _head_part(name).split()
        return (
            _head_part(title.lower()) not in spellings,
            not all(pattern.search(name) for pattern in at_word_start),
            alternate is not None,
            not (head and (head[-1].startswith(last) or head[-1] in last_spellings)),
            name not in spellings,  # Tellers, alternately titled "Cashier", before "Cage Cashier"
            len(name),
            code,
        )

    return key


def _head_part(lowered: str) -> str:
    return _QUALIFIER.split(lowered, maxsplit=1)[0].strip()


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


def _at_word_starts(column, words: list[str]):
    """Each word begins a word of `column` (after a space, a bracket, a dash or a slash)."""
    return and_(
        *(
            or_(column.istartswith(word, autoescape=True),
                *(column.icontains(separator + word, autoescape=True) for separator in _WORD_SEPARATORS))
            for word in words
        )
    )  # fmt: skip
