"""The version of what readers are served, for whoever keeps answers between requests.

It changes whenever a served value or an O*NET table can change: a run putting a release or an
on-demand fetch in place is the only writer of the O*NET tables; every value written has a new
source record; every change of a served value that writes no value (a withdrawal) records an
override event. One indexed maximum each, so checking it costs a round trip, not a read.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from jobforge.provenance.tables import LoadRun
from jobforge.provenance.value_tables import OverrideEvent, ValueSource

_LIVE_RUN = select(func.max(LoadRun.id)).where(LoadRun.source.in_(("onet", "onet_api")), LoadRun.status == "live")
_VERSION = select(
    _LIVE_RUN.scalar_subquery(),
    select(func.max(ValueSource.id)).scalar_subquery(),
    select(func.max(OverrideEvent.id)).scalar_subquery(),
)


def data_version(connection: Connection) -> tuple:
    return tuple(connection.execute(_VERSION).one())
