"""Every error JobForge raises on purpose, in one tree, so callers can catch by meaning.

    JobForgeError
    ├── InputError                 bad input from a file, page or request: says where
    │   ├── SourceFileError        a whole source is unusable (missing, unreadable, truncated zip)
    │   ├── MalformedRowError      one row breaks the layout: file, line, column and why
    │   ├── InvalidCodeError       a code that is not of its system's form (NN-NNNN.NN, NNNNN)
    │   ├── UnusableTitleError     a job title with nothing to classify: its position in the batch
    │   ├── MalformedResponseError a remote answer that is not what its API documents: URL and why
    │   ├── PageStructureError     a scraped page breaks an explicit expectation: page and expectation
    │   └── ReleaseError           the release cannot be identified from what was given
    ├── NotFoundError              a well-formed code or record that the loaded data lacks
    ├── ConflictError              the request contradicts the stored state (ReleaseConflictError:
    │                              a release older than the live one)
    ├── SourceUnavailableError     transient: a remote source failed in a way a retry may fix
    │                              (429, 5xx, timeout); carries Retry-After when the server sent one
    ├── RateLimitedError           this client asked more often than the server allows: Retry-After
    ├── DatabaseUnavailableError   the database cannot be reached or opened (the URL named, no password)
    ├── DeadlineExceededError      a request's work did not finish within its deadline: ask for less
    └── ConfigurationError         a setting is missing or wrong: says which one to set
        └── ApiKeyRejectedError    the remote API refused the key (401/403): fix the key, not retry

Each class carries its `kind` (ErrorKind): what it means to a caller, and so the HTTP status and
the CLI exit code every shell answers with (the table is in the README). Input errors are
terminal: retrying the same input gives the same answer, so they name the place to fix instead.
Nothing is written when one is raised during a load (loads are one transaction).
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar


class ErrorKind(Enum):
    """What an error means to a caller: (HTTP status, CLI exit code)."""

    BAD_INPUT = (400, 2)  # fix the input (2 is also what a CLI usage error exits with)
    NOT_FOUND = (404, 3)  # load the data, or ask for something that exists
    CONFLICT = (409, 4)  # the stored state forbids it as asked (an override flag may allow it)
    UNAVAILABLE = (503, 5)  # transient: try again later (Retry-After says when, if known)
    BAD_UPSTREAM = (502, 6)  # a remote source refused our key or answered outside its contract
    MISCONFIGURED = (500, 7)  # a setting is missing or wrong
    RATE_LIMITED = (429, 8)  # slow down: Retry-After says when (the API's own per-client limits)
    UNAUTHENTICATED = (401, 9)  # send a valid token (the API's own; the CLI never needs one)
    FORBIDDEN = (403, 10)  # the token's access level does not allow this
    UNEXPECTED = (500, 1)  # a bug: not raised on purpose

    @property
    def http_status(self) -> int:
        return self.value[0]

    @property
    def exit_code(self) -> int:
        return self.value[1]


class JobForgeError(Exception):
    """Base of every error JobForge raises deliberately."""

    kind: ClassVar[ErrorKind] = ErrorKind.UNEXPECTED
    retry_after: float | None = None

    def reworded(self, context: str) -> JobForgeError:
        """The same error (same class, same meaning) with `context` before its message."""
        self.args = (f"{context}: {self}",)
        return self


def error_kind(error: BaseException) -> ErrorKind:
    return error.kind if isinstance(error, JobForgeError) else ErrorKind.UNEXPECTED


class InputError(JobForgeError):
    """The input itself is wrong; the message says where."""

    kind = ErrorKind.BAD_INPUT


class SourceFileError(InputError):
    """A source file or archive as a whole cannot be read."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class OutputFileError(InputError):
    """A file or folder the user asked to write to cannot be written (a missing folder, a file
    where a folder should be, no permission, a full disk)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: cannot be written ({problem})")


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


class UnusableTitleError(InputError):
    """A job title of a batch has no letters or digits; `position` counts from 1."""

    def __init__(self, position: int, title: str) -> None:
        self.position = position
        self.title = title
        super().__init__(f"title {position} ({title!r}) has no letters or digits to classify")


class MalformedResponseError(InputError):
    """A remote API answered with something it does not document (the fault is upstream: 502)."""

    kind = ErrorKind.BAD_UPSTREAM

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        super().__init__(f"{url}: {problem}")


class PageStructureError(InputError):
    """A page does not have the structure JobForge expects of it (the site changed, or broke)."""

    kind = ErrorKind.BAD_UPSTREAM

    def __init__(self, url: str, expectation: str) -> None:
        self.url = url
        self.expectation = expectation
        super().__init__(f"{url}: {expectation}")


class ReleaseError(InputError):
    """The release of a source cannot be determined from the files and options given."""


class NotFoundError(JobForgeError):
    """The request is well formed but the loaded data has no such thing."""

    kind = ErrorKind.NOT_FOUND


class ConflictError(JobForgeError):
    """The request is well formed but the stored state forbids it as asked."""

    kind = ErrorKind.CONFLICT


class ReleaseConflictError(ReleaseError, ConflictError):
    """A release must not replace the live one (it is older): an option says so explicitly."""

    kind = ErrorKind.CONFLICT


class SourceUnavailableError(JobForgeError):
    """Transient: the remote source failed in a way that a later attempt may not."""

    kind = ErrorKind.UNAVAILABLE

    def __init__(self, url: str, problem: str, retry_after: float | None = None) -> None:
        self.url = url
        self.retry_after = retry_after
        super().__init__(f"{url}: {problem}")


class DatabaseUnavailableError(JobForgeError):
    """The database is out of reach: refused, unknown host, wrong credentials, unopenable file."""

    kind = ErrorKind.UNAVAILABLE


class DatabaseFullError(JobForgeError):
    """The database has no room left: its disk, or its quota, is full. Nothing is wrong with the
    command or its input; the same command succeeds once there is space."""

    kind = ErrorKind.UNAVAILABLE


class DeadlineExceededError(JobForgeError):
    """A request's work ran past its deadline (the server was busy, or the request too large)."""

    kind = ErrorKind.UNAVAILABLE


class RateLimitedError(JobForgeError):
    """The caller exceeded a per-client rate limit; `retry_after` seconds until a request may pass."""

    kind = ErrorKind.RATE_LIMITED

    def __init__(self, message: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class SpendingCapError(JobForgeError):
    """A run reached the LLM spending cap it was given: a later run can go on from there."""

    kind = ErrorKind.UNAVAILABLE


class ConfigurationError(JobForgeError):
    """A setting is missing or invalid."""

    kind = ErrorKind.MISCONFIGURED


class ApiKeyRejectedError(ConfigurationError):
    """The API refused the key; retrying cannot help."""

    kind = ErrorKind.BAD_UPSTREAM


class UnauthenticatedError(JobForgeError):
    """A request that needs a token came without a valid one (absent, unknown or revoked)."""

    kind = ErrorKind.UNAUTHENTICATED


class ForbiddenError(JobForgeError):
    """The caller is known but its access level does not allow the operation."""

    kind = ErrorKind.FORBIDDEN
