"""Use cases of the matcher: rounds, their computation, the member projection."""
