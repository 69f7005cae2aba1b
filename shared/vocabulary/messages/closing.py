"""Messages of a match's course: a group's sessions, the closing survey, closing."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "session_not_facilitator": {
        "fr": "Seul·e l'animateur·rice du groupe {match_id} enregistre ses séances.",
        "en": "Only the facilitator of group {match_id} records its sessions.",
    },
    "match_already_closed": {
        "fr": "La mise en relation {match_id} est close.",
        "en": "Match {match_id} is closed.",
    },
    "session_date_outside": {
        "fr": "Une séance du groupe {match_id} a lieu entre le {start} et le {end}, "
        "et pas dans le futur.",
        "en": "A session of group {match_id} takes place between {start} and {end}, "
        "and not in the future.",
    },
    "session_attendee_unknown": {
        "fr": "{member_id} ne fait pas partie du groupe {match_id}.",
        "en": "{member_id} is not in group {match_id}.",
    },
    "session_already_recorded": {
        "fr": "Une autre séance du groupe {match_id} est déjà enregistrée le {day}.",
        "en": "Another session of group {match_id} is already recorded on {day}.",
    },
    "feedback_invalid": {
        "fr": "Le questionnaire de {match_id} attend une satisfaction de 1 à 5 et un "
        "commentaire de 2000 caractères au plus.",
        "en": "The survey of {match_id} expects a satisfaction from 1 to 5 and a comment "
        "of at most 2000 characters.",
    },
    "feedback_already_given": {
        "fr": "Vous avez déjà répondu au questionnaire de {match_id}.",
        "en": "You already answered the survey of {match_id}.",
    },
    "feedback_not_open": {
        "fr": "Le questionnaire de {match_id} s'ouvre à la fin de la mise en relation.",
        "en": "The survey of {match_id} opens when the match ends.",
    },
    "notice.session_reminded.subject": {
        "fr": "Entraide : la séance {n} de votre groupe n'est pas enregistrée",
        "en": "Entraide: your group's session {n} is not recorded",
    },
    "notice.session_reminded.body": {
        "fr": "Bonjour {me},\n\nLa séance {n} de votre groupe était prévue le {due_on} et "
        "n'est pas encore enregistrée. Notez sa date et qui est venu :\n{link}\n\n"
        "L'équipe Entraide",
        "en": "Hello {me},\n\nYour group's session {n} was due on {due_on} and is not "
        "recorded yet. Note its date and who came:\n{link}\n\nThe Entraide team",
    },
    "notice.feedback_requested.subject": {
        "fr": "Entraide : votre avis sur la mise en relation qui s'achève",
        "en": "Entraide: your view of the match that is ending",
    },
    "notice.feedback_requested.reminder_subject": {
        "fr": "Entraide : rappel {n}/2, votre avis sur la mise en relation",
        "en": "Entraide: reminder {n}/2, your view of the match",
    },
    "notice.feedback_requested.body": {
        "fr": "Bonjour {me},\n\nVotre mise en relation arrive à son terme. Trois questions, "
        "une minute (votre commentaire n'est lu que par les RH) :\n{link}\n\n"
        "L'équipe Entraide",
        "en": "Hello {me},\n\nYour match has come to its end. Three questions, one minute "
        "(only HR reads your comment):\n{link}\n\nThe Entraide team",
    },
    "portal.group_title": {"fr": "Mon groupe", "en": "My group"},
    "portal.group_course": {"fr": "Le déroulé", "en": "The schedule"},
    "portal.group_dates": {
        "fr": "Du {start} au {end}, une séance toutes les {n} semaines.",
        "en": "From {start} to {end}, one session every {n} weeks.",
    },
    "portal.group_log": {"fr": "Journal des séances", "en": "Session log"},
    "portal.group_session_day": {"fr": "Date de la séance", "en": "Day of the session"},
    "portal.group_who_came": {"fr": "Qui est venu", "en": "Who came"},
    "portal.group_no_session": {
        "fr": "Aucune séance enregistrée pour l'instant.",
        "en": "No session recorded yet.",
    },
    "portal.group_due": {
        "fr": {"one": "{n} séance prévue :", "other": "{n} séances prévues :"},
        "en": {"one": "{n} session planned:", "other": "{n} sessions planned:"},
    },
    "portal.group_record": {"fr": "Enregistrer une séance", "en": "Record a session"},
    "portal.group_record_button": {"fr": "Enregistrer", "en": "Record"},
    "portal.group_open": {"fr": "Mon groupe : les séances", "en": "My group: sessions"},
    "portal.course_closed": {
        "fr": "Cette mise en relation est close.",
        "en": "This match is closed.",
    },
    "portal.survey_title": {"fr": "Votre avis", "en": "Your view"},
    "portal.survey_not_open": {
        "fr": "Le questionnaire s'ouvre à la fin de la mise en relation (le {end}).",
        "en": "The survey opens when the match ends ({end}).",
    },
    "portal.survey_done": {
        "fr": "Vous avez déjà répondu. Merci !",
        "en": "You already answered. Thank you!",
    },
    "portal.survey_satisfaction": {
        "fr": "Votre satisfaction, de 1 (faible) à 5 (excellente)",
        "en": "Your satisfaction, from 1 (poor) to 5 (excellent)",
    },
    "portal.survey_recommend": {
        "fr": "La recommanderiez-vous à un·e collègue ?",
        "en": "Would you recommend it to a colleague?",
    },
    "portal.survey_no": {"fr": "Non", "en": "No"},
    "portal.survey_comment": {
        "fr": "Un commentaire (lu seulement par les RH, facultatif)",
        "en": "A comment (read by HR only, optional)",
    },
    "portal.survey_thanks": {"fr": "Merci pour votre avis", "en": "Thank you for your view"},
    "portal.survey_recorded": {
        "fr": "Votre réponse est enregistrée (satisfaction {n}/5).",
        "en": "Your answer is recorded (satisfaction {n}/5).",
    },
    "portal.survey_comment_note": {
        "fr": "Votre commentaire n'est lu que par les RH ; il ne figure dans aucun message.",
        "en": "Only HR reads your comment; it appears in no message.",
    },
}
