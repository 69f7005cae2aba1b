"""Use cases of the profiles service: members, CSV imports, the catalogue, exports."""
