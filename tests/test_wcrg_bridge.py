"""The WCRG bridge: conditional kappa_j of lattice data's Gaussian approximation (Ising, user lattices)."""

import copy

import numpy as np
import pytest
import yaml
from conftest import REPO
from rgcoarse.config.validation import ConfigError
from rgcoarse.io.datamatrix import DataMatrixError
from rgcoarse.io.user_files import read_user_matrix
from rgcoarse.pipeline.plan import Plan
from rgcoarse.wcrg.bridge import gaussian_conditioning, lattice_fields, structure_factor
from rgcoarse.wcrg.conditioning import condition_number, laplacian_symbol, split_symbol

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def _gaussian_fields(size, mass, n, seed=0):
    """Exact samples of the field with precision -Lap + mass^2 (through its Fourier symbol)."""
    symbol = laplacian_symbol(2 * np.pi * np.arange(size) / size) + mass ** 2
    white = np.random.default_rng(seed).normal(size=(n, size, size))
    return np.real(np.fft.ifft2(np.fft.fft2(white) / np.sqrt(symbol))), symbol


def test_conditioning_of_sampled_gaussian_fields_matches_the_exact_precision():
    fields, symbol = _gaussian_fields(16, 0.5, 4000)
    np.testing.assert_allclose(structure_factor(fields), 1 / symbol, rtol=0.15)
    table = gaussian_conditioning(fields)
    exact = [condition_number(symbol)]
    current = symbol
    for _ in range(len(table) - 1):
        eigenvalues, current = split_symbol(current, "haar")
        exact.append(condition_number(eigenvalues))
    np.testing.assert_allclose(table["kappa"], exact, rtol=0.12)
    assert list(table["lattice"]) == [16, 16, 8]  # down to a 4 x 4 coarse lattice


@pytest.mark.parametrize("values, shape, message", [
    (np.zeros((5, 32)), (4, 8), "not square"),
    (np.zeros((5, 36)), (4, 4), "16 sites, the data 36 features"),
    (np.zeros((5, 9)), (3, 3), "3 is odd"),
])
def test_lattice_shapes_that_cannot_be_split_are_errors(values, shape, message):
    with pytest.raises(ValueError, match=message):
        lattice_fields(values, shape, "user_datasets.x.lattice_shape")


def test_a_field_without_fluctuation_at_some_wave_vector_is_an_error():
    stripes = np.tile(np.array([1.0, -1.0] * 4), (8, 1))[None] * np.array([1.0, 2.0, 3.0])[:, None, None]
    with pytest.raises(ValueError, match="structure factor vanishes"):
        gaussian_conditioning(stripes)


def test_user_files_declare_a_lattice_shape(tmp_path):
    path = tmp_path / "field.npy"
    np.save(path, np.random.default_rng(1).normal(size=(20, 64)))
    assert read_user_matrix(path, {"lattice_shape": [8, 8]}).metadata["lattice_shape"] == [8, 8]
    with pytest.raises(DataMatrixError, match="8 x 4 = 32 sites but there are 64 variables") as error:
        read_user_matrix(path, {"lattice_shape": [8, 4]})
    assert error.value.option == "lattice_shape"


def test_plan_conditions_user_lattices_and_checks_the_bridge_temperatures(tmp_path):
    path = tmp_path / "field.npy"
    np.save(path, np.random.default_rng(1).normal(size=(20, 64)))
    config = copy.deepcopy(DEFAULTS)
    config["user_datasets"] = {"film": {"path": str(path), "lattice_shape": [8, 8]}}
    plan = Plan(config)
    assert ("film", "default") in plan.wcrg_lattice_datasets()
    assert "results/wcrg/lattice/film/default.parquet" in plan.wcrg_targets()
    assert "results/wcrg/lattice/ising/T2.300.parquet" in plan.wcrg_targets()
    config["user_datasets"]["film"]["lattice_shape"] = [4, 8]
    with pytest.raises(ConfigError, match="user_datasets.film.lattice_shape"):
        Plan(config)
    config = copy.deepcopy(DEFAULTS)
    config["wcrg"]["lattice"]["ising_temperatures"] = [2.2]
    with pytest.raises(ConfigError, match="wcrg.lattice.ising_temperatures: the lattice rule does not run at T = 2.2"):
        Plan(config)


def test_user_lattice_fields_get_score_matching_fits_and_spins_an_error():
    from rgcoarse.wcrg.analysis import user_fit_tables
    from rgcoarse.wcrg.phi4 import phi4_samples

    fields, _ = phi4_samples(16, 0.7, 60, seed=2, burn_in=300, spacing=4)
    tables = user_fit_tables(fields.reshape(-1, 16, 16), {"scales": 3, "hessian_samples": 1}, "user_datasets.film")
    assert sorted(tables["spectra"]["scale"]) == [0, 1, 2]  # 16 -> 8 -> 4: two levels keep a 4 x 4 field
    spins = np.sign(np.random.default_rng(0).normal(size=(50, 8, 8)))
    with pytest.raises(ValueError, match="user_datasets.film: the values take 2 distinct levels"):
        user_fit_tables(spins, {"scales": 3, "hessian_samples": 1}, "user_datasets.film")
