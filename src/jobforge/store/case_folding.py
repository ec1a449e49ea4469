"""Lower case of every letter, on every backend.

SQLite's lower() changes the ASCII letters only, so a role titled "Économiste" was not found by
"économiste" there, while PostgreSQL and MariaDB lower every letter. `lowered(column)` is lower()
on those two and, on SQLite, a function each connection is given (`give_sqlite_connection`) that
lowers as Python does. Kept to the texts people write in either language (roles); the occupation
search reads English titles with the built-in, which is faster.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

_SQLITE_NAME = "jobforge_lower"


class lowered(FunctionElement):
    type = String()
    inherit_cache = True


@compiles(lowered)
def _lower(element: lowered, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(lowered, "sqlite")
def _lower_on_sqlite(element: lowered, compiler: Any, **kw: Any) -> str:
    return f"{_SQLITE_NAME}({compiler.process(element.clauses, **kw)})"


def give_sqlite_connection(dbapi_connection: Any) -> None:
    dbapi_connection.create_function(_SQLITE_NAME, 1, _python_lower, deterministic=True)


def _python_lower(text: object) -> object:
    return text.lower() if isinstance(text, str) else text
