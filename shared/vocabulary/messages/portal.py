"""Messages of the portal: every text of its pages, French first, English too."""

from __future__ import annotations

_E = dict[str, str | dict[str, str]]


def _m(fr: str | dict[str, str], en: str | dict[str, str]) -> _E:
    return {"fr": fr, "en": en}


MESSAGES: dict[str, _E] = {
    # Layout.
    "portal.app_name": _m("Entraide", "Entraide"),
    "portal.skip_to_content": _m("Aller au contenu", "Skip to content"),
    "portal.nav_label": _m("Navigation principale", "Main navigation"),
    "portal.nav_home": _m("Accueil", "Home"),
    "portal.nav_profile": _m("Mon profil", "My profile"),
    "portal.nav_matches": _m("Mes mises en relation", "My matches"),
    "portal.nav_messages": _m("Messages", "Messages"),
    "portal.nav_data": _m("Mes données", "My data"),
    "portal.nav_coordination": _m("Coordination", "Coordination"),
    "portal.switch_language": _m("English", "Français"),
    "portal.sign_out": _m("Se déconnecter", "Sign out"),
    "portal.back_home": _m("Retour à l'accueil", "Back to the home page"),
    "portal.cancel": _m("Annuler", "Cancel"),
    "portal.save": _m("Enregistrer", "Save"),
    # Sign-in.
    "portal.sign_in_title": _m("Se connecter", "Sign in"),
    "portal.sign_in_intro": _m(
        "Indiquez votre adresse e-mail professionnelle : nous vous envoyons un lien de "
        "connexion, valable 15 minutes et utilisable une seule fois.",
        "Enter your work e-mail address: we send you a sign-in link, valid for 15 minutes "
        "and usable once.",
    ),
    "portal.email_label": _m("Adresse e-mail professionnelle", "Work e-mail address"),
    "portal.send_link": _m("Recevoir un lien de connexion", "Send me a sign-in link"),
    "portal.link_sent_title": _m("Vérifiez votre messagerie", "Check your inbox"),
    "portal.link_sent_text": _m(
        "Si cette adresse est connue du réseau, un lien de connexion vient d'y être envoyé. "
        "Il est valable {minutes} minutes.",
        "If this address is known to the network, a sign-in link was just sent to it. "
        "It is valid for {minutes} minutes.",
    ),
    "portal.try_another_address": _m("Essayer une autre adresse", "Try another address"),
    "portal.confirm_title": _m("Confirmer la connexion", "Confirm sign-in"),
    "portal.confirm_text": _m(
        "Vous êtes sur le point de vous connecter à Entraide sur cet appareil.",
        "You are about to sign in to Entraide on this device.",
    ),
    "portal.confirm_button": _m("Me connecter", "Sign me in"),
    "portal.link_unusable_title": _m("Ce lien ne fonctionne plus", "This link no longer works"),
    "portal.link_used": _m(
        "Ce lien de connexion a déjà été utilisé. Chaque lien ne sert qu'une fois.",
        "This sign-in link was already used. Each link works only once.",
    ),
    "portal.link_expired": _m(
        "Ce lien de connexion a expiré (il était valable 15 minutes).",
        "This sign-in link has expired (it was valid for 15 minutes).",
    ),
    "portal.link_unknown": _m(
        "Ce lien de connexion n'est pas valide.", "This sign-in link is not valid."
    ),
    "portal.ask_new_link": _m("Demander un nouveau lien", "Ask for a new link"),
    "portal.oidc_sign_in": _m(
        "Se connecter avec l'authentification de l'entreprise",
        "Sign in with the company's authentication",
    ),
    "portal.oidc_or_link": _m(
        "Ou bien recevez un lien de connexion par e-mail :",
        "Or receive a sign-in link by e-mail:",
    ),
    "portal.oidc_refused": _m(
        "La réponse du service d'authentification de l'entreprise n'a pas pu être vérifiée "
        "(lien expiré, rejoué ou modifié). Vous n'êtes pas connecté : recommencez depuis la "
        "page de connexion.",
        "The answer of the company's authentication service could not be verified "
        "(expired, replayed or altered). You are not signed in: start again from the "
        "sign-in page.",
    ),
    "portal.not_in_network_title": _m(
        "Vous ne faites pas (encore) partie du réseau", "You are not in the network (yet)"
    ),
    "portal.not_in_network_text": _m(
        "Votre identité est confirmée, mais aucun profil du réseau ne correspond à votre "
        "adresse. Contactez l'équipe RH qui anime le réseau pour y être inscrit.",
        "Your identity is confirmed, but no profile of the network matches your address. "
        "Ask the HR team that runs the network to add you.",
    ),
    # Errors.
    "portal.error": _m("Une erreur est survenue.", "Something went wrong."),
    "portal.error_title": _m("Impossible d'afficher cette page", "This page cannot be shown"),
    "portal.not_signed_in": _m("Connectez-vous pour continuer.", "Sign in to continue."),
    "portal.csrf_refused": _m(
        "Ce formulaire a expiré ou ne vient pas de cette page. Rechargez la page et "
        "recommencez.",
        "This form has expired or did not come from this page. Reload the page and try again.",
    ),
    "portal.coordinators_only": _m(
        "Cette page est réservée aux coordinateurs du réseau.",
        "This page is for the network's coordinators only.",
    ),
    "portal.too_many_attempts": _m(
        "Trop de demandes de lien de connexion. Réessayez dans {minutes} minutes.",
        "Too many sign-in link requests. Try again in {minutes} minutes.",
    ),
    "portal.page_not_found": _m("Cette page n'existe pas.", "This page does not exist."),
    "portal.service_unavailable": _m(
        "Un service d'Entraide ne répond pas pour l'instant. Réessayez dans un moment.",
        "An Entraide service is not answering right now. Try again in a moment.",
    ),
    "portal.form_invalid": _m(
        "Le formulaire envoyé est incomplet.", "The form sent is incomplete."
    ),
    # Home and matches.
    "portal.hello": _m("Bonjour {name}", "Hello {name}"),
    "portal.now_title": _m("Ce qui vous attend", "What needs you now"),
    "portal.unread_messages": _m(
        {"one": "{n} message non lu", "other": "{n} messages non lus"},
        {"one": "{n} unread message", "other": "{n} unread messages"},
    ),
    "portal.no_matches_yet": _m(
        "Aucune mise en relation publiée pour vous pour l'instant.",
        "No match has been published for you yet.",
    ),
    "portal.see_match": _m("Voir le détail", "See the details"),
    "portal.complete_profile": _m("Compléter mon profil", "Complete my profile"),
    "portal.coordinator_only_intro": _m(
        "Vous êtes connecté en tant que coordinateur.", "You are signed in as a coordinator."
    ),
    "portal.kind_mentoring": _m("Parrainage", "Mentoring"),
    "portal.kind_groups": _m("Groupe d'échange de pratiques", "Practice-exchange group"),
    "portal.kind_rotations": _m("Séminaire", "Seminar"),
    "portal.why_you": _m("Pourquoi cette mise en relation", "Why this match"),
    "portal.people_in_match": _m(
        {"one": "{n} personne", "other": "{n} personnes"},
        {"one": "{n} person", "other": "{n} people"},
    ),
    # Messages.
    "portal.no_messages": _m("Aucun message.", "No messages."),
    "portal.message_pending": _m("Message en préparation", "Message being prepared"),
    "portal.unread": _m("Non lu", "Unread"),
    "portal.mark_read": _m("Marquer comme lu", "Mark as read"),
    # My data.
    "portal.export_title": _m("Télécharger mes données", "Download my data"),
    "portal.export_text": _m(
        "Un fichier JSON avec tout ce qu'Entraide détient sur vous.",
        "A JSON file with everything Entraide holds about you.",
    ),
    "portal.export_button": _m("Télécharger", "Download"),
    "portal.erase_title": _m("Effacer mes données", "Erase my data"),
    "portal.erase_text": _m(
        "Votre profil et vos données sont effacés définitivement ; vous serez déconnecté.",
        "Your profile and data are erased for good; you will be signed out.",
    ),
    "portal.erase_start": _m("Effacer mes données…", "Erase my data…"),
    "portal.erase_confirm_text": _m(
        "Confirmez-vous l'effacement définitif de votre profil et de vos données ? "
        "Cette action est irréversible.",
        "Do you confirm erasing your profile and data for good? This cannot be undone.",
    ),
    "portal.erase_confirm_button": _m("Oui, effacer définitivement", "Yes, erase for good"),
    "portal.erased_title": _m("Vos données sont effacées", "Your data is erased"),
    "portal.erased_text": _m(
        "Votre profil a été effacé et vous avez été déconnecté.",
        "Your profile was erased and you were signed out.",
    ),
    # Profile.
    "portal.profile_saved": _m("Profil enregistré.", "Profile saved."),
    "portal.profile_has_errors": _m(
        "Le profil n'a pas été enregistré : corrigez les champs signalés.",
        "The profile was not saved: correct the fields shown.",
    ),
    "portal.profile_rejected": _m("Profil refusé.", "Profile refused."),
    "portal.upstream_field": _m("{message}", "{message}"),
    "portal.hr_fields_title": _m("Informations RH", "HR information"),
    "portal.hr_fields_note": _m(
        "Ces informations sont fournies par les RH ; demandez-leur toute correction.",
        "This information comes from HR; ask them for any correction.",
    ),
    "portal.provided_by_hr": _m("fourni par les RH", "provided by HR"),
    "portal.field_display_name": _m("Nom", "Name"),
    "portal.field_email": _m("E-mail", "E-mail"),
    "portal.field_external_id": _m("Identifiant RH", "HR id"),
    "portal.field_site": _m("Site", "Site"),
    "portal.field_department": _m("Direction", "Department"),
    "portal.field_function": _m("Fonction", "Function"),
    "portal.field_manager_id": _m("Manager", "Manager"),
    "portal.field_team": _m("Équipe", "Team"),
    "portal.field_start_date": _m("Date d'arrivée", "Start date"),
    "portal.skills_title": _m("Mes compétences", "My skills"),
    "portal.skills_help": _m(
        "Tapez quelques lettres pour choisir dans le catalogue ; laissez vide pour retirer.",
        "Type a few letters to pick from the catalogue; leave empty to remove.",
    ),
    "portal.skill_n": _m("Compétence {n}", "Skill {n}"),
    "portal.level": _m("Niveau", "Level"),
    "portal.level_0": _m("0 — découverte", "0 — discovering"),
    "portal.level_1": _m("1 — notions", "1 — basics"),
    "portal.level_2": _m("2 — pratique", "2 — practising"),
    "portal.level_3": _m("3 — confirmé", "3 — experienced"),
    "portal.level_4": _m("4 — expert, peut transmettre", "4 — expert, can teach"),
    "portal.wanted_title": _m("Ce que je veux apprendre", "What I want to learn"),
    "portal.wanted_n": _m("Compétence recherchée {n}", "Wanted skill {n}"),
    "portal.skill_unknown": _m(
        "« {value} » n'est pas dans le catalogue : choisissez une entrée de la liste.",
        "“{value}” is not in the catalogue: pick an entry from the list.",
    ),
    "portal.level_invalid": _m("Niveau invalide : {value}.", "Invalid level: {value}."),
    "portal.number_invalid": _m("Nombre attendu : {value}.", "A number is expected: {value}."),
    "portal.interests_title": _m("Thèmes et langues", "Themes and languages"),
    "portal.themes_label": _m(
        "Thèmes d'intérêt (séparés par des virgules)", "Themes of interest (comma-separated)"
    ),
    "portal.languages_label": _m(
        "Langues parlées (codes, ex. fr, en)", "Languages spoken (codes, e.g. fr, en)"
    ),
    "portal.availability_title": _m("Disponibilité", "Availability"),
    "portal.frequency_label": _m("Fréquence des rencontres", "How often I can meet"),
    "portal.frequency_weekly": _m("Chaque semaine", "Weekly"),
    "portal.frequency_fortnightly": _m("Toutes les deux semaines", "Fortnightly"),
    "portal.frequency_monthly": _m("Chaque mois", "Monthly"),
    "portal.frequency_quarterly": _m("Chaque trimestre", "Quarterly"),
    "portal.mode_label": _m("Format des rencontres", "Meeting format"),
    "portal.mode_remote": _m("À distance", "Remote"),
    "portal.mode_on_site": _m("Sur site", "On site"),
    "portal.mode_either": _m("Indifférent", "Either"),
    "portal.opt_ins_title": _m("Ma participation", "Taking part"),
    "portal.opt_in_mentor": _m("Je veux être marraine ou parrain", "I want to mentor"),
    "portal.opt_in_mentee": _m("Je veux être accompagné(e)", "I want a mentor"),
    "portal.opt_in_groups": _m(
        "Je rejoins les groupes d'échange de pratiques", "I join practice-exchange groups"
    ),
    "portal.opt_in_seminars": _m("Je participe aux séminaires", "I attend seminars"),
    "portal.opt_in_facilitator": _m("Je peux animer un groupe", "I can facilitate a group"),
    "portal.capacity_label": _m(
        "Nombre de filleul(e)s accueillis à la fois (0 à 5)", "Mentees at once (0 to 5)"
    ),
    "portal.paused_label": _m(
        "En pause jusqu'au (facultatif)", "Paused until (optional)"
    ),
    "portal.channels_title": _m("Comment être prévenu(e)", "How to reach me"),
    "portal.channel_email": _m("E-mail", "E-mail"),
    "portal.channel_chat": _m("Messagerie (Slack, Teams…)", "Chat (Slack, Teams…)"),
    "portal.channel_inapp": _m("Messages dans Entraide", "Messages in Entraide"),
    "portal.webhook_label": _m(
        "Adresse du webhook de messagerie (https, pour le canal messagerie)",
        "Chat webhook address (https, for the chat channel)",
    ),
    "portal.preferred_language_label": _m("Langue des messages", "Language of messages"),
    # The sign-in e-mail (sent by the notifier for the portal).
    "portal.sign_in_mail_subject": _m(
        "Votre lien de connexion à Entraide", "Your sign-in link to Entraide"
    ),
    "portal.sign_in_mail_body": _m(
        "Bonjour,\n\nPour vous connecter à Entraide, ouvrez ce lien (valable {minutes} "
        "minutes, utilisable une seule fois) :\n\n{link}\n\nSi vous n'avez rien demandé, "
        "ignorez ce message : personne ne peut se connecter sans ouvrir ce lien.\n",
        "Hello,\n\nTo sign in to Entraide, open this link (valid for {minutes} minutes, "
        "usable once):\n\n{link}\n\nIf you did not ask for it, ignore this message: nobody "
        "can sign in without opening this link.\n",
    ),
    # Coordination.
    "portal.coordination_intro": _m(
        "L'espace des coordinateurs : membres, imports, tours.",
        "The coordinators' area: members, imports, rounds.",
    ),
}
