"""Every error JobForge raises on purpose, in one tree, so callers can catch by meaning.

    JobForgeError
    ├── InputError                 bad input from a file, page or request: says where
    │   ├── SourceFileError        a whole source is unusable (missing, unreadable, truncated zip)
    │   ├── MalformedRowError      one row breaks the layout: file, line, column and why
    │   └── InvalidCodeError       a code that is not of its system's form (NN-NNNN.NN, NNNNN)
    ├── NotFoundError              a well-formed code or record that the loaded data lacks
    ├── ReleaseError               the release cannot be identified, or is older than the live one
    └── ConfigurationError         a setting is missing or wrong: says which one to set

Input errors are terminal: retrying the same input gives the same answer, so they name the
place to fix instead. Nothing is written when one is raised during a load (loads are one
transaction).
"""

from __future__ import annotations


class JobForgeError(Exception):
    """Base of every error JobForge raises deliberately."""


class InputError(JobForgeError):
    """The input itself is wrong; the message says where."""


class SourceFileError(InputError):
    """A source file or archive as a whole cannot be read."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class MalformedRowError(InputError):
    """A row (or the header, line 1) does not match the expected layout."""

    def __init__(self, file: str, line: int, column: str | None, problem: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        where = f"{file}, line {line}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {problem}")


class InvalidCodeError(InputError):
    """A code does not have the form of its classification system."""


class NotFoundError(JobForgeError):
    """The request is well formed but the loaded data has no such thing."""


class ReleaseError(JobForgeError):
    """The release of a source cannot be determined or must not replace the live one."""


class ConfigurationError(JobForgeError):
    """A setting is missing or invalid."""
