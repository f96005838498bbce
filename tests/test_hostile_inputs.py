"""Hostile input (issue 24, point 8): every case is rejected before any job starts, naming the key
or file and what is allowed, or answered correctly ("not fitted" with the reason, never a number)."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from rgcoarse.config.validation import ConfigError
from rgcoarse.io.datamatrix import DataMatrixError
from rgcoarse.io.user_files import check_user_file, read_user_matrix
from rgcoarse.ising.metropolis import metropolis_acceptance_thresholds
from rgcoarse.pipeline import costs
from rgcoarse.pipeline.plan import Plan
from rgcoarse.stats.bootstrap import bootstrap_exponent
from rgcoarse.stats.fits import cod_increment_row, fit_cod_increment, fit_problem

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def plan_with(change):
    config = copy.deepcopy(DEFAULTS)
    change(config)
    return Plan(config)


def setter(path, value):
    def change(config):
        *parents, last = path.split(".")
        node = config
        for key in parents:
            node = node[key]
        node[last] = value
    return change


REJECTED = [
    ("ising.temperatures", [2.0, 1e6], "ising.temperatures"),  # beyond 100: independent coins, not the model
    ("ising.lattice_size", 65536, "resources.analysis_mem_mb"),
    ("gaussian.n_samples", 10**10, "gaussian.n_features / gaussian.n_samples"),
    ("gaussian.n_samples", 1e10, "gaussian.n_samples"),  # a float where a count belongs
    ("gaussian.n_features", 10**8, "resources.analysis_mem_mb"),
    ("figures.method", "lattice", "figures.method: rule 'lattice' needs lattice data"),
    ("coarse_graining.comparison_temperatures_per_method", {"nosuch": [2.3]},
     "comparison_temperatures_per_method.nosuch: 'nosuch' is not a pairing rule"),
    ("coarse_graining.comparison_temperatures_per_method", {"information": [4.0]},
     "4.0 is not one of coarse_graining.comparison_temperatures"),
    ("nulls.models", {**DEFAULTS["nulls"]["models"], "ising": ["shift"]}, "nulls.models.ising: 'shift' keeps the time order"),
    ("fits.cod_rank_range", [1, 1000], "fits.cod_rank_range / observables.cod_max_rank"),
    ("fits.k_min", 100000, "fits.min_clusters / fits.k_min"),
    ("fits.min_clusters", 100000, "fits.min_clusters / fits.k_min"),
    ("coarse_graining.min_variables", 100000, "coarse_graining.min_variables"),
    ("figures.fig2a", {"level": 99}, "figures.fig2a: level(s) [99] are deeper than the deepest level of ising"),
    ("figures.fig3a", {"levels": [0, 2, 40]}, "figures.fig3a: level(s) [40]"),
    # Found by a second hostile pass (issue 24: "more cases of the same kinds").
    ("ising.overrides", {"2.3": {"n_samples": 100}, "2.30": {"n_samples": 8000}}, "2.3 and 2.30 name the same temperature"),
    ("nulls.per_method", {"projection": {"models": {"ising": ["shift"]}}},
     "nulls.per_method.projection.models.ising: 'shift' keeps the time order"),
    ("glass_study.methods", ["projection", "projektion"], "glass_study.methods: 'projektion' is not a pairing rule"),
    ("glass_study.methods", ["projection", "lattice"], "glass_study.methods: rule 'lattice' needs lattice data"),
    ("coarse_graining.omega", 1e200, "coarse_graining.omega"),
    ("coarse_graining.omega", 1e-200, "coarse_graining.omega"),
    ("fits.confidence", 0.9999, "fits.n_bootstrap / fits.confidence: 200 resamples leave 0.01 beyond each end"),
    ("observables.silence_threshold", {**DEFAULTS["observables"]["silence_threshold"], "ising": 5.0},
     "observables.silence_threshold.ising: 5.0 silences every variable or none (spins are -1 or +1)"),
    ("observables.silence_threshold", {**DEFAULTS["observables"]["silence_threshold"], "glass": -0.5},
     "observables.silence_threshold.glass: -0.5 silences every variable or none"),
    ("rmi.crossover_range", [5.0, 10.0], "rmi.crossover_range: [5.0, 10.0] reaches outside the noise levels"),
    # A third hostile pass: bounds that keep a job's arithmetic finite and its size sane.
    ("coarse_graining.information_bins", 2000, "coarse_graining.information_bins"),
    ("bayes_rg.temperature", 1e300, "bayes_rg.temperature"),
    ("bayes_rg.temperature", 1e-300, "bayes_rg.temperature"),
    ("bayes_rg.fraction_step", 1e-300, "bayes_rg.fraction_step"),
    ("glass.replicas", 10**12, "glass.replicas"),
    ("glass.tasks", 10**6, "glass.tasks"),
    ("rmi.optimisation", {**DEFAULTS["rmi"]["optimisation"], "learning_rate": 1e300}, "rmi.optimisation.learning_rate"),
    ("glass.validation", {**DEFAULTS["glass"]["validation"], "eos_production": 1e9}, "glass.validation.eos_production"),
    ("glass_study.variants", {"base": {}, "long9": {"production": 1e9}}, "glass_study.variants.long9 (over glass): production"),
    ("nulls.draws", 10000, "nulls.draws: 10000 draws would ask for"),
    ("fits.cod_rank_range", [1, 2], "fits.cod_rank_range: [1, 2] holds fewer than 3 ranks"),
    ("figures.fig2c", {"temperature": 9.5004}, "figures.fig2c.temperature"),
    ("figures.fig2e", {"level": 0, "temperatures": [2.3, 2.3001]}, "figures.fig2e.temperatures"),
    ("figures.fig1", {"levels": [0, 0, 2]}, "figures.fig1.levels: [0, 0, 2] names one twice"),
    ("wcrg.phi4", {**DEFAULTS["wcrg"]["phi4"], "step": 1e300}, "wcrg.phi4.step"),
    ("rmi.optimisation", {**DEFAULTS["rmi"]["optimisation"], "basis_length": 1e-300}, "rmi.optimisation.basis_length"),
    ("rmi.optimisation", {**DEFAULTS["rmi"]["optimisation"], "scales": [1e-300, 1e-300]}, "rmi.optimisation.scales"),
    ("rmi.optimisation", {**DEFAULTS["rmi"]["optimisation"], "grid_half_width": 1e300}, "rmi.optimisation.grid_half_width"),
    ("rmi.half_samples", 10**12, "rmi.half_samples"),
    ("wcrg.phi4", {**DEFAULTS["wcrg"]["phi4"], "burn_in": 10**12}, "wcrg.phi4.burn_in"),
    ("glass.temperatures", [1.0, 0.6, 0.5, 0.47, 0.4, 1e6], "glass.temperatures / glass.validation.eos_temperature"),
    ("fits.cod_rank_range", [5, 5], "fits.cod_rank_range: [5, 5] holds fewer than 3 ranks"),
    ("ising.n_samples", 2, "ising has 2 samples"),
    ("gaussian.n_samples", 3, "gaussian has 3 samples"),
    ("glass.block_count", 5000, "glass.block_count: 5000 blocks of the 1201 thermo samples"),
    ("glass.ramp", 1e6, "ramp_steps"),
    ("glass.validation", {**DEFAULTS["glass"]["validation"], "n_lags": 10**9}, "glass.validation.n_lags"),
    # Settings that cost only time, against resources.max_job_minutes (lower bounds, rgcoarse.pipeline.costs).
    ("ising.burn_in_sweeps", 10**12, "ising.burn_in_sweeps, ising.pilot_sweeps"),
    ("ising.pilot_sweeps", 10**12, "resources.max_job_minutes (1440 min)"),
    ("ising.overrides", {"2.3": {"n_samples": 4000, "spacing_factor": 10**9}}, "the chain at T2.300 would ask for"),
    ("fits.n_bootstrap", 10**8, "fits.n_bootstrap: 100000000 resamples of dataset ising"),
    ("glass.production", 10**9, "config key glass: production (with n_particles, tasks, atom_steps_per_second)"),
    ("glass.frame_interval", 0.005, "glass.n_particles / glass.production (its frames are the samples)"),
    ("glass.frame_interval", 10**6, "glass.production"),
    ("glass.min_equilibration", 10**9, "glass: equilibration / min_equilibration / aging"),
]


@pytest.mark.parametrize("path, value, message", REJECTED, ids=[f"{p}={v}"[:60] for p, v, _ in REJECTED])
def test_a_hostile_config_is_rejected_before_any_job_naming_the_key(path, value, message):
    with pytest.raises(ConfigError, match=None) as raised:
        plan_with(setter(path, value))
    assert message in str(raised.value)


def test_a_bigger_memory_budget_lets_the_same_size_through():
    """The bound is the memory the jobs declare, so a cluster with bigger nodes goes further."""
    big = lambda c: (c["gaussian"].update(n_features=20000), c["fits"].update(min_clusters=16))  # noqa: E731
    with pytest.raises(ConfigError, match="resources.analysis_mem_mb"):
        plan_with(big)
    plan_with(lambda c: (big(c), c["resources"].update(analysis_mem_mb=64000)))
    assert costs.declared_mem_mb(4000, 4096) < DEFAULTS["resources"]["analysis_mem_mb"]  # the default fits


def test_empty_null_rules_plan_no_null_jobs():
    plan = plan_with(lambda c: c["nulls"]["methods"].update(ising=[], glass=[]))
    assert plan.null_runs() == []


def test_very_low_ising_temperatures_give_acceptance_tables_not_overflow():
    for beta in (1.0 / 0.001, 1.0 / 0.011):
        thresholds = metropolis_acceptance_thresholds(beta)
        # Moves that lower the energy always accepted (2^53), raising it never at this beta.
        assert list(thresholds[:2]) == [2**53, 2**53] and thresholds[-1] == 0


def test_a_cod_fit_needs_three_ranks_below_the_sample_count():
    rank = np.arange(1, 33, dtype=float)
    two = fit_cod_increment(rank[:2], 1.0 / rank[:2])
    assert two.status == "too_few_points" and np.isnan(two.exponent)
    cod = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": 1.0 / rank})
    row = cod_increment_row(cod, (1, 32), n_samples=3)  # 3 samples: only rank 1 is below m - 1
    assert row["status"] == "too_few_points" and np.isnan(row["exponent"])


def test_a_curved_cod_increment_is_reported_as_curved_not_ok():
    rank = np.arange(1, 33, dtype=float)
    power = fit_cod_increment(rank, 0.5 * rank**-0.8)
    bent = fit_cod_increment(rank, np.exp(-0.2 * rank))  # exponential: strongly curved in log-log
    assert power.status == "ok" and bent.status == "curved"
    row = cod_increment_row(pd.DataFrame({"level": 0, "rank": rank, "cod_increment": np.exp(-0.2 * rank)}), (1, 32))
    assert row["status"] == "curved" and np.isnan(row["ci_low"]) and "curved" in row["ci_method"]


def test_a_silence_threshold_that_silences_all_or_nothing_is_not_fitted():
    from rgcoarse.coarse.coarse_grain import coarse_grain

    rng = np.random.default_rng(0)
    data = rng.standard_normal((400, 64))
    levels = coarse_grain(data, "random", omega=2**-0.5, min_variables=2)
    for silent in (data < 1e9, data < -1e9):
        fit = bootstrap_exponent(silent, levels, "p0", k_min=1, min_clusters=4, confidence=0.95)
        assert fit.status == "no_silence_variation" and np.isnan(fit.exponent)


# ----- user files -----------------------------------------------------------------------------


def _csv(tmp_path, name, frame):
    path = tmp_path / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_header_only_csv_is_named_at_parse_time(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("a,b,c\n")
    with pytest.raises(DataMatrixError, match="empty.csv: no data rows"):
        check_user_file(path)


@pytest.mark.parametrize("where", ["first", "last"])
@pytest.mark.parametrize("ids", ["row_number", "sorted_with_gaps", "falling"])
def test_an_id_column_is_an_error_unless_declared(tmp_path, where, ids):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.standard_normal((50, 4)), columns=list("abcd"))
    column = {"row_number": np.arange(1, 51), "sorted_with_gaps": 1000 + np.cumsum(rng.integers(1, 5, 50)),
              "falling": 90 - 2 * np.arange(50)}[ids]
    frame.insert(0 if where == "first" else 4, "id", column)
    path = _csv(tmp_path, "with_id", frame)
    with pytest.raises(DataMatrixError, match="'id' hold integers that only grow or only fall.*id_columns"):
        read_user_matrix(path)
    matrix = read_user_matrix(path, {"id_columns": ["id"]})
    assert matrix.feature_names == list("abcd") and matrix.metadata["dropped_id_columns"] == ["id"]


def test_constant_and_near_constant_columns_are_named(tmp_path):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.standard_normal((60, 4)), columns=list("abcd"))
    frame["b"] = 3.0 + 1e-14 * rng.standard_normal(60)  # constant up to rounding
    frame["c"] = 0.0
    path = _csv(tmp_path, "constant", frame)
    with pytest.raises(DataMatrixError, match=r"2 constant column\(s\) \['b', 'c'\].*drop_constant_columns"):
        read_user_matrix(path)
    matrix = read_user_matrix(path, {"drop_constant_columns": True})
    assert matrix.feature_names == ["a", "d"] and matrix.metadata["dropped_constant_columns"] == ["b", "c"]


def test_an_integer_feature_that_is_not_sorted_is_a_feature(tmp_path):
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.standard_normal((50, 3)), columns=list("abc"))
    frame["counts"] = rng.poisson(3.0, 50)  # spike counts: integers, but not sorted
    assert read_user_matrix(_csv(tmp_path, "counts", frame)).feature_names == [*"abc", "counts"]


def test_a_float32_column_constant_up_to_its_rounding_is_constant(tmp_path):
    """float32 keeps 7 digits: 3.0 computed along different paths differs by a few units in the last
    place, and standardising that would make rounding a feature. A float64 column that varies by 1e-9
    of its size holds that variation to 1e-7 of itself: data, kept."""
    rng = np.random.default_rng(6)
    values = rng.standard_normal((60, 4)).astype(np.float32)
    values[:, 1] = np.float32(3.0) + np.float32(3.0) * np.finfo(np.float32).eps * rng.integers(-4, 5, 60)
    with pytest.raises(DataMatrixError, match=r"1 constant column\(s\) \['f1'\]"):
        read_user_matrix(_npy(tmp_path, "f32", values))
    precise = rng.standard_normal((60, 4))
    precise[:, 1] = 3.0 + 1e-9 * rng.standard_normal(60)
    assert read_user_matrix(_npy(tmp_path, "f64", precise)).n_features == 4


def test_duplicated_rows_of_continuous_data_are_counted(tmp_path):
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.standard_normal((40, 5)), columns=list("abcde"))
    path = _csv(tmp_path, "twice", pd.concat([x, x.iloc[:7]]))
    with pytest.raises(DataMatrixError, match="7 row\\(s\\) repeat an earlier row"):
        read_user_matrix(path)
    assert read_user_matrix(path, {"allow_duplicate_rows": True}).n_samples == 47
    spins = pd.DataFrame(rng.choice([-1, 1], size=(200, 6)), columns=list("abcdef"))  # repeats by nature
    assert read_user_matrix(_csv(tmp_path, "spins", spins)).n_samples == 200


def test_a_dataset_too_small_for_three_fitted_levels_is_named_before_any_job(tmp_path):
    """30 features (the breast-cancer table's size) with min_clusters 16: only level 0 qualifies. A
    user's file is still read and analysed (its fits say `too_few_points`), with a warning up front;
    the paper's own datasets stop the run instead (their claims need the fits)."""
    rng = np.random.default_rng(4)
    path = _csv(tmp_path, "small", pd.DataFrame(rng.standard_normal((569, 30)), columns=[f"x{j}" for j in range(30)]))
    plan = plan_with(lambda c: c["user_datasets"].update(small={"path": str(path)}))
    assert any("small (30 features) has 1 level" in w and "lower fits.min_clusters" in w for w in plan.warnings)
    fine = plan_with(lambda c: (c["user_datasets"].update(small={"path": str(path)}), c["fits"].update(min_clusters=4)))
    assert fine.warnings == []


def test_an_empty_section_in_an_overlay_keeps_the_defaults(tmp_path):
    """`observables: {}` once gave a KeyError traceback in a job; maps now merge over config.yaml."""
    from rgcoarse.config.layers import layered_config

    overlay = tmp_path / "empty.yaml"
    overlay.write_text("observables: {}\nfits: {}\n")
    config = layered_config(REPO / "config.yaml", [overlay])
    assert config["observables"] == DEFAULTS["observables"] and config["fits"] == DEFAULTS["fits"]
    Plan(config)


def _npy(tmp_path, name, values):
    path = tmp_path / f"{name}.npy"
    np.save(path, values)
    return path


def _with_user(path, **entry):
    return lambda c: c["user_datasets"].update(mine={"path": str(path), **entry})


def test_an_infinite_value_in_the_rows_a_parse_reads_is_named_there(tmp_path):
    x = np.random.default_rng(5).standard_normal((500, 6))
    x[3, 4] = np.inf
    path = _csv(tmp_path, "inf", pd.DataFrame(x, columns=list("abcdef")))
    with pytest.raises(DataMatrixError, match="infinite value in column 'e', row 4"):
        check_user_file(path)


def test_an_id_column_the_file_does_not_have_is_named_at_parse_time(tmp_path):
    path = _csv(tmp_path, "ids", pd.DataFrame(np.random.default_rng(6).standard_normal((50, 4)), columns=list("abcd")))
    with pytest.raises(ConfigError, match=r"user_datasets.mine.id_columns: .*\['no_such'\] are not columns"):
        plan_with(_with_user(path, id_columns=["no_such"]))


def test_a_declared_lattice_must_be_square_for_the_wcrg_arm_and_admits_the_lattice_rule(tmp_path):
    path = _npy(tmp_path, "field", np.random.default_rng(7).standard_normal((300, 64)))
    with pytest.raises(ConfigError, match=r"user_datasets.mine.lattice_shape: 2 x 32 is not square"):
        plan_with(_with_user(path, lattice_shape=[2, 32]))
    plan = plan_with(_with_user(path, lattice_shape=[8, 8], methods=["lattice", "random"]))
    assert "lattice" in plan.methods_for("mine", "default")
    with pytest.raises(ConfigError, match="rule 'lattice' needs lattice data, which user data without a lattice_shape"):
        plan_with(_with_user(path, methods=["lattice"]))


def test_too_few_samples_for_a_bootstrap_is_said_before_any_job(tmp_path):
    path = _npy(tmp_path, "short", np.random.default_rng(8).standard_normal((3, 64)))
    plan = plan_with(lambda c: (_with_user(path)(c), c["fits"].update(min_clusters=4)))
    assert any("mine has 3 samples" in w and "too_few_samples" in w for w in plan.warnings), plan.warnings


def test_a_time_ordered_user_null_on_data_not_declared_a_series_is_said(tmp_path):
    path = _npy(tmp_path, "rows", np.random.default_rng(10).standard_normal((300, 64)))
    models = lambda c: c["nulls"]["models"].update(user=["shift", "permute"])  # noqa: E731
    plan = plan_with(lambda c: (_with_user(path)(c), models(c), c["fits"].update(min_clusters=4)))
    assert any("user_datasets.mine is not declared time_series: true" in w for w in plan.warnings), plan.warnings
    series = plan_with(lambda c: (_with_user(path, time_series=True)(c), models(c), c["fits"].update(min_clusters=4)))
    assert not any("time_series" in w for w in series.warnings)


@pytest.mark.parametrize("shape", [(20, 64), (40, 64), (10, 32), (60, 30)])
def test_a_cod_fit_that_reaches_into_the_finite_span_is_not_fitted(shape):
    """Pure noise with few samples (or few features): the increments follow from the data's rank, so
    the fit is ``rank_limited`` with the reason and no number, never an exponent."""
    from rgcoarse.coarse.selection import stepwise_cod

    values = np.random.default_rng(1).standard_normal(shape)
    cod = stepwise_cod(values, min(32, shape[1])).assign(level=0)
    row = cod_increment_row(cod, (1, 32), n_samples=shape[0], n_features=shape[1])
    assert row["status"] == "rank_limited" and np.isnan(row["exponent"]) and np.isnan(row["ci_low"])
    assert "fits.cod_rank_range" in row["ci_method"] and f"{shape[0]} x {shape[1]}" in row["ci_method"]
    assert fit_problem(row).startswith("rank_limited")


def test_a_cod_fit_well_inside_the_span_is_fitted_even_with_fewer_samples_than_features():
    """The default Ising data have 4,000 samples of 4,096 spins: rank-deficient, but ranks 1-32 lie far
    inside the span (3,999), where rank deficiency does not shape the increments."""
    rank = np.arange(1, 65, dtype=float)
    cod = pd.DataFrame({"level": 0, "rank": rank, "cod_increment": 0.5 * rank**-0.8})
    row = cod_increment_row(cod, (1, 32), n_samples=4000, n_features=4096)
    assert row["status"] == "ok" and row["exponent"] == pytest.approx(-0.8)


@pytest.mark.parametrize("section", [k for k, v in DEFAULTS.items() if isinstance(v, dict) and v])
def test_an_empty_section_in_config_yaml_itself_is_named_not_a_traceback(tmp_path, section):
    """The README tells users to edit config.yaml, the file that holds the defaults: a section emptied
    there has no defaults beneath it, so the plan must name its missing keys (it once gave a KeyError)."""
    from rgcoarse.config.layers import layered_config

    config = copy.deepcopy(DEFAULTS)
    config[section] = {}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    try:
        Plan(layered_config(path, []))
    except ConfigError as error:
        assert section in str(error)


def test_time_requests_grow_with_the_settings_and_follow_the_declared_limit():
    """Jobs ask the scheduler for twice their estimate (at least their usual request); a cluster with longer
    jobs raises resources.max_job_minutes and can go further; the defaults ask for the usual minutes."""
    from rgcoarse.pipeline import costs

    plan = plan_with(lambda c: None)
    assert plan.ising_chain_runtime(type("W", (), {"condition": "T2.300"})) == costs.RUNTIME_FLOOR_MINUTES["ising_chain"]
    assert costs.requested_minutes("observables", 3600) == 125  # 1 h estimated: 2 h + 5 min
    long_chain = setter("ising.burn_in_sweeps", 10**9)  # 4,096 x 1e9 updates at 3.5e7/s: about 32 h, asks 65 h
    with pytest.raises(ConfigError, match="ising.burn_in_sweeps"):
        plan_with(long_chain)
    longer = plan_with(lambda c: (long_chain(c), c["resources"].update(max_job_minutes=5000)))
    assert longer.ising_chain_runtime(type("W", (), {"condition": "T2.300"})) > 3000


def test_too_few_null_draws_are_named_up_front():
    plan = plan_with(setter("nulls.draws", 3))
    assert any("nulls.draws: 3 draws" in w and "not testable" in w for w in plan.warnings)
    assert not any("nulls.draws" in w for w in plan_with(lambda c: None).warnings)


def test_real_tables_shipped_with_scikit_learn_are_named_up_front(tmp_path):
    """The issue's two real data sets, as a user would bring them: the digits' three blank pixels are
    named (or dropped and recorded on request); the breast-cancer table's 30 features leave one
    fittable level under the default fit settings, said before any job, and its COD fit over ranks
    1-32 reaches beyond a quarter of the 29 dimensions the data span, so it is not fitted."""
    from sklearn.datasets import load_breast_cancer, load_digits

    digits = pd.DataFrame(load_digits().data, columns=[f"p{j}" for j in range(64)])
    path = _csv(tmp_path, "digits", digits)
    with pytest.raises(DataMatrixError, match=r"3 constant column\(s\) \['p0', 'p32', 'p39'\]"):
        read_user_matrix(path)
    kept = read_user_matrix(path, {"drop_constant_columns": True})
    assert kept.n_features == 61 and kept.metadata["dropped_constant_columns"] == ["p0", "p32", "p39"]
    cancer = load_breast_cancer()
    path = _csv(tmp_path, "cancer", pd.DataFrame(cancer.data, columns=[f"x{j}" for j in range(30)]))
    plan = plan_with(lambda c: c["user_datasets"].update(cancer={"path": str(path)}))
    assert any("cancer (30 features) has 1 level" in w and "fits.min_clusters" in w for w in plan.warnings)
    rank = np.arange(1, 31, dtype=float)
    row = cod_increment_row(pd.DataFrame({"level": 0, "rank": rank, "cod_increment": rank**-0.5}), (1, 32),
                            n_samples=569, n_features=30)
    assert row["status"] == "rank_limited" and np.isnan(row["exponent"])


@pytest.mark.parametrize("bins", [8, 2000, 10**6])
def test_continuous_data_are_never_counted_as_discrete_whatever_the_bins(bins):
    """The `auto` switch once called continuous data discrete when the bins reached the sample count,
    and the rmi rule then paired at random (every pair tied at log m)."""
    from rgcoarse.coarse.information_pairing import choose_estimator
    from rgcoarse.rmi.pairing import choose_rmi_estimator

    values = np.random.default_rng(7).standard_normal((300, 6))
    assert choose_estimator(values, "auto", bins) == "knn" and choose_rmi_estimator(values, "auto", bins) == "knn"
    spins = np.random.default_rng(8).choice([-1.0, 1.0], (300, 6))
    assert choose_estimator(spins, "auto", bins) == "discrete" == choose_rmi_estimator(spins, "auto", bins)


def test_odd_files_are_named_before_any_job(tmp_path):
    """Bare-CR line ends (old Mac exports) once raised a csv traceback at parse time; float128 arrays
    passed both checks and failed to be written; a float16 column with 41 values was called constant."""
    frame = pd.DataFrame(np.random.default_rng(0).standard_normal((60, 8)), columns=[f"c{j}" for j in range(8)])
    frame.to_csv(tmp_path / "cr.csv", index=False, lineterminator="\r")
    with pytest.raises(DataMatrixError, match="cr.csv: lines end in a bare carriage return"):
        check_user_file(tmp_path / "cr.csv")
    if np.dtype(np.longdouble).itemsize > 8:  # extended precision on this platform
        with pytest.raises(DataMatrixError, match="extended precision"):
            read_user_matrix(_npy(tmp_path, "long", frame.to_numpy().astype(np.longdouble)))
    half = np.random.default_rng(1).standard_normal((200, 4)).astype(np.float16)
    half[:, 1] = (1000 + np.random.default_rng(2).integers(-20, 21, 200)).astype(np.float16)
    assert read_user_matrix(_npy(tmp_path, "half", half)).n_features == 4


def test_a_declared_zero_based_id_and_a_boolean_column_in_a_csv_are_read(tmp_path):
    """A 0-based id in the first column was refused as a saved row index even when declared; a
    True/False column beside numbers passed the parse and then failed in the job as Python objects."""
    frame = pd.DataFrame(np.random.default_rng(3).standard_normal((60, 6)), columns=[f"c{j}" for j in range(6)])
    frame["flag"] = np.random.default_rng(4).random(60) < 0.5
    frame.insert(0, "id", np.arange(60))
    path = _csv(tmp_path, "ids_flags", frame)
    with pytest.raises(DataMatrixError, match="saved row index"):
        check_user_file(path)  # undeclared: still named
    matrix = read_user_matrix(path, {"id_columns": ["id"]})
    assert matrix.feature_names == [*(f"c{j}" for j in range(6)), "flag"] and matrix.values.dtype == np.float64
    assert set(np.unique(matrix.values[:, -1])) == {0.0, 1.0}


def test_entries_that_would_be_silently_unused_are_named():
    plan = plan_with(lambda c: (c["coarse_graining"]["comparison_temperatures_per_method"].update(random=[2.0]),
                                c["nulls"]["methods"].update(ising=["projection", "information_eq24"])))
    assert any("comparison_temperatures_per_method.random" in w and "unused" in w for w in plan.warnings)
    assert any("nulls.methods.ising: rule 'information_eq24'" in w for w in plan.warnings)
    assert plan_with(lambda c: None).warnings == []


def test_id_columns_that_leave_fewer_than_two_features_are_named_at_parse_time(tmp_path):
    frame = pd.DataFrame(np.random.default_rng(9).standard_normal((50, 3)), columns=list("abc"))
    path = _csv(tmp_path, "three", frame)
    with pytest.raises(DataMatrixError, match=r"id_columns \['a', 'b'\] leave 1 of the file's 3 columns"):
        check_user_file(path, {"id_columns": ["a", "b"]})


def test_a_blank_first_line_and_trailing_commas_are_named_for_what_they_are(tmp_path):
    frame = pd.DataFrame(np.random.default_rng(10).standard_normal((40, 4)), columns=list("abcd"))
    text = frame.to_csv(index=False)
    (tmp_path / "blank.csv").write_text("\n" + text)
    with pytest.raises(DataMatrixError, match="the first line is blank"):
        check_user_file(tmp_path / "blank.csv")
    header, *rows = text.splitlines()
    (tmp_path / "comma.csv").write_text("\n".join([header, *(r + "," for r in rows)]) + "\n")
    with pytest.raises(DataMatrixError, match="every data row ends in a comma"):
        check_user_file(tmp_path / "comma.csv")
