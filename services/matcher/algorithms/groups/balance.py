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
    w_coh, w_sites, w_sen, w_new = weights
    order = np.arange(len(unit_of_pos))
    n_units = int(unit_of_pos.max()) + 1
    unit = np.empty(len(order), dtype=np.intp)
    unit[order] = unit_of_pos
    count = np.bincount(unit, minlength=n_units).astype(float)
    sums = np.zeros((n_units, v.shape[1]))
    np.add.at(sums, unit, v)
    dev_s: FloatArray = np.bincount(unit, sen, minlength=n_units).astype(float)
    dev_n: FloatArray = np.bincount(unit, new, minlength=n_units).astype(float)
    vol = np.bincount(unit, fac, minlength=n_units)
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
        here = np.flatnonzero(unit == p)
        top_s = here[np.argsort(-np.sign(dev_s[p]) * sen[here], kind="stable")[: TOP // 2]]
        top_n = here[np.argsort(-np.sign(dev_n[p]) * new[here], kind="stable")[: TOP // 2]]
        mine = np.unique(np.concatenate([top_s, top_n]))
        cand = _partners(p, dev_s, sums / count[:, None])
        if len(cand) == 0:
            stuck[p] = True
            continue
        js = np.concatenate([order[starts[u] : starts[u + 1]] for u in cand])
        q = unit[js]  # partner unit of every candidate j
        means = sums / count[:, None]
        vj = v[js]
        gp, gq = groups_per_unit[p], groups_per_unit[q]
        coh = (v[mine] @ means.T)[:, q] - (v[mine] @ means[p])[:, None]
        coh += ((vj @ means[p]) - (vj * means[q]).sum(axis=1))[None, :]
        gain = coh_w * coh
        for w, x, dev in ((w_sen, sen, dev_s), (w_new, new, dev_n)):
            d = x[mine][:, None] - x[js][None, :]  # what p loses, q gains
            gain += w * (2 * d * dev[p] - d * d) / gp - w * (2 * d * dev[q] + d * d) / gq
        si, sj = sites[mine][:, None], sites[js][None, :]
        diff = si != sj
        gain -= (
            w_sites
            * diff
            * (
                (site_c[p, sj] - site_c[p, si] + 1.0) / gp
                + (site_c[q, si] - site_c[q, sj] + 1.0) / gq
            )
        )
        df = fac[js][None, :] - fac[mine][:, None]  # what p gains
        miss = np.maximum(groups_per_unit - vol, 0.0)
        new_p = np.maximum(gp - (vol[p] + df), 0.0)
        new_q = np.maximum(gq - (vol[q] - df), 0.0)
        gain -= BIG * (new_p + new_q - miss[p] - miss[q])
        gain[:, q == p] = -np.inf
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
