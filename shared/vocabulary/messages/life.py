"""Messages of the life of a match: the codes of answers, check-ins and closings."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "decline.not_available": {"fr": "Je ne suis pas disponible", "en": "I am not available"},
    "decline.not_a_fit": {"fr": "Cela ne me correspond pas", "en": "It is not a good fit"},
    "decline.left": {
        "fr": "Je quitte l'entreprise ou le réseau",
        "en": "I am leaving the company or the network",
    },
    "decline.other": {"fr": "Autre raison", "en": "Another reason"},
    "fit.good": {"fr": "Ça se passe bien", "en": "A good fit"},
    "fit.unsure": {"fr": "Pas encore sûr·e", "en": "Not sure yet"},
    "fit.not_a_fit": {"fr": "Ça ne correspond pas", "en": "Not a fit"},
    "closing.completed": {"fr": "terminé", "en": "completed"},
    "closing.declined": {"fr": "refusé", "en": "declined"},
    "closing.unanswered": {"fr": "sans réponse", "en": "unanswered"},
    "closing.repaired": {"fr": "remplacé lors d'une réparation", "en": "replaced by a repair"},
    "closing.member_left": {"fr": "un membre est parti", "en": "a member left"},
    "closing.coordinator": {"fr": "clos par la coordination", "en": "closed by a coordinator"},
}
