"""Occupations of the loaded O*NET release: search, profiles with provenance, related occupations."""

from jobforge.occupations.service import Occupations

__all__ = ["Occupations"]
