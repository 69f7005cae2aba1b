"""The portal's /metrics: its pages timed by route template, static files under their mount."""

from __future__ import annotations

from typing import Any

from services.portal.main import create_app
from tests.support import running, sample, scrape

COUNT = "entraide_http_request_duration_seconds_count"


async def test_pages_and_static_files_are_timed_by_route_not_by_path(tmp_path: Any) -> None:
    from shared.settings import Settings

    app = create_app(Settings(env="test", data_dir=tmp_path))
    async with running(app) as portal:
        assert (await portal.get("/connexion")).status_code == 200
        assert (await portal.get("/static/portal.css")).status_code == 200
        assert (await portal.get("/static/nothing-here.css")).status_code == 404
        samples = await scrape(portal)
    assert sample(samples, COUNT, route="/connexion", method="GET", status="200") == 1
    assert sample(samples, COUNT, route="/static/{path}", method="GET", status="200") == 1
    assert sample(samples, COUNT, route="/static/{path}", method="GET", status="404") == 1
    assert not any("portal.css" in dict(labels).get("route", "") for _, labels in samples)
