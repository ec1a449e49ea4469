"""`python -m jobforge` is the `jobforge` command."""

from jobforge.cli import app

app(prog_name="jobforge")
