"""`kb.careers`: the skill gap and career transitions, over one shared rating snapshot."""

from __future__ import annotations

from sqlalchemy import Engine

from jobforge.careers.domains import GapDomain
from jobforge.careers.profiles import RatingProfiles, RoleProfile
from jobforge.careers.skill_gap import SkillGap, skill_gap
from jobforge.careers.transitions import Transitions, transitions


class Careers:
    def __init__(self, engine: Engine) -> None:
        self.profiles = RatingProfiles(engine)

    def skill_gap(
        self, from_code: str, to_code: str, domain: str = "skills", roles: dict[str, RoleProfile] | None = None
    ) -> SkillGap:
        """See jobforge.careers.skill_gap; `roles`: company roles either side may name
        (`kb.roles.rating_profiles`)."""
        return skill_gap(self.profiles, from_code, to_code, GapDomain(domain), roles)

    def transitions(self, from_code: str, k: int = 10, roles: dict[str, RoleProfile] | None = None) -> Transitions:
        """See jobforge.careers.transitions."""
        return transitions(self.profiles, from_code, k, roles)

    def lacks(self, code: str) -> bool:
        """Whether the loaded data lacks the occupation or its LV ratings (what a fetch may supply)."""
        code = code.strip()
        snapshot = self.profiles.of([code])
        return code not in snapshot.titles or code not in snapshot.levels
