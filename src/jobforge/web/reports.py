"""Reports written to a file (`jobforge coverage --html`): one page, its CSS inline, no script."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

from jobforge.enrich.coverage import CoverageReport
from jobforge.web.i18n import translator
from jobforge.web.render import ENVIRONMENT


def coverage_html(report: CoverageReport, lang: str = "en") -> str:
    css = (files("jobforge.web") / "static" / "style.css").read_text(encoding="utf-8")
    return ENVIRONMENT.get_template("coverage_report.html").render(
        report=report, lang=lang, t=translator(lang), css=css, generated=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
