"""Imputation: estimates for ratings no source provides, each with a confidence and a rationale (`kb.impute`)."""
