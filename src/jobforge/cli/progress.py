"""A Rich progress bar per file, fed by the loader's progress events."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RichLoadProgress:
    """One bar per file; used as a context manager around a load."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<52}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> RichLoadProgress:
        self._progress.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._progress.stop()

    def file_started(self, file_name: str, rows: int) -> None:
        self._tasks[file_name] = self._progress.add_task(file_name, total=rows)

    def rows_done(self, file_name: str, rows: int) -> None:
        self._progress.advance(self._tasks[file_name], rows)

    def file_finished(self, file_name: str) -> None:
        task = self._tasks[file_name]
        self._progress.update(task, completed=self._progress.tasks[task].total)
