"""What each file of an O*NET text release looks like, release by release.

A layout maps the file's header names, in order, to table columns; the column types, nullability,
lengths and references that the loader checks come from the table definitions, so a rule lives
in one place. Headers whose value is only a copy of a reference table's name column (`Element
Name`, `Commodity Title`, ...) map to `None`: they are checked for presence, not stored twice.

Layouts change between releases (Work Styles lost its statistics columns in 30.1), so each file
has a list of (first release, layout) entries and the newest entry not after the release wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobforge.sources.onet import tables as t
from jobforge.sources.onet.release import Release
from jobforge.store.base import Base


@dataclass(frozen=True)
class FileLayout:
    file_name: str
    table: type[Base]
    headers: tuple[tuple[str, str | None], ...]
    fixed: dict[str, object] = field(default_factory=dict)
    key: tuple[str, ...] = ()

    @property
    def header_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.headers)


def _rating_headers(*, category: bool, statistics: bool, not_relevant: bool) -> tuple:
    headers: list[tuple[str, str | None]] = [
        ("O*NET-SOC Code", "soc_code"),
        ("Element ID", "element_id"),
        ("Element Name", None),
        ("Scale ID", "scale_id"),
    ]
    if category:
        headers.append(("Category", "category"))
    headers.append(("Data Value", "data_value"))
    if statistics:
        headers += [
            ("N", "sample_size"),
            ("Standard Error", "standard_error"),
            ("Lower CI Bound", "lower_ci_bound"),
            ("Upper CI Bound", "upper_ci_bound"),
            ("Recommend Suppress", "recommend_suppress"),
        ]
    if not_relevant:
        headers.append(("Not Relevant", "not_relevant"))
    headers += [("Date", "updated_on"), ("Domain Source", "domain_source")]
    return tuple(headers)


RATING_KEY = ("soc_code", "element_id", "scale_id", "category")
FULL_STATS = _rating_headers(category=False, statistics=True, not_relevant=True)


def _rating(file_name: str, domain: str, headers: tuple) -> FileLayout:
    return FileLayout(file_name, t.OccupationRating, headers, {"domain": domain}, RATING_KEY)


def _link(file_name: str, kind: str, left: str, right: str) -> FileLayout:
    headers = (
        (f"{left} Element ID", "from_element_id"),
        (f"{left} Element Name", None),
        (f"{right} Element ID", "to_element_id"),
        (f"{right} Element Name", None),
    )
    return FileLayout(file_name, t.ElementLink, headers, {"link_kind": kind}, ("from_element_id", "to_element_id"))


def _categories(file_name: str) -> FileLayout:
    headers = (
        ("Element ID", "element_id"),
        ("Element Name", None),
        ("Scale ID", "scale_id"),
        ("Category", "category"),
        ("Category Description", "description"),
    )
    return FileLayout(file_name, t.RatingCategory, headers, key=("element_id", "scale_id", "category"))


# Files in load order: a file comes after every file whose keys it refers to.
_SINCE_5_0 = Release(5, 0)
LAYOUT_HISTORY: dict[str, list[tuple[Release, FileLayout]]] = {
    layout.file_name: [(_SINCE_5_0, layout)]
    for layout in (
        FileLayout(
            "Occupation Data.txt",
            t.Occupation,
            (("O*NET-SOC Code", "soc_code"), ("Title", "title"), ("Description", "description")),
        ),
        FileLayout(
            "Content Model Reference.txt",
            t.ContentElement,
            (("Element ID", "element_id"), ("Element Name", "name"), ("Description", "description")),
        ),
        FileLayout(
            "Scales Reference.txt",
            t.Scale,
            (("Scale ID", "scale_id"), ("Scale Name", "name"), ("Minimum", "minimum"), ("Maximum", "maximum")),
        ),
        FileLayout(
            "Job Zone Reference.txt",
            t.JobZoneReference,
            (
                ("Job Zone", "job_zone"),
                ("Name", "name"),
                ("Experience", "experience"),
                ("Education", "education"),
                ("Job Training", "job_training"),
                ("Examples", "examples"),
                ("SVP Range", "svp_range"),
            ),
        ),
        FileLayout(
            "UNSPSC Reference.txt",
            t.UnspscCommodity,
            (
                ("Commodity Code", "commodity_code"),
                ("Commodity Title", "commodity_title"),
                ("Class Code", "class_code"),
                ("Class Title", "class_title"),
                ("Family Code", "family_code"),
                ("Family Title", "family_title"),
                ("Segment Code", "segment_code"),
                ("Segment Title", "segment_title"),
            ),
        ),
        FileLayout(
            "IWA Reference.txt", t.Iwa, (("Element ID", "element_id"), ("IWA ID", "iwa_id"), ("IWA Title", "title"))
        ),
        FileLayout(
            "DWA Reference.txt",
            t.Dwa,
            (("Element ID", "element_id"), ("IWA ID", "iwa_id"), ("DWA ID", "dwa_id"), ("DWA Title", "title")),
        ),
        FileLayout(
            "Level Scale Anchors.txt",
            t.ScaleAnchor,
            (
                ("Element ID", "element_id"),
                ("Element Name", None),
                ("Scale ID", "scale_id"),
                ("Anchor Value", "anchor_value"),
                ("Anchor Description", "anchor_description"),
            ),
            key=("element_id", "scale_id", "anchor_value"),
        ),
        _categories("Work Context Categories.txt"),
        _categories("Education, Training, and Experience Categories.txt"),
        FileLayout(
            "Task Categories.txt",
            t.TaskCategory,
            (("Scale ID", "scale_id"), ("Category", "category"), ("Category Description", "description")),
            key=("scale_id", "category"),
        ),
        FileLayout(
            "Survey Booklet Locations.txt",
            t.SurveyBookletLocation,
            (
                ("Element ID", "element_id"),
                ("Element Name", None),
                ("Survey Item Number", "survey_item_number"),
                ("Scale ID", "scale_id"),
            ),
        ),
        _link("Abilities to Work Activities.txt", "abilities_to_work_activities", "Abilities", "Work Activities"),
        _link("Abilities to Work Context.txt", "abilities_to_work_context", "Abilities", "Work Context"),
        _link("Skills to Work Activities.txt", "skills_to_work_activities", "Skills", "Work Activities"),
        _link("Skills to Work Context.txt", "skills_to_work_context", "Skills", "Work Context"),
        _link("Basic Interests to RIASEC.txt", "basic_interests_to_riasec", "Basic Interests", "RIASEC"),
        FileLayout(
            "Interests Illustrative Activities.txt",
            t.InterestActivity,
            (
                ("Element ID", "element_id"),
                ("Element Name", None),
                ("Interest Type", "interest_type"),
                ("Activity", "activity"),
            ),
        ),
        FileLayout(
            "Interests Illustrative Occupations.txt",
            t.InterestOccupation,
            (
                ("Element ID", "element_id"),
                ("Element Name", None),
                ("Interest Type", "interest_type"),
                ("O*NET-SOC Code", "soc_code"),
            ),
        ),
        FileLayout(
            "RIASEC Keywords.txt",
            t.RiasecKeyword,
            (
                ("Element ID", "element_id"),
                ("Element Name", None),
                ("Keyword", "keyword"),
                ("Keyword Type", "keyword_type"),
            ),
        ),
        FileLayout(
            "Task Statements.txt",
            t.TaskStatement,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Task ID", "task_id"),
                ("Task", "task"),
                ("Task Type", "task_type"),
                ("Incumbents Responding", "incumbents_responding"),
                ("Date", "updated_on"),
                ("Domain Source", "domain_source"),
            ),
        ),
        FileLayout(
            "Task Ratings.txt",
            t.TaskRating,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Task ID", "task_id"),
                ("Scale ID", "scale_id"),
                ("Category", "category"),
                ("Data Value", "data_value"),
                ("N", "sample_size"),
                ("Standard Error", "standard_error"),
                ("Lower CI Bound", "lower_ci_bound"),
                ("Upper CI Bound", "upper_ci_bound"),
                ("Recommend Suppress", "recommend_suppress"),
                ("Date", "updated_on"),
                ("Domain Source", "domain_source"),
            ),
            key=("soc_code", "task_id", "scale_id", "category"),
        ),
        FileLayout(
            "Emerging Tasks.txt",
            t.EmergingTask,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Task", "task"),
                ("Category", "category"),
                ("Original Task ID", "original_task_id"),
                ("Original Task", "original_task"),
                ("Date", "updated_on"),
                ("Domain Source", "domain_source"),
            ),
        ),
        FileLayout(
            "Tasks to DWAs.txt",
            t.TaskDwa,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Task ID", "task_id"),
                ("DWA ID", "dwa_id"),
                ("Date", "updated_on"),
                ("Domain Source", "domain_source"),
            ),
            key=("soc_code", "task_id", "dwa_id"),
        ),
        _rating("Skills.txt", "skills", FULL_STATS),
        _rating("Knowledge.txt", "knowledge", FULL_STATS),
        _rating("Abilities.txt", "abilities", FULL_STATS),
        _rating("Work Activities.txt", "work_activities", FULL_STATS),
        _rating("Work Context.txt", "work_context", _rating_headers(category=True, statistics=True, not_relevant=True)),
        _rating(
            "Education, Training, and Experience.txt",
            "education_training_experience",
            _rating_headers(category=True, statistics=True, not_relevant=False),
        ),
        _rating("Work Styles.txt", "work_styles", _rating_headers(category=False, statistics=True, not_relevant=False)),
        _rating(
            "Work Values.txt", "work_values", _rating_headers(category=False, statistics=False, not_relevant=False)
        ),
        _rating("Interests.txt", "interests", _rating_headers(category=False, statistics=False, not_relevant=False)),
        FileLayout(
            "Job Zones.txt",
            t.JobZone,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Job Zone", "job_zone"),
                ("Date", "updated_on"),
                ("Domain Source", "domain_source"),
            ),
        ),
        FileLayout(
            "Technology Skills.txt",
            t.TechnologySkill,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Example", "example"),
                ("Commodity Code", "commodity_code"),
                ("Commodity Title", None),
                ("Hot Technology", "hot_technology"),
                ("In Demand", "in_demand"),
            ),
            key=("soc_code", "example", "commodity_code"),
        ),
        FileLayout(
            "Tools Used.txt",
            t.ToolUsed,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Example", "example"),
                ("Commodity Code", "commodity_code"),
                ("Commodity Title", None),
            ),
            key=("soc_code", "example", "commodity_code"),
        ),
        FileLayout(
            "Alternate Titles.txt",
            t.AlternateTitle,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Alternate Title", "title"),
                ("Short Title", "short_title"),
                ("Source(s)", "sources"),
            ),
        ),
        FileLayout(
            "Sample of Reported Titles.txt",
            t.ReportedTitle,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Reported Job Title", "title"),
                ("Shown in My Next Move", "shown_in_my_next_move"),
            ),
            key=("soc_code", "title"),
        ),
        FileLayout(
            "Related Occupations.txt",
            t.RelatedOccupation,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Related O*NET-SOC Code", "related_soc_code"),
                ("Relatedness Tier", "relatedness_tier"),
                ("Index", "rank"),
            ),
            key=("soc_code", "related_soc_code"),
        ),
        FileLayout(
            "Occupation Level Metadata.txt",
            t.OccupationMetadata,
            (
                ("O*NET-SOC Code", "soc_code"),
                ("Item", "item"),
                ("Response", "response"),
                ("N", "sample_size"),
                ("Percent", "percent"),
                ("Date", "updated_on"),
            ),
            key=("soc_code", "item", "response"),
        ),
    )
}

# 30.1 replaced the Work Styles taxonomy (WI impact and DR distinctiveness scales, AI/expert
# ratings) and dropped its sampling statistics.
LAYOUT_HISTORY["Work Styles.txt"].append(
    (
        Release(30, 1),
        _rating(
            "Work Styles.txt", "work_styles", _rating_headers(category=False, statistics=False, not_relevant=False)
        ),
    )
)


def layouts_for(release: Release) -> list[FileLayout]:
    """The layout of every file the loader knows, as it is in `release`, in load order."""
    chosen = []
    for history in LAYOUT_HISTORY.values():
        applicable = [layout for since, layout in history if since <= release]
        if applicable:
            chosen.append(applicable[-1])
    return chosen


def releases_with_header(file_name: str, header: list[str]) -> str | None:
    """Which releases lay `file_name` out with exactly `header` ("5.0 to 30.0", "30.1 and later"), if any."""
    history = LAYOUT_HISTORY.get(file_name, [])
    for position, (since, layout) in enumerate(history):
        if list(layout.header_names) == header:
            following = history[position + 1][0] if position + 1 < len(history) else None
            return f"{since} and later" if following is None else f"{since} to before {following}"
    return None


def data_tables() -> list[type[Base]]:
    """Every O*NET table, parents before children."""
    seen: list[type[Base]] = []
    for history in LAYOUT_HISTORY.values():
        table = history[0][1].table
        if table not in seen:
            seen.append(table)
    return seen
