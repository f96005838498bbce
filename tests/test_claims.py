"""The claims table's agreement rules, on constructed inputs with known verdicts."""

import numpy as np
import pandas as pd
import pytest

from rgcoarse import claims as cl


def test_close_to_accepts_ci_or_tolerance():
    assert cl.close_to(1.10, 1.05, 1.00, 1.20, tolerance=0.01)  # CI contains the paper value
    assert cl.close_to(1.09, 1.05, 1.08, 1.10, tolerance=0.05)  # within tolerance
    assert not cl.close_to(1.20, 1.05, 1.15, 1.25, tolerance=0.05)


def test_steepest_interval_finds_the_jump():
    t = [2.0, 2.3, 2.4, 3.0, 2.2]
    v = [0.9, 0.8, 0.2, 0.1, 0.85]
    assert cl.steepest_interval(t, v) == (2.3, 2.4)


def test_transition_width_of_a_linear_ramp():
    # A ramp from 1 at T = 2 to 0 at T = 3: 90% -> 10% takes 0.8 in T.
    t = np.linspace(1.0, 4.0, 31)
    v = np.clip(3.0 - t, 0.0, 1.0)
    assert cl.transition_width(t, v) == pytest.approx(0.8, abs=1e-9)
    steeper = np.clip((2.55 - t) * 10, 0.0, 1.0)
    assert cl.transition_width(t, steeper) < cl.transition_width(t, v)


def test_coefficient_of_variation():
    assert cl.coefficient_of_variation([2.0, 2.0, 2.0]) == 0.0
    assert cl.coefficient_of_variation([1.0, 3.0]) == pytest.approx(0.5)


def test_exponent_claim_verdicts_and_missing_fit():
    fit = {"status": "ok", "exponent": 1.04, "ci_low": 1.01, "ci_high": 1.07, "fit_min": 1, "fit_max": 256}
    assert cl.exponent_claim("a", "2c", "x", 1.05, fit, 0.05).verdict == cl.AGREES
    far = dict(fit, exponent=1.5, ci_low=1.45, ci_high=1.55)
    assert cl.exponent_claim("a", "2c", "x", 1.05, far, 0.05).verdict == cl.DISAGREES
    missing = cl.exponent_claim("a", "2c", "x", 1.05, None, 0.05)
    assert missing.verdict == cl.NOT_EVALUATED and missing.reproduced is None


def test_figure1_claim_on_uniform_and_skewed_increments():
    def table(delta):
        return pd.DataFrame({"level": 0, "rank": np.arange(1, delta.size + 1), "delta_cod": delta,
                             "cod": np.cumsum(delta)})

    uniform, skewed = cl.figure1_claims(table(np.ones(50))), cl.figure1_claims(table(np.geomspace(10, 0.01, 50)))
    assert [c.verdict for c in uniform] == [cl.AGREES, cl.AGREES]  # constant increments: COD exactly linear
    assert [c.verdict for c in skewed] == [cl.DISAGREES, cl.DISAGREES]


def test_markdown_has_one_row_per_claim():
    frame = cl.claims_frame([
        cl.Claim("a", "1", "c1", "1", 1.0, 0.9, 1.1, "r", cl.AGREES),
        cl.Claim("b", "2", "c2", "2", None, None, None, "r", cl.NOT_EVALUATED),
    ])
    text = cl.claims_markdown(frame)
    assert text.count("\n| a |") == 1 and text.count("\n| b |") == 1
    assert "**not evaluated**" in text


def test_nonlinear_depth_counts_leading_nonlinear_levels():
    rows = []
    for level, first in enumerate([10.0, 8.0, 5.0, 3.0, 1.1, 6.0]):  # level 5 is past the break
        delta = np.r_[first, np.ones(9)]
        rows.append(pd.DataFrame({"level": level, "rank": np.arange(1, 11), "delta_cod": delta}))
    assert cl.nonlinear_depth(pd.concat(rows)) == 4


def test_markdown_escapes_pipes_inside_cells():
    frame = cl.claims_frame([cl.Claim("a", "1", "c", "1", 1.0, None, None, "|x - 1| <= 0.1", cl.AGREES)])
    row = cl.claims_markdown(frame).splitlines()[-1]
    assert "\\|x - 1\\|" in row
    assert row.replace("\\|", "").count("|") == 9  # 8 cells
