"""Treasury Board Secretariat occupational groups: polite bilingual scraping, loud structural checks, versions."""
