"""The real server: `jobforge serve` under uvicorn on 127.0.0.1 answers over HTTP."""

from __future__ import annotations

import httpx2

from jobforge.api.server_process import running_server


def test_served_api_answers_skill_gap_and_errors_over_http(sample_kb):
    with running_server(sample_kb.database_url) as (base, _process, _seconds):
        with httpx2.Client(base_url=base, timeout=10) as http:
            gap = http.get("/skill-gap", params={"from": "29-1141.00", "to": "11-1011.00"})
            missing = http.get("/skill-gap", params={"from": "29-1141.00"})
            spec = http.get("/openapi.json")
            docs = http.get("/docs")

    assert gap.status_code == 200 and gap.json()["result"]["skill_gaps"]
    assert missing.status_code == 400 and missing.json() == {
        "success": False,
        "message": "query parameter 'to' is required",
    }
    assert "/skill-gap" in spec.json()["paths"]
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
