"""The one precedence rule every reader applies (value reads, history, rating profiles, occupation
and NOC profiles, export).

Among the live values of one attribute of one entity, the highest source kind is served (two live
values of one kind cannot coexist: the write path replaces the older). A *scope* chains entities,
nearest first: a value of a nearer entity beats any value of a farther one, whatever their kinds,
so an entity that inherits from another (a company role from its approved occupation) is answered
from its own values first and from the inherited entity's served values for the rest.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from jobforge.provenance.sources import SourceKind

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def highest(candidates: Iterable[tuple[K, int, V]]) -> dict[K, V]:
    """The served item per key from (key, precedence, item) triples: the highest precedence wins,
    the first seen among equals."""
    best: dict[K, tuple[int, V]] = {}
    for key, precedence, item in candidates:
        held = best.get(key)
        if held is None or precedence > held[0]:
            best[key] = (precedence, item)
    return {key: item for key, (_, item) in best.items()}


def served_of(held: Mapping[int, V]) -> V | None:
    """Of one attribute's live values keyed by precedence (one per kind), the one served."""
    return held[max(held)] if held else None


def displaces(new_precedence: int, served_precedence: int) -> bool:
    """Whether a new value is served in place of the served one: an equal or higher kind replaces
    it (a newer statement of the same kind, or a higher source); a lower one waits as a candidate."""
    return new_precedence >= served_precedence


def in_scope(served: Mapping[tuple[str, str], V], scope: Sequence[str]) -> dict[str, tuple[str, V]]:
    """Per attribute, the served value of the nearest entity of `scope` that has one, with that entity."""
    resolved: dict[str, tuple[str, V]] = {}
    for entity in reversed(scope):  # farthest first, so nearer entities overwrite
        for (owner, attribute), value in served.items():
            if owner == entity:
                resolved[attribute] = (entity, value)
    return resolved


def onet_statistics_apply(served_kind: str, served_value: object, published_value: object) -> bool:
    """O*NET's statistics and flags (sample size, standard error, not relevant, suppress) describe
    O*NET's own number: they go with a served value only while that number is the one served."""
    return served_kind == SourceKind.ONET.value and published_value == served_value
