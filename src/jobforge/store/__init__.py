"""The relational store: engine, tables, migrations and per-backend bulk loading."""
