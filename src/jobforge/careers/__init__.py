"""Career questions over the rating profiles: the skill gap between two occupations, transitions."""

from jobforge.careers.service import Careers

__all__ = ["Careers"]
