"""Exact partial re-runs: a config change schedules only the jobs it affects.

Each test takes a private copy of the finished tiny run (tests/fixtures/tiny_config.yaml, with
Snakemake's persisted metadata), changes one thing in config.yaml and asks Snakemake, by a
dry-run, what it would run. Nothing is computed.

The tiny run: Ising at T = 2.0, 2.3, 9.5 with the projection rule (plus random pairing at 2.3,
the pairing-rule comparison), a Gaussian matrix with the projection rule, and one short glass
run (T = 2.0, replica 0); fig2c is drawn at T = 9.5, fig2d at T = 2.0, fig2e at all three.
"""

import pytest
from conftest import dry_run, load_config, save_config

# Everything Snakemake can compare, as in profiles/default: file times, parameters, the set of
# input files, software environment and code.
TRIGGERS = ("--rerun-triggers", "mtime", "params", "input", "software-env", "code")

# Rules downstream of the observables-and-fits job (besides `observables` itself and `all`): the
# exponent fits are made in the observables job, so a fit setting re-runs it and what reads its tables.
# (The WCRG arm's Ising bridge figure reads the M2 tables.)
FIT_CONSUMERS = {"exponents_table", "claims", "paper_figure", "supp_pairing_rules", "planted_benchmark", "supplementary_figure",
                 "wcrg_figure"}


def planned(directory):
    return dry_run(directory, *TRIGGERS)


def describe(jobs):
    return "\n".join(f"  {job.rule} {job.wildcards}  ({job.reason})" for job in jobs) or "  (nothing)"


def rules_of(jobs):
    return {job.rule for job in jobs}


def panels(jobs):
    return {job.wildcards["panel"] for job in jobs if job.rule == "paper_figure"}


def panels_reading(directory, fragment):
    """Paper panels with an input path containing ``fragment``, from the full DAG."""
    every_job = dry_run(directory, "--forceall")
    return {
        job.wildcards["panel"]
        for job in every_job
        if job.rule == "paper_figure" and any(fragment in path for path in job.input)
    }


def test_finished_tiny_run_is_up_to_date(tiny_run_copy):
    """The baseline of every other test here: with the config unchanged nothing is to be done."""
    jobs = planned(tiny_run_copy)
    assert jobs == [], f"a finished run with an unchanged config should be up to date, but would run:\n{describe(jobs)}"


@pytest.mark.parametrize(
    "key, value",
    [("k_min", 2), ("cod_rank_range", [2, 8])],
    ids=["fits.k_min", "fits.cod_rank_range"],
)
def test_fit_range_change_reruns_only_the_observables_jobs_and_what_reads_them(tiny_run_copy, key, value):
    config = load_config(tiny_run_copy)
    assert config["fits"][key] != value, "the test must change the value"
    config["fits"][key] = value
    save_config(tiny_run_copy, config)

    jobs = planned(tiny_run_copy)

    # The null draws keep fitted statistics too (the fit range rule, the COD-increment ranks), so they re-run.
    unexpected = rules_of(jobs) - FIT_CONSUMERS - {"observables", "null_statistics", "all"}
    assert not unexpected, f"changing fits.{key} must not re-run {sorted(unexpected)}; planned:\n{describe(jobs)}"
    fits = [job for job in jobs if job.rule == "observables"]
    n_fits = len(list((tiny_run_copy / "results" / "fits").rglob("*.parquet")))
    assert len(fits) == n_fits, f"every fit ({n_fits}) depends on fits.{key}, planned:\n{describe(jobs)}"
    from_fits = panels_reading(tiny_run_copy, "results/fits/") | panels_reading(tiny_run_copy, "results/observables/")
    assert {"fig2c", "fig2d"} <= from_fits, f"fig2c and fig2d are drawn with their fits; found {from_fits}"
    assert panels(jobs) == from_fits, f"only the panels drawn from that job's tables ({from_fits}) should be redrawn:\n{describe(jobs)}"
    assert {"exponents_table", "claims"} <= rules_of(jobs), f"the tables read the fits:\n{describe(jobs)}"
    wcrg_figures = {job.wildcards["figure"] for job in jobs if job.rule == "wcrg_figure"}
    assert wcrg_figures == {"wcrg_ising_bridge"}, f"only the bridge figure reads the observables:\n{describe(jobs)}"


def test_a_bootstrap_setting_reruns_the_fits_but_not_the_null_draws(tiny_run_copy):
    """The null draws keep point estimates only: the bootstrap's resamples and interval do not touch them."""
    config = load_config(tiny_run_copy)
    config["fits"]["n_bootstrap"] += 10
    save_config(tiny_run_copy, config)
    jobs = planned(tiny_run_copy)
    assert "observables" in rules_of(jobs) and "null_statistics" not in rules_of(jobs), describe(jobs)
    assert not {"coarse_grain", "level0_cod"} & rules_of(jobs), describe(jobs)


def test_one_temperature_override_reruns_only_that_temperature(tiny_run_copy):
    config = load_config(tiny_run_copy)
    config["ising"]["overrides"] = {"2.3": {"n_samples": config["ising"]["n_samples"] + 10}}
    save_config(tiny_run_copy, config)

    jobs = planned(tiny_run_copy)

    chains = [job.wildcards["condition"] for job in jobs if job.rule == "ising_chain"]
    assert chains == ["T2.300"], f"exactly the T = 2.3 chain should re-run, planned:\n{describe(jobs)}"
    for job in jobs:
        condition = job.wildcards.get("condition")
        assert condition in (None, "T2.300"), f"{job.rule} at {condition} does not depend on T = 2.3:\n{describe(jobs)}"
        assert job.wildcards.get("dataset") in (None, "ising"), f"{job.rule} {job.wildcards} re-runs:\n{describe(jobs)}"
    assert "gaussian_matrix" not in rules_of(jobs)
    # T = 2.3 runs the projection rule and, for the pairing-rule comparison, random pairing and the lattice rule.
    for rule in ("coarse_grain", "observables"):
        methods = sorted(job.wildcards["method"] for job in jobs if job.rule == rule)
        assert methods == ["lattice", "projection", "random"], f"{rule} at T = 2.3 should re-run for its rules:\n{describe(jobs)}"
    # The WCRG arm reads T = 2.3 only through its Ising bridge: that table and that figure, no other.
    wcrg_figures = sorted(job.wildcards["figure"] for job in jobs if job.rule == "wcrg_figure")
    assert wcrg_figures == ["wcrg_ising_bridge"], f"only the bridge figure reads the Ising data:\n{describe(jobs)}"
    # Panels that read T = 2.3: every-temperature panels and fig2e; not fig1 (Gaussian) nor
    # fig2c/fig2d (drawn at T = 9.5 and T = 2.0).
    reading = panels_reading(tiny_run_copy, "/ising/T2.300/")
    assert reading == {"fig2a", "fig2b", "fig2e", "fig2f"}, f"panels reading T = 2.3: {reading}"
    assert panels(jobs) == reading, f"planned:\n{describe(jobs)}"


def test_figure_style_change_redraws_only_that_figure(tiny_run_copy):
    config = load_config(tiny_run_copy)
    config["figures"]["fig2a"] = {"level": config["figures"]["fig2a"].get("level", 0) + 1}
    save_config(tiny_run_copy, config)

    jobs = planned(tiny_run_copy)

    assert rules_of(jobs) == {"paper_figure", "all"}, f"only fig2a should be redrawn, planned:\n{describe(jobs)}"
    assert panels(jobs) == {"fig2a"}, f"planned:\n{describe(jobs)}"


def test_glass_production_change_schedules_no_ising_job(tiny_run_copy):
    """The glass arm (glass.smk, config key `glass`) is independent of the Ising and Gaussian data."""
    config = load_config(tiny_run_copy)
    config["glass"]["production"] = 2 * config["glass"]["production"]
    save_config(tiny_run_copy, config)

    jobs = planned(tiny_run_copy)

    assert "glass_produce" in rules_of(jobs), f"a longer production must re-run the LAMMPS production:\n{describe(jobs)}"
    assert "glass_prepare" not in rules_of(jobs), f"the preparation does not depend on production:\n{describe(jobs)}"
    assert not rules_of(jobs) & {"ising_chain", "gaussian_matrix"}, f"planned:\n{describe(jobs)}"
    for job in jobs:
        # The glass data and its nulls (glass-shift, made by null_dataset from source glass).
        source = job.wildcards.get("source") or job.wildcards.get("dataset", "glass").split("-")[0]
        assert source == "glass", f"{job.rule} {job.wildcards} is not glass:\n{describe(jobs)}"
    ising_panels = {"fig1", "fig2a", "fig2b", "fig2c", "fig2d", "fig2e", "fig2f"}
    assert not panels(jobs) & ising_panels, f"planned:\n{describe(jobs)}"
