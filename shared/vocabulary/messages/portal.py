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
        "Ce formulaire a expiré ou ne vient pas de cette page. Rechargez la page et recommencez.",
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
    "portal.field_left_on": _m("Parti·e de l'entreprise le", "Left the company on"),
    # A coordinator marks a member as having left the company.
    "portal.leave_action": _m("Marquer comme parti·e", "Mark as having left"),
    "portal.leave_title": _m("Départ de l'entreprise", "Leaving the company"),
    "portal.leave_confirm_text": _m(
        "{name} ne sera plus dans aucun tour à venir. Ses mises en relation déjà publiées "
        "sont réparées selon la règle de chaque tour (nouveau partenaire proposé ou place "
        "laissée vide). Son profil est conservé.",
        "{name} will be in no future round. Their published matches are repaired per each "
        "round's policy (a new partner proposed or the place left empty). Their profile is "
        "kept.",
    ),
    "portal.leave_date_label": _m("Date du départ", "Leaving date"),
    "portal.leave_done_left": _m(
        "{name} est marqué·e comme parti·e le {day}.", "{name} is marked as having left on {day}."
    ),
    "portal.leave_done_already": _m(
        "{name} était déjà parti·e le {day} : rien n'a changé.",
        "{name} had already left on {day}: nothing changed.",
    ),
    "portal.left_on_badge": _m("parti·e le {day}", "left on {day}"),
    "portal.leave_invalid_date": _m(
        "Date invalide : choisissez un jour dans le calendrier ou écrivez-le AAAA-MM-JJ.",
        "Invalid date: pick a day in the calendar or write it as YYYY-MM-DD.",
    ),
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
    "portal.paused_label": _m("En pause jusqu'au (facultatif)", "Paused until (optional)"),
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
    # Coordinators' pages (members, import, catalogues, rounds, seminars).
    "portal.coord_nav_label": _m("Espace coordination", "Coordination area"),
    "portal.coord_members": _m("Membres", "Members"),
    "portal.coord_import": _m("Import RH", "HR import"),
    "portal.coord_skills": _m("Compétences", "Skills"),
    "portal.coord_themes": _m("Thèmes", "Themes"),
    "portal.coord_rounds": _m("Tours", "Rounds"),
    "portal.coord_members_intro": _m(
        "Trouver un membre par site, fonction, participation ou arrivée récente.",
        "Find a member by site, function, participation or recent arrival.",
    ),
    "portal.coord_import_intro": _m(
        "Importer le fichier CSV des RH et lire le rapport ligne par ligne.",
        "Import HR's CSV file and read the row-by-row report.",
    ),
    "portal.coord_catalogues_intro": _m(
        "Tenir à jour les catalogues de compétences et de thèmes.",
        "Keep the skills and themes catalogues up to date.",
    ),
    "portal.coord_rounds_intro": _m(
        "Créer un tour, relire la proposition, l'ajuster et la publier.",
        "Create a round, review the proposal, adjust it and publish it.",
    ),
    "portal.none": _m("Aucun.", "None."),
    "portal.yes": _m("oui", "yes"),
    "portal.no": _m("non", "no"),
    "portal.paging_label": _m("Pagination", "Paging"),
    "portal.paging_range": _m("{first} à {last} sur {total}", "{first} to {last} of {total}"),
    "portal.paging_previous": _m("← Page précédente", "← Previous page"),
    "portal.paging_next": _m("Page suivante →", "Next page →"),
    "portal.refused_title": _m("La demande a été refusée :", "The request was refused:"),
    "portal.upstream_refused": _m("{detail}", "{detail}"),
    # Members.
    "portal.filters_label": _m("Filtrer les membres", "Filter members"),
    "portal.filter_opt_in": _m("Participation", "Taking part in"),
    "portal.filter_any": _m("Toutes", "Any"),
    "portal.filter_newcomers": _m(
        "Nouveaux arrivants seulement (arrivés il y a moins de 90 jours)",
        "Newcomers only (arrived less than 90 days ago)",
    ),
    "portal.filter_status": _m("Présence dans le réseau", "In the network"),
    "portal.filter_status_any": _m("Tous les membres", "Every member"),
    "portal.filter_status_active": _m("Encore dans le réseau", "Still in the network"),
    "portal.filter_status_left": _m(
        "Parti·es (départ enregistré)", "Who left (departure recorded)"
    ),
    "portal.filter_apply": _m("Filtrer", "Filter"),
    "portal.filter_reset": _m("Effacer les filtres", "Clear the filters"),
    "portal.no_members": _m("Aucun membre ne correspond.", "No member matches."),
    "portal.back_to_members": _m("Retour à la liste des membres", "Back to the member list"),
    "portal.back_to_member": _m("Retour à la fiche du membre", "Back to the member's page"),
    "portal.opt_in_short_mentor": _m("parrain/marraine", "mentor"),
    "portal.opt_in_short_mentee": _m("filleul(e)", "mentee"),
    "portal.opt_in_short_groups": _m("groupes", "groups"),
    "portal.opt_in_short_seminars": _m("séminaires", "seminars"),
    "portal.opt_in_short_facilitator": _m("animation", "facilitator"),
    # Import.
    "portal.import_file_label": _m("Fichier CSV", "CSV file"),
    "portal.import_file_help": _m(
        "UTF-8, séparateur virgule ou point-virgule ; voir les colonnes plus bas.",
        "UTF-8, comma or semicolon separated; see the columns below.",
    ),
    "portal.import_mode_legend": _m("En cas d'erreur", "If a row is wrong"),
    "portal.import_mode_all_or_nothing": _m(
        "Tout ou rien : n'enregistrer aucune ligne", "All or nothing: save no row"
    ),
    "portal.import_mode_keep_valid": _m(
        "Enregistrer les lignes valides, lister les autres",
        "Save the valid rows, list the others",
    ),
    "portal.import_button": _m("Importer", "Import"),
    "portal.import_report_title": _m("Rapport d'import", "Import report"),
    "portal.import_committed": _m("Import enregistré.", "Import saved."),
    "portal.import_nothing_saved": _m(
        "Rien n'a été enregistré : corrigez les lignes ci-dessous puis recommencez.",
        "Nothing was saved: correct the rows below and try again.",
    ),
    "portal.import_nothing_to_do": _m("Aucun changement.", "No change."),
    "portal.import_count_rows": _m("Lignes lues", "Rows read"),
    "portal.import_count_created": _m("Créés", "Created"),
    "portal.import_count_updated": _m("Modifiés", "Updated"),
    "portal.import_count_unchanged": _m("Inchangés", "Unchanged"),
    "portal.import_count_rejected": _m("Refusés", "Rejected"),
    "portal.import_errors": _m("Lignes en erreur", "Rows in error"),
    "portal.import_col_row": _m("Ligne", "Row"),
    "portal.import_col_column": _m("Colonne", "Column"),
    "portal.import_col_value": _m("Valeur", "Value"),
    "portal.import_col_message": _m("Problème", "Problem"),
    "portal.import_col_closest": _m("Entrées les plus proches", "Closest entries"),
    "portal.import_columns_title": _m("Colonnes du fichier", "Columns of the file"),
    "portal.import_template_link": _m(
        "Télécharger le modèle de fichier (CSV)", "Download the file template (CSV)"
    ),
    "portal.column_name": _m("Colonne", "Column"),
    "portal.column_required": _m("Obligatoire", "Required"),
    "portal.column_owner": _m("Tenue par", "Owned by"),
    "portal.column_format": _m("Format", "Format"),
    "portal.column_example": _m("Exemple", "Example"),
    "portal.column_description": _m("Description", "Description"),
    "portal.owner_hr": _m("les RH", "HR"),
    "portal.owner_member": _m("le membre", "the member"),
    # Catalogues.
    "portal.catalogue_add": _m("Ajouter une entrée", "Add an entry"),
    "portal.catalogue_add_button": _m("Ajouter", "Add"),
    "portal.catalogue_label_fr": _m("Libellé (français)", "Label (French)"),
    "portal.catalogue_label_en": _m("Libellé (anglais)", "Label (English)"),
    "portal.catalogue_code": _m("Code (facultatif)", "Code (optional)"),
    "portal.catalogue_code_help": _m(
        "Dérivé du libellé s'il est laissé vide.", "Derived from the label when left empty."
    ),
    "portal.catalogue_kind": _m("Type", "Kind"),
    "portal.kind_savoir_faire": _m("Savoir-faire", "Know-how"),
    "portal.kind_savoir_etre": _m("Savoir-être", "Soft skill"),
    "portal.catalogue_aliases": _m("Synonymes", "Aliases"),
    "portal.catalogue_aliases_help": _m(
        "Séparés par « | », par exemple : agenda | calendrier.",
        "Separated by “|”, for example: diary | calendar.",
    ),
    "portal.catalogue_entries": _m("Entrées du catalogue", "Catalogue entries"),
    "portal.catalogue_members": _m(
        {"one": "{n} membre", "other": "{n} membres"},
        {"one": "{n} member", "other": "{n} members"},
    ),
    "portal.catalogue_import": _m("Import en masse (CSV)", "Bulk import (CSV)"),
    "portal.catalogue_import_help_skills": _m(
        "Colonnes code, label, label_en, aliases, kind ; synonymes séparés par « | ». "
        "Tout ou rien.",
        "Columns code, label, label_en, aliases, kind; aliases separated by “|”. All or nothing.",
    ),
    "portal.catalogue_import_help_themes": _m(
        "Colonnes code, label, label_en, aliases ; synonymes séparés par « | ». Tout ou rien.",
        "Columns code, label, label_en, aliases; aliases separated by “|”. All or nothing.",
    ),
    "portal.catalogue_done_created": _m("Entrée ajoutée.", "Entry added."),
    "portal.catalogue_done_updated": _m("Entrée enregistrée.", "Entry saved."),
    "portal.catalogue_done_imported": _m("Import enregistré.", "Import saved."),
    # Rounds.
    "portal.no_rounds": _m("Aucun tour pour l'instant.", "No round yet."),
    "portal.round_new": _m("Créer un tour", "Create a round"),
    "portal.round_name": _m("Nom du tour", "Round name"),
    "portal.round_kind": _m("Type de tour", "Kind of round"),
    "portal.round_state": _m("État", "State"),
    "portal.round_created": _m("Créé le", "Created"),
    "portal.round_create_button": _m("Lancer le calcul", "Start the computation"),
    "portal.state_requested": _m("demandé", "requested"),
    "portal.state_running": _m("en calcul", "running"),
    "portal.state_proposed": _m("proposition prête", "proposal ready"),
    "portal.state_published": _m("publié", "published"),
    "portal.state_cancelled": _m("annulé", "cancelled"),
    "portal.state_failed": _m("échoué", "failed"),
    "portal.step_waiting": _m("En attente du calcul", "Waiting to be computed"),
    "portal.step_loading_members": _m("Lecture des membres", "Reading the members"),
    "portal.step_scoring": _m("Évaluation des affinités", "Scoring affinities"),
    "portal.step_solving": _m("Recherche de la meilleure répartition", "Solving"),
    "portal.step_reporting": _m("Rédaction du rapport", "Writing the report"),
    "portal.step_proposal_ready": _m("Proposition prête", "Proposal ready"),
    "portal.step_published": _m("Publié", "Published"),
    "portal.step_cancelled": _m("Annulé", "Cancelled"),
    "portal.step_failed": _m("Échec", "Failed"),
    "portal.round_progress": _m("Calcul en cours", "Computing"),
    "portal.round_refreshes": _m(
        "Cette page se met à jour toutes les {seconds} secondes.",
        "This page updates every {seconds} seconds.",
    ),
    "portal.round_refresh_now": _m("Mettre à jour maintenant", "Update now"),
    "portal.round_failed": _m("Le calcul a échoué.", "The computation failed."),
    "portal.round_actions": _m("Actions du tour", "Round actions"),
    "portal.round_publish": _m("Publier le tour", "Publish the round"),
    "portal.round_deliveries": _m("Journal des envois", "Delivery log"),
    "portal.round_matches": _m("Mises en relation proposées", "Proposed matches"),
    "portal.round_done_adjusted": _m(
        "Ajustement appliqué : les contraintes ont été revérifiées et le rapport recalculé.",
        "Adjustment applied: the constraints were checked again and the report recomputed.",
    ),
    "portal.round_done_published": _m(
        "Tour publié : les personnes concernées sont prévenues.",
        "Round published: the people concerned are being told.",
    ),
    "portal.back_to_rounds": _m("Retour aux tours", "Back to the rounds"),
    "portal.back_to_round": _m("Retour au tour", "Back to the round"),
    "portal.report_title": _m(
        "Qualité de la proposition, comparée au hasard", "Quality of the proposal, next to random"
    ),
    "portal.report_figure": _m("Indicateur", "Figure"),
    "portal.report_proposal": _m("Proposition", "Proposal"),
    "portal.report_random": _m("Répartition au hasard", "Random assignment"),
    "portal.figure_total_score": _m("Score total", "Total score"),
    "portal.figure_share_matched": _m("Part des personnes appariées", "Share matched"),
    "portal.figure_share_cross_site": _m("Part des binômes inter-sites", "Share across sites"),
    "portal.figure_proved_optimal": _m("Optimum prouvé (1 = oui)", "Proved optimal (1 = yes)"),
    "portal.figure_cohesion_mean": _m("Cohésion moyenne", "Mean cohesion"),
    "portal.figure_sites_per_group": _m("Sites par groupe", "Sites per group"),
    "portal.figure_sites_upper_bound": _m(
        "Sites par groupe (maximum possible)", "Sites per group (upper bound)"
    ),
    "portal.figure_seniority_range": _m("Écart d'ancienneté", "Seniority range"),
    "portal.figure_facilitator_coverage": _m("Groupes avec animateur", "Groups with a facilitator"),
    "portal.figure_worst_group_score": _m("Score du groupe le moins bon", "Worst group score"),
    "portal.figure_repeated_encounters": _m("Rencontres répétées", "Repeated encounters"),
    "portal.figure_same_line_or_team_pairs": _m(
        "Paires de la même ligne ou équipe", "Pairs from the same line or team"
    ),
    "portal.figure_forbidden_pairs_seated_together": _m(
        "Paires interdites à la même table", "Forbidden pairs seated together"
    ),
    "portal.figure_max_site_share": _m(
        "Part maximale d'un site à une table", "Largest share of one site at a table"
    ),
    "portal.figure_mean_new_colleagues": _m(
        "Nouveaux collègues rencontrés (moyenne)", "New colleagues met (mean)"
    ),
    "portal.figure_worst_table_score": _m("Score de la table la moins bonne", "Worst table score"),
    "portal.erased_member": _m("(membre effacé)", "(erased member)"),
    "portal.match_locked": _m("verrouillé", "locked"),
    "portal.adjust_title": _m("Ajuster la proposition", "Adjust the proposal"),
    "portal.adjust_help": _m(
        "Chaque ajustement est revérifié (contraintes, tailles, paires interdites) ; un "
        "ajustement refusé est expliqué ici.",
        "Each adjustment is checked again (constraints, sizes, forbidden pairs); a refused "
        "one is explained here.",
    ),
    "portal.adjust_swap": _m("Échanger deux membres", "Swap two members"),
    "portal.adjust_member_a": _m("Premier membre", "First member"),
    "portal.adjust_member_b": _m("Second membre", "Second member"),
    "portal.adjust_swap_button": _m("Échanger", "Swap"),
    "portal.adjust_assign": _m("Attribuer un filleul à un parrain", "Assign a mentee to a mentor"),
    "portal.adjust_mentee": _m("Filleul ou filleule", "Mentee"),
    "portal.adjust_mentor": _m("Parrain ou marraine", "Mentor"),
    "portal.adjust_assign_button": _m("Attribuer", "Assign"),
    "portal.adjust_lock": _m("Verrouiller", "Lock"),
    "portal.adjust_remove": _m("Retirer {name}", "Remove {name}"),
    "portal.publish_confirm_text": _m(
        "Publier prévient chaque personne de sa mise en relation ; ce n'est pas réversible.",
        "Publishing tells each person about their match; it cannot be undone.",
    ),
    "portal.publish_confirm_button": _m("Oui, publier et prévenir", "Yes, publish and tell them"),
    # Delivery log.
    "portal.deliveries_counts": _m("Envois par état", "Deliveries by status"),
    "portal.no_deliveries": _m("Aucun envoi pour l'instant.", "No delivery yet."),
    "portal.delivery_pending": _m("en attente", "pending"),
    "portal.delivery_claimed": _m("pris en charge", "claimed"),
    "portal.delivery_sending": _m("en cours d'envoi", "sending"),
    "portal.delivery_sent": _m("envoyé", "sent"),
    "portal.delivery_failed": _m("échoué", "failed"),
    "portal.delivery_skipped": _m("non envoyé", "skipped"),
    "portal.delivery_col_member": _m("Membre", "Member"),
    "portal.delivery_col_channel": _m("Canal", "Channel"),
    "portal.delivery_col_status": _m("État", "Status"),
    "portal.delivery_col_attempts": _m("Tentatives", "Attempts"),
    "portal.delivery_col_reason": _m("Raison", "Reason"),
    "portal.delivery_col_sent_at": _m("Envoyé le", "Sent at"),
    # Seminars.
    "portal.seating_title": _m("Plan de table", "Seating plan"),
    "portal.seating_export": _m("Exporter le plan (CSV)", "Export the plan (CSV)"),
    "portal.seating_print_hint": _m(
        "Imprimez cette page : une carte par table.", "Print this page: one card per table."
    ),
    "portal.seating_none": _m(
        "Pas encore de plan de table pour ce tour.", "No seating plan for this round yet."
    ),
    "portal.seating_rotation": _m("Rotation {n}", "Rotation {n}"),
    "portal.seating_rotations_label": _m("Rotations", "Rotations"),
    "portal.seating_all_rotations": _m("Toutes les rotations", "All rotations"),
    "portal.seating_print_all": _m(
        "Tout le plan à imprimer (toutes les tables)", "The whole plan to print (every table)"
    ),
    "portal.seating_page_hint": _m(
        "{tables} tables par page ; imprimez cette page ou tout le plan.",
        "{tables} tables a page; print this page or the whole plan.",
    ),
    "portal.seating_table": _m("Table {n}", "Table {n}"),
    "portal.seating_col_rotation": _m("Rotation", "Rotation"),
    "portal.seating_col_table": _m("Table", "Table"),
    "portal.seating_col_name": _m("Nom", "Name"),
    "portal.seating_col_site": _m("Site", "Site"),
    "portal.seating_col_member": _m("Identifiant", "Id"),
    # Round parameters (the creation form).
    "portal.param_bounds": _m("Entre {min} et {max}.", "Between {min} and {max}."),
    "portal.param_optional": _m(
        "Facultatif : vide = valeur par défaut.", "Optional: empty = the default."
    ),
    "portal.param_mode": _m("Objectif", "Objective"),
    "portal.param_mode_best_total": _m("Meilleur score total", "Best total score"),
    "portal.param_mode_max_mentees": _m("Le plus de filleuls accompagnés", "Most mentees matched"),
    "portal.param_min_score": _m("Score minimal d'un binôme", "Lowest score of a pair"),
    "portal.param_weights_skills": _m("Poids : compétences", "Weight: skills"),
    "portal.param_weights_themes": _m("Poids : thèmes", "Weight: themes"),
    "portal.param_weights_cross_site": _m("Poids : sites différents", "Weight: across sites"),
    "portal.param_weights_newcomer": _m("Poids : nouveaux arrivants", "Weight: newcomers"),
    "portal.param_weights_seniority": _m("Poids : ancienneté", "Weight: seniority"),
    "portal.param_weights_cohesion": _m("Poids : cohésion", "Weight: cohesion"),
    "portal.param_weights_sites": _m("Poids : mixité des sites", "Weight: site mix"),
    "portal.param_weights_newcomers": _m("Poids : nouveaux arrivants", "Weight: newcomers"),
    "portal.param_min_size": _m("Taille minimale d'un groupe", "Smallest group"),
    "portal.param_target_size": _m("Taille visée d'un groupe", "Target group size"),
    "portal.param_max_size": _m("Taille maximale d'un groupe", "Largest group"),
    "portal.param_table_size": _m("Personnes par table", "People per table"),
    "portal.param_rounds": _m("Nombre de rotations", "Number of rotations"),
    "portal.param_max_site_share": _m(
        "Part maximale d'un site à une table (0 à 1)",
        "Largest share of one site at a table (0 to 1)",
    ),
    "portal.param_seed": _m(
        "Graine (rend la proposition reproductible)", "Seed (makes the proposal reproducible)"
    ),
    "portal.param_newcomer_months": _m(
        "Nouvel arrivant : arrivé depuis moins de (mois)", "Newcomer: joined within (months)"
    ),
    "portal.param_lookback_days": _m(
        "Ne compter que les rencontres des derniers (jours)",
        "Only count meetings of the last (days)",
    ),
    # Identity links, provider down, sessions (issue 11, remaining gaps).
    "portal.erased_profile_title": _m(
        "Votre profil a été effacé du réseau", "Your profile was erased from the network"
    ),
    "portal.erased_profile_text": _m(
        "Votre identité est confirmée, mais le profil auquel elle était reliée a été "
        "effacé. Vous n'êtes pas connecté. Si l'équipe RH vous a inscrit de nouveau, "
        "reconnectez-vous ; sinon, contactez-la.",
        "Your identity is confirmed, but the profile it was linked to was erased. You are "
        "not signed in. If the HR team has added you again, sign in again; otherwise, "
        "contact them.",
    ),
    "portal.already_linked_title": _m(
        "Ce profil est déjà relié à un autre compte", "This profile is linked to another account"
    ),
    "portal.already_linked_text": _m(
        "Le profil qui correspond à votre adresse est déjà relié à un autre compte de "
        "l'authentification de l'entreprise. Pour protéger ce profil, vous n'êtes pas "
        "connecté. Contactez l'équipe RH qui anime le réseau.",
        "The profile matching your address is already linked to another account of the "
        "company's authentication. To protect that profile, you are not signed in. Contact "
        "the HR team that runs the network.",
    ),
    "portal.oidc_unreachable_title": _m(
        "L'authentification de l'entreprise ne répond pas",
        "The company's authentication is not answering",
    ),
    "portal.oidc_unreachable": _m(
        "Le service d'authentification de l'entreprise est injoignable pour le moment. "
        "Vous n'êtes pas connecté ; réessayez dans quelques minutes.",
        "The company's authentication service cannot be reached at the moment. You are not "
        "signed in; try again in a few minutes.",
    ),
    "portal.oidc_unreachable_link": _m(
        "En attendant, recevez un lien de connexion par e-mail :",
        "Meanwhile, receive a sign-in link by e-mail:",
    ),
    "portal.oidc_try_again": _m(
        "Réessayer avec l'authentification de l'entreprise",
        "Try the company's authentication again",
    ),
    # The name picker of the round adjustments.
    "portal.picker_help": _m(
        "Saisissez un nom (ou une partie) ou un identifiant ; la liste propose les membres "
        "correspondants.",
        "Type a name (or part of one) or an id; the list suggests the matching members.",
    ),
    "portal.adjust_member": _m("Membre", "Member"),
    "portal.adjust_remove_one": _m("Retirer un membre de la proposition",
                                   "Remove a member from the proposal"),
    "portal.adjust_remove_button": _m("Retirer", "Remove"),
    "portal.picker_unknown": _m(
        "Aucun membre ne correspond à « {text} ». Vérifiez l'orthographe ou saisissez "
        "l'identifiant.",
        "No member matches “{text}”. Check the spelling or type the id.",
    ),
    "portal.picker_ambiguous": _m(
        "« {text} » peut désigner plusieurs membres : {candidates}. Choisissez-en un dans "
        "la liste ou saisissez son identifiant.",
        "“{text}” may mean several members: {candidates}. Pick one from the list or type "
        "their id.",
    ),
    # The member's home: one card per engagement, and the profile's completeness.
    "portal.engagement_mentoring": _m("Binôme (parrainage)", "Mentoring pair"),
    "portal.engagement_groups": _m("Groupe d'échange de pratiques", "Practice-exchange group"),
    "portal.engagement_rotations": _m("Séminaire", "Seminar"),
    "portal.stage_label": _m("Étape", "Stage"),
    "portal.stage_not_enrolled": _m("pas inscrit·e", "not enrolled"),
    "portal.stage_waiting": _m("inscrit·e, en attente du prochain tour",
                               "enrolled, waiting for the next round"),
    "portal.stage_announced": _m("mise en relation annoncée", "match announced"),
    "portal.stage_under_way": _m("en cours", "under way"),
    "portal.role_mentor": _m("vous parrainez", "you mentor"),
    "portal.role_mentee": _m("vous êtes parrainé·e", "you are mentored"),
    "portal.role_facilitator": _m("vous animez le groupe", "you facilitate the group"),
    "portal.role_member": _m("membre du groupe", "group member"),
    "portal.role_attendee": _m("participant·e", "attendee"),
    "portal.seat_line": _m("Rotation {rotation} : table {table}",
                           "Rotation {rotation}: table {table}"),
    "portal.action_read": _m("Lire l'annonce", "Read the announcement"),
    "portal.action_enrol": _m("M'inscrire dans mon profil", "Enrol in my profile"),
    "portal.action_under_way_mentor": _m("Proposer un premier échange",
                                         "Propose a first meeting"),
    "portal.action_under_way_mentee": _m("Préparer le premier échange",
                                         "Prepare the first meeting"),
    "portal.action_under_way_facilitator": _m("Proposer la première séance",
                                              "Propose the first session"),
    "portal.action_under_way_member": _m("Voir mon groupe", "See my group"),
    "portal.action_under_way_attendee": _m("Voir mes tables", "See my tables"),
    "portal.action_none_waiting": _m(
        "Rien à faire pour l'instant : vous serez prévenu·e à la publication du prochain tour.",
        "Nothing to do for now: you will be told when the next round is published.",
    ),
    "portal.completeness_title": _m("Mon profil", "My profile"),
    "portal.completeness_value": _m("Profil complété à {percent} %",
                                    "Profile {percent}% complete"),
    "portal.completeness_rule": _m(
        "Ce qui compte, un cinquième chacun : au moins trois compétences avec leur niveau, "
        "une compétence à développer, un thème, un format rejoint (parrainage, groupe ou "
        "séminaire) et un moyen d'être prévenu·e. Les champs fournis par les RH ne comptent "
        "pas.",
        "What counts, a fifth each: at least three skills with their level, one skill to "
        "develop, one theme, one format joined (mentoring, group or seminar) and one way to "
        "be told. Fields provided by HR do not count.",
    ),
    "portal.completeness_missing": _m("Il vous reste :", "Still to do:"),
    "portal.completeness_part_skills": _m("au moins trois compétences avec leur niveau",
                                          "at least three skills with their level"),
    "portal.completeness_part_wanted": _m("une compétence à développer",
                                          "one skill to develop"),
    "portal.completeness_part_themes": _m("un thème d'intérêt", "one theme of interest"),
    "portal.completeness_part_formats": _m("rejoindre un format (parrainage, groupe, séminaire)",
                                           "join a format (mentoring, group, seminar)"),
    "portal.completeness_part_channels": _m("un moyen d'être prévenu·e",
                                            "one way to be told"),
}
