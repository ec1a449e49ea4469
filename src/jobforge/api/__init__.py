"""The HTTP API: a thin FastAPI shell over the library core (create_app)."""

from jobforge.api.app import create_app

__all__ = ["create_app"]
