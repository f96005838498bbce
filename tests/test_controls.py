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
