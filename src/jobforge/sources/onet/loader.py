"""Loading an O*NET text release into the store: checked, all or nothing, release-aware.

One O*NET release is live at a time. Loading a different release (or the same release with any
file changed) replaces the O*NET rows in one transaction; the replaced run's load records stay
(status `superseded`) so every value ever served can still be traced to its release and file.
Older releases are not kept queryable side by side: O*NET re-surveys and re-codes occupations
between releases, so mixing them would answer "what are the skills of X" twice; history of
individual values belongs to the provenance engine. Loading the same files again is detected by
checksum and changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, exists, select

from jobforge.background import in_background
from jobforge.errors import ConflictError, InputError, MalformedRowError, ReleaseConflictError, ReleaseError
from jobforge.jobs.enqueue import enqueue_enrichment
from jobforge.provenance import loads
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source
from jobforge.provenance.tables import LoadFile
from jobforge.provenance.value_tables import ValueSource
from jobforge.provenance.write import apply_release
from jobforge.sources.onet import tables as t
from jobforge.sources.onet.confidence import confidences
from jobforge.sources.onet.layouts import FileLayout, data_tables, layouts_for, releases_with_header
from jobforge.sources.onet.parse import FileParser, decode_lines
from jobforge.sources.onet.release import README_FILE, Release
from jobforge.sources.onet.release_files import ReleaseFiles, open_release
from jobforge.sources.onet.report import FileReport, LoadReport
from jobforge.sources.onet.values import RELEASE_FILE, asserts_values, file_assertions
from jobforge.store.bulk import (
    PreparedBatch,
    deferred_indexes,
    prepare_batch,
    references_checked_by_loader,
    write_batch,
)
from jobforge.store.exclusive import exclusive

SOURCE = "onet"
ACTOR = "jobforge onet load"
BATCH_ROWS = 50_000


class LoadProgress(Protocol):
    def file_started(self, file_name: str, rows: int) -> None: ...
    def rows_done(self, file_name: str, rows: int) -> None: ...
    def file_finished(self, file_name: str) -> None: ...


class NoProgress:
    def file_started(self, file_name: str, rows: int) -> None: ...
    def rows_done(self, file_name: str, rows: int) -> None: ...
    def file_finished(self, file_name: str) -> None: ...


def load_release(
    engine: Engine,
    path: Path,
    *,
    release: str | None = None,
    allow_downgrade: bool = False,
    force: bool = False,
    allow_missing: Collection[str] = (),
    progress: LoadProgress | None = None,
    apply_values: bool = True,
) -> LoadReport:
    """Load the release at `path` (folder or zip). Raises an InputError and stores nothing when
    any file is malformed.

    `force` loads the files even when the live run has the same checksums (to re-apply them
    through the value write path). A file whose rows the live load holds must be in this load
    too, with data rows, unless `allow_missing` names it (see `_nothing_silently_removed`). `apply_values=False` loads the tables alone, without the
    value store: only the benchmark uses it, as the reference the write path is measured against.
    """
    started = time.perf_counter()
    source = open_release(path, release)
    checksums = {
        name: hashlib.sha256(content).hexdigest() for name, content in source.files.items() if name != README_FILE
    }
    with _collector_paused(), engine.connect() as connection:
        with references_checked_by_loader(connection), connection.begin(), exclusive(connection, "load"):
            report = _load(
                connection,
                source,
                checksums,
                _Options(allow_downgrade, force, frozenset(allow_missing), apply_values),
                progress or NoProgress(),
            )
            if report.status == "loaded":  # what the new release lacks gets enriched (kb.enrich), in this transaction
                enqueue_enrichment(connection, None, "release loaded")
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Options:
    allow_downgrade: bool
    force: bool
    allow_missing: frozenset[str]
    apply_values: bool


def _load(
    connection: Connection, source: ReleaseFiles, checksums: dict[str, str], options: _Options, progress: LoadProgress
) -> LoadReport:
    layouts = layouts_for(source.release)
    _check_allowed_missing(options.allow_missing, layouts, source.release)
    apply_values = options.apply_values
    live = loads.live_run(connection, SOURCE)
    if (
        live is not None
        and not options.force
        and _same_files(connection, live, source.release, checksums)
        and (_values_applied(connection) or not apply_values)
    ):
        return _unchanged_report(connection, live, source)
    if live is not None and Release.parse(live.release) > source.release and not options.allow_downgrade:
        raise ReleaseConflictError(
            f"release {live.release} is live; refusing to replace it with the older {source.release} "
            "(pass --allow-downgrade to do it anyway)"
        )
    report = LoadReport(
        str(source.release), source.origin, "loaded", replaced_release=live.release if live is not None else None
    )
    removed = _nothing_silently_removed(connection, live, source, layouts, options.allow_missing) if live else {}
    if live is not None:
        loads.retire(connection, live.id, data_tables())
        loads.supersede_all(connection, "onet_api")  # fetched rows went with the release they completed
    run_id = loads.start_run(connection, SOURCE, str(source.release), source.origin)
    present = [layout for layout in layouts if layout.file_name in source.files]
    file_ids = {
        layout.file_name: loads.record_file(connection, run_id, layout.file_name, checksums[layout.file_name])
        for layout in present
    }
    preparer = _BatchPreparer(connection.dialect.name, file_ids)
    started: dict[str, float] = {}
    stored: dict[str, int] = {}
    values: dict[str, list[Assertion]] = {}
    with deferred_indexes(connection, [table.__table__ for table in data_tables()], while_read=live is not None):
        events = preparer.events(present, source)
        # SQLite binds every row under the GIL, so a producer thread would only contend with it.
        for event in events if connection.dialect.name == "sqlite" else in_background(events):
            if isinstance(event, FileStarted):
                started[event.file_name] = time.perf_counter()
                stored[event.file_name] = 0
                progress.file_started(event.file_name, event.rows)
            elif isinstance(event, FileBatch):
                stored[event.file_name] += write_batch(connection, event.batch)
                values.setdefault(event.file_name, []).extend(event.values)
                progress.rows_done(event.file_name, event.batch.rows)
            else:
                seconds = time.perf_counter() - started[event.file_name]
                loads.update_file(
                    connection, file_ids[event.file_name], event.rows_read, stored[event.file_name], seconds
                )
                report.files[event.file_name] = FileReport(
                    "loaded", event.rows_read, stored[event.file_name], seconds, checksums[event.file_name]
                )
                progress.file_finished(event.file_name)
    if apply_values:
        report.values = apply_release(
            connection,
            Source(SourceKind.ONET, RELEASE_FILE, ACTOR, load_run_id=run_id, release=str(source.release)),
            values,
        )
    for name, rows in removed.items():
        report.files[name] = FileReport("removed", rows_removed=rows)
    for layout in layouts:
        report.files.setdefault(layout.file_name, FileReport("absent"))
    report.files = {layout.file_name: report.files[layout.file_name] for layout in layouts}
    known = {layout.file_name for layout in layouts} | {README_FILE}
    for name in sorted(set(source.files) - known):
        report.files[name] = FileReport("unknown", sha256=checksums[name])
    loads.finish_run(connection, run_id)
    return report


@dataclass(frozen=True)
class FileStarted:
    file_name: str
    rows: int


@dataclass(frozen=True)
class FileBatch:
    file_name: str
    batch: PreparedBatch
    values: list[Assertion]


@dataclass(frozen=True)
class FileParsed:
    file_name: str
    rows_read: int


class _BatchPreparer:
    """Parses, validates and prepares the files of one run in order, off the writing thread,
    remembering the keys that later files may refer to."""

    def __init__(self, backend: str, file_ids: dict[str, int]) -> None:
        self.backend = backend
        self.file_ids = file_ids
        self.known_keys: dict[str, set] = {}
        self.scale_ranges: dict[str, float] = {}

    def events(self, layouts: list[FileLayout], source: ReleaseFiles) -> Iterator[object]:
        for layout in layouts:
            yield from self._file_events(layout, source)

    def _file_events(self, layout: FileLayout, source: ReleaseFiles) -> Iterator[object]:
        lines = decode_lines(layout.file_name, source.files[layout.file_name])
        parser = FileParser(layout, self.known_keys)
        try:
            parser.check_header(lines[0])
        except MalformedRowError:
            laid_out_for = releases_with_header(layout.file_name, lines[0].split("\t"))
            if laid_out_for is None:
                raise
            raise ReleaseError(
                f"{source.origin}: {layout.file_name} has the layout of O*NET releases {laid_out_for}, but this is "
                f"loaded as release {source.release} (from {README_FILE} or --release): the release and its files "
                "disagree"
            ) from None
        data_lines = lines[1:]
        table = layout.table.__table__
        natural_key = _natural_key(layout)
        file_id = self.file_ids[layout.file_name]
        yield FileStarted(layout.file_name, len(data_lines))
        for batch in parser.batches(data_lines, BATCH_ROWS):
            count = len(batch)
            columns = batch.columns
            columns["confidence"] = confidences(layout.table, columns, count, self.scale_ranges)
            if natural_key:
                self.known_keys.setdefault(f"{table.name}.{natural_key}", set()).update(columns[natural_key])
            if layout.table is t.Scale:
                self._remember_scale_ranges(columns)
            constants = {**layout.fixed, "source_kind": SourceKind.ONET.value, "load_file_id": file_id}
            values = (
                list(file_assertions(layout, columns, columns["confidence"], batch.first_line))
                if asserts_values(layout)
                else []
            )
            yield FileBatch(layout.file_name, prepare_batch(self.backend, table, columns, constants), values)
        yield FileParsed(layout.file_name, len(data_lines))

    def _remember_scale_ranges(self, columns: dict[str, list]) -> None:
        for scale, low, high in zip(columns["scale_id"], columns["minimum"], columns["maximum"]):
            self.scale_ranges[scale] = float(high - low)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a load allocates millions of short-lived strings and
    lists that hold no cycles, and collection passes over them cost a third of the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _natural_key(layout: FileLayout) -> str | None:
    key = layout.table.__table__.primary_key.columns
    if len(key) == 1 and next(iter(key)).name != "id":
        return next(iter(key)).name
    return None


def _check_allowed_missing(allowed: frozenset[str], layouts: list[FileLayout], release: Release) -> None:
    unknown = sorted(allowed - {layout.file_name for layout in layouts})
    if unknown:
        raise InputError(f"--allow-missing {', '.join(unknown)}: no such file in an O*NET {release} release")


def _nothing_silently_removed(
    connection: Connection, live, source: ReleaseFiles, layouts: list[FileLayout], allowed: frozenset[str]
) -> dict[str, int]:
    """The files whose rows this load would remove: ones the live load stored rows from that this
    load lacks or has no data rows in (absent, header-only, a folder in its place). Only
    those `allowed` may go (returned with their row counts); any other is an error naming them all,
    before anything is written. A release file never has no rows, so a file without them is a
    partial copy, not news."""
    held = dict(
        connection.execute(
            select(LoadFile.file_name, LoadFile.rows_stored).where(
                LoadFile.load_run_id == live.id, LoadFile.status == "loaded", LoadFile.rows_stored > 0
            )
        ).all()
    )
    missing = {
        layout.file_name: held[layout.file_name]
        for layout in layouts
        if layout.file_name in held and _lacks_rows(source.files.get(layout.file_name))
    }
    refused = {name: rows for name, rows in missing.items() if name not in allowed}
    if refused:
        listed = "; ".join(f"{name} ({rows:,} rows)" for name, rows in sorted(refused.items()))
        raise ConflictError(
            f"{source.origin}: the live O*NET {live.release} load holds rows from files this one lacks or has "
            f"no data rows in (missing, header-only or not a file): {listed}. Loading would remove them; "
            f"restore the files, or pass --allow-missing {' --allow-missing '.join(sorted(refused))} to remove them"
        )
    return missing


def _lacks_rows(content: bytes | None) -> bool:
    """Absent, or a header and nothing under it (an empty file is the parser's to refuse: it has no header)."""
    if content is None:
        return True
    header, _, rest = content.partition(b"\n")
    return bool(header.strip()) and not rest.strip()


def _same_files(connection: Connection, live, release: Release, checksums: dict[str, str]) -> bool:
    if live.release != str(release):
        return False
    stored = loads.live_checksums(connection, live.id)
    known = {name for name in checksums if name in {layout.file_name for layout in layouts_for(release)}}
    return stored == {name: checksums[name] for name in known}


def _values_applied(connection: Connection) -> bool:
    """Whether a release was ever put through the value store (a database created before the
    store existed has the release tables but not their values: loading again fills them in)."""
    return connection.scalar(select(exists().where(ValueSource.method == RELEASE_FILE)))


def _unchanged_report(connection: Connection, live, source: ReleaseFiles) -> LoadReport:
    report = LoadReport(str(source.release), source.origin, "unchanged")
    for name, rows_read, rows_stored, sha256 in connection.execute(
        select(LoadFile.file_name, LoadFile.rows_read, LoadFile.rows_stored, LoadFile.sha256)
        .where(LoadFile.load_run_id == live.id)
        .order_by(LoadFile.id)
    ):
        report.files[name] = FileReport("unchanged", rows_read, rows_stored, 0.0, sha256)
    for layout in layouts_for(source.release):
        report.files.setdefault(layout.file_name, FileReport("absent"))
    return report
