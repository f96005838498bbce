"""Execution profiles (profiles/default, profiles/slurm) and per-rule resources.

The SLURM profile is checked by a dry-run (`snakemake --profile profiles/slurm -n`), which the
SLURM executor plugin resolves without a cluster (no sbatch needed). The dry-runs use the
default config.yaml plus one small user dataset, so that every rule of the workflow has a job.
"""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import (
    REPO,
    copy_workflow,
    dry_run,
    load_config,
    run_snakemake,
    save_config,
)
from snakemake.cli import get_argument_parser

PROFILES = {name: REPO / "profiles" / name / "config.yaml" for name in ("default", "slurm")}
PLACEHOLDER = "CHANGE_ME"
# Resources every job must have under SLURM (cpus_per_task: the rule's threads, or 1 per MPI rank).
SLURM_RESOURCES = ("runtime", "mem_mb", "cpus_per_task", "slurm_partition", "slurm_account")


def profile(name):
    return yaml.safe_load(PROFILES[name].read_text())


@pytest.fixture(scope="module")
def full_workflow(tmp_path_factory):
    """A copy of the workflow with the default config.yaml and one tiny user dataset (a 2 x 2 lattice)."""
    directory = copy_workflow(tmp_path_factory.mktemp("profiles") / "workflow", REPO / "config.yaml")
    data = directory / "data" / "user.csv"
    data.parent.mkdir()
    # No column may read 0, 1, 2, ... (that is a saved row index, which the workflow rejects).
    data.write_text("a,b,c,d\n" + "\n".join(f"{i % 4},{i % 3},{i % 5},{i % 7}" for i in range(12)) + "\n")
    config = load_config(directory)
    wide = directory / "data" / "wide.npy"  # wider than bayes_rg.latent: the autoencoder arm trains on it
    np.save(wide, np.random.default_rng(0).normal(size=(12, 24)))
    mnist = directory / "data" / "mnist.npz"  # the MNIST target's file (a dry-run reads no pixel of it)
    np.savez(mnist, x_train=np.zeros((2, 28, 28), np.uint8), x_test=np.zeros((1, 28, 28), np.uint8))
    config["user_datasets"] = {"mydata": {"path": "data/user.csv", "lattice_shape": [2, 2]},  # a lattice: WCRG rules
                               "wide": {"path": "data/wide.npy"}}
    config["bayes_rg"]["mnist"]["path"] = "data/mnist.npz"
    save_config(directory, config)
    return directory


# The default run's jobs plus those of the glass sensitivity study (its own target), so every
# rule's resources are checked.
STUDY_TARGET = "glass_study"
TARGET_RULES = (STUDY_TARGET, "rmi", "wcrg", "wcrg_binder", "bayes_rg", "bayes_rg_mnist")  # rules that only name a part of the run (not under `all`)


@pytest.fixture(scope="module")
def local_jobs(full_workflow):
    return dry_run(full_workflow) + [job for target in TARGET_RULES for job in dry_run(full_workflow, target)]


@pytest.fixture(scope="module")
def slurm_jobs(full_workflow):
    # A dry-run caps threads at --cores (1 by default); a real SLURM run does not cap them.
    slurm = ("--profile", "profiles/slurm", "--cores", "1024")
    return dry_run(full_workflow, *slurm) + [job for target in TARGET_RULES for job in dry_run(full_workflow, *slurm, target)]


def defined_rules(directory):
    proc = run_snakemake(directory, "--list-rules", check=True)
    # One rule name per line; docstrings follow on indented lines.
    names = [line.split()[0] for line in proc.stdout.splitlines() if line.strip() and not line[0].isspace()]
    assert names, f"snakemake --list-rules printed no rules:\n{proc.stdout}\n{proc.stderr}"
    return set(names)


def local_rules():
    """Rule names in every `localrules:` directive of the Snakefile and the rule files."""
    names = set()
    for path in [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]:
        for block in re.findall(r"^localrules:((?:[ \t]*\n?[ \t]+\w+,?)+)", path.read_text(), re.M):
            names.update(re.findall(r"\w+", block))
    return names


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_keys_are_snakemake_options(name):
    options = {o for action in get_argument_parser()._actions for o in action.option_strings}
    settings = profile(name)
    assert isinstance(settings, dict) and settings, f"{PROFILES[name]} is empty or not a mapping"
    unknown = [key for key in settings if f"--{key}" not in options]
    assert not unknown, f"{PROFILES[name]}: {unknown} are not Snakemake command-line options"


def test_default_profile_agrees_with_slurm_profile():
    """profiles/default is read under --profile profiles/slurm too, and its keys win there."""
    default, slurm = profile("default"), profile("slurm")
    clashes = {key: (default[key], slurm[key]) for key in default.keys() & slurm.keys() if default[key] != slurm[key]}
    assert not clashes, f"profiles/default would override profiles/slurm: {clashes}"
    only_local = set(default) - set(slurm)
    assert not only_local & {"default-resources", "set-resources", "latency-wait", "executor", "jobs"}, only_local


def test_partition_and_account_are_set_in_one_place():
    text = PROFILES["slurm"].read_text()
    settings = profile("slurm")
    placeholders = {k: v for k, v in settings["default-resources"].items() if PLACEHOLDER in str(v)}
    assert set(placeholders) == {"slurm_partition", "slurm_account"}, placeholders
    assert text.count(PLACEHOLDER) == 2, f"{PLACEHOLDER} should appear once each for partition and account"
    for path in [REPO / "Snakefile", PROFILES["default"], *(REPO / "workflow").rglob("*.smk")]:
        content = path.read_text()
        assert "slurm_partition" not in content and "slurm_account" not in content, f"{path} names a partition or account"


def test_every_rule_has_a_job_in_the_dry_runs(full_workflow, local_jobs, slurm_jobs):
    rules = defined_rules(full_workflow)
    for jobs in (local_jobs, slurm_jobs):
        missing = rules - {job.rule for job in jobs}
        assert not missing, f"rules without a job in the dry-run, their resources go unchecked: {sorted(missing)}"


def test_every_rule_declares_runtime_memory_and_a_log(local_jobs):
    """Locally no default resources apply: what the dry-run shows is what the rule declares."""
    for job in local_jobs:
        if job.rule in ("all", *TARGET_RULES):
            continue
        for key in ("runtime", "mem_mb"):
            assert job.resources.get(key, "").isdigit() and int(job.resources[key]) > 0, (
                f"rule {job.rule} declares no {key}: {job.resources}"
            )
        assert job.log and all(path.startswith("logs/") for path in job.log), f"rule {job.rule} has no log under logs/"


def test_slurm_dry_run_resolves_resources_for_every_job(slurm_jobs):
    for job in slurm_jobs:
        if job.rule in ("all", *TARGET_RULES):
            continue
        missing = [key for key in SLURM_RESOURCES if key not in job.resources]
        assert not missing, f"{job.rule} {job.wildcards}: no {missing} under SLURM: {job.resources}"
        for key in ("runtime", "mem_mb", "cpus_per_task"):
            assert job.resources[key].isdigit() and int(job.resources[key]) >= 1, f"{job.rule}: {key}={job.resources[key]}"
        if "tasks" in job.resources:  # MPI (LAMMPS): one CPU per rank, ranks started by the job
            assert job.resources["cpus_per_task"] == "1", f"{job.rule}: MPI ranks get one CPU each: {job.resources}"
            if int(job.resources["tasks"]) > 1:
                assert "mpi" in job.resources, f"{job.rule}: an MPI job must not be wrapped in a one-task srun"
            else:  # the SLURM plugin refuses MPI jobs of one task
                assert "mpi" not in job.resources, f"{job.rule}: a one-rank job must not be an MPI job"
        else:
            assert job.resources["cpus_per_task"] == str(job.threads), f"{job.rule}: cpus_per_task != threads"


def _is_table_or_figure(path):
    return path.startswith("figures/") or Path(path).parent == Path("results") or path.endswith((".csv", ".md"))


def test_localrules_are_the_cheap_rules(local_jobs):
    """Figures and tables run on the submitting machine; no heavy (benchmarked) rule does."""
    local = local_rules()
    rules = {job.rule: job for job in local_jobs}
    assert local <= set(rules), f"localrules names rules that do not exist: {sorted(local - set(rules))}"
    for name, job in rules.items():
        if name not in ("all", *TARGET_RULES) and all(_is_table_or_figure(path) for path in job.output):
            assert name in local, f"rule {name} writes only figures/tables ({job.output}) and should be a localrule"
        if job.benchmark:
            assert name not in local, f"rule {name} is heavy (benchmarked) and must not run locally on a cluster"
    assert "all" in local


def test_heavy_rules_have_benchmarks(local_jobs):
    """A rule that may run longer than 5 minutes records its run time under benchmarks/."""
    for job in local_jobs:
        if job.rule not in ("all", *TARGET_RULES) and int(job.resources["runtime"]) > 5:
            assert job.benchmark and job.benchmark.startswith("benchmarks/"), f"rule {job.rule} has no benchmark"


def test_slurm_lammps_jobs_with_several_ranks_are_mpi_jobs(full_workflow, tmp_path):
    """With glass.tasks = 4 (a cluster setting), LAMMPS jobs ask SLURM for 4 tasks of 1 CPU."""
    directory = tmp_path / "workflow"
    shutil.copytree(full_workflow, directory, symlinks=True)
    config = load_config(directory)
    config["glass"]["tasks"] = 4
    save_config(directory, config)

    jobs = dry_run(directory, "--profile", "profiles/slurm", "--cores", "1024")

    lammps = [job for job in jobs if job.rule in ("glass_prepare", "glass_produce")]
    assert lammps, "the default config should run LAMMPS jobs"
    for job in lammps:
        resources = {key: job.resources.get(key) for key in ("tasks", "cpus_per_task", "mpi")}
        assert resources == {"tasks": "4", "cpus_per_task": "1", "mpi": "mpirun"}, f"{job.rule} {job.wildcards}: {resources}"


def test_the_chain_of_glass_preparations_runs_first(local_jobs):
    """The default run's critical path is T = 0.5 -> 0.47 -> 0.4 (each starts from the one
    before): its preparations outrank every other job, the earliest first."""
    priority = {(job.rule, job.wildcards["condition"]): job.priority
                for job in local_jobs if job.rule in ("glass_prepare", "glass_produce")}
    chain = [priority[("glass_prepare", f"T{t}_r0")] for t in ("0.500", "0.470", "0.400")]
    assert chain == sorted(chain, reverse=True) and chain[0] > chain[1] > chain[2], priority
    others = [job.priority for job in local_jobs if job.rule not in ("glass_prepare", "glass_produce")]
    assert chain[-1] > max(others), "a job outside the glass runs outranks the chain"
    assert priority[("glass_produce", "T0.400_r0")] >= max(
        p for (rule, _), p in priority.items() if rule == "glass_produce"), priority
