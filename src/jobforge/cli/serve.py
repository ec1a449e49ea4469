"""`jobforge serve`: the HTTP API under uvicorn."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated

import typer

from jobforge.cli.context import console, fail_cleanly, knowledge_base

if TYPE_CHECKING:
    from jobforge.knowledge_base import KnowledgeBase

Host = Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")]
Port = Annotated[int, typer.Option(help="TCP port.")]


def run_server(kb: KnowledgeBase, host: str, port: int, worker: bool = False) -> None:
    import threading

    import uvicorn

    from jobforge.api import create_app

    console.print(f"serving {kb.engine.url.render_as_string()} on http://{host}:{port}  (pages: /, API docs: /docs)")
    stop = threading.Event()
    if worker:  # the queue's jobs run beside the server; other workers may share the queue
        threading.Thread(
            target=kb.enrich.work, kwargs={"stop_when_idle": False, "stop": stop}, name="jobforge-worker", daemon=True
        ).start()
    try:
        uvicorn.run(
            create_app(kb, public=not _loopback(host)), host=host, port=port, log_level="warning", access_log=False
        )
    finally:
        stop.set()


@fail_cleanly
def serve(
    ctx: typer.Context,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    worker: Annotated[bool, typer.Option(help="Also run the job queue's jobs in this process.")] = False,
) -> None:
    """Serve the web pages and the HTTP API (OpenAPI at /docs and /openapi.json) over the database."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    run_server(kb, host, port, worker)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False
