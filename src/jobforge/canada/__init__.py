"""The Canadian side as loaded: NOC groups, the NOC↔O*NET-SOC crosswalk, NOC profiles."""

from jobforge.canada.service import Canada

__all__ = ["Canada"]
