"""Enrichment: how complete the data is (coverage.py), and filling what is missing, in order,
through the durable job queue (service.py: `kb.enrich`)."""
