"""Quality figures of a mentoring proposal, as the coordinator previews them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from services.matcher.algorithms.mentoring.scoring import PairScore
from services.matcher.algorithms.model import Person


@dataclass(frozen=True, slots=True)
class SiteCoverage:
    """Mentees of one site and how many of them got a mentor."""

    site: str
    mentees: int
    matched: int

    @property
    def share_matched(self) -> float:
        """``matched / mentees`` (0.0 for a site without mentees)."""
        return self.matched / self.mentees if self.mentees else 0.0


@dataclass(frozen=True, slots=True)
class MentoringReport:
    """Quality of a proposal.

    Attributes
    ----------
    total_score : sum of the pair scores.
    mentees : mentees in the round (opted in).
    matched : mentees with a mentor.
    share_matched : ``matched / mentees`` (0.0 without mentees).
    worst_score : lowest pair score, None without pairs.
    share_cross_site : share of pairs whose mentor and mentee sites differ
        (0.0 without pairs).
    per_site : mentee site -> coverage, sites sorted by name.
    unmatched : unmatched mentee id -> reason code
        (see :mod:`services.matcher.algorithms.mentoring.constraints`).
    """

    total_score: float
    mentees: int
    matched: int
    share_matched: float
    worst_score: float | None
    share_cross_site: float
    per_site: dict[str, SiteCoverage] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)


def quality_report(
    pairs: Sequence[PairScore], mentees: Sequence[Person], unmatched: Mapping[str, str]
) -> MentoringReport:
    """Summarise a proposal. Complexity: O(pairs + mentees).

    >>> from services.matcher.algorithms.mentoring.scoring import score_pair
    >>> a, b = Person("a", "Lyon", mentor_capacity=1), Person("b", "Paris", mentee=True)
    >>> c = Person("c", "Paris", mentee=True)
    >>> r = quality_report([score_pair(a, b)], [b, c], {"c": "no_mentor_shares_language"})
    >>> r.share_matched, r.share_cross_site, r.per_site["Paris"].matched
    (0.5, 1.0, 1)
    """
    matched_ids = {p.mentee_id for p in pairs}
    total = Counter(p.site for p in mentees)
    hit = Counter(p.site for p in mentees if p.id in matched_ids)
    per_site = {s: SiteCoverage(s, total[s], hit[s]) for s in sorted(total)}
    cross = sum(p.sites[0] != p.sites[1] for p in pairs)
    return MentoringReport(
        total_score=float(sum(p.total for p in pairs)),
        mentees=len(mentees),
        matched=len(matched_ids),
        share_matched=len(matched_ids) / len(mentees) if mentees else 0.0,
        worst_score=min((p.total for p in pairs), default=None),
        share_cross_site=cross / len(pairs) if pairs else 0.0,
        per_site=per_site,
        unmatched=dict(sorted(unmatched.items())),
    )
