"""Extraction: document identity, facts from prose and tables, performance indicators."""
