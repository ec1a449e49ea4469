"""The measured ratings imputation learns from: occupations × elements, per domain and scale.

Read from the value store as served, but only values a source measured or stated (O*NET,
authoritative): an imputed value never teaches the imputer, or estimates would feed on estimates.
A matrix keeps NaN where an occupation has no rating of an element.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, select

from jobforge.entities import ONET
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.precedence import highest
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import AttributeValue
from jobforge.sources.onet import tables as t

# The scales imputed, in every domain that has them: those whose values are amounts, so that a
# mean of similar occupations means something — level and importance (skills, knowledge,
# abilities, work activities, work styles), work context (1–5 and 1–3) and work values' extent.
# Not the category shares (CXP, RL, …) nor the high points (IH, VH: which element comes first,
# not an amount), and not the interests (OI), which the neighbours read to find similar
# occupations: imputed from themselves, their held-out error would flatter the model.
SCALES = ("LV", "IM", "CX", "CT", "EX")


@dataclass
class RatingMatrix:
    """One domain and scale: `values[i, j]` is occupation `codes[i]`'s rating of `elements[j]`."""

    domain: str
    scale: str
    codes: list[str]
    elements: list[str]
    values: np.ndarray
    low: float
    high: float

    @property
    def rated(self) -> np.ndarray:
        """Whether each occupation has at least one rating here."""
        return ~np.isnan(self.values).all(axis=1)


@dataclass
class Ratings:
    matrices: dict[tuple[str, str], RatingMatrix] = field(default_factory=dict)
    occupations: list[str] = field(default_factory=list)  # every occupation of the loaded release


def read_ratings(connection: Connection, domains: list[str] | None = None) -> Ratings:
    """Every measured rating on the SCALES of the loaded occupations, one matrix per domain and scale."""
    v = AttributeValue
    occupations = list(connection.execute(select(t.Occupation.soc_code).order_by(t.Occupation.soc_code)).scalars())
    ranges = {
        scale: (low, high)
        for scale, low, high in connection.execute(select(t.Scale.scale_id, t.Scale.minimum, t.Scale.maximum))
    }
    measured = [SourceKind.ONET.value, SourceKind.AUTHORITATIVE.value]
    rows = connection.execute(
        select(v.entity, v.attribute, v.value_number, v.precedence).where(
            v.replaced_at.is_(None),
            v.entity.startswith(ONET.entity("")),
            v.source_kind.in_(measured),
            v.value_number.is_not(None),
        )
    )
    served = highest(((entity, attribute), precedence, value) for entity, attribute, value, precedence in rows)
    cells: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
    for (entity, attribute), value in served.items():
        key = AttributeKey.parse(attribute)
        if value is None or not key.is_uncategorised_rating or key.scale not in SCALES:
            continue
        if domains is None or key.domain in domains:
            cells.setdefault((key.domain, key.scale), {})[(ONET.code_of(entity), key.element or "")] = value
    ratings = Ratings(occupations=occupations)
    position = {code: i for i, code in enumerate(occupations)}
    for (domain, scale), values in sorted(cells.items()):
        elements = sorted({element for _, element in values})
        column = {element: j for j, element in enumerate(elements)}
        matrix = np.full((len(occupations), len(elements)), np.nan)
        for (code, element), value in values.items():
            if code in position:
                matrix[position[code], column[element]] = value
        low, high = ranges.get(scale, (0.0, 7.0))
        ratings.matrices[(domain, scale)] = RatingMatrix(domain, scale, occupations, elements, matrix, low, high)
    return ratings
