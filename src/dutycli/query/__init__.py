"""Queries over the store: search, check, decided tasks, resolution, citations, diffs."""
