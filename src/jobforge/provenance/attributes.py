"""Attribute keys of the value store, formatted and parsed here only.

A rating is `domain/element/scale`, with `/category` for categorical scales
(`skills/2.A.1.a/LV`, `education_training_experience/2.D.1/RL/3`); an OaSIS level is
`category/descriptor` (the descriptor is a published name and may itself hold a slash); an
identity attribute is one word (`title`, `description`, `job_zone`).
"""

from __future__ import annotations

from typing import NamedTuple

TEXT_ATTRIBUTES = ("title", "description")  # the identity attributes that hold text; the rest hold numbers


class AttributeKey(NamedTuple):
    domain: str
    element: str | None = None
    scale: str | None = None
    category: int | None = None
    tail: str | None = None  # everything after the domain, as written

    @classmethod
    def rating(cls, domain: str, element: str, scale: str, category: int | None = None) -> str:
        base = f"{domain}/{element}/{scale}"
        return base if category is None else f"{base}/{category}"

    @classmethod
    def descriptor(cls, category: str, name: str) -> str:
        return f"{category}/{name}"

    @classmethod
    def parse(cls, text: str) -> AttributeKey:
        domain, _, tail = text.partition("/")
        if not tail:
            return cls(domain)
        parts = tail.split("/", 2)
        category = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
        return cls(domain, parts[0], parts[1] if len(parts) > 1 else None, category, tail)

    @property
    def is_uncategorised_rating(self) -> bool:
        """A rating on a scale with no category (LV, IM, …): what profiles compare."""
        return self.scale is not None and self.category is None and self.tail is not None and self.tail.count("/") == 1
