"""Mentoring pair score: how well a mentor fits a mentee, term by term.

A score is a weighted sum of five raw terms, each in ``[0, 1]``:

``skills``
    For each skill ``s`` the mentee wants, the level gap
    ``max(0, mentor_level(s) - mentee_level(s))`` (levels 0-4, missing = 0),
    summed and divided by ``4 * len(mentee.skills_wanted)``: 1 means the mentor
    is an expert (4) in every wanted skill the mentee does not know at all.
    Dividing by the length of the wish list keeps mentees with long wish lists
    from dominating the assignment.
``themes``
    Share of the mentee's themes of interest the mentor shares.
``cross_site``
    1 when mentor and mentee work on different sites (breaks isolation).
``newcomer``
    1 when the mentee is a newcomer: every edge of a newcomer is raised, so the
    optimum serves newcomers first when mentors are scarce.
``seniority``
    Years of seniority the mentor has over the mentee, capped at
    :data:`SENIORITY_CAP_YEARS` and divided by it (0 if the mentee is senior).

Levels outside 0-4 are clipped and rounded to integers, so :func:`score_pair`
and the vectorised :func:`score_matrix` compute exactly the same floats (the
operations are done in the same order; see ``tests/unit/algorithms/test_scoring.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import numpy.typing as npt

from services.matcher.algorithms.model import AlgorithmError, Person

MAX_LEVEL = 4
SENIORITY_CAP_YEARS = 10.0
TERMS = ("skills", "themes", "cross_site", "newcomer", "seniority")


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Weight of each score term (a round parameter); 0 turns a term off.

    Defaults: skills count most (the reason to mentor); themes, cross-site links
    and newcomer priority are each worth half a perfect skill fit; seniority is a
    tie-breaker. All weights must be finite and >= 0.
    """

    skills: float = 1.0
    themes: float = 0.5
    cross_site: float = 0.5
    newcomer: float = 0.5
    seniority: float = 0.25

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise AlgorithmError(f"weight {f.name} must be finite and >= 0, got {value!r}")

    def max_total(self) -> float:
        """Largest score a pair can reach (every raw term equal to 1)."""
        return self.skills + self.themes + self.cross_site + self.newcomer + self.seniority


@dataclass(frozen=True, slots=True)
class PairScore:
    """Score of one (mentor, mentee) pair with what explains it.

    Attributes
    ----------
    mentor_id, mentee_id : member ids.
    total : sum of the weighted terms.
    terms : term name -> weighted contribution (keys are :data:`TERMS`).
    taught_skills : wanted skill codes the mentor knows better than the mentee,
        largest gap first.
    shared_themes : themes both share, sorted.
    sites : (mentor site, mentee site).
    seniority_gap_years : mentor minus mentee seniority (can be negative).
    """

    mentor_id: str
    mentee_id: str
    total: float
    terms: dict[str, float] = field(default_factory=dict)
    taught_skills: tuple[str, ...] = ()
    shared_themes: tuple[str, ...] = ()
    sites: tuple[str, str] = ("", "")
    seniority_gap_years: float = 0.0


def level(skills: Mapping[str, int], code: str) -> int:
    """Level of ``code`` in ``skills``, clipped to 0-4 (missing = 0)."""
    return min(MAX_LEVEL, max(0, round(skills.get(code, 0))))


def score_pair(mentor: Person, mentee: Person, weights: ScoreWeights | None = None) -> PairScore:
    """Score ``mentor`` for ``mentee`` and keep the per-term contributions.

    Objective terms and their definitions are in the module docstring. Hard
    constraints (opt-ins, language, manager line...) are NOT checked here: the
    mentoring assignment treats them as missing edges.

    Complexity: O(|skills_wanted| + |themes|).

    Examples
    --------
    >>> m = Person("m", "Lyon", skills={"TRAVEL": 4}, themes=frozenset({"a", "b"}),
    ...            seniority_years=12, mentor_capacity=1)
    >>> e = Person("e", "Paris", skills_wanted=frozenset({"TRAVEL"}),
    ...            themes=frozenset({"a"}), mentee=True)
    >>> s = score_pair(m, e)
    >>> s.total, s.terms["skills"], s.taught_skills
    (2.25, 1.0, ('TRAVEL',))
    """
    w = weights or ScoreWeights()
    wanted = sorted(mentee.skills_wanted)
    gaps = {c: level(mentor.skills, c) - level(mentee.skills, c) for c in wanted}
    gap_sum = sum(g for g in gaps.values() if g > 0)
    shared = sorted(mentor.themes & mentee.themes)
    sen_gap = float(mentor.seniority_years) - float(mentee.seniority_years)
    terms = {
        "skills": gap_sum * (w.skills / (MAX_LEVEL * len(wanted))) if wanted else 0.0,
        "themes": len(shared) * (w.themes / len(mentee.themes)) if mentee.themes else 0.0,
        "cross_site": w.cross_site if mentor.site != mentee.site else 0.0,
        "newcomer": w.newcomer if mentee.newcomer else 0.0,
        "seniority": min(max(0.0, sen_gap), SENIORITY_CAP_YEARS)
        * (w.seniority / SENIORITY_CAP_YEARS),
    }
    # Same summation order as score_matrix, so both give identical floats.
    total = terms["skills"] + terms["themes"]
    total = total + terms["cross_site"]
    total = total + terms["newcomer"]
    total = total + terms["seniority"]
    taught = sorted((c for c, g in gaps.items() if g > 0), key=lambda c: (-gaps[c], c))
    return PairScore(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        total=total,
        terms=terms,
        taught_skills=tuple(taught),
        shared_themes=tuple(shared),
        sites=(mentor.site, mentee.site),
        seniority_gap_years=sen_gap,
    )


def score_matrix(
    mentors: Sequence[Person], mentees: Sequence[Person], weights: ScoreWeights | None = None
) -> npt.NDArray[np.float64]:
    """Scores of every (mentee, mentor) pair as a dense matrix, vectorised.

    Row ``i`` is ``mentees[i]``, column ``j`` is ``mentors[j]``; entry ``[i, j]``
    equals ``score_pair(mentors[j], mentees[i], weights).total`` exactly (same
    float operations in the same order). Hard constraints are not applied.

    The skills term uses ``max(0, a - b) = sum_{t=1..4} [a >= t] [b < t]`` for
    integer levels, so all level gaps come from one float32 matrix product of
    0/1 matrices (exact: small integer counts), then float64 scaling.

    Complexity: O(n * m * (4 * S + T)) for S skill codes and T themes, done by
    BLAS; memory O(n * m) floats (400 MB for 10,000 x 5,000). To avoid holding
    that matrix, use :func:`score_blocks`.

    Examples
    --------
    >>> m = Person("m", "Lyon", skills={"TRAVEL": 4}, mentor_capacity=1)
    >>> e = Person("e", "Paris", skills_wanted=frozenset({"TRAVEL"}), mentee=True)
    >>> score_matrix([m], [e]).tolist() == [[score_pair(m, e).total]]
    True
    """
    total = np.empty((len(mentees), len(mentors)), dtype=np.float64)
    for lo, block in score_blocks(mentors, mentees, weights):
        total[lo : lo + len(block)] = block
    return total


def score_blocks(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    weights: ScoreWeights | None = None,
    block: int = 64,
) -> Iterator[tuple[int, npt.NDArray[np.float64]]]:
    """Rows of :func:`score_matrix` by blocks: ``(first row, scores of the next rows)``.

    Same floats as :func:`score_matrix`. The yielded array is a buffer reused
    for the next block (copy what you keep): small blocks stay in the CPU
    cache, so a caller can mask and transform them before the next block is
    computed instead of making several passes over an n x m matrix.

    >>> m = Person("m", "Lyon", skills={"TRAVEL": 4}, mentor_capacity=1)
    >>> e = Person("e", "Paris", skills_wanted=frozenset({"TRAVEL"}), mentee=True)
    >>> [(lo, b.tolist()) for lo, b in score_blocks([m], [e])]
    [(0, [[1.5]])]
    """
    w = weights or ScoreWeights()
    codes = sorted({c for p in mentees for c in p.skills_wanted})
    themes = sorted({t for p in mentees for t in p.themes})
    gap_left, gap_right = _gap_factors(mentors, mentees, codes)
    gap_right_t = np.ascontiguousarray(gap_right.T)
    th_left, th_right_t = (
        _incidence(mentees, themes),
        np.ascontiguousarray(_incidence(mentors, themes).T),
    )
    n_wanted = np.array([len(p.skills_wanted) for p in mentees], dtype=np.float64)
    n_themes = np.array([len(p.themes) for p in mentees], dtype=np.float64)
    a = np.divide(w.skills, MAX_LEVEL * n_wanted, out=np.zeros_like(n_wanted), where=n_wanted > 0)
    b = np.divide(w.themes, n_themes, out=np.zeros_like(n_themes), where=n_themes > 0)
    site_ids = {s: k for k, s in enumerate(sorted({p.site for p in (*mentors, *mentees)}))}
    s_m = np.array([site_ids[p.site] for p in mentors], dtype=np.int64)
    s_e = np.array([site_ids[p.site] for p in mentees], dtype=np.int64)
    new = np.array([w.newcomer if p.newcomer else 0.0 for p in mentees])
    y_m = np.array([float(p.seniority_years) for p in mentors])
    y_e = np.array([float(p.seniority_years) for p in mentees])
    n, m = len(mentees), len(mentors)
    out_buf = np.empty((min(block, n), m))
    tmp_buf = np.empty((min(block, n), m))
    cross = np.empty((min(block, n), m), dtype=bool)
    for lo in range(0, n, block):
        r = slice(lo, min(lo + block, n))
        k = r.stop - lo
        out, tmp = out_buf[:k], tmp_buf[:k]
        np.multiply(gap_left[r] @ gap_right_t, a[r, None], out=out)
        np.multiply(th_left[r] @ th_right_t, b[r, None], out=tmp)
        out += tmp
        np.not_equal(s_e[r, None], s_m[None, :], out=cross[:k])
        np.add(out, w.cross_site, out=out, where=cross[:k])
        out += new[r, None]
        np.subtract(y_m[None, :], y_e[r, None], out=tmp)
        np.clip(tmp, 0.0, SENIORITY_CAP_YEARS, out=tmp)
        tmp *= w.seniority / SENIORITY_CAP_YEARS
        out += tmp
        yield lo, out


def _incidence(people: Sequence[Person], themes: Sequence[str]) -> npt.NDArray[np.float32]:
    index = {t: k for k, t in enumerate(themes)}
    out = np.zeros((len(people), len(themes)), dtype=np.float32)
    for r, p in enumerate(people):
        for t in p.themes:
            if t in index:
                out[r, index[t]] = 1.0
    return out


def _gap_factors(
    mentors: Sequence[Person], mentees: Sequence[Person], codes: Sequence[str]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """0/1 factors whose product sums max(0, mentor level - mentee level) over wanted skills."""
    lv_m = np.array([[level(p.skills, c) for c in codes] for p in mentors], dtype=np.int8)
    lv_e = np.array([[level(p.skills, c) for c in codes] for p in mentees], dtype=np.int8)
    wanted = np.array([[c in p.skills_wanted for c in codes] for p in mentees], dtype=bool)
    lv_m = lv_m.reshape(len(mentors), len(codes))
    lv_e = lv_e.reshape(len(mentees), len(codes))
    wanted = wanted.reshape(len(mentees), len(codes))
    steps = range(1, MAX_LEVEL + 1)
    left = np.concatenate([wanted & (lv_e < t) for t in steps], axis=1).astype(np.float32)
    right = np.concatenate([lv_m >= t for t in steps], axis=1).astype(np.float32)
    return left, right
