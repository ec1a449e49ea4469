"""The kinds of source a value can come from, and their fixed precedence."""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    """Source kinds, highest precedence first.

    The order is a policy, not a preference: an official Canadian source (OaSIS, TBS) describes
    Canadian jobs with authority; O*NET is measured but American; imputed values (hierarchy
    roll-ups, LLM answers) are estimates. A value of a higher kind replaces a lower one.

    `custom` is a company role's own value (an override) and exists only on a role's entity,
    where it outranks anything else written there: a person's decision for that role. It does
    not compete with the other kinds on an occupation; the scope rule (a role's own values before
    what it inherits) is what makes an override beat the inherited value.
    """

    CUSTOM = "custom"
    AUTHORITATIVE = "authoritative"
    ONET = "onet"
    IMPUTED = "imputed"

    @property
    def precedence(self) -> int:
        """Larger wins."""
        return {SourceKind.CUSTOM: 4, SourceKind.AUTHORITATIVE: 3, SourceKind.ONET: 2, SourceKind.IMPUTED: 1}[self]
