"""Multilevel balancing of the cluster order before groups are formed.

Why: once members are ordered by similarity, a run of consecutive groups is one
latent community, and a community's mean seniority is what its groups end up with;
no swap *inside* a community can fix that.  Group-by-group searches are myopic about
it (they pay cohesion to fix one group at a time).  Here the order is cut into
*units* of ``G`` consecutive groups (a region of about one community, then a block),
and members are swapped between units so that every unit has the population's
seniority and newcomer mix, as many facilitator volunteers as groups, and a
proportional site mix, paying as little cohesion as possible: most swaps stay inside
a community, and the few that cross communities trade the most extreme seniorities.

Unit objective (the group objective of :mod:`.exchange` with every unit's
totals spread evenly over its ``G`` groups): ``sum_u (D_u**2 + E_u**2 weighted) / G +
sites: sum_{u,s} c_us**2 / (2 G) + BIG * missing volunteers``, and the cohesion of
member ``i`` in unit ``u`` is estimated as ``(size - 1) * v_i . mean_u``.
Complexity: O(steps * top * n) with ``top`` members of the worst unit tried per step.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .exchange import BIG

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: Members of the worst unit tried per step (the most extreme in the wrong direction).
TOP = 16
#: Partner units tried per step: neighbours in the chain, the most opposite ones and
#: the most similar among those that deviate the other way.
NEAR, OPPOSITE, SIMILAR = 2, 3, 3


def balance_units(
    order: IntArray,
    unit_of_pos: IntArray,
    groups_per_unit: FloatArray,
    arrays: tuple[FloatArray, IntArray, FloatArray, FloatArray, FloatArray],
    weights: tuple[float, float, float, float],
    group_size: float,
    tolerance: float,
    scope: tuple[int, int] | None = None,
) -> IntArray:
    """Swap members between units of the order; return the new order.

    ``unit_of_pos[p]`` is the unit of position ``p`` (units are contiguous runs);
    with ``scope=(a, b)`` only positions ``a..b-1`` are touched; ``arrays`` = (vectors, sites,
    seniority, newcomer, facilitator), standardised as in :mod:`.exchange`.
    Stops when every unit's seniority and newcomer deviations per group are within
    ``tolerance`` (in standard deviations, summed over a group) or when no swap from
    the worst remaining unit improves the unit objective (that unit is then left).
    """
    order = order.copy()
    a, b = scope if scope is not None else (0, len(order))
    sub = order[a:b]
    units = unit_of_pos[a:b] - unit_of_pos[a]
    arrays = tuple(x[sub] for x in arrays)  # type: ignore[assignment]
    local = _balance(
        units,
        groups_per_unit[unit_of_pos[a] : unit_of_pos[b - 1] + 1],
        arrays,
        weights,
        group_size,
        tolerance,
    )
    order[a:b] = sub[local]
    return order


def _balance(
    unit_of_pos: IntArray,
    groups_per_unit: FloatArray,
    arrays: tuple[FloatArray, IntArray, FloatArray, FloatArray, FloatArray],
    weights: tuple[float, float, float, float],
    group_size: float,
    tolerance: float,
) -> IntArray:
    """:func:`balance_units` on members ``0..n-1`` in positions ``0..n-1``."""
    v, sites, sen, new, fac = arrays
    w_coh = weights[0]
    order = np.arange(len(unit_of_pos))
    n_units = int(unit_of_pos.max()) + 1
    unit = np.empty(len(order), dtype=np.intp)
    unit[order] = unit_of_pos
    count = np.bincount(unit, minlength=n_units).astype(float)
    sums = np.zeros((n_units, v.shape[1]))
    np.add.at(sums, unit, v)
    dev_s: FloatArray = np.bincount(unit, sen, minlength=n_units).astype(float)
    dev_n: FloatArray = np.bincount(unit, new, minlength=n_units).astype(float)
    vol: FloatArray = np.bincount(unit, fac, minlength=n_units).astype(float)
    site_c = np.zeros((n_units, int(sites.max()) + 1))
    np.add.at(site_c, (unit, sites), 1.0)
    starts = np.searchsorted(unit_of_pos, np.arange(n_units + 1))
    pos = np.empty(len(order), dtype=np.intp)
    pos[order] = np.arange(len(order))
    coh_w = w_coh * (group_size - 1.0)
    stuck = np.zeros(n_units, dtype=bool)
    for _ in range(4 * len(order)):
        off = np.maximum(np.abs(dev_s), np.abs(dev_n)) / groups_per_unit
        off[stuck] = -1.0
        p = int(np.argmax(off))
        if off[p] <= tolerance:
            break
        here = np.sort(order[starts[p] : starts[p + 1]])  # the members of unit p
        top_s = here[np.argsort(-np.sign(dev_s[p]) * sen[here], kind="stable")[: TOP // 2]]
        top_n = here[np.argsort(-np.sign(dev_n[p]) * new[here], kind="stable")[: TOP // 2]]
        mine = np.unique(np.concatenate([top_s, top_n]))
        means = sums / count[:, None]
        cand = _partners(p, dev_s, means)
        if len(cand) == 0:
            stuck[p] = True
            continue
        js = np.concatenate([order[starts[u] : starts[u + 1]] for u in cand])
        totals = (dev_s, dev_n, vol, site_c, groups_per_unit)
        gain = _gains(p, mine, js, cand, unit[js], means, totals, arrays, weights, coh_w)
        r, c = divmod(int(np.argmax(gain)), gain.shape[1])
        if gain[r, c] <= 1e-9:
            stuck[p] = True
            continue
        i, j = int(mine[r]), int(js[c])
        u = int(unit[j])
        for mover, a, b in ((i, p, u), (j, u, p)):
            sums[a] -= v[mover]
            sums[b] += v[mover]
            dev_s[a] -= sen[mover]
            dev_s[b] += sen[mover]
            dev_n[a] -= new[mover]
            dev_n[b] += new[mover]
            vol[a] -= fac[mover]
            vol[b] += fac[mover]
            site_c[a, sites[mover]] -= 1.0
            site_c[b, sites[mover]] += 1.0
        unit[i], unit[j] = u, p
        order[pos[i]], order[pos[j]] = j, i
        pos[i], pos[j] = pos[j], pos[i]
    return order


def _gains(
    p: int,
    mine: IntArray,
    js: IntArray,
    cand: IntArray,
    q: IntArray,
    means: FloatArray,
    totals: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
    arrays: tuple[FloatArray, IntArray, FloatArray, FloatArray, FloatArray],
    weights: tuple[float, float, float, float],
    coh_w: float,
) -> FloatArray:
    """Gain of swapping ``mine[r]`` (in unit ``p``) with ``js[c]`` (in unit ``q[c]``).

    The unit objective's change, written as a few matrix products over row (``mine``)
    and column (``js``) features instead of many element-wise operations on the
    ``len(mine) x len(js)`` matrix: with ``d = x_i - x_j``, a deviation term
    ``a_c d - b_c d**2`` is ``[x_i, x_i**2, 1] @ [a_c + 2 b_c x_j, -b_c, -a_c x_j - b_c x_j**2]``.
    O(len(mine) * len(js) + len(js) * d * len(cand)).
    """
    v, sites, sen, new, fac = arrays
    dev_s, dev_n, vol, site_c, gpu = totals
    _, w_sites, w_sen, w_new = weights
    gp, gq = gpu[p], gpu[q]
    vm = v[mine]
    unit_dots = vm @ means.T
    # cohesion: v_j . (mean_p - mean_q), one product per candidate unit
    proj = v[js] @ (means[p][:, None] - means[cand].T)
    col_coh = proj[np.arange(len(js)), np.searchsorted(cand, q)]
    rows = [np.ones(len(mine))]
    cols = [coh_w * col_coh]
    for w, x, dev in ((w_sen, sen, dev_s), (w_new, new, dev_n)):
        xi, xj = x[mine], x[js]
        a = 2.0 * w * (dev[p] / gp - dev[q] / gq)
        b = w * (1.0 / gp + 1.0 / gq)
        rows += [xi, xi * xi]
        cols[0] = cols[0] - a * xj - b * xj * xj
        cols += [a + 2.0 * b * xj, -b]
    gain = np.stack(rows, axis=1) @ np.stack(cols)
    gain += coh_w * (unit_dots[:, q] - unit_dots[:, p][:, None])
    si, sj = sites[mine], sites[js]
    col_site = (site_c[p, sj] + 1.0) / gp + (1.0 - site_c[q, sj]) / gq
    cross = (site_c[q] / gq[:, None]).T[si]  # site_c[q_c, s_i] / g_q
    inner = cross + (col_site[None, :] - (site_c[p, si] / gp)[:, None])
    gain -= w_sites * (si[:, None] != sj[None, :]) * inner
    miss = np.maximum(gpu - vol, 0.0)
    fi, fj = fac[mine], fac[js]
    for f in np.unique(fi):
        df = fj - f  # what p gains
        new_p = np.maximum(gp - (vol[p] + df), 0.0)
        new_q = np.maximum(gq - (vol[q] - df), 0.0)
        gain[fi == f] -= BIG * (new_p + new_q - miss[p] - miss[q])
    gain[:, q == p] = -np.inf
    return gain


def _partners(p: int, dev: FloatArray, means: FloatArray) -> IntArray:
    """Units worth swapping with unit ``p`` (cheap to cross, or far off the other way)."""
    n_units = len(dev)
    near = np.arange(max(0, p - NEAR), min(n_units, p + NEAR + 1))
    opposite = -np.sign(dev[p]) * dev
    far = np.argsort(-opposite, kind="stable")[:OPPOSITE]
    sim = np.where(opposite > 0, means @ means[p], -np.inf)
    alike = np.argsort(-sim, kind="stable")[:SIMILAR]
    alike = alike[np.isfinite(sim[alike])]
    cand = np.unique(np.concatenate([near, far, alike]))
    return cand[cand != p]
