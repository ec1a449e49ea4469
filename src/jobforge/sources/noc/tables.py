"""NOC 2021, OaSIS, COPS and the NOC→O*NET-SOC crosswalk as tables.

NOC codes are text with their leading zeros (`00010`); a group's parent is its code less the
last digit (unit group 00010 → minor group 0001 → sub-major 000 → major 00 → broad category 0).
OaSIS profiles (`00010.00`) belong to a unit group. OaSIS rating files are published wide (one
column per descriptor); they are stored long, one row per profile and descriptor, each source
keeping its own scale (OaSIS levels are not O*NET's and are never rescaled).
"""

from __future__ import annotations

from sqlalchemy import Double, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.provenance.tables import RowProvenance
from jobforge.store.base import Base

NOC = String(5)
PROFILE = String(8)


class NocGroup(RowProvenance, Base):
    __tablename__ = "noc_group"
    code: Mapped[str] = mapped_column(NOC, primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    level_name: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(255))
    definition: Mapped[str | None] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("noc_group.code"), index=True)


class OasisProfile(RowProvenance, Base):
    __tablename__ = "oasis_profile"
    profile_code: Mapped[str] = mapped_column(PROFILE, primary_key=True)
    unit_group: Mapped[str] = mapped_column(ForeignKey("noc_group.code"), index=True)
    label: Mapped[str] = mapped_column(String(255))


class OasisRating(RowProvenance, Base):
    """One OaSIS descriptor level for one profile (abilities, skills, knowledges, work
    activities, work context, personal attributes), on OaSIS's own scale."""

    __tablename__ = "oasis_rating"
    __table_args__ = (Index(None, "profile_code", "category"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_code: Mapped[str] = mapped_column(ForeignKey("oasis_profile.profile_code"))
    category: Mapped[str] = mapped_column(String(30))
    descriptor: Mapped[str] = mapped_column(String(150))
    value: Mapped[float] = mapped_column(Double)


class OasisInterest(RowProvenance, Base):
    __tablename__ = "oasis_interest"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_code: Mapped[str] = mapped_column(ForeignKey("oasis_profile.profile_code"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    holland_code: Mapped[str] = mapped_column(String(1))


class OasisStatement(RowProvenance, Base):
    """Text attached to a profile: lead statement, main duties, employment requirements,
    additional information, workplaces/employers, exclusions and example titles (`kind`)."""

    __tablename__ = "oasis_statement"
    __table_args__ = (Index(None, "profile_code", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_code: Mapped[str] = mapped_column(ForeignKey("oasis_profile.profile_code"))
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    related_code: Mapped[str | None] = mapped_column(String(8))
    title_type: Mapped[str | None] = mapped_column(String(40))


class OasisGuideEntry(RowProvenance, Base):
    """The OaSIS guide: categories, sub-categories, similarity groups and descriptors."""

    __tablename__ = "oasis_guide_entry"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    structure_type: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)


class CopsProjection(RowProvenance, Base):
    """One figure of the COPS 2024–2033 projections; `code` is a NOC code or an aggregate
    (00000 all occupations, TEER_n). A cell published as N/A or N/D has no value and its marker."""

    __tablename__ = "cops_projection"
    __table_args__ = (Index(None, "code", "measure"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Double)
    text_value: Mapped[str | None] = mapped_column(String(255))
    marker: Mapped[str | None] = mapped_column(String(10))


class NocSocMapping(RowProvenance, Base):
    """One row of the Dais/Brookfield NOC 2021 → O*NET-SOC crosswalk, keyed on codes; the
    titles the file gives are kept as published (they vary for one code)."""

    __tablename__ = "noc_soc_mapping"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    noc_code: Mapped[str] = mapped_column(ForeignKey("noc_group.code"), index=True)
    soc_code: Mapped[str] = mapped_column(String(10), index=True)
    source_line: Mapped[int] = mapped_column(Integer)
    noc_title_in_source: Mapped[str] = mapped_column(String(255))
    soc_title_in_source: Mapped[str] = mapped_column(String(255))
