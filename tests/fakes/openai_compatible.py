"""A real HTTP server on 127.0.0.1 that answers like an OpenAI-compatible chat completions endpoint.

It reads what JobForge's prompts ask (the occupation on the first line, the elements as JSON
between <elements> markers) and answers in the real `chat.completion` shape, with usage counts.
Per occupation, a queue of scripted behaviours says how the next answers go wrong: not JSON, a
value off the scale, an element nobody asked for, one left out, a refusal, a truncation at the
length limit, a content filter stop, an HTTP status with headers (429 with Retry-After, 500), a
response body that is JSON nested far too deep, far too large, a gzip bomb, or sent a byte at a
time.
Every request is logged with its arrival time and body.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes import send_body

REFUSAL = "I'm sorry, but I can't help with that request."


@dataclass(frozen=True)
class Status:
    """An HTTP failure instead of an answer."""

    code: int
    headers: dict = field(default_factory=dict)


@dataclass
class FakeLlm:
    api_key: str = "sk-test"
    model: str = "fake-model"
    confidence: float = 0.9
    script: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    log: list[tuple[float, dict]] = field(default_factory=list)

    def then(self, code: str, *behaviours: str | Status) -> None:
        self.script[code].extend(behaviours)

    def requests_for(self, code: str) -> list[dict]:
        return [body for _when, body in self.log if _occupation(body) == code]

    def times_for(self, code: str) -> list[float]:
        return [when for when, body in self.log if _occupation(body) == code]

    @staticmethod
    def value(element: str, scale: str, low: float, high: float) -> float:
        """The fake's deterministic rating of an element (so tests can check what was stored)."""
        return round(low + (high - low) * (zlib.crc32(f"{element}{scale}".encode()) % 100) / 100, 2)

    def answer(self, body: dict, authorization: str | None) -> tuple[int, dict, dict | str]:
        if authorization != f"Bearer {self.api_key}":
            return 401, {}, _error("Incorrect API key provided.", "invalid_api_key")
        if body.get("model") != self.model:
            return 404, {}, _error(f"The model `{body.get('model')}` does not exist.", "model_not_found")
        code = _occupation(body)
        queue = self.script.get(code)
        behaviour = queue.popleft() if queue else "valid"
        if isinstance(behaviour, Status):
            return behaviour.code, behaviour.headers, _error("fault", "server_error")
        if behaviour == "nested_body":  # the whole response, not the answer in it
            return 200, {}, "[" * 100_000 + "]" * 100_000
        if behaviour == "huge_body":
            return 200, {}, json.dumps({"padding": "x" * 1_000_000})
        if behaviour == "gzip_bomb":  # 40 MB of JSON whitespace, sent as about 40 kB
            return 200, {"Content-Encoding": "gzip"}, "{}" + " " * 40_000_000
        if "<candidates>" in _user(body):
            return self._judged(body, behaviour)
        asked = _asked(body)
        ratings = [
            {"element_id": item["element_id"], "scale_id": item["scale_id"],
             "value": self.value(item["element_id"], item["scale_id"], item["min"], item["max"]),
             "confidence": self.confidence, "rationale": f"{item['name']} matters in this work."}
            for item in asked
        ]  # fmt: skip
        if behaviour == "out_of_range":
            ratings[0]["value"] = asked[0]["max"] + 3
        elif behaviour == "unknown_element":
            ratings[0]["element_id"] = "9.Z.9.z"
        elif behaviour == "missing_element":
            ratings = ratings[1:]
        elif behaviour == "bad_confidence":
            ratings[0]["confidence"] = 1.5
        content: str | None = json.dumps({"ratings": ratings})
        finish, refusal = "stop", None
        if behaviour == "invalid_json":
            content = '{"ratings": [{"element_id": "2.A.1.a", "scale_id": "LV", "value": 3.5,'[:60] + " sorry"
        elif behaviour == "truncated":
            content, finish = content[: len(content) // 2], "length"
        elif behaviour == "refusal":
            content, refusal = None, REFUSAL
        elif behaviour == "content_filter":
            content, finish = None, "content_filter"
        headers = {"X-Drip": "0.02"} if behaviour == "drip" else {}  # seconds between the body's bytes
        return 200, headers, _completion(self.model, content, body, finish, refusal)

    def _judged(self, body: dict, behaviour: str) -> tuple[int, dict, dict]:
        """A role-coding answer: every candidate judged, the first as the best fit."""
        text = _user(body)
        candidates = json.loads(text[text.index("<candidates>") + 12 : text.index("</candidates>")])
        choices = [{"code": c["code"], "fit": round(0.9 - 0.2 * i, 2), "rationale": f"{c['title']} fits the duties."}
                   for i, c in enumerate(candidates)]  # fmt: skip
        if behaviour == "unknown_element":
            choices[0]["code"] = "onet:99-9999.99"
        content = "{not json" if behaviour == "invalid_json" else json.dumps({"choices": choices})
        return 200, {}, _completion(self.model, content, body)

    def start(self) -> FakeLlm:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.log.append((time.monotonic(), body))
                if not self.path.endswith("/chat/completions"):
                    status, headers, answer = 404, {}, _error("Unknown path", "not_found")
                else:
                    status, headers, answer = fake.answer(body, self.headers.get("Authorization"))
                payload = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                if headers.get("Content-Encoding") == "gzip":
                    payload = gzip.compress(payload)
                drip = float(headers.pop("X-Drip", 0))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                send_body(self.wfile, payload, drip)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _error(message: str, code: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}


def _user(body: dict) -> str:
    return next((m["content"] for m in body.get("messages", []) if m.get("role") == "user"), "")


def _occupation(body: dict) -> str:
    first = _user(body).split("\n", 1)[0]
    return first.removeprefix("Occupation: ").split(" ", 1)[0]


def _asked(body: dict) -> list[dict]:
    text = _user(body)
    return json.loads(text[text.index("<elements>") + len("<elements>") : text.index("</elements>")])


def _completion(model: str, content: str | None, body: dict, finish: str = "stop", refusal: str | None = None) -> dict:
    """A chat.completion in the real shape, with usage counted at four characters a token."""
    prompt = sum(len(message["content"]) for message in body["messages"]) // 4
    produced = len(content or "") // 4
    return {
        "id": f"chatcmpl-{id(body)}", "object": "chat.completion", "created": int(time.time()), "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "logprobs": None, "finish_reason": finish,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": produced, "total_tokens": prompt + produced},
    }  # fmt: skip
