"""Extracting the groups table, the group definitions and the structure of linked pages.

Every expectation is explicit and a violation raises PageStructureError naming the page and the
expectation: the page's language, the table and its header set, the row count, cells per row,
and (checked by the crawl) that each linked anchor exists on its page.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from jobforge.errors import PageStructureError
from jobforge.sources.tbs.site import HEADERS, LINK_KINDS, ROW_BOUNDS

_LANG = {"en": ("en", "eng"), "fr": ("fr", "fra")}


@dataclass
class GroupLink:
    available: str  # Yes, N/A, Info, ... as published
    url: str | None  # absolute, fragment kept
    anchor: str | None
    label: str | None = None  # text beyond "Yes" (e.g. SR-MGT-01)


@dataclass
class GroupRow:
    abbreviation: str
    code: str | None  # 21 rows of the English page (e.g. CP) have none
    occupational_group: str
    group: str | None
    subgroup: str | None
    links: dict[str, GroupLink] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Definition:
    anchor: str
    title: str
    level: str  # group or subgroup
    text: str
    inclusions: list[str]
    exclusions: list[str]


@dataclass
class LinkedPage:
    url: str
    title: str
    headings: list[dict]
    links: list[str]


def soup_of(html: str, url: str, lang: str) -> BeautifulSoup:
    """The parsed page, once per page (the parsers below share it); checks it is HTML in `lang`."""
    soup = BeautifulSoup(html, "lxml")
    if soup.html is None or soup.find("body") is None:
        raise PageStructureError(url, "expected an HTML document")
    declared = (soup.html.get("lang") or "").lower()
    if declared[:2] not in _LANG[lang]:
        raise PageStructureError(url, f"expected a page in '{lang}' (html lang), found '{declared or 'none'}'")
    return soup


def page_title(soup: BeautifulSoup, url: str) -> str:
    heading = soup.find("h1")
    if heading is None or not heading.get_text(strip=True):
        raise PageStructureError(url, "expected an <h1> title")
    return _text(heading)


def parse_groups_page(soup: BeautifulSoup, url: str, lang: str) -> tuple[str, list[GroupRow]]:
    title = page_title(soup, url)
    table = soup.find("table")
    if table is None:
        raise PageStructureError(url, "expected the occupational groups table")
    header = [_text(th) for th in table.find("thead").find_all("th")] if table.find("thead") else []
    if header != HEADERS[lang]:
        raise PageStructureError(url, f"expected the header {HEADERS[lang]}, found {header}")
    body = table.find("tbody")
    rows = body.find_all("tr", recursive=False) if body else []
    low, high = ROW_BOUNDS
    if not low <= len(rows) <= high:
        raise PageStructureError(url, f"expected {low}–{high} group rows, found {len(rows)}")
    groups = []
    for number, row in enumerate(rows, start=1):
        cells = row.find_all(["td", "th"], recursive=False)
        if len(cells) != len(HEADERS[lang]):
            raise PageStructureError(url, f"row {number}: expected {len(HEADERS[lang])} cells, found {len(cells)}")
        values = [_text(cell) for cell in cells[:5]]
        if not values[0]:
            raise PageStructureError(url, f"row {number}: expected a group abbreviation")
        optional = [None if _not_applicable(value) else value for value in values]
        group = GroupRow(values[0], optional[1], values[2], optional[3], optional[4])
        for kind, cell in zip(LINK_KINDS, cells[5:]):
            group.links[kind] = _link(cell, url)
        groups.append(group)
    return title, groups


def parse_definitions(soup: BeautifulSoup, url: str) -> tuple[str, dict[str, Definition]]:
    title = page_title(soup, url)
    headings = soup.find_all(["h3", "h4", "h5"], id=re.compile(r"^def-"))
    if not headings:
        raise PageStructureError(url, "expected group definitions (headings with id def-…)")
    definitions = {}
    for heading in headings:
        section = heading.parent if heading.parent.name == "section" else heading
        own = [node for node in section.children if isinstance(node, Tag) and node is not heading]
        text = " ".join(_text(node) for node in own if node.name == "p")
        inclusions, exclusions = [], []
        for sub in (node for node in own if node.name == "section"):
            label = sub.find(["h4", "h5", "h6"])
            if label is None or label.get("id", "").startswith("def-"):
                continue
            items = [_text(li) for li in sub.find_all("li")] or [_text(p) for p in sub.find_all("p")]
            name = _text(label).lower()
            if name.startswith(("inclusion", "inclus")):
                inclusions += items
            elif name.startswith(("exclusion",)):
                exclusions += items
        definitions[heading["id"]] = Definition(
            heading["id"], _text(heading), "group" if heading.name == "h3" else "subgroup", text, inclusions, exclusions
        )
    # A few subgroups are a paragraph carrying the anchor itself (e.g. <p id="def-srw-app">).
    for paragraph in soup.find_all(["p", "div", "li"], id=re.compile(r"^def-")):
        above = paragraph.find_previous(["h3", "h4", "h5"])
        definitions[paragraph["id"]] = Definition(
            paragraph["id"], _text(above) if above else paragraph["id"], "subgroup", _text(paragraph), [], []
        )
    return title, definitions


def parse_linked_page(soup: BeautifulSoup, url: str) -> LinkedPage:
    title = page_title(soup, url)
    main = soup.find("main") or soup.body
    headings = [
        {"level": int(h.name[1]), "text": _text(h), "id": h.get("id")} for h in main.find_all(["h2", "h3", "h4"])
    ]
    links = sorted({urljoin(url, a["href"]) for a in main.find_all("a", href=True)})
    return LinkedPage(url, title, headings, links)


def anchors_of(soup: BeautifulSoup) -> set[str]:
    return {tag["id"] for tag in soup.find_all(id=True)}


def _link(cell: Tag, page_url: str) -> GroupLink:
    text = _text(cell)
    anchor_tag = cell.find("a", href=True)
    if anchor_tag is None:
        return GroupLink(text, None, None)
    absolute = urljoin(page_url, anchor_tag["href"])
    fragment = urlsplit(absolute).fragment or None
    extra = text.split(" ", 1)[1] if " " in text else None
    return GroupLink(text.split(" ", 1)[0], absolute, fragment, extra)


def _not_applicable(text: str) -> bool:
    return text in ("N/A", "S.O.", "s.o.", "")


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())
