"""Helpers the thin pages share: store access, cached reads, ecomap, tables, export and suppression."""
