"""Column types whose behaviour must not differ between SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeDecorator

# TEXT holds 64 KB on MariaDB; API bodies and disposal records can be larger.
LONG_TEXT = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


class UtcDateTime(TypeDecorator):
    """A moment in UTC, to the microsecond, returned timezone-aware on every backend.

    Value history is ordered and queried by time (`as_of=`), so two writes in the same second
    must stay distinct: MariaDB's plain DATETIME drops the microseconds, and SQLite and MariaDB
    hand back naive datetimes where PostgreSQL hands back aware ones.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: JobForge stores moments in UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name != "postgresql" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
