"""The matcher's pure domain: the round aggregate, parameters, adjustments, per-kind rules."""
