"""The skill gap between two occupations on O*NET's level (LV) scale.

Rule: for every element of the domain that the target occupation rates on LV and does not flag
not relevant, the source's value is its own LV rating (0 when it has none or flags the element
not relevant); the element is a gap when the target's value is higher. Gaps are ordered by size
(target − source, to the hundredth O*NET publishes), largest first, then by element ID.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from jobforge.careers.domains import GapDomain
from jobforge.careers.profiles import RatingProfiles, RoleProfile
from jobforge.entities import onet_soc
from jobforge.errors import NotFoundError

LEVEL_SCALE = "LV"
IMPORTANCE_SCALE = "IM"


class SkillGapItem(BaseModel):
    element_id: str = Field(examples=["2.A.1.a"])
    element_name: str = Field(examples=["Reading Comprehension"])
    scale_id: str = Field(examples=["LV"])
    from_data_value: float = Field(examples=[3.12])
    to_data_value: float = Field(examples=[4.5])
    gap: float = Field(description="to_data_value − from_data_value, rounded to 0.01")
    to_importance: float | None = Field(description="The target occupation's IM rating of the element (1–5)")
    to_recommend_suppress: bool | None = Field(description="O*NET's low-precision flag on the target's LV value")
    from_confidence: float | None = Field(description="Confidence of the source's LV value; null when it has none")
    to_confidence: float
    to_source_kind: str = Field(description="Source kind of the target's LV value (onet, authoritative, imputed)")
    from_source_kind: str | None = Field(
        None, description="Source kind of the source's LV value; null when it has none"
    )
    source_kind: str = Field(description="The same as to_source_kind, kept for clients written before it")


class SkillGap(BaseModel):
    from_occupation_title: str
    to_occupation_title: str
    skill_gaps: list[SkillGapItem]
    from_occupation_code: str
    to_occupation_code: str
    domain: GapDomain
    scale_id: str = LEVEL_SCALE


def how_to_impute(code: str) -> str:
    """The way out of a gap O*NET leaves: 137 of 29.3's occupations are unrated, and its Web
    Services may have nothing more for them."""
    return f", nor estimates of them: `jobforge impute {code}` makes them, each labelled imputed with its confidence"


def skill_gap(
    profiles: RatingProfiles, from_code: str, to_code: str, domain: GapDomain = GapDomain.skills,
    roles: dict[str, RoleProfile] | None = None,
) -> SkillGap:  # fmt: skip
    """The gaps from one occupation (or company role, given in `roles`) to another;
    InvalidCodeError, or NotFoundError when a code is unknown or has no LV ratings in the domain."""
    source, target = profile_code(from_code, "'from' code", roles), profile_code(to_code, "'to' code", roles)
    domain = GapDomain(domain)
    snapshot = profiles.of([code for code in (source, target) if code not in (roles or {})])
    if roles:
        snapshot = snapshot.with_roles(roles)
    titles = snapshot.titles
    for code, role in ((source, "from"), (target, "to")):
        if code not in titles:
            raise NotFoundError(f"'{role}' occupation {code} is not in the loaded O*NET data")
    have_levels = snapshot.scale(source, domain.value, LEVEL_SCALE)
    wanted_levels = snapshot.scale(target, domain.value, LEVEL_SCALE)
    importance = snapshot.scale(target, domain.value, IMPORTANCE_SCALE)
    for code, role, levels in ((source, "from", have_levels), (target, "to", wanted_levels)):
        if not levels:
            raise NotFoundError(
                f"'{role}' occupation {code} ({titles[code]}) has no {domain.value} ratings on the "
                f"{LEVEL_SCALE} scale in the loaded O*NET data{'' if code in (roles or {}) else how_to_impute(code)}"
            )
    gaps = []
    for element_id, wanted in wanted_levels.items():
        if wanted.not_relevant:
            continue
        have = have_levels.get(element_id)
        have_value = 0.0 if have is None or have.not_relevant else have.data_value
        size = round(wanted.data_value - have_value, 2)
        if size > 0:
            gaps.append(
                SkillGapItem(
                    element_id=element_id,
                    element_name=snapshot.element_names[element_id],
                    scale_id=LEVEL_SCALE,
                    from_data_value=have_value,
                    to_data_value=wanted.data_value,
                    gap=size,
                    to_importance=importance[element_id].data_value if element_id in importance else None,
                    to_recommend_suppress=wanted.recommend_suppress,
                    from_confidence=have.confidence if have is not None else None,
                    to_confidence=wanted.confidence,
                    to_source_kind=wanted.source_kind,
                    from_source_kind=have.source_kind if have is not None else None,
                    source_kind=wanted.source_kind,
                )
            )
    gaps.sort(key=lambda gap: (-gap.gap, gap.element_id))
    return SkillGap(
        from_occupation_code=source,
        from_occupation_title=titles[source],
        to_occupation_code=target,
        to_occupation_title=titles[target],
        domain=domain,
        skill_gaps=gaps,
    )


def profile_code(code: str, what: str, roles: dict[str, RoleProfile] | None) -> str:
    """An O*NET-SOC code, or a role entity that `roles` resolves."""
    cleaned = code.strip()
    return cleaned if roles and cleaned in roles else onet_soc(cleaned, what)
