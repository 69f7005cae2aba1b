"""HTTP routes of the notifier, one module per resource."""
