"""Reading the Canadian side: NOC groups at every level, the NOC↔O*NET-SOC crosswalk and NOC profiles.

A NOC profile puts OaSIS (authoritative, ESDC) first and fills in O*NET, aggregated over every
O*NET-SOC occupation the crosswalk maps the unit group to:

    value       = mean of the mapped occupations' ratings of the element on the scale
                  (unweighted: no Canadian employment weights exist per O*NET-SOC code)
    coverage    = mapped occupations that have the rating ÷ mapped occupations
    agreement   = 1 − min(1, 2 × standard deviation ÷ scale range)   (1 when one occupation)
    confidence  = mean of the contributing ratings' confidences × coverage × agreement

so a unit group mapped to many occupations that disagree (fan-out) earns less confidence than
one mapped to a single occupation. Every aggregated value lists its contributions (SOC code,
title, value, confidence). Each source keeps its own scale: OaSIS levels are not rescaled to
O*NET's, and the `scale` field says which is which.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Engine, bindparam, select

from jobforge.entities import NOC_GROUP_FORM, NOC_GROUP_PATTERN, OASIS, ONET, noc_unit_group, onet_soc
from jobforge.errors import InvalidCodeError, NotFoundError
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.read import StoredValue, ValueFilter, served_values
from jobforge.provenance.sources import SourceKind
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.crosswalk import Coverage, coverage
from jobforge.sources.onet import tables as t

OASIS_SCALE = "OaSIS level (as published by ESDC)"


class CodeTitle(BaseModel):
    code: str
    title: str


class MappedOccupation(CodeTitle):
    titles_in_crosswalk: list[str]


class NocGroupView(BaseModel):
    code: str
    title: str
    definition: str | None
    level: int
    level_name: str
    hierarchy: list[CodeTitle]
    children: list[CodeTitle] = []  # the groups one level down; a unit group has none
    oasis_profiles: list[CodeTitle]
    example_titles: list[str]
    soc_codes: list[MappedOccupation]


class NocMapping(BaseModel):
    noc_code: str
    title: str
    soc_codes: list[MappedOccupation]


class SocMapping(BaseModel):
    soc_code: str
    title: str | None
    noc_codes: list[CodeTitle]


class Contribution(BaseModel):
    soc_code: str
    title: str
    value: float
    confidence: float


class ProfileValue(BaseModel):
    source_kind: str
    source: str
    category: str
    element_id: str | None
    name: str
    scale_id: str | None
    scale: str
    value: float
    confidence: float
    oasis_profile_code: str | None = None
    coverage: float | None = None
    agreement: float | None = None
    contributions: list[Contribution] = []


class NocProfile(BaseModel):
    code: str
    title: str
    soc_codes: list[MappedOccupation]
    values: list[ProfileValue]


_GROUP = select(n.NocGroup).where(n.NocGroup.code == bindparam("code"))
_MAPPED = (
    select(n.NocSocMapping.soc_code, t.Occupation.title, n.NocSocMapping.soc_title_in_source)
    .outerjoin(t.Occupation, t.Occupation.soc_code == n.NocSocMapping.soc_code)
    .where(n.NocSocMapping.noc_code == bindparam("code"))
    .order_by(n.NocSocMapping.soc_code, n.NocSocMapping.source_line)
)


def _unit_group(connection, code: str):
    noc = noc_unit_group(code)
    group = connection.execute(_GROUP, {"code": noc}).first()
    if group is None or group.level != 5:
        raise NotFoundError(f"no NOC 2021 unit group {noc} in the loaded data")
    return group


def _mapped(connection, noc: str) -> list[MappedOccupation]:
    titles: dict[str, tuple[str | None, list[str]]] = {}
    for soc, onet_title, source_title in connection.execute(_MAPPED, {"code": noc}):
        known, seen = titles.setdefault(soc, (onet_title, []))
        if source_title not in seen:
            seen.append(source_title)
    return [
        MappedOccupation(code=soc, title=known or seen[0], titles_in_crosswalk=seen)
        for soc, (known, seen) in titles.items()
    ]


def broad_categories(engine: Engine) -> list[CodeTitle]:
    """The top of the NOC hierarchy: its ten broad categories."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(n.NocGroup.code, n.NocGroup.title).where(n.NocGroup.level == 1).order_by(n.NocGroup.code)
        ).all()
    if not rows:
        raise NotFoundError("NOC 2021 is not loaded: `jobforge noc load` loads it")
    return [CodeTitle(code=code, title=title) for code, title in rows]


def noc_to_soc(engine: Engine, code: str) -> NocMapping:
    """The O*NET-SOC occupations a NOC unit group maps to (distinct codes, O*NET's title when loaded)."""
    with engine.connect() as connection:
        group = _unit_group(connection, code)
        return NocMapping(noc_code=group.code, title=group.title, soc_codes=_mapped(connection, group.code))


def soc_to_noc(engine: Engine, code: str) -> SocMapping:
    """The NOC unit groups that map to an O*NET-SOC occupation."""
    soc = onet_soc(code)
    with engine.connect() as connection:
        title = connection.scalar(select(t.Occupation.title).where(t.Occupation.soc_code == soc))
        rows = connection.execute(
            select(n.NocGroup.code, n.NocGroup.title)
            .distinct()
            .join(n.NocSocMapping, n.NocSocMapping.noc_code == n.NocGroup.code)
            .where(n.NocSocMapping.soc_code == soc)
            .order_by(n.NocGroup.code)
        ).all()
    if title is None and not rows:
        raise NotFoundError(f"O*NET-SOC {soc} is neither in the loaded O*NET data nor in the crosswalk")
    return SocMapping(soc_code=soc, title=title, noc_codes=[CodeTitle(code=c, title=ti) for c, ti in rows])


def crosswalk_coverage(engine: Engine) -> Coverage:
    with engine.connect() as connection:
        return coverage(connection)


def noc_group(engine: Engine, code: str) -> NocGroupView:
    """A NOC group of any level with its place in the hierarchy and the groups one level down; a
    unit group also with its OaSIS profiles, example titles and SOC codes. Each level's code
    begins with its parent's, so the path is the code's prefixes."""
    cleaned = code.strip()
    if not re.fullmatch(NOC_GROUP_PATTERN, cleaned):
        raise InvalidCodeError(f"NOC code '{code}' is not of the form {NOC_GROUP_FORM}")
    with engine.connect() as connection:
        group = connection.execute(_GROUP, {"code": cleaned}).first()
        if group is None:
            raise NotFoundError(f"no NOC 2021 group {cleaned} in the loaded data (`jobforge noc load` loads them)")
        ancestors = [group.code[:length] for length in range(1, len(group.code) + 1)]
        path = dict(
            connection.execute(select(n.NocGroup.code, n.NocGroup.title).where(n.NocGroup.code.in_(ancestors))).all()
        )
        hierarchy = [CodeTitle(code=c, title=path[c]) for c in ancestors if c in path]
        if group.level != 5:
            children = connection.execute(
                select(n.NocGroup.code, n.NocGroup.title)
                .where(n.NocGroup.level == group.level + 1, n.NocGroup.code.startswith(group.code))
                .order_by(n.NocGroup.code)
            ).all()
            return NocGroupView(
                code=group.code, title=group.title, definition=group.definition, level=group.level,
                level_name=group.level_name, hierarchy=hierarchy,
                children=[CodeTitle(code=c, title=title) for c, title in children],
                oasis_profiles=[], example_titles=[], soc_codes=[],
            )  # fmt: skip
        profiles = connection.execute(
            select(n.OasisProfile.profile_code, n.OasisProfile.label)
            .where(n.OasisProfile.unit_group == group.code)
            .order_by(n.OasisProfile.profile_code)
        ).all()
        examples = (
            connection.execute(
                select(n.OasisStatement.text)
                .join(n.OasisProfile, n.OasisProfile.profile_code == n.OasisStatement.profile_code)
                .where(n.OasisProfile.unit_group == group.code, n.OasisStatement.kind == "example_title")
                .order_by(n.OasisStatement.profile_code, n.OasisStatement.position)
            )
            .scalars()
            .all()
        )
        return NocGroupView(
            code=group.code,
            title=group.title,
            definition=group.definition,
            level=group.level,
            level_name=group.level_name,
            hierarchy=hierarchy,
            oasis_profiles=[CodeTitle(code=c, title=label) for c, label in profiles],
            example_titles=list(examples),
            soc_codes=_mapped(connection, group.code),
        )


def noc_profile(
    engine: Engine,
    code: str,
    sources: list[str] | None = None,
    min_confidence: float = 0.0,
    as_of: datetime | None = None,
) -> NocProfile:
    """OaSIS values first, then O*NET aggregated over the mapped occupations (module docstring).
    Both sides are read from the value store as served `as_of` (now by default): OaSIS levels as
    the latest OaSIS load asserted them, O*NET ratings as O*NET (file or Web Services) did."""
    wanted = (
        {SourceKind(s).value for s in sources} if sources else {SourceKind.AUTHORITATIVE.value, SourceKind.ONET.value}
    )
    values: list[ProfileValue] = []
    with engine.connect() as connection:
        group = _unit_group(connection, code)
        mapped = _mapped(connection, group.code)
        if SourceKind.AUTHORITATIVE.value in wanted:
            values += _oasis_values(connection, group.code, as_of)
        if SourceKind.ONET.value in wanted and mapped:
            values += _onet_values(connection, mapped, as_of)
    kept = sorted(
        (v for v in values if v.confidence >= min_confidence), key=lambda v: -SourceKind(v.source_kind).precedence
    )  # authoritative first, stable within a source
    return NocProfile(code=group.code, title=group.title, soc_codes=mapped, values=kept)


def _oasis_values(connection, unit_group: str, as_of: datetime | None) -> list[ProfileValue]:
    profiles = (
        connection.execute(select(n.OasisProfile.profile_code).where(n.OasisProfile.unit_group == unit_group))
        .scalars()
        .all()
    )
    served = served_values(
        connection,
        [OASIS.entity(p) for p in profiles],
        ValueFilter(sources=frozenset({SourceKind.AUTHORITATIVE}), as_of=as_of),
    )
    values = []
    for (entity, attribute), value in sorted(served.items()):
        key = AttributeKey.parse(attribute)
        values.append(
            ProfileValue(
                source_kind=value.source_kind.value,
                source=f"OaSIS 2023 v1.0 (ESDC), {value.reference.cite()}",
                category=key.domain,
                element_id=None,
                name=key.tail or "",
                scale_id=None,
                scale=OASIS_SCALE,
                value=value.value,
                confidence=value.confidence,
                oasis_profile_code=OASIS.code_of(entity),
            )
        )
    return values


def _onet_values(connection, mapped: list[MappedOccupation], as_of: datetime | None) -> list[ProfileValue]:
    socs = [m.code for m in mapped]
    titles = {m.code: m.title for m in mapped}
    served = served_values(
        connection, [ONET.entity(soc) for soc in socs], ValueFilter(sources=frozenset({SourceKind.ONET}), as_of=as_of)
    )
    names = dict(connection.execute(select(t.ContentElement.element_id, t.ContentElement.name)).all())
    scales = {
        row.scale_id: row
        for row in connection.execute(select(t.Scale.scale_id, t.Scale.name, t.Scale.minimum, t.Scale.maximum))
    }
    grouped: dict[tuple[str, str, str], list[tuple[str, StoredValue]]] = defaultdict(list)
    for (entity, attribute), value in served.items():
        key = AttributeKey.parse(attribute)
        if key.is_uncategorised_rating and key.scale in scales:
            grouped[(key.domain, key.element, key.scale)].append((ONET.code_of(entity), value))
    values = []
    for (domain, element, scale_id), members in sorted(grouped.items()):
        members.sort()
        scale = scales[scale_id]
        low, high = scale.minimum, scale.maximum
        ratings = [float(v.value) for _, v in members]
        spread = statistics.pstdev(ratings) if len(ratings) > 1 else 0.0
        agreement = 1 - min(1.0, 2 * spread / (high - low)) if high > low else 1.0
        covered = len(members) / len(socs)
        mean_confidence = sum(v.confidence for _, v in members) / len(members)
        releases = sorted({v.reference.release or "Web Services" for _, v in members})
        values.append(
            ProfileValue(
                source_kind=SourceKind.ONET.value,
                source=f"O*NET {', '.join(releases)}, aggregated over the crosswalk",
                category=domain,
                element_id=element,
                name=names.get(element, element),
                scale_id=scale_id,
                scale=f"O*NET {scale.name} ({low}–{high})",
                value=round(sum(ratings) / len(ratings), 3),
                confidence=round(mean_confidence * covered * agreement, 3),
                coverage=round(covered, 3),
                agreement=round(agreement, 3),
                contributions=[
                    Contribution(soc_code=soc, title=titles[soc], value=v.value, confidence=v.confidence)
                    for soc, v in members
                ],
            )
        )
    return values
