"""The Canadian side as loaded: NOC groups, the NOC↔O*NET-SOC crosswalk, NOC profiles (`kb.canada`, canada.service)."""
