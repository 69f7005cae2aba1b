"""The balancing step's swap gains equal the element-wise formula they replaced."""

from __future__ import annotations

import numpy as np
import pytest

from services.matcher.algorithms.groups.balance import _gains
from services.matcher.algorithms.groups.exchange import BIG


def elementwise(p, mine, js, q, means, totals, arrays, weights, coh_w):  # type: ignore[no-untyped-def]
    """The gain matrix as ``balance`` computed it before issue 14 (one pass per term)."""
    v, sites, sen, new, fac = arrays
    dev_s, dev_n, vol, site_c, gpu = totals
    _, w_sites, w_sen, w_new = weights
    gp, gq = gpu[p], gpu[q]
    vj = v[js]
    coh = (v[mine] @ means.T)[:, q] - (v[mine] @ means[p])[:, None]
    coh += ((vj @ means[p]) - (vj * means[q]).sum(axis=1))[None, :]
    gain = coh_w * coh
    for w, x, dev in ((w_sen, sen, dev_s), (w_new, new, dev_n)):
        d = x[mine][:, None] - x[js][None, :]
        gain += w * (2 * d * dev[p] - d * d) / gp - w * (2 * d * dev[q] + d * d) / gq
    si, sj = sites[mine][:, None], sites[js][None, :]
    gain -= (
        w_sites
        * (si != sj)
        * ((site_c[p, sj] - site_c[p, si] + 1.0) / gp + (site_c[q, si] - site_c[q, sj] + 1.0) / gq)
    )
    df = fac[js][None, :] - fac[mine][:, None]
    miss = np.maximum(gpu - vol, 0.0)
    new_p = np.maximum(gp - (vol[p] + df), 0.0)
    new_q = np.maximum(gq - (vol[q] - df), 0.0)
    gain -= BIG * (new_p + new_q - miss[p] - miss[q])
    gain[:, q == p] = -np.inf
    return gain


@pytest.mark.parametrize("seed", range(6))
def test_the_factored_gains_equal_the_element_wise_ones(seed: int):
    rng = np.random.default_rng(seed)
    n, n_units, d = 240, 6, 9
    unit = np.repeat(np.arange(n_units), n // n_units)
    v = rng.random((n, d))
    v /= np.linalg.norm(v, axis=1)[:, None]
    sites = rng.integers(0, 4, n)
    sen, new = rng.normal(size=n), rng.normal(size=n)
    fac = (rng.random(n) < (0.3 if seed % 2 else 0.05)).astype(float)
    gpu = np.full(n_units, 5.0)
    count = np.bincount(unit).astype(float)
    sums = np.zeros((n_units, d))
    np.add.at(sums, unit, v)
    site_c = np.zeros((n_units, 4))
    np.add.at(site_c, (unit, sites), 1.0)
    totals = (
        np.bincount(unit, sen), np.bincount(unit, new), np.bincount(unit, fac), site_c, gpu
    )  # fmt: skip
    p, cand = 2, np.array([0, 1, 4, 5])
    mine = np.flatnonzero(unit == p)[:16]
    js = np.flatnonzero(np.isin(unit, cand))
    args = (sums / count[:, None], totals, (v, sites, sen, new, fac), (1.0, 1.0, 16.0, 2.0), 4.0)
    got = _gains(p, mine, js, cand, unit[js], *args)
    np.testing.assert_allclose(got, elementwise(p, mine, js, unit[js], *args), atol=1e-9)
