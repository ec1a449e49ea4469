"""A local copy of the TBS occupational-groups site, served by a real HTTP server on 127.0.0.1.

Level 0 and the definitions page are the real English captures (../shared/data/tbs/html). Every
other page the groups table links to (standards, bargaining updates, agreements, rates of pay) is
constructed in the site's page structure (html lang, h1, main, the anchors the table links to),
each with a few links to level-2 pages of the same section. French pages are the same pages
with French paths, `lang="fr"`, and the French table headers JobForge expects: constructed, not
captured. `extra_linked` pages per level-1 page make a large site for the benchmark.
"""

from __future__ import annotations

import gzip
import re
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from jobforge.sources.tbs.site import GROUPS_PATH, HEADERS, SECTION_PREFIX

SHARED_TBS = Path(__file__).resolve().parents[3] / "shared" / "data" / "tbs" / "html"
DEFINITIONS_PATH = {
    "en": "/en/treasury-board-secretariat/services/collective-agreements/occupational-groups/definitions.html",
    "fr": "/fr/secretariat-conseil-tresor/services/conventions-collectives/groupes-professionnels/definitions.html",
}


@dataclass
class Page:
    body: str
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None
    gzip: bool = False  # sent compressed, as canada.ca sends its pages
    drip_seconds: float = 0.0  # sent in ten pieces over this long


@dataclass
class TbsSite:
    pages: dict[str, Page] = field(default_factory=dict)
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    hits: Counter = field(default_factory=Counter)
    agents: set = field(default_factory=set)
    times: list = field(default_factory=list)
    robots: str = "User-agent: *\nDisallow: /private/\n"
    robots_status: int = 200

    def start(self) -> TbsSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in separate writes

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                site.hits[path] += 1
                site.agents.add(self.headers.get("User-Agent"))
                site.times.append(time.monotonic())
                if path == "/robots.txt":
                    page = Page(site.robots, site.robots_status, content_type="text/plain")
                elif site.faults[path]:
                    page = site.faults[path].popleft()
                else:
                    page = site.pages.get(path, Page("<html lang='en'><body><h1>Not found</h1></body></html>", 404))
                payload = gzip.compress(page.body.encode()) if page.gzip else page.body.encode()
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                if page.location:
                    self.send_header("Location", page.location)
                if page.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                piece = -(-len(payload) // 10) if page.drip_seconds else len(payload) or 1
                for start in range(0, len(payload), piece):
                    self.wfile.write(payload[start : start + piece])
                    self.wfile.flush()
                    time.sleep(page.drip_seconds / 10)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def build_site(extra_linked: int = 2) -> TbsSite:
    site = TbsSite()
    groups_en = (SHARED_TBS / "occupational-groups.en.html").read_text(encoding="utf-8")
    definitions_en = (SHARED_TBS / "occupational-groups-definitions.en.html").read_text(encoding="utf-8")
    for lang in ("en", "fr"):
        groups = groups_en if lang == "en" else to_french(groups_en)
        definitions = definitions_en if lang == "en" else to_french(definitions_en)
        site.pages[GROUPS_PATH[lang]] = Page(groups)
        site.pages[DEFINITIONS_PATH[lang]] = Page(definitions)
        soup = BeautifulSoup(groups, "lxml")
        anchors: dict[str, set[str]] = defaultdict(set)
        for link in soup.find("table").find_all("a", href=True):
            path, _, anchor = link["href"].partition("#")
            anchors[path].add(anchor)
        for number, (path, ids) in enumerate(sorted(anchors.items())):
            if path == DEFINITIONS_PATH[lang]:
                continue
            children = [f"{SECTION_PREFIX[lang]}generated/page-{number}-{k}.html" for k in range(extra_linked)]
            site.pages[path] = Page(linked_page(lang, f"Linked page {number}", ids, children))
            for child in children:
                site.pages[child] = Page(linked_page(lang, f"Level-2 page {child.rsplit('/', 1)[1]}", set(), []))
        for link in BeautifulSoup(definitions, "lxml").find("main").find_all("a", href=True):
            path = urlsplit(link["href"]).path
            if path.startswith(SECTION_PREFIX[lang]) and path.endswith(".html") and path not in site.pages:
                site.pages[path] = Page(
                    linked_page(lang, f"Page linked from the definitions {path.rsplit('/', 1)[1]}", set(), [])
                )
    return site


def linked_page(lang: str, title: str, anchors: set[str], links: list[str]) -> str:
    sections = "".join(
        f'<section><h2 id="{a}">Section {a}</h2><p>Content of {a}.</p></section>' for a in sorted(anchors) if a
    )
    items = "".join(f'<li><a href="{link}">{link.rsplit("/", 1)[1]}</a></li>' for link in links)
    return (
        f'<!DOCTYPE html><html class="no-js" dir="ltr" lang="{lang}"><head><title>{title} - Canada.ca</title></head>'
        f'<body><main property="mainContentOfPage"><h1 property="name">{title}</h1>{sections}'
        f'<ul>{items}</ul><a href="https://example.invalid/elsewhere.html">off-site</a></main></body></html>'
    )


def to_french(html: str) -> str:
    """The page with French paths, lang="fr" and the French table headers."""
    french = html.replace('lang="en"', 'lang="fr"').replace("/en/treasury-board-secretariat/", SECTION_PREFIX["fr"])
    french = french.replace(GROUPS_PATH["en"], GROUPS_PATH["fr"]).replace(
        DEFINITIONS_PATH["en"], DEFINITIONS_PATH["fr"]
    )
    french = french.replace(
        "/services/collective-agreements/occupational-groups/",
        "/services/conventions-collectives/groupes-professionnels/",
    )
    for english, translated in zip(HEADERS["en"], HEADERS["fr"]):
        french = re.sub(
            f"(<th[^>]*>){re.escape(english)}(</th>)",
            lambda m, translated=translated: m.group(1) + translated + m.group(2),
            french,
        )
    return french
