"""What a stage's ``log.lammps`` says: block-averaged thermodynamics and the LAMMPS version."""

from __future__ import annotations

import math
import re
from pathlib import Path

from rgcoarse.checks import check_integer
from rgcoarse.glass.correlation_functions import block_average
from rgcoarse.glass.lammps_io import lammps_version, read_thermo

__all__ = ["thermo_summary", "lammps_version_of"]


def thermo_summary(log_path, n_blocks: int, skip_steps: int = 0) -> dict:
    """Block averages of U/N, pressure and kinetic temperature from a stage's log.

    Parameters
    ----------
    log_path : path-like
        ``log.lammps`` of a stage (thermo with ``norm yes``: pe is per particle).
    n_blocks : int
        Blocks for the standard errors (see :func:`rgcoarse.glass.correlation_functions.block_average`);
        at least 4 (2 per half for the drift).
    skip_steps : int
        Thermo lines with ``step < skip_steps`` are left out.

    Returns
    -------
    dict
        ``{"u_per_n": {"mean", "error"}, "pressure": {...}, "kinetic_temperature": {...},
        "u_per_n_drift": {"mean", "error"}, "n_samples": int, "n_blocks": int}``, where the
        drift is U/N of the second half minus the first half (each from ``n_blocks // 2``
        blocks): consistent with zero for a stationary (equilibrated) run.
    """
    check_integer(n_blocks, "n_blocks (2 per half for the drift)", minimum=4)
    check_integer(skip_steps, "skip_steps", minimum=0)
    thermo = read_thermo(log_path)
    thermo = thermo[thermo["step"] >= skip_steps]
    summary = {"n_samples": int(len(thermo)), "n_blocks": int(n_blocks)}
    for key, column in (("u_per_n", "poteng"), ("pressure", "press"), ("kinetic_temperature", "temp")):
        if column not in thermo.columns:
            raise ValueError(f"{log_path}: thermo has no column {column!r}")
        mean, error = block_average(thermo[column].to_numpy(), n_blocks)
        summary[key] = {"mean": mean, "error": error}
    energy = thermo["poteng"].to_numpy()
    half = energy.size // 2
    first, first_err = block_average(energy[:half], n_blocks // 2)
    second, second_err = block_average(energy[half:], n_blocks // 2)
    summary["u_per_n_drift"] = {"mean": second - first, "error": math.hypot(first_err, second_err)}
    return summary


def lammps_version_of(log_path) -> str:
    """LAMMPS version printed by the pipeline's scripts (``rgcoarse: LAMMPS version ...``)."""
    text = Path(log_path).read_text(errors="replace")
    match = re.search(r"^rgcoarse: LAMMPS version (\S+)", text, flags=re.MULTILINE)
    return match.group(1) if match else lammps_version(text)
