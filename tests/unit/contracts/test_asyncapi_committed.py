"""The AsyncAPI documents committed under docs/asyncapi/ are the published contract."""

from __future__ import annotations

import json
from pathlib import Path

from deploy.local.cli import asyncapi_documents

DOCS = Path(__file__).resolve().parents[3] / "docs" / "asyncapi"


def test_committed_asyncapi_documents_match_what_the_services_generate() -> None:
    stale = []
    for service, generated in asyncapi_documents().items():
        committed = json.loads((DOCS / f"{service}.json").read_text())
        if committed != json.loads(json.dumps(generated)):
            stale.append(service)
    assert not stale, f"docs/asyncapi is stale for {stale}: run `entraide asyncapi`"


def test_every_service_documents_what_it_publishes() -> None:
    docs = asyncapi_documents()
    addresses = {
        service: {ch["address"] for ch in doc["channels"].values()}  # type: ignore[attr-defined]
        for service, doc in docs.items()
    }
    assert "entraide.member.registered" in addresses["profiles"]
    assert "entraide.match.mentoring_pair" in addresses["matcher"]
    assert "entraide.member.>" in addresses["matcher"]
    assert "entraide.match.>" in addresses["notifier"]
