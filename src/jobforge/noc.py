"""Reading the Canadian side: NOC groups, the NOC↔O*NET-SOC crosswalk and NOC profiles.

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

import statistics
from collections import defaultdict

from pydantic import BaseModel
from sqlalchemy import Engine, and_, bindparam, select

from jobforge.codes import noc_unit_group, onet_soc
from jobforge.errors import NotFoundError
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.tables import LoadFile, LoadRun
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


_UNIT_GROUP = select(n.NocGroup).where(n.NocGroup.code == bindparam("code"))
_MAPPED = (
    select(n.NocSocMapping.soc_code, t.Occupation.title, n.NocSocMapping.soc_title_in_source)
    .outerjoin(t.Occupation, t.Occupation.soc_code == n.NocSocMapping.soc_code)
    .where(n.NocSocMapping.noc_code == bindparam("code"))
    .order_by(n.NocSocMapping.soc_code, n.NocSocMapping.source_line)
)


def _unit_group(connection, code: str):
    noc = noc_unit_group(code)
    group = connection.execute(_UNIT_GROUP, {"code": noc}).first()
    if group is None or group.level != 5:
        raise NotFoundError(f"no NOC 2021 unit group {noc} in the loaded data")
    return group


def _mapped(connection, noc: str) -> list[MappedOccupation]:
    titles: dict[str, tuple[str | None, list[str]]] = {}
    for soc, onet_title, source_title in connection.execute(_MAPPED, {"code": noc}):
        known, seen = titles.setdefault(soc, (onet_title, []))
        if source_title not in seen:
            seen.append(source_title)
    return [MappedOccupation(code=soc, title=known or seen[0], titles_in_crosswalk=seen)
            for soc, (known, seen) in titles.items()]


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
            select(n.NocGroup.code, n.NocGroup.title).distinct()
            .join(n.NocSocMapping, n.NocSocMapping.noc_code == n.NocGroup.code)
            .where(n.NocSocMapping.soc_code == soc).order_by(n.NocGroup.code)
        ).all()
    if title is None and not rows:
        raise NotFoundError(f"O*NET-SOC {soc} is neither in the loaded O*NET data nor in the crosswalk")
    return SocMapping(soc_code=soc, title=title, noc_codes=[CodeTitle(code=c, title=ti) for c, ti in rows])


def crosswalk_coverage(engine: Engine) -> Coverage:
    with engine.connect() as connection:
        return coverage(connection)


def noc_group(engine: Engine, code: str) -> NocGroupView:
    """A unit group with its place in the hierarchy, OaSIS profiles, example titles and SOC codes."""
    with engine.connect() as connection:
        group = _unit_group(connection, code)
        ancestors = [group.code[:length] for length in range(1, 6)]
        path = dict(connection.execute(
            select(n.NocGroup.code, n.NocGroup.title).where(n.NocGroup.code.in_(ancestors))).all())
        profiles = connection.execute(
            select(n.OasisProfile.profile_code, n.OasisProfile.label)
            .where(n.OasisProfile.unit_group == group.code).order_by(n.OasisProfile.profile_code)
        ).all()
        examples = connection.execute(
            select(n.OasisStatement.text)
            .join(n.OasisProfile, n.OasisProfile.profile_code == n.OasisStatement.profile_code)
            .where(n.OasisProfile.unit_group == group.code, n.OasisStatement.kind == "example_title")
            .order_by(n.OasisStatement.profile_code, n.OasisStatement.position)
        ).scalars().all()
        return NocGroupView(
            code=group.code, title=group.title, definition=group.definition, level=group.level,
            level_name=group.level_name,
            hierarchy=[CodeTitle(code=c, title=path[c]) for c in ancestors if c in path],
            oasis_profiles=[CodeTitle(code=c, title=label) for c, label in profiles],
            example_titles=list(examples), soc_codes=_mapped(connection, group.code),
        )


def noc_profile(engine: Engine, code: str, sources: list[str] | None = None,
                min_confidence: float = 0.0) -> NocProfile:
    """OaSIS values first, then O*NET aggregated over the mapped occupations (module docstring)."""
    wanted = {SourceKind(s).value for s in sources} if sources else {SourceKind.AUTHORITATIVE.value, SourceKind.ONET.value}
    values: list[ProfileValue] = []
    with engine.connect() as connection:
        group = _unit_group(connection, code)
        mapped = _mapped(connection, group.code)
        if SourceKind.AUTHORITATIVE.value in wanted:
            values += _oasis_values(connection, group.code)
        if SourceKind.ONET.value in wanted and mapped:
            values += _onet_values(connection, mapped)
    kept = sorted((v for v in values if v.confidence >= min_confidence),
                  key=lambda v: -SourceKind(v.source_kind).precedence)  # authoritative first, stable within a source
    return NocProfile(code=group.code, title=group.title, soc_codes=mapped, values=kept)


def _oasis_values(connection, unit_group: str) -> list[ProfileValue]:
    rows = connection.execute(
        select(n.OasisRating.profile_code, n.OasisRating.category, n.OasisRating.descriptor, n.OasisRating.value,
               n.OasisRating.confidence, n.OasisRating.source_kind)
        .join(n.OasisProfile, n.OasisProfile.profile_code == n.OasisRating.profile_code)
        .where(n.OasisProfile.unit_group == unit_group)
        .order_by(n.OasisRating.profile_code, n.OasisRating.category, n.OasisRating.descriptor)
    ).all()
    return [ProfileValue(source_kind=kind, source="OaSIS 2023 v1.0 (ESDC)", category=category, element_id=None,
                         name=descriptor, scale_id=None, scale=OASIS_SCALE, value=value, confidence=confidence,
                         oasis_profile_code=profile)
            for profile, category, descriptor, value, confidence, kind in rows]


def _onet_values(connection, mapped: list[MappedOccupation]) -> list[ProfileValue]:
    r = t.OccupationRating
    socs = [m.code for m in mapped]
    titles = {m.code: m.title for m in mapped}
    rows = connection.execute(
        select(r.domain, r.element_id, t.ContentElement.name, r.scale_id, t.Scale.name, t.Scale.minimum,
               t.Scale.maximum, r.soc_code, r.data_value, r.confidence, LoadRun.release)
        .join(t.ContentElement, t.ContentElement.element_id == r.element_id)
        .join(t.Scale, t.Scale.scale_id == r.scale_id)
        .join(LoadFile, LoadFile.id == r.load_file_id).join(LoadRun, LoadRun.id == LoadFile.load_run_id)
        .where(and_(r.soc_code.in_(socs), r.category.is_(None)))
        .order_by(r.domain, r.element_id, r.scale_id, r.soc_code)
    ).all()
    grouped: dict[tuple, list] = defaultdict(list)
    for row in rows:
        grouped[(row.domain, row.element_id, row.name, row.scale_id, row[4], row.minimum, row.maximum,
                 row.release)].append(row)
    values = []
    for (domain, element, name, scale_id, scale_name, low, high, release), members in grouped.items():
        ratings = [m.data_value for m in members]
        spread = statistics.pstdev(ratings) if len(ratings) > 1 else 0.0
        agreement = 1 - min(1.0, 2 * spread / (high - low)) if high > low else 1.0
        covered = len(members) / len(socs)
        mean_confidence = sum(m.confidence for m in members) / len(members)
        values.append(ProfileValue(
            source_kind=SourceKind.ONET.value, source=f"O*NET {release}, aggregated over the crosswalk",
            category=domain, element_id=element, name=name, scale_id=scale_id, scale=f"O*NET {scale_name} ({low}–{high})",
            value=round(sum(ratings) / len(ratings), 3), confidence=round(mean_confidence * covered * agreement, 3),
            coverage=round(covered, 3), agreement=round(agreement, 3),
            contributions=[Contribution(soc_code=m.soc_code, title=titles[m.soc_code], value=m.data_value,
                                        confidence=m.confidence) for m in members],
        ))
    return values
