"""Use cases of the notifier: accept matches, the inbox, the delivery log, the dispatcher."""
