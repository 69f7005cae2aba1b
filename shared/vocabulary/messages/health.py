"""Messages of the network's health: the API's errors and the coordinator's dashboard."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "health_period_invalid": {
        "fr": "Période invalide : du {start} au {end} (le début doit précéder la fin, "
        "et la période durer moins de {days} jours).",
        "en": "Invalid period: {start} to {end} (the start must come before the end, "
        "and the period last less than {days} days).",
    },
}
