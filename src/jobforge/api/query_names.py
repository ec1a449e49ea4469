"""A query-string parameter no route takes is refused, naming it and the ones the route takes.

Most parameters here narrow what is trusted: `?source=onet` leaves out imputed values,
`?min_confidence=0.8` weak ones, `?as_of=` later ones. Ignored as FastAPI ignores unknown names, a
misspelling (`?sorce=onet`, `?min_confidance=0.8`) answers 200 with everything, and the caller
believes the filter held. The web pages are not checked: links into them carry tracking and
bookmark parameters that mean nothing to the page and harm nothing.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute

from jobforge.errors import InputError


async def known_query_names(request: Request) -> None:
    """Checked against the OpenAPI document (built once), which says what each route takes. A
    name given twice is refused too unless it takes a list: only its last value would count."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    operations = request.app.openapi()["paths"].get(route.path_format, {})
    operation = operations.get(request.method.lower()) or operations.get("get", {})  # HEAD is answered as GET
    takes = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "query"}
    unknown = sorted({name for name in request.query_params if name not in takes})
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        said = f"query parameters {names} are" if len(unknown) > 1 else f"query parameter {names} is"
        listed = f"takes {', '.join(sorted(takes))}" if takes else "takes no query parameter"
        raise InputError(f"{said} unknown here: {request.url.path} {listed}")
    for name, schema in takes.items():
        given = len(request.query_params.getlist(name))
        if given > 1 and not _is_list(schema):
            raise InputError(f"query parameter '{name}' is given {given} times; it takes one value")


def _is_list(schema: dict) -> bool:
    return schema.get("type") == "array" or any(option.get("type") == "array" for option in schema.get("anyOf", []))
