"""The tiny pipeline through profiles/slurm on a real, throw-away one-node SLURM cluster.

tests/test_profiles.py checks the SLURM profile by dry-runs; this test submits the jobs. It starts
slurmctld and slurmd on this machine (tests/slurm_cluster.py; root needed, slurm-wlm and munge are
installed with apt-get when missing), runs tests/fixtures/tiny_config.yaml with a copy of the
profile that differs only in what this cluster needs (CLUSTER_SETTINGS), cancels one running job
twice (its retry, then the job for good), re-runs to finish, and compares the results with the
local run of the same config (the ``tiny_run`` fixture). Under CI=true it must run; elsewhere it
skips when the cluster cannot be set up. Run it alone with ``pytest tests/test_slurm_cluster.py``.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SNAKEMAKE, copy_workflow, job_stats, load_config, save_config
from slurm_cluster import (
    CLUSTER_RESOURCES,
    CLUSTER_SETTINGS,
    REAL_PROFILE,
    ClusterUnavailable,
    cluster_profile,
    start_cluster,
)
from test_profiles import local_rules

CI_PROFILE = Path("profiles") / "slurm-ci"
# Seconds; a hung Snakemake is killed (SIGKILL: it ignores SIGTERM while it polls). The first run
# takes about 5 min alone; under pytest-xdist the other worker's tests share the 2 cores.
RUN_TIMEOUT = 900
CANCELLED_RULE = "coarse_grain"
SUBMITTED = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+) ")
# A job as Snakemake announces it: "rule x:" or "localrule x:", then indented fields with its jobid.
JOB_HEADER = re.compile(r"^(local)?rule (\w+):\n(?:    .*\n)*?    jobid: (\d+)$", re.M)
# The companion arms are left out of the cluster run: their rules' SLURM resources are checked by
# dry-run (tests/test_profiles.py) and their results by the local run; here they would only add
# jobs on the two shared cores. Their tables and claim rows are left out of the comparison.
ARMS = ("rmi", "wcrg", "bayes_rg")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        cluster = start_cluster(tmp_path_factory.mktemp("slurm"))
    except ClusterUnavailable as reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the SLURM test cluster cannot be set up: {reason}")
        pytest.skip(f"no SLURM test cluster: {reason}")
    yield cluster
    cluster.stop()


def changed_settings(real: dict, variant: dict) -> set:
    """Top-level keys and default-resources that differ between two profiles."""
    keys = {key for key in real.keys() | variant.keys() if real.get(key) != variant.get(key)}
    resources = real["default-resources"], variant["default-resources"]
    keys.discard("default-resources")
    return keys | {key for key in resources[0].keys() | resources[1].keys() if resources[0].get(key) != resources[1].get(key)}


def write_cluster_profile(directory: Path) -> None:
    real = yaml.safe_load((directory / REAL_PROFILE).read_text())
    variant = cluster_profile(real)
    assert changed_settings(real, variant) == set(CLUSTER_SETTINGS) | set(CLUSTER_RESOURCES)
    (directory / CI_PROFILE).mkdir()
    (directory / CI_PROFILE / "config.yaml").write_text(yaml.safe_dump(variant, sort_keys=False))


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def snakemake_on_cluster(cluster, directory: Path, log: Path, *args: str, watch=None) -> int:
    """Run Snakemake with the cluster profile; its output goes to ``log``. Returns the exit code.

    ``watch(cluster)`` is called about twice a second while it runs. After RUN_TIMEOUT seconds
    Snakemake is killed and the test fails with the end of its log and the cluster's queue.
    """
    command = [*SNAKEMAKE, "--directory", str(directory), "--snakefile", str(directory / "Snakefile")]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*command, "--profile", str(CI_PROFILE), *args], cwd=directory, env=cluster.env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + RUN_TIMEOUT
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            pytest.fail(f"snakemake {' '.join(args)} hung for {RUN_TIMEOUT} s; killed. Queue: {cluster.jobs()}\n{tail(log)}")
        if watch:
            watch(cluster)
        time.sleep(0.5)
    return proc.returncode


class CancelTwice:
    """Cancels the first running job of ``rule``, then its retry: the job fails for good."""

    def __init__(self, rule: str):
        self.prefix = f"rule_{rule}_"  # the SLURM plugin's --comment of a job
        self.comment = None
        self.cancelled = []

    def __call__(self, cluster) -> None:
        if len(self.cancelled) == 2:
            return
        for job in cluster.jobs():
            wanted = job["comment"] == self.comment if self.comment else job["comment"].startswith(self.prefix)
            if wanted and job["state"] == "RUNNING" and job["id"] not in self.cancelled:
                cluster.run("scancel", job["id"])
                self.comment = job["comment"]
                self.cancelled.append(job["id"])
                return


def slurm_submissions(log_text: str) -> dict:
    """{snakemake job id: [SLURM job ids]} from the lines the SLURM plugin logs per submission."""
    submitted = {}
    for job, slurm_id in SUBMITTED.findall(log_text):
        submitted.setdefault(job, []).append(slurm_id)
    return submitted


def started_jobs(log_text: str) -> dict:
    """{snakemake job id: (rule, ran locally)} of the jobs a Snakemake log announces."""
    return {jobid: (rule, bool(local)) for local, rule, jobid in JOB_HEADER.findall(log_text)}


def output_times(directory: Path) -> dict:
    return {path: path.stat().st_mtime_ns for sub in ("results", "figures") for path in (directory / sub).rglob("*") if path.is_file()}


def assert_same_results(run: Path, reference: Path) -> None:
    """Every table of results/ has the reference run's content (Parquet by value, CSV as text)."""
    arm_dirs = tuple(f"results/{arm}/" for arm in ARMS)
    tables = sorted(path.relative_to(reference) for path in (reference / "results").rglob("*")
                    if path.suffix in (".parquet", ".csv") and not str(path.relative_to(reference)).startswith(arm_dirs))
    assert tables, f"the reference run wrote no tables under {reference / 'results'}"
    missing = [str(path) for path in tables if not (run / path).exists()]
    assert not missing, f"the SLURM run did not write {missing}"
    for path in tables:
        if path.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(run / path), pd.read_parquet(reference / path), check_exact=True, obj=str(path))
        elif path.name == "claims.csv":  # the local run's claims, less the arms' rows
            local = pd.read_csv(reference / path)
            local = local[~local["claim_id"].str.startswith(tuple(f"{arm}_" for arm in ARMS))].reset_index(drop=True)
            pd.testing.assert_frame_equal(pd.read_csv(run / path), local, obj=str(path))
        else:
            assert (run / path).read_text() == (reference / path).read_text(), f"{path} differs from the local run"


def test_tiny_run_through_slurm_profile(cluster, request, tmp_path):
    directory = copy_workflow(tmp_path / "workflow")
    config = load_config(directory)
    for arm in ARMS:
        config[arm]["enabled"] = False
    save_config(directory, config)
    write_cluster_profile(directory)

    # 1. The run, with one coarse_grain job cancelled while it runs and again when retried.
    # (--keep-going: the other jobs finish in this run, so the re-run below has only the cancelled
    # job's branch left, which keeps the test short; without it the run stops at the failure.)
    cancel = CancelTwice(CANCELLED_RULE)
    first_log = tmp_path / "first.log"
    code = snakemake_on_cluster(cluster, directory, first_log, "--keep-going", watch=cancel)
    first = first_log.read_text()
    assert len(cancel.cancelled) == 2, f"never saw a running {CANCELLED_RULE} job twice: {cancel.cancelled}\n{tail(first_log)}"
    assert code != 0, f"snakemake succeeded although {CANCELLED_RULE} was cancelled twice\n{tail(first_log)}"
    retried = [ids for ids in slurm_submissions(first).values() if ids[:2] == cancel.cancelled]
    assert retried, f"SLURM jobs {cancel.cancelled} are not one job and its retry:\n{slurm_submissions(first)}"
    assert "Trying to restart job" in first, tail(first_log)
    for slurm_id in cancel.cancelled:
        assert f"SLURM-job '{slurm_id}' failed, SLURM status is: 'CANCELLED'" in first, tail(first_log)
    done_before = output_times(directory)

    # 2. The re-run does only what is missing; completed outputs are not rewritten.
    second_log = tmp_path / "second.log"
    code = snakemake_on_cluster(cluster, directory, second_log)
    second = second_log.read_text()
    assert code == 0, f"the re-run failed:\n{tail(second_log)}"
    rerun = job_stats(second)
    assert rerun.get(CANCELLED_RULE), f"the re-run did not run the cancelled {CANCELLED_RULE} job: {rerun}"
    rewritten = [str(path) for path, mtime in done_before.items() if path.stat().st_mtime_ns != mtime]
    assert not rewritten, f"the re-run redid completed jobs: {rewritten}"
    code = snakemake_on_cluster(cluster, directory, tmp_path / "third.log", "--dry-run")
    assert code == 0 and "Nothing to be done" in (tmp_path / "third.log").read_text(), tail(tmp_path / "third.log")

    # 3. Every job outside localrules ran as a SLURM job, and slurmctld ran each of them.
    slurm_ids = []
    for text in (first, second):
        jobs, submissions = started_jobs(text), slurm_submissions(text)
        assert jobs, f"no job announcements found in the log:\n{text[-3000:]}"
        remote = {jobid for jobid, (rule, local) in jobs.items() if not local}
        ran_here = {rule for rule, local in jobs.values() if local}
        assert ran_here <= local_rules(), f"jobs of {ran_here - local_rules()} ran on the submitting machine"
        assert set(submissions) == remote, f"jobs not submitted to SLURM: {remote - set(submissions)}"
        slurm_ids += [slurm_id for ids in submissions.values() for slurm_id in ids]
    history = {job["id"]: job["state"] for job in cluster.jobs()}
    states = {slurm_id: history.get(slurm_id) for slurm_id in slurm_ids}
    expected = {slurm_id: "CANCELLED" if slurm_id in cancel.cancelled else "COMPLETED" for slurm_id in slurm_ids}
    assert states == expected, f"slurmctld's record of the submitted jobs differs from Snakemake's log"

    # 4. The same results as the local run of the same config (asked for only now: under xdist the
    # other worker makes it while this one waits on the cluster).
    assert_same_results(directory, request.getfixturevalue("tiny_run"))
