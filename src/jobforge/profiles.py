"""Rating profiles of every occupation, held in memory for the live O*NET load.

Skill gaps and transitions read the same few hundred thousand LV/IM ratings again and again;
answering them from memory is what keeps `/skill-gap` about as cheap as `/health`. A snapshot
belongs to the newest live run that wrote ratings (a release load or an on-demand fetch) and is
rebuilt, on the next request, when a newer one exists (one indexed query per request tells).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Engine, func, select

from jobforge.provenance.tables import LoadRun
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
    run_id: int | None
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
        merged: dict[str, dict[str, float]] = {}
        for (soc, _domain, scale), elements in self.ratings.items():
            if scale == "LV":
                target = merged.setdefault(soc, {})
                for element, rating in elements.items():
                    target[element] = 0.0 if rating.not_relevant else rating.data_value
        return merged


# The newest run that put ratings in place: a new release or an on-demand fetch both change it.
_LIVE_RUN = select(func.max(LoadRun.id)).where(LoadRun.source.in_(("onet", "onet_api")), LoadRun.status == "live")


class RatingProfiles:
    """The snapshot for the live load, rebuilt when the live load changes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._snapshot: ProfileSnapshot | None = None
        self._lock = threading.Lock()

    def current(self) -> ProfileSnapshot:
        with self.engine.connect() as connection:
            run_id = connection.scalar(_LIVE_RUN)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.run_id == run_id:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.run_id != run_id:
                self._snapshot = self._build(run_id)
            return self._snapshot

    def _build(self, run_id: int | None) -> ProfileSnapshot:
        r = t.OccupationRating
        snapshot = ProfileSnapshot(run_id)
        with self.engine.connect() as connection:
            snapshot.titles = dict(connection.execute(select(t.Occupation.soc_code, t.Occupation.title)).all())
            snapshot.element_names = dict(connection.execute(
                select(t.ContentElement.element_id, t.ContentElement.name)).all())
            snapshot.job_zones = dict(connection.execute(select(t.JobZone.soc_code, t.JobZone.job_zone)).all())
            for soc, domain, scale, element, *value in connection.execute(
                select(r.soc_code, r.domain, r.scale_id, r.element_id, r.data_value, r.not_relevant,
                       r.recommend_suppress, r.confidence, r.source_kind)
                .where(r.domain.in_(PROFILE_DOMAINS), r.scale_id.in_(PROFILE_SCALES))
            ):
                snapshot.ratings.setdefault((soc, domain, scale), {})[element] = RatingValue(*value)
        return snapshot
