"""A real HTTP server on 127.0.0.1 that answers like O*NET Web Services v2, with faults on demand.

Used by the tests and by bench/onet_fetch.py. It serves occupation summaries and database rows
in the v2 shapes (start/end/total/next paging, snake_case row keys), checks X-API-Key (a wrong
key gets the 403 HTML page O*NET sends), and can be told to fail: a queue of scripted faults per
path prefix (a status with headers, a delay, a body that is not JSON), answers sent a byte at a
time and, for the benchmark, a fixed latency and a random share of 429s. Every request is logged with its time.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakes import send_body

FORBIDDEN_PAGE = "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>"


@dataclass
class Fault:
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    body: str | None = None


@dataclass
class FakeOnet:
    api_key: str = "test-key"
    occupations: dict[str, dict] = field(default_factory=dict)
    rows: dict[tuple[str, str], list[dict]] = field(default_factory=dict)  # (table, soc) -> rows
    page_size: int = 2000
    soc_column: str = "o_net_soc_code"  # what the table information names the O*NET-SOC code column
    next_links: dict[str, str] = field(default_factory=dict)  # table -> a `next` to serve instead
    latency: float = 0.0
    drip: dict[str, float] = field(default_factory=dict)  # path prefix -> seconds between the body's bytes
    share_429: float = 0.0
    seed: int = 1
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    log: list[tuple[float, str]] = field(default_factory=list)

    def fail(self, path_prefix: str, *faults: Fault) -> None:
        self.faults[path_prefix].extend(faults)

    def requests_to(self, fragment: str) -> int:
        return sum(1 for _when, path in self.log if fragment in path)

    def answer(self, path: str, query: dict, key: str | None) -> tuple[int, dict, str, float]:
        for prefix, queue in self.faults.items():
            if path.startswith(prefix) and queue:
                fault = queue.popleft()
                if fault.status != 200 or fault.body is not None:
                    return fault.status, fault.headers, fault.body or json.dumps({"error": "fault"}), fault.delay
                time.sleep(fault.delay)
        if key != self.api_key:
            return 403, {"Content-Type": "text/html"}, FORBIDDEN_PAGE, 0.0
        if self.share_429 and self._random.random() < self.share_429:
            return 429, {"Retry-After": "1"}, json.dumps({"error": "Too Many Requests"}), 0.0
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["online", "occupations"] and len(parts) == 3:
            occupation = self.occupations.get(parts[2])
            if occupation is None:
                return 404, {}, json.dumps({"error": "not found"}), 0.0
            return 200, {}, json.dumps({"code": parts[2], **occupation}), 0.0
        if parts[:2] == ["database", "rows"] and len(parts) == 3:
            return self._rows(parts[2], query, path)
        if parts[:2] == ["database", "info"] and len(parts) == 3:
            columns = [{"column_id": self.soc_column, "title": "O*NET-SOC Code", "type": "Text"},
                       {"column_id": "element_id", "title": "Element ID", "type": "Text"}]  # fmt: skip
            return 200, {}, json.dumps({"table_id": parts[2], "column": columns}), 0.0
        return 404, {}, json.dumps({"error": "no such resource"}), 0.0

    def _rows(self, table: str, query: dict, path: str) -> tuple[int, dict, str, float]:
        column, _op, soc = query.get("filter", ["..."])[0].partition(".eq.")
        if column != self.soc_column or not soc:
            return 422, {}, json.dumps({"error": "bad filter"}), 0.0
        rows = self.rows.get((table, soc), [])
        start = int(query.get("start", ["1"])[0])
        end = min(int(query.get("end", [str(self.page_size)])[0]), start + self.page_size - 1)
        page = {"start": start, "end": min(end, len(rows)), "total": len(rows), "row": rows[start - 1 : end]}
        if table in self.next_links:
            page["next"] = self.next_links[table]
        elif end < len(rows):
            page["next"] = (
                f"{self.base_url}database/rows/{table}?filter={self.soc_column}.eq.{soc}"
                f"&start={end + 1}&end={end + self.page_size}"
            )
        return 200, {}, json.dumps(page), 0.0

    def start(self) -> FakeOnet:
        self._random = random.Random(self.seed)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in separate writes

            def do_GET(self) -> None:
                split = urlsplit(self.path)
                fake.log.append((time.monotonic(), self.path))
                status, headers, body, delay = fake.answer(
                    split.path, parse_qs(split.query), self.headers.get("X-API-Key")
                )
                time.sleep(fake.latency + delay)
                payload = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                drip = next((s for prefix, s in fake.drip.items() if split.path.startswith(prefix)), 0.0)
                send_body(self.wfile, payload, drip)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def rows_from_release_text(text: str, soc: str) -> list[dict]:
    """A release file's rows of one occupation, as v2 database rows (snake_case keys)."""
    lines = text.split("\n")
    header = [_snake(name) for name in lines[0].split("\t")]
    rows = []
    for line in lines[1:]:
        fields = line.split("\t")
        if fields[0] == soc:
            row = {}
            for name, value in zip(header, fields):
                row[name] = None if value == "n/a" else value
            row["data_value"] = float(row["data_value"])
            rows.append(row)
    return rows


def _snake(header: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "_" for ch in header).strip("_").replace("__", "_")
