"""A message claimed just before an erasure was recorded does not name the erased
member either (issue 10, item 7): the dispatcher over a real store, with fakes for
profiles (which, like a cached lookup, still knows the name) and the broker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.notifier.adapters import erasure_repository, repository
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.domain.model import Contact
from services.notifier.domain.recipients import recipients
from services.notifier.main import MIGRATIONS
from services.notifier.service_layer.dispatcher import Dispatcher
from services.notifier.service_layer.inbox import inbox
from shared.db import make_engine
from shared.events import Explanation, MentoringPairMatched
from shared.migrations import upgrade
from shared.pagination import PageRequest
from shared.vocabulary import Language


class StaleProfiles:
    async def get(self, member_id: str) -> Contact | None:
        names = {"gone": "Léa Effacée", "stays": "Marc Mentor"}
        return Contact(member_id, names[member_id], f"{member_id}@example.com", channels=("inapp",))

    async def get_many(self, member_ids: Iterable[str]) -> dict[str, Contact | None]:
        return {m: await self.get(m) for m in member_ids}


class Labels:
    def label(self, code: str, language: Language) -> str:
        return code

    async def refresh(self, force: bool = False) -> None:
        return None


async def _nothing(*_: object) -> None:
    return None


async def test_a_message_read_before_the_erasure_was_recorded_is_sent_without_the_name(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notifier.db'}")
    upgrade(engine, MIGRATIONS)
    event = MentoringPairMatched(
        producer="matcher", match_id="m1", round_id="r1", mentor_id="stays", mentee_id="gone",
        explanation=Explanation(),
    )  # fmt: skip
    payload = event.model_dump(mode="json")
    now = datetime.now(UTC)
    repository.accept(engine, payload, recipients(payload), now, timedelta(0))
    # Recorded after the rows were accepted, rewritten nothing (as if they were claimed).
    erasure_repository.apply(engine, "gone", now + timedelta(seconds=1), [])
    dispatcher = Dispatcher(
        engine, DispatcherOptions(workers=1), StaleProfiles(), Labels(),
        {"email": None, "chat": None}, _nothing, _nothing, max_attempts=3, retry_base_s=0.1,
    )  # fmt: skip
    try:
        assert await dispatcher.scan() > 0
    finally:
        dispatcher.close()
    entries = inbox(engine, "stays", PageRequest(limit=10, offset=0)).items
    assert len(entries) == 1 and entries[0].body
    assert "Léa" not in entries[0].body and "(membre retiré)" in entries[0].body
