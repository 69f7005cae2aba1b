"""The events of a simulation (``entraide demo``'s months of history) tell nobody."""

from __future__ import annotations

from services.notifier.service_layer.matches import is_told
from shared.events import SIMULATION_PRODUCER, MentoringPairMatched


def test_an_announcement_of_a_simulated_past_tells_nobody() -> None:
    pair = MentoringPairMatched(producer="matcher", match_id="p", round_id="r",
                                mentor_id="a", mentee_id="b")  # fmt: skip
    assert is_told(pair.model_dump(mode="json"))
    simulated = pair.model_copy(update={"producer": SIMULATION_PRODUCER})
    assert not is_told(simulated.model_dump(mode="json"))
