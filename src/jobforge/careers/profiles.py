"""Rating profiles of every occupation, held in memory for the live O*NET load.

Skill gaps and transitions read the same few hundred thousand LV/IM ratings again and again;
answering them from memory is what keeps `/skill-gap` about as cheap as `/health`. The ratings
are the values the value store serves (so an authoritative override counts), with O*NET's
not-relevant and suppression flags while O*NET's number is the one served. A snapshot belongs to
the newest live O*NET run and the newest value write (a release load, an on-demand fetch, an
edit) and is rebuilt, on the next request, when either moved on (two indexed lookups tell).

A server does not make its readers wait for that rebuild (seconds on a full release, under a
lock every request queued behind: the one-second stall readers saw when a load committed): it
rebuilds beside, and meanwhile answers a skill gap from a snapshot of just the occupations asked
(fresh, milliseconds) and transitions from the previous whole snapshot.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Engine, or_, select

from jobforge.entities import ONET
from jobforge.long_lived import BuildsBeside, yielding
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.precedence import highest, onet_statistics_apply
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import AttributeValue
from jobforge.provenance.version import data_version
from jobforge.sources.onet import tables as t

PROFILE_DOMAINS = ("skills", "knowledge", "abilities")
PROFILE_SCALES = ("LV", "IM")


class RatingValue(NamedTuple):
    data_value: float
    not_relevant: bool | None
    recommend_suppress: bool | None
    confidence: float
    source_kind: str


@dataclass
class ProfileSnapshot:
    version: tuple  # the data version it was built at (jobforge.provenance.version.data_version)
    titles: dict[str, str] = field(default_factory=dict)
    element_names: dict[str, str] = field(default_factory=dict)
    job_zones: dict[str, int] = field(default_factory=dict)
    # (soc_code, domain, scale_id) -> element_id -> rating
    ratings: dict[tuple[str, str, str], dict[str, RatingValue]] = field(default_factory=dict)

    def scale(self, soc_code: str, domain: str, scale_id: str) -> dict[str, RatingValue]:
        return self.ratings.get((soc_code, domain, scale_id), {})

    @cached_property
    def levels(self) -> dict[str, dict[str, float]]:
        """Every occupation's LV profile over all profile domains (not relevant counts as 0)."""
        return _levels(self.ratings)

    @cached_property
    def imputed_shares(self) -> dict[str, float]:
        """The share of each occupation's LV profile that is imputed, so that a comparison can say
        how much of it rests on estimates rather than on measured ratings."""
        return _imputed_shares(self.ratings)

    def with_roles(self, roles: dict[str, RoleProfile]) -> ProfileSnapshot:
        """This snapshot and company roles beside its occupations, keyed by entity (`role:42`), so
        a skill gap or a transition can start or end at a role (not kept: roles are per caller)."""
        extra = {(entity, domain, scale): elements for entity, role in roles.items()
                 for (domain, scale), elements in role.ratings.items()}  # fmt: skip
        joined = ProfileSnapshot(
            self.version, {**self.titles, **{entity: role.title for entity, role in roles.items()}},
            self.element_names, {**self.job_zones, **{e: r.job_zone for e, r in roles.items() if r.job_zone}},
            {**self.ratings, **extra},
        )  # fmt: skip
        joined.__dict__["levels"] = {**self.levels, **_levels(extra)}  # the cached property, without redoing it all
        joined.__dict__["imputed_shares"] = {**self.imputed_shares, **_imputed_shares(extra)}
        return joined


class RoleProfile(NamedTuple):
    """A company role's resolved ratings: (domain, scale) → element → rating."""

    title: str
    job_zone: int | None
    ratings: dict[tuple[str, str], dict[str, RatingValue]]


def _levels(ratings: dict[tuple[str, str, str], dict[str, RatingValue]]) -> dict[str, dict[str, float]]:
    merged: dict[str, dict[str, float]] = {}
    for (code, _domain, scale), elements in ratings.items():
        if scale == "LV":
            target = merged.setdefault(code, {})
            for element, rating in elements.items():
                target[element] = 0.0 if rating.not_relevant else rating.data_value
    return merged


def _imputed_shares(ratings: dict[tuple[str, str, str], dict[str, RatingValue]]) -> dict[str, float]:
    counts: dict[str, list[int]] = {}
    for (code, _domain, scale), elements in ratings.items():
        if scale == "LV":
            imputed_and_all = counts.setdefault(code, [0, 0])
            imputed_and_all[0] += sum(rating.source_kind == SourceKind.IMPUTED.value for rating in elements.values())
            imputed_and_all[1] += len(elements)
    return {code: round(imputed / total, 4) for code, (imputed, total) in counts.items() if total}


class RatingProfiles:
    """The snapshot for the live load, rebuilt when the live load changes.

    A process that answers many questions (the API) holds the whole snapshot; one that answers a
    single question (a CLI command) reads only the occupations it names, which takes milliseconds
    where the whole snapshot takes seconds on a full release."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._snapshot: ProfileSnapshot | None = None
        self._lock = threading.Lock()
        self._beside = BuildsBeside()
        self.serve_previous_while_building = False  # a long-lived process (the API) sets it

    def current(self) -> ProfileSnapshot:
        version = self._current_version()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        if snapshot is not None and self.serve_previous_while_building:
            self._rebuild_beside(version)
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._build(version)
            return self._snapshot

    def of(self, codes: list[str]) -> ProfileSnapshot:
        """The whole snapshot when one is held and current, else one of just `codes` (not kept)."""
        snapshot = self._snapshot
        if snapshot is None:
            return self._build((), codes)
        if not self.serve_previous_while_building:
            return self.current()
        version = self._current_version()
        if snapshot.version == version:
            return snapshot
        self._rebuild_beside(version)
        return self._build((), codes)

    def _current_version(self) -> tuple:
        with self.engine.connect() as connection:
            return data_version(connection)

    def _rebuild_beside(self, version: tuple) -> None:
        def swap(snapshot: ProfileSnapshot) -> None:
            with self._lock:
                self._snapshot = snapshot

        def failed() -> None:
            with self._lock:
                self._snapshot = None

        self._beside.start(version, "rating-profiles-rebuild", lambda: self._build(version), swap, failed)

    def _build(self, version: tuple, codes: list[str] | None = None) -> ProfileSnapshot:
        r, v, o, z = t.OccupationRating, AttributeValue, t.Occupation, t.JobZone
        snapshot = ProfileSnapshot(version)
        titles, zones = select(o.soc_code, o.title), select(z.soc_code, z.job_zone)
        ratings = select(
            r.soc_code, r.domain, r.element_id, r.scale_id, r.data_value, r.not_relevant, r.recommend_suppress
        ).where(r.domain.in_(PROFILE_DOMAINS), r.scale_id.in_(PROFILE_SCALES))
        values = select(v.entity, v.attribute, v.value_number, v.source_kind, v.precedence, v.confidence).where(
            v.replaced_at.is_(None), or_(*(v.attribute.startswith(f"{domain}/") for domain in PROFILE_DOMAINS))
        )
        if codes is None:
            values = values.where(v.entity.startswith(ONET.entity("")))
        else:
            titles, zones = titles.where(o.soc_code.in_(codes)), zones.where(z.soc_code.in_(codes))
            ratings = ratings.where(r.soc_code.in_(codes))
            values = values.where(v.entity.in_([ONET.entity(code) for code in codes]))
        with self.engine.connect() as connection:
            snapshot.titles = dict(connection.execute(titles).all())
            snapshot.element_names = dict(
                connection.execute(select(t.ContentElement.element_id, t.ContentElement.name)).all()
            )
            snapshot.job_zones = dict(connection.execute(zones).all())
            flags = {
                (soc, domain, element, scale): (value, not_relevant, suppress)
                for soc, domain, element, scale, value, not_relevant, suppress in yielding(connection.execute(ratings))
            }
            served = highest(self._candidates(yielding(connection.execute(values))))
        for (soc, domain, element, scale), (value, kind, confidence) in yielding(served.items()):
            published = flags.get((soc, domain, element, scale))
            same = published is not None and onet_statistics_apply(kind, value, published[0])
            snapshot.ratings.setdefault((soc, domain, scale), {})[element] = RatingValue(
                value, published[1] if same else None, published[2] if same else None, confidence, kind
            )
        return snapshot

    @staticmethod
    def _candidates(rows):
        """(key, precedence, value) of every plain LV/IM rating among the live values read."""
        for entity, attribute, value, kind, precedence, confidence in rows:
            key = AttributeKey.parse(attribute)
            if key.is_uncategorised_rating and key.scale in PROFILE_SCALES and value is not None:
                yield (ONET.code_of(entity), key.domain, key.element, key.scale), precedence, (value, kind, confidence)
