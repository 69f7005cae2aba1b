"""Messages of the minimal-change repair of a published round (the coordinator's page)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "portal.repair_title": {"fr": "Réparer le tour", "en": "Repair the round"},
    "portal.repair_action": {"fr": "Réparer le tour", "en": "Repair the round"},
    "portal.repair_help": {
        "fr": "Chaque mise en relation sans les personnes parties est gardée telle quelle ; "
        "seules les personnes dont la mise en relation change reçoivent un nouveau message.",
        "en": "Every match without the people who left is kept as it is; only the people "
        "whose match changes get a new message.",
    },
    "portal.repair_departures": {
        "fr": "Personnes qui ont refusé ou quitté le tour",
        "en": "People who declined or left the round",
    },
    "portal.repair_pending": {"fr": "à réparer", "en": "to repair"},
    "portal.repair_departed_label": {
        "fr": "Identifiants des personnes parties",
        "en": "Ids of the people who left",
    },
    "portal.repair_departed_help": {
        "fr": "Séparés par des virgules ou des retours à la ligne ; les départs déjà "
        "enregistrés ci-dessus sont pris en compte d'office.",
        "en": "Separated by commas or new lines; the departures recorded above are "
        "always taken into account.",
    },
    "portal.repair_reason_label": {"fr": "Motif", "en": "Reason"},
    "portal.repair_reason_declined": {"fr": "a refusé", "en": "declined"},
    "portal.repair_reason_deactivated": {"fr": "a quitté l'entreprise", "en": "left the company"},
    "portal.repair_reason_erased": {"fr": "données effacées", "en": "data erased"},
    "portal.repair_reason_coordinator": {"fr": "choix de la coordination", "en": "coordinator"},
    "portal.repair_reason_unanswered": {
        "fr": "sans réponse au délai",
        "en": "no answer by the deadline",
    },
    "portal.repair_reason_invalid": {"fr": "Motif inconnu.", "en": "Unknown reason."},
    "portal.repair_held_label": {
        "fr": "Rotations déjà tenues (gardées telles quelles)",
        "en": "Rotations already held (kept as they were)",
    },
    "portal.repair_held_invalid": {
        "fr": "Indiquez un nombre entier de rotations.",
        "en": "Give a whole number of rotations.",
    },
    "portal.repair_done": {"fr": "Tour réparé", "en": "Round repaired"},
    "portal.repair_revision": {"fr": "Réparation n° {n}", "en": "Repair no. {n}"},
    "portal.repair_changed": {
        "fr": {
            "one": "{n} personne voit sa mise en relation changer :",
            "other": "{n} personnes voient leur mise en relation changer :",
        },
        "en": {
            "one": "{n} person's match changed:",
            "other": "{n} people's matches changed:",
        },
    },
    "portal.repair_before": {"fr": "Avant", "en": "Before"},
    "portal.repair_after": {"fr": "Après", "en": "After"},
    "portal.repair_history": {"fr": "Réparations précédentes", "en": "Earlier repairs"},
    "portal.repair_policy_on": {
        "fr": "Réparation automatique : activée pour ce tour.",
        "en": "Automatic repair: on for this round.",
    },
    "portal.repair_policy_off": {
        "fr": "Réparation automatique : désactivée ; les départs attendent votre réparation.",
        "en": "Automatic repair: off; departures wait for your repair.",
    },
    "portal.repair_back": {"fr": "Retour au tour", "en": "Back to the round"},
}
