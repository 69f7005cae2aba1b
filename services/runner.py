"""Run one service under uvicorn, on the host and port its settings give."""

from __future__ import annotations

import importlib

import uvicorn

from shared.logging import configure_logging
from shared.settings import get_settings


def run(service: str) -> None:
    settings = get_settings()
    configure_logging(service)
    module = importlib.import_module(f"services.{service}.main")
    app = module.create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=getattr(settings, f"{service}_port"),
        log_config=None,
        timeout_graceful_shutdown=10,
    )
