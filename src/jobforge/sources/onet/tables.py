"""The O*NET release as normalized tables.

Names repeated in the release files (element, scale, commodity and related-occupation titles)
are stored once, in their reference table; everything else in the release is kept. All ratings
(skills, knowledge, abilities, work activities, work context, work styles, work values,
interests, education/training/experience) share `occupation_rating`, told apart by `domain`,
because they have one shape and are queried the same way (by occupation, element and scale).

Every data row carries its summary provenance inline (`source_kind`, `confidence`) and the
`load_file_id` of the file load that produced it, which names release, file and checksum.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Double, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.provenance.tables import RowProvenance
from jobforge.store.base import Base

SOC = String(10)
ELEMENT = String(20)
SCALE = String(3)


def soc_fk(**kwargs) -> Mapped[str]:
    return mapped_column(SOC, ForeignKey("occupation.soc_code"), **kwargs)


def element_fk(**kwargs) -> Mapped[str]:
    return mapped_column(ELEMENT, ForeignKey("content_element.element_id"), **kwargs)


def scale_fk(**kwargs) -> Mapped[str]:
    return mapped_column(SCALE, ForeignKey("scale.scale_id"), **kwargs)


# --- taxonomy and reference -------------------------------------------------------------------


class Occupation(RowProvenance, Base):
    __tablename__ = "occupation"
    soc_code: Mapped[str] = mapped_column(SOC, primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text)


class ContentElement(RowProvenance, Base):
    __tablename__ = "content_element"
    element_id: Mapped[str] = mapped_column(ELEMENT, primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text)


class Scale(RowProvenance, Base):
    __tablename__ = "scale"
    scale_id: Mapped[str] = mapped_column(SCALE, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    minimum: Mapped[int] = mapped_column(Integer)
    maximum: Mapped[int] = mapped_column(Integer)


class ScaleAnchor(RowProvenance, Base):
    __tablename__ = "scale_anchor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    scale_id: Mapped[str] = scale_fk()
    anchor_value: Mapped[int] = mapped_column(Integer)
    anchor_description: Mapped[str] = mapped_column(Text)


class RatingCategory(RowProvenance, Base):
    """Category labels of categorical scales (work context, education/training/experience)."""

    __tablename__ = "rating_category"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    scale_id: Mapped[str] = scale_fk()
    category: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)


class TaskCategory(RowProvenance, Base):
    __tablename__ = "task_category"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scale_id: Mapped[str] = scale_fk()
    category: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)


class ElementLink(RowProvenance, Base):
    """Linkages between content-model elements (abilities/skills to work activities or context,
    basic interests to RIASEC); `link_kind` names the release file it came from."""

    __tablename__ = "element_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    link_kind: Mapped[str] = mapped_column(String(40))
    from_element_id: Mapped[str] = element_fk(index=True)
    to_element_id: Mapped[str] = element_fk(index=True)


class SurveyBookletLocation(RowProvenance, Base):
    __tablename__ = "survey_booklet_location"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    survey_item_number: Mapped[str] = mapped_column(String(20))
    scale_id: Mapped[str] = scale_fk()


class JobZoneReference(RowProvenance, Base):
    __tablename__ = "job_zone_reference"
    job_zone: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    experience: Mapped[str] = mapped_column(Text)
    education: Mapped[str] = mapped_column(Text)
    job_training: Mapped[str] = mapped_column(Text)
    examples: Mapped[str] = mapped_column(Text)
    svp_range: Mapped[str] = mapped_column(String(50))


class UnspscCommodity(RowProvenance, Base):
    __tablename__ = "unspsc_commodity"
    commodity_code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    commodity_title: Mapped[str] = mapped_column(Text)
    class_code: Mapped[int] = mapped_column(Integer)
    class_title: Mapped[str] = mapped_column(Text)
    family_code: Mapped[int] = mapped_column(Integer)
    family_title: Mapped[str] = mapped_column(Text)
    segment_code: Mapped[int] = mapped_column(Integer)
    segment_title: Mapped[str] = mapped_column(Text)


class Iwa(RowProvenance, Base):
    """Intermediate work activities, grouped under a generalized work activity (element)."""

    __tablename__ = "iwa"
    iwa_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    element_id: Mapped[str] = element_fk(index=True)
    title: Mapped[str] = mapped_column(Text)


class Dwa(RowProvenance, Base):
    """Detailed work activities, grouped under an intermediate one."""

    __tablename__ = "dwa"
    dwa_id: Mapped[str] = mapped_column(String(25), primary_key=True)
    iwa_id: Mapped[str] = mapped_column(ForeignKey("iwa.iwa_id"), index=True)
    element_id: Mapped[str] = element_fk()
    title: Mapped[str] = mapped_column(Text)


class InterestActivity(RowProvenance, Base):
    __tablename__ = "interest_activity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    interest_type: Mapped[str] = mapped_column(String(20))
    activity: Mapped[str] = mapped_column(Text)


class RiasecKeyword(RowProvenance, Base):
    __tablename__ = "riasec_keyword"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    keyword: Mapped[str] = mapped_column(String(150))
    keyword_type: Mapped[str] = mapped_column(String(20))


# --- occupation-level data ---------------------------------------------------------------------


class RatingStatistics:
    """The sampling statistics O*NET publishes with a rating; absent ones are NULL."""

    sample_size: Mapped[int | None] = mapped_column(Integer)
    standard_error: Mapped[float | None] = mapped_column(Double)
    lower_ci_bound: Mapped[float | None] = mapped_column(Double)
    upper_ci_bound: Mapped[float | None] = mapped_column(Double)
    recommend_suppress: Mapped[bool | None] = mapped_column(Boolean)


class OccupationRating(RatingStatistics, RowProvenance, Base):
    """One rating of one element for one occupation on one scale (and category, where the scale
    is categorical). Statistics are those O*NET publishes; absent ones are NULL."""

    __tablename__ = "occupation_rating"
    __table_args__ = (Index(None, "soc_code", "domain", "scale_id"), Index(None, "element_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk()
    domain: Mapped[str] = mapped_column(String(40))
    element_id: Mapped[str] = element_fk()
    scale_id: Mapped[str] = scale_fk()
    category: Mapped[int | None] = mapped_column(Integer)
    data_value: Mapped[float] = mapped_column(Double)
    not_relevant: Mapped[bool | None] = mapped_column(Boolean)
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class TaskStatement(RowProvenance, Base):
    __tablename__ = "task_statement"
    task_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    soc_code: Mapped[str] = soc_fk(index=True)
    task: Mapped[str] = mapped_column(Text)
    task_type: Mapped[str | None] = mapped_column(String(12))
    incumbents_responding: Mapped[int | None] = mapped_column(Integer)
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class TaskRating(RatingStatistics, RowProvenance, Base):
    __tablename__ = "task_rating"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task_statement.task_id"), index=True)
    scale_id: Mapped[str] = scale_fk()
    category: Mapped[int | None] = mapped_column(Integer)
    data_value: Mapped[float] = mapped_column(Double)
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class EmergingTask(RowProvenance, Base):
    __tablename__ = "emerging_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    task: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    original_task_id: Mapped[int | None] = mapped_column(ForeignKey("task_statement.task_id"), index=True)
    original_task: Mapped[str | None] = mapped_column(Text)
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class TaskDwa(RowProvenance, Base):
    __tablename__ = "task_dwa"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task_statement.task_id"), index=True)
    dwa_id: Mapped[str] = mapped_column(ForeignKey("dwa.dwa_id"), index=True)
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class TechnologySkill(RowProvenance, Base):
    __tablename__ = "technology_skill"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    example: Mapped[str] = mapped_column(String(255))
    commodity_code: Mapped[int] = mapped_column(ForeignKey("unspsc_commodity.commodity_code"), index=True)
    hot_technology: Mapped[bool] = mapped_column(Boolean)
    in_demand: Mapped[bool] = mapped_column(Boolean)


class ToolUsed(RowProvenance, Base):
    __tablename__ = "tool_used"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    example: Mapped[str] = mapped_column(String(255))
    commodity_code: Mapped[int] = mapped_column(ForeignKey("unspsc_commodity.commodity_code"), index=True)


class AlternateTitle(RowProvenance, Base):
    __tablename__ = "alternate_title"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    title: Mapped[str] = mapped_column(String(255))
    short_title: Mapped[str | None] = mapped_column(String(150))
    sources: Mapped[str] = mapped_column(String(50))


class ReportedTitle(RowProvenance, Base):
    __tablename__ = "reported_title"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    title: Mapped[str] = mapped_column(String(255))
    shown_in_my_next_move: Mapped[bool] = mapped_column(Boolean)


class JobZone(RowProvenance, Base):
    __tablename__ = "job_zone"
    soc_code: Mapped[str] = soc_fk(primary_key=True)
    job_zone: Mapped[int] = mapped_column(ForeignKey("job_zone_reference.job_zone"))
    updated_on: Mapped[date] = mapped_column(Date)
    domain_source: Mapped[str] = mapped_column(String(30))


class RelatedOccupation(RowProvenance, Base):
    __tablename__ = "related_occupation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    related_soc_code: Mapped[str] = soc_fk(index=True)
    relatedness_tier: Mapped[str] = mapped_column(String(30))
    rank: Mapped[int] = mapped_column(Integer)


class OccupationMetadata(RowProvenance, Base):
    """How the occupation's data were collected (mode, response rates, sample sizes)."""

    __tablename__ = "occupation_metadata"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    soc_code: Mapped[str] = soc_fk(index=True)
    item: Mapped[str] = mapped_column(String(150))
    response: Mapped[str | None] = mapped_column(String(150))
    sample_size: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[float | None] = mapped_column(Double)
    updated_on: Mapped[date] = mapped_column(Date)


class InterestOccupation(RowProvenance, Base):
    __tablename__ = "interest_occupation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    element_id: Mapped[str] = element_fk(index=True)
    interest_type: Mapped[str] = mapped_column(String(20))
    soc_code: Mapped[str] = soc_fk()
