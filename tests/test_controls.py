"""Selection-bias controls beside each exponent (rgcoarse.stats.controls), from the batched null draws."""

import numpy as np
import pandas as pd
from rgcoarse.stats.controls import CONTROL_COLUMNS, null_band, with_controls


def _row(dataset, condition, method, exponent, observable="m2", status="ok"):
    return {"dataset": dataset, "condition": condition, "method": method, "observable": observable,
            "exponent": exponent if status == "ok" else np.nan, "status": status}


def _nulls(dataset, condition, model, values, method="projection", statistic="m2_exponent"):
    return pd.DataFrame({"dataset": dataset, "condition": condition, "temperature": 1.0, "model": model,
                         "method": method, "draw": np.arange(len(values)), "statistic": statistic, "level": -1,
                         "value": values})


def test_controls_give_the_null_band_and_the_random_exponent():
    rows = [
        _row("glass", "T1.000_r0", "projection", 1.11),
        _row("glass", "T1.000_r0", "random", 1.01),
        _row("ising", "T9.500", "projection", 1.10),
        _row("ising", "T2.000", "projection", 1.9),  # no null run at this temperature
    ]
    nulls = pd.concat([
        _nulls("glass", "T1.000_r0", "shift", [1.05, 1.08, 1.06, np.nan]),  # a draw without a fit is not counted
        _nulls("glass", "T1.000_r0", "permute", [0.5]),  # shift is preferred for this dataset
        _nulls("glass", "T0.400_r0", "shift", [3.0]),  # another condition
        _nulls("ising", "T9.500", "permute", [1.07]),
        _nulls("ising", "T9.500", "permute", [0.2], statistic="p0_exponent"),  # another observable
    ], ignore_index=True)
    table = with_controls(pd.DataFrame(rows), nulls)
    assert list(table.columns[-len(CONTROL_COLUMNS):]) == list(CONTROL_COLUMNS)
    glass = table[(table["dataset"] == "glass") & (table["method"] == "projection")].iloc[0]
    assert glass["null_model"] == "shift" and glass["null_draws"] == 3
    assert (glass["null_median"], glass["null_min"], glass["null_max"]) == (1.06, 1.05, 1.08)
    assert glass["random_exponent"] == 1.01
    ising = table[(table["dataset"] == "ising") & (table["condition"] == "T9.500")].iloc[0]
    assert ising["null_model"] == "permute" and ising["null_median"] == 1.07 and np.isnan(ising["random_exponent"])
    cold = table[(table["dataset"] == "ising") & (table["condition"] == "T2.000")].iloc[0]
    assert cold["null_draws"] == 0 and np.isnan(cold["null_median"]) and cold["null_model"] == ""
    band = null_band(nulls, "glass", "T0.400_r0", "projection", "m2", "shift")
    assert band == {"draws": 1, "median": 3.0, "min": 3.0, "max": 3.0}
    assert with_controls(pd.DataFrame(rows))["null_draws"].eq(0).all()  # no null tables: empty controls


def test_excess_over_null_is_the_t_prediction_interval_and_holds_its_coverage():
    from rgcoarse.stats.controls import excess_over_null
    from scipy import stats

    draws = np.array([1.0, 1.2, 0.8, np.nan])  # a draw without a fit is not counted
    half = stats.t.ppf(0.975, 2) * 0.2 * np.sqrt(1 + 1 / 3)
    result = excess_over_null(1.5, draws)
    assert np.isclose(result["excess"], 0.5)
    assert np.isclose(result["excess_low"], 0.5 - half) and np.isclose(result["excess_high"], 0.5 + half)
    assert all(np.isnan(v) for v in excess_over_null(1.5, [1.0]).values())  # one draw: no spread, no interval
    # Exchangeable normal data and draws: the interval covers the population excess 0 at its level.
    rng = np.random.default_rng(3)
    sample = rng.normal(2.0, 0.3, size=(4000, 20))
    covered = [excess_over_null(row[0], row[1:])["excess_low"] <= 0 <= excess_over_null(row[0], row[1:])["excess_high"]
               for row in sample]
    assert abs(np.mean(covered) - 0.95) < 0.01  # binomial SD 0.0034


def test_controls_give_the_excess_only_for_fitted_rows():
    rows = [_row("glass", "T1.000_r0", "projection", 1.11), _row("glass", "T1.000_r0", "random", 0, status="curved")]
    nulls = pd.concat([_nulls("glass", "T1.000_r0", "shift", [1.05, 1.07]),
                       _nulls("glass", "T1.000_r0", "shift", [1.0, 1.0], method="random")], ignore_index=True)
    table = with_controls(pd.DataFrame(rows), nulls)
    assert np.isclose(table.loc[0, "excess"], 0.05) and table.loc[0, "excess_low"] < 0.05 < table.loc[0, "excess_high"]
    assert np.isnan(table.loc[1, "excess"])  # not fitted: no excess either


def test_excess_extrapolates_the_shift_mean_past_its_seams():
    """A shift draw has 1 extra break per pair, a seam draw 5: the null mean at 0 extra breaks is
    mean - (mean_seams - mean) / 4, and the interval widens by that estimate's variance."""
    from rgcoarse.stats.controls import excess_over_null
    from scipy import stats

    draws, seams = np.array([1.0, 1.2, 0.8]), np.array([0.6, 0.4, 0.5])  # means 1.0 and 0.5, variances 0.04, 0.01
    result = excess_over_null(1.5, draws, seam_values=seams)
    centre = 1.0 - (0.5 - 1.0) / 4  # 1.125
    half = stats.t.ppf(0.975, 2) * np.sqrt(0.04 + 1.25**2 * 0.04 / 3 + 0.25**2 * 0.01 / 3)
    assert np.isclose(result["excess"], 1.5 - centre)
    assert np.isclose(result["excess_high"] - result["excess"], half)
    assert excess_over_null(1.5, draws, seam_values=[0.5]) == excess_over_null(1.5, draws)  # one seam draw: unused
    # Linear in the breaks: data at 0 extra, draws at 1, seams at 5, one spread: coverage at the level.
    rng = np.random.default_rng(5)
    slope, spread = -0.01, 0.02
    covered = []
    for _ in range(3000):
        data = rng.normal(0.0, spread)
        result = excess_over_null(data, rng.normal(slope, spread, 19), seam_values=rng.normal(5 * slope, spread, 19))
        covered.append(result["excess_low"] <= 0 <= result["excess_high"])
    assert abs(np.mean(covered) - 0.95) < 0.012  # binomial SD 0.004


def test_controls_use_the_seam_draws_for_the_cod_row_only():
    rows = [_row("glass", "T1.000_r0", "projection", -0.5, observable="cod_increment"),
            _row("glass", "T1.000_r0", "projection", 1.2)]
    cod = _nulls("glass", "T1.000_r0", "shift", [-0.6, -0.62], statistic="cod_increment_exponent")
    seams = _nulls("glass", "T1.000_r0", "shift", [-0.7, -0.72], statistic="cod_increment_exponent_seams")
    m2 = _nulls("glass", "T1.000_r0", "shift", [1.1, 1.12])
    table = with_controls(pd.DataFrame(rows), pd.concat([cod, seams, m2], ignore_index=True))
    assert np.isclose(table.loc[0, "excess"], -0.5 - (-0.61 + 0.1 / 4))  # centre -0.61 - (-0.71 + 0.61) / 4
    assert np.isclose(table.loc[1, "excess"], 1.2 - 1.11)  # M2: the shift mean as it is
