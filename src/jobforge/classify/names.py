"""The names an index is built from: plain data, readable without the database layer (a kept index
refers to these classes, so loading one must not import the tables that built it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from jobforge.classify.rules import System


class Origin(StrEnum):
    """Where a name comes from; each origin has its own weight in the model."""

    title = "title"  # type: ignore[assignment]  # (shadows str.title) the O*NET or NOC unit-group title
    alternate = "alternate"  # O*NET Alternate Titles
    short = "short"  # their short forms ("Elevator Service Tech")
    reported = "reported"  # O*NET Sample of Reported Titles
    label = "label"  # OaSIS profile label
    example = "example"  # OaSIS example titles
    french = "french"  # the French NOC unit-group title (COPS)
    borrowed = "borrowed"  # a name of the other system, through the crosswalk


@dataclass(frozen=True, slots=True)  # an index keeps ~100,000 of them
class Name:
    text: str
    code: str
    origin: Origin


@dataclass
class Corpus:
    system: System
    titles: dict[str, str]  # code → the occupation's title, every code
    names: list[Name]
    context: dict[str, list[str]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return sorted(self.titles)

    def without(self, held_out: set[str]) -> Corpus:
        """The corpus less every name whose text (case and spacing aside) is held out: what an
        evaluation needs so that no held-out title is found by simply looking it up."""
        keys = {_key(text) for text in held_out}
        return replace(self, names=[name for name in self.names if _key(name.text) not in keys])


def _key(text: str) -> str:
    return " ".join(text.lower().split())
