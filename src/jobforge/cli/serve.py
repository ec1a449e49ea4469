"""`jobforge serve`: the HTTP API under uvicorn."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.errors import InputError

if TYPE_CHECKING:
    from jobforge.knowledge_base import KnowledgeBase

Host = Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")]
Port = Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free port, printed).")]


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything slow is done: a port in use is then said at once,
    as bad input naming it, rather than by uvicorn after the quickstart's load, with an exit code
    that means "not found" here."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        bound = socket.socket(family, kind, protocol)
    except OSError as error:
        raise InputError(f"--host {host}: cannot listen there ({error.strerror or error})") from None
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart may follow a stop
        bound.bind(address)
    except OSError as error:
        bound.close()
        raise InputError(
            f"cannot listen on {host}:{port} ({error.strerror or error}): another --port or --host is needed"
        ) from None
    return bound


def run_server(kb: KnowledgeBase, bound: socket.socket, worker: bool = False) -> None:
    import threading

    import uvicorn

    from jobforge.api import create_app

    host, port = bound.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    console.print(f"serving {kb.engine.url.render_as_string()} on http://{shown}:{port}  (pages: /, API docs: /docs)")
    stop = threading.Event()
    if worker:  # the queue's jobs run beside the server; other workers may share the queue
        threading.Thread(
            target=kb.enrich.work, kwargs={"stop_when_idle": False, "stop": stop}, name="jobforge-worker", daemon=True
        ).start()
    config = uvicorn.Config(create_app(kb, public=not _loopback(host)), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    try:
        with bound:
            server.run(sockets=[bound])
    finally:
        stop.set()
    if not server.started:  # the application's start failed; uvicorn has logged why
        raise typer.Exit(1)


@fail_cleanly
def serve(
    ctx: typer.Context,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    worker: Annotated[bool, typer.Option(help="Also run the job queue's jobs in this process.")] = False,
) -> None:
    """Serve the web pages and the HTTP API (OpenAPI at /docs and /openapi.json) over the database."""
    bound = listening_socket(host, port)
    kb = knowledge_base(ctx)
    kb.upgrade()
    run_server(kb, bound, worker)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False
