"""A pipeline target through profiles/slurm on a throw-away one-node SLURM cluster: its wall time,
the core-hours of its jobs, the critical path, and the ratio of the wall time to the ideal.

The cluster is the one tests/test_slurm_cluster.py uses (tests/slurm_cluster.py: root; slurm-wlm
and munge installed with apt-get when missing) and the profile is profiles/slurm changed only in
what that cluster needs (partition, account, squeue as status command, a 3 s first status check).
Every non-local job is a SLURM job that starts its own Snakemake.

The baseline is the ideal wall time of the same jobs on the cluster's CPUs: their summed
core-seconds (each job's benchmark file, times its threads) over the CPUs. The ratio is what
submission, status checks and each job's own Snakemake start cost on top.

    python tests/benchmarks/bench_study_slurm.py WORKDIR [--target glass_study] [-- SNAKEMAKE ARGS]

WORKDIR is a clone of the repository with nothing run yet (its results/ and benchmarks/ empty),
so that every job of the target runs through the cluster. Writes WORKDIR/slurm_run.log.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "benchmarks"))
from pipeline_timeline import critical_path, parse_jobs  # noqa: E402
from slurm_cluster import REAL_PROFILE, cluster_profile, start_cluster  # noqa: E402

PROFILE = Path("profiles") / "slurm-bench"
JOB_FIELD = re.compile(r"^\s+(jobid|threads|benchmark): (\S+)$")


def write_profile(workdir: Path) -> Path:
    real = yaml.safe_load((workdir / REAL_PROFILE).read_text())
    (workdir / PROFILE).mkdir(parents=True, exist_ok=True)
    (workdir / PROFILE / "config.yaml").write_text(yaml.safe_dump(cluster_profile(real), sort_keys=False))
    return workdir / PROFILE


def job_fields(log: str) -> dict:
    """jobid -> {"threads", "benchmark"} from the job blocks Snakemake logs (no `threads:` line: 1)."""
    fields, current = {}, None
    for line in log.splitlines():
        if match := JOB_FIELD.match(line):
            key, value = match.groups()
            if key == "jobid":
                current = fields.setdefault(int(value), {"threads": 1, "benchmark": None})
            elif current is not None:
                current[key] = int(value) if key == "threads" else value
    return fields


def benchmark_seconds(workdir: Path, log: str) -> dict:
    """jobid -> (job, threads, seconds of its benchmark file; 0 without one)."""
    jobs, fields = parse_jobs(log), job_fields(log)
    out = {}
    for jobid, job in jobs.items():
        field = fields.get(jobid, {"threads": 1, "benchmark": None})
        path = workdir / field["benchmark"] if field["benchmark"] else None
        seconds = float(pd.read_csv(path, sep="\t")["s"].iloc[-1]) if path and path.exists() else 0.0
        out[jobid] = (job, field["threads"], seconds)
    return out


def core_seconds(timed: dict) -> pd.DataFrame:
    """Per rule: jobs and summed core-seconds (benchmark seconds x threads)."""
    frame = pd.DataFrame([{"rule": job.rule, "core_seconds": seconds * threads} for job, threads, seconds in timed.values()])
    return frame.groupby("rule").agg(jobs=("core_seconds", "size"), core_seconds=("core_seconds", "sum")).reset_index()


def compute_critical_path(timed: dict) -> list:
    """The chain of dependent jobs with the longest summed compute (benchmark seconds): the least
    wall time of the target on a cluster that starts every job the moment its inputs exist."""
    jobs = {}
    for jobid, (job, _, seconds) in timed.items():
        jobs[jobid] = type(job)(job.jobid, job.rule, job.start, job.start + datetime.timedelta(seconds=seconds),
                                job.inputs, job.outputs, job.wildcards)
    return critical_path(jobs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--target", default="glass_study")
    parser.add_argument("snakemake_args", nargs=argparse.REMAINDER, help="after --: more Snakemake arguments")
    args = parser.parse_args()
    extra = [a for a in args.snakemake_args if a != "--"]
    workdir = args.workdir.resolve()
    profile = write_profile(workdir)
    cluster = start_cluster(workdir / ".slurm-bench")
    cpus = os.cpu_count()
    log_path = workdir / "slurm_run.log"
    print(f"cluster up ({cpus} CPUs); load average {os.getloadavg()[0]:.2f}; running {args.target}", flush=True)
    try:
        start = time.monotonic()
        with open(log_path, "w") as log:
            code = subprocess.run([sys.executable, "-m", "snakemake", "--profile", str(profile), args.target, *extra],
                                  cwd=workdir, env=cluster.env, stdout=log, stderr=subprocess.STDOUT).returncode
        wall = time.monotonic() - start
    finally:
        cluster.stop()
    timed = benchmark_seconds(workdir, log_path.read_text())
    per_rule = core_seconds(timed)
    total = float(per_rule["core_seconds"].sum())
    path = compute_critical_path(timed)
    print(per_rule.to_string(index=False))
    print(f"exit code {code}; {int(per_rule['jobs'].sum())} jobs; wall {wall:.0f} s ({wall / 3600:.2f} h); "
          f"{total:.0f} core-s ({total / 3600:.2f} core-h) from the benchmark files")
    print(f"ideal wall on {cpus} CPUs {total / cpus:.0f} s; SLURM wall / ideal: {wall / (total / cpus):.2f}x")
    print(f"critical path of compute: {sum(job.seconds for job in path):.0f} s over {len(path)} jobs "
          f"({' -> '.join(job.name for job in path)}); load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
