"""JobForge: public occupational data as a provenance-carrying, queryable knowledge base."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jobforge")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
