"""The repair and polishing swap gains equal the element-wise formula they replaced."""

from __future__ import annotations

import numpy as np
import pytest

from services.matcher.algorithms.groups.exchange import BIG
from services.matcher.algorithms.groups.repair import SwapState


def elementwise(s: SwapState, i_idx, j_idx):  # type: ignore[no-untyped-def]
    """:meth:`SwapState.gains` as computed before issue 14 (one pass per term)."""
    w_coh, w_sites, w_sen, w_new = s.w
    a = int(s.labels[i_idx[0]])
    j = slice(None) if j_idx is None else j_idx
    b = s.labels[j]
    vi, vj = s.v[i_idx], s.v[j]
    coh = (vi @ s.sums.T)[:, b] + (vj @ s.sums[a])[None, :]
    coh -= s.own[i_idx][:, None] + s.own[j][None, :] + 2.0 * (vi @ vj.T)
    si, sj = s.sites[i_idx], s.sites[j]
    c = s.site_counts
    same = c[:, si][b].T + c[a, sj][None, :] - s.own_site[i_idx][:, None]
    same -= s.own_site[j][None, :] + 2.0 * (si[:, None] == sj[None, :])
    gain = w_coh * coh - w_sites * same
    for w, x, dev in ((w_sen, s.sen, s.dev_s), (w_new, s.new, s.dev_n)):
        d = x[j][None, :] - x[i_idx][:, None]
        gain -= w * (2.0 * d * (dev[a] - dev[b])[None, :] + 2.0 * d * d)
    d_f = s.fac[j][None, :] - s.fac[i_idx][:, None]
    fa, fb = s.fac_count[a], s.fac_count[b][None, :]
    old = s._pen(np.asarray(fa)) + s._pen(fb)
    gain -= BIG * (s._pen(fa + d_f) + s._pen(fb - d_f) - old)
    if j_idx is None:
        gain[:, b == a] = -np.inf
    return gain


@pytest.mark.parametrize("bounds", [(1, 400), (0, 1)])
@pytest.mark.parametrize("seed", range(3))
def test_the_factored_swap_gains_equal_the_element_wise_ones(seed: int, bounds):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n, k = 400, 50
    v = rng.random((n, 12))
    v /= np.linalg.norm(v, axis=1)[:, None]
    labels = np.repeat(np.arange(k), n // k)
    rng.shuffle(labels)
    balance = (rng.normal(size=n), rng.normal(size=n), (rng.random(n) < 0.2).astype(float))
    state = SwapState(
        v, rng.integers(0, 4, n), balance, [frozenset()] * n, labels, (1.0, 0.5, 16.0, 2.0), bounds
    )
    for g in range(4):
        mine = np.array(state.members[g])
        for others in (np.flatnonzero(labels != g)[:90], None):
            want = elementwise(state, mine, others)
            got = state.gains(mine, others)
            assert (np.isfinite(got) == np.isfinite(want)).all()
            ok = np.isfinite(want)
            np.testing.assert_allclose(got[ok], want[ok], atol=1e-9)
