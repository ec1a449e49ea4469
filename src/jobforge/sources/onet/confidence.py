"""Which confidence rule (jobforge.provenance.confidence) applies to which O*NET table."""

from __future__ import annotations

from jobforge.provenance import confidence as rule
from jobforge.sources.onet import tables as t

DEFINITIONAL_TABLES = {
    t.Occupation,
    t.ContentElement,
    t.Scale,
    t.ScaleAnchor,
    t.RatingCategory,
    t.TaskCategory,
    t.ElementLink,
    t.SurveyBookletLocation,
    t.JobZoneReference,
    t.UnspscCommodity,
    t.Iwa,
    t.Dwa,
    t.InterestActivity,
    t.InterestOccupation,
    t.RiasecKeyword,
}


def confidences(table: type, columns: dict[str, list], count: int, scale_ranges: dict[str, float]) -> list[float]:
    """The confidence of each of `count` rows about to be stored in `table`."""
    if table in (t.OccupationRating, t.TaskRating):
        return rule.rating_confidences(columns, scale_ranges)
    if table is t.TaskStatement:
        return [rule.count_confidence(n) for n in columns["incumbents_responding"]]
    if table is t.OccupationMetadata:
        return [rule.count_confidence(n) for n in columns["sample_size"]]
    if table is t.AlternateTitle:
        return [rule.sources_confidence(s) for s in columns["sources"]]
    if table in DEFINITIONAL_TABLES:
        return [rule.DEFINITIONAL] * count
    return [rule.UNMEASURED] * count
