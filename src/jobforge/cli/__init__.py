"""The `jobforge` command: a thin Typer shell over jobforge.knowledge_base.KnowledgeBase."""

from jobforge.cli.main import app

__all__ = ["app"]
