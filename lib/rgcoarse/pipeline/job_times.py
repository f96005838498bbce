"""Summed job times of a finished run, by part of the pipeline, from Snakemake's benchmark files.

Every analysis rule writes ``benchmarks/<stage>/.../<name>.tsv`` (wall seconds in column ``s``).
:func:`job_time_table` sums them into parts:

- ``lammps``: the glass runs' preparation and production (the yardstick: nothing may shorten it);
- ``glass_other``: the rest of the glass chain (p_hop, dynamics);
- ``data``: Ising sampling and the generated matrices;
- ``coarse``, ``observables``, ``fits``: the main paper's analysis, every rule but the arms' (the
  fits are made in the observables job since issue 28; ``fits`` counts them in older runs);
- ``nulls``: null draws;
- ``arm_<arm>``: a companion arm's own jobs plus the coarse-graining, observables and fits of its
  pairing rule (the RMI arm: ``benchmarks/rmi/`` and every job of the ``rmi`` rule); a named target
  outside the default run keeps its own directory and row (``benchmarks/wcrg_binder/``:
  ``arm_wcrg_binder``), so the default run's parts stay what the default run costs.

``python -m rgcoarse.pipeline.job_times <run directory> [--output docs/job_times.csv]`` writes the
table, and prints the median CPU a job spent before its kernel (:func:`startup_costs`, from the jobs'
logs); :func:`fixed_costs` measures how much of it is fixed cost, beyond the kernel's libraries.
The committed copy under docs/ is where the docs' job-time figures come from
(:mod:`rgcoarse.pipeline.doc_numbers`, names ``times.<part>.seconds`` and ``times.<part>.ratio``,
the part's time over the LAMMPS time).
"""

from __future__ import annotations

import argparse
import ast
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


def startup_costs(run_directory) -> pd.Series:
    """Per job, the CPU seconds spent before its kernel (the line :func:`rgcoarse.pipeline.snakemake_job.run_job`
    logs first), indexed by log path; a job whose log has no such line (LAMMPS, Ising chains' own
    logging, a failed start) is left out."""
    from rgcoarse.pipeline.snakemake_job import STARTUP_MARK

    root = Path(run_directory) / "logs"
    pattern = re.compile(re.escape(STARTUP_MARK) + r" ([0-9.]+) s")
    costs = {}
    for path in sorted(root.rglob("*.log")):
        found = pattern.findall(path.read_text(errors="replace"))
        if found:
            costs[str(path.relative_to(root))] = float(found[-1])  # the last run of the job
    return pd.Series(costs, name="startup_cpu_s", dtype=float)


def import_cpu(modules, repeats: int = 3) -> float:
    """Median CPU seconds a fresh Python process spends starting and importing ``modules``."""
    code = "import importlib, warnings\nwarnings.simplefilter('ignore')\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in modules)
    return _cpu_of(code, repeats)[0]


def _cpu_of(code: str, repeats: int) -> tuple[float, list[str]]:
    """Median CPU of a fresh Python process running ``code``, and the last line it printed, split."""
    times, printed = [], ""
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        printed = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return float(np.median(times)), (printed.strip().splitlines() or [""])[-1].split()


def script_imports(script: Path) -> str:
    """The module-level import statements of a workflow script, as source."""
    tree = ast.parse(Path(script).read_text())
    return "\n".join(ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))


def script_fixed_cost(script: Path, repeats: int = 5) -> dict:
    """CPU a job of ``script`` spends before its kernel, and how much of it is the **fixed cost**.

    Both halves are measured the same way, in fresh processes on this machine: a process doing
    what a ``script:`` job does first (Snakemake's preamble import, then the script's imports),
    against one importing only the scientific libraries (:data:`KERNEL_LIBRARIES`) that process
    ended up with. The difference is Python's own start, the preamble and this package's
    modules: what a job pays whatever its kernel.
    """
    startup_code = ("import warnings\nwarnings.simplefilter('ignore')\nimport snakemake.script\n"
                    + script_imports(script)
                    + "\nfrom rgcoarse.pipeline.snakemake_job import loaded_libraries\nprint(' '.join(loaded_libraries()))")
    startup, libraries = _cpu_of(startup_code, repeats)
    library = import_cpu(libraries, repeats)
    return {"script": Path(script).stem, "startup_cpu_s": startup, "library_cpu_s": library,
            "fixed_cpu_s": startup - library}


def fixed_costs(rule_jobs: dict, scripts_directory, repeats: int = 5) -> pd.DataFrame:
    """Per rule with a script under ``scripts_directory`` (``workflow/scripts/<rule>.py``), its
    jobs in a run (``rule_jobs``: rule -> count, Snakemake's "Job stats") and its script's fixed
    cost (:func:`script_fixed_cost`)."""
    scripts = Path(scripts_directory)
    rows = [dict(script_fixed_cost(scripts / f"{rule}.py", repeats), jobs=int(count))
            for rule, count in sorted(rule_jobs.items()) if (scripts / f"{rule}.py").is_file()]
    return pd.DataFrame(rows, columns=["script", "jobs", "startup_cpu_s", "library_cpu_s", "fixed_cpu_s"])


def job_weighted_median(table: pd.DataFrame, column: str) -> float:
    """The median of ``column`` over jobs (each row counted ``jobs`` times)."""
    return float(np.median(np.repeat(table[column].to_numpy(float), table["jobs"].to_numpy(int)))) if len(table) else np.nan


def job_stats(log: str) -> dict:
    """rule -> jobs, from the "Job stats" table a Snakemake run prints first."""
    counts, inside = {}, False
    for line in log.splitlines():
        if line.startswith("Job stats:"):
            inside = True
        elif inside and (match := re.match(r"^(\w+)\s+(\d+)$", line.strip())):
            if match.group(1) == "total":
                break
            counts[match.group(1)] = int(match.group(2))
    return counts


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
    if args.output:
        write_csv(args.output, table, float_format="%.1f")
    else:
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
