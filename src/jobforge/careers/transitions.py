"""Career transitions: occupations whose skill, knowledge and ability profile is close to one's own.

In the spirit of mySkills myFuture: a good move asks for a similar overall profile and neither a
large step up nor a step down. For a source occupation and every candidate with ratings, over
the LV (level) ratings both have in skills, knowledge and abilities:

    shape      = Pearson correlation of the two profiles (what matters most, in the same order)
    closeness  = 1 − mean |difference| / 7                 (how far the levels are apart)
    score      = shape × closeness

Candidates more than one job zone away (over- or under-qualification) are left out. Each result
carries its gap size: the sum of the candidate's LV levels above the source's (the total of the
skill-gap rule over the three domains) and how many elements that spreads over, and the share of
its profile that is imputed (as the answer gives the source's), so that a move judged on
estimates says so.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from jobforge.careers.profiles import RatingProfiles, RoleProfile
from jobforge.careers.skill_gap import how_to_impute, profile_code
from jobforge.errors import NotFoundError

LEVEL_RANGE = 7.0
MAX_JOB_ZONE_STEP = 1


class Transition(BaseModel):
    code: str
    title: str
    score: float
    shape: float
    closeness: float
    job_zone: int | None
    gap_size: float
    gap_elements: int
    imputed_share: float = Field(description="Share of this occupation's LV ratings that are imputed (0: all measured)")


class Transitions(BaseModel):
    from_occupation_code: str
    from_imputed_share: float = Field(description="Share of the source's LV ratings that are imputed (0: all measured)")
    transitions: list[Transition]


def transitions(
    profiles: RatingProfiles, from_code: str, k: int = 10, roles: dict[str, RoleProfile] | None = None
) -> Transitions:
    """The `k` best moves from `from_code` (an occupation, or a company role given in `roles`), best first."""
    source = profile_code(from_code, "'from' code", roles)
    snapshot = profiles.current()
    if roles:
        snapshot = snapshot.with_roles(roles)
    if source not in snapshot.titles:
        raise NotFoundError(f"'from' occupation {source} is not in the loaded O*NET data")
    mine = snapshot.levels.get(source)
    if not mine:
        raise NotFoundError(
            f"'from' occupation {source} ({snapshot.titles[source]}) has no skill, "
            f"knowledge or ability ratings in the loaded O*NET data{'' if source in (roles or {}) else how_to_impute(source)}"
        )
    zone = snapshot.job_zones.get(source)
    ranked = []
    for code, theirs in snapshot.levels.items():
        other_zone = snapshot.job_zones.get(code)
        if (
            code == source
            or code in (roles or {})
            or (zone and other_zone and abs(zone - other_zone) > MAX_JOB_ZONE_STEP)
        ):
            continue
        match = _compare(mine, theirs)
        if match is not None:
            ranked.append(
                Transition(
                    code=code, title=snapshot.titles[code], job_zone=other_zone,
                    imputed_share=snapshot.imputed_shares.get(code, 0.0), **match,
                )
            )  # fmt: skip
    ranked.sort(key=lambda item: (-item.score, item.code))
    return Transitions(
        from_occupation_code=source, from_imputed_share=snapshot.imputed_shares.get(source, 0.0), transitions=ranked[:k]
    )


def _compare(mine: dict[str, float], theirs: dict[str, float]) -> dict | None:
    common = mine.keys() & theirs.keys()
    if len(common) < 3:
        return None
    a = [mine[e] for e in common]
    b = [theirs[e] for e in common]
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    covariance = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    spread = math.sqrt(sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b))
    shape = covariance / spread if spread else 0.0
    closeness = 1 - sum(abs(x - y) for x, y in zip(a, b)) / len(a) / LEVEL_RANGE
    gaps = [theirs[e] - mine.get(e, 0.0) for e in theirs if theirs[e] > mine.get(e, 0.0)]
    return {
        "score": round(shape * closeness, 4),
        "shape": round(shape, 4),
        "closeness": round(closeness, 4),
        "gap_size": round(sum(gaps), 2),
        "gap_elements": len(gaps),
    }
