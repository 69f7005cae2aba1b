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
    "match_answer_refused": {
        "fr": "Réponse impossible pour la proposition {match_id}.",
        "en": "This answer is not possible for match {match_id}.",
    },
    "match_decline_needs_reason": {
        "fr": "Pour refuser la proposition {match_id}, choisissez une raison.",
        "en": "To decline match {match_id}, choose a reason.",
    },
    "match_already_answered": {
        "fr": "Vous avez déjà répondu à la proposition {match_id} ({answer}) : "
        "une réponse donnée ne change plus ; écrivez à la coordination si besoin.",
        "en": "You already answered match {match_id} ({answer}): an answer is final; "
        "write to the coordinators if needed.",
    },
    "match_deadline_passed": {
        "fr": "Le délai pour répondre à la proposition {match_id} est passé.",
        "en": "The deadline to answer match {match_id} has passed.",
    },
    "match_not_answerable": {
        "fr": "Une place de séminaire ({match_id}) ne s'accepte ni ne se refuse.",
        "en": "A seminar seat ({match_id}) is neither accepted nor declined.",
    },
    "match_checkin_not_open": {
        "fr": "Le point « Vous êtes-vous rencontrés ? » s'ouvre une fois la proposition "
        "{match_id} acceptée.",
        "en": "The 'Did you meet?' check-in opens once match {match_id} is accepted.",
    },
    "match_checkin_already_answered": {
        "fr": "Vous avez déjà répondu au point sur la proposition {match_id}.",
        "en": "You already answered the check-in on match {match_id}.",
    },
    "clock_not_adjustable": {
        "fr": "L'horloge de ce service ne se règle pas.",
        "en": "This service's clock cannot be moved.",
    },
    "notice.response_reminded.subject": {
        "fr": "Entraide : rappel {n}/2, votre réponse est attendue avant le {deadline}",
        "en": "Entraide: reminder {n}/2, your answer is due by {deadline}",
    },
    "notice.response_reminded.body": {
        "fr": "Bonjour {me},\n\nUne mise en relation vous a été proposée et nous n'avons pas "
        "encore votre réponse. Vous pouvez l'accepter ou la refuser jusqu'au {deadline} :\n"
        "{link}\n\nL'équipe Entraide",
        "en": "Hello {me},\n\nA match was proposed to you and we do not have your answer "
        "yet. You can accept or decline it until {deadline}:\n{link}\n\nThe Entraide team",
    },
    "notice.unanswered.subject": {
        "fr": "Entraide : le délai de réponse est passé",
        "en": "Entraide: the time to answer has passed",
    },
    "notice.unanswered.body": {
        "fr": "Bonjour {me},\n\nLe délai pour répondre à la mise en relation proposée est "
        "passé ({deadline}). La coordination en est informée ; vous retrouvez la "
        "proposition ici :\n{link}\n\nL'équipe Entraide",
        "en": "Hello {me},\n\nThe time to answer the proposed match has passed ({deadline}). "
        "The coordinators know; the match is here:\n{link}\n\nThe Entraide team",
    },
    "notice.checkin_requested.subject": {
        "fr": "Entraide : vous êtes-vous rencontrés ?",
        "en": "Entraide: have you met?",
    },
    "notice.checkin_requested.reminder_subject": {
        "fr": "Entraide : rappel {n}/2, vous êtes-vous rencontrés ?",
        "en": "Entraide: reminder {n}/2, have you met?",
    },
    "notice.checkin_requested.body": {
        "fr": "Bonjour {me},\n\nVous avez accepté une mise en relation il y a quelques "
        "semaines. Vous êtes-vous rencontrés, et comment cela se passe-t-il ? Deux questions, "
        "une minute :\n{link}\n\nL'équipe Entraide",
        "en": "Hello {me},\n\nYou accepted a match a few weeks ago. Have you met, and how "
        "is it going? Two questions, one minute:\n{link}\n\nThe Entraide team",
    },
    "portal.life_title": {"fr": "Ma proposition", "en": "My proposed match"},
    "portal.life_why_you_two": {"fr": "Pourquoi vous deux", "en": "Why the two of you"},
    "portal.life_your_answer": {"fr": "Votre réponse", "en": "Your answer"},
    "portal.life_state_pending": {
        "fr": "Vous n'avez pas encore répondu. Répondez avant le {deadline}.",
        "en": "You have not answered yet. Please answer by {deadline}.",
    },
    "portal.life_state_accepted": {
        "fr": "Vous avez accepté cette proposition.",
        "en": "You accepted this match.",
    },
    "portal.life_state_declined": {
        "fr": "Vous avez refusé cette proposition.",
        "en": "You declined this match.",
    },
    "portal.life_state_unanswered": {
        "fr": "Le délai de réponse est passé ({deadline}).",
        "en": "The time to answer has passed ({deadline}).",
    },
    "portal.life_accept": {"fr": "Accepter", "en": "Accept"},
    "portal.life_decline": {"fr": "Refuser", "en": "Decline"},
    "portal.life_decline_reason": {
        "fr": "Pour refuser, dites-nous pourquoi",
        "en": "To decline, tell us why",
    },
    "portal.life_checkin_title": {"fr": "Vous êtes-vous rencontrés ?", "en": "Have you met?"},
    "portal.life_checkin_done": {"fr": "Merci pour votre réponse :", "en": "Thank you:"},
    "portal.life_met": {"fr": "Vous êtes-vous rencontrés ?", "en": "Have you met?"},
    "portal.life_yes": {"fr": "Oui", "en": "Yes"},
    "portal.life_not_yet": {"fr": "Pas encore", "en": "Not yet"},
    "portal.life_fit": {"fr": "Comment cela se passe-t-il ?", "en": "How is it going?"},
    "portal.life_send": {"fr": "Envoyer", "en": "Send"},
    "portal.life_seat_note": {
        "fr": "Une place de séminaire ne s'accepte ni ne se refuse : elle vous attend.",
        "en": "A seminar seat is neither accepted nor declined: it is waiting for you.",
    },
    "portal.life_open": {"fr": "Voir et répondre", "en": "See and answer"},
    "portal.life_answers_title": {"fr": "Réponses des membres", "en": "Members' answers"},
    "portal.life_count_accepted": {
        "fr": {"one": "{n} acceptée", "other": "{n} acceptées"},
        "en": {"one": "{n} accepted", "other": "{n} accepted"},
    },
    "portal.life_count_declined": {
        "fr": {"one": "{n} refusée", "other": "{n} refusées"},
        "en": {"one": "{n} declined", "other": "{n} declined"},
    },
    "portal.life_count_pending": {
        "fr": {"one": "{n} en attente", "other": "{n} en attente"},
        "en": {"one": "{n} pending", "other": "{n} pending"},
    },
    "portal.life_count_unanswered": {
        "fr": {"one": "{n} sans réponse", "other": "{n} sans réponse"},
        "en": {"one": "{n} unanswered", "other": "{n} unanswered"},
    },
}
