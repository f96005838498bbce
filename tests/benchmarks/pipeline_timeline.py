"""Per-stage job times and the critical path of a finished Snakemake run, read from its log.

Snakemake prints, for every job, a block with its start time, rule, inputs and outputs, and later
"Finished jobid: N" with the end time. A job depends on another when it reads one of the other's
outputs. The critical path is the chain of dependent jobs whose summed wall times is the longest:
no scheduler on any number of cores can finish the run sooner.

    python tests/benchmarks/pipeline_timeline.py run.log
"""

import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")
RULE = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):$")
FINISHED = re.compile(r"^Finished jobid: (\d+)")


@dataclass
class Job:
    jobid: int
    rule: str
    start: datetime
    end: datetime | None = None
    inputs: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    wildcards: str = ""

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds() if self.end else float("nan")

    @property
    def name(self) -> str:
        return f"{self.rule}[{self.wildcards}]" if self.wildcards else self.rule


def parse_jobs(log: str) -> dict:
    """jobid -> Job for every job the log shows starting (ends filled in where it shows them)."""
    jobs, stamp, current = {}, None, None
    for line in log.splitlines():
        if match := STAMP.match(line.strip()):
            stamp, current = datetime.strptime(match.group(1), "%a %b %d %H:%M:%S %Y"), None
        elif (match := RULE.match(line)) and stamp is not None:
            current = {"rule": match.group(1), "start": stamp}
        elif current is not None and line.startswith("    ") and ": " in line:
            key, value = line.strip().split(": ", 1)
            if key in ("input", "output"):
                current[key] = [item.strip() for item in value.split(",")]
            elif key == "wildcards":
                current["wildcards"] = value
            elif key == "jobid":
                job = Job(int(value), current["rule"], current["start"])
                jobs[job.jobid] = job
                current["job"] = job
            if "job" in current:
                current["job"].inputs = current.get("input", [])
                current["job"].outputs = current.get("output", [])
                current["job"].wildcards = current.get("wildcards", "")
        elif (match := FINISHED.match(line.strip())) and stamp is not None:
            if int(match.group(1)) in jobs:
                jobs[int(match.group(1))].end = stamp
    return jobs


def stage_table(jobs: dict) -> list:
    """(rule, jobs, summed job seconds, longest job seconds), largest sum first."""
    totals = defaultdict(list)
    for job in jobs.values():
        if job.end is not None:
            totals[job.rule].append(job.seconds)
    rows = [(rule, len(times), sum(times), max(times)) for rule, times in totals.items()]
    return sorted(rows, key=lambda row: -row[2])


def critical_path(jobs: dict) -> list:
    """The chain of dependent finished jobs with the longest summed wall time, first job first."""
    producer = {path: job for job in jobs.values() for path in job.outputs}
    best: dict = {}

    def longest(job):  # (total seconds, chain) of the longest chain ending with job
        if job.jobid not in best:
            parents = {producer[path].jobid: producer[path] for path in job.inputs if path in producer}
            chains = [longest(parent) for parent in parents.values() if parent.end is not None]
            total, chain = max(chains, key=lambda c: c[0], default=(0.0, []))
            best[job.jobid] = (total + job.seconds, chain + [job])
        return best[job.jobid]

    finished = [job for job in jobs.values() if job.end is not None]
    return max((longest(job) for job in finished), key=lambda c: c[0], default=(0.0, []))[1]


def run_logged(command: list, workdir: Path, env: dict | None = None) -> tuple[float, str]:
    """Run a Snakemake ``command`` in ``workdir``: its wall seconds and its log (also written to
    ``snakemake_run.log`` there); on failure, print the log's tail and exit, keeping ``workdir``."""
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    (workdir / "snakemake_run.log").write_text(log)
    if proc.returncode != 0:
        print(log[-6000:])
        raise SystemExit(f"snakemake failed (exit {proc.returncode}); scratch directory kept: {workdir}")
    return wall, log


def report(log: str) -> str:
    jobs = parse_jobs(log)
    finished = [job for job in jobs.values() if job.end is not None]
    if not finished:
        return "no finished jobs in the log"
    wall = (max(job.end for job in finished) - min(job.start for job in finished)).total_seconds()
    lines = [f"{len(finished)} jobs finished, first start to last end {wall:.0f} s", "",
             "| stage (rule) | jobs | summed job time | longest job |", "|---|---:|---:|---:|"]
    lines += [f"| {rule} | {n} | {total:.0f} s | {longest:.0f} s |" for rule, n, total, longest in stage_table(jobs)]
    path = critical_path(jobs)
    lines += ["", f"critical path ({sum(job.seconds for job in path):.0f} s of job time):"]
    lines += [f"  {job.seconds:6.0f} s  {job.name}" for job in path]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]).read_text()))
