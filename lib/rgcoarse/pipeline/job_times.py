"""Summed job times of a finished run, by part of the pipeline, from Snakemake's benchmark files.

Every analysis rule writes ``benchmarks/<stage>/.../<name>.tsv`` (wall seconds in column ``s``).
:func:`job_time_table` sums them into parts:

- ``lammps``: the glass runs' preparation and production (the yardstick: nothing may shorten it);
- ``glass_other``: the rest of the glass chain (p_hop, dynamics);
- ``data``: Ising sampling and the generated matrices;
- ``coarse``, ``observables``, ``fits``: the main paper's analysis, every rule but the arms';
- ``nulls``: null draws;
- ``arm_<arm>``: a companion arm's own jobs plus the coarse-graining, observables and fits of its
  pairing rule (the RMI arm: ``benchmarks/rmi/`` and every job of the ``rmi`` rule); a named target
  outside the default run keeps its own directory and row (``benchmarks/wcrg_binder/``:
  ``arm_wcrg_binder``), so the default run's parts stay what the default run costs.

``python -m rgcoarse.pipeline.job_times <run directory> [--output docs/job_times.csv]`` writes the
table, and prints the median CPU a job spent before its kernel (:func:`startup_costs`, from the jobs'
logs) and the median fixed cost, that CPU less importing the libraries the kernel had loaded
(:func:`fixed_costs`); the committed copy under docs/ is where the docs' job-time figures come from
(:mod:`rgcoarse.pipeline.doc_numbers`, names ``times.<part>.seconds`` and ``times.<part>.ratio``,
the part's time over the LAMMPS time).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from rgcoarse.io.tables import write_csv

# pairing rule of an arm -> the arm whose time its jobs count towards
ARM_RULES = {"rmi": "arm_rmi"}
MAIN_STAGES = ("data", "nulls", "glass", "glass_study", "coarse", "observables", "fits")  # others: arms
LAMMPS_STAGES = ("prepare", "produce")
ANALYSIS_STAGES = ("coarse", "observables", "fits")


def _seconds(path: Path) -> float:
    lines = path.read_text().splitlines()
    if len(lines) < 2:
        raise ValueError(f"{path}: not a Snakemake benchmark file (no data row)")
    return float(lines[1].split("\t")[0])


def part_of(relative: Path) -> str:
    """The part a benchmark file (relative to ``benchmarks/``) counts towards (module docstring)."""
    top = relative.parts[0]
    if top not in MAIN_STAGES:
        return f"arm_{top}"
    if top == "glass":
        return "lammps" if relative.stem in LAMMPS_STAGES else "glass_other"
    if top in ANALYSIS_STAGES:
        return ARM_RULES.get(relative.stem, top)
    return top  # data, nulls


def job_time_table(run_directory) -> pd.DataFrame:
    """One row per part: jobs, summed seconds, and the ratio to the LAMMPS time (module docstring)."""
    root = Path(run_directory) / "benchmarks"
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no benchmarks directory (is this a finished run's directory?)")
    rows = [{"part": part_of(path.relative_to(root)), "seconds": _seconds(path)} for path in sorted(root.rglob("*.tsv"))]
    table = pd.DataFrame(rows, columns=["part", "seconds"]).groupby("part", as_index=False).agg(
        jobs=("seconds", "size"), seconds=("seconds", "sum"))
    lammps = table.loc[table["part"] == "lammps", "seconds"].sum()
    table["ratio_to_lammps"] = table["seconds"] / lammps if lammps > 0 else float("nan")
    return table.sort_values("part").reset_index(drop=True)


def _startup_lines(run_directory) -> dict:
    """Per job log (relative path): (CPU before the kernel, the libraries loaded by then), its last run."""
    from rgcoarse.pipeline.snakemake_job import LIBRARIES_MARK, STARTUP_MARK

    root = Path(run_directory) / "logs"
    pattern = re.compile(re.escape(STARTUP_MARK) + r" ([0-9.]+) s(?:; " + re.escape(LIBRARIES_MARK) + r" ?(.*))?$", re.MULTILINE)
    lines = {}
    for path in sorted(root.rglob("*.log")):
        found = pattern.findall(path.read_text(errors="replace"))
        if found:
            cpu, libraries = found[-1]  # the last run of a re-run job
            lines[str(path.relative_to(root))] = (float(cpu), tuple(libraries.split()))
    return lines


def startup_costs(run_directory) -> pd.Series:
    """Per job, the CPU seconds spent before its kernel (the line :func:`rgcoarse.pipeline.snakemake_job.run_job`
    logs first), indexed by log path; a job whose log has no such line (LAMMPS, Ising chains' own
    logging, a failed start) is left out."""
    lines = _startup_lines(run_directory)
    return pd.Series({job: cpu for job, (cpu, _) in lines.items()}, name="startup_cpu_s", dtype=float)


def import_cpu(modules, repeats: int = 3) -> float:
    """Median CPU seconds a fresh Python process spends importing ``modules`` (and starting up)."""
    code = "import importlib, warnings\nwarnings.simplefilter('ignore')\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in modules)
    times = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return float(np.median(times))


def fixed_costs(run_directory, repeats: int = 3) -> pd.DataFrame:
    """Per job: CPU before the kernel, the CPU of importing the kernel's libraries alone (a fresh
    process on this machine), and the difference, the **fixed cost** (Python, Snakemake's script
    preamble, this package's modules). A job whose log names no libraries is left out."""
    lines = {job: line for job, line in _startup_lines(run_directory).items() if line[1]}
    library_cpu = {libraries: import_cpu(libraries, repeats) for libraries in {l for _, l in lines.values()}}
    rows = [{"job": job, "startup_cpu_s": cpu, "library_cpu_s": library_cpu[libraries],
             "fixed_cpu_s": cpu - library_cpu[libraries]} for job, (cpu, libraries) in lines.items()]
    return pd.DataFrame(rows, columns=["job", "startup_cpu_s", "library_cpu_s", "fixed_cpu_s"])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_directory", help="the directory snakemake ran in (holds benchmarks/)")
    parser.add_argument("--output", help="write the table as CSV here (default: print it)")
    args = parser.parse_args(argv)
    table = job_time_table(args.run_directory)
    startup = startup_costs(args.run_directory)
    if len(startup):
        print(f"per-job CPU before the kernel (imports, Snakemake's script preamble): median {startup.median():.2f} s, "
              f"range {startup.min():.2f}-{startup.max():.2f} s over {len(startup)} jobs")
    fixed = fixed_costs(args.run_directory)
    if len(fixed):
        print(f"per-job fixed cost (that, less importing the kernel's own libraries in a fresh process): median "
              f"{fixed['fixed_cpu_s'].median():.2f} s over {len(fixed)} jobs")
    if args.output:
        write_csv(args.output, table, float_format="%.1f")
    else:
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
