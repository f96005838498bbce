"""The glass sensitivity study's kernels against exact answers: the common-mode decomposition on
data with a planted common mode, local and ranged exponents of exact power laws, window means
and the shift null against brute force, the equilibration flag, and the replica tables."""

import math

import numpy as np
import pandas as pd
import pytest

from rgcoarse.glass import study as gs
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.glass.study_tables import (
    add_common_mode_columns,
    claim_rows,
    claims_markdown,
    replica_spread,
    run_rows,
    size_scaling,
)
from rgcoarse.stats.observables import mean_variance_table


def planted_common_mode(m, n, rho, seed):
    """x_i(t) = sqrt(rho) g(t) + sqrt(1 - rho) e_i(t): unit variances, every pair correlated rho."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal((m, 1))
    return math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.standard_normal((m, n))


def test_mean_pair_correlation_equals_the_covariance_matrix_average():
    values = np.random.default_rng(0).standard_normal((50, 7)) @ np.random.default_rng(1).standard_normal((7, 7))
    cov = np.cov(values, rowvar=False, ddof=0)
    off = (cov.sum() - np.trace(cov)) / (7 * 6)
    sigma2, rho = gs.mean_pair_correlation(values)
    assert sigma2 == pytest.approx(np.trace(cov) / 7, rel=1e-12)
    assert rho == pytest.approx(off / sigma2, rel=1e-10)


def test_mean_pair_correlation_recovers_a_planted_common_mode():
    """rho = 0.02 planted in N = 400, m = 20000: the estimate's standard error is about
    sqrt(2) / sqrt(m) * (rho + 1/N) ~ 3e-4 (the shared factor's variance fluctuates)."""
    values = planted_common_mode(20000, 400, 0.02, seed=3)
    sigma2, rho = gs.mean_pair_correlation(values)
    assert sigma2 == pytest.approx(1.0, abs=0.01)
    assert rho == pytest.approx(0.02, abs=2e-3)
    # Removing each frame's mean over particles removes the common mode: rho = -1/(N - 1) exactly.
    _, rho_removed = gs.mean_pair_correlation(gs.remove_frame_mean(values))
    assert rho_removed == pytest.approx(-1 / 399, rel=1e-9)


def test_random_pairing_follows_the_common_mode_formula_and_the_fit_recovers_rho():
    values = planted_common_mode(4000, 512, 0.02, seed=5)
    sigma2, rho = gs.mean_pair_correlation(values)
    levels = coarse_grain(values, "random", seed=7, omega=2**-0.5, min_variables=4)
    rows = gs.level_rows(mean_variance_table(values, levels))
    predicted = gs.common_mode_m2(rows["cluster_size"], sigma2, rho)
    # Random clusters: M2(K) = K sigma^2 (1 + (K - 1) rho) in expectation; the realised clusters
    # scatter about it by a few per cent (fewer clusters at large K).
    np.testing.assert_allclose(rows["m2"], predicted, rtol=0.15)
    fitted = gs.fit_common_mode(rows["cluster_size"], rows["m2"], sigma2)
    assert fitted == pytest.approx(0.02, rel=0.25)
    # The local exponent rises from 1 towards 2 as K rho grows past 1.
    slopes = gs.local_exponents(mean_variance_table(values, levels))["local_exponent"].to_numpy()
    assert slopes[0] < 1.1 and slopes[-1] > 1.6


def test_fit_common_mode_is_exact_on_the_model_curve():
    k = 2.0 ** np.arange(0, 10)
    for rho in (0.0, 0.003, 0.05, -0.001):
        assert gs.fit_common_mode(k, gs.common_mode_m2(k, 0.7, rho), 0.7) == pytest.approx(rho, abs=1e-8)
    with pytest.raises(ValueError, match="K > 1"):
        gs.fit_common_mode([1.0], [0.7], 0.7)


def test_common_mode_local_exponent_is_the_derivative():
    k = np.geomspace(1, 1000, 30)
    eps = 1e-6
    numeric = (np.log(gs.common_mode_m2(k * (1 + eps), 1.0, 0.01)) - np.log(gs.common_mode_m2(k, 1.0, 0.01))) / math.log(1 + eps)
    np.testing.assert_allclose(gs.common_mode_local_exponent(k, 0.01), numeric, rtol=1e-5)


def test_common_mode_slope_is_the_measured_local_exponent_of_the_model():
    k = 2.0 ** np.arange(0, 9)
    for rho in (0.0, 0.004, 0.02):
        table = pd.DataFrame({"level": np.arange(k.size), "cluster_size": k, "n_clusters": 256 / k,
                              "m2": gs.common_mode_m2(k, 0.3, rho)})
        measured = gs.local_exponents(table)["local_exponent"]
        np.testing.assert_allclose(gs.common_mode_slope(k[:-1], k[1:], rho), measured, rtol=1e-12)
    assert gs.common_mode_slope(128, 256, 0.0) == pytest.approx(1.0)
    # Large K rho: the slope between K and 2K approaches 2 (here K rho = 5 to 10).
    assert 1.85 < gs.common_mode_slope(500, 1000, 0.01) < 2.0


def _study_rows(rho_of_n, sizes, thermostat="nose_hoover"):
    """Summaries and M2 curves of runs whose curves are exactly the common mode of their rho."""
    summaries, curves = [], []
    for n in sizes:
        for replica in range(2):
            rho = rho_of_n(n) * (1 + 0.01 * replica)
            k = 2.0 ** np.arange(0, int(np.log2(n)) - 1)
            run = {"variant": f"n{n}{thermostat}", "label": f"N={n}", "n_particles": n, "temperature": 0.4,
                   "replica": replica, "history": f"study/n{n}/T1.000_r{replica}", "thermostat": thermostat, "thermostat_damping": 0.5,
                   "cutoff_scaling": "pair", "production": 600.0, "aging_time": 200.0, "equilibration": "ok"}
            fit = {"reading": "raw", "method": "random", "exponent[all]": 1.2, "rho_fit": rho, "rho_mean": rho,
                   "local_exponent_last": float(gs.common_mode_slope(k[-2], k[-1], rho))}
            summaries.append({"run": run, "fits": [fit]})
            curves.append(pd.DataFrame({"level": np.arange(k.size), "cluster_size": k, "n_clusters": n / k,
                                        "m2": gs.common_mode_m2(k, 0.2, rho), "variant": run["variant"],
                                        "temperature": 0.4, "replica": replica, "reading": "raw", "method": "random"}))
    return summaries, curves


def test_size_scaling_recovers_a_planted_power_of_n_and_keeps_protocols_apart():
    summaries, curves = _study_rows(lambda n: 3.0 * n**-0.6, [1000, 4000, 8000])
    other, other_curves = _study_rows(lambda n: 0.01, [1000], thermostat="nve")  # one size: no scaling
    rows = add_common_mode_columns(run_rows(summaries + other), pd.concat(curves + other_curves))
    np.testing.assert_allclose(rows["local_exponent_last_common_mode"], rows["local_exponent_last"], rtol=1e-12)
    np.testing.assert_allclose(rows["rho_n"], rows["rho_mean"] * rows["n_particles"])
    assert set(rows.loc[rows["n_particles"] == 1000, "k_last_high"]) == {128.0}  # K = 1 .. 128
    scaling = size_scaling(rows)
    assert list(scaling["n_particles"]) == [1000, 4000, 8000] and set(scaling["thermostat"]) == {"nose_hoover"}
    # rho = 3 N^-0.6 (1 + 0.01 replica): the slope is -0.6 exactly, the replicas' offset is the scatter.
    np.testing.assert_allclose(scaling["size_exponent"], -0.6, rtol=1e-9)
    assert 0 < scaling["size_exponent_se"].iloc[0] < 0.01
    np.testing.assert_allclose(scaling["rho_n"], 3.0 * scaling["n_particles"] ** 0.4 * 1.005, rtol=1e-12)
    assert set(scaling["start"]) == {"T1.000"}  # the runs' own names left out of their history
    assert "| 0.4 | T1.000 | 8000 | 2 |" in claims_markdown(claim_rows(replica_spread(rows)), scaling=scaling)
    assert size_scaling(rows[rows["n_particles"] == 1000]).empty


def power_law_table(exponent, sizes, n_clusters):
    return pd.DataFrame({"level": np.arange(len(sizes)), "cluster_size": sizes, "n_clusters": n_clusters,
                         "m2": 0.3 * np.asarray(sizes, dtype=float) ** exponent})


def test_local_and_ranged_exponents_of_an_exact_power_law():
    table = power_law_table(1.37, [1, 2, 4, 8, 16, 32, 64], [64, 32, 16, 8, 4, 2, 1])
    # An odd level's leftover cluster is not the level's K.
    table = pd.concat([table, pd.DataFrame({"level": [3], "cluster_size": [16], "n_clusters": [1], "m2": [99.0]})])
    slopes = gs.local_exponents(table)
    np.testing.assert_allclose(slopes["local_exponent"], 1.37, rtol=1e-12)
    np.testing.assert_allclose(slopes["k_mid"], np.sqrt([2, 8, 32, 128, 512, 2048]))
    fit = gs.range_exponent(table, 32, 2)
    assert fit["exponent"] == pytest.approx(1.37, rel=1e-12) and fit["k_high"] == 32 and fit["n_points"] == 6
    everything = gs.range_exponent(table, None, 1)
    assert everything["n_points"] == 7 and everything["k_high"] == 64
    assert math.isnan(gs.range_exponent(table, 1, 1)["exponent"])
    # A top level whose most common K does not grow adds no local exponent (no 0/0).
    top = pd.DataFrame({"level": [7, 7], "cluster_size": [64, 100], "n_clusters": [1, 1], "m2": [5.0, 9.0]})
    assert len(gs.local_exponents(pd.concat([table, top]))) == 6


def test_window_means_match_a_direct_average():
    times = np.arange(0, 50.01, 0.5)
    series = np.random.default_rng(2).standard_normal(times.size)
    centres = np.arange(5.0, 45.01, 0.5)
    direct = [series[(times >= c - 5 - 1e-9) & (times <= c + 5 + 1e-9)].mean() for c in centres]
    np.testing.assert_allclose(gs.window_means(times, series, centres, 5.0), direct, rtol=1e-12)
    with pytest.raises(ValueError, match="no thermo sample"):
        gs.window_means(times, series, [80.0], 1.0)


def ar1(n, phi, rng):
    out = np.empty(n)
    out[0] = rng.standard_normal()
    for i in range(1, n):
        out[i] = phi * out[i - 1] + math.sqrt(1 - phi**2) * rng.standard_normal()
    return out


def test_shift_null_tells_coupled_from_independent_autocorrelated_series():
    """Two independent AR(1) series (phi = 0.95, tau_int ~ 39) are often correlated by chance
    far beyond 2/sqrt(n); the shift null calls them insignificant in about 95 % of draws.
    A series coupled to the other is significant at the smallest p the null can give."""
    rng = np.random.default_rng(11)
    p_values = []
    for _ in range(40):
        x, y = ar1(1200, 0.95, rng), ar1(1200, 0.95, rng)
        p_values.append(gs.shift_null_correlation(x, y, 200, rng)[1])
    assert np.mean(np.array(p_values) < 0.05) <= 0.15
    x = ar1(1200, 0.95, rng)
    r, p, null95 = gs.shift_null_correlation(x, x + 0.3 * ar1(1200, 0.95, rng), 200, rng)
    assert r > 0.9 and p == pytest.approx(1 / 201) and null95 < r


def test_equilibration_flag_names_each_reason():
    ok = dict(equilibrated_protocol=True, drift=0.001, drift_error=0.001, tau_alpha=1.2, production=600.0,
              drift_sigmas=3.0, tau_alpha_fraction=0.1)
    assert gs.equilibration_flag(**ok) == "ok"
    assert "drifts" in gs.equilibration_flag(**dict(ok, drift=0.01))
    assert "tau_alpha 100 > 0.1 x production 600" in gs.equilibration_flag(**dict(ok, tau_alpha=100.0))
    assert "not reached" in gs.equilibration_flag(**dict(ok, tau_alpha=None))
    assert gs.equilibration_flag(**dict(ok, equilibrated_protocol=False)).startswith("quenched")


def test_replica_spread_and_claims_by_hand():
    summaries = []
    for replica, exponent in enumerate([1.8, 1.9, 1.85]):
        run = {"variant": "base", "label": "base", "n_particles": 1000, "temperature": 0.4, "replica": replica,
               "equilibration": "quenched and aged, not equilibrated"}
        fit = {"reading": "raw", "method": "projection", "exponent[all]": exponent, "local_exponent_last": 1.0,
               "rho_fit": 0.01, "rho_mean": 0.01}
        summaries.append({"run": run, "fits": [fit]})
    spread = replica_spread(run_rows(summaries))
    row = spread[spread["estimate"] == "exponent[all]"].iloc[0]
    half = 4.302653 * 0.05 / math.sqrt(3)  # t(0.975, 2) x sd / sqrt(n)
    assert row["mean"] == pytest.approx(1.85) and row["sd"] == pytest.approx(0.05)
    assert row["ci_low"] == pytest.approx(1.85 - half, rel=1e-5) and row["n_flagged"] == 3
    claims = claim_rows(spread).set_index("estimate")
    assert claims.loc["exponent[all]", "verdict"] == "reproduced"
    assert claims.loc["local_exponent_last", "verdict"] == "not reproduced"
    # Two replicas 0.5 apart: the interval (t = 12.7) contains 1.85 but decides nothing.
    wide = run_rows([{"run": s["run"], "fits": [dict(s["fits"][0], **{"exponent[all]": e})]}
                     for s, e in zip(summaries[:2], [1.3, 1.8])])
    verdict = claim_rows(replica_spread(wide)).set_index("estimate").loc["exponent[all]", "verdict"]
    assert verdict == "undetermined"
