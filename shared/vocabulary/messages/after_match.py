"""Messages of the pages after a round's announcement (issue 12): who is in « Ma
proposition », the coordinators' survey results and their closing of a match."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    # « Ma proposition »: the other people of the match.
    "portal.partners_title": {"fr": "Avec qui", "en": "Who with"},
    "portal.partner_role_mentor": {"fr": "mentor", "en": "mentor"},
    "portal.partner_role_mentee": {"fr": "mentoré·e", "en": "mentee"},
    "portal.partner_role_facilitator": {"fr": "animateur·rice", "en": "facilitator"},
    "portal.partner_site": {"fr": "Site : {site}", "en": "Site: {site}"},
    "portal.partner_function": {"fr": "Fonction : {function}", "en": "Function: {function}"},
    "portal.partners_unavailable": {
        "fr": "Les noms des personnes sont momentanément indisponibles ; vous pouvez "
        "répondre quand même, ou revenir dans quelques minutes.",
        "en": "The people's names are unavailable for a moment; you can answer anyway, "
        "or come back in a few minutes.",
    },
    # The coordinators: a round's closing surveys.
    "portal.feedback_results_title": {"fr": "Avis de fin", "en": "Closing surveys"},
    "portal.feedback_results_hr_only": {
        "fr": "Réponses au questionnaire de fin, commentaires compris : réservées aux RH, "
        "elles ne figurent dans aucun message.",
        "en": "Answers to the closing survey, comments included: for HR only, they appear "
        "in no message.",
    },
    "portal.feedback_col_match": {"fr": "Mise en relation", "en": "Match"},
    "portal.feedback_col_member": {"fr": "Membre", "en": "Member"},
    "portal.feedback_col_satisfaction": {"fr": "Satisfaction", "en": "Satisfaction"},
    "portal.feedback_col_recommend": {"fr": "Recommanderait", "en": "Would recommend"},
    "portal.feedback_col_comment": {"fr": "Commentaire", "en": "Comment"},
    "portal.feedback_col_answered": {"fr": "Répondu le", "en": "Answered on"},
    "portal.feedback_satisfaction": {"fr": "{n}/5", "en": "{n}/5"},
    "portal.feedback_not_answered": {
        "fr": "Pas encore répondu (demandé le {day}).",
        "en": "Not answered yet (asked on {day}).",
    },
    "portal.feedback_none": {
        "fr": "Aucun questionnaire pour l'instant : il est envoyé à la clôture de chaque "
        "mise en relation.",
        "en": "No survey yet: it is sent when each match closes.",
    },
    # The coordinators: closing a match.
    "portal.close_title": {"fr": "Clore la mise en relation", "en": "Close the match"},
    "portal.close_action": {"fr": "Clore…", "en": "Close…"},
    "portal.close_dates": {"fr": "Du {start} au {end}.", "en": "From {start} to {end}."},
    "portal.close_open": {"fr": "En cours.", "en": "Under way."},
    "portal.close_closed_on": {
        "fr": "Close le {day} ({reason}).",
        "en": "Closed on {day} ({reason}).",
    },
    "portal.close_confirm_text": {
        "fr": "La clore l'archive avant sa fin prévue : chaque personne reçoit le "
        "questionnaire de fin, et les tours suivants éviteront de les réunir à nouveau.",
        "en": "Closing it archives it before its planned end: each person gets the closing "
        "survey, and later rounds will avoid matching them again.",
    },
    "portal.close_button": {"fr": "Clore maintenant", "en": "Close now"},
    "portal.close_done_closed": {
        "fr": "Mise en relation close le {day} : ses membres reçoivent le questionnaire de fin.",
        "en": "Match closed on {day}: its people get the closing survey.",
    },
    "portal.close_done_already": {
        "fr": "Cette mise en relation était déjà close (le {day}) : rien n'a changé.",
        "en": "This match was already closed (on {day}): nothing changed.",
    },
}
