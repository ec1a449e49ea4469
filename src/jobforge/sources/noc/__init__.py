"""Canada's side: NOC 2021 structure (StatCan), OaSIS (ESDC), COPS projections, the NOC↔O*NET crosswalk."""
