"""Messages of the notifier service (codes of its errors, delivery reasons and texts).

Delivery reasons are stored as codes with their parameters (``reason``,
``reason_params``) and rendered here for the delivery log; ``detail`` is what a
server or library said, kept as it came.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    # HTTP errors.
    "inbox_entry_not_found": {
        "fr": "Message {entry_id} introuvable dans votre boîte de réception.",
        "en": "Message {entry_id} not found in your inbox.",
    },
    "round_deliveries_not_found": {
        "fr": "Aucune annonce enregistrée pour le tour {round_id}.",
        "en": "No announcement recorded for round {round_id}.",
    },
    # Why a delivery was skipped.
    "member_erased": {"fr": "membre effacé", "en": "member erased"},
    "channel_not_chosen": {
        "fr": "canal non choisi par le membre ({channel})",
        "en": "channel not chosen by the member ({channel})",
    },
    "member_paused": {
        "fr": "membre en pause jusqu'au {until}",
        "en": "member paused until {until}",
    },
    "no_email_address": {"fr": "aucune adresse e-mail connue", "en": "no known e-mail address"},
    "no_chat_address": {
        "fr": "aucune adresse de messagerie (chat_webhook_url) connue",
        "en": "no known chat address (chat_webhook_url)",
    },
    "cap_reached": {
        "fr": "plafond : un seul message par membre, tour et canal (déjà envoyé)",
        "en": "cap: one message per member, round and channel (already sent)",
    },
    "channel_not_configured": {
        "fr": "canal {channel} non configuré sur ce serveur",
        "en": "channel {channel} not configured on this server",
    },
    # Retries, failures and their causes.
    "resumed": {
        "fr": "repris après interruption (l'envoi interrompu n'avait pas été validé)",
        "en": "resumed after an interruption (the interrupted send had not been committed)",
    },
    "retrying": {
        "fr": "tentative {attempt}/{max_attempts} : {cause}",
        "en": "attempt {attempt}/{max_attempts}: {cause}",
    },
    "retrying_until": {
        "fr": "tentative {attempt} : {cause} (nouveaux essais jusqu'au {until} UTC)",
        "en": "attempt {attempt}: {cause} (retried until {until} UTC)",
    },
    "gave_up": {
        "fr": "abandon après {attempts} tentative(s) : {cause}",
        "en": "gave up after {attempts} attempt(s): {cause}",
    },
    "profiles_unavailable": {
        "fr": "profils injoignables : {detail}",
        "en": "profiles unreachable: {detail}",
    },
    "smtp_failed": {"fr": "échec SMTP : {detail}", "en": "SMTP failure: {detail}"},
    "smtp_refused": {
        "fr": "message refusé par le serveur SMTP : {detail}",
        "en": "message refused by the SMTP server: {detail}",
    },
    "smtp_url_refused": {
        "fr": "URL SMTP (ENTRAIDE_SMTP_URL) refusée par apprise",
        "en": "SMTP URL (ENTRAIDE_SMTP_URL) refused by apprise",
    },
    "commit_failed": {
        "fr": "validation de l'envoi impossible : {detail}",
        "en": "the send could not be committed: {detail}",
    },
    "email_address_refused": {
        "fr": "adresse e-mail refusée : {detail}",
        "en": "e-mail address refused: {detail}",
    },
    "webhook_failed": {"fr": "échec du webhook : {detail}", "en": "webhook failure: {detail}"},
    "webhook_address_invalid": {
        "fr": "adresse de webhook invalide : {detail}",
        "en": "invalid webhook address: {detail}",
    },
    "webhook_url_refused": {
        "fr": "adresse de webhook refusée par apprise",
        "en": "webhook address refused by apprise",
    },
    "unexpected_error": {"fr": "erreur interne : {detail}", "en": "internal error: {detail}"},
    # Texts of the announcements.
    "notice.former_member": {"fr": "(membre retiré)", "en": "(former member)"},
    "notice.multi_subject": {
        "fr": "Entraide : vos {n} mises en relation de ce tour",
        "en": "Entraide: your {n} matches of this round",
    },
}
