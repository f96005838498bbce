"""beta_c of phi^4 from Binder crossings: the jackknife, the crossing finder and the scan."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.wcrg.binder import binder_crossings, binder_scan, jackknife_binder


def test_binder_of_gaussian_magnetisation_is_zero_and_of_two_peaks_two_thirds():
    rng = np.random.default_rng(0)
    value, error = jackknife_binder(rng.normal(size=20000))
    assert abs(value) < 4 * error and 0 < error < 0.05
    value, error = jackknife_binder(np.where(rng.random(1000) < 0.5, -0.8, 0.8))
    assert value == pytest.approx(2 / 3) and error == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError, match="too few"):
        jackknife_binder(np.ones(5))


def test_crossings_are_interpolated_and_absent_when_the_curves_do_not_cross():
    betas = [0.8, 0.9, 1.0]
    table = pd.DataFrame({"size": [8] * 3 + [16] * 3, "beta": betas * 2,
                          "binder": [0.4, 0.5, 0.6, 0.2, 0.5 + 0.1 / 3, 0.7]})
    crossings = binder_crossings(table)
    # 16 - 8: -0.2, +0.0333, +0.1 -> sign change between 0.8 and 0.9 at t = 0.2 / 0.2333
    assert crossings["beta_crossing"].iloc[0] == pytest.approx(0.8 + 0.1 * 0.2 / (0.2 + 0.1 / 3))
    apart = table.assign(binder=[0.4, 0.5, 0.6, 0.5, 0.6, 0.7])
    assert binder_crossings(apart).empty


def test_scan_is_deterministic_and_orders_with_beta():
    kwargs = {"n_samples": 100, "burn_in": 200, "spacing": 2, "seed": 3}
    first = binder_scan([4, 8], [0.5, 1.5], **kwargs)
    pd.testing.assert_frame_equal(first, binder_scan([4, 8], [0.5, 1.5], **kwargs))
    for _, rows in first.groupby("size"):
        low, high = rows.sort_values("beta")["binder"]
        assert high > low  # more ordered at larger beta in this normalisation
