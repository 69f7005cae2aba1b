"""HTTP routes of the matcher, one module per resource."""
