"""Messages of the matcher service (codes of its errors, reports and texts)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "matcher_error": {"fr": "Erreur du matcher.", "en": "Matcher error."},
    "round_not_found": {"fr": "Tour {round_id} introuvable.", "en": "Round {round_id} not found."},
    "match_not_found": {
        "fr": "Proposition {match_id} introuvable dans ce tour.",
        "en": "Match {match_id} not found in this round.",
    },
    "matcher_member_unknown": {
        "fr": "Membre {member_id} inconnu du matcher.",
        "en": "Member {member_id} is unknown to the matcher.",
    },
    "round_invalid_transition": {
        "fr": "Un tour dans l'état « {state} » ne permet pas l'action « {action} ».",
        "en": "A round in state '{state}' does not allow the action '{action}'.",
    },
    "round_request_conflict": {
        "fr": "L'identifiant de requête {client_request_id} est déjà utilisé "
        "par une demande différente.",
        "en": "The request id {client_request_id} is already used by a different request.",
    },
    "replan_source_invalid": {
        "fr": "replan_of doit désigner un tour de rotations proposé ou publié ({round_id}).",
        "en": "replan_of must name a proposed or published rotations round ({round_id}).",
    },
    "replan_too_few_rounds": {
        "fr": "Le plan d'origine n'a que {n} tours.",
        "en": "The original plan has only {n} rounds.",
    },
    "adjustment_rejected": {"fr": "Ajustement refusé.", "en": "Adjustment refused."},
    "adjustment_unavailable": {
        "fr": "Ajustement « {action} » non disponible pour un tour « {kind} ».",
        "en": "Adjustment '{action}' is not available for a '{kind}' round.",
    },
    "mentoring_impossible": {
        "fr": "Binômes impossibles : {reason}",
        "en": "No pairs possible: {reason}",
    },
    "groups_impossible": {
        "fr": "Groupes impossibles : {reason}",
        "en": "No groups possible: {reason}",
    },
    "rotations_impossible": {
        "fr": "Plan de table impossible : {reason}",
        "en": "No seating plan possible: {reason}",
    },
    "repair_member_not_in_round": {
        "fr": "{member_id} n'a pas de mise en relation dans ce tour.",
        "en": "{member_id} has no match in this round.",
    },
    "repair_nothing_to_do": {
        "fr": "Personne n'a quitté ce tour : il n'y a rien à réparer.",
        "en": "Nobody left this round: there is nothing to repair.",
    },
    "repair_impossible": {
        "fr": "Réparation impossible sans toucher à d'autres personnes : {reason}",
        "en": "No repair possible without changing other people's matches: {reason}",
    },
    "member_in_locked_group": {
        "fr": "Ce membre est dans un groupe verrouillé.",
        "en": "This member is in a locked group.",
    },
    "swap_outside_proposal": {
        "fr": "Les deux membres doivent faire partie de la proposition.",
        "en": "Both members must be part of the proposal.",
    },
    "swap_same_group": {
        "fr": "Les deux membres sont déjà dans le même groupe.",
        "en": "Both members are already in the same group.",
    },
    "swap_facilitator_needed": {
        "fr": "{out} anime son groupe et {into} n'est pas volontaire pour animer.",
        "en": "{out} facilitates their group and {into} has not volunteered to facilitate.",
    },
    "swap_already_met": {
        "fr": "{a} et {b} ont déjà été réunis : échange refusé.",
        "en": "{a} and {b} have already met: swap refused.",
    },
    "swap_same_manager_line": {
        "fr": "{a} et {b} sont dans la même ligne hiérarchique ou la même équipe.",
        "en": "{a} and {b} are in the same management line or team.",
    },
    "swap_forbidden_pair": {
        "fr": "La coordination a interdit de réunir {a} et {b}.",
        "en": "The coordinators forbade putting {a} and {b} together.",
    },
    "swap_mentoring_roles": {
        "fr": "Échange possible entre deux filleuls ou entre deux parrains du tour.",
        "en": "A swap is possible between two mentees or two mentors of the round.",
    },
    "assign_not_volunteers": {
        "fr": "{mentor_id} doit être volontaire comme parrain et {mentee_id} comme filleul, "
        "tous deux dans le périmètre du tour.",
        "en": "{mentor_id} must have volunteered as a mentor and {mentee_id} as a mentee, "
        "both within the round's scope.",
    },
    # A forced pair refused by a hard constraint: one code per constraint.
    "pair_refused.no_mentor_opted_in": {
        "fr": "Binôme refusé : {mentor_id} n'est pas volontaire comme marraine/parrain "
        "({mentee_id}).",
        "en": "Pair refused: {mentor_id} has not volunteered as a mentor ({mentee_id}).",
    },
    "pair_refused.same_manager_line": {
        "fr": "Binôme refusé : {mentor_id} est dans la même ligne hiérarchique ou la même "
        "équipe ({mentee_id}).",
        "en": "Pair refused: {mentor_id} is in the same management line or team ({mentee_id}).",
    },
    "pair_refused.no_mentor_shares_language": {
        "fr": "Binôme refusé : {mentor_id} ne partage aucune langue avec ce membre ({mentee_id}).",
        "en": "Pair refused: {mentor_id} shares no language with this member ({mentee_id}).",
    },
    "pair_refused.already_paired_with_all": {
        "fr": "Binôme refusé : {mentor_id} a déjà formé un binôme avec ce membre ({mentee_id}).",
        "en": "Pair refused: {mentor_id} has already been paired with this member ({mentee_id}).",
    },
    "pair_refused.forbidden_with_all": {
        "fr": "Binôme refusé : {mentor_id} est un binôme interdit ({mentee_id}).",
        "en": "Pair refused: {mentor_id} is a forbidden pair ({mentee_id}).",
    },
    "pair_refused": {
        "fr": "Binôme refusé : {mentor_id} et {mentee_id} ({constraint}).",
        "en": "Pair refused: {mentor_id} and {mentee_id} ({constraint}).",
    },
}
