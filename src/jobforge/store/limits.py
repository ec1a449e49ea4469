"""Bounds the database sets on what a caller may name, kept free of imports so the CLI's
`--help` stays light."""

# The largest id an INTEGER column holds on PostgreSQL and MariaDB: an id, limit or offset past it
# went to SQL as given and the driver raised (OverflowError on SQLite) instead of finding nothing.
MAX_ROW_ID = 2_147_483_647
