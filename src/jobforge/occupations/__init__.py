"""Occupations of the loaded O*NET release: search, profiles with provenance, related occupations (`kb.occupations`, occupations.service)."""
