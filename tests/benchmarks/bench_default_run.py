"""The default run's cost against its own LAMMPS time, at this commit and at a baseline (issue 28).

Clones the repository at each commit into a scratch directory, runs the README's main command
there (``snakemake --cores all`` on the default configuration; the first clone's installed
environment runs both, with ``PYTHONPATH`` pointing at the clone's own ``lib/``) and prints, per
commit:

- the wall time, and the summed job time per part (Snakemake's benchmark files,
  :mod:`rgcoarse.pipeline.job_times`: ``lammps``, ``coarse``, ``observables``, ``fits``,
  ``nulls``, the arms ...);
- wall / LAMMPS and analysis / LAMMPS, analysis being coarse-graining, observables, fits and
  nulls (the parts :data:`ANALYSIS_PARTS` names);
- the critical path (``pipeline_timeline.py``, from the run's log);
- the CPU of Snakemake's own process (user + system, its jobs excluded: they are child processes);
- the median CPU a job spends before its kernel starts (the jobs' logs), and the median fixed
  cost over the run's jobs: what a job of each script spends before its kernel less importing
  the libraries it loaded, both measured in fresh processes on this machine
  (:func:`rgcoarse.pipeline.job_times.fixed_costs`).

Machines differ about 1.8x in speed, so the ratios, not the seconds, compare runs on different
machines; a baseline run in the same invocation compares commits on the same machine.

    python tests/benchmarks/bench_default_run.py [--baseline COMMIT] [--commit HEAD] [--cores all]
        [--configfile extra.yaml] [--keep]

It takes what the default run takes (30-45 min on 2 cores) per commit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_timeline import critical_path, parse_jobs, run_logged

ANALYSIS_PARTS = ("coarse", "observables", "fits", "nulls")
# Snakemake's own process, run so that its CPU (not its children's) is written at exit.
SNAKEMAKE_WRAPPER = """
import atexit, resource, sys
def _own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open({path!r}, "w") as handle:
        handle.write(f"{{usage.ru_utime + usage.ru_stime:.1f}}")
atexit.register(_own_cpu)
from snakemake.cli import main
sys.argv = ["snakemake", *{args!r}]
main()
"""


def clone(commit: str, scratch: Path) -> Path:
    """A clean clone of ``commit`` of this repository (committed files only, as CI sees them)."""
    workdir = scratch / commit.replace("/", "_")
    subprocess.run(["git", "clone", "-q", str(REPO), str(workdir)], check=True)
    subprocess.run(["git", "checkout", "-q", commit], cwd=workdir, check=True)
    return workdir


def run_default(workdir: Path, cores: str, configfile: str | None) -> dict:
    """Run the main command in ``workdir``; wall seconds, Snakemake's own CPU and the log."""
    args = ["--cores", cores] + (["--configfile", configfile] if configfile else [])
    cpu_file = workdir / ".snakemake_own_cpu"
    env = dict(os.environ, PYTHONPATH=str(workdir / "lib"))
    wall, log = run_logged([sys.executable, "-c", SNAKEMAKE_WRAPPER.format(path=str(cpu_file), args=args)],
                           workdir, env)
    return {"wall": wall, "snakemake_cpu": float(cpu_file.read_text()), "log": log}


def summary(workdir: Path, run: dict) -> dict:
    from rgcoarse.pipeline.job_times import (
        fixed_costs,
        job_stats,
        job_time_table,
        job_weighted_median,
        startup_costs,
    )

    table = job_time_table(workdir)
    seconds = dict(zip(table["part"], table["seconds"]))
    lammps = seconds.get("lammps", float("nan"))
    analysis = sum(seconds.get(part, 0.0) for part in ANALYSIS_PARTS)
    jobs = parse_jobs(run["log"])
    startup = startup_costs(workdir)
    fixed = fixed_costs(job_stats(run["log"]), workdir / "workflow" / "scripts")
    return {"table": table, "wall": run["wall"], "lammps": lammps, "analysis": analysis,
            "wall_ratio": run["wall"] / lammps, "analysis_ratio": analysis / lammps,
            "snakemake_cpu": run["snakemake_cpu"], "jobs": len(jobs), "path": critical_path(jobs),
            "startup_median": float(startup.median()) if len(startup) else float("nan"),
            "startup_jobs": len(startup),
            "fixed_median": job_weighted_median(fixed, "fixed_cpu_s"), "fixed": fixed}


def report(commit: str, result: dict) -> str:
    path = result["path"]
    lines = [f"## {commit}", "",
             (f"{result['jobs']} jobs; wall {result['wall']:.0f} s; LAMMPS job time {result['lammps']:.0f} s; "
              f"analysis ({' + '.join(ANALYSIS_PARTS)}) {result['analysis']:.0f} s"),
             f"wall / LAMMPS {result['wall_ratio']:.2f}; analysis / LAMMPS {result['analysis_ratio']:.2f}",
             (f"Snakemake's own CPU {result['snakemake_cpu']:.0f} s; median per-job CPU before the kernel "
              f"{result['startup_median']:.2f} s ({result['startup_jobs']} jobs), of which fixed cost "
              f"(beyond importing the kernel's libraries) {result['fixed_median']:.2f} s"), "",
             "| part | jobs | summed job time (s) | / LAMMPS |", "|---|---:|---:|---:|"]
    lines += [f"| {row.part} | {row.jobs} | {row.seconds:.0f} | {row.ratio_to_lammps:.2f} |"
              for row in result["table"].itertuples()]
    lines += ["", "| script | jobs | CPU before the kernel (s) | its libraries alone (s) | fixed cost (s) |",
              "|---|---:|---:|---:|---:|"]
    lines += [f"| {row.script} | {row.jobs} | {row.startup_cpu_s:.2f} | {row.library_cpu_s:.2f} | {row.fixed_cpu_s:.2f} |"
              for row in result["fixed"].itertuples()]
    lines += ["", f"critical path ({sum(job.seconds for job in path):.0f} s of job time):"]
    lines += [f"  {job.seconds:6.0f} s  {job.name}" for job in path]
    return "\n".join(lines)


def remeasure(workdir: Path) -> None:
    """Print the report of a finished run kept with --keep (its log and benchmark files), measuring
    the fixed costs afresh; the wall time and Snakemake's CPU are read from what the run printed."""
    log = (workdir / "snakemake_run.log").read_text()
    cpu = float((workdir / ".snakemake_own_cpu").read_text())
    jobs = parse_jobs(log)
    wall = (max(j.end for j in jobs.values() if j.end) - min(j.start for j in jobs.values())).total_seconds()
    print(report(workdir.name, summary(workdir, {"wall": wall, "snakemake_cpu": cpu, "log": log})))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default="HEAD", help="the commit measured (default HEAD)")
    parser.add_argument("--baseline", help="a commit run in the same invocation, after --commit")
    parser.add_argument("--cores", default="all")
    parser.add_argument("--configfile", help="a config overlay, as the README's --configfile")
    parser.add_argument("--keep", action="store_true", help="keep the scratch clones")
    parser.add_argument("--report", type=Path, help="only report on a clone a --keep run left (no run)")
    args = parser.parse_args()
    if args.report:
        return remeasure(args.report)
    scratch = Path(tempfile.mkdtemp(prefix="bench_default_run_"))
    commits = [args.commit] + ([args.baseline] if args.baseline else [])
    results = {}
    for commit in commits:
        workdir = clone(commit, scratch)
        results[commit] = summary(workdir, run_default(workdir, args.cores, args.configfile))
        print(report(commit, results[commit]) + "\n", flush=True)
    if args.baseline:
        now, before = results[args.commit], results[args.baseline]
        print(f"{args.commit} against {args.baseline}: wall {now['wall'] / before['wall']:.2f}x, "
              f"analysis {now['analysis'] / before['analysis']:.2f}x, wall/LAMMPS {before['wall_ratio']:.2f} -> "
              f"{now['wall_ratio']:.2f}, analysis/LAMMPS {before['analysis_ratio']:.2f} -> {now['analysis_ratio']:.2f}")
    if not args.keep:
        shutil.rmtree(scratch)
    else:
        print(f"scratch kept: {scratch}")


if __name__ == "__main__":
    main()
