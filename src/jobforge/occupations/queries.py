"""Reading occupations: the full profile with provenance, and O*NET's related occupations (search.py: search)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine, and_, select

from jobforge.entities import ONET, onet_soc
from jobforge.errors import NotFoundError
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.precedence import onet_statistics_apply
from jobforge.provenance.read import StoredValue, ValueFilter, served_values
from jobforge.sources.onet import tables as t

RATING_DOMAINS = (
    "skills",
    "knowledge",
    "abilities",
    "work_activities",
    "work_context",
    "work_styles",
    "work_values",
    "interests",
    "education_training_experience",
)


class Rating(BaseModel):
    element_id: str
    element_name: str
    scale_id: str
    category: int | None
    data_value: float
    sample_size: int | None
    standard_error: float | None
    lower_ci_bound: float | None
    upper_ci_bound: float | None
    recommend_suppress: bool | None
    not_relevant: bool | None
    updated_on: date | None
    domain_source: str | None
    source_kind: str
    confidence: float
    citation: str


class DomainProvenance(BaseModel):
    """Where a domain's ratings came from, at a glance (`documents`: release files, URLs,
    models or editors; `release`: the O*NET release of its O*NET values, if any)."""

    source_kinds: list[str]
    documents: list[str]
    release: str | None
    rows: int
    min_confidence: float
    mean_confidence: float


class DomainRatings(BaseModel):
    provenance: DomainProvenance
    ratings: list[Rating]


class JobZone(BaseModel):
    job_zone: int
    name: str


class EducationLevel(BaseModel):
    category: int
    description: str
    percent: float


class Task(BaseModel):
    task_id: int
    task: str
    task_type: str | None


class Technology(BaseModel):
    example: str
    commodity_title: str
    hot_technology: bool
    in_demand: bool


class Tool(BaseModel):
    example: str
    commodity_title: str


class OccupationProfile(BaseModel):
    code: str
    title: str
    description: str
    job_zone: JobZone | None
    education: list[EducationLevel]
    tasks: list[Task]
    technology_skills: list[Technology]
    tools: list[Tool]
    alternate_titles: list[str]
    ratings: dict[str, DomainRatings]


class RelatedOccupation(BaseModel):
    code: str
    title: str
    relatedness_tier: str
    rank: int


def occupation_title(engine: Engine, code: str) -> str:
    """The title of an occupation; InvalidCodeError or NotFoundError otherwise."""
    soc = onet_soc(code)
    with engine.connect() as connection:
        title = connection.scalar(select(t.Occupation.title).where(t.Occupation.soc_code == soc))
    if title is None:
        raise NotFoundError(f"no occupation {soc} in the loaded O*NET data")
    return title


def occupation_profile(engine: Engine, code: str, value_filter: ValueFilter | None = None) -> OccupationProfile:
    """Everything known about one occupation: the served value of each rating and of the job
    zone under `value_filter` (source kinds, minimum confidence, as of a moment), each with its
    provenance; the O*NET statistics of a rating are shown while O*NET's value is the one served.
    Title and description are the served ones as of `value_filter.as_of` (they identify the
    occupation, so source and confidence filters do not hide them)."""
    soc = onet_soc(code)
    value_filter = value_filter or ValueFilter()
    with engine.connect() as connection:
        occupation = connection.execute(
            select(t.Occupation.title, t.Occupation.description).where(t.Occupation.soc_code == soc)
        ).first()
        if occupation is None:
            raise NotFoundError(f"no occupation {soc} in the loaded O*NET data")
        education = connection.execute(
            select(t.OccupationRating.category, t.RatingCategory.description, t.OccupationRating.data_value)
            .join(
                t.RatingCategory,
                and_(
                    t.RatingCategory.element_id == t.OccupationRating.element_id,
                    t.RatingCategory.scale_id == t.OccupationRating.scale_id,
                    t.RatingCategory.category == t.OccupationRating.category,
                ),
            )
            .where(t.OccupationRating.soc_code == soc, t.OccupationRating.scale_id == "RL")
            .order_by(t.OccupationRating.category)
        ).all()
        tasks = connection.execute(
            select(t.TaskStatement.task_id, t.TaskStatement.task, t.TaskStatement.task_type)
            .where(t.TaskStatement.soc_code == soc)
            .order_by(t.TaskStatement.task_id)
        ).all()
        technology = connection.execute(
            select(
                t.TechnologySkill.example,
                t.UnspscCommodity.commodity_title,
                t.TechnologySkill.hot_technology,
                t.TechnologySkill.in_demand,
            )
            .join(t.UnspscCommodity, t.UnspscCommodity.commodity_code == t.TechnologySkill.commodity_code)
            .where(t.TechnologySkill.soc_code == soc)
            .order_by(t.TechnologySkill.example)
        ).all()
        tools = connection.execute(
            select(t.ToolUsed.example, t.UnspscCommodity.commodity_title)
            .join(t.UnspscCommodity, t.UnspscCommodity.commodity_code == t.ToolUsed.commodity_code)
            .where(t.ToolUsed.soc_code == soc)
            .order_by(t.ToolUsed.example)
        ).all()
        alternate_titles = (
            connection.execute(
                select(t.AlternateTitle.title).where(t.AlternateTitle.soc_code == soc).order_by(t.AlternateTitle.title)
            )
            .scalars()
            .all()
        )
        served = served_values(connection, [ONET.entity(soc)], value_filter)
        unfiltered = value_filter.sources is None and value_filter.min_confidence is None
        identity = (
            served
            if unfiltered
            else served_values(
                connection,
                [ONET.entity(soc)],
                ValueFilter(as_of=value_filter.as_of),
                attributes=("title", "description"),
            )
        )
        ratings = _ratings_by_domain(connection, soc, served)
        zone_value = served.get((ONET.entity(soc), "job_zone"))
        zone_names = dict(connection.execute(select(t.JobZoneReference.job_zone, t.JobZoneReference.name)).all())
    title = identity.get((ONET.entity(soc), "title"))
    description = identity.get((ONET.entity(soc), "description"))
    zone_number = int(zone_value.value) if zone_value is not None else None
    return OccupationProfile(
        code=soc,
        title=title.value if title else occupation.title,
        description=description.value if description else occupation.description,
        job_zone=JobZone(job_zone=zone_number, name=zone_names.get(zone_number, "")) if zone_number else None,
        education=[EducationLevel(category=c, description=d, percent=p) for c, d, p in education],
        tasks=[Task(task_id=i, task=text, task_type=kind) for i, text, kind in tasks],
        technology_skills=[
            Technology(example=e, commodity_title=c, hot_technology=h, in_demand=d) for e, c, h, d in technology
        ],
        tools=[Tool(example=e, commodity_title=c) for e, c in tools],
        alternate_titles=list(alternate_titles),
        ratings=ratings,
    )


def _ratings_by_domain(connection, soc: str, served: dict[tuple[str, str], StoredValue]) -> dict[str, DomainRatings]:
    r = t.OccupationRating
    published = {
        AttributeKey.rating(row.domain, row.element_id, row.scale_id, row.category): row
        for row in connection.execute(
            select(
                r.domain,
                r.element_id,
                r.scale_id,
                r.category,
                r.data_value,
                r.sample_size,
                r.standard_error,
                r.lower_ci_bound,
                r.upper_ci_bound,
                r.recommend_suppress,
                r.not_relevant,
                r.updated_on,
                r.domain_source,
            ).where(r.soc_code == soc, r.domain.in_(RATING_DOMAINS))
        )
    }
    grouped: dict[str, list] = defaultdict(list)
    for (_, attribute), value in served.items():
        key = AttributeKey.parse(attribute)
        if key.scale is not None and key.domain in RATING_DOMAINS:
            grouped[key.domain].append((key.element, key.scale, key.category, attribute, value))
    elements = {element for rows in grouped.values() for element, *_ in rows}
    names = (
        dict(
            connection.execute(
                select(t.ContentElement.element_id, t.ContentElement.name).where(
                    t.ContentElement.element_id.in_(elements)
                )
            ).all()
        )
        if elements
        else {}
    )
    result = {}
    for domain in sorted(grouped):
        ratings = []
        for element, scale, category, attribute, value in sorted(grouped[domain], key=lambda item: item[:3]):
            row = published.get(attribute)
            stats = (
                row
                if row is not None and onet_statistics_apply(value.source_kind, value.value, row.data_value)
                else None
            )
            ratings.append(
                Rating(
                    element_id=element,
                    element_name=names.get(element, element),
                    scale_id=scale,
                    category=category,
                    data_value=value.value,
                    sample_size=stats.sample_size if stats else None,
                    standard_error=stats.standard_error if stats else None,
                    lower_ci_bound=stats.lower_ci_bound if stats else None,
                    upper_ci_bound=stats.upper_ci_bound if stats else None,
                    recommend_suppress=stats.recommend_suppress if stats else None,
                    not_relevant=stats.not_relevant if stats else None,
                    updated_on=stats.updated_on if stats else None,
                    domain_source=stats.domain_source if stats else None,
                    source_kind=value.source_kind.value,
                    confidence=value.confidence,
                    citation=value.reference.cite(),
                )
            )
        values = [item[4] for item in grouped[domain]]
        confidences = [rating.confidence for rating in ratings]
        releases = sorted({v.reference.release for v in values if v.reference.release})
        result[domain] = DomainRatings(
            provenance=DomainProvenance(
                source_kinds=sorted({rating.source_kind for rating in ratings}),
                documents=sorted({v.reference.document() for v in values}),
                release=releases[-1] if releases else None,
                rows=len(ratings),
                min_confidence=min(confidences),
                mean_confidence=round(sum(confidences) / len(confidences), 3),
            ),
            ratings=ratings,
        )
    return result


def related_occupations(engine: Engine, code: str) -> list[RelatedOccupation]:
    """O*NET's related occupations of `code`, best first, with their relatedness tier."""
    occupation_title(engine, code)
    soc = onet_soc(code)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                t.RelatedOccupation.related_soc_code,
                t.Occupation.title,
                t.RelatedOccupation.relatedness_tier,
                t.RelatedOccupation.rank,
            )
            .join(t.Occupation, t.Occupation.soc_code == t.RelatedOccupation.related_soc_code)
            .where(t.RelatedOccupation.soc_code == soc)
            .order_by(t.RelatedOccupation.rank)
        ).all()
    return [RelatedOccupation(code=c, title=title, relatedness_tier=tier, rank=rank) for c, title, tier, rank in rows]
