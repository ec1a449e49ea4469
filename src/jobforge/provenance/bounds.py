"""What a value written by hand may be: a text for a title or description and a number for the
rest, a rating inside its scale, a job zone one of O*NET's five,
a text neither blank nor longer than MAX_TEXT characters; and what any source may say of itself:
descriptions that fit their columns, a prompt hash that is a SHA-256.

Checked wherever a person writes a value (a role's override, `jobforge provenance set`), because
a 99 on a 0–7 scale would otherwise be served as the best-sourced value and skew every profile
and skill gap that reads it. Loaders check their own files. A source is checked on every write:
PostgreSQL and MariaDB refuse a description longer than its column, which SQLite would keep. The scales are read by name because
the O*NET tables sit above this package.
"""

from __future__ import annotations

import re
from typing import cast

from sqlalchemy import Connection, String, column, select, table

from jobforge.errors import InputError
from jobforge.provenance.attributes import TEXT_ATTRIBUTES, AttributeKey
from jobforge.provenance.statements import Source
from jobforge.provenance.value_tables import ValueSource

JOB_ZONES = (1.0, 2.0, 3.0, 4.0, 5.0)
MAX_TEXT = 20_000
_SHA256 = re.compile("[0-9a-fA-F]{64}")
_SCALES = table("scale", column("scale_id"), column("minimum"), column("maximum"))


def check_value(connection: Connection, attribute: str, value: float | str, where: str) -> None:
    """InputError naming `where` when the value lies outside what the attribute can hold."""
    if isinstance(value, str) and (not value.strip() or len(value) > MAX_TEXT):
        raise InputError(f"{where}: a text value must be 1 to {MAX_TEXT:,} characters, not blank")
    if (attribute in TEXT_ATTRIBUTES) != isinstance(value, str):  # a title of 5, a rating of "high"
        raise InputError(
            f"{where}: {attribute} takes {'a text' if attribute in TEXT_ATTRIBUTES else 'a number'}, not {value!r}"
        )
    if attribute == "job_zone":
        if value not in JOB_ZONES:
            raise InputError(f"{where}: job_zone is one of 1, 2, 3, 4, 5, not {value!r}")
        return
    key = AttributeKey.parse(attribute)
    if key.scale is None or key.category is not None:
        return
    bounds = connection.execute(
        select(_SCALES.c.minimum, _SCALES.c.maximum).where(_SCALES.c.scale_id == key.scale)
    ).first()
    if bounds is None:
        return
    if not bounds.minimum <= cast(float, value) <= bounds.maximum:
        raise InputError(f"{where}: {attribute} is a rating on {bounds.minimum}–{bounds.maximum}, not {value!r}")


def check_source(source: Source) -> None:
    """InputError unless the source's descriptions fit their columns (PostgreSQL and MariaDB refuse
    a longer one that SQLite would keep) and its prompt hash is a SHA-256."""
    for name in ("method", "actor", "release", "file_name", "url", "model"):
        text, limit = getattr(source, name), cast(String, ValueSource.__table__.c[name].type).length
        if text is not None and limit is not None and len(text) > limit:
            raise InputError(f"the source's {name.replace('_', ' ')} is {len(text):,} characters; at most {limit}")
    if source.prompt_hash is not None and not _SHA256.fullmatch(source.prompt_hash):
        raise InputError(
            f"the source's prompt hash {source.prompt_hash[:80]!r} is not a SHA-256 (64 hexadecimal digits)"
        )
