"""Pure rules of the profiles service (no framework imports)."""
