"""The three services. Each package ``services/<name>`` starts with the same two names:

* ``SERVICE``, its one name (broker client, dead-letter subject, event producer, logs,
  service token), passed down from there instead of repeating the literal;
* ``port(settings)``, the setting that gives its HTTP port (used by ``python -m
  services.<name>`` and by the local stack).
"""
