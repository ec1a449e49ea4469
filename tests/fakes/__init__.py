"""Real HTTP servers on 127.0.0.1 that answer like the services JobForge talks to."""

from __future__ import annotations

import time
from typing import BinaryIO


def send_body(out: BinaryIO, payload: bytes, drip: float = 0.0) -> None:
    """Write the body whole, or with `drip` a byte at a time that many seconds apart (a server
    that never quite finishes), until the client stops reading."""
    step = 1 if drip else max(len(payload), 1)
    try:
        for start in range(0, len(payload), step):
            out.write(payload[start : start + step])
            out.flush()
            time.sleep(drip)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client stopped reading
