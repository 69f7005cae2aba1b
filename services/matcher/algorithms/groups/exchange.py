"""Steepest-descent pairwise exchange inside a block of a few groups.

This is the inner engine of :func:`~.groups.form_groups`: the anticlustering
*exchange method* (swap two members of different groups when it improves the
objective), with every swap gain of a block computed at once with numpy.

Objective maximised (all terms are sums of within-group pair terms or of squared
group deviations, which is what makes swap gains cheap):

* ``w_cohesion * sum of cosine(i, j)`` over pairs in the same group;
* ``- w_sites * number of same-site pairs`` (minimising it spreads every site as
  evenly as possible, which maximises distinct sites per group and keeps every site
  share proportional, hence under half a group whenever the population allows);
* ``- w_seniority * sum_g D_g**2`` and ``- w_newcomers * sum_g E_g**2``, where ``D_g``
  (``E_g``) is the sum over the group of the standardised seniority (newcomer flag)
  minus its population mean, i.e. the group's deviation from the population;
* ``- BIG * (forbidden pairs + facilitator-count violations)``: the hard constraints
  as penalties here; :mod:`.repair` enforces them exactly afterwards.

For a swap of ``i`` (group ``a``) and ``j`` (group ``b``) with pair matrix ``K`` and
``F[x, g] = sum_{y in g, y != x} K[x, y]``, the pair part of the gain is
``F[i,b] + F[j,a] - F[i,a] - F[j,b] - 2 K[i,j]``; with ``d = z_j - z_i`` a balance
term's cost change is ``2 d (D_a - D_b) + 2 d**2``.  After a swap ``F`` is updated by
two column operations, so one iteration costs O(m**2) for a block of ``m`` members.

References: M. Papenberg & G. Klau, "Using anticlustering to partition data sets into
equivalent parts", Psychological Methods 26(2), 2021 (exchange method, categorical
balance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Penalty per violated hard constraint inside the search (dominates every soft term).
BIG = 1000.0


@dataclass(frozen=True, slots=True)
class BlockInput:
    """Plain arrays of one block (``m`` members, ``n_groups`` groups)."""

    vectors: FloatArray  # (m, d) interest vectors
    sites: IntArray  # (m,) site codes
    seniority: FloatArray  # (m,) standardised, population mean 0
    newcomer: FloatArray  # (m,) standardised, population mean 0
    facilitator: FloatArray  # (m,) 1.0 for volunteers
    forbidden: BoolArray  # (m, m) symmetric, manager or history pairs
    fac_low: int  # every group needs at least this many volunteers
    fac_high: int  # and at most this many


def _penalty(count: FloatArray, low: int, high: int) -> FloatArray:
    return np.maximum(low - count, 0.0) + np.maximum(count - high, 0.0)


def exchange_block(
    block: BlockInput,
    labels: IntArray,
    n_groups: int,
    weights: tuple[float, float, float, float],
    max_iter: int,
) -> IntArray:
    """Improve ``labels`` (group of each block member, 0..n_groups-1) by best swaps.

    Group sizes never change (only swaps).  Stops when no swap gains more than 1e-9
    or after ``max_iter`` swaps.  Deterministic: ties go to the lowest flat index.
    Complexity: O(max_iter * m**2) time, O(m**2) memory.
    """
    w_coh, w_sites, w_sen, w_new = weights
    m = len(labels)
    labels = labels.copy()
    pair = w_coh * (block.vectors @ block.vectors.T)
    pair -= w_sites * (block.sites[:, None] == block.sites[None, :])
    pair -= BIG * block.forbidden
    np.fill_diagonal(pair, 0.0)
    onehot = np.zeros((m, n_groups))
    onehot[np.arange(m), labels] = 1.0
    aff = pair @ onehot
    dev_s = onehot.T @ block.seniority
    dev_n = onehot.T @ block.newcomer
    fac = onehot.T @ block.facilitator
    d_s = block.seniority[None, :] - block.seniority[:, None]
    d_n = block.newcomer[None, :] - block.newcomer[:, None]
    d_f = block.facilitator[None, :] - block.facilitator[:, None]
    const = -2.0 * pair - 2.0 * w_sen * d_s**2 - 2.0 * w_new * d_n**2
    rows = np.arange(m)
    for _ in range(max_iter):
        aff_g = aff[:, labels]
        own = aff_g[rows, rows]
        gain = aff_g + aff_g.T - own[:, None] - own[None, :] + const
        ds = dev_s[labels]
        gain -= 2.0 * w_sen * d_s * (ds[:, None] - ds[None, :])
        dn = dev_n[labels]
        gain -= 2.0 * w_new * d_n * (dn[:, None] - dn[None, :])
        fa = fac[labels]
        fa_i, fa_j = fa[:, None], fa[None, :]
        old = _penalty(fa_i, block.fac_low, block.fac_high) + _penalty(
            fa_j, block.fac_low, block.fac_high
        )
        new = _penalty(fa_i + d_f, block.fac_low, block.fac_high) + _penalty(
            fa_j - d_f, block.fac_low, block.fac_high
        )
        gain -= BIG * (new - old)
        gain[labels[:, None] == labels[None, :]] = -np.inf
        best = int(np.argmax(gain))
        if gain.flat[best] <= 1e-9:
            break
        i, j = divmod(best, m)
        a, b = labels[i], labels[j]
        delta = pair[:, j] - pair[:, i]
        aff[:, a] += delta
        aff[:, b] -= delta
        dev_s[a] += block.seniority[j] - block.seniority[i]
        dev_s[b] -= block.seniority[j] - block.seniority[i]
        dev_n[a] += block.newcomer[j] - block.newcomer[i]
        dev_n[b] -= block.newcomer[j] - block.newcomer[i]
        fac[a] += block.facilitator[j] - block.facilitator[i]
        fac[b] -= block.facilitator[j] - block.facilitator[i]
        labels[i], labels[j] = b, a
    return labels
