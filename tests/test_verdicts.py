"""Statuses, margins and null tests of the claims table (rgcoarse.paper.verdicts), and the batched null
draws they read (rgcoarse.stats.null_draws), against exact answers and the pipeline's own kernels."""

import numpy as np
import pytest
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.datasets.nulls import null_matrix
from rgcoarse.paper import verdicts as v
from rgcoarse.stats.bootstrap import bootstrap_exponent
from rgcoarse.stats.null_draws import (
    coarse_graining_statistics,
    null_statistics,
    statistic_values,
)
from rgcoarse.stats.observables import cod_table


def test_interval_against_a_tolerance_agrees_only_when_it_lies_inside():
    assert v.within_tolerance(1.01, 1.07, 1.05, 0.05).status == v.AGREES
    assert v.within_tolerance(1.11, 1.20, 1.0, 0.1).status == v.DISAGREES
    wide = v.within_tolerance(0.8, 1.3, 1.05, 0.1)
    assert wide.status == v.BORDERLINE  # centred on the target, but too wide to agree
    # margin: (tolerance - |estimate - target|) / half-width
    assert v.within_tolerance(1.0, 1.2, 1.0, 0.3, estimate=1.1).margin == pytest.approx((0.3 - 0.1) / 0.1)


def test_point_estimates_within_five_percent_of_a_threshold_are_borderline():
    assert v.point_against_threshold(0.982, 0.99, above=True).status == v.BORDERLINE
    assert v.point_against_threshold(0.018, 0.01, above=False).status == v.DISAGREES  # 1 - R^2 = 0.018 > 0.01
    assert v.point_against_threshold(0.2, 0.25, above=False).margin == pytest.approx(0.2)
    assert v.point_against_threshold(float("nan"), 1.0, above=True).status == v.NOT_TESTABLE


def test_holm_matches_its_definition():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    # sorted 0.01, 0.03, 0.04, 0.5 -> 4 x 0.01, 3 x 0.03, 2 x 0.04 (running max), 1 x 0.5
    assert v.holm(p) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert v.holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])  # 2 x 0.8 capped at 1


def test_far_beyond_a_skewed_null_the_cantelli_bound_beats_the_rank_floor():
    draws = np.r_[np.full(16, 1.0), 1.001, 1.002, 1.02]  # far from normal: no t test
    test = v.null_test(1.5, draws)
    assert test.method == "rank or Cantelli bound" and test.p_value < 0.01  # rank alone: 2 x 0.05


def test_rank_p_value_is_one_over_n_plus_one_at_best():
    draws = np.arange(19.0)
    assert v.rank_p_value(100.0, draws) == pytest.approx(1 / 20)
    assert v.rank_p_value(-100.0, draws) == pytest.approx(1.0)
    assert v.rank_p_value(-100.0, draws, "less") == pytest.approx(1 / 20)
    assert v.rank_p_value(9.0, draws, "two-sided") == pytest.approx(1.0)


def test_null_test_holds_its_level_when_data_come_from_the_null():
    """Under the null, p <= 0.05 in 5% of trials (binomial bounds at 2,000 trials), for both kinds of null."""
    rng = np.random.default_rng(0)
    for draw in (rng.standard_normal, rng.exponential):  # a normal null (z test) and a skewed one (rank test)
        rejections = sum(v.null_test(draw(), draw(size=19)).p_value <= v.ALPHA for _ in range(2000))
        assert 0.015 <= rejections / 2000 <= 0.07  # measured: 0.050 (normal), 0.026 (exponential) at 6,000 trials


def test_null_test_finds_a_shift_of_three_null_sds():
    rng = np.random.default_rng(1)
    test = v.null_test(3.5, rng.standard_normal(19))
    assert test.p_value < 0.01 and test.z > 2.5 and test.method == "t (normal null)"
    assert v.from_p_value(test.p_value, test.z).status == v.AGREES
    assert v.from_p_value(0.08, 1.4).status == v.BORDERLINE and v.from_p_value(0.3, 0.5).status == v.DISAGREES
    assert v.too_few_draws(3) and "nulls.draws" in v.too_few_draws(3) and v.too_few_draws(19) is None


def _data(seed=0, m=400, n=32):
    rng = np.random.default_rng(seed)
    common = rng.standard_normal((m, 1))
    return 0.5 * common + rng.standard_normal((m, n))


STATISTICS = dict(silence_threshold=0.0, k_min=1, min_clusters=2, cod_max_rank=0, cod_rank_range=(1, 8))


def test_batched_statistics_equal_the_pipelines_own_numbers():
    """The null draws' statistics are computed exactly as the data's: M2 exponent as the bootstrap fit's
    point estimate, DeltaCOD(1)/N as the COD table's first rank."""
    values = _data()
    levels = coarse_grain(values, "projection", omega=2**-0.5, min_variables=2)
    rows = {(r["statistic"], r["level"]): r["value"] for r in coarse_graining_statistics(values, levels, **STATISTICS)}
    fit = bootstrap_exponent(values, levels, "m2", k_min=1, min_clusters=2, confidence=0.95, n_resamples=20)
    assert rows[("m2_exponent", -1)] == pytest.approx(fit.exponent, rel=1e-12)
    cod = cod_table(levels)
    for level in range(len(levels) - 1):
        first = cod[(cod["level"] == level) & (cod["rank"] == 1)]["norm_cod_increment"].iloc[0]
        assert rows[("first_pick", level)] == pytest.approx(first, rel=1e-10)


def test_null_draws_are_seeded_and_adding_draws_keeps_the_first():
    values = _data(1)
    settings = dict(seed=7, coarse=dict(omega=2**-0.5, min_variables=2), statistics=STATISTICS)
    three = null_statistics(values, "permute", "projection", n_draws=3, **settings)
    five = null_statistics(values, "permute", "projection", n_draws=5, **settings)
    assert three.equals(five[five["draw"] < 3].reset_index(drop=True))
    m2 = statistic_values(five, "m2_exponent")
    assert m2.size == 5 and np.unique(m2).size == 5
    # Draw 0 is the permute null of its own seed, coarse-grained by its own seed: reproduce it by hand.
    from rgcoarse.config.seeds import derive_seed
    null = null_matrix(values, "permute", derive_seed(7, "draw", 0))
    levels = coarse_grain(null, "projection", omega=2**-0.5, min_variables=2, seed=derive_seed(7, "pairing", 0))
    by_hand = {r["statistic"]: r["value"] for r in coarse_graining_statistics(null, levels, **STATISTICS) if r["level"] == -1}
    assert m2[0] == pytest.approx(by_hand["m2_exponent"], rel=1e-12)
    with pytest.raises(ValueError, match="n_draws"):
        null_statistics(values, "permute", "projection", n_draws=0, **settings)


def test_shift_draws_carry_the_seam_controls_cod_exponent():
    from rgcoarse.config.seeds import derive_seed
    from rgcoarse.datasets.nulls import three_seam_series
    from rgcoarse.stats.null_draws import SEAM_STATISTIC, seam_statistic

    values = _data(3)
    settings = dict(seed=7, coarse=dict(omega=2**-0.5, min_variables=2), statistics=STATISTICS)
    shift = null_statistics(values, "shift", "projection", n_draws=3, **settings)
    seams = statistic_values(shift, SEAM_STATISTIC)
    by_hand = seam_statistic(three_seam_series(values, np.random.default_rng(derive_seed(7, "seams", 1))),
                             STATISTICS["cod_rank_range"])
    assert seams.size == 3 and seams[1] == pytest.approx(by_hand, rel=1e-12)
    # The truncated selection gives the full one's fit: a seam draw's exponent is the shift draw's statistic.
    from rgcoarse.coarse.selection import stepwise_cod
    from rgcoarse.stats.null_draws import _cod_increment_exponent

    full = _cod_increment_exponent(stepwise_cod(values, None), values.shape, STATISTICS["cod_rank_range"])
    assert seam_statistic(values, STATISTICS["cod_rank_range"]) == pytest.approx(full, rel=1e-12)
    permute = null_statistics(values, "permute", "projection", n_draws=2, **settings)
    assert statistic_values(permute, SEAM_STATISTIC).size == 0  # permute has no seam


def test_a_common_mode_beats_its_permute_null():
    """Data with a common mode have a larger M2 exponent than any permute draw (rank test at 19 draws)."""
    values = _data(2)
    levels = coarse_grain(values, "projection", omega=2**-0.5, min_variables=2)
    data = {r["statistic"]: r["value"] for r in coarse_graining_statistics(values, levels, **STATISTICS) if r["level"] == -1}
    draws = null_statistics(values, "permute", "projection", n_draws=19, seed=3,
                            coarse=dict(omega=2**-0.5, min_variables=2), statistics=STATISTICS)
    test = v.null_test(data["m2_exponent"], statistic_values(draws, "m2_exponent"))
    assert test.p_value <= 0.05 and data["m2_exponent"] > statistic_values(draws, "m2_exponent").max()


def test_a_count_against_chance_has_a_finite_margin_in_successes():
    assert v.count_needed(5, 0.05) == 2  # P(X >= 1) = 0.23, P(X >= 2) = 0.023
    assert v.count_needed(5, 0.5) == 5 and v.count_needed(4, 0.5) == 5  # 1/16 > 0.05: even all four are not enough
    none, p = v.from_count(0, 5, 0.05)
    assert p == 1.0 and none.status == v.DISAGREES and none.margin == -2
    two, p = v.from_count(2, 5, 0.05)
    assert p == pytest.approx(0.0226, abs=1e-4) and two.status == v.AGREES and two.margin == 0


def test_two_sided_tests_are_named_and_measured_as_two_sided():
    test = v.NullTest(19, 0.0, 1.0, 2.5, 0.02, "t (normal null)")
    assert test.describe("two-sided").startswith("two-sided (data != null)")
    assert test.describe("greater").startswith("one-sided (data > null)")
    assert v.from_p_value(0.02, -2.5, two_sided=True).margin == pytest.approx(2.5 - 1.959964, abs=1e-6)
    assert v.from_p_value(0.02, 2.5).margin == pytest.approx(2.5 - 1.644854, abs=1e-6)
