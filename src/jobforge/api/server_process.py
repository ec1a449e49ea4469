"""Starting `jobforge serve` as a child process on a free local port, for tests and benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(
    database_url: str, timeout: float = 30.0, options: tuple[str, ...] = ()
) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """Yield (base URL, process, seconds until /health answered) of a server over `database_url`,
    started with `jobforge serve` `options`."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "jobforge", "--db", database_url, "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}: {process.stdout.read()}")
            try:
                if httpx2.get(f"{base}/health", timeout=1.0).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"server on {base} did not answer /health within {timeout} s")
            time.sleep(0.05)
        yield base, process, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
