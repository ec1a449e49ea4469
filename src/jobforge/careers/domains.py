"""The rating domains a skill gap compares (plain data the CLI quotes without loading the rest)."""

from __future__ import annotations

from enum import StrEnum


class GapDomain(StrEnum):
    skills = "skills"
    knowledge = "knowledge"
    abilities = "abilities"
