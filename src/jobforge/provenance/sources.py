"""The kinds of source a value can come from, and their fixed precedence."""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    """Source kinds, highest precedence first.

    The order is a policy, not a preference: an official Canadian source (OaSIS, TBS) describes
    Canadian jobs with authority; O*NET is measured but American; imputed values (hierarchy
    roll-ups, LLM answers) are estimates. A value of a higher kind replaces a lower one.
    """

    AUTHORITATIVE = "authoritative"
    ONET = "onet"
    IMPUTED = "imputed"

    @property
    def precedence(self) -> int:
        """Larger wins."""
        return {SourceKind.AUTHORITATIVE: 3, SourceKind.ONET: 2, SourceKind.IMPUTED: 1}[self]
