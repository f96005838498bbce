"""The Bayesian renormalization arm in the workflow: data readers, the Ky Fan bridge, the gap test, claim rows,
config checks."""

import copy
import gzip

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from rgcoarse.bayes_rg.autoencoder import initial_autoencoder
from rgcoarse.bayes_rg.claims import bayes_rg_claims, sign_test
from rgcoarse.bayes_rg.data import MnistFileError, read_mnist, split, unit_scaled
from rgcoarse.bayes_rg.experiment import fisher_eigenvalues, gap_test
from rgcoarse.bayes_rg.kyfan import (
    covariance,
    kyfan_bounds,
    kyfan_table,
    retained_variance,
)
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.config.validation import ConfigError
from rgcoarse.paper.claim_groups import CLAIM_GROUPS, claims_inputs, claims_settings
from rgcoarse.paper.verdicts import AGREES, DISAGREES, NOT_TESTABLE
from rgcoarse.pipeline.plan import Plan

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())
RNG = np.random.default_rng(5)


def _config(**changes):
    config = copy.deepcopy(DEFAULTS)
    config["bayes_rg"].update(changes)
    return config


# --- Ky Fan bridge ---------------------------------------------------------------------------------

def test_retained_variance_is_the_trace_of_the_normalised_indicator_frame_and_never_beats_ky_fan():
    n = 12
    mixing = RNG.normal(size=(n, n))
    cov = mixing @ mixing.T
    clusters = [np.array([0, 3, 7]), np.array([1, 2]), np.array([4, 5, 6, 8, 9, 10, 11])]
    frame = np.zeros((n, len(clusters)))
    for j, c in enumerate(clusters):
        frame[c, j] = 1 / np.sqrt(len(c))
    assert retained_variance(cov, clusters) == pytest.approx(np.trace(frame.T @ cov @ frame), rel=1e-12)
    bounds = kyfan_bounds(cov)
    assert bounds[-1] == pytest.approx(np.trace(cov)) and bounds[3] >= retained_variance(cov, clusters)
    # Ky Fan: the top-3 eigenvectors reach the bound, and no random orthonormal frame beats it
    top = np.linalg.eigh(cov)[1][:, -3:]
    assert np.trace(top.T @ cov @ top) == pytest.approx(bounds[3], rel=1e-10)
    for _ in range(50):
        q = np.linalg.qr(RNG.normal(size=(n, 3)))[0]
        assert np.trace(q.T @ cov @ q) <= bounds[3] + 1e-9


def test_pairing_perfect_copies_keeps_everything_and_level_zero_is_one():
    """Four independent sources of variances 4, 3, 2, 1, each copied twice: pairing the copies keeps the bound."""
    sources = RNG.normal(size=(20000, 4)) * np.sqrt([4.0, 3.0, 2.0, 1.0])
    values = np.repeat(sources, 2, axis=1) + 1e-3 * RNG.normal(size=(20000, 8))
    levels = coarse_grain(values, "correlation", omega=2 ** -0.5, min_variables=4, seed=0)
    table = kyfan_table(values, {"correlation": levels}, "copies", "default")
    assert table["ratio"].tolist() == pytest.approx([1.0, 1.0], abs=1e-4)
    assert table["retained"].iloc[1] == pytest.approx(2 * covariance(sources).trace(), rel=1e-3)


# --- data ------------------------------------------------------------------------------------------

def _idx(path, images, magic=2051, extra=b""):
    header = np.array([magic, len(images), 28, 28], dtype=">u4").tobytes()
    payload = header + images.astype(np.uint8).tobytes() + extra
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as handle:
        handle.write(payload)


def test_mnist_reads_idx_files_and_npz_and_names_every_fault(tmp_path):
    train, test = RNG.integers(0, 256, (7, 28, 28)), RNG.integers(0, 256, (3, 28, 28))
    directory = tmp_path / "idx"
    directory.mkdir()
    _idx(directory / "train-images-idx3-ubyte.gz", train)
    _idx(directory / "t10k-images-idx3-ubyte", test)
    read_train, read_test = read_mnist(str(directory))
    np.testing.assert_allclose(read_train, train.reshape(7, -1) / 255.0)
    assert read_test.shape == (3, 784)
    archive = tmp_path / "mnist.npz"
    np.savez(archive, x_train=train, x_test=test)
    np.testing.assert_allclose(read_mnist(str(archive))[1], test.reshape(3, -1) / 255.0)

    with pytest.raises(MnistFileError, match="does not exist"):
        read_mnist(str(tmp_path / "nowhere.npz"))
    _idx(directory / "t10k-images-idx3-ubyte", test, magic=2049)
    with pytest.raises(MnistFileError, match="magic number 2049.*label file"):
        read_mnist(str(directory))
    _idx(directory / "t10k-images-idx3-ubyte", test, extra=b"\x00")
    with pytest.raises(MnistFileError, match="truncated or not an IDX file"):
        read_mnist(str(directory))
    (directory / "train-images-idx3-ubyte.gz").unlink()
    with pytest.raises(MnistFileError, match="no train-images-idx3-ubyte"):
        read_mnist(str(directory))
    np.savez(archive, x_train=train)
    with pytest.raises(MnistFileError, match="no x_test in the archive"):
        read_mnist(str(archive))
    np.savez(archive, x_train=train[:, :20], x_test=test)
    with pytest.raises(MnistFileError, match=r"x_train\]: expected MNIST images of shape"):
        read_mnist(str(archive))
    np.savez(archive, x_train=train * 2.0, x_test=test)
    with pytest.raises(MnistFileError, match="outside 0-255"):
        read_mnist(str(archive))
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(MnistFileError, match="not a readable .npz"):
        read_mnist(str(tmp_path / "junk.npz"))


def test_user_data_are_scaled_per_column_and_split_by_seed():
    values = np.column_stack([RNG.normal(size=50), np.full(50, 3.0), RNG.uniform(-5, 5, 50)])
    scaled, constant = unit_scaled(values, "user_datasets.x")
    assert constant == 1 and (scaled[:, 1] == 0).all()
    assert scaled[:, [0, 2]].min() == 0 and scaled[:, [0, 2]].max() == 1
    with pytest.raises(ValueError, match="user_datasets.x: the data matrix holds NaN"):
        unit_scaled(np.array([[1.0, np.nan], [2.0, 3.0]]), "user_datasets.x")
    train, test = split(scaled, 0.2, seed=4)
    assert len(train) == 40 and len(test) == 10
    np.testing.assert_array_equal(split(scaled, 0.2, seed=4)[1], test)
    with pytest.raises(ValueError, match="leaves no training or no held-out sample"):
        split(scaled[:2], 0.1, seed=0)


def test_a_fisher_too_large_to_form_gives_an_empty_eigen_table():
    model = initial_autoencoder(300, 20, RNG)
    table = fisher_eigenvalues(model, RNG.random((5, 300)), 1.0, 1.0, seed=0)
    assert table.empty and list(table.columns) == ["seed", "rank", "eigenvalue_over_mean"]


# --- the gap test and the claims -----------------------------------------------------------------

def test_gap_test_finds_a_planted_gap_and_not_one_in_a_smooth_spectrum():
    rng = np.random.default_rng(0)
    smooth = 10 ** rng.normal(-0.5, 0.6, 1200)
    planted = np.concatenate([10 ** rng.normal(-2.0, 0.15, 200), 10 ** rng.normal(0.2, 0.15, 1000)])
    assert gap_test(smooth, 199, np.random.default_rng(1))["window_gap_p_value"] > 0.05
    result = gap_test(planted, 199, np.random.default_rng(1))
    assert result["window_gap_p_value"] <= 0.01 and 0.02 < result["window_gap_location"] < 1.0


def test_sign_test_is_the_binomial_tail():
    assert sign_test([0.1, 0.2, 0.3, 0.1, 0.05]) == (5, 5, pytest.approx(1 / 32))
    assert sign_test([0.1, 0.2, 0.0, 0.1, 0.05]) == (4, 5, pytest.approx(6 / 32))  # a tie counts against


def _tables(fisher_wins: int, seeds: int = 5):
    """Summary and pruning tables in which Fisher beats random and magnitude on ``fisher_wins`` seeds."""
    summary, pruning = [], []
    for seed in range(seeds):
        better = seed < fisher_wins
        for zeros_first in (False, True):
            for scheme, removable in (("fisher", 0.3 if better else 0.1), ("magnitude", 0.2), ("random", 0.0)):
                summary.append({"seed": seed, "scheme": scheme, "zeros_first": zeros_first,
                                "removable_fraction": removable, "base_test_loss": 0.02, "zero_fisher": 60, "zero_blank_pixel": 60, "zero_dead_unit": 0,
                                **{f"{p}gap_{k}": v for p in ("", "window_") for k, v in
                                   (("ratio", 2.0), ("location", 0.1), ("p_value", 0.5), ("null_draws", 19))}})
                for fraction, loss in ((0.0, 0.02), (0.1, 0.02), (0.2, 0.02), (0.3, 0.05), (0.9, 0.3)):
                    if scheme == "magnitude":
                        loss = 0.02 if fraction < 0.3 else 0.04 if fraction < 0.9 else 0.1
                    pruning.append({"seed": seed, "scheme": scheme, "draw": 0, "zeros_first": zeros_first,
                                    "fraction": fraction, "test_loss": loss, "cutoff": fraction / 2})
    return pd.DataFrame(pruning), pd.DataFrame(summary)


def test_claims_agree_only_when_every_seed_agrees_and_a_chance_gap_is_not_located():
    claims = {(c.claim_id, c.reading): c for c in bayes_rg_claims(*_tables(5), tolerance=0.01)}
    assert claims[("bayes_rg_fisher_beats_random", "every weight (as the paper)")].verdict == AGREES
    assert claims[("bayes_rg_fisher_beats_magnitude", "every weight (as the paper)")].verdict == AGREES
    assert claims[("bayes_rg_magnitude_overtakes", "every weight (as the paper)")].verdict == AGREES
    gap = [c for c in claims.values() if c.claim_id == "bayes_rg_fisher_gap"]
    assert [c.verdict for c in gap] == [DISAGREES, DISAGREES, NOT_TESTABLE]  # p = 0.5 on every seed
    four = {(c.claim_id, c.reading): c for c in bayes_rg_claims(*_tables(4), tolerance=0.01)}
    beaten = four[("bayes_rg_fisher_beats_magnitude", "every weight (as the paper)")]
    assert beaten.verdict == DISAGREES and beaten.p_value == pytest.approx(6 / 32) and "4 of 5 seeds" in beaten.note


# --- the plan ------------------------------------------------------------------------------------

def test_default_run_includes_the_arm_and_switching_it_off_removes_it():
    plan = Plan(_config())
    targets = plan.bayes_rg_targets()
    assert {"results/bayes_rg/pruning.parquet", "results/bayes_rg/kyfan.parquet",
            "figures/bayes_rg_kyfan.png"} <= set(targets)
    assert set(plan.bayes_rg_claims_inputs()) <= set(claims_inputs(plan))
    assert plan.bayes_rg_kyfan_inputs()["ising_levels"] == [
        f"results/coarse/ising/T2.300/{m}.parquet" for m in plan.methods_for("ising", "T2.300")]
    assert len(set(plan.bayes_rg_seeds())) == 5
    off = Plan(_config(enabled=False))
    assert off.bayes_rg_targets() == []
    assert CLAIM_GROUPS["bayes_rg"].build(off.bayes_rg_claims_inputs(), claims_settings(off.config)["bayes_rg"]) == []


@pytest.mark.parametrize("change, message", [
    ({"latent": 64}, "bayes_rg.latent: 64 is not below the input width of the digits"),
    ({"latent": 30, "mnist": {"path": "mnist.npz", "epochs": 5, "seeds": 1}}, None),
    ({"fraction_step": 0.5, "max_fraction": 0.3}, "bayes_rg.fraction_step"),
    ({"kyfan": {"ising_temperature": 2.27}}, "bayes_rg.kyfan.ising_temperature: 2.27 is not one of"),
])
def test_bad_bayes_rg_settings_stop_the_plan_naming_the_key(change, message):
    if message is None:
        Plan(_config(**change))
        return
    with pytest.raises(ConfigError, match=message):
        Plan(_config(**change))


def test_the_mnist_target_without_a_path_names_the_key():
    with pytest.raises(ConfigError, match="bayes_rg.mnist.path: not set"):
        Plan(_config()).bayes_rg_mnist_path()


def test_a_user_dataset_narrower_than_the_latent_width_is_skipped_with_a_warning(tmp_path):
    for name, width in (("narrow", 10), ("wide", 30)):
        np.save(tmp_path / f"{name}.npy", RNG.normal(size=(100, width)))
    config = _config()
    config["user_datasets"] = {name: {"path": str(tmp_path / f"{name}.npy")} for name in ("narrow", "wide")}
    plan = Plan(config)
    assert plan.bayes_rg_user_datasets() == ["wide"]
    assert any("user dataset 'narrow' has 10 features, not more than bayes_rg.latent (20)" in w for w in plan.warnings)
    assert "results/bayes_rg/user/wide/summary.parquet" in plan.bayes_rg_targets()
