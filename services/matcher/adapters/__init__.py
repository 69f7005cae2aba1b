"""Adapters of the matcher: tables, repositories, the unit of work, the round worker."""
