"""What an LLM is told about one occupation and one domain, and the answer it must give.

The prompt carries everything a careful analyst would look at: the title and description, where
the occupation sits in the SOC (major, minor and broad group, with the titles of the occupations
it shares its broad group with), its tasks, and every rating it already has with the kind of
source behind it — then the elements to rate, as JSON, each with its scale's bounds. The prompt
hash covers the model, the messages and the answer schema, so any change to one is a new question.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, select

from jobforge.entities import ONET
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.read import served_values
from jobforge.provenance.sources import SourceKind
from jobforge.sources.onet import tables as t

MAX_TASKS = 25
MAX_BROAD_GROUP_TITLES = 12
ELEMENTS_START, ELEMENTS_END = "<elements>", "</elements>"

SYSTEM = (
    "You are an occupational analyst who rates occupations the way O*NET's analysts and incumbents do. "
    "For each element asked, give a value on that element's own scale (within its min and max), a "
    "confidence between 0 and 1 that your value is within a tenth of the scale's range of what O*NET "
    "would publish, and a one- or two-sentence rationale naming what in the occupation supports it. "
    "Rate every element asked, exactly once, using its element_id and scale_id as given."
)
SCALE_MEANING = {
    "IM": "Importance, 1 (not important) to 5 (extremely important)",
    "LV": "Level, 0 (not needed) to 7 (highest level of proficiency)",
    "CX": "Context, 1 to 5, from the least to the most of what the element asks (e.g. never to every day)",
    "CT": "Context, 1 to 3, from the least to the most of what the element asks",
    "EX": "Extent, 1 (not at all) to 7 (to a very great extent) that the occupation satisfies this work value",
}


class ElementRating(BaseModel):
    model_config = ConfigDict(extra="forbid")
    element_id: str
    scale_id: str
    value: float
    confidence: float
    rationale: str


class RatingsAnswer(BaseModel):
    """The structured output asked for: one rating per element and scale asked."""

    model_config = ConfigDict(extra="forbid")
    ratings: list[ElementRating]


@dataclass(frozen=True)
class Asked:
    element: str
    scale: str
    low: float
    high: float


@dataclass
class Question:
    """One call: the elements of one domain to rate for one occupation."""

    code: str
    domain: str
    asked: list[Asked]
    messages: list[dict] = field(default_factory=list)
    prompt_hash: str = ""


class KnownRating(NamedTuple):
    domain: str
    element: str
    rating: str  # "LV 4.1 (onet)"
    imputed: bool


@dataclass
class Occupations:
    """What the prompts draw on, read once for every occupation a run asks about."""

    titles: dict[str, str]
    descriptions: dict[str, str]
    tasks: dict[str, list[str]]
    elements: dict[str, tuple[str, str]]  # element id → (name, description)
    known: dict[str, list[KnownRating]]  # code → its served ratings, by domain and element

    @classmethod
    def read(cls, connection: Connection, codes: set[str]) -> Occupations:
        titles, descriptions = {}, {}
        for code, title, description in connection.execute(
            select(t.Occupation.soc_code, t.Occupation.title, t.Occupation.description)
        ):
            titles[code], descriptions[code] = title, description
        tasks: dict[str, list[str]] = defaultdict(list)
        for code, task in connection.execute(
            select(t.TaskStatement.soc_code, t.TaskStatement.task)
            .where(t.TaskStatement.soc_code.in_(sorted(codes)))
            .order_by(t.TaskStatement.soc_code, t.TaskStatement.task_type, t.TaskStatement.task_id)
        ):
            if len(tasks[code]) < MAX_TASKS:
                tasks[code].append(task)
        elements = {
            element: (name, description)
            for element, name, description in connection.execute(
                select(t.ContentElement.element_id, t.ContentElement.name, t.ContentElement.description)
            )
        }
        known = _known_ratings(connection, codes)
        return cls(titles, descriptions, dict(tasks), elements, known)


def _known_ratings(connection: Connection, codes: set[str]) -> dict[str, list[KnownRating]]:
    """Each occupation's served ratings on every scale with a meaning above, with the kind of source."""
    known: dict[str, list[KnownRating]] = defaultdict(list)
    entities = [ONET.entity(code) for code in sorted(codes)]
    for value in served_values(connection, entities).values():
        key = AttributeKey.parse(value.attribute)
        if not key.is_uncategorised_rating or key.scale not in SCALE_MEANING or isinstance(value.value, str):
            continue
        known[ONET.code_of(value.entity)].append(
            KnownRating(
                key.domain, key.element or "", f"{key.scale} {value.value:g} ({value.source_kind.value})",
                value.source_kind is SourceKind.IMPUTED,
            )
        )  # fmt: skip
    return dict(known)


def _known_lines(question: Question, occupations: Occupations, leave_out: set[str]) -> list[str]:
    """One line per element: "domain element name: IM 3.2 (onet), LV 4.1 (onet)". Never the
    estimates already made in the domain asked: the model would copy them rather than judge, and a
    rerun after a partial run would no longer find its answers cached under the same prompt."""
    by_element: dict[tuple[str, str], list[str]] = defaultdict(list)
    for known in occupations.known.get(question.code, []):
        if known.domain not in leave_out and not (known.imputed and known.domain == question.domain):
            by_element[(known.domain, known.element)].append(known.rating)
    return [
        f"{domain} {element} {occupations.elements.get(element, ('?', ''))[0]}: {', '.join(sorted(ratings))}"
        for (domain, element), ratings in sorted(by_element.items())
    ]


def prepared(question: Question, occupations: Occupations, model: str, leave_out: set[str]) -> Question:
    """`question` with its messages and prompt hash; `leave_out`: the domains whose known ratings
    are not shown (the one being assessed, so that the model judges it afresh)."""
    code = question.code
    siblings = [
        f"{other} {title}" for other, title in sorted(occupations.titles.items())
        if other[:6] == code[:6] and other != code
    ][:MAX_BROAD_GROUP_TITLES]  # fmt: skip
    known = _known_lines(question, occupations, leave_out)
    asked = [
        {
            "element_id": item.element,
            "scale_id": item.scale,
            "name": occupations.elements.get(item.element, (item.element, ""))[0],
            "description": occupations.elements.get(item.element, ("", ""))[1],
            "min": item.low,
            "max": item.high,
        }
        for item in question.asked
    ]
    scales = sorted({item.scale for item in question.asked})
    user = "\n".join(
        [
            f"Occupation: {code} {occupations.titles.get(code, '')}",
            f"Description: {occupations.descriptions.get(code, '')}",
            f"SOC hierarchy: major group {code[:2]}-0000 > minor group {code[:4]}00 > broad group {code[:6]}0 "
            f"> detailed occupation {code[:7]}"
            + (f" (O*NET specialisation {code})" if not code.endswith(".00") else ""),
            "Other occupations of its broad group: " + ("; ".join(siblings) or "none"),
            "Tasks:",
            *(f"- {task}" for task in occupations.tasks.get(code, [])),
            "Ratings it already has (scale value and the kind of source):",
            *(f"- {line}" for line in known or ["none"]),
            f"Scales: {'; '.join(f'{scale} = {SCALE_MEANING[scale]}' for scale in scales)}.",
            f"Rate these {question.domain} elements:",
            ELEMENTS_START + json.dumps(asked, ensure_ascii=False) + ELEMENTS_END,
        ]
    )
    question.messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    question.prompt_hash = prompt_hash(model, question.messages)
    return question


def prompt_hash(model: str, messages: list[dict]) -> str:
    text = json.dumps([model, messages, RatingsAnswer.model_json_schema()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
