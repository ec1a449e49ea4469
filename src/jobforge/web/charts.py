"""The geometry of the pages' bar charts, drawn as inline SVG by the templates: no script and no
chart library, so a chart costs a few kilobytes and shows without JavaScript. Each chart comes
with its numbers as a table beside it, for screen readers and for copying."""

from __future__ import annotations

from dataclasses import dataclass

ROW = 22  # px per bar
LABEL_WIDTH = 290
BAR_WIDTH = 330
PRIMARY_SCALES = ("LV", "IM", "OI", "EX", "CX")  # the scale a domain is drawn on: level where it has one
SCALE_MAX = {"LV": 7.0, "IM": 5.0, "OI": 7.0, "EX": 7.0, "CX": 5.0}
DOMAIN_ORDER = ("skills", "knowledge", "abilities", "work_activities", "work_context", "work_styles", "interests",
                "work_values", "education_training_experience")  # fmt: skip


def in_order(domains) -> list[str]:
    """Domains as a reader looks for them: what the work needs first, preparation last."""
    return sorted(domains, key=lambda d: (DOMAIN_ORDER.index(d) if d in DOMAIN_ORDER else len(DOMAIN_ORDER), d))


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    kind: str  # source kind, for the bar's colour and badge
    confidence: float
    citation: str
    href: str


@dataclass(frozen=True, slots=True)
class Chart:
    scale: str
    maximum: float
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 24


def width(value: float, maximum: float) -> float:
    """A bar's length in px for `value` on a 0–`maximum` scale (values outside it clipped)."""
    return round(BAR_WIDTH * max(0.0, min(value, maximum)) / maximum, 1)


def bars(code: str, domain: str, ratings: list) -> Chart | None:
    """A domain's ratings on its primary scale, highest first; None when it has no rating on one."""
    scales = {rating.scale_id for rating in ratings}
    scale = next((s for s in PRIMARY_SCALES if s in scales), None)
    if scale is None:
        return None
    maximum = SCALE_MAX[scale]
    shown = sorted((r for r in ratings if r.scale_id == scale), key=lambda r: (-r.data_value, r.element_name))
    return Chart(
        scale,
        maximum,
        [
            Bar(
                rating.element_name,
                rating.data_value,
                index * ROW,
                width(rating.data_value, maximum),
                rating.source_kind,
                rating.confidence,
                rating.citation,
                f"/occupation/{code}/provenance?attribute={domain}/{rating.element_id}/{scale}",
            )
            for index, rating in enumerate(shown)
        ],
    )


@dataclass(frozen=True, slots=True)
class GapBar:
    label: str
    y: int
    from_width: float
    to_width: float
    gap: float


def gap_bars(items: list, maximum: float = SCALE_MAX["LV"]) -> list[GapBar]:
    """Each gap as two bars on the level scale: where one stands (from) and what the target needs (to)."""
    return [
        GapBar(
            item.element_name,
            index * ROW * 2,
            width(item.from_data_value, maximum),
            width(item.to_data_value, maximum),
            item.gap,
        )  # fmt: skip
        for index, item in enumerate(items)
    ]


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str
    x: float
    width: float
    count: int


@dataclass(frozen=True, slots=True)
class CoverageBar:
    label: str
    y: int
    share: float
    segments: list[Segment]


KIND_ORDER = ("custom", "authoritative", "onet", "imputed")


def coverage_bars(cover) -> list[CoverageBar]:
    """A kind's fields as bars of their share covered, split by the source kind serving them."""
    drawn = []
    for index, (name, field) in enumerate(cover.fields.items()):
        x, segments = 0.0, []
        for kind in sorted(field.by_source, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 9):
            width = round(BAR_WIDTH * field.by_source[kind] / cover.total, 1) if cover.total else 0.0
            segments.append(Segment(kind, x, width, field.by_source[kind]))
            x += width
        drawn.append(CoverageBar(name, index * ROW, cover.share(name), segments))
    return drawn
