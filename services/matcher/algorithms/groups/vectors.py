"""Interest vectors and the cluster order used by practice-exchange groups.

The *interest vector* of a member is the one cohesion is measured on and the one the
clustering runs on, so "clustering decides who belongs together" and "cohesion" are
the same notion:

* one block per kind of information: the job function (one-hot), the themes of
  interest (multi-hot) and the skills (weighted by level 1-4, level 0 ignored);
* each non-empty block is L2-normalised on its own, so a member with twenty skills
  does not drown their function and themes;
* the concatenation is L2-normalised, so the cosine of two members is a dot product.

A member with no function, themes or skills gets the zero vector (cosine 0 with all).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import normalize

from ..model import Person

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def _features(p: Person) -> dict[str, float]:
    feats: dict[str, float] = {}
    if p.function:
        feats["f:" + p.function] = 1.0
    if p.themes:
        w = 1.0 / math.sqrt(len(p.themes))
        feats.update({"t:" + t: w for t in p.themes})
    skills = {s: float(lv) for s, lv in p.skills.items() if lv > 0}
    if skills:
        norm = math.sqrt(sum(v * v for v in skills.values()))
        feats.update({"s:" + s: v / norm for s, v in skills.items()})
    return feats


def interest_vectors(people: Sequence[Person]) -> sparse.csr_matrix:
    """Return the L2-normalised interest vectors of ``people`` (one row each).

    Objective: a fixed, documented embedding; cosine similarity = row dot product.
    Complexity: O(total number of features).

    >>> ps = [Person("a", "P", function="AD", themes=frozenset({"budget"})),
    ...       Person("b", "P", function="AD", themes=frozenset({"budget"})),
    ...       Person("c", "P", function="RH")]
    >>> X = interest_vectors(ps)
    >>> round(float(X[0].multiply(X[1]).sum()), 3), round(float(X[0].multiply(X[2]).sum()), 3)
    (1.0, 0.0)
    """
    vec = DictVectorizer(sparse=True, sort=True)
    raw = vec.fit_transform([_features(p) for p in people])
    if raw.shape[1] == 0:  # nobody has any feature: one all-zero column keeps shapes valid
        return sparse.csr_matrix((len(people), 1))
    return sparse.csr_matrix(normalize(raw, norm="l2"))


def cluster_order(x: FloatArray, sites: IntArray, n_clusters: int, seed: int) -> IntArray:
    """Order members so that similar members are adjacent.

    Members are clustered (mini-batch k-means), clusters are chained greedily by
    nearest centroid (a cheap travelling-salesman path), and inside a cluster members
    are dealt round-robin over sites so that chopping the order already mixes sites.
    Complexity: O(n * n_clusters * d) for the clustering plus O(n_clusters^2 * d).

    References: D. Sculley, "Web-scale k-means clustering", WWW 2010.
    """
    n = x.shape[0]
    n_clusters = max(1, min(n_clusters, n))
    if n_clusters == 1:
        labels = np.zeros(n, dtype=np.intp)
        centres = np.asarray(x.mean(axis=0)).reshape(1, -1)
    else:
        km = MiniBatchKMeans(
            n_clusters=n_clusters, random_state=seed, n_init=1, batch_size=2048
        ).fit(x)
        labels = km.labels_.astype(np.intp)
        centres = km.cluster_centers_
    chain = _chain(np.asarray(centres, dtype=np.float64))
    order: list[int] = []
    for c in chain:
        members = np.flatnonzero(labels == c)
        order.extend(_round_robin(members, sites[members]))
    return np.asarray(order, dtype=np.intp)


def _chain(centres: FloatArray) -> list[int]:
    """Greedy nearest-neighbour path through the centroids, from the most peripheral."""
    c = normalize(centres)
    sim = c @ c.T
    start = int(np.argmin(sim.sum(axis=1)))
    path = [start]
    free = np.ones(len(c), dtype=bool)
    free[start] = False
    while free.any():
        row = np.where(free, sim[path[-1]], -np.inf)
        nxt = int(np.argmax(row))
        path.append(nxt)
        free[nxt] = False
    return path


def _round_robin(members: IntArray, member_sites: IntArray) -> list[int]:
    """Interleave members by site, largest site first (stable, deterministic)."""
    by_site: dict[int, list[int]] = {}
    for m, s in zip(members.tolist(), member_sites.tolist(), strict=True):
        by_site.setdefault(s, []).append(m)
    queues = sorted(by_site.values(), key=len, reverse=True)
    out: list[int] = []
    depth = max((len(q) for q in queues), default=0)
    for i in range(depth):
        out.extend(q[i] for q in queues if i < len(q))
    return out
