"""Career questions over the rating profiles: the skill gap between two occupations, transitions (`kb.careers`, careers.service)."""
