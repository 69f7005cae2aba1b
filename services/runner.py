"""Run one service under uvicorn, on the host its settings give and the port it names."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shared.logging import configure_logging
from shared.settings import Settings, get_settings


def run(
    service: str,
    create_app: Callable[[Settings], FastAPI],
    port: Callable[[Settings], int],
) -> None:
    """Serve ``create_app(settings)`` as ``service`` on ``port(settings)``."""
    settings = get_settings()
    configure_logging(service, settings)
    app = create_app(settings)
    app.state.settle_heap = True  # gc.freeze() once started (shared.web.settle_heap)
    uvicorn.run(
        app,
        host=settings.host,
        port=port(settings),
        log_config=None,
        timeout_graceful_shutdown=10,
    )
