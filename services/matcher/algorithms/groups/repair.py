"""Whole-population swap search: exact repair of hard constraints, then polishing.

:mod:`.exchange` works on small blocks and treats hard constraints as large
penalties; this module works on the whole partition:

* :meth:`SwapState.repair_conflicts` and :meth:`SwapState.repair_facilitators` search
  every other member for a swap that removes a violation without creating another one
  (manager line, history, facilitator counts) and take the best one for the objective;
  if no such swap exists they raise :class:`InfeasibleError`;
* :meth:`SwapState.polish` sweeps groups along the cluster order and, for each, tries
  swaps with groups in a window around it (similar members), accepting only swaps
  that improve the objective and keep every hard constraint; this is what spreads
  the seniority and site deviations left at block borders.

The objective is the one of :mod:`.exchange`, recomputed from group sums.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..model import InfeasibleError
from .exchange import BIG

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class SwapState:
    """A partition with the group aggregates needed for O(d) swap gains."""

    def __init__(
        self,
        vectors: FloatArray,
        sites: IntArray,
        balance: tuple[FloatArray, FloatArray, FloatArray],
        conflicts: list[frozenset[int]],
        labels: IntArray,
        weights: tuple[float, float, float, float],
        fac_bounds: tuple[int, int],
        ids: list[str] | None = None,
    ) -> None:
        self.ids = ids if ids is not None else [f"#{i}" for i in range(len(labels))]
        self.v, self.sites = vectors, sites
        self.sen, self.new, self.fac = balance
        self.conflicts, self.labels = conflicts, labels.copy()
        self.w = weights
        self.low, self.high = fac_bounds
        k = int(labels.max()) + 1 if len(labels) else 0
        n_sites = int(sites.max()) + 1 if len(sites) else 0
        self.members: list[list[int]] = [[] for _ in range(k)]
        for i, g in enumerate(self.labels.tolist()):
            self.members[g].append(i)
        self.sums = np.zeros((k, vectors.shape[1]))
        np.add.at(self.sums, self.labels, vectors)
        self.site_counts = np.zeros((k, n_sites))
        np.add.at(self.site_counts, (self.labels, sites), 1.0)
        self.dev_s: FloatArray = np.bincount(self.labels, self.sen, minlength=k).astype(float)
        self.dev_n: FloatArray = np.bincount(self.labels, self.new, minlength=k).astype(float)
        self.fac_count: FloatArray = np.bincount(self.labels, self.fac, minlength=k).astype(float)
        self.sq = (vectors * vectors).sum(axis=1)
        self.own, self.own_site = np.zeros(len(labels)), np.zeros(len(labels))
        self._refresh_own(list(range(len(labels))))

    def _pen(self, count: FloatArray) -> FloatArray:
        return np.maximum(self.low - count, 0.0) + np.maximum(count - self.high, 0.0)

    def gains(self, i_idx: IntArray, j_idx: IntArray | None = None) -> FloatArray:
        """Objective gain of swapping ``i`` and ``j`` for all pairs; all ``i`` in one group.

        ``j_idx=None`` means every member (members of ``i``'s group get ``-inf``).
        Forbidden pairs are *not* counted here: callers check :meth:`creates_conflict`.
        """
        w_coh, w_sites = self.w[0], self.w[1]
        a = int(self.labels[i_idx[0]])
        every = j_idx is None
        j = slice(None) if j_idx is None else j_idx
        b = self.labels[j]
        vi, vj = self.v[i_idx], self.v[j]
        # row features @ column features (see :meth:`_features`), then the cross terms
        rows, cols = self._features(i_idx, j, a, b)
        gain = np.stack(rows, axis=1) @ np.stack(cols)
        gain += w_coh * (vi @ (self.sums[b] - 2.0 * vj).T)
        si, sj = self.sites[i_idx], self.sites[j]
        cross = self.site_counts[b].T[si] - 2.0 * (si[:, None] == sj[None, :])
        gain -= w_sites * cross
        f_i, f_j = self.fac[i_idx], self.fac[j]
        fa, fb = self.fac_count[a], self.fac_count[b]
        old = self._pen(np.asarray(fa)) + self._pen(fb)
        for f in np.unique(f_i):
            d_f = f_j - f
            gain[f_i == f] -= BIG * (self._pen(fa + d_f) + self._pen(fb - d_f) - old)
        if every:
            gain[:, b == a] = -np.inf
        return np.asarray(gain)

    def _features(
        self, i_idx: IntArray, j: IntArray | slice, a: int, b: IntArray
    ) -> tuple[list[FloatArray], list[FloatArray]]:
        """Row and column features of :meth:`gains`' terms that are not cross terms.

        With ``d = x_j - x_i`` and ``D = dev[a] - dev[b]``, the deviation term
        ``2 d D + 2 d**2`` is ``[x_i, x_i**2, 1] @ [-2 D - 4 x_j, 2, 2 x_j D + 2 x_j**2]``.
        """
        w_coh, w_sites, w_sen, w_new = self.w
        ones = np.ones(len(i_idx))
        rows = [ones, self.own[i_idx], self.own_site[i_idx]]
        col = w_coh * (self.v[j] @ self.sums[a] - self.own[j])
        col -= w_sites * (self.site_counts[a, self.sites[j]] - self.own_site[j])
        cols = [col, np.full(len(col), -w_coh), np.full(len(col), w_sites)]
        for w, x, dev in ((w_sen, self.sen, self.dev_s), (w_new, self.new, self.dev_n)):
            xj, big_d = x[j], dev[a] - dev[b]
            rows += [x[i_idx], x[i_idx] ** 2]
            cols[0] = cols[0] - w * (2.0 * xj * big_d + 2.0 * xj * xj)
            cols += [w * (2.0 * big_d + 4.0 * xj), np.full(len(col), -2.0 * w)]
        return rows, cols

    def _refresh_own(self, members: list[int]) -> None:
        """Affinity of members to their own group (cosine, same-site pairs)."""
        idx = np.asarray(members, dtype=np.intp)
        g = self.labels[idx]
        self.own[idx] = (self.v[idx] * self.sums[g]).sum(axis=1) - self.sq[idx]
        self.own_site[idx] = self.site_counts[g, self.sites[idx]] - 1.0

    def creates_conflict(self, i: int, j: int) -> bool:
        """True when ``i`` would meet a forbidden partner in ``j``'s group or vice versa."""
        a, b = self.labels[i], self.labels[j]
        bad_i = any(self.labels[c] == b and c != j for c in self.conflicts[i])
        return bad_i or any(self.labels[c] == a and c != i for c in self.conflicts[j])

    def swap(self, i: int, j: int) -> None:
        a, b = int(self.labels[i]), int(self.labels[j])
        self.sums[a] += self.v[j] - self.v[i]
        self.sums[b] += self.v[i] - self.v[j]
        for g, out, inn in ((a, i, j), (b, j, i)):
            self.site_counts[g, self.sites[out]] -= 1.0
            self.site_counts[g, self.sites[inn]] += 1.0
            self.dev_s[g] += self.sen[inn] - self.sen[out]
            self.dev_n[g] += self.new[inn] - self.new[out]
            self.fac_count[g] += self.fac[inn] - self.fac[out]
            self.members[g].remove(out)
            self.members[g].append(inn)
        self.labels[i], self.labels[j] = b, a
        self._refresh_own(self.members[a] + self.members[b])

    def _best_valid(self, i_idx: IntArray, j_idx: IntArray | None, floor: float) -> bool:
        """Apply the best conflict-free swap with gain > ``floor``; False if none."""
        if len(i_idx) == 0 or (j_idx is not None and len(j_idx) == 0):
            return False
        every = np.arange(len(self.labels)) if j_idx is None else j_idx
        gain = self.gains(i_idx, j_idx)
        while True:  # forbidden pairs are rare: take the best, drop it if it conflicts
            r, c = divmod(int(np.argmax(gain)), gain.shape[1])
            if not gain[r, c] > floor:
                return False
            if not self.creates_conflict(int(i_idx[r]), int(every[c])):
                self.swap(int(i_idx[r]), int(every[c]))
                return True
            gain[r, c] = -np.inf

    def _outside(self, g: int, keep: npt.NDArray[np.bool_] | None = None) -> IntArray:
        mask = self.labels != g
        if keep is not None:
            mask &= keep
        return np.flatnonzero(mask)

    def repair_conflicts(self) -> None:
        """Move members until no group holds a forbidden pair, or raise InfeasibleError."""
        for i in range(len(self.labels)):
            while any(self.labels[c] == self.labels[i] for c in self.conflicts[i]):
                if not self._best_valid(np.array([i]), None, -np.inf):
                    raise InfeasibleError(
                        f"no swap separates {self.ids[i]} from a manager-line or history partner"
                    )

    def repair_facilitators(self) -> None:
        """Fix groups with too few (or, when volunteers are scarce, too many) volunteers."""
        vol = self.fac > 0
        for g in range(len(self.members)):
            while self.fac_count[g] < self.low or self.fac_count[g] > self.high:
                short = self.fac_count[g] < self.low
                mine = np.array([i for i in self.members[g] if vol[i] != short], dtype=np.intp)
                donors = self.fac_count > self.low if short else self.fac_count < self.high
                keep = (vol == short) & donors[self.labels]
                if not self._best_valid(mine, self._outside(g, keep), -np.inf):
                    raise InfeasibleError(
                        f"no swap gives group {g} the right number of facilitator volunteers"
                    )

    def polish(self, window: int, sweeps: int) -> None:
        """Improving, constraint-keeping swaps between each group and its neighbours."""
        k = len(self.members)
        for _ in range(sweeps):
            improved = False
            for g in range(k):
                lo, hi = max(0, g - window), min(k, g + window + 1)
                near = (self.labels >= lo) & (self.labels < hi)
                mine = np.array(sorted(self.members[g]), dtype=np.intp)
                while self._best_valid(mine, self._outside(g, near), 1e-9):
                    improved = True
                    mine = np.array(sorted(self.members[g]), dtype=np.intp)
            if not improved:
                return
