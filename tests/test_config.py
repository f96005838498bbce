"""A bad config stops `snakemake -n` before any job runs, with a message naming the problem."""

import numpy as np
import pytest

from conftest import dry_run_error, load_config, run_snakemake, save_config


def _set(config, dotted, value):
    *parents, last = dotted.split(".")
    node = config
    for key in parents:
        node = node[key]
    node[last] = value


BAD_CONFIGS = [
    # (description, dotted key, value, text expected in the error)
    ("unknown top-level key", "temperatur", [2.0], "Additional properties are not allowed ('temperatur'"),
    ("unknown ising key", "ising.n_sample", 10, "Additional properties are not allowed ('n_sample'"),
    ("negative temperature", "ising.temperatures", [2.0, -1.0], "-1.0 is less than or equal to the minimum of 0"),
    ("zero temperature", "ising.temperatures", [0.0], "0.0 is less than or equal to the minimum of 0"),
    ("odd lattice size", "ising.lattice_size", 63, "63 is not a multiple of 2"),
    ("too small lattice", "ising.lattice_size", 2, "2 is less than the minimum of 4"),
    ("one sample", "ising.n_samples", 1, "1 is less than the minimum of 2"),
    ("one gaussian sample", "gaussian.n_samples", 1, "1 is less than the minimum of 2"),
    ("unknown pairing rule", "coarse_graining.methods.ising", ["pca"],
     "coarse_graining.methods.ising: 'pca' is not a pairing rule; registered: projection, projection_greedy, correlation"),
    ("lattice rule on non-lattice data", "coarse_graining.methods.gaussian", ["lattice"],
     "coarse_graining.methods.gaussian: rule 'lattice' needs lattice data"),
    ("lattice rule on user data", "coarse_graining.methods.user", ["lattice"],
     "coarse_graining.methods.user: rule 'lattice' needs lattice data"),
    ("typo'd dataset kind", "observables.silence_threshold", {"ising": 0.0, "gausian": 0.0, "glass": 0.2, "user": 0.0},
     "observables.silence_threshold: unknown dataset kind(s) ['gausian']"),
    ("missing dataset kind", "observables.cod_max_rank", {"ising": 256, "gaussian": 0, "glass": 0, "planted": 0},
     "observables.cod_max_rank: missing dataset kind(s) ['user']"),
    ("unknown figure panel", "figures.fig9", {"level": 0}, "figures.fig9: no figure panel of that name"),
    ("panel setting missing", "figures.fig2c", {}, "figures.fig2c: missing setting(s) ['temperature']"),
    ("NaN omega", "coarse_graining.omega", float("nan"), "coarse_graining.omega: nan is not a finite number"),
    ("infinite spacing factor", "ising.spacing_factor", float("inf"), "ising.spacing_factor: inf is not a finite number"),
    ("NaN silence threshold", "observables.silence_threshold.glass", float("nan"),
     "observables.silence_threshold.glass: nan is not a finite number"),
    ("infinite glass cutoff", "glass.cutoff", float("inf"), "glass.cutoff: inf is not a finite number"),
    ("NaN temperature", "ising.temperatures", [2.0, float("nan")], "ising.temperatures.1: nan is not a finite number"),
    ("whole-number float as an integer", "ising.n_samples", 4000.0,
     "ising.n_samples: 4000.0 must be an integer (write it without a decimal point)"),
    ("temperature below the written precision", "ising.temperatures", [2.0, 0.0001],
     "ising.temperatures: 0.0001 is written T0.000 in paths"),
    ("temperature with more decimals than its wildcard", "glass.temperatures", [1.0, 0.4, 0.4704],
     "glass.temperatures: 0.4704 has more than 3 decimals"),
    ("reversed COD rank range", "fits.cod_rank_range", [32, 1], "fits.cod_rank_range: [32, 1] is reversed"),
    ("lattice that cannot be halved to the floor", "ising.lattice_size", 6,
     "ising.lattice_size / coarse_graining.min_variables, for the 'lattice' pairing"),
    ("unknown placeholder in the LAMMPS command", "glass.lammps_command", "{mpirun} -np {ntasks} {lmp}",
     "glass.lammps_command: LAMMPS command '{mpirun} -np {ntasks} {lmp}': unknown placeholder(s) ['ntasks']"),
    ("user dataset named like a built-in one", "user_datasets", {"glass": {"path": "x.npy"}},
     "user_datasets.glass: 'glass' is the name of a built-in dataset"),
    ("too few bootstrap resamples", "fits.n_bootstrap", 50, "50 is less than the minimum of 200"),
    ("override of a temperature not run", "ising.overrides", {"7.0": {"n_samples": 10}}, "ising.overrides.7.0"),
    ("missing user file", "user_datasets", {"mine": {"path": "nowhere/data.npy"}},
     "user_datasets.mine.path: file not found"),
]


@pytest.mark.parametrize("description,key,value,expected", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_fails_dry_run(workflow_copy, description, key, value, expected):
    config = load_config(workflow_copy)
    _set(config, key, value)
    save_config(workflow_copy, config)
    error = dry_run_error(workflow_copy)
    assert error is not None, f"{description}: dry-run accepted a bad config"
    assert expected in error, f"{description}: expected {expected!r} in:\n{error[-3000:]}"
    assert not (workflow_copy / "results").exists(), "a job ran despite the bad config"


@pytest.mark.parametrize("index", [0, 8, 29])  # schema, rule registry, a plan_checks message
def test_the_cli_prints_the_same_refusal(workflow_copy, index):
    """The in-process dry-run above is what the CLI does: same refusal, non-zero exit."""
    description, key, value, expected = BAD_CONFIGS[index]
    config = load_config(workflow_copy)
    _set(config, key, value)
    save_config(workflow_copy, config)
    proc = run_snakemake(workflow_copy, "-n", "--quiet")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"{description}: snakemake -n accepted a bad config"
    assert expected in output, f"{description}: expected {expected!r} in:\n{output[-3000:]}"


def test_duplicate_yaml_key_fails_dry_run(workflow_copy):
    path = workflow_copy / "config.yaml"
    text = path.read_text()
    path.write_text(text.replace("  n_samples: 4000 ", "  n_samples: 4000\n  n_samples: 10 ", 1))
    error = dry_run_error(workflow_copy)
    assert error is not None and "key 'n_samples' appears twice" in error, error


def test_malformed_user_file_fails_dry_run(workflow_copy):
    (workflow_copy / "bad.csv").write_text("a,b\n1,2\n3,x\n")
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": "bad.csv"}}
    save_config(workflow_copy, config)
    error = dry_run_error(workflow_copy)
    assert error is not None and "bad.csv: non-numeric column(s) b" in error, error


def test_good_user_file_is_scheduled(workflow_copy):
    np.save(workflow_copy / "good.npy", np.random.default_rng(0).standard_normal((20, 8)))
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": "good.npy", "methods": ["random"]}}
    save_config(workflow_copy, config)
    proc = run_snakemake(workflow_copy, "-n", check=True)
    assert "results/data/mine/default.parquet" in proc.stdout


def test_default_config_dry_run_passes(workflow_copy):
    proc = run_snakemake(workflow_copy, "-n", check=True)
    assert "ising_chain" in proc.stdout
