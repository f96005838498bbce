"""Data far from unit scale: analysed exactly (1e-50) or stopped with a clear error (1e300), never silently zero.

COD, the exponents and the pairs do not depend on the data's scale; M2 scales with its square.
"""

from pathlib import Path

import numpy as np
import pytest
from conftest import copy_workflow, load_config, run_snakemake, save_config

from rgcoarse.checks import check_data_scale
from rgcoarse.coarse.coarse_grain import coarse_grain, levels_from_frame, levels_to_frame
from rgcoarse.stats.observables import cod_table, mean_variance_table
from rgcoarse.io.tables import read_table

BASE = np.random.default_rng(11).standard_normal((96, 32)) + np.repeat(
    np.random.default_rng(12).standard_normal((96, 8)), 4, axis=1)  # blocks of 4 correlated features
TARGETS = ("results/observables/{name}/default/projection/cod.parquet",
           "results/observables/{name}/default/projection/m2.parquet",
           "results/fits/{name}/default/projection.parquet")


@pytest.fixture(scope="module")
def scaled_runs(tmp_path_factory):
    """The user-data chain (store, coarse-grain, observables, fits) on the same data at three scales."""
    directory = copy_workflow(tmp_path_factory.mktemp("scale") / "workflow")
    config = load_config(directory)
    config["user_datasets"] = {}
    for name, scale in (("unit", 1.0), ("tiny", 1e-50), ("huge", 1e300)):
        np.save(directory / f"{name}.npy", BASE * scale)
        config["user_datasets"][name] = {"path": f"{name}.npy", "methods": ["projection"]}
    save_config(directory, config)
    for name in ("unit", "tiny"):
        run_snakemake(directory, "--cores", "2", *(t.format(name=name) for t in TARGETS), check=True)
    huge = run_snakemake(directory, "--cores", "1", TARGETS[0].format(name="huge"))
    return directory, huge


def _table(directory, target, name):
    return read_table(Path(directory, target.format(name=name)))[0]


def test_tiny_data_gives_the_unit_results_rescaled(scaled_runs):
    directory, _ = scaled_runs
    cod_unit, cod_tiny = (_table(directory, TARGETS[0], n) for n in ("unit", "tiny"))
    assert cod_unit["cod_increment"].abs().max() > 0.1  # not all zero
    np.testing.assert_allclose(cod_tiny["cod"], cod_unit["cod"], rtol=1e-9, atol=1e-12)
    m2_unit, m2_tiny = (_table(directory, TARGETS[1], n) for n in ("unit", "tiny"))
    np.testing.assert_allclose(m2_tiny["m2"], m2_unit["m2"] * 1e-100, rtol=1e-9)
    fits_unit, fits_tiny = (_table(directory, TARGETS[2], n).set_index("observable") for n in ("unit", "tiny"))
    assert fits_tiny.loc["m2", "status"] == "ok"
    np.testing.assert_allclose(fits_tiny.loc["m2", "exponent"], fits_unit.loc["m2", "exponent"], rtol=1e-9)


def test_huge_data_stops_with_a_clear_error_before_coarse_graining(scaled_runs):
    directory, huge = scaled_runs
    assert huge.returncode != 0
    log = Path(directory, "logs/coarse/huge/default/projection.log").read_text()
    assert "would overflow float64; rescale the data" in log and "huge/default.parquet" in log
    assert not Path(directory, "results/coarse/huge/default/projection.parquet").exists()


@pytest.mark.parametrize("omega", [1e-12, 1e12])
def test_extreme_omega_keeps_cod_exact(omega):
    reference = coarse_grain(BASE, "projection", omega=2**-0.5, min_variables=4)
    levels = levels_from_frame(levels_to_frame(coarse_grain(BASE, "projection", omega=omega, min_variables=4)), BASE)
    assert [lv.pairs.tolist() for lv in levels] == [lv.pairs.tolist() for lv in reference]
    np.testing.assert_allclose(cod_table(levels)["cod"], cod_table(reference)["cod"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(mean_variance_table(BASE, levels)["m2"], mean_variance_table(BASE, reference)["m2"])


def test_data_scale_window():
    check_data_scale(np.zeros((3, 4)), "zeros")  # exactly zero observables, fine
    check_data_scale(np.ones((3, 4), dtype=np.int8), "spins")
    with pytest.raises(ValueError, match="x.npy: values up to 1e\\+300 over 4 features"):
        check_data_scale(np.full((3, 4), 1e300), "x.npy")
    with pytest.raises(ValueError, match="underflow"):
        check_data_scale(np.full((3, 4), 1e-200), "x.npy")
