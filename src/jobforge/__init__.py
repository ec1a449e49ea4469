"""JobForge: public occupational data as a provenance-carrying, queryable knowledge base.

The public surface is re-exported here and imported on first use (PEP 562), so importing one
small module (`jobforge.errors`) does not load the database layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobforge.config import Settings
    from jobforge.errors import ErrorKind, JobForgeError
    from jobforge.knowledge_base import KnowledgeBase
    from jobforge.provenance.read import StoredValue, ValueFilter
    from jobforge.provenance.sources import SourceKind

_PUBLIC = {
    "KnowledgeBase": "jobforge.knowledge_base",
    "Settings": "jobforge.config",
    "ValueFilter": "jobforge.provenance.read",
    "StoredValue": "jobforge.provenance.read",
    "SourceKind": "jobforge.provenance.sources",
    "JobForgeError": "jobforge.errors",
    "ErrorKind": "jobforge.errors",
}
__all__ = [
    "ErrorKind",
    "JobForgeError",
    "KnowledgeBase",
    "Settings",
    "SourceKind",
    "StoredValue",
    "ValueFilter",
    "__version__",
]


def __getattr__(name: str):
    if name == "__version__":  # importlib.metadata costs 35 ms: paid only by who asks
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("jobforge")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0.0.0+unknown"
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
