"""Shared parameter declarations, so every route documents code forms the same way."""

from __future__ import annotations

from fastapi import Path, Query

# Documented, not enforced by FastAPI: the library checks the form and says what it expects.
ONET_SOC_SCHEMA = {"pattern": r"^\d{2}-\d{4}\.\d{2}$"}


def soc_query(alias: str, meaning: str):
    return Query(alias=alias, description=f"{meaning}: O*NET-SOC code, NN-NNNN.NN",
                 examples=["29-1141.00"], json_schema_extra=ONET_SOC_SCHEMA)


def soc_path():
    return Path(description="O*NET-SOC code, NN-NNNN.NN", examples=["29-1141.00"], json_schema_extra=ONET_SOC_SCHEMA)
