"""The claims table's agreement rules, on constructed inputs with known verdicts."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.paper import claims as cl
from rgcoarse.paper import claims_glass, claims_ising


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
    assert cl.exponent_claim("a", "2c", "x", 1.05, fit, 0.05).verdict == cl.AGREES  # [1.01, 1.07] within 1.05 +- 0.05
    wide = dict(fit, ci_low=0.9, ci_high=1.2)
    assert cl.exponent_claim("a", "2c", "x", 1.05, wide, 0.05).verdict == cl.BORDERLINE  # a wide interval never agrees
    far = dict(fit, exponent=1.5, ci_low=1.45, ci_high=1.55)
    assert cl.exponent_claim("a", "2c", "x", 1.05, far, 0.05).verdict == cl.DISAGREES
    missing = cl.exponent_claim("a", "2c", "x", 1.05, None, 0.05)
    assert missing.verdict == cl.NOT_EVALUATED and missing.reproduced is None


def test_figure1_claim_on_uniform_and_skewed_increments():
    def table(delta):
        return pd.DataFrame({"level": 0, "rank": np.arange(1, delta.size + 1), "cod_increment": delta,
                             "cod": np.cumsum(delta)})

    uniform, skewed = claims_ising.figure1_claims(table(np.ones(50))), claims_ising.figure1_claims(table(np.geomspace(10, 0.01, 50)))
    assert [c.verdict for c in uniform] == [cl.AGREES, cl.AGREES]  # constant increments: COD exactly linear
    assert [c.verdict for c in skewed] == [cl.DISAGREES, cl.DISAGREES]


def test_markdown_has_one_row_per_claim():
    frame = cl.claims_frame([
        cl.Claim("a", "1", "c1", "1", 1.0, 0.9, 1.1, "r", cl.AGREES),
        cl.Claim("b", "2", "c2", "2", None, None, None, "r", cl.NOT_EVALUATED),
    ])
    text = cl.claims_markdown(frame)
    assert text.count("\n| a |") == 1 and text.count("\n| b |") == 1
    assert "**not testable**" in text


def test_markdown_escapes_pipes_inside_cells():
    frame = cl.claims_frame([cl.Claim("a", "1", "c", "1", 1.0, None, None, "|x - 1| <= 0.1", cl.AGREES)])
    row = cl.claims_markdown(frame).splitlines()[-1]
    assert "\\|x - 1\\|" in row
    assert row.replace("\\|", "").count("|") == 14  # 13 cells


# ----- failed fits: "not evaluated" with the status, never a number ---------------------------

OK_FIT = {"status": "ok", "exponent": 1.04, "prefactor": 1.0, "ci_low": 1.01, "ci_high": 1.07, "fit_min": 1.0,
          "fit_max": 256.0, "temperature": 9.5}
NON_OK = ["too_few_samples", "too_few_points", "no_valid_resamples", "degenerate_interval"]


@pytest.mark.parametrize("status", NON_OK)
@pytest.mark.parametrize("numbers", ["zeros", "nan"])
def test_non_ok_fit_is_not_evaluated_with_its_status(status, numbers):
    """Old tables hold zeros in failed rows, new ones NaN: neither may be read as an exponent."""
    value = 0.0 if numbers == "zeros" else float("nan")
    fit = dict(OK_FIT, status=status, exponent=value, ci_low=value, ci_high=value)
    for claim in (cl.exponent_claim("a", "2c", "x", 0.0, fit, tolerance=0.05),
                  cl.lower_bound_claim("b", "2d", "x", "close to 2", fit, bound=-1.0)):
        assert claim.verdict == cl.NOT_EVALUATED
        assert status in claim.note and "T = 9.5" in claim.note
        assert (claim.reproduced, claim.ci_low, claim.ci_high) == (None, None, None)


def test_ok_status_with_unusable_numbers_is_not_evaluated():
    for broken in (dict(OK_FIT, exponent=float("nan")), dict(OK_FIT, fit_min=0.0, fit_max=0.0)):
        claim = cl.exponent_claim("a", "2c", "x", 1.05, broken, tolerance=0.05)
        assert claim.verdict == cl.NOT_EVALUATED and "invalid fit row" in claim.note
    missing = cl.lower_bound_claim("b", "2d", "x", "close to 2", None, bound=1.8)
    assert missing.verdict == cl.NOT_EVALUATED and "no fit" in missing.note


def test_lower_bound_claim_verdicts():
    """The whole interval decides: above the bound agrees, below disagrees, across it is borderline."""
    def fit(low, high):
        return dict(OK_FIT, exponent=(low + high) / 2, ci_low=low, ci_high=high)

    assert cl.lower_bound_claim("b", "2d", "x", "close to 2", fit(1.85, 1.95), 1.8).verdict == cl.AGREES
    assert cl.lower_bound_claim("b", "2d", "x", "close to 2", fit(1.6, 1.75), 1.8).verdict == cl.DISAGREES
    straddling = cl.lower_bound_claim("b", "2d", "x", "close to 2", fit(1.75, 1.95), 1.8)
    assert straddling.verdict == cl.BORDERLINE and straddling.margin == pytest.approx(0.5)


def _ising_tables(temperatures):
    m2, cod = {}, {}
    for t in temperatures:
        k = 2 ** np.arange(11)
        m2[t] = pd.DataFrame({"level": np.arange(11), "cluster_size": k, "n_clusters": 1024 // k,
                              "m2": k.astype(float) ** (2.0 if t < 2.27 else 1.0)})
        ranks = np.arange(1, 9)
        delta = ranks.astype(float) ** (-1.5 if t < 2.27 else 0.0)
        cod[t] = pd.concat([pd.DataFrame({"level": level, "rank": ranks, "cod": np.cumsum(delta), "cod_increment": delta,
                                          "norm_cod_increment": delta / 8}) for level in range(11)], ignore_index=True)
    return m2, cod


def _exponents(statuses: dict):
    rows = []
    for t, status in statuses.items():
        exponent = 1.95 if t < 2.27 else 1.02
        ok = status == "ok"
        rows.append({"dataset": "ising", "method": "projection", "observable": "m2", "temperature": t,
                     "status": status, "exponent": exponent if ok else np.nan, "prefactor": 1.0 if ok else np.nan,
                     "ci_low": exponent - 0.01 if ok else np.nan, "ci_high": exponent + 0.01 if ok else np.nan,
                     "fit_min": 1.0, "fit_max": 256.0})
    return pd.DataFrame(rows)


def test_every_temperature_claims_name_the_failed_fits():
    temperatures = [1.5, 2.0, 2.5, 5.0, 9.5]
    m2, cod = _ising_tables(temperatures)
    by_id = lambda statuses: {c.claim_id: c for c in claims_ising.figure2_claims(_exponents(statuses), m2, cod, "projection", 2.0)}

    good = by_id(dict.fromkeys(temperatures, "ok"))
    assert good["fig2d_all_below_tc"].verdict == cl.AGREES
    assert good["fig2c_high_t"].verdict == cl.AGREES

    # One failed fit below Tc: "every T below Tc" cannot be confirmed; the note names it.
    partial = by_id({**dict.fromkeys(temperatures, "ok"), 1.5: "too_few_points"})
    claim = partial["fig2d_all_below_tc"]
    assert claim.verdict == cl.NOT_EVALUATED
    assert "T = 1.5" in claim.note and "too_few_points" in claim.note
    assert partial["fig2d_exponent"].verdict == cl.AGREES  # T = 2.0 itself was fitted

    # Every fit failed: the claims are still in the table, not evaluated, with the statuses.
    failed = by_id(dict.fromkeys(temperatures, "degenerate_interval"))
    for claim_id in ("fig2d_all_below_tc", "fig2c_high_t", "fig2c_exponent", "fig2d_exponent"):
        assert failed[claim_id].verdict == cl.NOT_EVALUATED
        assert "degenerate_interval" in failed[claim_id].note
        assert failed[claim_id].reproduced is None

    # A usable fit that disagrees decides the claim even when another temperature failed.
    exponents = _exponents({**dict.fromkeys(temperatures, "ok"), 1.5: "too_few_samples"})
    exponents.loc[exponents["temperature"] == 2.0, ["exponent", "ci_low", "ci_high"]] = [1.5, 1.49, 1.51]
    claims = {c.claim_id: c for c in claims_ising.figure2_claims(exponents, m2, cod, "projection", 2.0)}
    assert claims["fig2d_all_below_tc"].verdict == cl.DISAGREES
    assert claims["fig2d_all_below_tc"].reproduced == 1.5


def test_markdown_never_prints_a_narrow_interval_as_zero_width():
    frame = cl.claims_frame([cl.Claim("a", "2c", "c", "1.05", 1.058, 1.0561, 1.0601, "r", cl.AGREES),
                             cl.Claim("b", "2d", "c", "2", 1.97185, 1.97169, 1.97201, "r", cl.AGREES)])
    text = cl.claims_markdown(frame)
    assert "[1.056, 1.06]" in text
    assert "[1.9717, 1.972]" in text


# ----- readings, nulls and per-unit rules ----------------------------------------------------


def test_per_unit_slope_and_curve_shape_disagree_with_the_old_uneven_grid_rule():
    # Fine steps near 2.3, a wide step from 2.5 to 3.0: the old rule (largest absolute change)
    # picks the wide step although the curve is steepest per unit T between 2.3 and 2.35.
    t = [2.0, 2.25, 2.3, 2.35, 2.4, 2.5, 3.0]
    v = [1.0, 0.95, 0.9, 0.6, 0.5, 0.45, 0.0]
    assert cl.steepest_interval(t, v) == (2.5, 3.0)
    assert cl.steepest_slope_interval(t, v) == (2.3, 2.35)
    assert cl.half_crossing(t, v) == pytest.approx(2.4)
    cod_by_t = {temp: pd.DataFrame({"level": [0, 0], "rank": [1, 2], "norm_cod_increment": [value, 0.0]})
                for temp, value in zip(t, v)}
    claims = claims_ising.trend_change_claims(cod_by_t)
    assert [c.reading for c in claims] == ["steepest slope per unit T", "curve shape: half-way crossing"]
    # [2.3, 2.35] lies inside the window [2.3, 2.4]; the crossing at 2.4 sits on its edge: borderline.
    assert [c.verdict for c in claims] == [cl.AGREES, cl.BORDERLINE]
    logistic = 1 / (1 + np.exp((np.linspace(2.0, 3.0, 41) - 2.62) / 0.03))
    assert cl.half_crossing(np.linspace(2.0, 3.0, 41), logistic) == pytest.approx(2.62, abs=0.01)


def test_overall_verdict_across_readings():
    assert cl.overall_verdict({"a": cl.AGREES}) == "reproduced"
    assert cl.overall_verdict({"a": cl.DISAGREES}) == "not reproduced"
    assert cl.overall_verdict({"a": cl.AGREES, "b": cl.AGREES}) == "reproduced under every reading"
    assert cl.overall_verdict({"a": cl.AGREES, "b": cl.DISAGREES}) == "reproduced under some (1 of 2): a"
    three = {"a": cl.AGREES, "b": cl.AGREES, "c": cl.DISAGREES}
    assert cl.overall_verdict(three) == "reproduced under some (2 of 3); not under: c"
    assert cl.overall_verdict({"a": cl.DISAGREES, "b": cl.NOT_EVALUATED}) == "reproduced under none of the tested readings"
    assert cl.overall_verdict({"a": cl.BORDERLINE}) == cl.BORDERLINE
    assert cl.overall_verdict({"a": cl.AGREES, "b": cl.BORDERLINE}) == "reproduced under some (1 of 2; 1 borderline): a"
    assert cl.overall_verdict({"a": cl.NOT_EVALUATED}) == cl.NOT_EVALUATED
    frame = cl.claims_frame([cl.Claim("x", "1", "c", "1", 1.0, None, None, "r", cl.AGREES, reading="one"),
                             cl.Claim("x", "1", "c", "1", 2.0, None, None, "r", cl.DISAGREES, reading="two")])
    assert list(frame["overall"]) == ["reproduced under some (1 of 2): one"] * 2


def _cod_with_first_picks(first_picks, n_ranks=10):
    return pd.concat([pd.DataFrame({"level": level, "rank": np.arange(1, n_ranks + 1),
                                    "cod_increment": np.r_[first, np.full(n_ranks - 1, 0.01)],
                                    "norm_cod_increment": np.r_[first, np.full(n_ranks - 1, 0.01)]})
                      for level, first in enumerate(first_picks)], ignore_index=True)


def _first_pick_nulls(means, sd, draws=19, model="shift", seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame([{"dataset": "glass", "temperature": 0.47, "model": model, "method": "projection",
                          "statistic": "first_pick", "level": level, "draw": d,
                          "value": mean + sd * rng.standard_normal()}
                         for level, mean in enumerate(means) for d in range(draws)])


def test_depth_is_the_run_of_levels_the_holm_corrected_test_passes():
    data = _cod_with_first_picks([0.5, 0.4, 0.3, 0.105, 0.4])  # level 3 is within the null's spread
    nulls = _first_pick_nulls([0.1, 0.1, 0.1, 0.1, 0.1], 0.01)
    tests = claims_glass.level_tests(data, {lev: nulls.query("level == @lev")["value"].to_numpy() for lev in range(5)})
    assert list(tests["p_holm"] >= tests["p_value"]) == [True] * 5
    assert claims_glass.tested_depth(tests) == 3  # level 4 beats the null again, but the run ended at level 3
    claims = claims_glass.persistence_claims({0.47: data}, nulls, "projection", persistence_t=0.47)
    assert len(claims) == 1 and claims[0].reproduced == 3.0 and claims[0].verdict == cl.AGREES
    assert claims[0].null_draws == 19 and claims[0].null_model == "shift" and "L3" in claims[0].note
    # Too few draws: not testable, naming the config key.
    few = claims_glass.persistence_claims({0.47: data}, _first_pick_nulls([0.1] * 5, 0.01, draws=5), "projection",
                                          persistence_t=0.47)
    assert few[0].verdict == cl.NOT_EVALUATED and "nulls.draws" in few[0].note
    missing = claims_glass.persistence_claims({0.47: data}, None, "projection", persistence_t=0.47)
    assert missing[0].verdict == cl.NOT_EVALUATED and "nulls.models" in missing[0].note


def test_a_covariance_keeping_null_gives_an_identity_check_not_a_depth():
    data = _cod_with_first_picks([0.5, 0.4])
    same = _first_pick_nulls([0.5, 0.4], 0.02, model="covgauss")
    claims = claims_glass.persistence_claims({0.47: data}, same, "projection", persistence_t=0.47)
    assert [c.reading for c in claims] == ["identity check: the covgauss null"] and claims[0].verdict == cl.AGREES
    assert claims[0].claim_id == "fig3a_identity_check"  # never counted as a reading of the paper's claim
    broken = _first_pick_nulls([0.2, 0.4], 0.02, model="covgauss")
    assert claims_glass.persistence_claims({0.47: data}, broken, "projection", persistence_t=0.47)[0].verdict == cl.DISAGREES


def test_m2_slope_readings_on_exact_and_bending_power_laws():
    k = 2.0 ** np.arange(8)
    exact = pd.DataFrame({"level": np.arange(8), "cluster_size": k, "n_clusters": 256 / k, "m2": k**1.5})
    assert cl.m2_slopes(exact) == pytest.approx({"m2_slope_all_levels": 1.5, "m2_local_slope": 1.5})
    rho = 0.02  # a weak common mode: M2 = K (1 + (K - 1) rho) bends from K^1 towards K^2
    bending = exact.assign(m2=k * (1 + (k - 1) * rho))
    slopes = cl.m2_slopes(bending)
    assert slopes["m2_local_slope"] > slopes["m2_slope_all_levels"] > 1.0


def test_eq29_slope_of_an_exact_power_law_agrees():
    rank, n = np.arange(1, 65), 100
    by_rank = 0.1 * rank**-0.875
    cod = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": by_rank, "norm_cod_increment": by_rank / n})
    by_remaining = 0.1 * (n - rank) ** -0.875
    printed = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": by_remaining, "norm_cod_increment": by_remaining / n})
    flat = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": np.full(64, 0.01), "norm_cod_increment": 0.0001})
    claims = claims_ising.eq29_claims({2.25: cod, 2.3: printed, 5.0: flat}, (1, 32))
    by_reading = {c.reading: c for c in claims}
    assert by_reading["T = 2.25, a power of rank r (the decay the text describes), ranks 1-32"].verdict == cl.AGREES
    assert by_reading["T = 2.25, a power of rank r (the decay the text describes), ranks 2-64"].verdict == cl.AGREES
    assert by_reading["T = 2.25, a power of N - r (eq. 29 as printed), ranks 1-32"].verdict == cl.DISAGREES
    assert by_reading["T = 2.3, a power of N - r (eq. 29 as printed), ranks 1-32"].verdict == cl.AGREES
    assert by_reading["T = 2.3, a power of rank r (the decay the text describes), ranks 1-32"].verdict == cl.DISAGREES
    assert by_reading["T = 2.25, a power of rank r (the decay the text describes), ranks 1-32"].reproduced == pytest.approx(-0.875)
    # Only T = 2.25 (near Tc) agrees: Tc is singled out. With the power law at T = 5 as well, it is not.
    assert by_reading["Tc singled out, ranks 1-32"].verdict == cl.AGREES
    everywhere = {c.reading: c for c in claims_ising.eq29_claims({2.25: cod, 5.0: cod}, (1, 32))}
    assert everywhere["Tc singled out, ranks 1-32"].verdict == cl.DISAGREES
    far = claims_ising.eq29_claims({2.3: flat}, (1, 32), n_nearest=1)
    assert far[0].verdict == cl.DISAGREES


def test_exponent_readings_carry_the_null_test_and_the_random_rule():
    def row(method, exponent):
        return {"dataset": "glass", "method": method, "observable": "m2", "temperature": 1.0, "status": "ok",
                "exponent": exponent, "ci_low": exponent - 0.02, "ci_high": exponent + 0.02, "fit_min": 1,
                "fit_max": 32, "prefactor": 1.0}
    exponents = pd.DataFrame([row("projection", 1.11), row("random", 1.01)])
    rng = np.random.default_rng(3)
    nulls = pd.DataFrame({"dataset": "glass", "temperature": 1.0, "model": "shift", "method": "projection",
                          "statistic": "m2_exponent", "level": -1, "draw": np.arange(19),
                          "value": 1.08 + 0.005 * rng.standard_normal(19)})
    claims = cl.exponent_readings("fig3b_exponent", "3b", "near 1", 1.0, exponents, "glass", 1.0, "projection", 0.1,
                                  nulls=nulls, null_model="shift")
    assert [c.reading for c in claims] == ["projection fit (fit range rule)", "projection fit exceeds the shift null",
                                           "random fit (no selection)"]
    assert claims[0].verdict == cl.BORDERLINE  # [1.09, 1.13] straddles 1.1
    test = claims[1]
    assert test.claim_id == "fig3b_exponent_vs_null"  # its own claim: not a reading of the paper's number
    assert test.null_draws == 19 and test.z > 4 and test.p_value < 1e-3 and test.verdict == cl.AGREES
    assert test.null_value == pytest.approx(np.median(nulls["value"]))
    assert claims[2].reproduced == 1.01 and claims[2].verdict == cl.AGREES
    like = cl.exponent_readings("fig3b_exponent", "3b", "near 1", 1.0, exponents, "glass", 1.0, "projection", 0.1,
                                nulls=nulls, null_model="shift", expect_difference=False)
    assert like[1].reading == "projection fit is like the shift null" and like[1].verdict == cl.DISAGREES


def test_figure1_has_caption_and_text_readings_per_level():
    rows = [pd.DataFrame({"level": level, "rank": np.arange(1, 33), "cod_increment": np.ones(32),
                          "cod": np.cumsum(np.ones(32))}) for level in (0, 2)]
    claims = claims_ising.figure1_claims(pd.concat(rows), levels=(0, 2, 4))  # level 4 was not computed: left out
    assert [c.reading for c in claims] == ["caption: MSE linear, level 0", "text: uniform increment, level 0",
                                           "caption: MSE linear, level 2", "text: uniform increment, level 2"]
    assert {c.claim_id for c in claims} == {"fig1"}


def test_high_t_uniformity_is_judged_against_the_null_too():
    def cod(delta):
        return pd.DataFrame({"level": 0, "rank": np.arange(1, delta.size + 1), "norm_cod_increment": delta})

    rng = np.random.default_rng(1)
    null_cv = 0.2 + 0.01 * rng.standard_normal(19)
    nulls = pd.DataFrame({"dataset": "ising", "temperature": 9.5, "model": "permute", "method": "projection",
                          "statistic": "increment_cv", "level": 0, "draw": np.arange(19), "value": null_cv})
    data = cod(1 + 0.2 * rng.standard_normal(256))
    claims = claims_ising.uniform_high_t_claims({9.5: data}, nulls, "permute", "projection")
    assert [c.reading for c in claims] == ["uniform: absolute bound", "like the permute null"]
    assert claims[1].verdict == cl.AGREES and 0.15 < claims[1].null_value < 0.25 and claims[1].null_draws == 19
    structured = cod(np.geomspace(5, 0.2, 64))
    assert claims_ising.uniform_high_t_claims({9.5: structured}, nulls, "permute", "projection")[1].verdict == cl.DISAGREES
    missing = claims_ising.uniform_high_t_claims({9.5: data}, None, "permute", "projection")[1]
    assert missing.verdict == cl.NOT_EVALUATED and "nulls.temperatures" in missing.note


def test_paper_values_are_stated_once_with_their_source():
    from rgcoarse.config.paper_values import PAPER_VALUES, paper_value

    assert paper_value("eq29_exponent") == -0.875  # (eta - 2) / d, eta = 1/4, d = 2
    assert all(v.source and v.quote for v in PAPER_VALUES.values())
    assert cl.EQ29_EXPONENT == paper_value("eq29_exponent")
    assert claims_ising.TREND_WINDOW == paper_value("ising_cod_trend_window")
    with pytest.raises(KeyError, match="not a paper value"):
        paper_value("fig9")


def test_collective_mode_rows_test_the_data_against_the_local_null_per_temperature():
    import pandas as pd
    from rgcoarse.coarse.coarse_grain import coarse_grain
    from rgcoarse.paper.claims_glass import collective_mode_claims
    from rgcoarse.stats.null_draws import m2_slopes
    from rgcoarse.stats.observables import mean_variance_table

    rng = np.random.default_rng(21)
    values = rng.standard_normal((400, 64)) + rng.standard_normal((400, 1))  # a common mode
    m2 = mean_variance_table(values, coarse_grain(values, "projection", seed=0, omega=1.0, min_variables=4))
    slopes = m2_slopes(m2)
    rows = []
    for t, offset in ((0.4, -0.5), (1.0, 0.0)):  # at T = 0.4 the null is far below the data, at 1.0 centred on it
        for statistic, value in slopes.items():
            draws = value + offset + 0.05 * rng.standard_normal(19)
            rows += [{"dataset": "glass", "temperature": t, "method": "projection", "model": "local",
                      "statistic": statistic, "level": -1, "value": v, "draw": d} for d, v in enumerate(draws)]
    claims = collective_mode_claims({0.4: m2, 1.0: m2}, pd.DataFrame(rows), "projection")
    by_id = {}
    for claim in claims:
        by_id.setdefault(claim.claim_id, []).append(claim)
    assert set(by_id) == {"glass_collective_mode_T0.4", "glass_collective_mode_T1"}
    assert all(c.verdict == "agrees" and c.null_draws == 19 and c.p_value <= 0.05 for c in by_id["glass_collective_mode_T0.4"])
    assert all(c.verdict == "disagrees" for c in by_id["glass_collective_mode_T1"])
    few = collective_mode_claims({0.4: m2}, pd.DataFrame(rows).query("draw < 5"), "projection")
    assert {c.verdict for c in few} == {"not testable"}


def test_tc_singled_out_has_a_margin_whose_sign_is_the_call():
    rank, n = np.arange(1, 65), 100
    noise = np.exp(0.05 * np.random.default_rng(6).standard_normal(64))  # intervals of finite width
    power = 0.1 * rank**-0.875 * noise
    cod = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": power, "norm_cod_increment": power / n})
    flat = cod.assign(cod_increment=0.01 * noise, norm_cod_increment=0.0001 * noise)
    singled = claims_ising.tc_singled_out_claim({2.25: cod, 5.0: flat}, (1, 32), -0.875, 0.1, "text")
    everywhere = claims_ising.tc_singled_out_claim({2.25: cod, 5.0: cod}, (1, 32), -0.875, 0.1, "text")
    nowhere = claims_ising.tc_singled_out_claim({2.25: flat, 5.0: flat}, (1, 32), -0.875, 0.1, "text")
    assert singled.verdict == cl.AGREES and singled.margin > 0
    assert everywhere.verdict == cl.DISAGREES and everywhere.margin < 0
    assert nowhere.verdict == cl.DISAGREES and nowhere.margin < 0
    assert "2.25: -0.886 [" in singled.note and "5: -0.011 [" in singled.note  # every temperature's slope is listed


def test_m2_slope_readings_are_tested_against_the_null_draws_of_the_same_slope():
    k = 2.0 ** np.arange(8)
    m2 = pd.DataFrame({"level": np.arange(8), "cluster_size": k, "n_clusters": 256 / k, "m2": k**1.3})
    rng = np.random.default_rng(4)
    nulls = pd.concat([pd.DataFrame({"dataset": "glass", "temperature": 0.4, "model": "shift", "method": "projection",
                                     "statistic": s, "level": -1, "draw": np.arange(19),
                                     "value": 1.05 + 0.01 * rng.standard_normal(19)})
                       for s in ("m2_slope_all_levels", "m2_local_slope")])
    claims = cl.exponent_readings("fig3c_exponent", "3c", "about 1.85", 1.85, pd.DataFrame(
        columns=["dataset", "method", "observable", "temperature"]), "glass", 0.4, "projection", 0.1, m2=m2,
        nulls=nulls, null_model="shift")
    tests = [c for c in claims if c.claim_id == "fig3c_exponent_vs_null" and "slope" in c.reading or
             c.reading == "projection: all levels exceeds the shift null"]
    assert [c.reading for c in tests] == ["projection: all levels exceeds the shift null",
                                          "projection: local slope at the largest K exceeds the shift null"]
    for test in tests:
        assert test.null_model == "shift" and test.null_draws == 19 and test.p_value < 1e-3
        assert test.verdict == cl.AGREES and test.margin > 0
    points = [c for c in claims if c.reading in ("projection: all levels", "projection: local slope at the largest K")]
    assert all(c.null_value is None and c.verdict == cl.DISAGREES and c.margin < 0 for c in points)


def test_the_summary_says_which_claims_are_identity_checks():
    frame = pd.DataFrame({"claim_id": ["fig2a_level0", "fig3a_identity_check"], "verdict": [cl.AGREES, cl.AGREES],
                          "overall": ["reproduced", "reproduced"], "null_draws": [0, 19], "p_value": [np.nan, 0.48],
                          "check": ["a", "x = its covgauss null"]})
    assert "2 of 2 claims are reproduced under at least one reading (of which 1 is an identity check" \
        in cl.claims_summary(frame)
