"""`kb.canada`: loading the Canadian publications and asking about them."""

from __future__ import annotations

import zipfile
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import Engine

from jobforge.canada import queries
from jobforge.canada.queries import CodeTitle, NocGroupView, NocMapping, NocProfile, SocMapping
from jobforge.sources.noc.crosswalk import Coverage, CrosswalkReport, load_crosswalk
from jobforge.sources.noc.loader import NocLoadReport, load_noc

BUNDLED_CANADA = "noc_2021_canada.zip"


class Canada:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load_noc(self, folder: Path) -> NocLoadReport:
        """Load NOC 2021 structure, OaSIS and COPS from a folder; see jobforge.sources.noc.loader."""
        return load_noc(self.engine, Path(folder))

    def load_crosswalk(self, path: Path) -> CrosswalkReport:
        """Load the NOC 2021 → O*NET-SOC crosswalk CSV; see jobforge.sources.noc.crosswalk."""
        return load_crosswalk(self.engine, Path(path))

    def load_bundled(self) -> tuple[NocLoadReport, CrosswalkReport]:
        """Load the bundled NOC 2021 / OaSIS 2023 / COPS files and the crosswalk (complete, 1 MB zipped)."""
        with as_file(files("jobforge.data") / BUNDLED_CANADA) as archive, TemporaryDirectory() as folder:
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(folder)
            return (
                self.load_noc(Path(folder) / "noc"),
                self.load_crosswalk(Path(folder) / "crosswalk" / "noc2021_onet26.csv"),
            )

    def group(self, code: str) -> NocGroupView:
        """A NOC group of any level: a broad category (2) down to a unit group (21232)."""
        return queries.noc_group(self.engine, code)

    def broad_categories(self) -> list[CodeTitle]:
        return queries.broad_categories(self.engine)

    def profile(
        self, code: str, sources: list[str] | None = None, min_confidence: float = 0.0, as_of: datetime | None = None
    ) -> NocProfile:
        return queries.noc_profile(self.engine, code, sources, min_confidence, as_of)

    def noc_to_soc(self, code: str) -> NocMapping:
        return queries.noc_to_soc(self.engine, code)

    def soc_to_noc(self, code: str) -> SocMapping:
        return queries.soc_to_noc(self.engine, code)

    def coverage(self) -> Coverage:
        return queries.crosswalk_coverage(self.engine)
